"""Python actions: the ``@action`` decorator, loading ``actions.py``, running sync or async."""

from __future__ import annotations

import hashlib
import importlib.util
import sys
from collections.abc import Awaitable, Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar, overload

from workbench.content import Renderer
from workbench.engine import ActionContext, StepResult, Turn
from workbench.schema import BotError, Problem, TurnError

ActionFn = Callable[[ActionContext], Any]
F = TypeVar("F", bound=ActionFn)
_MARK = "__workbench_action__"
_RENDERER_MARK = "__workbench_renderer__"
R = TypeVar("R", bound=Renderer)


@overload
def action(fn: F, /) -> F: ...
@overload
def action(name: str, /) -> Callable[[F], F]: ...
def action(arg: Any, /) -> Any:
    """Register a function of ``actions.py`` as an action (``@action`` or ``@action("name")``).

    The function gets an :class:`ActionContext`; it may return a dict of variable updates.
    ``async def`` actions work too.
    """
    if isinstance(arg, str):

        def mark(fn: F) -> F:
            setattr(fn, _MARK, arg)
            return fn

        return mark
    setattr(arg, _MARK, arg.__name__)
    return arg


def collect_actions(namespace: Mapping[str, Any]) -> dict[str, ActionFn]:
    """The functions of a module marked with ``@action``, by action name."""
    return _marked(namespace, _MARK)


def renderer(content_type: str) -> Callable[[R], R]:
    """Register a function of ``actions.py`` as the renderer of a content type the bot declares
    in ``content/types/NAME.yml``: ``@renderer("product")``.

    It gets the element's fields with every template rendered and each text in the
    conversation's language (``fields``), and ``language=``; it returns a reply dict
    (``{"type": ..., "text": ..., "choices": [...], ...}``) or a ``Reply``.
    """

    def mark(fn: R) -> R:
        setattr(fn, _RENDERER_MARK, content_type)
        return fn

    return mark


def collect_renderers(namespace: Mapping[str, Any]) -> dict[str, Renderer]:
    """The functions of a module marked with ``@renderer(type)``, by content type."""
    return _marked(namespace, _RENDERER_MARK)


def _marked(namespace: Mapping[str, Any], mark: str) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for value in namespace.values():
        name = getattr(value, mark, None)
        if isinstance(name, str) and callable(value):
            found[name] = value
    return found


def _error_line(exc: BaseException, path: Path) -> int:
    if isinstance(exc, SyntaxError) and exc.lineno:
        return exc.lineno
    import traceback  # only when an actions.py fails to import

    lines = [
        f.lineno or 0 for f in traceback.extract_tb(exc.__traceback__) if Path(f.filename) == path
    ]
    return lines[-1] if lines else 0


def load_actions(folder: Path, display: str) -> dict[str, Any]:
    """Import ``folder/actions.py`` (if any) under a private module name; its namespace (see
    :func:`collect_actions` and :func:`collect_renderers`)."""
    path = folder / "actions.py"
    if not path.exists():
        return {}
    digest = hashlib.sha1(str(path.resolve()).encode()).hexdigest()[:12]
    module_name = f"_workbench_actions_{digest}"
    spec = importlib.util.spec_from_file_location(module_name, path)
    if spec is None or spec.loader is None:
        raise BotError([Problem(f"{display}/actions.py", 0, "cannot import actions.py")])
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except Exception as exc:
        line = _error_line(exc, path)
        message = f"actions.py failed to import: {type(exc).__name__}: {exc}"
        raise BotError([Problem(f"{display}/actions.py", line, message)]) from None
    sys.modules[module_name] = module
    return vars(module)


def _run_coroutine(coro: Any) -> Any:
    """Run a coroutine to completion, also from inside a running loop (a notebook kernel).

    asyncio is imported here, on the first async action: it adds ~20 ms to ``import workbench``
    for bots that never use one.
    """
    import asyncio
    import concurrent.futures

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()


class ActionRegistry:
    """The bot's actions by name; runs the ones an engine step asks for."""

    def __init__(self, actions: Mapping[str, ActionFn]) -> None:
        self.actions = dict(actions)

    def drive(self, turn: Turn) -> StepResult:
        """Run a step to its end, answering each action it asks for (see :data:`Turn`).

        An action that raises is thrown back into the step, which records the failure.
        """
        try:
            ctx = next(turn)
            while True:
                try:
                    updates = self(ctx.action, ctx)
                except Exception as error:
                    ctx = turn.throw(error)
                else:
                    ctx = turn.send(updates)
        except StopIteration as done:
            result: StepResult = done.value
            return result

    def __call__(self, name: str, ctx: ActionContext) -> Mapping[str, Any] | None:
        fn = self.actions.get(name)
        if fn is None:
            raise TurnError(f"unknown action {name!r}")
        result = fn(ctx)
        if isinstance(result, Awaitable):
            result = _run_coroutine(result)
        if result is not None and not isinstance(result, Mapping):
            raise TurnError(
                f"action {name!r} must return a dict of updates or None, "
                f"not {type(result).__name__}"
            )
        return result

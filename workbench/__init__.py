"""Bot Workbench: build, test, run and analyse conversational bots from notebooks.

>>> import workbench as wb
>>> bot = wb.Bot.load("sample_bots/pizza")          # doctest: +SKIP
>>> conv = bot.conversation(user_id="u1")          # doctest: +SKIP
>>> [r.text for r in conv.say("hi")]               # doctest: +SKIP

The names below load their subpackage on first use (SPEC 1 lazy loading, PEP 562): ``import
workbench`` costs a few milliseconds, and ``workbench chat``, a server or a test pays only for the
layers it uses. ``from workbench import Bot`` and ``wb.Bot`` work as if imported eagerly; the
imports under ``TYPE_CHECKING`` tell type checkers and IDEs what each name is.
"""

from __future__ import annotations

from workbench._lazy import attach

TYPE_CHECKING = False
"""As ``typing.TYPE_CHECKING`` (type checkers take this name as true), without importing
``typing`` (~5 ms) at run time."""
if TYPE_CHECKING:
    from workbench.engine import ActionContext
    from workbench.flows import FlowBuilder
    from workbench.notebook import emulator, load_ipython_extension
    from workbench.runtime import (
        Bot,
        Conversation,
        Janitor,
        TurnContext,
        TurnTrace,
        action,
        renderer,
    )
    from workbench.schema import (
        BotError,
        Channel,
        Choice,
        ConflictError,
        ContentError,
        NLUResult,
        Reply,
        TurnError,
        WorkbenchError,
    )

__version__ = "0.1.0"

_LAZY = {
    "ActionContext": "workbench.engine",
    "Bot": "workbench.runtime",
    "BotError": "workbench.schema",
    "Channel": "workbench.schema",
    "Choice": "workbench.schema",
    "ConflictError": "workbench.schema",
    "ContentError": "workbench.schema",
    "Conversation": "workbench.runtime",
    "FlowBuilder": "workbench.flows",
    "Janitor": "workbench.runtime",
    "NLUResult": "workbench.schema",
    "Reply": "workbench.schema",
    "TurnContext": "workbench.runtime",
    "TurnError": "workbench.schema",
    "TurnTrace": "workbench.runtime",
    "WorkbenchError": "workbench.schema",
    "action": "workbench.runtime",
    "renderer": "workbench.runtime",
    "emulator": "workbench.notebook",
    "load_ipython_extension": "workbench.notebook",
}
"""Public name -> the subpackage that defines it."""
_SUBPACKAGES = frozenset(
    {
        "analytics",
        "cli",
        "config",
        "content",
        "dashboards",
        "engine",
        "expressions",
        "flows",
        "nlu",
        "notebook",
        "runtime",
        "schema",
        "stores",
        "testing",
    }
)
"""``wb.nlu``, ``wb.testing``, ...: usable after ``import workbench`` alone, as when this
package imported them all."""


__getattr__, __dir__ = attach(__name__, _LAZY, _SUBPACKAGES)


__all__ = [
    "ActionContext",
    "Bot",
    "BotError",
    "Channel",
    "Choice",
    "ConflictError",
    "ContentError",
    "Conversation",
    "FlowBuilder",
    "Janitor",
    "NLUResult",
    "Reply",
    "TurnContext",
    "TurnError",
    "TurnTrace",
    "WorkbenchError",
    "__version__",
    "action",
    "emulator",
    "load_ipython_extension",
    "renderer",
]

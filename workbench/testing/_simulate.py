"""``simulate(bot, n)``: many conversations with simulated users, and what they found.

Transcripts are marked as simulated by their ids: conversation ids are ``sim-<run_id>-<n>`` and
user ids ``sim-<user>-<run_id>-<n>`` (every simulated conversation is a new user, so runs never
see each other's user variables). The analytics layer filters on the ``sim-`` prefix.

How it runs (see :mod:`workbench.testing._simulate_store`): the turns run on a staging memory
store and every finished conversation is copied into the bot's store whole, by one turn. Large
runs on a store other processes can open (a SQLite file, PostgreSQL), from a process running a
single thread (the CLI, a script; not a Jupyter kernel), are split over forked worker processes,
one contiguous range of conversations each. No database connection crosses the fork: the store's
connections are closed first (it reopens them on its next use) and each worker opens its own.
Every conversation draws from its own random generators, seeded from ``(seed, n)``, so the
report does not depend on how the run was split.

One difference with workers: bot-wide variables (``bot.*``). Each chunk of conversations starts
from the bot variables as the store has them, including the chunks other workers copied in, so
workers see each other's changes late, as server instances would see each other's slow turns:
a key that two workers change at once keeps the later copy's value, and a counter such as the
pizza bot's ``orders_total`` counts fewer orders than one process would. Pass ``workers=1`` when
that matters.
"""

from __future__ import annotations

import gc
import itertools
import multiprocessing
import os
import queue
import random
import sys
import threading
import time
import traceback
import uuid
from collections.abc import Callable
from typing import Any

from workbench.runtime import Bot
from workbench.stores import MemoryStore, Store, open_store
from workbench.testing._progress import progress_bar
from workbench.testing._simulate_report import SimulationReport, display_url
from workbench.testing._simulate_run import FlowMap, Plan, Runner, Tally
from workbench.testing._simulate_users import SimulatedUser, UserFunction, as_user

PARALLEL_FROM = 1000
"""Runs of at least this many conversations use several processes (when they can)."""
MAX_WORKERS = 8


def simulate(
    bot: Bot,
    n: int,
    *,
    user: str | SimulatedUser | UserFunction = "random",
    max_turns: int = 20,
    seed: int | None = None,
    progress: bool = True,
    workers: int | None = None,
    run_id: str | None = None,
) -> SimulationReport:
    """Run ``n`` conversations with a simulated ``user``; their transcripts go to the bot's store.

    ``user``: ``"random"`` (a :class:`RandomUser` on the bot's NLU data), another built-in
    persona (``clicker``, ``typist``, ``impatient``), the name of a conversation test of the bot
    folder (its messages, as a script), a :class:`SimulatedUser`, or a function
    ``fn(replies, turn_index, rng) -> text | TIMEOUT | None``. A conversation stops when its
    session ends, the user leaves or goes silent, or after ``max_turns`` turns.
    ``seed`` makes the run reproducible (None picks one; the report says which).
    ``workers``: processes to use (None = all cores for runs of :data:`PARALLEL_FROM`
    conversations or more on a SQLite file or PostgreSQL store, else 1).
    """
    if n < 0:
        raise ValueError(f"n must be 0 or more, not {n}")
    if max_turns < 1:
        raise ValueError(f"max_turns must be 1 or more, not {max_turns}")
    simulated = as_user(user, bot)
    plan = Plan(
        user=simulated,
        seed=random.SystemRandom().randrange(2**32) if seed is None else seed,
        run_id=run_id or uuid.uuid4().hex[:8],
        max_turns=max_turns,
        flow_map=FlowMap.of(bot.flows),
    )
    count = _worker_count(workers, n, bot.store)
    started = time.perf_counter()
    with progress_bar(n, f"simulate {bot.name}", unit="conv", enabled=progress) as advance:
        if count == 1:
            tally = Runner(bot, plan, bot.store).run(range(n), advance)
        else:
            tally = _in_processes(bot, plan, _split(n, count), advance)
    return SimulationReport.of(tally, plan, bot, time.perf_counter() - started, count)


def _shareable(store: Store) -> bool:
    """Can another process open this store by its URL (a SQLite file, PostgreSQL)?"""
    url = store.url
    if isinstance(store, MemoryStore):
        return False
    if url.startswith("sqlite"):
        path = url.split("://", 1)[-1].split("?", 1)[0].lstrip("/")
        return bool(path) and path != ":memory:" and "mode=memory" not in url
    return url.startswith("postgres")


def _worker_count(requested: int | None, n: int, store: Store) -> int:
    """How many processes: see :func:`simulate` and the module docstring."""
    problem = None
    if not _shareable(store):
        where = display_url(store.url)
        problem = f"a store other processes can open (a SQLite file or PostgreSQL), not {where}"
    elif "fork" not in multiprocessing.get_all_start_methods():
        problem = f"the 'fork' start method, which {sys.platform} does not have"
    elif threading.active_count() > 1:  # e.g. a Jupyter kernel
        threads = threading.active_count()
        problem = f"a process running one thread (forking one running {threads} can deadlock)"
    if requested is not None:
        if requested < 1:
            raise ValueError(f"workers must be 1 or more, not {requested}")
        if requested > 1 and problem:
            raise ValueError(f"workers={requested} needs {problem}")
        return max(1, min(requested, n))
    if problem or n < PARALLEL_FROM or not sys.platform.startswith("linux"):
        return 1
    return max(1, min(os.cpu_count() or 1, MAX_WORKERS, n // (PARALLEL_FROM // 2)))


def _split(n: int, parts: int) -> list[range]:
    size, extra = divmod(n, parts)
    bounds = [0]
    for k in range(parts):
        bounds.append(bounds[-1] + size + (k < extra))
    return [range(a, b) for a, b in itertools.pairwise(bounds)]


def _worker(bot: Bot, plan: Plan, indices: range, k: int, out: Any, lock: Any) -> None:
    """A forked process: its conversations, copied into its own connection to the store."""
    try:
        target = open_store(bot.store.url)
        try:
            runner = Runner(bot, plan, target, lock)
            tally = runner.run(indices, lambda d: out.put(("progress", k, d)))
        finally:
            target.close()
        out.put(("done", k, tally))
    except BaseException:
        out.put(("error", k, traceback.format_exc()))


def _in_processes(
    bot: Bot, plan: Plan, shards: list[range], advance: Callable[[int], None]
) -> Tally:
    context = multiprocessing.get_context("fork")
    messages, lock = context.Queue(), context.Lock()
    # No database connection crosses the fork: each worker opens its own, and this process
    # reopens its connections on its next use of the store.
    bot.store.close()
    processes = [
        context.Process(target=_worker, args=(bot, plan, shard, k, messages, lock), daemon=True)
        for k, shard in enumerate(shards)
    ]
    gc.freeze()  # the workers' collections then skip (and do not copy) this process's objects
    try:
        for process in processes:
            process.start()
    finally:
        gc.unfreeze()
    tallies: dict[int, Tally] = {}
    try:
        while len(tallies) < len(processes):
            try:
                kind, k, payload = messages.get(timeout=0.5)
            except queue.Empty:
                codes = [p.exitcode for p in processes]
                if any(code not in (None, 0) for code in codes) or None not in codes:
                    raise RuntimeError(f"simulation workers stopped (exit codes {codes})") from None
                continue
            if kind == "progress":
                advance(payload)
            elif kind == "done":
                tallies[k] = payload
            else:
                raise RuntimeError(f"simulation worker {k} failed:\n{payload}")
    finally:
        for process in processes:
            if process.is_alive() and len(tallies) < len(processes):
                process.terminate()
            process.join()
    total = tallies[0]
    for k in range(1, len(shards)):
        total.merge(tallies[k])
    return total

"""Concurrent turns: none lost, none applied twice, from threads and from processes."""

from __future__ import annotations

import multiprocessing
import threading
import time
import traceback
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy

from workbench.schema import Session, TranscriptEvent
from workbench.stores import SQLStore, Store, open_store
from workbench.stores._tables import SCHEMA_VERSION

TOTAL_TURNS = 400


def count_turn(store: Store, bot: str, cid: str, worker: int) -> None:
    """One turn that increments ``state.count`` and logs the new value as a user event."""
    with store.turn(bot, cid, "u1") as tx:
        record = tx.conversation
        session: Session = record.session or {
            "stack": [{"flow": "main", "node": "count"}],
            "waiting": True,
            "state": {"count": 0},
            "version": "v1",
            "started_at": time.time(),
        }
        count = session["state"]["count"] + 1
        # The previous turn of this conversation wrote its count to user and bot vars.
        assert max(tx.user_vars.values(), default=0) == count - 1
        assert max(tx.bot_vars.values(), default=0) == count - 1
        session["state"]["count"] = count
        record.session = session
        record.turn += 1
        text = str(count)
        event = TranscriptEvent(cid, "u1", record.turn, time.time(), "user", text=text)
        tx.save(record, [event], {f"w{worker}": count}, {f"w{worker}": count})


def count_worker(
    url: str,
    bot: str,
    cid: str,
    worker: int,
    turns: int,
    barrier: Any,
    errors: Any,
    threads: int = 1,
) -> None:
    """Process target: open its own store, wait for the others, run ``turns`` turns (from
    ``threads`` threads, each counting under its own key)."""
    try:
        store = open_store(url)
        try:
            barrier.wait(timeout=60)

            def work(thread: int) -> None:
                for _ in range(turns // threads):
                    count_turn(store, bot, cid, worker * threads + thread)

            run_all(work, threads)
        finally:
            store.close()
    except BaseException:
        errors.put(traceback.format_exc())
        raise


def assert_all_turns_counted(
    store: Store, bot: str, cid: str, workers: int, total: int = TOTAL_TURNS
) -> None:
    record = store.get_conversation(bot, cid)
    assert record is not None and record.session is not None
    assert record.session["state"]["count"] == total
    assert record.turn == total
    events = store.events(bot, cid)
    assert [e.text for e in events] == [str(n) for n in range(1, total + 1)]
    assert [e.turn for e in events] == list(range(1, total + 1))
    # Every worker wrote its own user and bot key; all of them survived.
    assert set(store.bot_vars(bot)) == {f"w{w}" for w in range(workers)}
    assert set(store.user_vars(bot, "u1")) == {f"w{w}" for w in range(workers)}


@pytest.mark.parametrize("threads", [2, 8])
def test_concurrent_turns_from_threads(store: Store, bot: str, threads: int) -> None:
    barrier = threading.Barrier(threads)

    def work(worker: int) -> None:
        barrier.wait(timeout=30)
        for _ in range(TOTAL_TURNS // threads):
            count_turn(store, bot, "c1", worker)

    run_all(work, threads)
    assert_all_turns_counted(store, bot, "c1", threads)


def test_threads_on_different_conversations_keep_every_key(store: Store, bot: str) -> None:
    def work(worker: int) -> None:
        for turn in range(25):
            with store.turn(bot, f"c{worker}", f"u{worker % 2}") as tx:
                tx.save(tx.conversation, [], {f"w{worker}": turn}, {f"w{worker}": turn})

    run_all(work, 6)
    assert store.bot_vars(bot) == {f"w{w}": 24 for w in range(6)}
    assert store.user_vars(bot, "u0") == {f"w{w}": 24 for w in (0, 2, 4)}
    assert store.user_vars(bot, "u1") == {f"w{w}": 24 for w in (1, 3, 5)}


@pytest.mark.parametrize("threads", [1, 3])
def test_concurrent_turns_from_processes(fresh_url: str, bot: str, threads: int) -> None:
    """Two processes open the same fresh store at once (schema race), then race their turns of
    one conversation, from one thread each or from several."""
    ctx = multiprocessing.get_context("spawn")
    barrier, errors = ctx.Barrier(2), ctx.Queue()
    turns = TOTAL_TURNS // 2 // threads * threads
    processes = [
        ctx.Process(
            target=count_worker,
            args=(fresh_url, bot, "c1", worker, turns, barrier, errors, threads),
        )
        for worker in range(2)
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=120)
    failures = [errors.get() for _ in range(errors.qsize())] if not errors.empty() else []
    assert [p.exitcode for p in processes] == [0, 0], "\n".join(failures)
    store = open_store(fresh_url)
    try:
        assert_all_turns_counted(store, bot, "c1", 2 * threads, 2 * turns)
    finally:
        store.close()


def hold_a_turn(url: str, bot: str, entered: Any) -> None:
    """Process target: open a turn of ``c1`` and never end it."""
    store = open_store(url)
    with store.turn(bot, "c1", "u1"):
        entered.set()
        threading.Event().wait()


def test_the_turns_of_a_killed_process_do_not_stay_locked(tmp_path: Path, bot: str) -> None:
    """The operating system drops the locks of a process that dies in the middle of a turn."""
    url = f"sqlite:///{tmp_path / 'store.db'}"
    open_store(url).close()
    ctx = multiprocessing.get_context("spawn")
    entered = ctx.Event()
    holder = ctx.Process(target=hold_a_turn, args=(url, bot, entered), daemon=True)
    holder.start()
    try:
        assert entered.wait(60), "the process never opened its turn"
    finally:
        holder.kill()
        holder.join(60)
    store = open_store(url)
    try:
        done = threading.Thread(target=count_turn, args=(store, bot, "c1", 0), daemon=True)
        done.start()
        done.join(60)  # a guard: the turn does not wait at all
        assert not done.is_alive(), "the dead process's turn still holds the conversation"
        record = store.get_conversation(bot, "c1")
        assert record is not None and record.turn == 1
    finally:
        store.close()


def test_concurrent_schema_creation(fresh_url: str, bot: str) -> None:
    """Many stores opened at once on a database without tables: no errors, one schema."""
    barrier = threading.Barrier(8)

    def open_and_use(worker: int) -> None:
        barrier.wait(timeout=30)
        store = SQLStore(fresh_url)
        try:
            store.put_version(bot, "v1", {"worker": worker})
            with store.turn(bot, f"c{worker}", "u1") as tx:
                tx.save(tx.conversation, [], bot_changes={f"w{worker}": True})
        finally:
            store.close()

    run_all(open_and_use, 8)
    store = SQLStore(fresh_url)
    try:
        assert store.bot_vars(bot) == {f"w{w}": True for w in range(8)}
        assert store.get_version(bot, "v1") is not None
    finally:
        store.close()
    engine = sqlalchemy.create_engine(fresh_url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.connect() as conn:  # exactly one schema version row
        assert conn.exec_driver_sql("SELECT version FROM wb_schema").all() == [(SCHEMA_VERSION,)]
    engine.dispose()


def run_all(work: Callable[[int], None], workers: int) -> None:
    with ThreadPoolExecutor(workers) as pool:
        for future in [pool.submit(work, w) for w in range(workers)]:
            future.result()


@pytest.mark.postgres
def test_a_killed_connection_costs_one_turn(pg_url: str, pg_bot: str) -> None:
    """The server dropping a pooled connection fails one turn; the next turn reconnects."""
    app = f"wb_kill_{uuid.uuid4().hex[:12]}"
    url = sqlalchemy.make_url(pg_url).update_query_dict({"application_name": app})
    store = SQLStore(url.render_as_string(hide_password=False))
    admin = sqlalchemy.create_engine(pg_url)
    try:
        count_turn(store, pg_bot, "c1", 0)
        with admin.begin() as conn:
            killed = conn.exec_driver_sql(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                f" WHERE application_name = '{app}'"
            ).all()
        assert killed and all(ok for (ok,) in killed)
        with pytest.raises(Exception, match=r"(?i)terminat|closed|connection"):
            count_turn(store, pg_bot, "c1", 0)
        count_turn(store, pg_bot, "c1", 0)
        record = store.get_conversation(pg_bot, "c1")
        assert record is not None and record.session is not None
        assert record.session["state"]["count"] == 2
    finally:
        store.close()
        admin.dispose()

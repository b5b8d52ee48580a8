"""The `Store` contract, on every backend (see conftest.py)."""

from __future__ import annotations

import time
from typing import Any

import pytest

from workbench.schema import ConversationRecord, Session, TranscriptEvent
from workbench.stores import Store


def session(**state: Any) -> Session:
    return {
        "stack": [{"flow": "main", "node": "ask"}, {"flow": "checkout", "node": "pay"}],
        "waiting": True,
        "state": state,
        "version": "v1",
        "started_at": 1_700_000_000.25,
    }


def event(record: ConversationRecord, seq: int, **fields: Any) -> TranscriptEvent:
    fields.setdefault("type", "user")
    return TranscriptEvent(
        conversation_id=record.id,
        user_id=record.user_id,
        turn=record.turn,
        ts=1_700_000_000.5 + seq,
        seq=seq,
        **fields,
    )


def run_turn(
    store: Store,
    bot: str,
    cid: str,
    uid: str,
    *,
    user: dict[str, Any] | None = None,
    bot_changes: dict[str, Any] | None = None,
    updated_at: float = 0.0,
    **state: Any,
) -> None:
    with store.turn(bot, cid, uid) as tx:
        record = tx.conversation
        record.turn += 1
        record.session = session(**state)
        record.updated_at = updated_at
        tx.save(record, [event(record, 0, text="hi")], user, bot_changes)


def test_new_conversation_is_a_fresh_record(store: Store, bot: str) -> None:
    with store.turn(bot, "c1", "u1") as tx:
        assert tx.conversation == ConversationRecord(id="c1", user_id="u1", turn=0)
        assert tx.conversation.session is None
        assert tx.user_vars == {}
        assert tx.bot_vars == {}
    # Without save() nothing is written.
    assert store.get_conversation(bot, "c1") is None
    assert store.events(bot) == []


def test_save_and_reload_round_trip(store: Store, bot: str) -> None:
    nested = {"size": "L", "toppings": ["ham", "olives"], "address": {"zip": "1000", "n": 3}}
    with store.turn(bot, "c1", "u1") as tx:
        record = tx.conversation
        record.session = session(order=nested, paid=False, note=None, price=12.5)
        record.turn = 1
        record.updated_at = 1234.5
        tx.save(record, [])
    stored = store.get_conversation(bot, "c1")
    assert stored == ConversationRecord(
        id="c1",
        user_id="u1",
        session=session(order=nested, paid=False, note=None, price=12.5),
        turn=1,
        updated_at=1234.5,
    )
    with store.turn(bot, "c1", "u1") as tx:
        assert tx.conversation == stored


def test_updated_at_defaults_to_now(store: Store, bot: str) -> None:
    before = time.time()
    run_turn(store, bot, "c1", "u1")
    stored = store.get_conversation(bot, "c1")
    assert stored is not None
    assert before <= stored.updated_at <= time.time()


def test_events_are_appended_in_order_with_all_fields(store: Store, bot: str) -> None:
    with store.turn(bot, "c1", "u1") as tx:
        record = tx.conversation
        record.turn = 1
        first = [
            event(
                record,
                0,
                type="user",
                text="I want a pizza",
                intent="order",
                confidence=0.93,
                channel="text",
                language="fr",
            ),
            event(record, 1, type="node", flow="main", node="ask_size"),  # web, no language
            event(
                record,
                2,
                type="bot",
                flow="main",
                node="ask_size",
                text="Which size?",
                payload={"choices": [{"title": "Large", "value": "L"}], "n": None},
            ),
        ]
        tx.save(record, first)
    with store.turn(bot, "c2", "u2") as tx:
        other = [event(tx.conversation, 0, text="other conversation")]
        tx.save(tx.conversation, other)
    with store.turn(bot, "c1", "u1") as tx:
        record = tx.conversation
        record.turn = 2
        second = [event(record, 0, type="turn_error", text="boom", payload={"error": "x"})]
        tx.save(record, second)
    assert store.events(bot, "c1") == first + second
    assert store.events(bot) == first + other + second
    assert [(e.channel, e.language) for e in first] == [("text", "fr"), ("web", ""), ("web", "")]
    assert list(store.iter_events(bot, batch=2)) == first + other + second
    assert store.events(bot, "nope") == []
    assert store.events(f"{bot}-other") == []


def test_iter_events_streams_everything_in_order(store: Store, bot: str) -> None:
    for turn in range(7):
        with store.turn(bot, f"c{turn % 2}", "u1") as tx:
            record = tx.conversation
            events = [event(record, seq, text=f"{turn}.{seq}") for seq in range(3)]
            tx.save(record, events)
    texts = [e.text for e in store.iter_events(bot, batch=4)]
    assert texts == [f"{turn}.{seq}" for turn in range(7) for seq in range(3)]
    assert list(store.iter_events(bot, batch=3)) == store.events(bot)
    assert list(store.iter_events(f"{bot}-none")) == []


def test_many_events_in_one_turn(store: Store, bot: str) -> None:
    with store.turn(bot, "c1", "u1") as tx:
        events = [event(tx.conversation, seq, text=str(seq)) for seq in range(150)]
        tx.save(tx.conversation, events)
    assert [e.seq for e in store.events(bot, "c1")] == list(range(150))


def test_exception_rolls_everything_back(store: Store, bot: str) -> None:
    run_turn(store, bot, "c1", "u1", count=1, user={"name": "Ann"}, bot_changes={"k": 1})
    before = (store.get_conversation(bot, "c1"), store.events(bot))

    class Boom(Exception):
        pass

    with pytest.raises(Boom), store.turn(bot, "c1", "u1") as tx:
        record = tx.conversation
        record.turn += 1
        record.session = session(count=2)
        tx.save(record, [event(record, 0, text="lost")], {"name": "Bob"}, {"k": 2})
        raise Boom
    with pytest.raises(Boom), store.turn(bot, "c-new", "u-new") as tx:
        tx.save(tx.conversation, [event(tx.conversation, 0)], {"x": 1})
        raise Boom
    assert (store.get_conversation(bot, "c1"), store.events(bot)) == before
    assert store.get_conversation(bot, "c-new") is None
    assert store.user_vars(bot, "u1") == {"name": "Ann"}
    assert store.user_vars(bot, "u-new") == {}
    assert store.bot_vars(bot) == {"k": 1}


def test_user_vars_follow_the_user_and_bot_vars_are_shared(store: Store, bot: str) -> None:
    run_turn(store, bot, "c1", "ann", user={"name": "Ann", "tags": ["vip"]}, bot_changes={"n": 1})
    with store.turn(bot, "c2", "ann") as tx:  # another conversation of the same user
        assert tx.user_vars == {"name": "Ann", "tags": ["vip"]}
        assert tx.bot_vars == {"n": 1}
    with store.turn(bot, "c3", "bob") as tx:  # another user
        assert tx.user_vars == {}
        assert tx.bot_vars == {"n": 1}
        tx.save(tx.conversation, [], {"name": "Bob"}, {"n": 2, "gone": None})
        assert tx.user_vars == {"name": "Bob"}
    assert store.user_vars(bot, "ann") == {"name": "Ann", "tags": ["vip"]}
    assert store.user_vars(bot, "bob") == {"name": "Bob"}
    assert store.bot_vars(bot) == {"n": 2, "gone": None}  # None is stored as JSON null
    assert store.bot_vars(f"{bot}-other") == {}


def test_only_changed_keys_are_merged(store: Store, bot: str) -> None:
    run_turn(store, bot, "c0", "u0", user={"keep": 0}, bot_changes={"keep": 0})
    # Both transactions read the same bot and user vars, then change different keys.
    with store.turn(bot, "c1", "u0") as first:
        first.save(first.conversation, [], {"a": 1}, {"a": 1})
    with store.turn(bot, "c2", "u0") as second:
        second.save(second.conversation, [], {"b": 2}, {"b": 2})
    assert store.bot_vars(bot) == {"keep": 0, "a": 1, "b": 2}
    assert store.user_vars(bot, "u0") == {"keep": 0, "a": 1, "b": 2}


def test_two_saves_in_one_turn_accumulate(store: Store, bot: str) -> None:
    with store.turn(bot, "c1", "u1") as tx:
        record = tx.conversation
        record.turn = 1
        tx.save(record, [event(record, 0, text="a")], {"x": 1}, {"y": 1})
        record.turn = 2
        tx.save(record, [event(record, 1, text="b")], {"x": 2, "z": 3}, None)
    stored = store.get_conversation(bot, "c1")
    assert stored is not None
    assert stored.turn == 2
    assert [e.text for e in store.events(bot)] == ["a", "b"]
    assert store.user_vars(bot, "u1") == {"x": 2, "z": 3}
    assert store.bot_vars(bot) == {"y": 1}


def test_reset_forgets_the_session_and_keeps_the_transcript(store: Store, bot: str) -> None:
    run_turn(store, bot, "c1", "u1", user={"name": "Ann"}, count=3)
    transcript = store.events(bot, "c1")
    store.reset(bot, "c1")
    stored = store.get_conversation(bot, "c1")
    assert stored is not None
    assert stored.session is None
    assert stored.turn == 1
    assert store.events(bot, "c1") == transcript
    assert store.user_vars(bot, "u1") == {"name": "Ann"}
    store.reset(bot, "never-seen")  # no error
    assert store.get_conversation(bot, "never-seen") is None


def test_idle_conversations(store: Store, bot: str) -> None:
    run_turn(store, bot, "old", "u1", updated_at=100.0)
    run_turn(store, bot, "older", "u2", updated_at=50.0)
    run_turn(store, bot, "recent", "u3", updated_at=500.0)
    run_turn(store, bot, "closed", "u4", updated_at=10.0)
    store.reset(bot, "closed")
    with store.turn(bot, "ended", "u5") as tx:  # session ended at the end of the turn
        record = tx.conversation
        record.updated_at = 20.0
        tx.save(record, [])
    assert store.idle_conversations(bot, 200.0) == ["older", "old"]
    assert store.idle_conversations(bot, 100.0) == ["older"]
    assert store.idle_conversations(bot, 100.5) == ["older", "old"]
    assert store.idle_conversations(bot, 200) == ["older", "old"]
    assert store.idle_conversations(bot, 1000.0) == ["older", "old", "recent"]
    assert store.idle_conversations(f"{bot}-other", 1000.0) == []


def test_sessions_that_open_and_close_are_found_idle_or_not(store: Store, bot: str) -> None:
    """An existing conversation's session closes and opens again across turns."""
    run_turn(store, bot, "c1", "u1", updated_at=10.0)
    assert store.idle_conversations(bot, 100.0) == ["c1"]
    with store.turn(bot, "c1", "u1") as tx:  # the session stays open
        record = tx.conversation
        record.updated_at = 20.0
        tx.save(record, [])
    assert store.idle_conversations(bot, 15.0) == []
    assert store.idle_conversations(bot, 100.0) == ["c1"]
    with store.turn(bot, "c1", "u1") as tx:  # the session ends
        record = tx.conversation
        record.session = None
        record.updated_at = 30.0
        tx.save(record, [])
    assert store.idle_conversations(bot, 100.0) == []
    run_turn(store, bot, "c1", "u1", updated_at=40.0)  # a new session
    assert store.idle_conversations(bot, 100.0) == ["c1"]
    store.reset(bot, "c1")
    assert store.idle_conversations(bot, 100.0) == []
    run_turn(store, bot, "c1", "u1", updated_at=50.0, n=2)  # and another after the reset
    assert store.idle_conversations(bot, 100.0) == ["c1"]
    stored = store.get_conversation(bot, "c1")
    assert stored is not None and stored.session == session(n=2) and stored.turn == 3


def test_save_writes_the_record_it_is_given(store: Store, bot: str) -> None:
    with store.turn(bot, "c1", "u1") as tx:
        other = ConversationRecord("c2", "u2", session(n=1), turn=5, updated_at=7.0)
        tx.save(other, [])
    assert store.get_conversation(bot, "c2") == other
    assert store.idle_conversations(bot, 10.0) == ["c2"]


def test_versions_are_put_once(store: Store, bot: str) -> None:
    definition = {"flows": {"main": {"start": "a", "nodes": {"a": {"next": []}}}}}
    assert store.get_version(bot, "v1") is None
    store.put_version(bot, "v1", definition)
    store.put_version(bot, "v1", {"flows": {}})  # already there: no-op, no error
    assert store.get_version(bot, "v1") == definition
    assert store.get_version(f"{bot}-other", "v1") is None


def test_unicode_and_odd_text_survive(store: Store, bot: str) -> None:
    text = "naïve café 🍕 \"quotes\" 'single' %s %(x)s ? \\ \n tab\t \u2028"
    with store.turn(bot, "c1", "u1") as tx:
        record = tx.conversation
        record.session = session(text=text)
        tx.save(record, [event(record, 0, text=text, payload={"t": text})], {"t": text})
    stored = store.get_conversation(bot, "c1")
    assert stored is not None and stored.session is not None
    assert stored.session["state"]["text"] == text
    assert store.events(bot)[0].text == text
    assert store.events(bot)[0].payload == {"t": text}
    assert store.user_vars(bot, "u1") == {"t": text}


def test_values_that_are_not_json_fail_and_write_nothing(store: Store, bot: str) -> None:
    with pytest.raises(TypeError), store.turn(bot, "c1", "u1") as tx:
        record = tx.conversation
        record.session = session(bad={1, 2})
        tx.save(record, [])
    assert store.get_conversation(bot, "c1") is None


def test_a_turn_of_the_same_conversation_inside_a_turn_fails_at_once(
    store: Store, bot: str
) -> None:
    """Waiting would never end: the outer turn holds the conversation until its block ends."""
    with store.turn(bot, "c1", "u1") as outer:
        with pytest.raises(RuntimeError, match="already open in this thread"):
            store.turn(bot, "c1", "u1").__enter__()
        with pytest.raises(RuntimeError, match="already open in this thread"):
            store.reset(bot, "c1")  # a reset waits for the conversation's turn too
        outer.save(outer.conversation, [event(outer.conversation, 0, text="outer")])
    assert [e.text for e in store.events(bot, "c1")] == ["outer"]
    run_turn(store, bot, "c1", "u1")  # the failed attempts left nothing locked
    store.reset(bot, "c1")


def test_a_turn_of_another_conversation_inside_a_turn_runs(store: Store, bot: str) -> None:
    with store.turn(bot, "c1", "u1") as outer:
        with store.turn(bot, "c2", "u1") as inner:
            inner.save(inner.conversation, [event(inner.conversation, 0, text="inner")], {"b": 2})
        assert store.user_vars(bot, "u1") == {"b": 2}  # committed when its block ended
        outer.save(outer.conversation, [event(outer.conversation, 0, text="outer")], {"a": 1})
    assert [e.text for e in store.events(bot)] == ["inner", "outer"]
    assert store.user_vars(bot, "u1") == {"a": 1, "b": 2}  # merged into the row as it was then


def test_a_message_id_remembers_its_replies_with_the_turn(store: Store, bot: str) -> None:
    replies = [{"type": "text", "text": "hi <b>", "choices": []}]
    with store.turn(bot, "c1", "u1") as tx:
        assert tx.recall("m1") is None
        record = tx.conversation
        record.turn += 1
        tx.save(record, [event(record, 0, text="hi")])
        tx.remember("m1", replies)
    with store.turn(bot, "c1", "u1") as tx:
        assert tx.recall("m1") == replies
        assert tx.recall("m2") is None
    with store.turn(bot, "c2", "u1") as tx:  # keys are per conversation
        assert tx.recall("m1") is None


def test_a_failed_turn_remembers_no_message_id(store: Store, bot: str) -> None:
    with pytest.raises(RuntimeError), store.turn(bot, "c1", "u1") as tx:
        record = tx.conversation
        record.turn += 1
        tx.save(record, [event(record, 0, text="hi")])
        tx.remember("m1", [])
        raise RuntimeError("the turn failed")
    with store.turn(bot, "c1", "u1") as tx:
        assert tx.recall("m1") is None
    assert store.events(bot, "c1") == []

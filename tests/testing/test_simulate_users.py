"""The simulated users: random ones drawn from the NLU data, scripts, personas."""

from __future__ import annotations

import random

import pytest

from tests.conftest import SAMPLE_BOTS
from workbench.nlu import NLUData
from workbench.runtime import Bot
from workbench.schema import Choice, Reply
from workbench.testing._simulate import simulate
from workbench.testing._simulate_users import (
    PERSONAS,
    TIMEOUT,
    Persona,
    RandomUser,
    ScriptedUser,
    Turn,
    Vocabulary,
    as_user,
    named_user,
)

PIZZA = SAMPLE_BOTS / "pizza"
SIZES = Reply("choice", "What size?", (Choice("Small", "small"), Choice("Large", "large")))


def turn(index: int = 1, replies: list[Reply] | None = None, node: str = "main.x") -> Turn:
    return Turn(index, replies or [], node, 0)


def test_the_vocabulary_comes_from_the_nlu_data() -> None:
    data = NLUData(
        intents={"affirm": ["yes", "sure"], "empty": []},
        entities={"size": {"large": ["big", "xl"], "small": []}},
    )
    vocabulary = Vocabulary.from_nlu(data)
    assert vocabulary.intents == (("yes", "sure"),)
    assert vocabulary.entities == (("large", "big", "xl", "small"),)


def test_a_random_user_mostly_picks_offered_choices() -> None:
    user = RandomUser(choose=1.0, leave=0.0, vocabulary=Vocabulary())
    rng = random.Random(1)
    picks = [user.message(turn(replies=[SIZES]), rng) for _ in range(200)]
    assert set(picks) <= {"small", "large", "Small", "Large", "1", "2"}
    assert {"small", "large"} <= set(picks)
    assert picks.count("small") + picks.count("large") > 100  # values more than titles


def test_a_random_user_types_utterances_entities_digits_and_gibberish() -> None:
    vocabulary = Vocabulary(intents=(("I want a pizza",),), entities=(("large",),))
    user = RandomUser(
        choose=0.0, leave=0.0, entity=0.5, number=0.2, gibberish=0.1, vocabulary=vocabulary
    )
    rng = random.Random(2)
    said = [str(user.message(turn(), rng)) for _ in range(400)]
    assert "I want a pizza" in said
    assert "large" in said  # an entity alone
    assert any("large" in s and "pizza" in s for s in said)  # spliced into an utterance
    assert any(s.isdigit() and len(s) == 4 for s in said)
    assert any(s.isalpha() and s not in ("large",) and " " not in s for s in said)


def test_a_random_user_leaves_or_goes_silent_but_never_before_the_first_message() -> None:
    user = RandomUser(leave=1.0, silence=0.5, vocabulary=Vocabulary())
    rng = random.Random(3)
    assert user.message(turn(index=0), rng) is not None
    moves = {repr(user.message(turn(), rng)) for _ in range(50)}
    assert moves == {"None", "TIMEOUT"}


def test_the_same_seed_gives_the_same_moves() -> None:
    bot = Bot.load(PIZZA, db="memory://")
    user = as_user("random", bot)

    def moves(seed: int) -> list[object]:
        rng = random.Random(seed)
        return [user.message(turn(i, [SIZES] if i % 2 else []), rng) for i in range(30)]

    assert moves(5) == moves(5)
    assert moves(5) != moves(6)


def test_a_scripted_user_says_its_lines_then_leaves() -> None:
    user = ScriptedUser(["hi", TIMEOUT])
    rng = random.Random(0)
    assert [user.message(turn(i), rng) for i in range(3)] == ["hi", TIMEOUT, None]


def test_a_persona_follows_its_script_then_its_goals_and_loses_patience() -> None:
    persona = Persona(
        "hungry",
        script=["hi"],
        goals={"main.ask_size": ["large"], "main.ask_toppings": ["ham"]},
        patience=2,
    )
    rng = random.Random(0)
    assert persona.message(Turn(0, [], None, 0), rng) == "hi"
    assert persona.message(Turn(1, [], "main.ask_size", 0), rng) == "large"
    assert persona.message(Turn(2, [], "main.ask_toppings", 1), rng) == "ham"
    assert persona.message(Turn(3, [], "main.ask_toppings", 2), rng) is None  # stuck: leaves
    assert persona.message(Turn(3, [], "main.confirm", 0), rng) is None  # no goal, no then
    helped = Persona("helped", then=ScriptedUser(["a", "b", "c", "d"]))
    assert helped.message(Turn(3, [], "main.confirm", 0), rng) == "d"


def test_a_persona_orders_pizzas_in_a_simulation() -> None:
    persona = Persona(
        "orderer",
        script=["hi"],
        goals={
            "main.ask_size": ["large", "small"],
            "main.ask_toppings": ["ham", "none"],
            "main.more_toppings": ["done"],
            "main.confirm": ["yes"],
            "checkout.ask_payment": ["cash"],
        },
    )
    report = simulate(Bot.load(PIZZA, db="memory://"), 20, user=persona, seed=1, progress=False)
    assert report.outcomes == {"ended": 20}
    assert report.reached["main.thanks"] == 20
    assert report.user == "orderer"


def test_names_resolve_to_personas_and_conversation_tests() -> None:
    assert named_user("random") is PERSONAS["random"]
    scripted = named_user("asks again when the size is not understood", PIZZA)
    assert isinstance(scripted, ScriptedUser)
    assert list(scripted.script) == ["hello", "gigantic", "Medium"]
    assert scripted.name == "asks_again_when_the_size"
    with pytest.raises(ValueError, match="random, clicker, typist, impatient"):
        named_user("nobody", PIZZA)

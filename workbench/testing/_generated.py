"""Generated flows for tests and benchmarks of large bots."""

from __future__ import annotations

import random
from typing import Any


def big_flow(size: int = 300, branches: int = 6, seed: int = 7) -> dict[str, Any]:
    """A flow of ``size`` nodes shaped like a large bot: a menu and ``branches`` chains of
    questions with retries (self-loops), skips, jumps back and a way back to the menu.

    Used by the graph tests and benchmarks; ``bot.set_flow("main", big_flow(300))``.
    """
    rng = random.Random(seed)
    menu: dict[str, Any] = {"on_enter": [{"say": {"text": "What do you need?"}}], "on_receive": []}
    menu["next"] = []
    nodes: dict[str, Any] = {"menu": menu}
    for b in range(branches):
        count = (size - 1) // branches + (1 if b < (size - 1) % branches else 0)
        chain = [f"s{b}_{i:03d}" for i in range(count)]
        menu["next"].append({"when": f"intent == 'topic{b}'", "to": chain[0]})
        for i, name in enumerate(chain):
            nxt: list[dict[str, str]] = []
            if i + 1 < count:
                nxt.append({"when": f"state.step{i} == 'ok'", "to": chain[i + 1]})
                if i + 2 < count and rng.random() < 0.3:
                    nxt.append({"when": "state.skip", "to": chain[i + 2]})
                if i > 2 and rng.random() < 0.15:
                    nxt.append({"when": "intent == 'back'", "to": chain[rng.randrange(i - 3, i)]})
                nxt.append({"to": name} if i % 3 == 0 else {"to": chain[i + 1]})
            else:
                nxt += [{"when": "intent == 'more'", "to": "menu"}, {"to": "END"}]
            node: dict[str, Any] = {"on_enter": [{"say": {"text": f"Step {i}"}}], "next": nxt}
            if i % 3 == 0:
                node["on_receive"] = []
            nodes[name] = node
    return {"start": "menu", "nodes": nodes}

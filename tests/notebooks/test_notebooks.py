"""The tutorial notebooks run top to bottom in a fresh kernel and reach their outcome."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
PATHS = sorted(NOTEBOOKS.glob("*.ipynb"))  # not notebooks/dashboards/ (Voilà apps)

# What a notebook's tagged cells must print, by notebook file name and cell tag.
EXPECTED: dict[str, dict[str, list[str]]] = {
    "01-first-bot.ipynb": {
        "graph-live": ["every flow: 12 nodes>", "flows: ['main', 'pay']"],
        "chat-done": [
            "waits at: pay.ask_method",
            "bot: Paid by card.",
            "bot: Thanks! Your large latte will be ready in a minute.",
            "waits at: None",
        ],
        "convo": ["1 conversation test in 'latte_price': bot.test() runs them"],
        "tests": ["nodes covered: 8/8", "2 passed, 0 failed"],
        "saved": ["versions match: True", "'tests/latte.convo.yml'", "2 passed, 0 failed"],
    },
    "02-testing-and-simulation.ipynb": {
        "pizza-tests": ["6 passed, 0 failed"],
        "failing-test": [
            "0 passed, 1 failed",
            "wrong_price.convo.yml:7: turn 3 'none': reply 1: expected 'A small pizza with no"
            " toppings: $5.00. Shall I order it?', got 'A small pizza with no toppings: $8.00.",
        ],
        "simulation": ["300 conversations", "node coverage: 15/15", "turn errors: none"],
        "scripted": [
            "outcomes: {'ended': 20}",
            "checkout.declined: reached in 20 of 20",
            "main.not_paid: reached in 20 of 20",
        ],
    },
    "03-pizza-tour.ipynb": {
        "order-done": ["Thanks! Your large pizza is on its way.", "waits at: None"],
        "convo-tests": ["6 passed, 0 failed", "nodes covered: 15/15"],
    },
    "04-content.ipynb": {
        "loaded": ["9 content elements; types: ['card', 'carousel', 'choice', 'image', 'text']"],
        "search": ["thanks         text    revision 1: Thanks! Your {{ state.size }} pizza"],
        "updated": [
            "  + thanks: Thank you! Your {{ state.size }} pizza is in the oven. 🍕",
            "bot: Thank you! Your large pizza is in the oven. 🍕",
        ],
        "conflict": ["refused: content element 'thanks' was changed by ada", "nothing was saved"],
        "history": [
            "2 ada update Thank you!",
            "1 file file Thanks!",
            "after revert: Thanks! Your {{ state.size }} pizza is on its way.",
        ],
        "translations": [
            "17 texts to translate into French",
            "Quelle taille voulez-vous ? ['Petite', 'Moyenne', 'Grande']",
            "13 texts left to translate",
            "17 rows in fr.csv: ['id,field,en,fr'",
        ],
    },
    "05-nlu.ipynb": {
        "trained": ["12 intents, 131 examples", "calibrated out-of-scope threshold: 0."],
        "tester": [
            "'are you open on sundays?'       -> faq_hours",
            "'where is order 10231'           -> order_status",
            "[('number', 10231)]",
            "'tell me a joke'                 -> none",
        ],
        "cv": ["5-fold cross-validation of 131 examples", "in-scope accuracy"],
        "review": [
            "after: {'the box came damaged': 'faq_returns', 'it arrived broken': 'faq_returns',"
            " 'can I swap it for another colour': 'faq_returns', 'klarna?': 'faq_payment',"
            " 'is the fish fresh': 'none'}",
            "added to nlu/intents.yml: ['- the box came damaged', '- it arrived broken',"
            " '- can I swap it for another colour', '- klarna?']",
        ],
        "tests": ["17 passed, 0 failed"],
        "few-shot": ["15 intents, 750 test messages, 8 trained models", "closed_set_top1"],
    },
}
EXPECTED["06-analytics.ipynb"] = {
    "simulated": ["300 conversations", "outcomes: {"],
    "outcomes": ["outcome", "end", "open"],
    "funnel": ["main.ask_size", "main.thanks", "1.000000"],
    "dropoff": ["drop-off matches the simulation: True"],
    "export": ["exported", "300 conversations", "same drop-off from Parquet: True"],
}
# Charts a notebook must show (Vega-Lite, rendered by JupyterLab itself, offline).
CHARTS = {"05-nlu.ipynb": 4, "06-analytics.ipynb": 5}
VEGA_LITE = "application/vnd.vegalite.v5+json"


def _text(cell: nbformat.NotebookNode) -> str:
    """Everything a code cell showed: streams, results and displays (plain or Markdown)."""
    parts = []
    for output in cell.get("outputs", []):
        if output.output_type == "stream":
            parts.append(output.text)
        elif "data" in output:
            data = output.data
            parts.append(data.get("text/markdown") or data.get("text/plain", ""))
    return "".join(parts)


def test_every_notebook_has_expectations() -> None:
    assert PATHS, f"no notebooks in {NOTEBOOKS}"
    assert {p.name for p in PATHS} <= set(EXPECTED), "add the new notebook to EXPECTED"


@pytest.mark.notebook
@pytest.mark.parametrize("path", PATHS, ids=[p.name for p in PATHS])
def test_notebook_runs(path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The kernel inherits the environment: its bots use a throwaway store, not BOT/.workbench/.
    monkeypatch.setenv("WORKBENCH_DB", f"sqlite:///{tmp_path / 'workbench.db'}")
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        kernel_name="python3",
        timeout=120,
        resources={"metadata": {"path": str(NOTEBOOKS)}},
    )
    client.execute()  # raises CellExecutionError, naming the cell, on any error

    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.execution_count for c in code), "some code cells did not run"
    errors = [o for c in code for o in c.outputs if o.output_type == "error"]
    assert not errors, errors

    charts = sum(VEGA_LITE in o.get("data", {}) for c in code for o in c.outputs)
    assert charts >= CHARTS.get(path.name, 0), f"{path.name}: {charts} charts shown"

    tagged = {tag: _text(c) for c in code for tag in c.metadata.get("tags", [])}
    for tag, needles in EXPECTED[path.name].items():
        assert tag in tagged, f"{path.name}: no cell tagged {tag!r}"
        for needle in needles:
            assert needle in tagged[tag], f"{path.name} [{tag}]: {needle!r} not in\n{tagged[tag]}"

"""The analytics dashboard's page, built in-process (the browser test drives it in Voilà):
figures follow the filters, an empty store shows an empty state, nothing raises."""

from __future__ import annotations

import base64
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

import workbench.analytics as wa
from tests.analytics.shop_kit import Played, played_shop, write_shop
from workbench.dashboards import DASHBOARDS, AnalyticsPage, notebook_path, page


@pytest.fixture
def shop(tmp_path: Path) -> Iterator[Played]:
    yield from played_shop(tmp_path)


def kpis(page: AnalyticsPage) -> dict[str, float]:
    return {
        k: float(v)
        for k, v in re.findall(r"data-kpi='(\w+)' data-value='([\d.]+)'", page.kpis.value)
    }


def test_the_page_shows_figures_and_follows_the_filters(shop: Played) -> None:
    shop.bot.simulate(30, seed=1, progress=False)
    assert shop.bot.path is not None
    view = page("analytics", shop.bot.path)
    assert isinstance(view, AnalyticsPage)
    assert kpis(view)["conversations"] == 37
    assert view.steps.value and view.graph is not None
    shown = {name: chart.to_dict()["datasets"] for name, chart in view.charts.items()}
    assert set(shown) == {"funnel", "dropoff", "fallback"} and all(shown.values())
    before = view.charts["dropoff"].to_dict()
    view.who.value = "real"
    assert kpis(view)["conversations"] == 7 and "real" in view.status.value
    assert view.charts["dropoff"].to_dict()["datasets"] != before["datasets"]  # redrawn
    view.who.value = "simulated"
    assert kpis(view)["conversations"] == 30
    view.channel.value = "web"
    assert kpis(view)["conversations"] == 30
    view.flow.value = "main"
    assert view.graph.flow == "main"
    overlaid = {n: d.data.get("overlay_value") for n, d in view.graph._nodes.items()}
    assert any(v for v in overlaid.values())  # the drop-off is on the graph
    view.who.value = "all"
    view.start.value = view.end.value = view.end.value.replace(year=2001)
    assert kpis(view)["conversations"] == 0
    assert "No conversation matches" in view.status.value


def test_unhandled_messages_download_as_csv(shop: Played) -> None:
    conv = shop.bot.conversation("zed")
    conv.say("qwxz vbnm")
    view = AnalyticsPage(shop.bot.path)
    assert "qwxz vbnm" in view.unhandled.value
    href = re.search(r"base64,([A-Za-z0-9+/=]+)", view.download.value)
    assert href is not None
    csv = base64.b64decode(href.group(1)).decode()
    assert csv.splitlines()[0].startswith("text,count") and "qwxz vbnm" in csv


def test_an_empty_store_shows_an_empty_state(tmp_path: Path) -> None:
    view = AnalyticsPage(write_shop(tmp_path / "shop"))
    assert "No conversations yet" in view.status.value
    assert view.body.layout.display == "none"


def test_failures_are_one_line_on_the_page(
    shop: Played, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    view = AnalyticsPage(shop.bot.path)

    def broken(*_args: object) -> None:
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(wa.Analytics, "funnel", broken)
    view.who.value = "real"
    assert "Something went wrong: RuntimeError: the disk is full" in view.status.value
    monkeypatch.undo()
    view.who.value = "all"
    assert "Showing" in view.status.value  # the page is still up
    asking = AnalyticsPage(None)
    assert "Type a bot folder" in asking.status.value
    asking.source_box.value = str(tmp_path / "missing")
    asking.open_button.click()
    assert "no such bot folder" in asking.status.value
    asking.source_box.value = str(shop.bot.path)
    asking.open_button.click()
    assert kpis(asking)["conversations"] == 7


def test_the_dashboards_notebook_is_found() -> None:
    assert set(DASHBOARDS) == {"analytics", "content"}
    assert notebook_path("analytics").name == "analytics.ipynb"
    assert notebook_path("content").name == "content_editor.ipynb"
    with pytest.raises(ValueError, match="no dashboard 'nope'"):
        notebook_path("nope")


def test_an_installed_package_writes_the_one_cell_notebook(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import nbformat

    from workbench.dashboards import _registry

    monkeypatch.setattr(_registry.workbench, "__file__", str(tmp_path / "site" / "x.py"))
    monkeypatch.setattr(_registry.tempfile, "gettempdir", lambda: str(tmp_path))
    path = notebook_path("analytics")
    assert path == tmp_path / "workbench-dashboards" / "analytics.ipynb"
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    assert notebook.cells[0].source.endswith("page('analytics', os.environ.get('WORKBENCH_BOT'))")

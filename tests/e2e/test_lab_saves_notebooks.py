"""JupyterLab saves a committed tutorial byte for byte as it is committed: the metadata the
notebook check asks for (``tests/notebooks/notebook_files.py``) is what JupyterLab writes."""

from __future__ import annotations

import shutil
from typing import Any

import pytest

from tests.e2e.conftest import Lab, open_notebook
from tests.notebooks.notebook_files import notebook_paths

pytestmark = pytest.mark.browser

DIRTY = "() => !document.querySelector('.jp-mod-dirty')"


def test_opening_and_saving_a_tutorial_changes_nothing(lab: Lab, browser: Any) -> None:
    committed = notebook_paths()[0]
    copy = lab.root / committed.name
    shutil.copy(committed, copy)
    before = copy.stat().st_mtime_ns
    page = open_notebook(browser, lab, committed.name)  # its kernel started: metadata updated
    page.keyboard.press("Control+s")
    page.wait_for_function(DIRTY, timeout=30_000)
    page.get_by_text("Saving completed").first.wait_for(timeout=30_000)
    assert copy.stat().st_mtime_ns > before, "JupyterLab did not save the notebook"
    assert copy.read_text() == committed.read_text()
    page.close()

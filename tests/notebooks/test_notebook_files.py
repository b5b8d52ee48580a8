"""The committed notebooks carry the metadata JupyterLab writes and no outputs, so running a
tutorial and saving it changes only what it ran (see ``notebook_files``)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.notebooks import notebook_files
from tests.notebooks.notebook_files import FIX, notebook_paths, problems, tidy

PATHS = notebook_paths()


@pytest.mark.parametrize("path", PATHS, ids=[p.name for p in PATHS])
def test_a_committed_notebook_is_as_jupyterlab_saves_it_without_outputs(path: Path) -> None:
    found = problems(path)
    assert not found, f"{path.relative_to(notebook_files.ROOT)} {', '.join(found)}: run {FIX}"


def test_tidy_fixes_a_notebook_that_was_run_and_saved(tmp_path: Path) -> None:
    run = tmp_path / "run.ipynb"
    shutil.copy(PATHS[0], run)
    text = run.read_text()
    ran = text.replace('"execution_count": null', '"execution_count": 1', 1)
    ran = ran.replace('"display_name": "Python 3 (Bot Workbench)"', '"display_name": "Py"')
    run.write_text(ran)
    assert problems(run) == [
        "has execution counts",
        "kernelspec is not {'display_name': 'Python 3 (Bot Workbench)', 'language': 'python', "
        "'name': 'python3'}",
    ]
    assert tidy(run) and problems(run) == [] and run.read_text() == text
    assert not tidy(run)

"""The committed notebooks as JupyterLab saves them, without outputs: running a tutorial in
``make lab`` and saving it then changes only what it ran (its outputs), not its metadata.

JupyterLab writes the kernel's ``kernelspec`` (the one ``make lab`` installs: see the Makefile)
and the ``language_info`` the kernel reports, through the Jupyter server, which writes the file
with ``nbformat`` (sorted keys, one-space indent, a final newline).

Tidy every notebook, from the repository root::

    .venv/bin/python -m tests.notebooks.notebook_files
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import nbformat

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
FIX = ".venv/bin/python -m tests.notebooks.notebook_files"
"""The one-line fix, run from the repository root."""

KERNELSPEC = {"display_name": "Python 3 (Bot Workbench)", "language": "python", "name": "python3"}
"""What JupyterLab writes for the kernel ``make lab`` installs (``ipykernel install --name
python3 --display-name ...`` in the Makefile)."""
LANGUAGE_INFO = {
    "codemirror_mode": {"name": "ipython", "version": 3},
    "file_extension": ".py",
    "mimetype": "text/x-python",
    "name": "python",
    "nbconvert_exporter": "python",
    "pygments_lexer": "ipython3",
}
"""ipykernel's ``language_info``, as JupyterLab saves it, but for ``version`` (the Python's)."""


def notebook_paths() -> list[Path]:
    """The committed notebooks: the tutorials and any Voilà dashboards beside them."""
    return sorted(p for p in NOTEBOOKS.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)


def _text(notebook: Any) -> str:
    text = nbformat.writes(notebook)  # type: ignore[no-untyped-call]
    return text if text.endswith("\n") else text + "\n"


def problems(path: Path) -> list[str]:
    """What differs from a notebook JupyterLab saved without running it."""
    text = path.read_text(encoding="utf-8")
    notebook = nbformat.reads(text, as_version=4)  # type: ignore[no-untyped-call]
    found = []
    code = [c for c in notebook.cells if c.cell_type == "code"]
    if any(c.outputs for c in code):
        found.append("has outputs")
    if any(c.execution_count is not None for c in code):
        found.append("has execution counts")
    if notebook.metadata.get("kernelspec") != KERNELSPEC:
        found.append(f"kernelspec is not {KERNELSPEC}")
    info = dict(notebook.metadata.get("language_info") or {})
    version = str(info.pop("version", ""))
    if info != LANGUAGE_INFO or not version.startswith("3."):
        found.append("language_info is not the one ipykernel reports")
    if not found and text != _text(notebook):
        found.append("is not written as the Jupyter server writes notebooks")
    return found


def tidy(path: Path) -> bool:
    """Clear outputs and execution counts, set the metadata JupyterLab writes (``version``:
    this Python's, unless the notebook has one); True if the file changed."""
    text = path.read_text(encoding="utf-8")
    notebook = nbformat.reads(text, as_version=4)  # type: ignore[no-untyped-call]
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    old = notebook.metadata.get("language_info") or {}
    version = old.get("version") or ".".join(map(str, sys.version_info[:3]))
    notebook.metadata["kernelspec"] = dict(KERNELSPEC)
    notebook.metadata["language_info"] = {**LANGUAGE_INFO, "version": version}
    tidied = _text(notebook)
    if tidied == text:
        return False
    path.write_text(tidied, encoding="utf-8")
    return True


def main() -> None:
    for path in notebook_paths():
        if tidy(path):
            print(f"tidied {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()

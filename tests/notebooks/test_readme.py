"""Every snippet of the README runs as written.

Each runs where the README says to run it, the repository root: here a scratch folder that
holds the repository's ``sample_bots`` (so what the snippets write, ``my_bot/``, ``mybot/``,
``model.npz``, lands there), on a throwaway store (``WORKBENCH_DB``). Python blocks run in a
fresh interpreter, and a comment that is a value (``print(conv.node)  # main.confirm``) is what
the line must print; the notebook snippet (its ``%load_ext``, ``%%flow`` and ``%%convo`` cells)
runs in a Jupyter kernel; the command-line block runs in bash, and the ``--json`` lines shown are
what it prints; the ``workbench serve`` commands serve the ``curl`` shown (on a free port; the
PostgreSQL one on the test database) and each ``workbench dashboard content`` line serves the
address it prints; the flow and the conversation test shown are checked against what they claim.
Not run: ``make lab`` / ``make test`` (``tests/e2e/test_make_lab.py`` runs ``make lab``; ``make
test`` would run this file) and the nginx example.
"""

from __future__ import annotations

import ast
import json
import os
import re
import shlex
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import nbformat
import pytest
import yaml
from nbclient import NotebookClient

import workbench as wb
from tests.conftest import ROOT, SAMPLE_BOTS
from tests.server.server_kit import free_port, wait_healthy
from workbench.cli._app import app

README = ROOT / "README.md"


@dataclass(frozen=True)
class Block:
    section: str
    lang: str
    code: str

    @property
    def cell(self) -> bool:
        """A notebook cell: it uses a magic (``%load_ext``, ``%%flow``...)."""
        return self.code.lstrip().startswith("%")


def blocks() -> list[Block]:
    found, section = [], ""
    pattern = re.compile(r"^## ([^\n]+)$|^```(\w*)\n(.*?)^```", re.M | re.S)
    for match in pattern.finditer(README.read_text()):
        if match.group(1):
            section = match.group(1)
        else:
            found.append(Block(section, match.group(2), match.group(3)))
    return found


BLOCKS = blocks()
NOTEBOOK_SECTIONS = sorted({b.section for b in BLOCKS if b.cell})
SCRIPTS = [b for b in BLOCKS if b.lang == "python" and b.section not in NOTEBOOK_SECTIONS]


def section(name: str, lang: str) -> list[Block]:
    return [b for b in BLOCKS if b.section == name and b.lang == lang]


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The scratch "repository root"; processes started from here use a throwaway store."""
    work = tmp_path / "repo"
    work.mkdir()
    (work / "sample_bots").symlink_to(SAMPLE_BOTS)
    monkeypatch.setenv("WORKBENCH_DB", f"sqlite:///{tmp_path / 'readme.db'}")
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
    return work


def claims(code: str) -> list[str]:
    """``print(x)  # value``: the values the README says these lines print."""
    found = []
    for line in code.splitlines():
        printed, _, comment = line.partition("#")
        comment = comment.strip()
        if not printed.strip().startswith("print(") or not comment:
            continue
        try:
            ast.literal_eval(comment)
        except (ValueError, SyntaxError):
            if not re.fullmatch(r"[a-z_]+\.[a-z_]+", comment):
                continue  # prose
        found.append(comment)
    return found


def test_the_readme_has_the_snippets_this_file_runs() -> None:
    assert len(SCRIPTS) >= 2 and "In a notebook" in NOTEBOOK_SECTIONS
    assert claims(SCRIPTS[0].code) == [
        "main.confirm",
        "{'size': 'large', 'toppings': ['ham', 'olives'], 'price': '15.00'}",
    ]


@pytest.mark.parametrize("block", SCRIPTS, ids=[f"{b.section}-{i}" for i, b in enumerate(SCRIPTS)])
def test_a_python_block_runs_and_prints_what_it_says(block: Block, root: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-c", block.code],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    for claim in claims(block.code):
        assert claim in lines, f"the README says {claim!r} is printed:\n{run.stdout}"


@pytest.mark.notebook
@pytest.mark.parametrize("name", NOTEBOOK_SECTIONS)
def test_a_notebook_snippet_runs_in_a_kernel(name: str, root: Path) -> None:
    """The blocks of a section that has cell magics are the cells of one notebook."""
    cells = [b.code for b in BLOCKS if b.section == name and b.lang in ("python", "yaml")]
    notebook = nbformat.v4.new_notebook()  # type: ignore[no-untyped-call]
    notebook.cells = [nbformat.v4.new_code_cell(c) for c in cells]  # type: ignore[no-untyped-call]
    NotebookClient(
        notebook, kernel_name="python3", timeout=300, resources={"metadata": {"path": str(root)}}
    ).execute()  # raises CellExecutionError, naming the cell, on any error
    outputs = [o for c in notebook.cells for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    if name != "In a notebook":
        return
    printed = "".join(o.text for o in outputs if o.output_type == "stream" and o.name == "stdout")
    assert "1 conversation test in 'orders_tea': bot.test() runs them" in printed
    assert "nodes covered: 1/1\n1 passed, 0 failed" in printed
    assert "Simulation of 'notebook_bot': 1,000 conversations" in printed
    saved = wb.Bot.load(root / "my_bot", db="memory://")
    assert saved.test().counts == "1 passed, 0 failed"  # its %%convo cell, in tests/


def test_the_command_line_block_runs(root: Path) -> None:
    (block,) = section("Command line", "bash")
    env = {
        **os.environ,
        "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"]]),
    }
    for line in block.code.splitlines():
        command = line.split("  #")[0].strip()
        run = subprocess.run(
            ["bash", "-c", command],
            cwd=root,
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert run.returncode == 0, (command, run.stdout, run.stderr)
        assert "Traceback" not in run.stderr, (command, run.stderr)


def test_the_tiny_flow_is_what_workbench_new_writes(root: Path) -> None:
    (flow,) = [b for b in section("A bot folder", "yaml") if b.code.startswith("start:")]
    run = subprocess.run(
        [sys.executable, "-m", "workbench", "new", "mybot"], cwd=root, check=True, timeout=120
    )
    assert run.returncode == 0
    written = (root / "mybot" / "flows" / "main.flow.yml").read_text()
    assert yaml.safe_load(flow.code) == yaml.safe_load(written)


def test_the_conversation_test_shown_passes_against_the_pizza_bot(tmp_path: Path) -> None:
    (convo,) = section("Conversation tests", "yaml")
    path = tmp_path / "readme.convo.yml"
    path.write_text(convo.code)
    report = wb.Bot.load(SAMPLE_BOTS / "pizza", db="memory://").test([path])
    assert report.counts == "2 passed, 0 failed", str(report)


def test_every_command_the_readme_names_exists() -> None:
    """The README promises only commands the CLI has (no ``workbench serve`` before it exists)."""
    named = set(re.findall(r"`workbench ([a-z]+)", README.read_text()))
    named |= {w for b in BLOCKS for w in re.findall(r"^workbench ([a-z]+)", b.code, re.M)}
    commands = {c.name or getattr(c.callback, "__name__", "") for c in app.registered_commands}
    commands |= {g.name or "" for g in app.registered_groups}
    assert named and named <= commands, named - commands


def _served(command: str, port: int) -> str:
    """A README ``serve`` command on a free port instead of 8000."""
    assert "--port 8000" in command, command
    return command.replace("--port 8000", f"--port {port}").replace("\\\n", " ")


def _run_production_blocks() -> tuple[list[str], str]:
    """The ``serve`` commands and the ``curl`` command of "Run in production"."""
    bash = [b.code for b in section("Run in production", "bash")]
    serves = [code for code in bash if "workbench serve" in code]
    (curl,) = [code for code in bash if code.startswith("curl")]
    return serves, curl


@pytest.mark.parametrize("store", ["sqlite", "postgresql"])
def test_the_server_commands_run_and_answer_the_curl_shown(
    store: str, root: Path, request: pytest.FixtureRequest
) -> None:
    """Each ``workbench serve`` command as written (on a free port; the PostgreSQL one on the
    test database instead of ``db.internal``) answers the README's ``curl`` with replies."""
    serves, curl = _run_production_blocks()
    (command,) = [c for c in serves if ("--db postgresql" in c) == (store == "postgresql")]
    port = free_port()
    command = _served(command, port)
    if store == "postgresql":
        shown = re.search(r"--db (\S+)", command)
        assert shown is not None
        url = request.getfixturevalue("pg_schema_url")
        command = command.replace(shown.group(1), shlex.quote(url))
    server = _in_background(command, root, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_healthy(server, f"http://127.0.0.1:{port}", 60.0, lambda: server.communicate()[1])
        asked = curl.replace("localhost:8000", f"localhost:{port}").replace("\\\n", " ")
        run = subprocess.run(
            ["bash", "-c", asked], capture_output=True, text=True, timeout=60, check=True
        )
        replies = json.loads(run.stdout)["replies"]
        assert replies and all(reply["text"] for reply in replies), run.stdout
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.communicate(timeout=30)


def test_the_json_lines_shown_are_what_chat_prints(root: Path) -> None:
    """The ``--json`` lines shown under "Command line" are what ``printf 'hi\\nlarge\\n' |
    workbench chat sample_bots/pizza --json`` prints (``...`` stands for the rest of a list)."""
    (shown,) = section("Command line", "")
    (command,) = [
        line.split("  #")[0].strip()
        for line in section("Command line", "bash")[0].code.splitlines()
        if "--json" in line
    ]
    env = {
        **os.environ,
        "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"]]),
    }
    run = subprocess.run(
        ["bash", "-c", command], cwd=root, env=env, capture_output=True, text=True, check=True
    )
    printed = [json.loads(line) for line in run.stdout.splitlines()]
    expected = shown.code.splitlines()
    assert len(printed) == len(expected), run.stdout
    greetings = _greetings()
    for reply, claim in zip(printed, expected, strict=True):
        head, dots, _ = claim.partition(", ...]")
        if dots:
            assert json.dumps(reply, ensure_ascii=False).startswith(head), (reply, claim)
        elif reply["text"] in greetings:  # one of the greeting's variations, at random
            assert json.loads(claim) | {"text": reply["text"]} == reply
            assert json.loads(claim)["text"] in greetings
        else:
            assert json.loads(claim) == reply


def _greetings() -> set[str]:
    """What the pizza bot may say first to a new user (its greeting has variations)."""
    bot = wb.Bot.load(SAMPLE_BOTS / "pizza", db="memory://")
    said = set()
    for seed in range(20):
        bot.rng.seed(seed)
        said.add(bot.conversation(f"u{seed}").say("hi")[0].text)
    return said


def _dashboard_commands() -> list[str]:
    (block,) = section("For content editors", "bash")
    lines = [line.split("  #")[0].strip() for line in block.code.splitlines()]
    return [line for line in lines if line.startswith("workbench dashboard")]


@pytest.mark.parametrize("command", _dashboard_commands())
def test_a_content_editor_command_serves_the_address_it_prints(command: str, root: Path) -> None:
    """Each ``workbench dashboard content`` line (``BOT`` being the pizza bot, on a free port,
    without opening a browser here) prints an address whose page Voilà serves."""
    port = free_port()
    command = command.replace(" BOT ", " sample_bots/pizza ").replace("--port 8870", "")
    command += f" --port {port}" + ("" if "--no-browser" in command else " --no-browser")
    server = _in_background(
        command,
        root,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        JUPYTER_RUNTIME_DIR=str(root / ".runtime"),
    )
    assert server.stdout is not None
    try:
        printed = server.stdout.readline()
        address = re.search(rf"http://\S+:{port}/\S*", printed)
        assert address is not None, printed
        page = address.group(0).replace("0.0.0.0", "127.0.0.1")
        deadline = time.monotonic() + 120
        while not _answers(page):
            assert server.poll() is None and time.monotonic() < deadline, f"{page} not served"
            time.sleep(0.1)  # polling a condition, with a bound
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.communicate(timeout=60)


def _answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=60).status_code == 200
    except httpx.TransportError:
        return False


def _in_background(
    command: str, root: Path, *, stdout: int, stderr: int, **env: str
) -> subprocess.Popen[str]:
    """A README command run by bash in ``root``, this venv's commands first on the PATH, in its
    own process group (so that stopping the group stops all it started)."""
    path = os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"]])
    return subprocess.Popen(
        ["bash", "-c", command],
        cwd=root,
        env={**os.environ, "PATH": path, **env},
        stdout=stdout,
        stderr=stderr,
        text=True,
        start_new_session=True,
    )

"""``workbench dashboard content BOT``: the page Voilà serves, its notebook for plain ``voila``,
and the token every request needs when the dashboard listens on another address than
127.0.0.1 (a real Voilà 0.5 server)."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import ROOT
from workbench.dashboards import DASHBOARDS, dashboard_notebook, voila_command

NOTEBOOK = ROOT / "notebooks" / "dashboards" / "content_editor.ipynb"


def test_the_notebook_for_plain_voila_is_the_served_page_without_outputs() -> None:
    committed = json.loads(NOTEBOOK.read_text())
    served = dashboard_notebook("content", default_bot="../../sample_bots/pizza")
    assert _cells(committed) == _cells(served)  # (metadata: as JupyterLab saves it)
    code = [c for c in committed["cells"] if c["cell_type"] == "code"]
    assert len(code) == 1 and code[0]["outputs"] == [] and code[0]["execution_count"] is None
    source = "".join(code[0]["source"])
    assert (NOTEBOOK.parent / source.split("'")[-2] / "bot.yml").is_file()


def test_the_content_editor_runs_in_a_kernel_heated_in_advance() -> None:
    assert DASHBOARDS["content"].preheat
    command = voila_command(Path("x.ipynb"), port=1, host="127.0.0.1")
    assert "--show_tracebacks=False" in command and "--preheat_kernel=True" not in command
    heated = voila_command(Path("x.ipynb"), port=1, host="127.0.0.1", preheat=True)
    assert "--preheat_kernel=True" in heated


def _free_port(host: str) -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def _status(url: str) -> int:
    """The HTTP status of a GET, redirects not followed."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *_args: object, **_kwargs: object) -> None:
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(url, timeout=60) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def test_another_address_than_localhost_requires_the_token(pizza: Path, tmp_path: Path) -> None:
    host = "127.0.0.2"  # another address than 127.0.0.1, still on this machine
    port = _free_port(host)
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(p for p in [str(ROOT), os.environ.get("PYTHONPATH")] if p),
        "WORKBENCH_DB": f"sqlite:///{tmp_path / 'wb.db'}",
        "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"),
    }
    command = [sys.executable, "-m", "workbench", "dashboard", "content", str(pizza)]
    command += ["--host", host, "--port", str(port), "--no-browser"]
    server = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert server.stdout is not None and server.stderr is not None
    drain = threading.Thread(target=lambda: list(server.stderr or ()), daemon=True)
    try:
        printed = server.stdout.readline()
        assert f"http://{host}:{port}/?token=" in printed, printed
        token = printed.split("token=", 1)[1].split()[0]
        for line in server.stderr:  # until Voilà says it is serving
            if f"{host}:{port}" in line:
                break
        else:
            pytest.fail(f"Voilà did not start (exit {server.wait()})")
        drain.start()  # keep reading its log, so that it never blocks on a full pipe
        base = f"http://{host}:{port}/"
        assert _status(base) == 302  # to the login page
        assert _status(f"{base}?token=wrong") == 302
        assert _status(f"{base}api/kernels") in (302, 403)
        assert _status(f"{base}?token={token}") == 200
    finally:
        server.send_signal(signal.SIGTERM)
        code = server.wait(timeout=60)
        if drain.ident is not None:  # started
            drain.join(timeout=30)
        server.stdout.close()
        server.stderr.close()
    assert code == 128 + signal.SIGTERM  # it ended on the signal...
    with socket.socket() as sock:  # ...and stopped Voilà first: nothing listens there now
        assert sock.connect_ex((host, port)) != 0


def _cells(notebook: dict[str, object]) -> list[object]:
    cells = notebook["cells"]
    assert isinstance(cells, list)
    return [
        {k: ("".join(v) if isinstance(v, list) and k == "source" else v) for k, v in c.items()}
        for c in cells
    ]

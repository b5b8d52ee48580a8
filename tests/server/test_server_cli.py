"""``workbench serve`` refuses what cannot work, with a clear message and exit code 1 (and
nothing listening)."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from workbench.cli._app import app


def test_serve_refuses_a_folder_that_is_not_a_bot(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["serve", str(tmp_path)])
    assert result.exit_code == 1 and "not a bot folder" in result.output
    missing = CliRunner().invoke(app, ["serve", str(tmp_path / "piza")])
    assert missing.exit_code == 1 and missing.output == f"{tmp_path / 'piza'}: no such bot folder\n"


def test_serve_names_the_file_and_line_of_a_broken_bot(echo_bot: Path) -> None:
    (echo_bot / "flows" / "main.flow.yml").write_text("start: nowhere\nnodes:\n  a: {}\n")
    result = CliRunner().invoke(app, ["serve", str(echo_bot), "--db", "memory://"])
    assert result.exit_code == 1
    assert "main.flow.yml:1" in result.output and "Traceback" not in result.output


def test_several_workers_need_a_shared_store(echo_bot: Path) -> None:
    result = CliRunner().invoke(
        app, ["serve", str(echo_bot), "--workers", "2", "--db", "memory://"]
    )
    assert result.exit_code == 1 and "shared store" in result.output

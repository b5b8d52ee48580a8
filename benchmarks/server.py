"""Server benchmark: ``workbench serve`` over HTTP, side by side with botbuilder-dialogs on aiohttp.

    python benchmarks/server.py [--quick] [--seconds S] [--pg URL]

Prints one JSON object on stdout (progress on stderr). For each store (SQLite file, PostgreSQL,
and the memory store as botbuilder's ``MemoryStorage`` peer), 1 and 2 worker processes, and 8,
64 and 200 concurrent conversations: turns/s, p50 and p99 latency (ms) and errors, with the
RSS of each worker after the load. Every user plays full pizza orders (``_scenario``: 7 turns
each, NLU included), one message after the other on a keep-alive connection, from a lean
asyncio client in this process (``_http_load``). The first conversation's replies are checked
against the expected ones before any figure counts.

CPU per turn is measured for the server's processes, for the load generator (this process) and,
on PostgreSQL, for the database's backend processes of the run's database. The load generator
shares the machine with the servers: on 2 cores, 2 workers, the client and PostgreSQL compete
for them. ``two_cores`` says from those costs what the machine's cores allow at most (1 and 2
workers, and so the best 2-worker speedup); ``model_16`` extrapolates the PostgreSQL costs to 16
instances on cores of their own, and the PostgreSQL cores they would need.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from typing import Any

import sqlalchemy
from _http_load import Load, run_load
from _processes import CHILD_ENV
from _scenario import check_replies

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PIZZA = ROOT / "sample_bots" / "pizza"
WARMUP_S = 1.0
FLOORS = {
    "turns_per_s_at_8": 2000,
    "p99_ms_at_8": 20,
    "vs_botbuilder": 3.0,
    "rss_mb_per_worker": 80,
    "two_workers_speedup_pg": 1.8,
}


def log(*parts: object) -> None:
    print(*parts, file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_ready(url: str, process: subprocess.Popen[bytes], seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as answer:
                if answer.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer in {seconds} s")


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    found = [int(p) for p in text.split()]
    return found + [grand for child in found for grand in _children(child)]


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def workers_of(pid: int) -> list[int]:
    """The processes that serve: uvicorn's workers (spawned children), else the server itself."""
    workers = []
    for child in _children(pid):
        try:
            command = Path(f"/proc/{child}/cmdline").read_bytes()
        except OSError:
            continue
        if b"multiprocessing" in command and b"resource_tracker" not in command:
            workers.append(child)
    return workers or [pid]


def summarise(load: Load, started_ns: int, seconds: float) -> dict[str, Any]:
    """Turns that ended after the warm-up, per second; nearest-rank percentiles."""
    begin = started_ns + int(WARMUP_S * 1e9)
    latencies = sorted(
        lat for end, lat in zip(load.ends, load.latencies, strict=True) if end >= begin
    )
    window = seconds - WARMUP_S
    if not latencies:
        return {"turns": 0, "errors": load.errors}

    def percentile(q: float) -> float:
        return round(latencies[max(0, int(q * len(latencies) + 0.999999) - 1)] / 1e6, 2)

    return {
        "turns": len(latencies),
        "turns_per_s": round(len(latencies) / window, 1),
        "p50_ms": percentile(0.50),
        "p99_ms": percentile(0.99),
        "errors": load.errors,
    }


def database_backends(url: str) -> list[int]:
    """The PostgreSQL server processes serving connections to ``url``'s database (its own CPU
    per turn; the server runs on this machine)."""
    engine = sqlalchemy.create_engine(url)
    try:
        with engine.connect() as conn:
            rows = conn.exec_driver_sql(
                "SELECT pid FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            ).all()
    finally:
        engine.dispose()
    return [int(row[0]) for row in rows]


def _cpu_of(pids: list[int]) -> dict[int, float]:
    found = {}
    for pid in pids:
        try:
            found[pid] = _cpu_seconds(pid)
        except OSError:  # gone
            pass
    return found


def measure(
    port: int,
    pids: list[int],
    label: str,
    concurrencies: list[int],
    seconds: float,
    pg: str | None = None,
) -> dict[str, Any]:
    """Each concurrency's figures. CPU per turn: the server's processes, this process (the load
    generator), and with ``pg`` the PostgreSQL backends of its database."""
    points: dict[str, Any] = {}
    for concurrency in concurrencies:
        db_before = _cpu_of(database_backends(pg)) if pg else {}
        cpu_before = sum(_cpu_seconds(p) for p in pids)
        client_before = time.process_time()
        started = time.perf_counter_ns()
        load = run_load(port, f"{label}-{concurrency}-{uuid.uuid4().hex[:6]}", concurrency, seconds)
        client = time.process_time() - client_before
        cpu = sum(_cpu_seconds(p) for p in pids) - cpu_before
        point = summarise(load, started, seconds)
        turns = len(load.latencies)
        point["server_cpu_ms_per_turn"] = round(cpu * 1000 / turns, 3) if turns else None
        point["client_cpu_ms_per_turn"] = round(client * 1000 / turns, 3) if turns else None
        if pg and turns:
            db_after = _cpu_of(database_backends(pg))
            db_cpu = sum(after - db_before.get(pid, 0.0) for pid, after in db_after.items())
            point["postgres_cpu_ms_per_turn"] = round(db_cpu * 1000 / turns, 3)
        if load.first:
            check_replies(label, load.first)
        points[str(concurrency)] = point
        log(f"  {label} x{concurrency}: {point}")
    points["rss_mb_per_worker"] = [_rss_mb(p) for p in pids]
    return points


def serve_workbench(bot: Path, db: str, workers: int) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    command = [
        str(Path(sys.executable).parent / "workbench"), "serve", str(bot), "--db", db,
        "--port", str(port), "--workers", str(workers), "--janitor-interval", "0",
    ]  # fmt: skip
    process = subprocess.Popen(
        command, env=CHILD_ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    wait_ready(f"http://127.0.0.1:{port}", process)
    return process, port


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def pg_schema(url: str) -> tuple[str, str]:
    """A fresh schema in the database at ``url``, and the URL that uses it."""
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    engine = sqlalchemy.create_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    engine.dispose()
    separator = "&" if "?" in url else "?"
    return schema, f"{url}{separator}options=-csearch_path%3D{schema}"


def drop_schema(url: str, schema: str) -> None:
    engine = sqlalchemy.create_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
    engine.dispose()


def run_workbench(args: argparse.Namespace, scratch: Path) -> dict[str, Any]:
    bot = scratch / "pizza"
    shutil.copytree(PIZZA, bot, ignore=shutil.ignore_patterns(".workbench"))
    # train the NLU model once (as a deploy would): workers then read it from the bot's cache,
    # and no worker's RSS holds what training needed
    warm = f"import workbench as wb; wb.Bot.load({str(bot)!r}, db='memory://')"
    subprocess.run([sys.executable, "-c", warm], env=CHILD_ENV, check=True)
    results: dict[str, Any] = {}
    for store in args.stores:
        for workers in args.workers:
            if store == "memory" and workers > 1:
                continue  # one process's memory: conversations cannot move between workers
            schema = None
            if store == "sqlite":
                db = f"sqlite:///{scratch / f'bench-{workers}.db'}"
            elif store == "postgres":
                schema, db = pg_schema(args.pg)
            else:
                db = "memory://"
            log(f"workbench serve: {store}, {workers} worker(s)")
            process, port = serve_workbench(bot, db, workers)
            try:
                pids = workers_of(process.pid)
                results[f"{store}/{workers}w"] = measure(
                    port,
                    pids,
                    f"{store}-{workers}w",
                    args.concurrency,
                    args.seconds,
                    pg=db if store == "postgres" else None,
                )
            finally:
                stop(process)
                if schema is not None:
                    drop_schema(args.pg, schema)
    return results


def run_botbuilder(args: argparse.Namespace) -> dict[str, Any]:
    try:
        import aiohttp  # noqa: F401
        import botbuilder.dialogs  # noqa: F401
    except ImportError as exc:
        return {"skipped": f"{exc}: run it with `make bench` (its venv has extra [bench])"}
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, str(HERE / "_botbuilder_server.py"), str(port)],
        env=CHILD_ENV, cwd=HERE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        wait_ready(f"http://127.0.0.1:{port}", process)
        log("botbuilder-dialogs on aiohttp (MemoryStorage)")
        return {
            "memory/1w": measure(port, [process.pid], "botbuilder", args.concurrency, args.seconds)
        }
    finally:
        stop(process)


def ratios(workbench: dict[str, Any], botbuilder: dict[str, Any]) -> dict[str, Any]:
    def tps(result: dict[str, Any] | None, concurrency: int) -> float | None:
        point = (result or {}).get(str(concurrency)) or {}
        value = point.get("turns_per_s")
        return float(value) if value else None

    found: dict[str, Any] = {}
    for concurrency in (8, 64, 200):
        ours, theirs = (
            tps(workbench.get("memory/1w"), concurrency),
            tps(botbuilder.get("memory/1w"), concurrency),
        )
        if ours and theirs:
            found[f"vs_botbuilder_memory_at_{concurrency}"] = round(ours / theirs, 2)
        one, two = (
            tps(workbench.get("postgres/1w"), concurrency),
            tps(workbench.get("postgres/2w"), concurrency),
        )
        if one and two:
            found[f"two_workers_speedup_pg_at_{concurrency}"] = round(two / one, 2)
    return found


def _costs(result: dict[str, Any]) -> dict[str, float] | None:
    """Median CPU ms per turn (server, client, PostgreSQL) over a result's concurrencies."""
    points = [p for name, p in result.items() if name.isdigit() and p.get("server_cpu_ms_per_turn")]
    if not points:
        return None
    return {
        part: statistics.median(p.get(f"{part}_cpu_ms_per_turn") or 0.0 for p in points)
        for part in ("server", "client", "postgres")
    }


def two_cores(workbench: dict[str, Any], cores: int) -> dict[str, Any]:
    """What this machine's cores allow, from the measured CPU per turn: one worker runs on one
    core at most (the GIL); the server, the load generator and PostgreSQL share ``cores``."""
    found: dict[str, Any] = {}
    for store in ("memory", "sqlite", "postgres"):
        costs = _costs(workbench.get(f"{store}/1w") or {})
        if costs is None:
            continue
        everything = costs["server"] + costs["client"] + costs["postgres"]
        one = min(1000 / costs["server"], cores * 1000 / everything)
        two = min(2 * 1000 / costs["server"], cores * 1000 / everything)
        found[store] = {
            "cpu_ms_per_turn": {k: round(v, 3) for k, v in costs.items()},
            "turns_per_s_1_worker_at_most": round(one),
            "turns_per_s_2_workers_at_most": round(two),
            "two_workers_speedup_at_most": round(two / one, 2),
        }
    return found


def model_16(workbench: dict[str, Any]) -> dict[str, Any]:
    """16 instances, each a worker on a core of its own, on one PostgreSQL: turns/s = 16 / the
    measured server CPU per turn, and the cores PostgreSQL needs for that at its measured CPU
    per turn (its host's; its disk is not modelled)."""
    costs = [
        c
        for key, result in workbench.items()
        if key.startswith("postgres") and (c := _costs(result))
    ]
    if not costs:
        return {}
    per_turn = statistics.median(c["server"] for c in costs)
    database = statistics.median(c["postgres"] for c in costs)
    total = 16 * 1000 / per_turn
    return {
        "server_cpu_ms_per_turn_pg": round(per_turn, 3),
        "postgres_cpu_ms_per_turn": round(database, 3),
        "turns_per_s_per_core": round(1000 / per_turn),
        "turns_per_s_16_instances": round(total),
        "postgres_cores_needed": round(total * database / 1000, 1),
        "assumes": "one worker per core, the load balancer and PostgreSQL on other hosts",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="8 concurrent only, 3 s per point")
    parser.add_argument("--seconds", type=float, default=6.0, help="per point (1 s warm-up)")
    parser.add_argument(
        "--pg",
        default=os.environ.get(
            "WORKBENCH_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
        ),
    )
    parser.add_argument("--stores", default="memory,sqlite,postgres")
    parser.add_argument("--no-botbuilder", action="store_true")
    args = parser.parse_args()
    args.stores = args.stores.split(",")
    args.workers = [1, 2]
    args.concurrency = [8] if args.quick else [8, 64, 200]
    if args.quick:
        args.seconds = 3.0
    with tempfile.TemporaryDirectory() as scratch:
        workbench = run_workbench(args, Path(scratch))
    botbuilder = {} if args.no_botbuilder else run_botbuilder(args)
    sqlite_8 = (workbench.get("sqlite/1w") or {}).get("8") or {}
    print(
        json.dumps(
            {
                "cpus": os.cpu_count(),
                "load_average": os.getloadavg(),
                "seconds_per_point": args.seconds,
                "workbench": workbench,
                "botbuilder_aiohttp": botbuilder,
                "ratios": ratios(workbench, botbuilder),
                "two_cores": two_cores(workbench, os.cpu_count() or 1),
                "model_16_instances": model_16(workbench),
                "floors": FLOORS,
                "sqlite_1w_at_8": sqlite_8,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()

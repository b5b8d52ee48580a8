"""Analytics benchmark: an ordered funnel and drop-off per node over N synthetic events.

    python benchmarks/analytics.py [--events 10000000] [--runs 3] [--data DIR] [--no-stores]
                                   [--no-turns] [--pg URL]

Prints one JSON object on stdout (progress on stderr). Side by side, in this one process:

- ``funnel``: conversations that reached ``main.ask_size``, then ``main.confirm``, then
  ``main.thanks``, in that order, per day (the day each reached the first step);
- ``dropoff``: conversations by the node they stopped at without reaching END;

each computed (a) with ``wb.analytics`` from the Parquet set ``workbench export`` writes
(``open`` included), and (b) with the best vectorised pandas of the same computation, reading
the same Parquet files (``read_parquet`` of the needed columns, with pyarrow's filter pushdown,
included). Both results are checked equal. Then the same answers from a SQLite store and a
PostgreSQL store holding the same rows (``open`` copies them into DuckDB: its time is reported
apart), and the engine's pizza turns/s with transcripts written and not.

Each figure is the median of ``--runs`` runs: wall seconds and CPU seconds of the process
(DuckDB's threads included; on this 2-core VM, shared with other work, the CPU seconds move less
than the wall time). The load average is reported. The synthetic rows are made once and kept in
``--data`` (default: a folder in the temp directory).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from _analytics_data import generate  # noqa: E402
from _analytics_pandas import pandas_dropoff, pandas_funnel  # noqa: E402
from _analytics_stores import fill_postgres, fill_sqlite  # noqa: E402

import workbench.analytics as wa  # noqa: E402

STEPS = ["main.ask_size", "main.confirm", "main.thanks"]
PG_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/wt_analytics_test"


def log(message: str) -> None:
    print(f"[analytics] {message}", file=sys.stderr, flush=True)


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def timed(runs: int, work: Callable[[], Any], warm: bool = True) -> tuple[dict[str, Any], Any]:
    """Median wall and CPU seconds of ``runs`` calls (after one untimed call: imports and the
    file cache warm for DuckDB as for pandas), and the last call's result."""
    walls, cpus, result = [], [], None
    if warm:
        work()
    for _ in range(runs):
        wall, cpu = time.perf_counter(), cpu_seconds()
        result = work()
        walls.append(time.perf_counter() - wall)
        cpus.append(cpu_seconds() - cpu)
    figures = {
        "wall_s": round(statistics.median(walls), 3),
        "cpu_s": round(statistics.median(cpus), 3),
        "runs_wall_s": [round(w, 3) for w in walls],
    }
    return figures, result


def duck_funnel(source: str) -> pd.DataFrame:
    with wa.open(source, progress=False) as a:
        return a.funnel(STEPS, by="day")


def duck_dropoff(source: str) -> pd.DataFrame:
    with wa.open(source, progress=False) as a:
        return a.dropoff()


def same_funnel(duck: pd.DataFrame, panda: pd.DataFrame) -> bool:
    left = duck[["day", "step", "conversations"]].sort_values(["day", "step"])
    right = panda[["day", "step", "conversations"]].sort_values(["day", "step"])
    return bool(
        (left["day"].to_numpy() == right["day"].to_numpy()).all()
        and (left["step"].to_numpy() == right["step"].to_numpy()).all()
        and (left["conversations"].to_numpy() == right["conversations"].to_numpy()).all()
    )


def same_dropoff(duck: pd.DataFrame, panda: pd.DataFrame) -> bool:
    return dict(zip(duck.node, duck.conversations, strict=True)) == dict(
        zip(panda.node, panda.conversations, strict=True)
    )


def side_by_side(folder: Path, runs: int) -> dict[str, Any]:
    """DuckDB from Parquet against pandas, both answers, results checked equal."""
    source = str(folder)
    out: dict[str, Any] = {}
    for name, duck, panda, same in (
        ("funnel", lambda: duck_funnel(source), lambda: pandas_funnel(folder, STEPS), same_funnel),
        ("dropoff", lambda: duck_dropoff(source), lambda: pandas_dropoff(folder), same_dropoff),
    ):
        log(f"{name}: DuckDB from Parquet")
        duck_figures, duck_result = timed(runs, duck)
        log(f"{name}: pandas")
        panda_figures, panda_result = timed(runs, panda)
        out[name] = {
            "duckdb_parquet": duck_figures,
            "pandas": panda_figures,
            "speedup_wall": round(panda_figures["wall_s"] / duck_figures["wall_s"], 2),
            "speedup_cpu": round(panda_figures["cpu_s"] / duck_figures["cpu_s"], 2),
            "same_result": same(duck_result, panda_result),
        }
    both = out["funnel"]["duckdb_parquet"]["wall_s"] + out["dropoff"]["duckdb_parquet"]["wall_s"]
    out["floors"] = {
        "duckdb_parquet_each_under_1s": all(
            out[n]["duckdb_parquet"]["wall_s"] < 1.0 for n in ("funnel", "dropoff")
        ),
        "duckdb_parquet_both_s": round(both, 3),
        "at_least_3x_pandas": all(out[n]["speedup_wall"] >= 3.0 for n in ("funnel", "dropoff")),
    }
    return out


def over_store(url: str, runs: int) -> dict[str, Any]:
    """Open a store (its rows copied into DuckDB), then the two answers on that copy."""
    opened, analytics = timed(1, lambda: wa.open(url, progress=False), warm=False)
    rows = int(analytics.sql("SELECT count(*) AS n FROM events").n[0])
    funnel, _ = timed(runs, lambda: analytics.funnel(STEPS, by="day"))
    dropoff, _ = timed(runs, analytics.dropoff)
    analytics.close()
    return {
        "open": {**opened, "rows_per_s": round(rows / opened["wall_s"])},
        "funnel_after_open": funnel,
        "dropoff_after_open": dropoff,
    }


def stores(folder: Path, data: Path, events: int, runs: int, pg: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    sqlite_path = data / f"store-{events}.db"
    if not sqlite_path.exists():
        log(f"filling the SQLite store {sqlite_path}")
        fill_sqlite(folder, sqlite_path)
    log("SQLite store")
    out["sqlite"] = over_store(f"sqlite:///{sqlite_path}", runs)
    schema = f"bench_{events}"
    url = f"{pg}?options=-csearch_path%3D{schema}"
    try:
        import psycopg

        from workbench.analytics._postgres import connect_kwargs

        with psycopg.connect(**connect_kwargs(pg), autocommit=True) as db:
            exists = db.execute(
                "SELECT count(*) FROM information_schema.tables "
                "WHERE table_schema = %s AND table_name = 'wb_events'",
                [schema],
            ).fetchone()
            db.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
        filled = False
        if exists and exists[0]:
            with wa.open(url, progress=False) as probe:
                filled = int(probe.sql("SELECT count(*) AS n FROM events").n[0]) > 0
        if not filled:
            log(f"filling the PostgreSQL store (schema {schema})")
            fill_postgres(folder, url)
        log("PostgreSQL store")
        out["postgres"] = over_store(url, runs)
    except Exception as error:  # no server: say so in the figures
        out["postgres"] = {"error": f"{type(error).__name__}: {error}"}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--data", type=Path, default=Path(tempfile.gettempdir()) / "wb-bench")
    parser.add_argument("--no-stores", action="store_true")
    parser.add_argument("--no-turns", action="store_true")
    parser.add_argument("--pg", default=os.environ.get("WORKBENCH_BENCH_PG", PG_DEFAULT))
    args = parser.parse_args()
    folder = args.data / f"parquet-{args.events}"
    if not (folder / "conversations.parquet").exists():
        log(f"generating {args.events:,} events in {folder}")
        generate(folder, args.events)
    events = pq_rows(folder)
    result: dict[str, Any] = {
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "load_average_start": [round(x, 2) for x in os.getloadavg()],
        },
        "events": events,
        "conversations": int(pd.read_parquet(folder / "conversations.parquet").shape[0]),
        "parquet_mb": round(sum(p.stat().st_size for p in folder.rglob("*.parquet")) / 1e6, 1),
        "funnel_steps": STEPS,
    }
    result.update(side_by_side(folder, args.runs))
    if not args.no_stores:
        result["stores"] = stores(folder, args.data, args.events, args.runs, args.pg)
    if not args.no_turns:
        from _analytics_turns import transcripts_on_off

        log("engine turns with transcripts on and off")
        result["turns"] = transcripts_on_off()
    result["machine"]["load_average_end"] = [round(x, 2) for x in os.getloadavg()]
    print(json.dumps(result, indent=2))


def pq_rows(folder: Path) -> int:
    import pyarrow.parquet as pq

    return sum(pq.ParquetFile(p).metadata.num_rows for p in (folder / "events").glob("*.parquet"))


if __name__ == "__main__":
    main()

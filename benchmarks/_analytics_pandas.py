"""The benchmark's answers in pandas: the best vectorised version we could write (no row-wise
``apply``), reading the same Parquet files as DuckDB (only the columns needed, rows filtered by
pyarrow while reading). They compute what ``wb.analytics`` computes (see ``_views.py``)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd


def pandas_funnel(folder: Path, steps: list[str]) -> pd.DataFrame:
    """``day, step, conversations``: conversations reaching each step after the previous ones,
    by the day (UTC) each reached the first step. One merge and group-by per step: the first
    row of the step after the previous step's row."""
    names = sorted({step.split(".", 1)[1] for step in steps})
    rows = pd.read_parquet(
        folder / "events",
        columns=["id", "conversation_id", "ts", "flow", "node"],
        filters=[("type", "==", "node"), ("node", "in", names)],
    )
    place = rows["flow"] + "." + rows["node"]
    first = rows[place == steps[0]]
    first = first.loc[first.groupby("conversation_id", sort=False)["id"].idxmin()]
    day = pd.to_datetime(first["ts"], unit="s").dt.floor("D")
    days = pd.DataFrame({"conversation_id": first["conversation_id"].to_numpy(), "day": day})
    counts = [days.groupby("day").size()]
    current = pd.DataFrame({"conversation_id": first["conversation_id"], "t": first["id"]})
    for step in steps[1:]:
        hits = rows.loc[place == step, ["conversation_id", "id"]]
        later = hits.merge(current, on="conversation_id")
        later = later[later["id"] > later["t"]]
        current = later.groupby("conversation_id", sort=False)["id"].min().rename("t").reset_index()
        counts.append(current.merge(days, on="conversation_id").groupby("day").size())
    table = pd.concat(counts, axis=1, keys=range(1, len(steps) + 1)).fillna(0).astype("int64")
    frame = table.stack().rename("conversations").reset_index()
    frame.columns = ["day", "step", "conversations"]
    return frame


def pandas_dropoff(folder: Path) -> pd.DataFrame:
    """``node, conversations``: conversations not ended by the user's message, by the last node
    entered up to the turn of the user's last message."""
    rows = pd.read_parquet(
        folder / "events",
        columns=["conversation_id", "id", "turn", "type", "flow", "node"],
        filters=[("type", "!=", "bot")],
    )
    stored = pd.read_parquet(
        folder / "conversations.parquet", columns=["conversation_id", "turn", "has_session"]
    ).set_index("conversation_id")
    key = "conversation_id"
    last_row_turn = rows.groupby(key, sort=False)["turn"].max()
    kind = rows["type"]
    last_user_turn = rows[kind == "user"].groupby(key, sort=False)["turn"].max()
    last_error_turn = rows[kind == "turn_error"].groupby(key, sort=False)["turn"].max()
    nodes = rows.loc[kind == "node", [key, "id", "turn", "flow", "node"]]
    nodes = nodes[nodes["turn"] <= nodes[key].map(last_user_turn)]
    last = nodes.loc[nodes.groupby(key, sort=False)["id"].idxmax()]
    last_node = pd.Series((last["flow"] + "." + last["node"]).to_numpy(), index=last[key])
    per = pd.DataFrame({"last_row_turn": last_row_turn})
    per = per.join(stored, how="left")
    turns = np.maximum(per["turn"].fillna(0), per["last_row_turn"])
    user_turn = last_user_turn.reindex(per.index)
    error_turn = last_error_turn.reindex(per.index)
    error = error_turn.notna() & (error_turn >= turns)
    is_open = per["has_session"].fillna(True).astype(bool)
    ended = ~error & ~is_open & ~(user_turn.fillna(0) < turns)
    stopped = last_node.reindex(per.index[~ended.to_numpy()]).dropna()
    counts = stopped.value_counts()
    return pd.DataFrame({"node": counts.index, "conversations": counts.to_numpy()})

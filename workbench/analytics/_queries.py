"""What the answers need of an ``Analytics``: SQL over its views, and its name."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

import pandas as pd

__all__ = ["Queries"]


class Queries(Protocol):
    @property
    def where(self) -> str: ...

    def sql(
        self, query: str, params: Sequence[Any] | dict[str, Any] | None = None
    ) -> pd.DataFrame: ...

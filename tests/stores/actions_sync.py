"""What the actions of the bots written by ``test_stores_turn_isolation`` share with the test.

Their ``actions.py`` imports this module by its full name (``tests.stores.actions_sync``), so the
test and the actions see the same objects: the test puts in ``SHARED["wait"]`` the function an
action calls (in a worker thread) while its turn is open.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

SHARED: dict[str, Callable[[str], Any]] = {}

"""``ServerSettings``: what ``workbench serve`` was asked for, passed to each worker process."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field

SETTINGS_ENV = "WORKBENCH_SERVE_SETTINGS"
"""Where ``serve`` leaves the settings for its worker processes (JSON)."""
ADMIN_TOKEN_ENV = "WORKBENCH_ADMIN_TOKEN"
MAX_BODY_BYTES = 64 * 1024
"""Requests with a larger body get 413."""
MAX_TEXT_CHARS = 4096


@dataclass(frozen=True)
class ServerSettings:
    """One server's settings (every worker of it has the same)."""

    bot: str
    """The bot folder."""
    db: str | None = None
    """The store URL (None: ``WORKBENCH_DB``, else the bot's SQLite file)."""
    rate_limit: int = 0
    """Messages per minute per client address (0: no limit)."""
    cors_origins: tuple[str, ...] = ()
    """Origins allowed to call the API from a browser (none: no CORS headers at all)."""
    max_body: int = MAX_BODY_BYTES
    janitor_interval: float = 30.0
    """Seconds between two rounds of the timeout janitor (0: no janitor)."""
    poll_interval: float = 1.0
    """Seconds between two looks at the store for replies made by other instances (the
    WebSocket of a conversation whose timeout another instance ran)."""
    admin_token: str | None = field(default=None, repr=False)
    """The admin routes' bearer token (None: they refuse everyone)."""

    def to_env(self) -> str:
        data = asdict(self)
        data.pop("admin_token")  # workers read it from the environment, as the parent did
        return json.dumps(data)

    @classmethod
    def from_env(cls) -> ServerSettings:
        data = json.loads(os.environ[SETTINGS_ENV])
        data["cors_origins"] = tuple(data.get("cors_origins") or ())
        return cls(**data, admin_token=os.environ.get(ADMIN_TOKEN_ENV) or None)

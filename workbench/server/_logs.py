"""Structured logs: one JSON object per line on stderr (uvicorn's and the server's)."""

from __future__ import annotations

import logging
from typing import Any

import orjson

_STANDARD = set(logging.LogRecord("", 0, "", 0, "", None, None).__dict__) | {
    "message",
    "color_message",  # uvicorn's message with terminal colours
}


class JSONFormatter(logging.Formatter):
    """``{"ts", "level", "logger", "message", ...extra fields}``; an exception's traceback
    goes in ``exc``."""

    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, Any] = {
            "ts": round(record.created, 3),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in record.__dict__.items():
            if key not in _STANDARD and not key.startswith("_"):
                data[key] = value
        if record.exc_info:
            data["exc"] = self.formatException(record.exc_info)
        return orjson.dumps(data, default=str).decode()


LOG_CONFIG: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": JSONFormatter}},
    "handlers": {
        "stderr": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "stream": "ext://sys.stderr",
        }
    },
    "loggers": {
        "uvicorn": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
        "uvicorn.error": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
        "workbench": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
    },
}
"""uvicorn's ``log_config``: JSON lines for uvicorn and workbench (no access log: a line per
request costs more than a turn; the metrics count requests)."""

"""The address a server prints for what it listens on."""

from __future__ import annotations

import socket

_EVERY_INTERFACE = ("0.0.0.0", "::", "")


def base_url(host: str, port: int) -> str:
    """``http://HOST:PORT``; for every interface (``0.0.0.0``, ``::``) the machine's name, an
    address other machines can open (as Jupyter prints), rather than one no browser opens."""
    if host in _EVERY_INTERFACE:
        host = socket.gethostname()
    elif ":" in host:  # an IPv6 address goes in brackets
        host = f"[{host}]"
    return f"http://{host}:{port}"

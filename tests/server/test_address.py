"""The address `workbench serve` and `workbench dashboard` print for the host they listen on."""

from __future__ import annotations

import socket

from workbench._address import base_url


def test_every_interface_prints_the_machines_name_not_0_0_0_0() -> None:
    name = socket.gethostname()
    assert base_url("0.0.0.0", 8080) == f"http://{name}:8080"
    assert base_url("::", 8080) == f"http://{name}:8080"
    assert socket.getaddrinfo(name, 8080)  # an address this machine's name resolves to


def test_a_given_host_is_printed_as_given() -> None:
    assert base_url("127.0.0.1", 8866) == "http://127.0.0.1:8866"
    assert base_url("bots.example.org", 80) == "http://bots.example.org:80"
    assert base_url("::1", 8000) == "http://[::1]:8000"

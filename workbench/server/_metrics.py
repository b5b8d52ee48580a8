"""Prometheus metrics: turns, their latency, errors, open conversations.

Each worker process counts its own turns (a scrape of ``/metrics`` answers for the worker that
took it: scrape each instance, or run one worker per instance behind the load balancer); the
open conversations are counted in the store, for all instances.
"""

from __future__ import annotations

from collections.abc import Callable

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    disable_created_metrics,
    generate_latest,
)

from workbench.server._limits import ASGIApp, Message, Receive, Scope, Send

disable_created_metrics()  # type: ignore[no-untyped-call]  # no ``*_created`` series: timestamps nobody graphs

LATENCY_BUCKETS = (0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0)


class Metrics:
    """The server's metrics, in a registry of their own (a test may start several apps)."""

    content_type = CONTENT_TYPE_LATEST

    def __init__(self, open_conversations: Callable[[], int]) -> None:
        self.registry = registry = CollectorRegistry()
        self.turns = Counter(
            "workbench_turns",
            "Turns run, by outcome (ok, error, repeated).",
            ["outcome"],
            registry=registry,
        )
        self.latency = Histogram(
            "workbench_turn_seconds",
            "Time to answer a message.",
            buckets=LATENCY_BUCKETS,
            registry=registry,
        )
        self.errors = Counter(
            "workbench_http_errors",
            "Requests answered with an error, by status.",
            ["status"],
            registry=registry,
        )
        self.timeouts = Counter(
            "workbench_timeouts",
            "Timeout paths run by this instance's janitor.",
            registry=registry,
        )
        gauge = Gauge(
            "workbench_open_conversations",
            "Conversations with an open session (all instances).",
            registry=registry,
        )
        gauge.set_function(lambda: float(open_conversations()))
        self._ok = self.turns.labels("ok")
        self._failed = self.turns.labels("error")
        self._repeated = self.turns.labels("repeated")

    def turn(self, seconds: float, *, error: bool, repeated: bool) -> None:
        (self._repeated if repeated else self._failed if error else self._ok).inc()
        self.latency.observe(seconds)

    def render(self) -> bytes:
        return bytes(generate_latest(self.registry))


class CountErrors:
    """ASGI: count the answers with a 4xx or 5xx status (``workbench_http_errors_total``)."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app, self.errors = app, metrics.errors

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def counted(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] >= 400:
                self.errors.labels(str(message["status"])).inc()
            await send(message)

        await self.app(scope, receive, counted)

"""Actions of the support bot (stdlib only).

The order "database" is a small dict; order 99999 stands for an order whose lookup fails
(the order system is down), so the tests can show how a turn error is handled.
"""

from __future__ import annotations

import re
from typing import Any

from workbench import ActionContext, action

ORDERS: dict[int, dict[str, str]] = {
    10231: {
        "status": "on its way",
        "detail": "it shipped on Monday with UPS and should arrive within 2 business days",
    },
    10232: {
        "status": "being packed",
        "detail": "it will ship within 24 hours and you'll get a tracking link by email",
    },
    10233: {"status": "delivered", "detail": "it was left at your front door last Thursday"},
    10234: {"status": "cancelled", "detail": "the refund was sent to your original payment method"},
}
OFFLINE_ORDERS = {99999}

_NAME_PREFIX = re.compile(
    r"^(?:(?:hi|hello|hey)\b[\s,!.]*)?"
    r"(?P<intro>my name is|my name's|i am|i'm|im|it's|this is|call me)?\s*",
    re.IGNORECASE,
)
_NAME = re.compile(r"^[^\W\d_][\w'\-]*(?:\s+[^\W\d_][\w'\-]*){0,2}$")


@action
def remember_name(ctx: ActionContext) -> dict[str, Any] | None:
    """Keep the user's name (``user.name``) when the message gives one.

    "Ada" or "I'm Ada" both work; with ``args.explicit_only`` (or in a greeting such as
    "hello, I'm Ada") only an explicit "my name is ..." / "I'm ..." counts. A message the NLU
    understood as something else (a question, "no", "talk to a human") is never a name.
    Sets ``name_learned`` so the flow can greet a new name differently.
    """
    intent = ctx.event.get("intent") or "none"
    if intent not in ("none", "greeting"):
        return None
    match = _NAME_PREFIX.match((ctx.event.get("text") or "").strip())
    explicit = bool(match and match.group("intro"))
    if (ctx.args.get("explicit_only") or intent == "greeting") and not explicit:
        return None
    name = ctx.event["text"].strip()[match.end() if match else 0 :].strip(" .!")
    if not _NAME.match(name):
        return None
    name = " ".join(part[:1].upper() + part[1:] for part in name.split())
    return {"user.name": name, "name_learned": True}


@action
def lookup_order(ctx: ActionContext) -> dict[str, Any] | None:
    """Look up ``args.number``; sets ``order_found``, ``order_status`` and ``order_detail``."""
    try:
        number = int(ctx.args.get("number") or 0)
    except (TypeError, ValueError):
        return {"order_found": False}
    if number in OFFLINE_ORDERS:
        raise ConnectionError("order system is not answering")
    order = ORDERS.get(number)
    if order is None:
        return {"order_found": False, "order_status": None, "order_detail": None}
    return {"order_found": True, "order_status": order["status"], "order_detail": order["detail"]}


@action
def create_ticket(ctx: ActionContext) -> dict[str, Any] | None:
    """Open a support ticket: a bot-wide counter gives its number (``state.ticket``)."""
    number = int(ctx.bot.get("last_ticket") or 4100) + 1
    tickets = int(ctx.user.get("tickets") or 0) + 1
    return {
        "bot.last_ticket": number,
        "user.tickets": tickets,
        "ticket": number,
        "ticket_reason": ctx.args.get("reason") or "",
    }

"""Actions of the pizza bot."""

from __future__ import annotations

from workbench import ActionContext, action

PRICES = {"small": 8, "medium": 10, "large": 12}
TOPPING_PRICE = 1.5


@action
def add_toppings(ctx: ActionContext) -> dict[str, object]:
    """Add every topping named in the message (duplicates ignored)."""
    toppings = list(ctx.state.get("toppings") or [])
    text = ctx.event["text"].lower()
    for topping in ("cheese", "ham", "mushrooms", "olives", "peppers"):
        stem = topping.rstrip("s")
        if stem in text and topping not in toppings:
            toppings.append(topping)
    return {"toppings": toppings}


@action
def price_order(ctx: ActionContext) -> dict[str, object]:
    price = PRICES[ctx.state["size"]] + TOPPING_PRICE * len(ctx.state.get("toppings") or [])
    return {"price": f"{price:.2f}"}


@action
def log_order(ctx: ActionContext) -> dict[str, object]:
    """Count orders bot-wide (the kitchen's dashboard would read this)."""
    return {"bot.orders_total": (ctx.bot.get("orders_total") or 0) + 1}

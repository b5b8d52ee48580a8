"""Actions of the survey bot (stdlib only): storing the answers.

A real deployment would write to a database or a spreadsheet; here the totals live in bot
variables (shared by all conversations), the answers of this survey in the session state and,
so they outlive the session, the user's last survey in user variables.
"""

from __future__ import annotations

from typing import Any

from workbench import ActionContext, action

ANSWERS = ("rating", "problem", "liked", "recommend", "comment")


@action
def save_results(ctx: ActionContext) -> dict[str, Any] | None:
    """Record this survey's answers; ``args.complete`` is false for a stopped or timed-out one.

    Returns updates: bot-wide counters (``bot.responses`` or ``bot.partial_responses``; for
    complete surveys also ``bot.rating_total`` and ``bot.recommend_yes``, so the average rating
    is ``rating_total / responses``), the user's ``last_survey`` and ``surveys_completed``, and
    in the session state ``results`` (the answers given), ``status`` and ``saved``.
    """
    complete = bool(ctx.args.get("complete"))
    status = "complete" if complete else "partial"
    results = {key: ctx.state[key] for key in ANSWERS if ctx.state.get(key) is not None}
    counter = "responses" if complete else "partial_responses"
    updates = {
        f"bot.{counter}": int(ctx.bot.get(counter) or 0) + 1,
        "user.last_survey": {"status": status, **results},
        "results": results,
        "status": status,
        "saved": True,
    }
    if complete:
        updates["user.surveys_completed"] = int(ctx.user.get("surveys_completed") or 0) + 1
        updates["bot.rating_total"] = int(ctx.bot.get("rating_total") or 0) + results["rating"]
        if results.get("recommend") is True:
            updates["bot.recommend_yes"] = int(ctx.bot.get("recommend_yes") or 0) + 1
    return updates

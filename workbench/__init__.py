"""Bot Workbench: build, test, run and analyse conversational bots from notebooks.

>>> import workbench as wb
>>> bot = wb.Bot.load("sample_bots/pizza")          # doctest: +SKIP
>>> conv = bot.conversation(user_id="u1")          # doctest: +SKIP
>>> [r.text for r in conv.say("hi")]               # doctest: +SKIP
"""

from __future__ import annotations

from workbench.engine import ActionContext
from workbench.flows import FlowBuilder
from workbench.notebook import Bot, emulator, load_ipython_extension
from workbench.runtime import Conversation, Janitor, TurnContext, action
from workbench.schema import (
    BotError,
    Choice,
    ConflictError,
    ContentError,
    NLUResult,
    Reply,
    TurnError,
    WorkbenchError,
)

__version__ = "0.1.0"

__all__ = [
    "ActionContext",
    "Bot",
    "BotError",
    "Choice",
    "ConflictError",
    "ContentError",
    "Conversation",
    "FlowBuilder",
    "Janitor",
    "NLUResult",
    "Reply",
    "TurnContext",
    "TurnError",
    "WorkbenchError",
    "__version__",
    "action",
    "emulator",
    "load_ipython_extension",
]

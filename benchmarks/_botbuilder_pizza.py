"""The pizza bot of ``sample_bots/pizza`` written the idiomatic botbuilder-dialogs 4.x way.

A ``ComponentDialog`` with a waterfall (size ``ChoicePrompt`` → toppings loop → ``ConfirmPrompt``
→ checkout child dialog → thanks), a cancel interruption checked on every message (the samples'
``CancelAndHelpDialog`` pattern), conversation, user and bot-wide state in ``MemoryStorage``, an
``ActivityHandler`` that runs the dialog and saves state, driven turn by turn by ``TestAdapter``.
Replies mirror the workbench bot's texts so both sides can be checked against the same script.
"""

from __future__ import annotations

import random
import re
from typing import Any

from botbuilder.core import (
    ActivityHandler,
    BotState,
    ConversationState,
    MemoryStorage,
    MemoryTranscriptStore,
    MessageFactory,
    Storage,
    TranscriptLoggerMiddleware,
    TurnContext,
    UserState,
)
from botbuilder.core.adapters import TestAdapter
from botbuilder.dialogs import (
    ComponentDialog,
    Dialog,
    DialogContext,
    DialogSet,
    DialogTurnResult,
    DialogTurnStatus,
    WaterfallDialog,
    WaterfallStepContext,
)
from botbuilder.dialogs.choices import Choice, Find, ListStyle
from botbuilder.dialogs.prompts import (
    ChoicePrompt,
    ConfirmPrompt,
    PromptOptions,
    PromptValidatorContext,
    TextPrompt,
)
from botbuilder.schema import Activity, ActivityTypes, ChannelAccount, ConversationAccount

__all__ = ["BotbuilderPizza"]

# The same words the workbench bot's nlu/intents.yml lists (botbuilder has no local NLU).
CANCEL = {"cancel", "cancel my order", "stop", "forget it", "never mind", "i changed my mind"}
DONE = {"done", "that's all", "that is all", "nothing else", "no more", "finished", "that's it"}
DENY = {"no", "n", "no thanks", "nope", "not really", "wrong"}
TOPPINGS = ("cheese", "ham", "mushrooms", "olives", "peppers")
PRICES = {"small": 8, "medium": 10, "large": 12}
TOPPING_PRICE = 1.5

SIZES = [
    Choice("Small", synonyms=["small", "sm", "little", "personal"]),
    Choice("Medium", synonyms=["medium", "med", "regular", "normal"]),
    Choice("Large", synonyms=["large", "lg", "big", "family", "xl"]),
]
PAYMENTS = [
    Choice("Card", synonyms=["card", "credit card", "debit card", "visa", "mastercard"]),
    Choice("Cash on delivery", synonyms=["cash", "money"]),
]
GREETINGS = ("Welcome to Pizza Palace!", "Hi, this is Pizza Palace!")
ASK_TOPPINGS = "Which toppings? (cheese, ham, mushrooms, olives, peppers — or say none)"
MORE_TOPPINGS = "Added. Anything else on it? (say done when finished)"
CARD_DIGITS = "Please type the last 4 digits of your card."


def _said(text: str | None) -> str:
    return (text or "").strip().lower()


def _add_toppings(toppings: list[str], text: str) -> list[str]:
    toppings = list(toppings)
    for topping in TOPPINGS:
        if topping.rstrip("s") in text and topping not in toppings:
            toppings.append(topping)
    return toppings


class ToppingsDialog(ComponentDialog):
    """Ask for toppings until the user is done; loops with ``replace_dialog``."""

    def __init__(self) -> None:
        super().__init__(ToppingsDialog.__name__)
        self.add_dialog(TextPrompt("toppings_text"))
        self.add_dialog(WaterfallDialog("toppings_loop", [self.ask, self.collect]))
        self.initial_dialog_id = "toppings_loop"

    async def ask(self, step: WaterfallStepContext) -> DialogTurnResult:
        step.values["toppings"] = (step.options or {}).get("toppings", [])
        text = MORE_TOPPINGS if (step.options or {}).get("more") else ASK_TOPPINGS
        return await step.prompt("toppings_text", PromptOptions(MessageFactory.text(text)))

    async def collect(self, step: WaterfallStepContext) -> DialogTurnResult:
        said = _said(step.result)
        toppings = _add_toppings(step.values["toppings"], said)
        if said in DONE or (said == "none" and not (step.options or {}).get("more")):
            return await step.end_dialog(toppings)
        return await step.replace_dialog(self.id, {"toppings": toppings, "more": True})


class CheckoutDialog(ComponentDialog):
    """Payment method, then the card's last 4 digits; ends with True when paid."""

    def __init__(self) -> None:
        super().__init__(CheckoutDialog.__name__)
        self.add_dialog(ChoicePrompt("payment", self._payment_or_deny))
        self.add_dialog(TextPrompt("card_digits", self._four_digits))
        self.add_dialog(WaterfallDialog("checkout", [self.method, self.digits, self.done]))
        self.initial_dialog_id = "checkout"

    @staticmethod
    async def _payment_or_deny(prompt: PromptValidatorContext) -> bool:
        return bool(prompt.recognized.succeeded) or _said(prompt.context.activity.text) in DENY

    @staticmethod
    async def _four_digits(prompt: PromptValidatorContext) -> bool:
        return re.fullmatch(r"\d{4}", (prompt.recognized.value or "").strip()) is not None

    async def method(self, step: WaterfallStepContext) -> DialogTurnResult:
        ask = MessageFactory.text("How would you like to pay?")
        options = PromptOptions(ask, ask, PAYMENTS, ListStyle.suggested_action)
        return await step.prompt("payment", options)

    async def digits(self, step: WaterfallStepContext) -> DialogTurnResult:
        if step.result is None:  # the user declined to pay
            return await step.end_dialog(False)
        method = "card" if step.result.value == "Card" else "cash"
        step.values["method"] = method
        if method == "cash":
            return await step.next(None)
        ask = MessageFactory.text(CARD_DIGITS)
        return await step.prompt("card_digits", PromptOptions(ask, ask))

    async def done(self, step: WaterfallStepContext) -> DialogTurnResult:
        await step.context.send_activity(f"Payment accepted ({step.values['method']}).")
        return await step.end_dialog(True)


class PizzaDialog(ComponentDialog):
    """The main flow: greet, size, toppings, confirm, checkout, thanks; "cancel" anywhere."""

    def __init__(self, user_state: UserState, bot_state: BotState) -> None:
        super().__init__(PizzaDialog.__name__)
        self._profile = user_state.create_property("profile")
        self._counters = bot_state.create_property("counters")
        self._rng = random.Random()
        self.add_dialog(ChoicePrompt("size"))
        confirm = ConfirmPrompt("confirm")
        confirm.style = ListStyle.suggested_action
        confirm.confirm_choices = (Choice("yes"), Choice("no"))
        self.add_dialog(confirm)
        self.add_dialog(ToppingsDialog())
        self.add_dialog(CheckoutDialog())
        steps = [self.size, self.toppings, self.confirm, self.checkout, self.finish]
        self.add_dialog(WaterfallDialog("order", steps))
        self.initial_dialog_id = "order"

    async def on_continue_dialog(self, inner_dc: DialogContext) -> DialogTurnResult:
        if _said(inner_dc.context.activity.text) in CANCEL:
            await inner_dc.context.send_activity("Order cancelled. Hope to see you soon!")
            return await inner_dc.cancel_all_dialogs()
        return await super().on_continue_dialog(inner_dc)

    async def size(self, step: WaterfallStepContext) -> DialogTurnResult:
        if not (step.options or {}).get("again"):
            profile = await self._profile.get(step.context, dict)
            welcome = self._rng.choice(GREETINGS)
            if profile.get("orders"):
                welcome += " Good to see you again."
            await step.context.send_activity(welcome)
            found = Find.find_choices(_said(step.context.activity.text), SIZES)
            if found:  # "a large pizza please" fills the slot at once
                return await step.next(found[0].resolution)
        ask = MessageFactory.text("What size would you like?")
        retry = MessageFactory.text("Sorry, we have small, medium and large.")
        options = PromptOptions(ask, retry, SIZES, ListStyle.suggested_action)
        return await step.prompt("size", options)

    async def toppings(self, step: WaterfallStepContext) -> DialogTurnResult:
        step.values["size"] = step.result.value.lower()
        kept = (step.options or {}).get("toppings", [])  # kept when the user said no at confirm
        return await step.begin_dialog(ToppingsDialog.__name__, {"toppings": kept})

    async def confirm(self, step: WaterfallStepContext) -> DialogTurnResult:
        size, toppings = step.values["size"], step.result
        step.values["toppings"] = toppings
        price = PRICES[size] + TOPPING_PRICE * len(toppings)
        what = ", ".join(toppings) if toppings else "no toppings"
        text = f"A {size} pizza with {what}: ${price:.2f}. Shall I order it?"
        ask = MessageFactory.text(text)
        return await step.prompt("confirm", PromptOptions(ask, ask))

    async def checkout(self, step: WaterfallStepContext) -> DialogTurnResult:
        if not step.result:
            again = {"again": True, "toppings": step.values["toppings"]}
            return await step.replace_dialog(self.initial_dialog_id, again)
        return await step.begin_dialog(CheckoutDialog.__name__)

    async def finish(self, step: WaterfallStepContext) -> DialogTurnResult:
        if not step.result:
            await step.context.send_activity(
                "No problem, your order is not placed. Come back any time!"
            )
            return await step.end_dialog()
        await step.context.send_activity(
            f"Thanks! Your {step.values['size']} pizza is on its way. 🍕"
        )
        profile = await self._profile.get(step.context, dict)
        profile["orders"] = profile.get("orders", 0) + 1
        counters = await self._counters.get(step.context, dict)
        counters["orders_total"] = counters.get("orders_total", 0) + 1
        return await step.end_dialog()


class BotWideState(BotState):
    """Bot-wide variables (the workbench bot's ``bot.*`` scope)."""

    def __init__(self, storage: Storage) -> None:
        super().__init__(storage, "BotWideState")

    def get_storage_key(self, turn_context: TurnContext) -> str:
        return f"{turn_context.activity.channel_id}/bot"


class DialogBot(ActivityHandler):
    """The samples' ``DialogBot``: run the dialog on each message, then save every state."""

    def __init__(self, storage: Storage) -> None:
        self.conversation_state = ConversationState(storage)
        self.user_state = UserState(storage)
        self.bot_state = BotWideState(storage)
        self.dialog: Dialog = PizzaDialog(self.user_state, self.bot_state)
        self._dialog_state = self.conversation_state.create_property("DialogState")

    async def on_turn(self, turn_context: TurnContext) -> None:
        await super().on_turn(turn_context)
        await self.conversation_state.save_changes(turn_context)
        await self.user_state.save_changes(turn_context)
        await self.bot_state.save_changes(turn_context)

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        # the samples' DialogHelper.run_dialog
        dialog_set = DialogSet(self._dialog_state)
        dialog_set.add(self.dialog)
        dialog_context = await dialog_set.create_context(turn_context)
        results = await dialog_context.continue_dialog()
        if results.status == DialogTurnStatus.Empty:
            await dialog_context.begin_dialog(self.dialog.id)


class BotbuilderPizza:
    """``await bb.say(conversation_id, user_id, text)`` → replies as ``(text, [choices])``."""

    def __init__(self, *, transcript: bool = False) -> None:
        self.storage = MemoryStorage()
        self.bot = DialogBot(self.storage)
        self.adapter = TestAdapter(self.bot.on_turn)
        if transcript:  # the workbench bot always writes a transcript; this is botbuilder's
            self.adapter.use(TranscriptLoggerMiddleware(MemoryTranscriptStore()))

    async def say(
        self, conversation_id: str, user_id: str, text: str
    ) -> list[tuple[str, list[str]]]:
        activity = Activity(
            type=ActivityTypes.message,
            text=text,
            from_property=ChannelAccount(id=user_id, name="user"),
            conversation=ConversationAccount(id=conversation_id),
        )
        await self.adapter.receive_activity(activity)
        replies = [_reply(a) for a in self.adapter.activity_buffer]
        self.adapter.activity_buffer.clear()
        return replies


def _reply(activity: Any) -> tuple[str, list[str]]:
    actions = activity.suggested_actions.actions if activity.suggested_actions else []
    return activity.text, [action.title for action in actions]

"""Live views and their bot: a graph or an emulator that nothing refers to stops following the
bot and closes its widgets; one on screen follows it until it, or its widget, is closed."""

from __future__ import annotations

import gc
import weakref

from IPython.core.interactiveshell import InteractiveShell

import workbench as wb

MAIN = """start: ask
nodes:
  ask:
    on_enter: [{say: {text: "Coffee or tea?"}}]
    on_receive: []
    next: [{to: END}]
"""
EXTRA = """start: hello
nodes:
  hello:
    next: [{to: END}]
"""


def coffee() -> wb.Bot:
    bot = wb.Bot.new("coffee")
    bot.set_flow("main", MAIN)
    return bot


def test_views_nothing_refers_to_stop_listening_and_close_their_widgets() -> None:
    bot = coffee()
    graph = bot.graph()
    chat = bot.chat(graph=graph)
    chat.send("hi")
    widgets = [graph.cytoscape, graph.picker, *graph._nodes.values(), chat.input, chat.log]
    views = [weakref.ref(graph), weakref.ref(chat)]
    assert len(bot.turn_listeners) == len(bot.change_listeners) == 2

    del graph, chat
    gc.collect()
    assert [view() for view in views] == [None, None]
    assert len(bot.turn_listeners) == len(bot.change_listeners) == 0
    assert all(widget.comm is None for widget in widgets)  # closed: nothing left in the kernel
    bot.set_flow("extra", EXTRA)  # edits and turns reach no one, and nothing fails
    bot.conversation().say("hi")


def test_a_displayed_graph_follows_the_bot_until_its_widget_is_closed() -> None:
    bot = coffee()
    graph = bot.graph()
    graph._repr_mimebundle_()  # what displaying it as a cell's output does
    view = weakref.ref(graph)
    del graph
    gc.collect()
    graph = view()
    assert graph is not None, "a graph on screen must keep following the bot"
    bot.set_flow("extra", EXTRA)
    assert "extra.hello" in graph._nodes

    canvas = graph.cytoscape
    graph.widget.close()  # closed from its widget, by any code that holds it
    assert graph._on_change not in bot.change_listeners
    assert graph._on_turn not in bot.turn_listeners
    assert canvas.comm is None and not graph._nodes
    del graph, canvas
    gc.collect()
    assert view() is None


def test_an_embedded_emulator_lives_until_its_widget_is_closed() -> None:
    bot = coffee()
    chat = bot.chat()
    embedded = chat.widget  # taken to embed in another layout
    view = weakref.ref(chat)
    del chat
    gc.collect()
    chat = view()
    assert chat is not None
    chat.send("hi")
    assert len(chat.turns) == 1
    embedded.close()
    assert chat._on_turn not in bot.turn_listeners
    assert chat.input.comm is None
    bot.conversation("u", chat.conversation.id).say("tea")
    assert len(chat.turns) == 1


def test_running_a_cell_again_closes_the_views_its_last_run_showed() -> None:
    """In a real IPython shell, cells run with their ids as JupyterLab sends them: a re-run
    replaces the cell's output, and the views only it showed stop following the bot."""
    shell = InteractiveShell.instance()
    try:
        bot = shell.user_ns["bot"] = coffee()
        shell.run_cell("graph = bot.graph()\ngraph", cell_id="draw")
        first = shell.user_ns["graph"]
        shell.run_cell("graph", cell_id="again")  # the same graph, shown by a second cell
        shell.run_cell("chat = bot.chat(graph=graph)\nchat", cell_id="chat")
        chat = shell.user_ns["chat"]
        assert len(bot.change_listeners) == 2

        shell.run_cell("graph = bot.graph()\ngraph", cell_id="draw")  # a second graph
        second = shell.user_ns["graph"]
        assert len(bot.change_listeners) == 3  # the first is still shown by the second cell
        shell.run_cell("print('no view')", cell_id="again")
        assert len(bot.change_listeners) == 2  # now it shows nowhere: closed
        assert first._on_change not in bot.change_listeners and first.cytoscape.comm is None
        bot.set_flow("extra", EXTRA)
        assert "extra.hello" in second._nodes and "extra.hello" not in first._nodes

        shell.run_cell("chat", cell_id="chat")  # the same emulator shown again: it stays
        assert chat._on_change in bot.change_listeners
        shell.run_cell("chat", cell_id=None)  # runs without an id are not tracked
        shell.run_cell("1 + 1", cell_id="chat")
        assert chat._on_change not in bot.change_listeners and chat.input.comm is None
        assert len(bot.change_listeners) == 1 and second._on_change in bot.change_listeners
    finally:
        InteractiveShell.clear_instance()

"""Natural language understanding: the recogniser port, a simple default, the NLU data format."""

from __future__ import annotations

from workbench.nlu._data import NLUData, load_nlu_data
from workbench.nlu._simple import Recognizer, SimpleRecognizer, tokens

__all__ = ["NLUData", "Recognizer", "SimpleRecognizer", "load_nlu_data", "tokens"]

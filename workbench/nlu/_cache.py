"""Models trained when a bot loads, cached on disk keyed by a hash of the NLU data.

``recognizer_for`` is what the runtime calls: the first load of new NLU data trains (seconds);
every later load with the same data, engine and engine version reads the cached model
(milliseconds). The cache folder is git-ignored; a cache that cannot be read or written is
ignored, never an error.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import TYPE_CHECKING

from workbench.config import NLUSettings
from workbench.nlu._data import NLUData
from workbench.nlu._deferred import DeferredModel, EntitiesOnly
from workbench.nlu._extra import require as require_embed_extra
from workbench.nlu._simple import Recognizer, SimpleRecognizer

if TYPE_CHECKING:
    from workbench.nlu._model import NLUModel

__all__ = ["ENGINE_VERSION", "cache_key", "recognizer_for"]

ENGINE_VERSION = "8"
"""Bump when training changes, so that cached models of older versions are not reused."""
KEEP = 3
"""Cached models kept per engine and language (the newest)."""


def cache_key(data: NLUData, engine: str = "default", language: str = "en") -> str:
    """A hash of everything training depends on."""
    payload = json.dumps(
        {
            "data": data.model_dump(mode="json"),
            "engine": engine,
            "version": ENGINE_VERSION,
            "language": language,
        },
        sort_keys=True,
        ensure_ascii=False,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def recognizer_for(
    data: NLUData,
    settings: NLUSettings | None = None,
    cache_dir: Path | None = None,
    language: str = "en",
) -> Recognizer:
    """The recogniser a bot uses, from its NLU data and ``bot.yml`` ``nlu:`` settings.

    ``settings.engine``: ``"default"``, ``"embed"`` or ``"static"`` (trained, cached in
    ``cache_dir``) or ``"simple"`` (the untrained TF-IDF matcher). A ``threshold`` written in
    ``bot.yml`` overrides the calibrated one; left out (or ``null``), the calibrated threshold
    applies.

    New NLU data is trained here and now; a model already in the cache folder is read on the
    first message (see :mod:`workbench.nlu._deferred`); a bot without intents trains nothing.
    """
    settings = settings or NLUSettings()
    threshold = _threshold(settings)
    if settings.engine == "simple":
        return SimpleRecognizer(data, 0.5 if threshold is None else threshold)
    if not data.intents:
        return EntitiesOnly(data)
    engine = settings.engine
    if engine == "embed":  # fail at load, naming bot.yml, not at every message
        require_embed_extra()
    key = cache_key(data, engine, language)
    if cache_dir is not None and (cache_dir / _file_name(engine, key, language)).is_file():
        return DeferredModel(
            lambda: cached_model(data, engine, cache_dir, language).with_threshold(threshold)
        )
    return cached_model(data, engine, cache_dir, language).with_threshold(threshold)


def _file_name(engine: str, key: str, language: str) -> str:
    """``default-<key>.npz`` for English, ``default-<key>.<language>.npz`` for another
    language (a bot with several languages keeps the newest models of each)."""
    if language == "en":
        return f"{engine}-{key[:24]}.npz"
    return f"{engine}-{key[:24]}.{_safe(language)}.npz"


def _safe(language: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "_", language)


def _threshold(settings: NLUSettings) -> float | None:
    if "threshold" not in settings.model_fields_set:
        return None
    value = settings.threshold
    return None if value is None else float(value)


def cached_model(
    data: NLUData, engine: str = "default", cache_dir: Path | None = None, language: str = "en"
) -> NLUModel:
    """Train, or read the model trained earlier on the same data from ``cache_dir``."""
    # The engine needs numpy and scipy (and scikit-learn to train): imported here, only when a
    # bot is loaded, so that ``import workbench`` stays fast (they cost hundreds of milliseconds);
    # reading a cached model does not import scikit-learn at all.
    from workbench.nlu._model import NLUModel

    key = cache_key(data, engine, language)
    name = _file_name(engine, key, language)
    model = None
    on_disk = cache_dir is not None and (cache_dir / name).is_file()
    if cache_dir is not None and on_disk:
        model = _read(cache_dir / name, NLUModel)
        on_disk = model is not None  # unreadable: written again below
    if model is None:
        from workbench.nlu._train import train

        model = train(data, language, engine)
    if cache_dir is not None and not on_disk:
        _write(model, cache_dir, name, language)
    return model


def _read(path: Path, kind: type[NLUModel]) -> NLUModel | None:
    """The cached model, or None when the file cannot be used (truncated by a crash, from
    another version, ...): the caller trains again and overwrites it."""
    try:
        return kind.load(path)
    except Exception:  # a cache is never an error: EOFError, BadZipFile, KeyError, ...
        return None


def _write(model: NLUModel, cache_dir: Path, name: str, language: str) -> None:
    try:
        _make_cache_dir(cache_dir)
        model.save(cache_dir / name)
        _prune(cache_dir, model.engine, language)
    except OSError:
        pass


def _make_cache_dir(path: Path) -> None:
    if not path.is_dir():
        path.mkdir(parents=True, exist_ok=True)
        (path / ".gitignore").write_text(
            "# created by workbench: trained models, never commit\n*\n"
        )


def _prune(cache_dir: Path, engine: str, language: str) -> None:
    suffix = ".npz" if language == "en" else f".{_safe(language)}.npz"
    models = sorted(
        (p for p in cache_dir.glob(f"{engine}-*.npz") if _language_suffix(p.name) == suffix),
        key=lambda p: p.stat().st_mtime,
    )
    for old in models[:-KEEP]:
        old.unlink(missing_ok=True)


def _language_suffix(name: str) -> str:
    """``.npz`` or ``.<language>.npz``: what follows the key in a cached model's name."""
    parts = name.split(".")
    return "." + ".".join(parts[1:])

"""The literal data of the synthetic corpus: the JSON files in `curation/synth/data/`."""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from typing import Any


def _freeze(value: Any) -> Any:
    """Lists become tuples, recursively, so the shared data cannot be changed by accident."""
    if isinstance(value, list):
        return tuple(_freeze(v) for v in value)
    if isinstance(value, dict):
        return {k: _freeze(v) for k, v in value.items()}
    return value


@cache
def load(name: str) -> dict[str, Any]:
    """The contents of `data/<name>.json`, with lists as tuples (read once, then shared)."""
    text = (files(__package__) / "data" / f"{name}.json").read_text(encoding="utf-8")
    return _freeze(json.loads(text))

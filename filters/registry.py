"""Filters by name, chains built from config steps, and a chain applied to one document."""

from __future__ import annotations

import dataclasses
import difflib
import inspect
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from curation.document import Document
from filters.base import (
    BaseFilter,
    BaseTransformer,
    DocumentLike,
    FilterResult,
    ParameterError,
    TransformResult,
    doc_text,
)
from filters.c4 import C4LineFilter, C4QualityFilter
from filters.classifier import FastTextClassifierFilter
from filters.fineweb import FineWebQualityFilter
from filters.gopher import GopherQualityFilter, GopherRepetitionFilter
from filters.language import LanguageFilter
from filters.length import LengthFilter
from filters.toxicity import ToxicityFilter
from filters.urls import DomainFilter, UrlFilter

Step = BaseFilter | BaseTransformer

REGISTRY: dict[str, type[Step]] = {
    "language": LanguageFilter,
    "gopher_quality": GopherQualityFilter,
    "gopher_repetition": GopherRepetitionFilter,
    "c4_quality": C4QualityFilter,
    "c4_lines": C4LineFilter,
    "fineweb_quality": FineWebQualityFilter,
    "length": LengthFilter,
    "url": UrlFilter,
    "domain": DomainFilter,
    "fasttext_classifier": FastTextClassifierFilter,
    "toxicity": ToxicityFilter,
}
"""Every filter and transformer a config can name."""

DEFAULT_STEPS: list[dict[str, dict[str, Any] | None]] = [
    {"language": {"languages": ["en"], "min_score": 0.65}},
    {"gopher_repetition": None},
    {"gopher_quality": None},
    {"c4_lines": {"filter_no_terminal_punct": False}},
    {"c4_quality": {"filter_no_terminal_punct": False}},
    {"fineweb_quality": None},
]
"""The recommended web-scale chain: FineWeb's (Penedo et al. 2024, section 3), in its order.

English with a lid.176 score of at least 0.65, then Gopher repetition and quality with the
paper's thresholds, then C4's rules without the terminal-punctuation rule (it alone removes about
30% of tokens), then FineWeb's own three rules. Cheap, high-yield rules come first. For a
multilingual corpus set `languages` to the languages wanted (or null for all): the Gopher
stop-word rule then applies to English only, and languages written without spaces are measured
in word units (see `filters.text`).
"""


class ChainError(ValueError):
    """A filter step that cannot be built; the message names the step, the filter and the parameter."""

    def __init__(
        self, message: str, index: int | None = None, filter_name: str | None = None, param: str | None = None
    ):
        super().__init__(message)
        self.index = index
        self.filter_name = filter_name
        self.param = param


def register(name: str, cls: type[Step]) -> None:
    """Make a filter or transformer class (yours) available to configs under `name`."""
    if not (isinstance(cls, type) and issubclass(cls, BaseFilter | BaseTransformer)):
        raise TypeError("register() takes a BaseFilter or BaseTransformer subclass")
    REGISTRY[name] = cls


def _suggest(word: str, options: Sequence[str]) -> str:
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _parameters(cls: type[Step]) -> tuple[dict[str, inspect.Parameter], bool]:
    params = dict(inspect.signature(cls.__init__).parameters)
    params.pop("self", None)
    open_ended = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values())
    return {k: p for k, p in params.items() if p.kind not in (p.VAR_KEYWORD, p.VAR_POSITIONAL)}, open_ended


def parse_step(index: int, step: Any) -> tuple[str, dict[str, Any]]:
    """`{name: {params}}`, `{name: None}` or a bare `name` -> (name, params)."""
    where = f"steps[{index}]"
    if isinstance(step, str):
        return step, {}
    if not isinstance(step, Mapping) or len(step) != 1:
        raise ChainError(f"{where}: expected one {{filter_name: {{parameter: value}}}} mapping, got {step!r}", index)
    name, params = next(iter(step.items()))
    if not isinstance(name, str):
        raise ChainError(f"{where}: the filter name must be a string, got {name!r}", index)
    if params is None:
        params = {}
    if not isinstance(params, Mapping):
        raise ChainError(f"{where}.{name}: parameters must be a mapping of name: value, got {params!r}", index, name)
    return name, dict(params)


def build_step(index: int, step: Any) -> Step:
    """One configured filter or transformer; `ChainError` (a ValueError) names what is wrong."""
    name, params = parse_step(index, step)
    where = f"steps[{index}]"
    cls = REGISTRY.get(name)
    if cls is None:
        known = ", ".join(sorted(REGISTRY))
        raise ChainError(
            f"{where}: unknown filter '{name}'{_suggest(name, list(REGISTRY))} (known: {known})", index, name
        )
    accepted, open_ended = _parameters(cls)
    for key in params:
        if not isinstance(key, str) or (key not in accepted and not open_ended):
            raise ChainError(
                f"{where}.{name}: unknown parameter '{key}'{_suggest(str(key), list(accepted))}", index, name, str(key)
            )
    for key, param in accepted.items():
        if param.default is inspect.Parameter.empty and key not in params:
            raise ChainError(f"{where}.{name}: missing parameter '{key}'", index, name, key)
    try:
        return cls(**params)
    except ParameterError as error:
        raise ChainError(f"{where}.{name}: {error}", index, name, error.param) from None
    except (TypeError, ValueError, OSError) as error:
        raise ChainError(f"{where}.{name}: {error}", index, name) from None


def build_chain(steps: Sequence[Any] | None) -> list[Step]:
    """The filters and transformers of `steps` (as in `FiltersConfig.steps`), in order.

    Each step is `{name: {parameter: value}}` (or `{name: None}`, or a bare name). An unknown
    filter or parameter, a missing or bad value raises `ChainError`, a `ValueError` whose message
    names the step index, the filter and the parameter, e.g.
    `steps[2].gopher_quality: unknown parameter 'min_wrods' (did you mean 'min_doc_words'?)`.
    Models are not loaded yet (call `prepare()` on each step, or let the first document do it).
    """
    if steps is None:
        return []
    if isinstance(steps, str | bytes | Mapping) or not isinstance(steps, Sequence):
        raise ChainError(f"steps: expected a list of {{filter_name: {{parameters}}}} steps, got {steps!r}")
    return [build_step(index, step) for index, step in enumerate(steps)]


# --------------------------------------------------------------------------------------------
# Applying a chain to one document


@dataclass
class ChainOutcome:
    """What a chain did to one document.

    `doc` is the document as it leaves the chain (same shape as given: text replaced by
    transformers, fields annotated by filters such as the language), or None when it was
    dropped; `stage` (the filter's name), `step` (its index in the chain), `reason` and `detail`
    say which step dropped it and why; `signals` holds each step's signals, in chain order, as
    `(step index, filter name, signals)`.
    """

    doc: DocumentLike | None
    stage: str | None = None
    reason: str | None = None
    detail: str | None = None
    signals: list[tuple[int, str, dict[str, Any]]] = field(default_factory=list)
    step: int | None = None

    @property
    def kept(self) -> bool:
        return self.stage is None


def _with(doc: Document | Mapping[str, Any], changes: dict[str, Any]) -> Document | dict[str, Any]:
    """A copy of `doc` with new field values (the input is never modified)."""
    if isinstance(doc, Document):
        return dataclasses.replace(doc, **changes)
    return {**doc, **changes}


def apply_chain(chain: Sequence[Step], doc: DocumentLike) -> ChainOutcome:
    """Run `doc` through the chain: transformers replace the text (a text left empty is dropped as
    `empty_after_<name>`), filters keep or drop; the first drop ends the chain."""
    was_str = isinstance(doc, str)
    current: Document | Mapping[str, Any] = {"text": doc} if isinstance(doc, str) else doc
    signals: list[tuple[int, str, dict[str, Any]]] = []
    for index, step in enumerate(chain):
        name = step.name
        if isinstance(step, BaseTransformer):
            result: TransformResult = step.transform(current)
            signals.append((index, name, result.signals))
            if not result.text.strip():
                return ChainOutcome(None, name, f"empty_after_{name}", "no text left", signals, index)
            if result.text != doc_text(current):
                current = _with(current, {"text": result.text})
            continue
        decision: FilterResult = step.filter(current)
        signals.append((index, name, decision.signals))
        if decision.annotations:
            current = _with(current, decision.annotations)
        if not decision.keep:
            return ChainOutcome(None, name, decision.reason or "dropped", decision.detail, signals, index)
    if was_str and isinstance(current, Mapping):  # a bare string went through as {"text": ...}
        return ChainOutcome(current["text"], signals=signals)
    return ChainOutcome(current, signals=signals)

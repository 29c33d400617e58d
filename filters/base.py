"""The filter contract: a decision with a reason and the signals measured, for any document shape.

A filter is a small object with a `name` and one method, `filter(doc) -> FilterResult`. A
transformer edits text instead (C4's line cleaning) and returns `TransformResult(text, signals)`
from `transform(doc)`. Both accept our `curation.document.Document`, a plain dict with `text`
(and optionally `url`, `language`, or those keys inside `metadata`), or a bare string.

Thresholds are constructor arguments whose defaults are the published values; every
constructor checks its arguments and raises `ParameterError` (a `ValueError`) naming the
parameter, which `filters.build_chain` turns into a message naming the step and the filter.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, TypeAlias, overload

from curation.document import Document

DocumentLike: TypeAlias = Document | Mapping[str, Any] | str
"""What a filter or transformer reads: a `Document`, a mapping with "text" (and optionally "url",
"language", or those keys inside "metadata"), or a bare string."""

ANNOTATIONS = frozenset({"language", "language_score"})
"""The document fields a filter may set (`FilterResult.annotations`)."""


class ParameterError(ValueError):
    """A constructor argument that cannot be used; `param` names it."""

    def __init__(self, param: str, message: str):
        super().__init__(f"bad value for '{param}': {message}")
        self.param = param
        self.problem = message


@dataclass(frozen=True)
class FilterResult:
    """A filter's decision: keep or drop, the reason for a drop, and the measured signals.

    `reason` is a short snake_case string (None when kept); `detail` is a short measured value for
    the ledger ("words=12 < 50"), never document text; `signals` maps signal names to numbers or
    strings (written with `filters.write_signals`, for tuning thresholds). `annotations` are
    fields the filter sets on the document it keeps, among `ANNOTATIONS` (the language filter's
    `language` and `language_score`). A result is truthy when the document is kept.
    """

    keep: bool
    reason: str | None = None
    signals: dict[str, Any] = field(default_factory=dict)
    detail: str | None = None
    annotations: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        unknown = set(self.annotations) - ANNOTATIONS
        if unknown:
            raise ValueError(f"a filter can annotate only {sorted(ANNOTATIONS)}, not {sorted(unknown)}")

    def __bool__(self) -> bool:
        return self.keep

    @classmethod
    def kept(cls, signals: dict[str, Any] | None = None, annotations: dict[str, Any] | None = None) -> FilterResult:
        return cls(True, None, signals if signals is not None else {}, None, annotations or {})

    @classmethod
    def dropped(
        cls,
        reason: str,
        signals: dict[str, Any] | None = None,
        detail: str | None = None,
        annotations: dict[str, Any] | None = None,
    ) -> FilterResult:
        return cls(False, reason, signals if signals is not None else {}, detail, annotations or {})


@dataclass(frozen=True)
class TransformResult:
    """A transformer's output: the new text (possibly empty) and what it measured."""

    text: str
    signals: dict[str, Any] = field(default_factory=dict)


# --------------------------------------------------------------------------------------------
# Reading any document shape


def doc_text(doc: DocumentLike) -> str:
    """The text of a Document, a dict with `text`, or a string."""
    if isinstance(doc, str):
        return doc
    if isinstance(doc, Document):
        return doc.text
    if isinstance(doc, Mapping):
        text = doc.get("text")
        if text is None:
            return ""
        if not isinstance(text, str):
            raise TypeError(f"the document's 'text' must be a string, not {type(text).__name__}")
        return text
    raise TypeError(f"expected a Document, a dict with 'text' or a str, not {type(doc).__name__}")


def _from_mapping(doc: Mapping[str, Any], key: str) -> Any:
    value = doc.get(key)
    if value is None:
        metadata = doc.get("metadata")
        if isinstance(metadata, Mapping):
            value = metadata.get(key)
    return value


def doc_language(doc: DocumentLike) -> str | None:
    """The language recorded on the document (by `LanguageFilter` or the input), if any."""
    if isinstance(doc, Document):
        return doc.language
    if isinstance(doc, Mapping):
        value = _from_mapping(doc, "language")
        return value if isinstance(value, str) and value else None
    return None


def doc_url(doc: DocumentLike) -> str | None:
    """The document's URL, if any."""
    if isinstance(doc, Document):
        return doc.url
    if isinstance(doc, Mapping):
        value = _from_mapping(doc, "url")
        return value if isinstance(value, str) and value else None
    return None


def fmt(value: float) -> str:
    """A number for a ledger detail: integers as they are, ratios with 3 significant decimals."""
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer() and abs(value) < 1e15):
        return str(int(value))
    return f"{value:.3g}" if abs(value) < 1 else f"{value:.4g}"


# --------------------------------------------------------------------------------------------
# The base classes


class BaseFilter:
    """A filter: `name`, and `filter(doc) -> FilterResult`.

    Subclasses implement `filter`. They read the document with `doc_text`, `doc_language` and
    `doc_url` (so they accept every document shape) and never modify it.
    """

    name: str = "filter"

    def filter(self, doc: DocumentLike) -> FilterResult:  # pragma: no cover - abstract
        raise NotImplementedError

    def prepare(self) -> None:
        """Load models now rather than on the first document (Beam calls it in `DoFn.setup`)."""

    def __call__(self, doc: DocumentLike) -> FilterResult:
        return self.filter(doc)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({_params_repr(self)})"


class BaseTransformer:
    """A transformer: `name`, and `transform(doc) -> TransformResult` with the edited text.

    In a chain, a document whose text becomes empty is dropped with reason `empty_after_<name>`.
    """

    name: str = "transformer"

    def transform(self, doc: DocumentLike) -> TransformResult:  # pragma: no cover - abstract
        raise NotImplementedError

    def prepare(self) -> None:
        """Load models now rather than on the first document (Beam calls it in `DoFn.setup`)."""

    def __call__(self, doc: DocumentLike) -> TransformResult:
        return self.transform(doc)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({_params_repr(self)})"


def _params_repr(obj: Any) -> str:
    return ", ".join(f"{k}={v!r}" for k, v in vars(obj).items() if not k.startswith("_"))


# --------------------------------------------------------------------------------------------
# Argument checks shared by the constructors


def check_bool(param: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise ParameterError(param, f"expected true or false, got {value!r}")
    return value


def check_number(
    param: str,
    value: Any,
    *,
    minimum: float | None = None,
    maximum: float | None = None,
    integer: bool = False,
    optional: bool = False,
) -> Any:
    """A number within [minimum, maximum]; None only when `optional` (the rule is then off)."""
    if value is None:
        if optional:
            return None
        raise ParameterError(param, "a number is required")
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ParameterError(param, f"expected {'an integer' if integer else 'a number'}, got {value!r}")
    if integer and isinstance(value, float):
        if not value.is_integer():
            raise ParameterError(param, f"expected an integer, got {value!r}")
        value = int(value)
    if isinstance(value, float) and not math.isfinite(value):
        raise ParameterError(param, f"expected a finite number, got {value!r}")
    if minimum is not None and value < minimum:
        raise ParameterError(param, f"must be at least {minimum}, got {value!r}")
    if maximum is not None and value > maximum:
        raise ParameterError(param, f"must be at most {maximum}, got {value!r}")
    return value


@overload
def check_ratio(param: str, value: Any, optional: Literal[False]) -> float: ...


@overload
def check_ratio(param: str, value: Any, optional: bool = True) -> float | None: ...


def check_ratio(param: str, value: Any, optional: bool = True) -> float | None:
    return check_number(param, value, minimum=0.0, maximum=1.0, optional=optional)


def check_str_list(param: str, value: Any, optional: bool = True) -> tuple[str, ...] | None:
    """A list of non-empty strings (a single string is a list of one)."""
    if value is None:
        if optional:
            return None
        raise ParameterError(param, "a list of strings is required")
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, Iterable) or isinstance(value, Mapping):
        raise ParameterError(param, f"expected a list of strings, got {value!r}")
    items = list(value)
    for item in items:
        if not isinstance(item, str) or not item.strip():
            raise ParameterError(param, f"expected non-empty strings, got {item!r}")
    return tuple(items)


@overload
def check_str(param: str, value: Any, optional: Literal[False] = False) -> str: ...


@overload
def check_str(param: str, value: Any, optional: bool) -> str | None: ...


def check_str(param: str, value: Any, optional: bool = False) -> str | None:
    if value is None and optional:
        return None
    if not isinstance(value, str) or not value.strip():
        raise ParameterError(param, f"expected a non-empty string, got {value!r}")
    return value

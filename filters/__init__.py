"""The filter library: one small class per filter, usable without Beam.

    from filters import GopherQualityFilter
    result = GopherQualityFilter().filter({"text": "..."})   # or a Document, or a str
    result.keep, result.reason, result.signals

Every filter has a `name` and `filter(doc) -> FilterResult(keep, reason, signals, detail)`;
`C4LineFilter` is a transformer (`transform(doc) -> TransformResult(text, signals)`). Thresholds
are constructor arguments whose defaults are the published values. `build_chain(steps)` builds a
chain from config steps (`[{name: {parameter: value}}, ...]`, names in `REGISTRY`) and
`apply_chain(chain, doc)` runs one document through it. `DEFAULT_STEPS` is the recommended chain.
"""

from filters.base import (
    BaseFilter,
    BaseTransformer,
    FilterResult,
    ParameterError,
    TransformResult,
)
from filters.c4 import C4LineFilter, C4QualityFilter
from filters.classifier import FastTextClassifierFilter
from filters.fineweb import FineWebQualityFilter
from filters.gopher import GopherQualityFilter, GopherRepetitionFilter
from filters.language import LanguageFilter
from filters.length import LengthFilter
from filters.registry import (
    DEFAULT_STEPS,
    REGISTRY,
    ChainError,
    ChainOutcome,
    apply_chain,
    build_chain,
    build_step,
    register,
)
from filters.toxicity import ToxicityFilter
from filters.urls import DomainFilter, UrlFilter

__all__ = [
    "DEFAULT_STEPS",
    "REGISTRY",
    "BaseFilter",
    "BaseTransformer",
    "C4LineFilter",
    "C4QualityFilter",
    "ChainError",
    "ChainOutcome",
    "DomainFilter",
    "FastTextClassifierFilter",
    "FilterResult",
    "FineWebQualityFilter",
    "GopherQualityFilter",
    "GopherRepetitionFilter",
    "LanguageFilter",
    "LengthFilter",
    "ParameterError",
    "ToxicityFilter",
    "TransformResult",
    "UrlFilter",
    "apply_chain",
    "build_chain",
    "build_step",
    "register",
]

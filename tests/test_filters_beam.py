"""The filter stage on the DirectRunner: kept documents, the ledger, and the counters."""

from __future__ import annotations

import apache_beam as beam
import pytest
from apache_beam.metrics.metric import MetricsFilter
from apache_beam.options.pipeline_options import PipelineOptions
from apache_beam.testing.test_pipeline import TestPipeline
from apache_beam.testing.util import assert_that, equal_to

from beam_jobs.filter import ApplyFilters
from beam_jobs.tags import DROPPED
from curation.document import Document
from curation.synth import generate
from curation.text import normalize_text
from filters import DEFAULT_STEPS, ChainError, apply_chain, build_chain

OPTIONS = PipelineOptions(["--runner=DirectRunner", "--direct_running_mode=in_memory"])

ENGLISH = (
    "The committee published its annual report on Tuesday, and the findings surprised many observers. "
    "Members of the public were invited to comment on the proposals before the end of the month. "
    "Several local groups said that they would respond in writing and attend the meetings. "
)
STEPS = [
    {"language": {"languages": ["en"], "min_score": 0.65}},
    {"c4_lines": None},
    {"gopher_quality": {"min_doc_words": 20}},
]


def doc(id_: str, text: str) -> Document:
    return Document(id=id_, text=text, source="t", url=f"https://{id_}.example.com/")


def docs() -> list[Document]:
    return [
        doc("keep", ENGLISH + "\nno punctuation here"),
        doc("german", "Der Ausschuss hat am Dienstag seinen Jahresbericht veröffentlicht. Das ist gut so."),
        doc("emptied", "Nothing here ends with a stop\nand neither does this line\nor this one"),
        doc("short", "The end of the story, and that is all."),
    ]


def test_kept_documents_have_language_and_transformed_text():
    with TestPipeline(options=OPTIONS) as p:
        out = p | beam.Create(docs()) | ApplyFilters(STEPS)
        assert_that(
            out.documents | beam.Map(lambda d: (d.id, d.language, d.language_score > 0.65, d.text)),
            equal_to([("keep", "en", True, ENGLISH.strip())]),
        )


def test_dropped_documents_go_to_the_ledger_with_stage_reason_and_detail():
    with TestPipeline(options=OPTIONS) as p:
        out = p | beam.Create(docs()) | ApplyFilters(STEPS)
        assert_that(
            out[DROPPED] | beam.Map(lambda d: (d.id, d.stage, d.reason, d.detail)),
            equal_to(
                [
                    ("german", "language", "language_not_allowed", _detail_of("german")),
                    ("emptied", "c4_lines", "empty_after_c4_lines", "no text left"),
                    ("short", "gopher_quality", "gopher_short_doc", "words=9 < 20"),
                ]
            ),
            label="dropped",
        )
        # the ledger row carries the text the document entered the stage with (the writer
        # decides whether to keep it), and the source fields
        assert_that(
            out[DROPPED] | "Texts" >> beam.Map(lambda d: (d.id, d.text == _text_of(d.id), d.url, d.source)),
            equal_to([(d.id, True, d.url, "t") for d in docs() if d.id != "keep"]),
            label="texts",
        )


def _text_of(id_: str) -> str:
    return next(d.text for d in docs() if d.id == id_)


def _detail_of(id_: str) -> str:
    return apply_chain(build_chain(STEPS), next(d for d in docs() if d.id == id_)).detail


def test_one_counter_per_filter_and_reason():
    p = TestPipeline(options=OPTIONS)
    out = p | beam.Create(docs() * 3) | ApplyFilters(STEPS)
    out.documents | "Kept" >> beam.Map(lambda d: d)
    result = p.run()
    result.wait_until_finish()
    counters = result.metrics().query(MetricsFilter().with_namespace("filters"))["counters"]
    values = {c.key.metric.name: c.committed for c in counters}
    assert values == {
        "language/language_not_allowed": 3,
        "c4_lines/empty_after_c4_lines": 3,
        "gopher_quality/gopher_short_doc": 3,
    }


def test_inputs_are_not_mutated():
    originals = docs()
    with TestPipeline(options=OPTIONS) as p:
        _ = p | beam.Create(originals) | ApplyFilters(STEPS)
    assert [d.text for d in originals] == [d.text for d in docs()]
    assert all(d.language is None for d in originals)


def test_a_bad_step_fails_when_the_graph_is_built():
    with pytest.raises(ChainError, match=r"steps\[0\]\.gopher_quality: unknown parameter 'min_wrods'"):
        ApplyFilters([{"gopher_quality": {"min_wrods": 3}}])


def test_default_chain_on_a_generated_corpus_accounts_for_every_document():
    records = list(generate(300, seed=3))
    corpus = [
        Document(
            id=r["id"], text=normalize_text(r["text"]), source="synth", url=r.get("url"), metadata={"kind": r["kind"]}
        )
        for r in records
    ]
    corpus = [d for d in corpus if d.text]
    stages = {next(iter(step)) for step in DEFAULT_STEPS}
    p = TestPipeline(options=OPTIONS)
    out = p | beam.Create(corpus) | ApplyFilters(DEFAULT_STEPS)
    kept = out.documents | "KeptIds" >> beam.Map(lambda d: d.id)
    dropped = out[DROPPED] | "DroppedIds" >> beam.Map(lambda d: d.id)
    assert_that(
        (kept, dropped) | beam.Flatten() | beam.combiners.Count.Globally(),
        equal_to([len(corpus)]),
        label="accounted",
    )
    assert_that(
        out[DROPPED]
        | beam.Filter(lambda d: d.stage not in stages or not d.reason)
        | "Bad" >> beam.combiners.Count.Globally(),
        equal_to([0]),
        label="stages",
    )
    assert_that(
        out.documents | beam.Filter(lambda d: d.language != "en") | "NotEnglish" >> beam.combiners.Count.Globally(),
        equal_to([0]),
        label="english",
    )
    result = p.run()
    result.wait_until_finish()
    counters = result.metrics().query(MetricsFilter().with_namespace("filters"))["counters"]
    dropped_total = sum(c.committed for c in counters)
    expected = sum(1 for d in corpus if not apply_chain(build_chain(DEFAULT_STEPS), d).kept)
    assert dropped_total == expected > 0
    junk = [d for d in corpus if d.metadata["kind"] == "junk"]
    assert junk and all(not apply_chain(build_chain(DEFAULT_STEPS), d).kept for d in junk)


def test_signals_of_every_step_a_document_met_are_written_on_request(tmp_path):
    """`filters.write_signals`: one row per (document, step, signal); the ledger names the step."""
    import pyarrow.parquet as pq
    from conftest import run_job, write_jsonl

    rows = [{"id": d.id, "text": d.text, "url": d.url} for d in docs()]
    write_jsonl(tmp_path / "in.jsonl", rows)
    config = {
        "input": {"paths": [str(tmp_path / "in.jsonl")]},
        "output": {"path": str(tmp_path / "out")},
        "filters": {"steps": STEPS, "write_signals": True},
    }
    manifest = run_job(config)
    signals = pq.read_table(tmp_path / "out" / "filter_signals.parquet").to_pylist()
    ledger = {row["id"]: row for row in pq.read_table(tmp_path / "out" / "dropped").to_pylist()}
    expected, outcomes = set(), {}
    for d in docs():
        outcome = apply_chain(build_chain(STEPS), d)
        outcomes[d.id] = outcome
        expected |= {(d.id, step, name) for step, name, measured in outcome.signals if measured}
    assert {(row["id"], row["step"], row["filter"]) for row in signals} == expected
    language = {row["id"]: row["label"] for row in signals if row["signal"] == "language"}
    assert language["german"] == "de" and language["keep"] == "en"
    for doc_id, row in ledger.items():
        assert (row["stage"], row["step"]) == (outcomes[doc_id].stage, outcomes[doc_id].step)
    assert manifest["output_documents"] == len(docs()) - len(ledger)
    unasked = dict(config, output={"path": str(tmp_path / "plain")}, filters={"steps": STEPS})
    run_job(unasked)
    assert not (tmp_path / "plain" / "filter_signals.parquet").exists()

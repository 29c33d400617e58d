"""Beam transforms on the DirectRunner with TestPipeline and assert_that."""

import apache_beam as beam
from apache_beam.options.pipeline_options import PipelineOptions
from apache_beam.testing.test_pipeline import TestPipeline
from apache_beam.testing.util import assert_that, equal_to
from conftest import write_jsonl

from beam_jobs.dedup import RemoveExactDuplicates
from beam_jobs.normalize import NormalizeText
from beam_jobs.read import ReadDocuments
from beam_jobs.tags import DROPPED, DUPLICATES, REJECTED
from curation.config import InputConfig, NormalizeConfig
from curation.document import Document
from curation.io.sources import plan_reads

OPTIONS = PipelineOptions(["--runner=DirectRunner", "--direct_running_mode=in_memory"])


def doc(id_: str, text: str) -> Document:
    return Document(id=id_, text=text, source="t", url=f"https://{id_}.example.com/")


def test_read_documents_splits_documents_and_rejections(tmp_path):
    for n in range(3):
        write_jsonl(tmp_path / f"f{n}.jsonl", [{"id": f"{n}-{i}", "text": f"t {i}"} for i in range(4)] + ["{bad"])
    config = InputConfig(paths=[str(tmp_path / "*.jsonl")])
    with TestPipeline(options=OPTIONS) as p:
        read = p | ReadDocuments(plan_reads(config), config)
        assert_that(
            read["documents"] | beam.Map(lambda d: d.id), equal_to([f"{n}-{i}" for n in range(3) for i in range(4)])
        )
        assert_that(
            read[REJECTED] | beam.Map(lambda r: (r.source_file.rsplit("/", 1)[1], r.position)),
            equal_to([(f"f{n}.jsonl", 5) for n in range(3)]),  # line 5, as sed numbers it
            label="rejected",
        )


def test_normalize_drops_documents_left_empty():
    with TestPipeline(options=OPTIONS) as p:
        out = p | beam.Create([doc("a", " x\u00a0 y \r\n"), doc("b", "\x00\x01")]) | NormalizeText(NormalizeConfig())
        assert_that(out.documents | beam.Map(lambda d: (d.id, d.text)), equal_to([("a", "x y")]))
        assert_that(
            out[DROPPED] | beam.Map(lambda d: (d.id, d.stage, d.reason)),
            equal_to([("b", "normalize", "empty_after_normalization")]),
            label="dropped",
        )


def test_exact_dedup_keeps_smallest_id_per_text():
    docs = [doc("c", "same"), doc("a", "same"), doc("b", "same"), doc("d", "other"), doc("e", "other")]
    with TestPipeline(options=OPTIONS) as p:
        out = p | beam.Create(docs) | RemoveExactDuplicates()
        assert_that(out.documents | beam.Map(lambda d: d.id), equal_to(["a", "d"]))
        assert_that(
            out[DROPPED] | beam.Map(lambda d: (d.id, d.reason, d.detail, d.text)),
            equal_to(
                [
                    ("b", "exact_duplicate", "a", "same"),
                    ("c", "exact_duplicate", "a", "same"),
                    ("e", "exact_duplicate", "d", "other"),
                ]
            ),
            label="dropped",
        )
        assert_that(
            out[DUPLICATES] | beam.Map(lambda r: (r["id"], r["kept_id"], r["stage"])),
            equal_to([("b", "a", "exact"), ("c", "a", "exact"), ("e", "d", "exact")]),
            label="duplicates",
        )


def test_exact_dedup_drops_carry_the_shared_text():
    with TestPipeline(options=OPTIONS) as p:
        out = p | beam.Create([doc("a", "same"), doc("b", "same")]) | RemoveExactDuplicates()
        assert_that(out[DROPPED] | beam.Map(lambda d: d.text), equal_to(["same"]))


def test_many_read_tasks_travel_through_staging_not_the_graph(tmp_path):
    for n in range(5):
        write_jsonl(tmp_path / f"f{n}.jsonl", [{"id": f"{n}-{i}", "text": f"t {i}"} for i in range(2)])
    config = InputConfig(paths=[str(tmp_path / "*.jsonl")])
    staging = tmp_path / "staging"
    with TestPipeline(options=OPTIONS) as p:
        read = p | ReadDocuments(plan_reads(config), config, staging_dir=str(staging), tasks_in_graph=2)
        assert_that(
            read["documents"] | beam.Map(lambda d: d.id), equal_to([f"{n}-{i}" for n in range(5) for i in range(2)])
        )
    assert len(list((staging / "tasks").glob("tasks-*.jsonl"))) == 3

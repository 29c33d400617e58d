"""Document identity: ids are unique per run, typed ids are kept or refused, and the shards do not
depend on the input's order, its split into files or the running mode."""

from __future__ import annotations

import gzip
import json
import random
from pathlib import Path

import apache_beam as beam
import pyarrow.parquet as pq
import pytest
from apache_beam.options.pipeline_options import PipelineOptions
from apache_beam.testing.test_pipeline import TestPipeline
from apache_beam.testing.util import assert_that, equal_to
from conftest import full_config, run_job, write_jsonl

from beam_jobs.identity import UniqueIds
from beam_jobs.tags import DROPPED
from curation.config import InputConfig
from curation.document import Document, Rejection, copy_id, distinct_id, record_digest
from curation.io.parse import to_document
from curation.io.readers import RawRecord
from curation.io.sources import ReadTask
from curation.synth import generate

OPTIONS = PipelineOptions(runner="DirectRunner", direct_running_mode="in_memory")
TASK = ReadTask("in.jsonl", "jsonl", "in")


def parse(fields: dict) -> Document | Rejection:
    return to_document(RawRecord(0, fields=fields), TASK, InputConfig())


@pytest.mark.parametrize(
    ("value", "expected"),
    [("doc-1", "doc-1"), (" 5 ", " 5 "), (5, "5"), (-12, "-12"), (2**70, str(2**70))],
)
def test_string_ids_are_kept_and_integers_become_decimal_strings(value, expected):
    assert parse({"id": value, "text": "a text"}).id == expected


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("", "empty id field 'id'"),
        ("  \t", "empty id field 'id'"),
        (5.0, "id field 'id' is float, not a string or an integer"),
        (True, "id field 'id' is bool, not a string or an integer"),
        ([1], "id field 'id' is list, not a string or an integer"),
        ({"a": 1}, "id field 'id' is dict, not a string or an integer"),
    ],
)
def test_unusable_ids_are_rejected_with_a_reason(value, reason):
    rejection = parse({"id": value, "text": "a text"})
    assert isinstance(rejection, Rejection)
    assert rejection.error == reason


def test_absent_or_null_ids_are_derived_from_the_position():
    derived = parse({"text": "a text"})
    assert derived.id == parse({"id": None, "text": "a text"}).id
    assert len(derived.id) == 20


def doc(doc_id: str, text: str, order: str, url: str | None = None) -> Document:
    return Document(id=doc_id, text=text, source="s", url=url, source_order=order)


def test_unique_ids_renames_differing_records_and_drops_repeated_readings():
    first, second = doc("5", "first text", "a"), doc("5", "second text", "b")
    lower, higher = sorted([first, second], key=record_digest)
    docs = [first, second, doc("5", "first text", "c"), doc("5", "first text", "d"), doc("6", "other", "e")]
    with TestPipeline(options=OPTIONS) as pipeline:
        result = pipeline | beam.Create(docs) | UniqueIds()
        ids = result.documents | "Ids" >> beam.Map(lambda d: (d.id, d.text, d.source_order))
        assert_that(
            ids,
            equal_to(
                [
                    ("5", lower.text, lower.source_order),
                    (distinct_id("5", record_digest(higher)), higher.text, higher.source_order),
                    ("6", "other", "e"),
                ]
            ),
        )
        kept_id = "5" if lower is first else distinct_id("5", record_digest(first))
        drops = result[DROPPED] | "Drops" >> beam.Map(lambda d: (d.id, d.stage, d.reason))
        assert_that(
            drops,
            equal_to([(copy_id(kept_id, n), "parse", "repeated_record") for n in (2, 3)]),
            label="CheckDrops",
        )


def test_a_record_differing_only_in_url_or_metadata_is_not_a_repeat():
    docs = [doc("x", "same text", "a", url="https://a.example/"), doc("x", "same text", "b", url="https://b.example/")]
    with TestPipeline(options=OPTIONS) as pipeline:
        result = pipeline | beam.Create(docs) | UniqueIds()
        assert_that(result.documents | beam.Map(lambda d: d.id.split("~")[0]), equal_to(["x", "x"]))
        assert_that(result[DROPPED], equal_to([]), label="NoDrops")


def read_output(out: Path, subdir: str) -> list[dict]:
    return [row for path in sorted((out / subdir).glob("*.parquet")) for row in pq.read_table(path).to_pylist()]


def shard_bytes(out: Path) -> dict[str, bytes]:
    """Shards, ledger, duplicates and domain scores by relative path (rejections name files and positions)."""
    return {
        str(p.relative_to(out)): p.read_bytes()
        for p in sorted(out.rglob("*.parquet"))
        if p.is_file() and not str(p.relative_to(out)).startswith("rejected")
    }


NEAR = " ".join(f"word{i} sentence number {i} of the shared story goes on." for i in range(60))
UNRELATED = " ".join(f"another{i} completely different article line {i} here." for i in range(60))


def test_a_repeated_id_never_makes_an_unrelated_document_a_near_duplicate(tmp_path):
    """The issue's case: two documents share id 5; the second is near a third. Before, the MinHash
    graph merged both under one node and the shards varied from run to run (3, 1, 1, 1 documents)."""
    rows = [
        {"id": 5, "text": UNRELATED},
        {"id": "5", "text": NEAR},
        {"id": "6", "text": NEAR + " A last line that differs."},
    ]
    outputs = []
    multi = ["--direct_running_mode=multi_processing", "--direct_num_workers=2"]
    for index, (order, args) in enumerate([([0, 1, 2], []), ([2, 1, 0], []), ([1, 2, 0], multi)]):
        corpus = write_jsonl(tmp_path / f"in{index}.jsonl", [rows[i] for i in order])
        out = tmp_path / f"out{index}"
        config = {
            "input": {"paths": [str(corpus)], "source": "s"},
            "output": {"path": str(out)},
            "minhash": {"enabled": True, "threshold": 0.5, "verify": "exact"},
        }
        manifest = run_job(config, args)
        assert manifest["input_documents"] == 3
        outputs.append(shard_bytes(out))
        texts = {row["id"]: row["text"] for row in read_output(out, "data")}
        assert UNRELATED in texts.values()  # the unrelated document always survives
        assert len(texts) == 2 and manifest["dropped"] == {"minhash_dedup/near_duplicate": 1}
        assert len(set(texts)) == len(texts)
    assert outputs[0] == outputs[1] == outputs[2]


def corpus_with_repeated_ids(docs: int = 240) -> list[dict]:
    """Generated pages, plus records that reuse another's id with other text, and exact repeats."""
    rows = list(generate(docs, seed=11))
    rng = random.Random(4)
    for i, row in enumerate(rng.sample(rows, 12)):
        rows.append({**rng.choice(rows), "id": row["id"], "text": f"A different page {i}. " + row["text"][::-1]})
    rows.extend(dict(row) for row in rng.sample(rows, 12))  # the same record read twice
    return rows


def write_split(rows: list[dict], directory: Path, files: int) -> list[str]:
    directory.mkdir()
    paths = []
    for index in range(files):
        path = directory / f"part{index}.jsonl.gz"
        path.write_bytes(gzip.compress(b"".join(json.dumps(r).encode() + b"\n" for r in rows[index::files]), mtime=0))
        paths.append(str(path))
    return paths


def test_shuffled_and_split_inputs_give_the_same_shards(tmp_path):
    """A property over permutations: every stage on, the records shuffled and dealt over 1, 3 or 5
    files with a fixed `input.source`; shards, ledger, duplicates and domain scores never change."""
    rows = corpus_with_repeated_ids()
    results = []
    for seed, files in [(0, 1), (1, 3), (2, 5)]:
        shuffled = rows[:]
        random.Random(seed).shuffle(shuffled)
        config = full_config(tmp_path / "unused", tmp_path / f"out{seed}", tokens_per_shard=20_000)
        config["input"] = {"paths": write_split(shuffled, tmp_path / f"in{seed}", files), "source": "crawl"}
        manifest = run_job(config)
        results.append((shard_bytes(tmp_path / f"out{seed}"), manifest["dropped"], manifest["output_documents"]))
    assert results[0][1]["parse/repeated_record"] == 12
    assert results[0] == results[1] == results[2]
    out = tmp_path / "out0"
    ids = [row["id"] for row in read_output(out, "data")] + [row["id"] for row in read_output(out, "dropped")]
    assert len(ids) == len(set(ids)) == len(rows)

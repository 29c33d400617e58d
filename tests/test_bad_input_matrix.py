"""The bad-input matrix through every stage at once: each planted record ends in a shard, the drop
ledger (with stage and reason) or `rejected/` (with file, position and error), nothing raises, the
manifest invariant holds and `curation verify` agrees."""

from __future__ import annotations

import gzip
import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import full_config, run_job, write_jsonl
from test_readers import HTML, _warc

from curation.synth import write_corpus
from curation.verify import verify_output

# jsonl lines: (what, raw line, the error its rejection must name)
BAD_LINES = [
    ("malformed JSON", b'{"id": "m1", "text": "unterminated', "malformed JSON"),
    ("invalid UTF-8", b'{"id": "u1", "text": "caf\xe9 \xff\xfe"}', "invalid UTF-8"),
    ("number as text", b'{"id": "n1", "text": 42}', "is int, not a string"),
    ("list as text", b'{"id": "l1", "text": ["a", "b"]}', "is list, not a string"),
    ("null text", b'{"id": "z1", "text": null}', "missing text field"),
    ("missing text", b'{"id": "x1", "body": "no text key"}', "missing text field"),
    ("empty text", b'{"id": "e1", "text": ""}', "empty text field"),
    ("JSON array", b'["not", "an", "object"]', "where an object was expected"),
    ("nested too deep", b'{"text": "x", "m": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", "nested too deeply"),
]
# parsed documents: (id, text, url, where it must end: "shard" or "dropped")
HOSTILE_DOCS = [
    ("controls", "\x01\x02\x7f\u200b\x0b", None, "dropped"),  # control and format characters only
    ("nul", "Nul\x00 bytes\x00 in a sentence. " * 40, None, "either"),
    ("emoji", "😀🎉🔥" * 400, None, "dropped"),
    ("cjk", "这是一个测试文本用来检查中文处理是否正常。" * 60, "http://[::1", "either"),
    ("rtl", "זהו טקסט לבדיקה של כתיבה מימין לשמאל. " * 60, "ht!tp://not a url", "either"),
    ("huge", "lorem " * 3_500_000, "https://big.example.com/x", "either"),  # a 20 MB document
]


@pytest.fixture(scope="module")
def matrix(tmp_path_factory):
    root = tmp_path_factory.mktemp("matrix")
    inputs = root / "in"
    inputs.mkdir()
    write_corpus(inputs / "good.jsonl.gz", 300, seed=4)
    bad = [line for _, line, _ in BAD_LINES]
    hostile = [json.dumps({"id": i, "text": t, "url": u}).encode() for i, t, u, _ in HOSTILE_DOCS]
    nested: dict = {"leaf": 1}
    for _ in range(900):
        nested = {"a": nested}
    hostile.append(json.dumps({"id": "deepmeta", "text": "Metadata nested deeply. " * 30, "meta": nested}).encode())
    write_jsonl(inputs / "mixed.jsonl", [*bad, *hostile])
    cut = gzip.compress(b"".join(json.dumps({"text": f"line {i} " * 30}).encode() + b"\n" for i in range(4000)))
    (inputs / "truncated.jsonl.gz").write_bytes(cut[: len(cut) // 2])
    (inputs / "corrupt.jsonl.zst").write_bytes(b"\x28\xb5\x2f\xfd this is not a zstd frame")
    (inputs / "garbage.jsonl.gz").write_bytes(b"\x1f\x8b\x08\x00 not gzip after all")
    pq.write_table(pa.table({"body": ["no text column"] * 5}), inputs / "wrong_columns.parquet")
    warc = _warc([("https://a.example.com/", HTML, "text/html")])
    (inputs / "broken.warc.gz").write_bytes(warc + b"not a WARC record\r\n\r\n" + warc)
    out = root / "out"
    config = full_config(inputs / "*", out, tokens_per_shard=100_000)
    config["input"]["format"] = "auto"
    return run_job(config), out


def test_every_bad_record_is_rejected_with_its_reason(matrix):
    manifest, out = matrix
    rejected = pq.read_table(out / "rejected").to_pylist()
    mixed = {row["position"]: row["error"] for row in rejected if row["source_file"].endswith("mixed.jsonl")}
    for position, (what, _, error) in enumerate(BAD_LINES):
        assert error in mixed.get(position, ""), (what, mixed.get(position))
    by_file = {row["source_file"].rsplit("/", 1)[-1]: row for row in rejected if row["position"] is None}
    assert set(by_file) >= {"truncated.jsonl.gz", "corrupt.jsonl.zst", "garbage.jsonl.gz", "wrong_columns.parquet"}
    assert "lacks column" in by_file["wrong_columns.parquet"]["error"]
    assert by_file["broken.warc.gz"]["error"].startswith("unreadable input after")
    assert all(row["raw"] is None for row in rejected)  # no content kept unless asked
    assert manifest["rejected_records"] == len(rejected)


def test_every_parsed_document_ends_in_one_place(matrix):
    manifest, out = matrix
    shards = pq.read_table(out / "data", columns=["id", "text", "url"]).to_pylist()
    ledger = pq.read_table(out / "dropped").to_pylist()
    kept = [row["id"] for row in shards]
    dropped = [row["id"] for row in ledger]
    assert len(kept) == len(set(kept)) and not set(kept) & set(dropped)
    assert manifest["input_documents"] == len(kept) + len(dropped) == manifest["output_documents"] + len(ledger)
    assert all(row["stage"] and row["reason"] for row in ledger)
    for doc_id, _, _, place in HOSTILE_DOCS:
        assert (doc_id in kept) != (doc_id in dropped), doc_id
        if place != "either":
            assert (doc_id in kept) == (place == "shard"), doc_id
    reasons = {row["id"]: f"{row['stage']}/{row['reason']}" for row in ledger}
    assert reasons["controls"].startswith(("normalize/", "language/"))
    assert reasons["emoji"].startswith(("language/", "gopher_"))
    text = {row["id"]: row["text"] for row in shards}
    assert "\x00" not in "".join(text.values())
    assert "deepmeta" in kept or "deepmeta" in dropped
    warc_copies = [row for row in shards + ledger if row["url"] == "https://a.example.com/"]
    assert len(warc_copies) == 1  # the response before the break was read


def test_the_output_verifies(matrix):
    _, out = matrix
    assert verify_output(str(out)) == []

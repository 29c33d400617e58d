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
    ("float id", b'{"id": 5.0, "text": "a float id"}', "id field 'id' is float"),
    ("boolean id", b'{"id": true, "text": "a boolean id"}', "id field 'id' is bool"),
    ("empty id", b'{"id": " ", "text": "an empty id"}', "empty id field 'id'"),
]
# parsed documents: (id, text, url, where it must end: "shard" or "dropped")
HOSTILE_DOCS = [
    ("controls", "\x01\x02\x7f\u200b\x0b", None, "dropped"),  # control and format characters only
    ("nul", "Nul\x00 bytes\x00 in a sentence. " * 40, None, "either"),
    ("emoji", "😀🎉🔥" * 400, None, "dropped"),
    ("cjk", "这是一个测试文本用来检查中文处理是否正常。" * 60, "http://[::1", "either"),
    ("rtl", "זהו טקסט לבדיקה של כתיבה מימין לשמאל. " * 60, "ht!tp://not a url", "either"),
    ("huge", "lorem " * 3_500_000, "https://big.example.com/x", "either"),  # a 20 MB document
    # 100 KB of one letterless token: Gopher's old alpha-word regex held a worker for minutes on it
    ("equals", "A page about tables and the lines between them. " * 40 + "=" * 100_000, None, "either"),
]
# records that share an id: (id, text); "rep" twice with other texts, "77" as integer and string
REPEATED = [
    ("rep", "The first page that uses the id rep. " * 30),
    ("rep", "A second, unrelated page that reuses the id rep. " * 30),
    (77, "An integer id seventy-seven on this page. " * 30),
    ("77", "A string id seventy-seven on another page. " * 30),
]
TWICE = {"id": "twice", "text": "The same record read twice from the input. " * 30, "url": "https://t.example/"}
ROWS_PER_ENCODING = 6
JAPANESE = (
    "日本語のページです。文字化けしないことを確かめます。東京は日本の首都で、多くの人が住んでいます。"
    "春には桜が咲き、公園は花見の客でにぎわいます。夏は暑く、海や山へ出かける家族が増えます。"
    "秋になると紅葉が美しく、京都の寺には観光客が集まります。冬は北の地方で雪が多く降ります。"
)


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
    repeated = [json.dumps({"id": i, "text": t}).encode() for i, t in REPEATED]
    twice = json.dumps(TWICE).encode()
    write_jsonl(inputs / "mixed.jsonl", [*bad, *hostile, *repeated, twice, twice])
    write_jsonl(inputs / "again.jsonl", [TWICE])  # the same fields from another source: another record
    rows = [json.dumps({"id": f"u16-{i}", "text": f"UTF-16 page {i}. " * 30}) for i in range(ROWS_PER_ENCODING)]
    (inputs / "utf16.jsonl").write_bytes("\n".join(rows).encode("utf-16"))  # with a byte-order mark
    rows = [json.dumps({"id": f"cr-{i}", "text": f"Old Mac line ends {i}. " * 30}) for i in range(ROWS_PER_ENCODING)]
    (inputs / "cr_only.jsonl").write_bytes("\r".join(rows).encode())
    euc = f"<html><body><p>{JAPANESE}</p></body></html>".encode("euc-jp")
    (inputs / "euc_jp.warc.gz").write_bytes(_warc([("https://jp.example.jp/", euc, "text/html; charset=EUC-JP")]))
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
    for position, (what, _, error) in enumerate(BAD_LINES, 1):  # the line, from 1
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


def test_repeated_ids_become_unique_and_a_record_read_twice_is_kept_once(matrix):
    _, out = matrix
    shards = pq.read_table(out / "data", columns=["id"]).column("id").to_pylist()
    ledger = pq.read_table(out / "dropped").to_pylist()
    ids = shards + [row["id"] for row in ledger]
    assert len(ids) == len(set(ids))
    for doc_id in ("rep", "77"):
        assert ids.count(doc_id) == 1 and len([i for i in ids if i.startswith(f"{doc_id}~")]) == 1
    assert len([i for i in ids if i.startswith("twice")]) == 3  # two sources, one of them read twice
    (copy,) = [row for row in ledger if row["id"].startswith("twice") and row["id"].endswith("~copy2")]
    assert (copy["stage"], copy["reason"]) == ("parse", "repeated_record")


def test_other_encodings_are_read_record_by_record(matrix):
    _, out = matrix
    rejected = pq.read_table(out / "rejected").to_pylist()
    other_encodings = ("utf16.jsonl", "cr_only.jsonl", "euc_jp.warc.gz")
    assert not [row for row in rejected if row["source_file"].endswith(other_encodings)]
    shards = pq.read_table(out / "data", columns=["id", "text"]).to_pylist()
    ids = [row["id"] for row in shards] + pq.read_table(out / "dropped").column("id").to_pylist()
    for prefix in ("u16-", "cr-"):
        assert sorted(i for i in ids if i.startswith(prefix)) == [f"{prefix}{n}" for n in range(ROWS_PER_ENCODING)]
    japanese = [row["text"] for row in shards if JAPANESE[:6] in row["text"]]
    assert japanese, "the EUC-JP page (charset in the HTTP header only) was not decoded"


def test_the_output_verifies(matrix):
    _, out = matrix
    assert verify_output(str(out)) == []

"""Every input format, read through `plan_reads` + `read_file` + `to_document` as the pipeline does."""

import gzip
import io

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import zstandard
from conftest import shared_data, write_jsonl

from curation.config import InputConfig
from curation.document import Document, Rejection, stable_id
from curation.io.parse import to_document
from curation.io.readers import detect_format, read_file, read_hf_shard
from curation.io.sources import InputError, open_binary, plan_reads

HTML = b"""<html><head><title>T</title></head><body><nav>Home | About</nav><article><h1>A headline</h1>
<p>This is the first paragraph of a real article with enough words to be kept by the extractor.</p>
<p>And a second paragraph follows here, again with a sentence or two of ordinary prose text.</p>
</article><footer>All rights reserved</footer></body></html>"""


def read_all(pattern: str, **config) -> list:
    cfg = InputConfig(paths=[pattern], **config)
    results = []
    for task in plan_reads(cfg):
        if task.format == "huggingface":
            records = read_hf_shard(task.path, cfg.split, task.shard)
        else:
            records = read_file(task.path, task.format, open_binary, required=(cfg.text_key,))
        results.extend(to_document(record, task, cfg) for record in records)
    return results


def docs_of(results):
    return [r for r in results if isinstance(r, Document)]


def rejections_of(results):
    return [r for r in results if isinstance(r, Rejection)]


ROWS = [{"id": f"r{i}", "url": f"https://www.site{i}.co.uk/x", "text": f"text {i}", "lang": "en"} for i in range(5)]


@pytest.mark.parametrize("name", ["c.jsonl", "c.jsonl.gz", "c.jsonl.zst"])
def test_jsonl_plain_and_compressed(tmp_path, name):
    path = tmp_path / name
    write_jsonl(path, ROWS, compress=False)
    if name.endswith(".gz"):
        path.write_bytes(gzip.compress(path.read_bytes()))
    elif name.endswith(".zst"):
        path.write_bytes(zstandard.ZstdCompressor().compress(path.read_bytes()))
    docs = docs_of(read_all(str(path)))
    assert [d.id for d in docs] == [f"r{i}" for i in range(5)]
    assert docs[1].domain == "site1.co.uk"
    assert docs[1].metadata == {"lang": "en"}
    assert docs[0].source == "c"


def test_jsonl_bad_records_are_rejected_with_reasons(tmp_path):
    path = write_jsonl(
        tmp_path / "bad.jsonl",
        [
            {"text": "good"},
            "{not json",
            b'{"text": "caf\xe9"}',
            {"text": 12},
            {"text": "   "},
            {"other": "no text"},
            "[1, 2]",
            {"text": None},
        ],
    )
    results = read_all(str(path))
    assert len(docs_of(results)) == 1
    errors = [r.error for r in rejections_of(results)]
    assert errors[0].startswith("malformed JSON")
    assert errors[1].startswith("invalid UTF-8")
    assert errors[2:] == [
        "text field 'text' is int, not a string",
        "empty text field 'text'",
        "missing text field 'text' (the record's fields: other)",
        "JSON list where an object was expected",
        "missing text field 'text' (null)",
    ]
    assert [r.position for r in rejections_of(results)] == [2, 3, 4, 5, 6, 7, 8]  # lines, from 1
    assert {r.unit for r in rejections_of(results)} == {"line"}


def test_a_missing_text_field_names_the_fields_but_never_a_value_or_a_key_that_could_be_data(tmp_path):
    record = {"content": "x", "jane@example.com": "y", "a b": 1, "id": 3}
    path = write_jsonl(tmp_path / "k.jsonl", [record])
    (rejection,) = rejections_of(read_all(str(path)))
    assert rejection.error == "missing text field 'text' (the record's fields: content, id)"


def test_error_messages_carry_no_content(tmp_path):
    secret = "jane.doe@example.com"
    path = write_jsonl(tmp_path / "p.jsonl", ['{"text": "' + secret, {"text": 5, "email": secret}])
    for rejection in rejections_of(read_all(str(path))):
        assert secret not in rejection.error
        assert secret in rejection.raw  # kept only when output.rejected_raw asks


def test_truncated_gzip_keeps_what_was_read(tmp_path):
    data = gzip.compress(b"".join(f'{{"text": "doc {i}"}}\n'.encode() for i in range(2000)))
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(data[: len(data) // 2])
    results = read_all(str(path))
    assert 0 < len(docs_of(results)) < 2000
    (rejection,) = rejections_of(results)
    assert rejection.position is None and "unreadable input after" in rejection.error


def test_corrupt_zstd_is_one_rejection(tmp_path):
    path = tmp_path / "bad.jsonl.zst"
    path.write_bytes(b"\x28\xb5\x2f\xfd garbage that is not a frame")
    (rejection,) = read_all(str(path))
    assert isinstance(rejection, Rejection) and rejection.position is None


def test_truncated_zstd_is_named_and_frames_in_sequence_are_read(tmp_path):
    lines = b"".join(f'{{"text": "doc {i} {i * 7919 % 10007} {i * 104729}"}}\n'.encode() for i in range(30_000))
    frame = zstandard.ZstdCompressor().compress(lines)
    (tmp_path / "cut.jsonl.zst").write_bytes(frame[: len(frame) // 2])
    results = read_all(str(tmp_path / "cut.jsonl.zst"))
    assert 0 < len(docs_of(results)) < 30_000
    assert rejections_of(results)[-1].error.startswith("unreadable input after")
    assert "ZstdError" in rejections_of(results)[-1].error
    (tmp_path / "two.jsonl.zst").write_bytes(frame + frame)  # e.g. files concatenated with cat
    results = read_all(str(tmp_path / "two.jsonl.zst"))
    assert len(docs_of(results)) == 60_000 and not rejections_of(results)


def test_a_byte_order_mark_before_the_first_line_is_skipped(tmp_path):
    path = tmp_path / "bom.jsonl"
    path.write_bytes(b'\xef\xbb\xbf{"text": "first"}\n{"text": "second"}\n')
    assert [doc.text for doc in docs_of(read_all(str(path)))] == ["first", "second"]


def test_stable_ids_when_input_has_none(tmp_path):
    path = write_jsonl(tmp_path / "noid.jsonl", [{"text": "a"}, {"text": "b"}])
    first = [d.id for d in docs_of(read_all(str(path)))]
    assert first == [d.id for d in docs_of(read_all(str(path)))]
    assert len(set(first)) == 2


def test_field_names_are_mapped(tmp_path):
    path = write_jsonl(tmp_path / "m.jsonl", [{"content": "body", "doc_id": 7, "link": "http://a.example.org/"}])
    (doc,) = read_all(str(path), text_key="content", id_key="doc_id", url_key="link")
    assert (doc.text, doc.id, doc.domain, doc.metadata) == ("body", "7", "example.org", {})


def test_glob_expands_in_stable_order_and_missing_input_is_an_error(tmp_path):
    for name in ("b.jsonl", "a.jsonl"):
        write_jsonl(tmp_path / name, [{"text": name}])
    assert [d.text for d in docs_of(read_all(str(tmp_path / "*.jsonl")))] == ["a.jsonl", "b.jsonl"]
    with pytest.raises(InputError, match="input not found"):
        plan_reads(InputConfig(paths=[str(tmp_path / "nothing*.jsonl")]))


def test_parquet_and_wrong_columns(tmp_path):
    pq.write_table(pa.Table.from_pylist(ROWS), tmp_path / "good.parquet")
    assert len(docs_of(read_all(str(tmp_path / "good.parquet")))) == 5
    pq.write_table(pa.table({"body": ["x", "y"]}), tmp_path / "wrong.parquet")
    (rejection,) = read_all(str(tmp_path / "wrong.parquet"))
    assert "lacks column(s) ['text']" in rejection.error and "2 rows" in rejection.error
    (tmp_path / "junk.parquet").write_bytes(b"PAR1 not really")
    (rejection,) = read_all(str(tmp_path / "junk.parquet"))
    assert "not a readable Parquet file" in rejection.error


def test_hf_save_to_disk_and_dataset_dict(tmp_path):
    import datasets

    datasets.Dataset.from_list(ROWS).save_to_disk(str(tmp_path / "saved"), num_shards=2)
    docs = docs_of(read_all(str(tmp_path / "saved")))
    assert sorted(d.id for d in docs) == [f"r{i}" for i in range(5)]
    datasets.DatasetDict({"train": datasets.Dataset.from_list(ROWS[:2])}).save_to_disk(str(tmp_path / "dd"))
    assert len(docs_of(read_all(str(tmp_path / "dd"), format="hf_disk"))) == 2


def test_hf_load_dataset_on_local_files(tmp_path):
    folder = tmp_path / "hub_like"
    folder.mkdir()
    write_jsonl(folder / "part1.jsonl", ROWS[:3])
    write_jsonl(folder / "part2.jsonl", ROWS[3:])
    docs = docs_of(read_all(str(folder), format="huggingface"))
    assert sorted(d.id for d in docs) == [f"r{i}" for i in range(5)]


def _warc(records: list[tuple[str, bytes, str]]) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    for url, payload, content_type in records:
        headers = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
        writer.write_record(
            writer.create_warc_record(url, "response", payload=io.BytesIO(payload), http_headers=headers)
        )
        writer.write_record(writer.create_warc_record(url, "request", payload=io.BytesIO(b"GET / HTTP/1.1\r\n\r\n")))
    return buffer.getvalue()


def test_warc_html_to_text_and_non_html_rejected(tmp_path):
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(
        _warc(
            [
                ("https://blog.example.com/a", HTML, "text/html; charset=utf-8"),
                ("https://x.org/i.png", b"\x89PNG", "image/png"),
            ]
        )
    )
    results = read_all(str(path))
    (doc,) = docs_of(results)
    assert "first paragraph of a real article" in doc.text and "All rights reserved" not in doc.text
    assert doc.url == "https://blog.example.com/a" and doc.domain == "example.com"
    assert doc.metadata["warc_record_id"].startswith("<urn:uuid:")
    (rejection,) = rejections_of(results)
    assert rejection.error.startswith("not an HTML response (image/png")


def test_warc_broken_midway_keeps_earlier_records(tmp_path):
    good = _warc([("https://a.example.com/", HTML, "text/html")] * 2)
    path = tmp_path / "broken.warc.gz"
    path.write_bytes(good + b"this is not a WARC record\r\n\r\n" + good)
    results = read_all(str(path))
    assert len(docs_of(results)) == 2
    assert isinstance(results[-1], Rejection) and results[-1].position is None
    assert results[-1].error.startswith("unreadable input after")


def test_wet_conversion_records(tmp_path):
    from warcio.warcwriter import WARCWriter

    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    for i in range(3):
        payload = io.BytesIO(f"Plain text of page {i}.\nSecond line.".encode())
        writer.write_record(writer.create_warc_record(f"https://p{i}.example.net/", "conversion", payload=payload))
    path = tmp_path / "CC-MAIN-1.warc.wet.gz"
    path.write_bytes(buffer.getvalue())
    docs = docs_of(read_all(str(path)))
    assert [d.url for d in docs] == [f"https://p{i}.example.net/" for i in range(3)]
    assert docs[0].source == "CC-MAIN-1" and docs[2].text.startswith("Plain text of page 2.")


def test_real_common_crawl_warc_files():
    folder = shared_data("web/cc_warc")
    results = read_all(str(folder / "*.warc.gz"))
    docs = docs_of(results)
    assert len(docs) >= 40  # 63 HTML responses in the three files; a few have no main text
    assert all(d.url.startswith("http") and d.text.strip() for d in docs)
    assert all(r.error for r in rejections_of(results))


def test_unknown_extension_asks_for_format():
    with pytest.raises(ValueError, match=r"set input\.format"):
        detect_format("data.csv")


def test_positions_count_from_one_in_each_formats_own_unit(tmp_path):
    """A rejection points where a person looks: `sed -n Np` for JSON Lines, row N, record N."""
    data = b'{"text": "ok"}\n\n{bad\n   \n{"text": 5}\r\n{"text": "ok"}\n{"id": " ", "text": "x"}'
    (tmp_path / "a.jsonl").write_bytes(data)
    rejected = rejections_of(read_all(str(tmp_path / "a.jsonl")))
    assert [r.position for r in rejected] == [3, 5, 7]
    lines = data.split(b"\n")  # what sed numbers
    assert [lines[r.position - 1][:4] for r in rejected] == [b"{bad", b'{"te', b'{"id']
    assert rejected[0].where == f"{tmp_path}/a.jsonl: line 3"
    pq.write_table(pa.Table.from_pylist([{"text": "a"}, {"text": ""}, {"text": "c"}]), tmp_path / "p.parquet")
    (row,) = rejections_of(read_all(str(tmp_path / "p.parquet")))
    assert row.where == f"{tmp_path}/p.parquet: row 2"
    responses = [("https://a.example.com/", HTML, "text/html"), ("https://x.org/i.png", b"\x89PNG", "image/png")]
    (tmp_path / "w.warc.gz").write_bytes(_warc(responses))  # response, request, response, request
    (record,) = rejections_of(read_all(str(tmp_path / "w.warc.gz")))
    assert record.where == f"{tmp_path}/w.warc.gz: record 3"
    (tmp_path / "bad.jsonl.zst").write_bytes(b"not zstd")
    (whole,) = read_all(str(tmp_path / "bad.jsonl.zst"))
    assert whole.position is None and whole.where == f"{tmp_path}/bad.jsonl.zst"  # the whole file


def test_arrow_rows_count_from_one(tmp_path):
    import datasets

    rows = [{"text": "a"}, {"text": "b"}, {"text": " "}, {"text": "d"}]
    datasets.Dataset.from_list(rows).save_to_disk(str(tmp_path / "saved"))
    (rejection,) = rejections_of(read_all(str(tmp_path / "saved")))
    assert (rejection.unit, rejection.position) == ("row", 3)


def test_blank_lines_move_line_numbers_but_not_ids_or_read_order(tmp_path):
    """Ids derived from where a record sits, and the read order, count records (blank lines are
    none): they stay as they were before positions became line numbers."""
    rows = [{"text": "first"}, "{bad", {"text": "second"}, {"text": "third"}]
    path = write_jsonl(tmp_path / "a.jsonl", rows)
    dense = read_all(str(path))
    write_jsonl(path, ["", rows[0], "", "", rows[1], rows[2], "  ", rows[3]])
    spaced = read_all(str(path))
    assert [r.position for r in rejections_of(dense)] == [2]
    assert [r.position for r in rejections_of(spaced)] == [5]
    assert [d.source_order for d in docs_of(dense)] == [f"{path}\x1f{i:012d}" for i in (0, 2, 3)]
    assert [(d.id, d.source_order) for d in docs_of(spaced)] == [(d.id, d.source_order) for d in docs_of(dense)]
    assert docs_of(dense)[0].id == stable_id("a", str(path), 0)


def test_fail_fast_names_the_line_as_sed_numbers_it(tmp_path, capsys):
    from curation_cli.main import main

    (tmp_path / "data.jsonl").write_text('{"text": "fine"}\n\n{"text": "also fine"}\n\n{broken\n')
    config = tmp_path / "c.yaml"
    config.write_text(f"input:\n  paths: ['{tmp_path}/data.jsonl']\n  fail_fast: true\noutput:\n  path: {tmp_path}/o\n")
    assert main(["run", "--config", str(config), "--quiet"]) != 0
    assert f"{tmp_path}/data.jsonl: line 5: malformed JSON" in capsys.readouterr().err

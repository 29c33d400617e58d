"""Character encodings of the inputs: WARC pages in legacy charsets (declared in the HTTP header,
in a `<meta>` tag, or nowhere), and JSON Lines in UTF-16/UTF-32 or with CR-only line ends."""

from __future__ import annotations

import codecs
import gzip
import io
import json
from pathlib import Path

import pytest

from curation.io.readers import RawRecord, read_file, read_jsonl, read_warc
from curation.io.sources import open_binary

# Short texts: too little for charset detection to tell the encoding reliably.
JAPANESE = "吾輩は猫である。名前はまだ無い。"
RUSSIAN = "Привет, мир!"
CHINESE = "北京是中国的首都。"
TRADITIONAL = "這是一個測試段落，沒有亂碼。"  # noqa: RUF001
FRENCH = "Déjà vu : l’été « chez Zoë » — naïf."  # noqa: RUF001
CZECH = "Příliš žluťoučký kůň úpěl."
# Longer ones, for detection when nothing declares the charset.
LONG_JAPANESE = (
    "吾輩は猫である。名前はまだ無い。どこで生れたかとんと見当がつかぬ。何でも薄暗いじめじめした所で泣いていた。"
)
LONG_RUSSIAN = "Все счастливые семьи похожи друг на друга, каждая несчастливая семья несчастлива по-своему."  # noqa: RUF001


def page(text: str, meta: str = "", repeat: int = 1) -> str:
    """A short HTML page around `text` (`repeat` paragraphs of it), `meta` in its head."""
    body = f"<p>{text}</p>" * repeat
    return f"<html><head>{meta}<title>t</title></head><body><article>{body}</article></body></html>"


def warc_bytes(pages: list[tuple[bytes, str]]) -> bytes:
    """A gzipped WARC of HTML responses: (body, Content-Type header) each."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    for number, (body, content_type) in enumerate(pages):
        headers = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
        url = f"https://p{number}.example.jp/"
        writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=headers))
    return buffer.getvalue()


def extracted(body: bytes, content_type: str) -> str:
    (record,) = read_warc(io.BytesIO(warc_bytes([(body, content_type)])))
    assert record.error is None, record.error
    return record.fields["text"]


@pytest.mark.parametrize(
    ("text", "charset"),
    [
        (JAPANESE, "EUC-JP"),
        (JAPANESE, "Shift_JIS"),
        (JAPANESE, "iso-2022-jp"),
        (RUSSIAN, "windows-1251"),
        (RUSSIAN, "KOI8-R"),
        (CHINESE, "GBK"),
        (CHINESE, "gb2312"),
        (TRADITIONAL, "Big5"),
        (FRENCH, "windows-1252"),
        (CZECH, "ISO-8859-2"),
    ],
)
def test_charset_only_in_the_http_header(text, charset):
    assert text in extracted(page(text).encode(charset), f"text/html; charset={charset}")


def test_quoted_header_charset_and_aliases():
    assert RUSSIAN in extracted(page(RUSSIAN).encode("cp1251"), 'text/html; Charset="CP1251"')
    assert JAPANESE in extracted(page(JAPANESE).encode("euc_jp"), "text/html;charset=x-euc-jp")


def test_latin1_label_means_windows_1252():
    """WHATWG: iso-8859-1, latin1 and ascii labels decode as windows-1252 (curly quotes, dashes)."""
    for label in ("ISO-8859-1", "latin1", "us-ascii"):
        assert FRENCH in extracted(page(FRENCH).encode("cp1252"), f"text/html; charset={label}")


@pytest.mark.parametrize(
    ("text", "charset", "meta"),
    [
        (JAPANESE, "euc_jp", '<meta charset="EUC-JP">'),
        (JAPANESE, "shift_jis", '<meta http-equiv="Content-Type" content="text/html; charset=Shift_JIS">'),
        (RUSSIAN, "cp1251", "<META CHARSET=windows-1251>"),
        (CHINESE, "gbk", "<meta content='text/html; charset=gb2312' http-equiv='Content-Type'>"),
    ],
)
def test_charset_only_in_meta(text, charset, meta):
    assert text in extracted(page(text, meta).encode(charset), "text/html")


def test_header_wins_over_meta():
    body = page(RUSSIAN, '<meta charset="koi8-r">').encode("cp1251")
    assert RUSSIAN in extracted(body, "text/html; charset=windows-1251")


@pytest.mark.parametrize(
    ("text", "charset"), [(LONG_JAPANESE, "shift_jis"), (LONG_JAPANESE, "euc_jp"), (LONG_RUSSIAN, "cp1251")]
)
def test_no_declared_charset_is_detected(text, charset):
    assert text in extracted(page(text, repeat=2).encode(charset), "text/html")


def test_a_byte_order_mark_wins_over_a_wrong_header():
    assert JAPANESE in extracted(codecs.BOM_UTF8 + page(JAPANESE).encode(), "text/html; charset=windows-1251")
    utf16 = codecs.BOM_UTF16_LE + page(RUSSIAN).encode("utf-16-le")
    assert RUSSIAN in extracted(utf16, "text/html; charset=ISO-8859-1")


@pytest.mark.parametrize("label", ["foo", "x-user-defined", "rot13", "base64", "utf-7", "", '"', "utf-8;;"])
def test_bogus_header_charset_falls_through(label):
    assert JAPANESE in extracted(page(JAPANESE).encode(), f"text/html; charset={label}")
    meta = page(RUSSIAN, '<meta charset="windows-1251">').encode("cp1251")
    assert RUSSIAN in extracted(meta, f"text/html; charset={label}")


def test_a_wrong_utf8_header_falls_through_to_meta():
    body = page(JAPANESE, '<meta charset="shift_jis">').encode("shift_jis")
    assert JAPANESE in extracted(body, "text/html; charset=utf8")


def test_utf8_pages_and_xml_declarations_still_work():
    assert JAPANESE in extracted(page(JAPANESE).encode(), "text/html; charset=utf-8")
    assert JAPANESE in extracted(page(JAPANESE).encode(), "text/html")
    xhtml = ('<?xml version="1.0" encoding="EUC-JP"?>\n' + page(JAPANESE)).encode("euc_jp")
    assert JAPANESE in extracted(xhtml, "application/xhtml+xml")
    assert JAPANESE in extracted(xhtml, "application/xhtml+xml; charset=EUC-JP")


def test_wet_records_stay_utf8():
    from warcio.warcwriter import WARCWriter

    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    for payload in (JAPANESE.encode(), JAPANESE.encode("euc_jp")):
        record = writer.create_warc_record("https://a.example.jp/", "conversion", payload=io.BytesIO(payload))
        writer.write_record(record)
    good, bad = read_warc(io.BytesIO(buffer.getvalue()), wet=True)
    assert good.fields["text"] == JAPANESE
    assert bad.error.startswith("invalid UTF-8")


# JSON Lines ---------------------------------------------------------------------------------------

ROWS = [{"id": f"r{i}", "text": f"{JAPANESE[: 5 + i]} {RUSSIAN[:20]} record {i}"} for i in range(6)]


def jsonl_file(tmp_path: Path, encoding: str, newline: str = "\n", bom: bytes = b"", gz: bool = False) -> str:
    text = "".join(json.dumps(row, ensure_ascii=False) + newline for row in ROWS)
    data = bom + text.encode(encoding)
    path = tmp_path / ("in.jsonl.gz" if gz else "in.jsonl")
    path.write_bytes(gzip.compress(data) if gz else data)
    return str(path)


def read(path: str) -> list[RawRecord]:
    return list(read_file(path, "jsonl", open_binary))


def assert_all_read(records: list[RawRecord], lines: list[int] | None = None) -> None:
    assert [r.error for r in records] == [None] * 6
    assert [r.fields for r in records] == ROWS
    assert [r.position for r in records] == list(range(6))
    assert [r.number for r in records] == (lines or list(range(1, 7)))  # the line, from 1


@pytest.mark.parametrize("gz", [False, True])
@pytest.mark.parametrize(
    ("encoding", "bom"),
    [
        ("utf-16-le", codecs.BOM_UTF16_LE),
        ("utf-16-be", codecs.BOM_UTF16_BE),
        ("utf-32-le", codecs.BOM_UTF32_LE),
        ("utf-32-be", codecs.BOM_UTF32_BE),
        ("utf-8", codecs.BOM_UTF8),
    ],
)
@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_unicode_with_a_byte_order_mark_is_read(tmp_path, encoding, bom, newline, gz):
    assert_all_read(read(jsonl_file(tmp_path, encoding, newline, bom, gz)))


@pytest.mark.parametrize("gz", [False, True])
@pytest.mark.parametrize("newline", ["\r", "\r\n", "\n"])
def test_cr_only_and_crlf_line_ends(tmp_path, newline, gz):
    assert_all_read(read(jsonl_file(tmp_path, "utf-8", newline, gz=gz)))


def test_mixed_line_ends_and_blank_lines_keep_positions(tmp_path):
    lines = [json.dumps(row, ensure_ascii=False).encode() for row in ROWS]
    data = lines[0] + b"\r\n" + lines[1] + b"\n\r\n\r" + lines[2] + b"\r" + lines[3] + b"\n\n" + lines[4] + b"\r\n"
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(data + lines[5])  # the last line has no line end
    assert_all_read(read(str(path)), lines=[1, 2, 5, 6, 8, 9])  # blank lines counted, each CR or LF once


@pytest.mark.parametrize("gz", [False, True])
@pytest.mark.parametrize(
    ("encoding", "bom"),
    [
        ("utf-8", b""),
        ("utf-8", codecs.BOM_UTF8),
        ("utf-16-le", codecs.BOM_UTF16_LE),
        ("utf-32-be", codecs.BOM_UTF32_BE),
    ],
)
@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_line_numbers_count_blank_lines_in_every_encoding_and_line_end(tmp_path, encoding, bom, newline, gz):
    """`number` is the physical line (what `sed -n Np` prints for LF and CRLF files), blank lines
    included; a byte-order mark or a transcoding changes nothing."""
    lines = ["", json.dumps(ROWS[0]), "{bad", "", "   ", json.dumps(ROWS[1]), "", json.dumps(ROWS[2])]
    data = bom + newline.join(lines).encode(encoding)
    path = tmp_path / ("n.jsonl.gz" if gz else "n.jsonl")
    path.write_bytes(gzip.compress(data) if gz else data)
    records = read(str(path))
    assert [(r.number, r.position, r.error is None) for r in records] == [
        (2, 0, True),
        (3, 1, False),
        (6, 2, True),
        (8, 3, True),
    ]
    if newline != "\r" and encoding == "utf-8":
        sed = (gzip.decompress(path.read_bytes()) if gz else path.read_bytes()).removeprefix(bom).split(b"\n")
        assert [json.loads(sed[r.number - 1]) for r in records if r.error is None] == ROWS[:3]


def test_a_crlf_cut_between_two_pieces_ends_one_line():
    from curation.io.encodings import PIECE, split_lines

    pieces = [b"a\r", b"\nb\r", b"\r\nc\r", b"", b"\nd\r"]
    assert [line.rstrip(b"\r") for batch in split_lines(iter(pieces)) for line in batch] == [
        b"a",
        b"b",
        b"",
        b"c",
        b"d",
    ]
    # through the reader: the first line is read alone, then pieces of PIECE bytes; a long second
    # line puts its CR last in a piece and its LF first in the next
    first = json.dumps(ROWS[0]).encode() + b"\r\n"
    long = b'{"text": "' + b"x" * (PIECE - 13) + b'"}'
    assert len(long) == PIECE - 1
    data = first + long + b"\r\n" + json.dumps(ROWS[1]).encode() + b"\r\n{bad\r\n"
    records = list(read_jsonl(io.BytesIO(data)))
    assert [(r.number, r.position) for r in records] == [(1, 0), (2, 1), (3, 2), (4, 3)]
    assert records[1].fields == {"text": "x" * (PIECE - 13)} and records[2].fields == ROWS[1]
    assert records[3].error.startswith("malformed JSON")


def test_cr_only_file_is_read_in_pieces():
    """A CR-only file has no line feed at all; it is still read and split a piece at a time."""
    import tracemalloc

    data = b"".join(json.dumps({"id": str(i), "text": "word " * 50}).encode() + b"\r" for i in range(50_000))
    tracemalloc.start()
    try:
        count, last = 0, None
        for record in read_jsonl(io.BytesIO(data)):
            assert record.error is None
            count, last = count + 1, record
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert count == 50_000 and last.position == 49_999 and last.fields["id"] == "49999"
    assert last.number == 50_000  # each CR ends one line, a CR at a piece's end too
    assert peak < len(data) / 2  # 14 MB of input; the whole file as one line would take more


@pytest.mark.parametrize("newline", ["\n", "\r"])
def test_a_long_line_across_pieces(tmp_path, newline):
    big = {"id": "big", "text": "lorem " * 1_000_000}  # 6 MB, several read pieces
    data = (json.dumps(ROWS[0]) + newline + json.dumps(big) + newline + json.dumps(ROWS[1]) + newline).encode()
    for codec, bom in (("utf-8", b""), ("utf-16-le", codecs.BOM_UTF16_LE)):
        records = list(read_jsonl(io.BytesIO(bom + data.decode().encode(codec))))
        assert [r.fields for r in records] == [ROWS[0], big, ROWS[1]]


@pytest.mark.parametrize("gz", [False, True])
@pytest.mark.parametrize(
    ("encoding", "family"),
    [("utf-16-le", "UTF-16"), ("utf-16-be", "UTF-16"), ("utf-32-le", "UTF-32"), ("utf-32-be", "UTF-32")],
)
@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_unicode_without_a_byte_order_mark_is_rejected_once_per_record(tmp_path, encoding, family, newline, gz):
    records = read(jsonl_file(tmp_path, encoding, newline, gz=gz))
    assert [r.position for r in records] == list(range(6))
    for record in records:
        assert record.fields is None
        assert record.error.startswith(f"looks like {family} without a byte-order mark")
        assert "record" not in record.error and "r0" not in record.error  # no content in errors


def test_utf16_code_units_holding_line_feed_bytes_do_not_split_records(tmp_path):
    """U+0A0A and U+010A hold a 0x0A byte in UTF-16; only real line ends split lines."""
    rows = [{"text": f"\u0a0a\u010a\u0d0d {i}"} for i in range(6)]
    text = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
    path = tmp_path / "units.jsonl"
    path.write_bytes(codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    assert [r.fields for r in read(str(path))] == rows
    path.write_bytes(text.encode("utf-16-le"))
    records = read(str(path))
    assert len(records) == 6 and all("UTF-16" in r.error for r in records)


def test_a_utf16_line_inside_a_utf8_file_is_named(tmp_path):
    path = tmp_path / "cat.jsonl"
    line = json.dumps(ROWS[1]).encode("utf-16-le")
    path.write_bytes(json.dumps(ROWS[0]).encode() + b"\n" + line + b"\n")
    first, second = read(str(path))[:2]
    assert first.fields == ROWS[0]
    assert "UTF-16 without a byte-order mark" in second.error


def test_bad_utf16_is_named_not_fatal(tmp_path):
    good = [json.dumps(row, ensure_ascii=False).encode("utf-16-le") for row in ROWS[:2]]
    lone = '{"text": "x'.encode("utf-16-le") + b"\x00\xd8" + '"}'.encode("utf-16-le")  # an unpaired surrogate
    newline = "\n".encode("utf-16-le")
    path = tmp_path / "lone.jsonl"
    path.write_bytes(codecs.BOM_UTF16_LE + good[0] + newline + lone + newline + good[1] + newline)
    records = read(str(path))
    assert [r.position for r in records] == [0, 1, 2]
    assert records[0].fields == ROWS[0] and records[2].fields == ROWS[1]
    assert records[1].error == "invalid UTF-16LE at character 11"


def test_truncated_utf16_keeps_what_was_read(tmp_path):
    data = codecs.BOM_UTF16_LE + "".join(json.dumps(row) + "\n" for row in ROWS).encode("utf-16-le")
    path = tmp_path / "cut.jsonl"
    path.write_bytes(data[:-1])  # half a code unit at the end
    records = read(str(path))
    assert [r.fields for r in records[:5]] == ROWS[:5]
    assert len(records) == 6 and records[5].error.startswith("invalid UTF-16LE at character")


def test_utf8_errors_are_unchanged(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_bytes(b'{"text": "caf\xe9"}\n{"text": "ok"}\r\n{broken\r\n')
    bad, good, broken = read(str(path))
    assert bad.error == "invalid UTF-8 at byte 13"
    assert good.fields == {"text": "ok"}
    assert broken.error.startswith("malformed JSON") and broken.raw == "{broken"


def test_a_broken_character_keeps_the_declared_charset():
    """One undecodable byte does not hand the page to detection (which would pick a wrong charset)."""
    body = page(JAPANESE * 3).encode("shift_jis").replace("猫".encode("shift_jis"), b"\xeb ", 1)
    text = extracted(body, "text/html; charset=Shift_JIS")
    assert JAPANESE in text and text.count("\ufffd") == 1


def test_remote_files_whose_readline_takes_no_size(tmp_path):
    """fsspec's remote files (gcsfs, s3fs) have a `readline()` without a size limit."""
    from fsspec.implementations.memory import MemoryFileSystem
    from fsspec.spec import AbstractBufferedFile

    class Remote(AbstractBufferedFile):
        def __init__(self, data: bytes):
            self.data = data
            super().__init__(fs=MemoryFileSystem(), path="/x", mode="rb", size=len(data), block_size=7)

        def _fetch_range(self, start: int, end: int) -> bytes:
            return self.data[start:end]

    data = "".join(json.dumps(row) + "\r" for row in ROWS).encode()
    assert_all_read(list(read_file("gs://b/in.jsonl", "jsonl", lambda path: Remote(data))))
    utf16 = codecs.BOM_UTF16_BE + data.decode().encode("utf-16-be")
    assert_all_read(list(read_file("gs://b/in.jsonl.gz", "jsonl", lambda path: Remote(gzip.compress(utf16)))))

"""Record readers for every input format.

Each reader takes an open binary file and yields `RawRecord`s: the fields of one input record,
or an error saying why it could not be read. Errors name the failure, never the content.
"""

from __future__ import annotations

import gzip
import io
import json
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, BinaryIO

import pyarrow as pa
import pyarrow.parquet as pq
import zstandard

from curation.io.encodings import ByteStream, decode_html, json_lines, nul_pattern, undecodable_at

_COMPRESSED = (".gz", ".zst", ".zstd")
_STREAM_ERRORS = (EOFError, zlib.error, gzip.BadGzipFile, zstandard.ZstdError, pa.ArrowInvalid)
"""Errors that mean the file itself is damaged: what was read is kept and the rest is rejected.
Other I/O errors (a storage service failing for a moment) propagate, so the runner retries."""
_UNREADABLE = (PermissionError, FileNotFoundError, IsADirectoryError)
BATCH_ROWS = 1024


@dataclass(frozen=True)
class RawRecord:
    """One input record's fields, or why it could not be read (`position` None: the whole file).

    `position` is the record's 0-based index among the file's records (blank JSON lines are not
    records): ids derived from where a record sits and the read order (`source_order`) come from
    it, so it never changes meaning. `number` is where a person finds the record, from 1, in the
    file's `position_unit`: the physical line of a JSON Lines file (blank lines counted, as
    `sed -n Np` counts them), the row of a Parquet or Arrow file or dataset shard, the record of a
    WARC/WET file. It defaults to `position + 1`.
    """

    position: int | None
    fields: dict[str, Any] | None = None
    error: str | None = None
    raw: str | None = None
    number: int | None = None

    def __post_init__(self) -> None:
        if self.number is None and self.position is not None:
            object.__setattr__(self, "number", self.position + 1)


FORMAT_SUFFIXES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("jsonl", (".jsonl", ".json", ".ndjson")),
    ("parquet", (".parquet", ".pq")),
    ("wet", (".wet",)),  # `.warc.wet` too
    ("warc", (".warc", ".arc")),
    ("hf_disk", (".arrow",)),
)
"""The file name endings that tell each format, before an optional compression suffix."""

_POSITION_UNITS = {"jsonl": "line", "warc": "record", "wet": "record"}


def position_unit(fmt: str) -> str:
    """What a record's `number` counts in a file of format `fmt`: `line`, `record` or `row`."""
    return _POSITION_UNITS.get(fmt, "row")


def known_suffixes() -> str:
    """The file name endings `detect_format` recognises, for messages."""
    endings = ", ".join(suffix for _, suffixes in FORMAT_SUFFIXES for suffix in suffixes)
    return f"{endings} (optionally {', '.join(_COMPRESSED)})"


def detect_format(path: str) -> str:
    """The input format implied by a file name (compression suffixes ignored)."""
    name = path.rstrip("/").lower()
    for suffix in _COMPRESSED:
        name = name.removesuffix(suffix)
    for fmt, suffixes in FORMAT_SUFFIXES:
        if name.endswith(suffixes):
            return fmt
    raise ValueError(f"cannot tell the format of '{path}' from its name; set input.format")


def decompressed(stream: BinaryIO, path: str) -> ByteStream:
    """The stream decompressed according to the file name's suffix."""
    name = path.lower()
    if name.endswith(".gz"):
        return gzip.GzipFile(fileobj=stream, mode="rb")
    if name.endswith((".zst", ".zstd")):
        return io.BufferedReader(_ZstdFrames(stream))
    return stream


_ZSTD_SLICE = 4096


class _ZstdFrames(io.RawIOBase):
    """Zstandard frames one after another, decompressed; a stream that ends inside a frame raises
    `ZstdError` (python-zstandard's `stream_reader` returns a truncated file's data silently).
    Input is decompressed a small slice at a time, which bounds what one read can expand to."""

    def __init__(self, stream: BinaryIO, chunk_size: int = 1 << 16):
        self._stream, self._chunk_size = stream, chunk_size
        self._dctx = zstandard.ZstdDecompressor()
        self._frame: zstandard.ZstdDecompressionObj | None = None  # the current frame's; None between frames
        self._input = b""
        self._pending, self._offset = b"", 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        while self._offset >= len(self._pending):
            if not self._input:
                self._input = self._stream.read(self._chunk_size)
                if not self._input:
                    if self._frame is not None:
                        raise zstandard.ZstdError("the file ends inside a zstd frame (truncated)")
                    return 0
            piece, self._input = self._input[:_ZSTD_SLICE], self._input[_ZSTD_SLICE:]
            self._pending, self._offset = self._decompress(piece), 0
        count = min(len(buffer), len(self._pending) - self._offset)
        buffer[:count] = self._pending[self._offset : self._offset + count]
        self._offset += count
        return count

    def _decompress(self, piece: bytes) -> bytes:
        out = []
        while piece:
            if self._frame is None:
                self._frame = self._dctx.decompressobj()
            out.append(self._frame.decompress(piece))
            if not self._frame.eof:
                break
            piece, self._frame = self._frame.unused_data, None
        return b"".join(out)


def _stream_error(error: BaseException, after: int) -> RawRecord:
    return RawRecord(None, error=f"unreadable input after {after} records: {type(error).__name__}")


def read_jsonl(stream: ByteStream) -> Iterator[RawRecord]:
    """JSON Lines: one object per line; blank lines are skipped, bad lines become errors.

    UTF-8, or UTF-16/UTF-32 after a byte-order mark; lines end in `\\n`, `\\r\\n` or `\\r`.
    UTF-16/UTF-32 without a mark is rejected line by line, naming the encoding it looks like.
    A record's `number` is its line, from 1, blank lines included (in a file with CR-only line
    ends, each `\\r` ends a line, as an editor shows it)."""
    position = 0
    number = 0
    try:
        source = json_lines(stream)
        parse = _unmarked_line if source.guessed else _parse_json_line
        for lines in source.batches:
            for line in lines:
                number += 1
                if not line.strip():
                    continue
                yield parse(line, position, source.encoding, number)
                position += 1
    except _STREAM_ERRORS as error:
        yield _stream_error(error, position)


def _raw(line: bytes) -> str:
    return line.decode("utf-8", errors="replace").rstrip("\r\n")


def _unmarked(family: str, order: str = "") -> str:
    return f"looks like {family} without a byte-order mark{order}; re-encode as UTF-8"


def _unmarked_line(line: bytes, position: int, encoding: str | None, number: int | None = None) -> RawRecord:
    if encoding is None:  # JsonLines names the encoding whenever it is guessed
        raise ValueError("an unmarked line needs the encoding its NUL pattern suggests")
    order = " (little-endian)" if encoding.endswith("LE") else " (big-endian)"
    return RawRecord(position, error=_unmarked(encoding[:-2], order), raw=_raw(line), number=number)


def _parse_json_line(line: bytes, position: int, encoding: str | None = None, number: int | None = None) -> RawRecord:
    try:
        value = json.loads(line.decode("utf-8"))
    except UnicodeDecodeError as error:
        return RawRecord(position, error=_undecodable(line, error, encoding), raw=_raw(line), number=number)
    except json.JSONDecodeError as error:
        family = None if encoding else nul_pattern(line)
        problem = error.msg.removesuffix(" at")  # "Invalid control character at"
        reason = _unmarked(family) if family else f"malformed JSON: {problem} at column {error.colno}"
        return RawRecord(position, error=reason, raw=_raw(line), number=number)
    except RecursionError:
        return RawRecord(position, error="malformed JSON: nested too deeply", raw=_raw(line), number=number)
    if not isinstance(value, dict):
        error_text = f"JSON {type(value).__name__} where an object was expected"
        return RawRecord(position, error=error_text, raw=_raw(line), number=number)
    return RawRecord(position, fields=value, number=number)


def _undecodable(line: bytes, error: UnicodeDecodeError, encoding: str | None) -> str:
    if encoding:  # transcoded: only what the source encoding could not decode is left
        return f"invalid {encoding} at character {undecodable_at(line)}"
    family = nul_pattern(line)
    return _unmarked(family) if family else f"invalid UTF-8 at byte {error.start}"


def _read_batches(batches: Iterator[pa.RecordBatch]) -> Iterator[RawRecord]:
    position = 0
    try:
        for batch in batches:
            for row in batch.to_pylist():
                yield RawRecord(position, fields=row)
                position += 1
    except _STREAM_ERRORS as error:
        yield _stream_error(error, position)


def _missing_columns(schema: pa.Schema, required: Sequence[str]) -> list[str]:
    return [name for name in required if name not in schema.names]


def read_parquet(stream: BinaryIO, required: Sequence[str] = ()) -> Iterator[RawRecord]:
    """Parquet rows; a file without the `required` columns is one whole-file error."""
    try:
        parquet = pq.ParquetFile(stream)
    except _STREAM_ERRORS as error:
        yield RawRecord(None, error=f"not a readable Parquet file: {type(error).__name__}")
        return
    missing = _missing_columns(parquet.schema_arrow, required)
    if missing:
        rows = parquet.metadata.num_rows
        yield RawRecord(None, error=f"Parquet file lacks column(s) {missing}; {rows} rows not read")
        return
    yield from _read_batches(parquet.iter_batches(batch_size=BATCH_ROWS))


def read_arrow_stream(stream: BinaryIO, required: Sequence[str] = ()) -> Iterator[RawRecord]:
    """An Arrow IPC stream, the format of the files `datasets.save_to_disk` writes."""
    try:
        reader = pa.ipc.open_stream(stream)
    except _STREAM_ERRORS as error:
        yield RawRecord(None, error=f"not a readable Arrow stream: {type(error).__name__}")
        return
    missing = _missing_columns(reader.schema, required)
    if missing:
        yield RawRecord(None, error=f"Arrow file lacks column(s) {missing}")
        return
    yield from _read_batches(iter(reader))


def _is_html(content_type: str | None) -> bool:
    if not content_type:
        return False
    return content_type.split(";")[0].strip().lower() in (
        "text/html",
        "application/xhtml+xml",
    )


def _warc_fields(record: Any, text: str) -> dict[str, Any]:
    headers = record.rec_headers
    return {
        "text": text,
        "url": headers.get_header("WARC-Target-URI"),
        "warc_record_id": headers.get_header("WARC-Record-ID"),
        "warc_date": headers.get_header("WARC-Date"),
    }


def _html_to_text(html: str) -> str | None:
    import trafilatura

    return trafilatura.extract(html, include_comments=False, include_tables=True, deduplicate=False)


def _extract(body: bytes, content_type: str | None, position: int, record: Any) -> RawRecord:
    try:
        text = _html_to_text(decode_html(body, content_type))
    except Exception as error:  # noqa: BLE001 - an extractor failure on one page rejects that page
        return RawRecord(position, error=f"HTML extraction failed: {type(error).__name__}")
    if not text:
        return RawRecord(position, error="no text extracted from HTML")
    return RawRecord(position, fields=_warc_fields(record, text))


def _warc_record(record: Any, position: int, wet: bool) -> RawRecord | None:
    if wet:
        if record.rec_type != "conversion":
            return None
        payload = record.content_stream().read()
        try:
            return RawRecord(position, fields=_warc_fields(record, payload.decode("utf-8")))
        except UnicodeDecodeError as error:
            return RawRecord(position, error=f"invalid UTF-8 at byte {error.start}")
    if record.rec_type != "response":
        return None
    content_type = record.http_headers.get_header("Content-Type") if record.http_headers else None
    if not _is_html(content_type):
        return RawRecord(position, error=f"not an HTML response ({(content_type or 'no content type')[:60]})")
    return _extract(record.content_stream().read(), content_type, position, record)


def read_warc(stream: BinaryIO, wet: bool = False) -> Iterator[RawRecord]:
    """WARC responses with HTML turned into text by trafilatura, or WET conversion records.

    Requests, metadata and warcinfo records are not documents and are skipped; `position` is
    the record's index among all records of the file (its `number`, from 1, counts them all too).
    """
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    position = 0
    try:
        for record in ArchiveIterator(stream, arc2warc=True):
            result = _warc_record(record, position, wet)
            if result is not None:
                yield result
            position += 1
    except (ArchiveLoadFailed, ValueError, *_STREAM_ERRORS) as error:
        yield _stream_error(error, position)


def read_hf_shard(path: str, split: str, shard: int) -> Iterator[RawRecord]:
    """One shard of a dataset loaded with `datasets.load_dataset(path, streaming=True)`."""
    import datasets

    dataset = datasets.load_dataset(path, split=split, streaming=True)
    part = dataset.shard(num_shards=dataset.num_shards, index=shard)
    position = 0
    try:
        for row in part:
            yield RawRecord(position, fields=row)
            position += 1
    except (ValueError, *_STREAM_ERRORS) as error:
        yield _stream_error(error, position)


def read_file(
    path: str, fmt: str, open_binary: Callable[[str], BinaryIO], required: Sequence[str] = ()
) -> Iterator[RawRecord]:
    """Every record of one file; `open_binary(path)` opens it raw (no decompression)."""
    try:
        raw = open_binary(path)
    except _UNREADABLE as error:
        yield RawRecord(None, error=f"cannot open file: {type(error).__name__}")
        return
    with raw:
        if fmt == "jsonl":
            yield from read_jsonl(decompressed(raw, path))
        elif fmt == "parquet":
            yield from read_parquet(raw, required)
        elif fmt == "hf_disk":
            yield from read_arrow_stream(raw, required)
        elif fmt in ("warc", "wet"):
            # warcio undoes the per-record gzip members of .warc.gz itself.
            yield from read_warc(raw, wet=fmt == "wet")
        else:
            raise ValueError(f"unknown input format '{fmt}'")

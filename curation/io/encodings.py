"""Character encodings of the inputs: the charset of an HTML page, and JSON Lines as UTF-8 lines.

An HTML body is decoded the way a browser would (WHATWG Encoding): its byte-order mark, else the
HTTP header's charset, else a `<meta>` (or XML) declaration, else detection. A label is honoured
only if it names an encoding the web uses, with WHATWG's aliases (`iso-8859-1` means windows-1252).

JSON Lines are read a chunk of at most `PIECE` bytes at a time and split on `\\n`, `\\r\\n` and a
lone `\\r` (a file with CR-only line ends holds no line feed at all), after a byte-order mark or
the NUL pattern of UTF-16/UTF-32 (RFC 4627) at the start of the stream has chosen the decoding.
"""

from __future__ import annotations

import codecs
import inspect
import io
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol

# -- HTML --------------------------------------------------------------------------------------

_HTML_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
_WEB_ENCODINGS = frozenset(
    ["utf-8", "utf-16-le", "utf-16-be", "cp866", "koi8-r", "koi8-u", "mac-roman", "mac-cyrillic", "cp874"]
    + [f"iso8859-{n}" for n in (2, 3, 4, 5, 6, 7, 8, 10, 13, 14, 15, 16)]
    + [f"cp125{n}" for n in range(9)]
    + ["gb18030", "big5hkscs", "euc_jp", "iso2022_jp", "cp932", "cp949"]
)
"""The WHATWG encodings, by their Python codec names; any other label is not honoured."""
_WHATWG_CODECS = {
    "iso8859-1": "cp1252",
    "ascii": "cp1252",
    "iso8859-9": "cp1254",
    "iso8859-11": "cp874",
    "tis-620": "cp874",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "big5": "big5hkscs",
    "shift_jis": "cp932",
    "euc_kr": "cp949",
    "utf-16": "utf-16-le",
}
"""Python codecs that WHATWG decodes as a superset (its `gbk` is GB18030, `shift_jis` Windows-31J)."""
_WHATWG_LABELS = {
    **dict.fromkeys(["unicode-1-1-utf-8", "unicode11utf8", "unicode20utf8", "x-unicode20utf8"], "utf-8"),
    **dict.fromkeys(["windows-31j", "x-sjis"], "cp932"),
    **dict.fromkeys(["x-euc-jp", "cseucpkdfmtjapanese"], "euc_jp"),
    **dict.fromkeys(["x-gbk", "gb_2312", "gb_2312-80", "csgb2312"], "gb18030"),
    **dict.fromkeys(["cn-big5", "x-x-big5"], "big5hkscs"),
    **dict.fromkeys(["windows-949", "cseuckr", "csksc56011987", "iso-ir-149", "ks_c_5601-1989", "ksc_5601"], "cp949"),
    **dict.fromkeys(["windows-874", "dos-874", "iso885911"], "cp874"),
    **{f"x-cp125{n}": f"cp125{n}" for n in range(9)},
    **dict.fromkeys(["iso-8859-8-i", "csiso88598i", "logical", "visual"], "iso8859-8"),
    **dict.fromkeys(["iso-8859-6-e", "iso-8859-6-i", "csiso88596e", "csiso88596i"], "iso8859-6"),
    "sun_eu_greek": "iso8859-7",
    **dict.fromkeys(["koi", "koi8", "cskoi8r"], "koi8-r"),
    "koi8-ru": "koi8-u",
    **dict.fromkeys(["csmacintosh", "mac", "x-mac-roman"], "mac-roman"),
    **dict.fromkeys(["x-mac-cyrillic", "x-mac-ukrainian"], "mac-cyrillic"),
    **dict.fromkeys(["csunicode", "iso-10646-ucs-2", "ucs-2", "unicode", "unicodefeff"], "utf-16-le"),
    "unicodefffe": "utf-16-be",
}
"""WHATWG labels Python does not know."""
_DETECTABLE = sorted(_WEB_ENCODINGS - {"utf-8", "utf-16-le", "utf-16-be"})
_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([^\s"';,]*)""", re.IGNORECASE)
_PRESCAN_BYTES = 4096
_COMMENT = re.compile(rb"<!--.*?(?:-->|$)", re.DOTALL)
_META = re.compile(rb"<meta\b[^>]*>", re.IGNORECASE)
_META_CHARSET = re.compile(rb"""[\s"'/;]charset\s*=\s*["']?\s*([^\s"';>/]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml\s[^>]*?encoding\s*=\s*["']([^"']+)["']""")
_NON_ASCII = bytes(range(128))
_LOSS_PER_MILLE = 20
"""A declared charset is kept despite undecodable bytes when at most this many per thousand of the
page's non-ASCII bytes are lost: a page with a broken character keeps its encoding."""


def web_codec(label: str | bytes | None) -> str | None:
    """The Python codec for a charset label as a browser reads it; None for unknown or unsafe labels."""
    if isinstance(label, bytes):
        label = label.decode("ascii", "replace")
    label = (label or "").strip().strip("\"'").strip().lower()
    if not label:
        return None
    name = _WHATWG_LABELS.get(label)
    if name is None:
        try:
            name = codecs.lookup(label).name
        except LookupError:
            return None
    name = _WHATWG_CODECS.get(name, name)
    return name if name in _WEB_ENCODINGS else None


def header_charset(content_type: str | None) -> str | None:
    """The codec named by a `Content-Type` header's charset parameter, if a browser would honour it."""
    for parameter in (content_type or "").split(";")[1:]:
        found = _HEADER_CHARSET.match(parameter.strip())
        if found:
            return web_codec(found.group(1))
    return None


def declared_charset(body: bytes) -> str | None:
    """The codec a `<meta>` tag (or an XML declaration) near the top of the page declares."""
    head = _COMMENT.sub(b"", body[:_PRESCAN_BYTES])
    for tag in _META.findall(head):
        found = _META_CHARSET.search(tag)
        codec = web_codec(found.group(1)) if found else None
        if codec:
            # A page whose declaration could be read as ASCII is not UTF-16 (HTML spec).
            return "utf-8" if codec.startswith("utf-16") else codec
    found = _XML_ENCODING.match(head)
    return web_codec(found.group(1)) if found else None


def _bom(body: bytes) -> tuple[str, int] | None:
    for mark, codec in _HTML_BOMS:
        if body.startswith(mark):
            return codec, len(mark)
    return None


def _decode_declared(body: bytes, codec: str) -> str | None:
    """The body in a declared codec: strictly, or with replacements when only a few bytes are lost."""
    try:
        return body.decode(codec)
    except UnicodeDecodeError:
        pass
    text = body.decode(codec, errors="replace")
    lost = text.count("\ufffd")
    non_ascii = max(len(body.translate(None, _NON_ASCII)), 1)
    return text if lost * 1000 <= non_ascii * _LOSS_PER_MILLE else None


def _detected(body: bytes) -> Iterator[str]:
    """Codecs detection proposes, best first: UTF-8 when the page is valid UTF-8, then charset-normalizer."""
    yield "utf-8"
    from charset_normalizer import from_bytes

    for match in from_bytes(body, cp_isolation=_DETECTABLE):
        codec = web_codec(match.encoding)
        if codec:
            yield codec


def _declared(body: bytes, content_type: str | None) -> Iterator[str]:
    header = header_charset(content_type)
    if header:
        yield header
    meta = declared_charset(body)
    if meta and meta != header:
        yield meta


def decode_html(body: bytes, content_type: str | None) -> str:
    """An HTML body as text: BOM, then HTTP charset, then `<meta>`, then detection; lossy only last."""
    bom = _bom(body)
    if bom:
        codec, size = bom
        return body[size:].decode(codec, errors="replace")
    first = None
    for codec in _declared(body, content_type):
        first = first or codec
        text = _decode_declared(body, codec)
        if text is not None:
            return text
    for codec in _detected(body):
        try:
            return body.decode(codec)
        except UnicodeDecodeError:
            continue
    return body.decode(first or "utf-8", errors="replace")


# -- JSON Lines --------------------------------------------------------------------------------

PIECE = 1 << 16
"""Bytes read at most at a time; a longer line is read in pieces and joined once."""
_SNIFF = 4
_UNICODE_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32", "UTF-32LE"),  # before UTF-16LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32", "UTF-32BE"),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16LE"),
    (codecs.BOM_UTF16_BE, "utf-16", "UTF-16BE"),
)
_NUL_PATTERNS = (  # RFC 4627 section 3: the NULs around the first two ASCII characters of JSON text
    (re.compile(rb"\x00\x00\x00[^\x00]", re.DOTALL), "utf-32-be", "UTF-32BE"),
    (re.compile(rb"[^\x00]\x00\x00\x00", re.DOTALL), "utf-32-le", "UTF-32LE"),
    (re.compile(rb"\x00[^\x00]\x00[^\x00]", re.DOTALL), "utf-16-be", "UTF-16BE"),
    (re.compile(rb"[^\x00]\x00[^\x00]\x00", re.DOTALL), "utf-16-le", "UTF-16LE"),
)
_LINE_END = re.compile(rb"\r\n?|\n")
_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass
class JsonLines:
    """A JSON Lines stream as batches of UTF-8 lines (a line may keep its `\\r` or `\\n`) and its
    encoding: None for UTF-8, else e.g. "UTF-16LE" (transcoded); `guessed` when no byte-order mark
    said so, only the NUL bytes of its start."""

    batches: Iterator[list[bytes]]
    encoding: str | None = None
    guessed: bool = False


class ByteStream(Protocol):
    """What reading JSON Lines needs of a binary stream: an open file, a `GzipFile`, an fsspec file."""

    def read(self, size: int = -1, /) -> bytes: ...

    def readline(self, size: int = -1, /) -> bytes: ...


def json_lines(stream: ByteStream) -> JsonLines:
    """The lines of a JSON Lines stream; reads its first line (or piece) to tell the encoding."""
    stream = _sized(stream)
    head = stream.readline(PIECE)
    read = getattr(stream, "read1", stream.read)
    while 0 < len(head) < _SNIFF and (more := read(PIECE)):
        head += more
    if head.startswith(codecs.BOM_UTF8):
        head = head[len(codecs.BOM_UTF8) :]
    chunks = itertools.chain([head], iter(lambda: read(PIECE), b""))
    for mark, codec, name in _UNICODE_BOMS:
        if head.startswith(mark):
            return JsonLines(split_lines(_transcoded(chunks, codec)), name)
    for pattern, codec, name in _NUL_PATTERNS:
        if pattern.fullmatch(head[:_SNIFF]):
            return JsonLines(split_lines(_transcoded(chunks, codec)), name, guessed=True)
    return JsonLines(split_lines(chunks))


def split_lines(chunks: Iterator[bytes]) -> Iterator[list[bytes]]:
    """The lines in a stream's chunks, one list per chunk, ended by `\\n`, `\\r\\n` or a lone `\\r`.

    Lines split on `\\n` keep a `\\r` before it. A chunk's last `\\r` waits for the next chunk,
    so a `\\r\\n` cut between two chunks ends one line, not two: every line is counted once,
    which keeps line numbers right."""
    carry: list[bytes] = []
    held_cr = False
    for chunk in chunks:
        if held_cr:
            chunk = b"\r" + chunk
        held_cr = chunk.endswith(b"\r")
        if held_cr:
            chunk = chunk[:-1]
        if b"\r" in chunk and chunk.count(b"\r") != chunk.count(b"\r\n"):
            lines = _LINE_END.split(chunk)
        else:
            lines = chunk.split(b"\n")
        if len(lines) == 1:  # inside a long line
            carry.append(chunk)
            continue
        if carry:
            lines[0] = b"".join((*carry, lines[0]))
        rest = lines.pop()
        carry = [rest] if rest else []
        yield lines
    if carry or held_cr:
        yield [b"".join(carry)]  # an empty line when a last lone `\\r` ended a blank one


def nul_pattern(line: bytes) -> str | None:
    """`UTF-16` or `UTF-32` when a line's NUL bytes fall as they would in that encoding, else None."""
    nuls = line.count(0)
    if not nuls or nuls * 8 < len(line):
        return None
    even = line[0::2].count(0)
    if min(even, nuls - even) * 9 <= max(even, nuls - even):
        return "UTF-16"
    return "UTF-32" if nuls * 2 >= len(line) else None


def _sized(stream: ByteStream) -> ByteStream:
    """The stream, in a buffer when its `readline` takes no size (fsspec's remote files)."""
    try:
        takes_size = bool(inspect.signature(stream.readline).parameters)
    except (TypeError, ValueError):
        takes_size = True
    # fsspec's files (no type information) have the `readinto` a BufferedReader needs; ByteStream declares none.
    return stream if takes_size else io.BufferedReader(stream, PIECE)  # type: ignore[type-var]


def _escape_undecodable(error: UnicodeError) -> tuple[str, int]:
    """Bytes that decode to no character (an unpaired surrogate, a cut character) as lone surrogates,
    which no UTF-8 line can hold: the line's parser rejects that line, naming the encoding."""
    if not isinstance(error, UnicodeDecodeError):  # the handler is only ever given to decoders
        raise error
    return "".join(chr(0xDC00 + byte) for byte in error.object[error.start : error.end]), error.end


codecs.register_error("curation.undecodable", _escape_undecodable)


def _transcoded(chunks: Iterator[bytes], codec: str) -> Iterator[bytes]:
    """UTF-16/UTF-32 chunks as UTF-8; undecodable bytes become invalid UTF-8 (`_escape_undecodable`)."""
    decoder = codecs.getincrementaldecoder(codec)(errors="curation.undecodable")
    for chunk in chunks:
        yield decoder.decode(chunk).encode("utf-8", "surrogatepass")
    yield decoder.decode(b"", final=True).encode("utf-8", "surrogatepass")


def undecodable_at(line: bytes) -> int:
    """The character index of the first undecodable code unit in a transcoded line."""
    found = _SURROGATE.search(line.decode("utf-8", "surrogatepass"))
    return found.start() if found else 0

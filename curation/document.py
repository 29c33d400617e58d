"""The document record that flows through every stage, and the Arrow schemas of the outputs."""

from __future__ import annotations

import hashlib
import ipaddress
import json
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import pyarrow as pa

from curation.suffixes import registered_domain as registered_domain_of_host

SHARD_SCHEMA = pa.schema(
    [
        pa.field("id", pa.string(), nullable=False),
        pa.field("text", pa.string(), nullable=False),
        pa.field("url", pa.string()),
        pa.field("domain", pa.string()),
        pa.field("language", pa.string()),
        pa.field("language_score", pa.float32()),
        pa.field("token_count", pa.int64(), nullable=False),
        pa.field("source", pa.string(), nullable=False),
        pa.field(
            "pii_redactions",
            pa.list_(pa.struct([("field", pa.string()), ("entity_type", pa.string()), ("count", pa.int32())])),
        ),
        pa.field("metadata", pa.string()),
    ]
)
"""Columns of every output shard; `metadata` holds the input's other fields as a JSON object and
`pii_redactions` how many spans of each entity type were anonymized in each field of the row
(`text`, `url`, or a metadata string's path such as `metadata.author.email` or `metadata.tags.0`)."""

LEDGER_SCHEMA = pa.schema(
    [
        pa.field("id", pa.string(), nullable=False),
        pa.field("url", pa.string()),
        pa.field("domain", pa.string()),
        pa.field("source", pa.string()),
        pa.field("stage", pa.string(), nullable=False),
        pa.field("reason", pa.string(), nullable=False),
        pa.field("detail", pa.string()),
        pa.field("step", pa.int32()),
        pa.field("text", pa.string()),
    ]
)
"""The drop ledger: one row per dropped document; `step` is the index of the filter step that
dropped it (null for other stages); `text` only when the config asks for it."""

REJECTED_SCHEMA = pa.schema(
    [
        pa.field("source_file", pa.string(), nullable=False),
        pa.field("position", pa.int64()),
        pa.field("error", pa.string(), nullable=False),
        pa.field("raw", pa.string()),
    ]
)
"""Unparseable input: the file, where in it (null for a whole-file error), why. `position` counts
from 1, as the file's format does: the line of a JSON Lines file (blank lines counted, so it is
what `sed -n Np` shows), the row of a Parquet or Arrow file (or of a dataset shard), the record of
a WARC/WET file. Before issue #17 it was a 0-based index that skipped blank lines."""

DUPLICATES_SCHEMA = pa.schema(
    [
        pa.field("id", pa.string(), nullable=False),
        pa.field("cluster_id", pa.string(), nullable=False),
        pa.field("kept_id", pa.string(), nullable=False),
        pa.field("stage", pa.string(), nullable=False),
    ]
)
"""Every document removed as a duplicate, with its cluster and the copy that was kept."""

SIGNALS_SCHEMA = pa.schema(
    [
        pa.field("id", pa.string(), nullable=False),
        pa.field("step", pa.int32(), nullable=False),
        pa.field("filter", pa.string(), nullable=False),
        pa.field("signal", pa.string(), nullable=False),
        pa.field("value", pa.float64()),
        pa.field("label", pa.string()),
    ]
)
"""What each filter step measured on each document it saw: a number in `value` or a string in
`label` (a language code, a matched domain)."""

DOMAINS_SCHEMA = pa.schema(
    [
        pa.field("domain", pa.string(), nullable=False),
        pa.field("documents", pa.int64(), nullable=False),
        pa.field("words", pa.int64(), nullable=False),
        pa.field("documents_with_pii", pa.int64(), nullable=False),
        pa.field("spans", pa.int64(), nullable=False),
        pa.field("spans_per_kword", pa.float64(), nullable=False),
        pa.field("share_docs_with_pii", pa.float64(), nullable=False),
        pa.field("distinct_emails", pa.int64(), nullable=False),
        pa.field("distinct_phones", pa.int64(), nullable=False),
        pa.field("spans_by_type", pa.list_(pa.struct([("entity_type", pa.string()), ("count", pa.int64())]))),
        pa.field("decision", pa.string(), nullable=False),
        pa.field("reason", pa.string()),
        pa.field("detail", pa.string()),
    ]
)
"""`pii_domains.parquet`: every scored domain, its scores and the decision (`keep` or `drop`)."""


@dataclass(frozen=True)
class PiiSpan:
    """A span of personal data in a document's text: character offsets, entity type, score."""

    start: int
    end: int
    entity_type: str
    score: float


@dataclass
class Document:
    """One web document as it travels through the pipeline."""

    id: str
    text: str
    source: str
    url: str | None = None
    domain: str | None = None
    language: str | None = None
    language_score: float | None = None
    token_count: int = 0
    metadata: dict[str, Any] = field(default_factory=dict)
    source_order: str = ""
    """Sorts documents in the order they were read (file, then position); not written out."""
    pii_spans: tuple[PiiSpan, ...] | None = None
    """Personal-data spans found in `text` (None: not scanned); travel with the document."""
    pii_field_spans: tuple[tuple[str, tuple[PiiSpan, ...]], ...] | None = None
    """Spans found in the other scanned fields, per field path (`url`, `metadata.a.b`), only fields
    with spans, offsets into what `curation.pii.fields` scans; None: not scanned. Cleared with `pii_spans`."""
    pii_redactions: dict[str, int] | None = None
    """Spans anonymized in `text` per entity type, once anonymization ran."""
    pii_field_redactions: dict[str, dict[str, int]] | None = None
    """Spans anonymized in the other fields: field path -> entity type -> count (only fields with some)."""

    def to_row(self) -> dict[str, Any]:
        """The document as a row of `SHARD_SCHEMA`."""
        return {
            "id": self.id,
            "text": self.text,
            "url": self.url,
            "domain": self.domain,
            "language": self.language,
            "language_score": self.language_score,
            "token_count": self.token_count,
            "source": self.source,
            "pii_redactions": self._redaction_rows(),
            "metadata": _json(self.metadata) if self.metadata else None,
        }

    def _redaction_rows(self) -> list[dict[str, Any]] | None:
        """`pii_redactions` as shard rows: the text's first, then each other field in scanning order."""
        if self.pii_redactions is None and self.pii_field_redactions is None:
            return None
        fields = [("text", self.pii_redactions or {}), *(self.pii_field_redactions or {}).items()]
        return [
            {"field": name, "entity_type": entity, "count": count}
            for name, counts in fields
            for entity, count in sorted(counts.items())
        ]


def _json(value: Any) -> str:
    """Compact JSON, readable where it can be; escaped where text holds lone surrogates."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(value, ensure_ascii=True, sort_keys=True, default=str)
    return text


@dataclass(frozen=True)
class Drop:
    """A document leaving the pipeline: the ledger row, and for duplicates the copy kept."""

    id: str
    stage: str
    reason: str
    url: str | None = None
    domain: str | None = None
    source: str | None = None
    detail: str | None = None
    text: str | None = None
    step: int | None = None

    @classmethod
    def of(cls, doc: Document, stage: str, reason: str, detail: str | None = None, step: int | None = None) -> Drop:
        return cls(doc.id, stage, reason, doc.url, doc.domain, doc.source, detail, doc.text, step)

    def to_row(self, keep_text: bool = False) -> dict[str, Any]:
        """The drop as a row of `LEDGER_SCHEMA`; the text only when `keep_text`."""
        return {
            "id": self.id,
            "url": self.url,
            "domain": self.domain,
            "source": self.source,
            "stage": self.stage,
            "reason": self.reason,
            "detail": self.detail,
            "step": self.step,
            "text": self.text if keep_text else None,
        }


@dataclass(frozen=True)
class Rejection:
    """An input record that could not be turned into a document.

    `position` is where a person finds the record, from 1, counted in `unit`s (`line`, `row` or
    `record`, see `REJECTED_SCHEMA`); None when the whole file is unreadable."""

    source_file: str
    position: int | None
    error: str
    raw: str | None = None
    unit: str = "record"

    @property
    def where(self) -> str:
        """`data.jsonl: line 5`, or the file alone for a whole-file error; never the content."""
        return self.source_file if self.position is None else f"{self.source_file}: {self.unit} {self.position}"

    def to_row(self, keep_raw: bool = False) -> dict[str, Any]:
        return {
            "source_file": self.source_file,
            "position": self.position,
            "error": self.error,
            "raw": self.raw if keep_raw else None,
        }


def record_digest(doc: Document) -> str:
    """A hex digest of everything a record holds but its id and position: source, url, text, metadata.

    Two records with one id and one digest are the same record read twice.
    """
    parts = (doc.source, doc.url or "", doc.text, _json(doc.metadata) if doc.metadata else "")
    return hashlib.blake2b("\x1f".join(parts).encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


REPEATED_ID_MARK = "~"


def distinct_id(doc_id: str, digest: str) -> str:
    """The id of a record that shares `doc_id` with a different record: `id~` and 16 hex of its digest."""
    return f"{doc_id}{REPEATED_ID_MARK}{digest[:16]}"


def copy_id(doc_id: str, copy: int) -> str:
    """The ledger id of the `copy`-th extra reading (2, 3, ...) of the record kept as `doc_id`."""
    return f"{doc_id}{REPEATED_ID_MARK}copy{copy}"


def stable_id(source: str, location: str, position: int) -> str:
    """An id from where a record sits (source, file path, position), independent of run order."""
    key = f"{source}\x1f{location}\x1f{position}".encode("utf-8", "surrogatepass")
    return hashlib.blake2b(key, digest_size=10).hexdigest()


URL_SCHEMES = frozenset({"http", "https", "ftp", "ftps", "ws", "wss"})
"""The schemes whose URLs name a web host; a URL with any other (`mailto:`, `xhttps://`) has no domain."""

_AUTHORITY = re.compile(r"(?:([A-Za-z][A-Za-z0-9+.-]*):)?//")
# Without `//`, only a bare host, an optional port, then a path, query or fragment (`example.com/a`).
_BARE = re.compile(r"(?:\[[^\]/?#@\s]*\]|[^\[\]/?#@:\s]+)(?::[0-9]+)?(?:[/?#]|$)")
_ASCII_LABEL = re.compile(r"[a-z0-9_-]{1,63}")


def _name_char(char: str) -> bool:
    if char.isascii():
        return char.isalnum() or char in "-_"
    return unicodedata.category(char)[0] in "LMN"  # letters, marks, digits of an IDN label


def _host_name(host: str) -> str | None:
    """`host` (lower case) as a host name: an IPv4 address or dot-separated labels of name
    characters, one trailing dot dropped; None when it is not one."""
    host = host.removesuffix(".")
    labels = host.split(".")
    for label in labels:
        if not label or not (_ASCII_LABEL.fullmatch(label) if label.isascii() else all(map(_name_char, label))):
            return None
    if host.isascii() and len(host) > 253:
        return None
    if labels[-1].isdigit():  # no top-level domain is a number: an IPv4 address or nothing
        try:
            return str(ipaddress.IPv4Address(host))
        except ValueError:
            return None
    return host


def url_host(url: str | None) -> str | None:
    """The host of a URL, lower case without a trailing dot (an IPv6 address without brackets);
    None when the string is not the URL of a host: another scheme than `URL_SCHEMES`, a pseudo-URL
    (`hard::dw.com.colonial.html`), an empty host, a port that is not a number, a character no
    host name has. A scheme-less `//example.com/a` or bare `example.com/a` is a URL."""
    if not url:
        return None
    url = url.strip()
    authority = _AUTHORITY.match(url)
    if authority:
        scheme = authority.group(1)
        if scheme is not None and scheme.lower() not in URL_SCHEMES:
            return None
    elif _BARE.match(url):
        url = f"//{url}"
    else:
        return None
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
        host = parts.hostname
    except ValueError:
        return None
    if not host:
        return None
    if parts.netloc.rpartition("@")[2].startswith("["):
        try:
            return str(ipaddress.IPv6Address(host))
        except ValueError:
            return None
    return _host_name(host)


def registered_domain(url: str | None) -> str | None:
    """The registered domain of a URL, private section of the public-suffix list included
    (`news.bbc.co.uk` -> `bbc.co.uk`, `alice.github.io` -> `alice.github.io`); an IP address as it
    is; None when the URL has none (see `url_host`)."""
    host = url_host(url)
    if host is None:
        return None
    if ":" in host or host.replace(".", "").isdigit():  # an IPv6 or IPv4 address
        return host
    return registered_domain_of_host(host)

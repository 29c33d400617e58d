"""Every field of a document that can hold personal data: its text, its url, its metadata strings.

`field_texts(doc, fields)` lists the strings detection reads, each with a field path: ``text``,
``url`` (only the part after the host: path, query, fragment), ``metadata.author.contact.email``
for a nested value, ``metadata.tags.0`` for a list item (a ``.`` or ``\\`` inside a key is
escaped with ``\\``, so paths never collide). `detect_fields` runs one `detect_batch` over all of
a batch's strings; `anonymize_document` applies the anonymizer to every field from the stored
spans and rebuilds the document.

The url is read through a view: percent-escapes decoded (``%40`` reads as ``@``), the literal
delimiters ``/ ? # & = ;`` read as spaces (so ``email=jane@example.com`` is not one address),
one character of the view for each decoded character, so spans map back to the original
characters. Only those characters are replaced, by the percent-quoted replacement
(``<EMAIL_ADDRESS>`` is written ``%3CEMAIL_ADDRESS%3E``): the rest of the url, its scheme and its
host stay as they were. Metadata is rebuilt with the same keys in the same order; only strings
change, numbers, booleans and nulls are left alone. A field without a span is returned as it is.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import quote

from curation.document import Document, PiiSpan, url_host
from curation.pii.recognizers import region_hint
from curation.pii.spans import resolve_overlaps

FIELDS: tuple[str, ...] = ("text", "url", "metadata")
"""The fields `PiiConfig.fields` can name, in scanning order."""

_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_AUTHORITY = re.compile(r"\s*(?:[A-Za-z][A-Za-z0-9+.-]*:)?//[^/?#]*")
_ESCAPE = re.compile(r"%[0-9A-Fa-f]{2}")
_DELIMITERS = frozenset("/?#&=;")


class Detector(Protocol):
    def detect_batch(
        self,
        texts: Sequence[str],
        languages: Sequence[str | None] | None = None,
        regions: Sequence[str | None] | None = None,
    ) -> list[list[PiiSpan]]: ...


class SpanAnonymizer(Protocol):
    def anonymize(self, text: str, spans: Iterable[PiiSpan]) -> tuple[str, dict[str, int]]: ...


@dataclass(frozen=True)
class FieldText:
    """One string to scan: its field path, what detection reads, and the characters spans cover.

    `value` is `text` except in the url, where `text` reads delimiters as spaces; both have one
    character per position, so a span's value is ``value[start:end]``."""

    path: str
    text: str
    value: str

    @property
    def field(self) -> str:
        """The configured field it belongs to: ``text``, ``url`` or ``metadata``."""
        return self.path.split(".", 1)[0]


# ---------------------------------------------------------------------------------------------
# The url
# ---------------------------------------------------------------------------------------------


def url_tail_start(url: str) -> int:
    """Where the part of `url` after its host begins (the path, query and fragment).

    After ``scheme://host:port`` or ``//host``; after the host of a bare ``example.com/a``; for a
    url without a host (``mailto:jane@example.com``) after its scheme, else at 0."""
    authority = _AUTHORITY.match(url)
    if authority:
        return authority.end()
    if url_host(url) is not None:
        found = [i for i in (url.find(c) for c in "/?#") if i >= 0]
        return min(found) if found else len(url)
    scheme = _SCHEME.match(url)
    return scheme.end() if scheme else 0


@dataclass(frozen=True)
class UrlView:
    """The tail of a url as detection reads it, and where each of its characters came from."""

    url: str
    start: int
    """Where the tail begins in `url`."""
    text: str
    """Decoded, with literal delimiters as spaces."""
    value: str
    """Decoded."""
    origins: tuple[tuple[int, int], ...]
    """Per character of `text`: its characters in `url` (three or more for an escape)."""

    @classmethod
    def of(cls, url: str) -> UrlView:
        start = url_tail_start(url)
        text: list[str] = []
        value: list[str] = []
        origins: list[tuple[int, int]] = []
        position = start
        while position < len(url):
            decoded = _decode_at(url, position)
            if decoded is not None:
                char, end = decoded
                text.append(char)
                value.append(char)
            else:
                char, end = url[position], position + 1
                text.append(" " if char in _DELIMITERS else char)
                value.append(char)
            origins.append((position, end))
            position = end
        return cls(url, start, "".join(text), "".join(value), tuple(origins))

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The characters of `url` behind ``text[start:end]``."""
        return self.origins[start][0], self.origins[end - 1][1]

    def replace(self, replacements: Sequence[tuple[int, int, str]]) -> str:
        """The url with ``text[start:end]`` of each (sorted, non-overlapping) replacement swapped
        for the percent-quoted replacement; every other character as it was."""
        pieces: list[str] = []
        cursor = 0
        for start, end, new in replacements:
            first, last = self.original_span(start, end)
            pieces += [self.url[cursor:first], quote(new, safe="")]
            cursor = last
        pieces.append(self.url[cursor:])
        return "".join(pieces)


def _decode_at(url: str, position: int) -> tuple[str, int] | None:
    """The character a run of percent-escapes at `position` encodes (UTF-8) and where it ends;
    None when there is no escape there or its bytes are no UTF-8 character."""
    if not _ESCAPE.match(url, position):
        return None
    lead = int(url[position + 1 : position + 3], 16)
    size = 1 if lead < 0x80 else 2 if 0xC2 <= lead < 0xE0 else 3 if 0xE0 <= lead < 0xF0 else 4 if lead < 0xF5 else 0
    if not size:
        return None
    end = position + 3 * size
    escapes = [url[i : i + 3] for i in range(position, end, 3)]
    if len(escapes) < size or not all(len(e) == 3 and _ESCAPE.fullmatch(e) for e in escapes):
        return None
    try:
        char = bytes(int(e[1:], 16) for e in escapes).decode("utf-8")
    except UnicodeDecodeError:
        return None
    return char, end


# ---------------------------------------------------------------------------------------------
# Metadata
# ---------------------------------------------------------------------------------------------


def _key(key: Any) -> str:
    return str(key).replace("\\", "\\\\").replace(".", "\\.")


def metadata_strings(metadata: Mapping[str, Any], prefix: str = "metadata") -> Iterator[tuple[str, str]]:
    """Every string of `metadata` (dict values and list items, at any depth) with its path, in order."""
    stack: list[tuple[str, Any]] = [(f"{prefix}.{_key(k)}", v) for k, v in metadata.items()]
    stack.reverse()
    while stack:
        path, value = stack.pop()
        if isinstance(value, str):
            yield path, value
        elif isinstance(value, Mapping):
            stack.extend(reversed([(f"{path}.{_key(k)}", v) for k, v in value.items()]))
        elif isinstance(value, (list, tuple)):
            stack.extend(reversed([(f"{path}.{i}", v) for i, v in enumerate(value)]))


def _rebuild(value: Any, path: str, new: Mapping[str, str]) -> Any:
    if isinstance(value, str):
        return new.get(path, value)
    if isinstance(value, Mapping):
        return {k: _rebuild(v, f"{path}.{_key(k)}", new) for k, v in value.items()}
    if isinstance(value, list):
        return [_rebuild(v, f"{path}.{i}", new) for i, v in enumerate(value)]
    if isinstance(value, tuple):
        return tuple(_rebuild(v, f"{path}.{i}", new) for i, v in enumerate(value))
    return value


def rebuild_metadata(metadata: dict[str, Any], new: Mapping[str, str], prefix: str = "metadata") -> dict[str, Any]:
    """`metadata` with the strings at the paths of `new` replaced; the same object when `new` is empty."""
    if not new:
        return metadata
    return {k: _rebuild(v, f"{prefix}.{_key(k)}", new) for k, v in metadata.items()}


# ---------------------------------------------------------------------------------------------
# A document's fields
# ---------------------------------------------------------------------------------------------


def field_texts(doc: Document, fields: Iterable[str] = FIELDS) -> list[FieldText]:
    """The strings of `doc` to scan for the configured `fields`, in order: the text, the url's
    tail, the metadata strings. Empty strings (an url without a path) are left out, the text never."""
    wanted = set(fields)
    found: list[FieldText] = []
    if "text" in wanted:
        found.append(FieldText("text", doc.text, doc.text))
    if "url" in wanted and doc.url:
        view = UrlView.of(doc.url)
        if view.text.strip():
            found.append(FieldText("url", view.text, view.value))
    if "metadata" in wanted and doc.metadata:
        found.extend(FieldText(path, value, value) for path, value in metadata_strings(doc.metadata) if value.strip())
    return found


def detect_fields(
    detector: Detector, docs: Sequence[Document], fields: Iterable[str] = FIELDS
) -> list[tuple[tuple[PiiSpan, ...], tuple[tuple[str, tuple[PiiSpan, ...]], ...]]]:
    """Per document: the spans of its text (empty when the text is not scanned) and, per other
    field path with spans, that field's spans, from one `detect_batch` over every string of `docs`
    (each read in its document's language). Raises what detection raises."""
    fields = tuple(fields)
    strings = [field_texts(doc, fields) for doc in docs]
    texts = [item.text for items in strings for item in items]
    languages = [doc.language for doc, items in zip(docs, strings, strict=True) for _ in items]
    regions = [region_hint(doc.domain, doc.language) for doc, items in zip(docs, strings, strict=True) for _ in items]
    found = detector.detect_batch(texts, languages, regions) if texts else []
    if len(found) != len(texts):
        raise ValueError(f"detection returned {len(found)} results for {len(texts)} strings")
    results = []
    position = 0
    for items in strings:
        text_spans: tuple[PiiSpan, ...] = ()
        others = []
        for item, spans in zip(items, found[position : position + len(items)], strict=True):
            if item.path == "text":
                text_spans = tuple(spans)
            elif spans:
                others.append((item.path, tuple(spans)))
        position += len(items)
        results.append((text_spans, tuple(others)))
    return results


def field_values(doc: Document, fields: Iterable[str] = FIELDS) -> list[tuple[str, tuple[PiiSpan, ...]]]:
    """The stored spans of `doc`'s fields other than the text, each with the string its offsets
    refer to (the decoded url tail, the metadata value): what domain scoring hashes values from."""
    spans = dict(doc.pii_field_spans or ())
    if not spans:
        return []
    return [(item.value, spans[item.path]) for item in field_texts(doc, fields) if item.path in spans]


def _trim(view: UrlView, span: PiiSpan) -> PiiSpan | None:
    """`span` without delimiters (read as spaces) at its ends, so no replacement swallows one."""
    start, end = span.start, span.end
    while start < end and view.text[start].isspace():
        start += 1
    while end > start and view.text[end - 1].isspace():
        end -= 1
    return dataclasses.replace(span, start=start, end=end) if start < end else None


def anonymize_url(anonymizer: SpanAnonymizer, url: str, spans: Iterable[PiiSpan]) -> tuple[str, dict[str, int]]:
    """`url` with every span (offsets into `UrlView.of(url).text`) of an anonymized type replaced by
    its percent-quoted replacement, and the count per type; the url as it was when nothing changed."""
    view = UrlView.of(url)
    size = len(view.text)
    trimmed = [_trim(view, s) for s in spans if 0 <= s.start < s.end <= size]
    replacements: list[tuple[int, int, str]] = []
    counts: dict[str, int] = {}
    for span in resolve_overlaps(s for s in trimmed if s is not None):
        value = view.value[span.start : span.end]
        new, changed = anonymizer.anonymize(value, [PiiSpan(0, len(value), span.entity_type, span.score)])
        if not changed:
            continue
        replacements.append((span.start, span.end, new))
        for entity, count in changed.items():
            counts[entity] = counts.get(entity, 0) + count
    if not replacements:
        return url, {}
    return view.replace(replacements), dict(sorted(counts.items()))


def anonymize_metadata(
    anonymizer: SpanAnonymizer, metadata: dict[str, Any], spans: Mapping[str, Sequence[PiiSpan]]
) -> tuple[dict[str, Any], dict[str, dict[str, int]]]:
    """`metadata` with the strings at the paths of `spans` anonymized (keys, order and non-strings
    kept), and the counts per path and type (only paths where something changed)."""
    new: dict[str, str] = {}
    counts: dict[str, dict[str, int]] = {}
    for path, value in metadata_strings(metadata):
        if path not in spans:
            continue
        anonymized, changed = anonymizer.anonymize(value, spans[path])
        if changed:
            new[path], counts[path] = anonymized, changed
    return rebuild_metadata(metadata, new), counts


def anonymize_document(anonymizer: SpanAnonymizer, doc: Document) -> Document:
    """`doc` with its text, url and metadata anonymized from `pii_spans` and `pii_field_spans`,
    `pii_redactions` (the text's) and `pii_field_redactions` (per other field path) set, the spans cleared."""
    text, counts = anonymizer.anonymize(doc.text, doc.pii_spans or ())
    field_spans = dict(doc.pii_field_spans or ())
    url, redactions = doc.url, {}
    if doc.url and "url" in field_spans:
        url, url_counts = anonymize_url(anonymizer, doc.url, field_spans["url"])
        if url_counts:
            redactions["url"] = url_counts
    metadata = doc.metadata
    if doc.metadata and any(path.startswith("metadata.") for path in field_spans):
        metadata, metadata_counts = anonymize_metadata(anonymizer, doc.metadata, field_spans)
        redactions |= metadata_counts
    return dataclasses.replace(
        doc,
        text=text,
        url=url,
        metadata=metadata,
        pii_redactions=counts,
        pii_field_redactions=redactions,
        pii_spans=None,
        pii_field_spans=None,
    )

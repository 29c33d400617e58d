"""Turning raw records into documents: field mapping, ids, domains and validation."""

from __future__ import annotations

import json
import re
from typing import Any

from curation.config import InputConfig
from curation.document import Document, Rejection, registered_domain, stable_id
from curation.io.readers import RawRecord, position_unit
from curation.io.sources import ReadTask


def _dump(fields: dict[str, Any]) -> str:
    return json.dumps(fields, ensure_ascii=False, default=str)


_SURROGATES = re.compile("[\ud800-\udfff]")

MAX_METADATA_DEPTH = 32
"""Metadata values nested deeper are kept as a JSON string, so pickling them cannot recurse."""


def _depth(value: Any) -> int:
    depth, level = 0, [value]
    while level and depth <= MAX_METADATA_DEPTH:
        depth += 1
        level = [
            child
            for item in level
            if isinstance(item, (dict, list, tuple))
            for child in (item.values() if isinstance(item, dict) else item)
        ]
    return depth


def _flat_enough(value: Any) -> Any:
    if _depth(value) <= MAX_METADATA_DEPTH:
        return value
    try:
        return json.dumps(value, ensure_ascii=False, default=str)
    except (RecursionError, ValueError):
        return "<metadata nested too deeply to keep>"


_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]{0,39}")


def _field_names(fields: dict[str, Any], shown: int = 8) -> str:
    """` (the record's fields: a, b)`: the names that read as field names (a key that could be
    data, such as an e-mail address, is never repeated in a message)."""
    names = [name for name in fields if isinstance(name, str) and _NAME.fullmatch(name)]
    if not names:
        return ""
    more = ", ..." if len(names) > shown else ""
    return f" (the record's fields: {', '.join(names[:shown])}{more})"


def _text_problem(fields: dict[str, Any], key: str) -> str | None:
    if key not in fields:
        return f"missing text field '{key}'{_field_names(fields)}"
    if fields[key] is None:
        return f"missing text field '{key}' (null)"
    value = fields[key]
    if not isinstance(value, str):
        return f"text field '{key}' is {type(value).__name__}, not a string"
    if not value.strip():
        return f"empty text field '{key}'"
    return None


def _encodable(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates, from JSON escapes such as "\udc80"
        return False
    return True


def _record_id(
    fields: dict[str, Any], key: str | None, task: ReadTask, position: int
) -> tuple[str, None] | tuple[None, str]:
    """(id, None), or (None, why the id is refused). A string is kept as given, an integer becomes
    its decimal string; an absent or null id is derived from where the record sits."""
    value = fields.get(key) if key else None
    if value is None:
        return stable_id(task.source, task.key, position), None
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        return None, f"id field '{key}' is {type(value).__name__}, not a string or an integer"
    if isinstance(value, str) and not value.strip():
        return None, f"empty id field '{key}'"
    return str(value), None


def _url(fields: dict[str, Any], key: str | None) -> str | None:
    value = fields.get(key) if key else None
    return value if isinstance(value, str) and value.strip() else None


def _rejection(record: RawRecord, task: ReadTask, error: str, raw: str | None = None) -> Rejection:
    """A rejection that points at the record as a person finds it: its 1-based line, row or record."""
    number = None if record.position is None else record.number
    return Rejection(task.key, number, error, raw, position_unit(task.format))


def to_document(record: RawRecord, task: ReadTask, config: InputConfig) -> Document | Rejection:
    """The document a raw record describes, or the reason it is rejected.

    A rejection's position is the record's `number` (from 1); ids and `source_order` come from its
    0-based `position`, which is unchanged by how the file numbers its lines."""
    if record.error is not None or record.fields is None or record.position is None:
        return _rejection(record, task, record.error or "unreadable record", record.raw)
    fields = record.fields
    problem = _text_problem(fields, config.text_key)
    if problem:
        return _rejection(record, task, problem, record.raw or _dump(fields))
    url = _url(fields, config.url_key)
    identified = _record_id(fields, config.id_key, task, record.position)
    if identified[1] is not None:
        return _rejection(record, task, identified[1], record.raw or _dump(fields))
    doc_id = identified[0]
    if not (_encodable(doc_id) and (url is None or _encodable(url))):
        return _rejection(record, task, "invalid Unicode (a lone surrogate) in the id or url")
    text = fields[config.text_key]
    mapped = {config.text_key, config.id_key, config.url_key}
    return Document(
        id=doc_id,
        text=text if _encodable(text) else _SURROGATES.sub("\ufffd", text),
        source=task.source,
        url=url,
        domain=registered_domain(url),
        metadata={k: _flat_enough(v) for k, v in fields.items() if k not in mapped},
        source_order=f"{task.key}\x1f{record.position:012d}",
    )

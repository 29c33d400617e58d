"""Anonymization of stored spans with presidio-anonymizer: placeholders, masks, hashes, keyed pseudonyms.

Operators come from `PiiConfig.operators`, keyed by entity type (``DEFAULT`` applies to every
default-tier entity without its own entry). Each is ``{"type": T, ...parameters}`` with T one of
``replace`` (``new_value``, may contain ``{entity_type}``), ``redact``, ``mask`` (``masking_char``,
``chars_to_mask``, ``from_end``), ``hash`` (``hash_type``, ``salt``), ``pseudonym`` (``format``
with ``{entity_type}`` and ``{token}``, ``length``) and ``keep``.

Pseudonyms are an HMAC-SHA256 of the normalized value under a secret key read from the
environment variable `PiiConfig.pseudonym_key_env` or the file `PiiConfig.pseudonym_key_file`
(any fsspec path, so cluster workers can read it from a bucket):
the same value gives the same token in every document, shard and run with that key, and the
key is never part of any output.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
from collections.abc import Iterable
from typing import Any

import fsspec
from presidio_anonymizer import AnonymizerEngine
from presidio_anonymizer.entities import OperatorConfig, RecognizerResult

from curation.config import PiiConfig
from curation.document import PiiSpan
from curation.pii.recognizers import DEFAULT_ENTITIES
from curation.pii.spans import resolve_overlaps

DEFAULT_PLACEHOLDER = "<{entity_type}>"
DEFAULT_PSEUDONYM_FORMAT = "<{entity_type}_{token}>"
DEFAULT_OPERATOR_KEY = "DEFAULT"
OPERATOR_TYPES = ("replace", "redact", "mask", "hash", "pseudonym", "keep")
NER_CAPABLE: frozenset[str] = frozenset({"PERSON", "LOCATION", "NRP", "ORGANIZATION", "DATE_TIME"})
"""Entities the spaCy NER tier can produce (through Presidio's label mapping)."""
_HASH_SALT = b"curation-pii-hash-v1"
"""Presidio's hash salts randomly unless given one; a fixed salt keeps outputs deterministic.
Unkeyed hashes of e-mails can be reversed by guessing: prefer `pseudonym`."""

_SEGMENT_SPANS = 256
"""Spans handed to presidio-anonymizer at once (it copies its whole input once per span)."""

_PARAMETERS = {
    "replace": {"new_value"},
    "redact": set(),
    "mask": {"masking_char", "chars_to_mask", "from_end"},
    "hash": {"hash_type", "salt"},
    "pseudonym": {"format", "length"},
    "keep": set(),
}


def _operator_specs(config: PiiConfig) -> dict[str, dict[str, Any]]:
    """The configured operators, each checked for a known type and known parameters."""
    for entity, spec in config.operators.items():
        kind = spec.get("type")
        if kind not in OPERATOR_TYPES:
            raise ValueError(f"pii.operators.{entity}: type must be one of {', '.join(OPERATOR_TYPES)}")
        unknown = sorted(set(spec) - {"type"} - _PARAMETERS[kind])
        if unknown:
            raise ValueError(f"pii.operators.{entity}: unknown parameter '{unknown[0]}' for type {kind}")
        if kind == "pseudonym" and not 4 <= int(spec.get("length", 16)) <= 64:
            raise ValueError(f"pii.operators.{entity}: length must be between 4 and 64")
        if kind == "hash" and len(str(spec.get("salt", _HASH_SALT.decode()))) < 16:
            raise ValueError(f"pii.operators.{entity}: salt must be at least 16 characters")
    return config.operators


def uses_pseudonyms(config: PiiConfig) -> bool:
    """Whether any configured operator is a keyed pseudonym."""
    return any(spec.get("type") == "pseudonym" for spec in config.operators.values())


def load_pseudonym_key(config: PiiConfig) -> bytes | None:
    """The pseudonym key from the environment variable, else from the key file; None when neither has one."""
    value = os.environ.get(config.pseudonym_key_env, "")
    if value.strip():
        return value.strip().encode()
    if config.pseudonym_key_file:  # local or remote (gs://, s3://): workers read it themselves
        try:
            with fsspec.open(config.pseudonym_key_file, "rb") as handle:
                key = handle.read().strip()
        except (OSError, ImportError, ValueError) as error:  # missing file, no gcsfs/s3fs, bad URL
            why = getattr(error, "strerror", None) or type(error).__name__
            raise ValueError(f"pii.pseudonym_key_file: cannot read {config.pseudonym_key_file} ({why})") from None
        return key or None
    return None


def check_operators(config: PiiConfig) -> None:
    """Raise ValueError (one line, no secrets) for unknown operator types or parameters, or
    pseudonyms configured without a key."""
    _operator_specs(config)
    if uses_pseudonyms(config) and load_pseudonym_key(config) is None:
        where = f"environment variable {config.pseudonym_key_env}"
        if config.pseudonym_key_file:
            where += f" or file {config.pseudonym_key_file}"
        raise ValueError(f"pii.operators use pseudonyms but no key was found: set {where}")


_SEPARATORS = re.compile(r"[\s\-.()/]+")


def normalize_value(entity_type: str, value: str) -> str:
    """The form of a value pseudonyms are computed from: case and layout folded away."""
    value = value.strip()
    if entity_type in ("PHONE_NUMBER", "CREDIT_CARD", "IBAN_CODE", "US_SSN"):
        return _SEPARATORS.sub("", value).upper()
    return " ".join(value.split()).casefold()


class Pseudonymizer:
    """Keyed, deterministic tokens: HMAC-SHA256 of the entity type and the normalized value."""

    def __init__(self, key: bytes):
        self._key = key

    def token(self, entity_type: str, value: str, length: int = 16) -> str:
        message = f"{entity_type}\x1f{normalize_value(entity_type, value)}".encode()
        return hmac.new(self._key, message, hashlib.sha256).hexdigest()[:length]

    def __repr__(self) -> str:
        return "Pseudonymizer(<key hidden>)"


def _operator(entity: str, spec: dict[str, Any], pseudonymizer: Pseudonymizer | None) -> OperatorConfig:
    kind = spec["type"]
    if kind == "replace":
        return OperatorConfig(
            "replace", {"new_value": spec.get("new_value", DEFAULT_PLACEHOLDER).format(entity_type=entity)}
        )
    if kind == "mask":
        params = {"masking_char": "*", "chars_to_mask": 1_000_000, "from_end": False}
        return OperatorConfig("mask", params | {k: v for k, v in spec.items() if k != "type"})
    if kind == "hash":
        salt = spec.get("salt", _HASH_SALT)
        return OperatorConfig("hash", {"hash_type": spec.get("hash_type", "sha256"), "salt": salt})
    if kind == "pseudonym":
        if pseudonymizer is None:
            raise ValueError("pseudonyms are configured but no key was found")
        form, length = spec.get("format", DEFAULT_PSEUDONYM_FORMAT), int(spec.get("length", 16))
        return OperatorConfig(
            "custom",
            {"lambda": lambda value: form.format(entity_type=entity, token=pseudonymizer.token(entity, value, length))},
        )
    return OperatorConfig(kind)


class Anonymizer:
    """Applies the configured operators to stored spans through presidio-anonymizer.

    Default-tier entities, and any other pattern entity `entities` asks for (national ids), are
    replaced by ``<ENTITY_TYPE>`` unless configured otherwise; NER entities (names, places) are
    anonymized only when `operators` names them.
    """

    def __init__(self, config: PiiConfig, placeholder: str | None = None):
        specs = _operator_specs(config)
        default = specs.get(DEFAULT_OPERATOR_KEY, {"type": "replace", "new_value": placeholder or DEFAULT_PLACEHOLDER})
        key = load_pseudonym_key(config) if uses_pseudonyms(config) else None
        pseudonymizer = Pseudonymizer(key) if key else None
        # Every pattern entity the config asks for (the default tier and Presidio's national ids)
        # gets the default operator; NER guesses only when `operators` names them.
        requested = [e for e in (config.entities or ()) if e not in NER_CAPABLE and e != DEFAULT_OPERATOR_KEY]
        wanted = {entity: default for entity in (*DEFAULT_ENTITIES, *requested)}
        wanted |= {entity: spec for entity, spec in specs.items() if entity != DEFAULT_OPERATOR_KEY}
        self._operators = {
            entity: _operator(entity, spec, pseudonymizer) for entity, spec in wanted.items() if spec["type"] != "keep"
        }
        self._engine = AnonymizerEngine()

    @property
    def entities(self) -> frozenset[str]:
        """Entity types this anonymizer changes."""
        return frozenset(self._operators)

    def anonymize(self, text: str, spans: Iterable[PiiSpan]) -> tuple[str, dict[str, int]]:
        """The text with every span of an anonymized type replaced, and the count per type."""
        chosen = [s for s in spans if s.entity_type in self._operators and 0 <= s.start < s.end <= len(text)]
        chosen = resolve_overlaps(chosen)
        if not chosen:
            return text, {}
        # presidio-anonymizer copies the whole text once per span: hand it short segments of at
        # most `_SEGMENT_SPANS` (sorted, non-overlapping) spans and splice the results together.
        pieces: list[str] = []
        cursor = 0
        for first in range(0, len(chosen), _SEGMENT_SPANS):
            segment = chosen[first : first + _SEGMENT_SPANS]
            start, end = segment[0].start, segment[-1].end
            results = [RecognizerResult(s.entity_type, s.start - start, s.end - start, s.score) for s in segment]
            operators = {entity: self._operators[entity] for entity in {s.entity_type for s in segment}}
            output = self._engine.anonymize(text[start:end], results, operators, merge_entities_with_spaces=False)
            pieces += [text[cursor:start], output.text]
            cursor = end
        pieces.append(text[cursor:])
        counts: dict[str, int] = {}
        for span in chosen:
            counts[span.entity_type] = counts.get(span.entity_type, 0) + 1
        return "".join(pieces), dict(sorted(counts.items()))

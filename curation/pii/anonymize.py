"""Anonymization of stored spans with presidio-anonymizer: placeholders, masks, hashes, keyed pseudonyms.

Operators come from `PiiConfig.operators` (typed, and checked, when the config loads), keyed by
entity type; ``DEFAULT`` applies to every pattern entity without its own entry. Each maps to one
Presidio `OperatorConfig`; `pseudonym` is a Presidio ``custom`` operator.

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

import fsspec
from presidio_anonymizer import AnonymizerEngine
from presidio_anonymizer.entities import OperatorConfig, RecognizerResult

from curation.config import (
    DEFAULT_OPERATOR_KEY,
    HashOperator,
    KeepOperator,
    MaskOperator,
    Operator,
    PiiConfig,
    PseudonymOperator,
    RedactOperator,
    ReplaceOperator,
)
from curation.document import PiiSpan
from curation.pii.recognizers import DEFAULT_ENTITIES
from curation.pii.spans import resolve_overlaps

NER_CAPABLE: frozenset[str] = frozenset({"PERSON", "LOCATION", "NRP", "ORGANIZATION", "DATE_TIME"})
"""Entities the spaCy NER tier can produce (through Presidio's label mapping)."""
_HASH_SALT = b"curation-pii-hash-v1"
"""Presidio's hash salts randomly unless given one; a fixed salt keeps outputs deterministic."""

_SEGMENT_SPANS = 256
"""Spans handed to presidio-anonymizer at once (it copies its whole input once per span)."""


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


def _presidio_operator(entity: str, operator: Operator, pseudonymizer: Pseudonymizer | None) -> OperatorConfig:
    match operator:
        case ReplaceOperator(new_value=value):
            return OperatorConfig("replace", {"new_value": value.format(entity_type=entity)})
        case RedactOperator():
            return OperatorConfig("redact")
        case MaskOperator():
            return OperatorConfig("mask", operator.model_dump(exclude={"type"}))
        case HashOperator(salt=salt):
            return OperatorConfig(
                "hash", {"hash_type": operator.hash_type, "salt": salt.get_secret_value() if salt else _HASH_SALT}
            )
        case PseudonymOperator(format=form, length=length):
            if pseudonymizer is None:
                raise ValueError("pseudonyms are configured but no key was found")
            tokens = pseudonymizer

            def pseudonym(value: str) -> str:
                return form.format(entity_type=entity, token=tokens.token(entity, value, length))

            return OperatorConfig("custom", {"lambda": pseudonym})
    raise TypeError(f"no Presidio operator for {type(operator).__name__}")


class Anonymizer:
    """Applies the configured operators to stored spans through presidio-anonymizer.

    Default-tier entities, and any other pattern entity `entities` asks for (national ids), are
    replaced by ``<ENTITY_TYPE>`` unless configured otherwise; NER entities (names, places) are
    anonymized only when `operators` names them.
    """

    def __init__(self, config: PiiConfig):
        operators = config.operators
        default = operators.get(DEFAULT_OPERATOR_KEY, ReplaceOperator(type="replace"))
        key = load_pseudonym_key(config) if config.uses_pseudonyms else None
        pseudonymizer = Pseudonymizer(key) if key else None
        # Every pattern entity the config asks for (the default tier, registered recognizers and
        # Presidio's national ids) gets the default operator; NER guesses only when `operators` names them.
        requested = [e for e in (config.entities or ()) if e not in NER_CAPABLE and e != DEFAULT_OPERATOR_KEY]
        wanted = {entity: default for entity in (*DEFAULT_ENTITIES, *requested)}
        wanted |= {entity: operator for entity, operator in operators.items() if entity != DEFAULT_OPERATOR_KEY}
        self._operators = {
            entity: _presidio_operator(entity, operator, pseudonymizer)
            for entity, operator in wanted.items()
            if not isinstance(operator, KeepOperator)
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

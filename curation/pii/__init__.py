"""Personal data: detection (`PiiEngine`), per-domain scoring (`curation.pii.domains`), anonymization."""

from curation.pii.anonymize import Anonymizer, Pseudonymizer, load_pseudonym_key, uses_pseudonyms
from curation.pii.engine import NER_ENTITIES, PiiEngine, check_pii_config
from curation.pii.recognizers import DEFAULT_ENTITIES
from curation.pii.spans import resolve_overlaps

__all__ = [
    "DEFAULT_ENTITIES",
    "NER_ENTITIES",
    "Anonymizer",
    "PiiEngine",
    "Pseudonymizer",
    "check_pii_config",
    "load_pseudonym_key",
    "resolve_overlaps",
    "uses_pseudonyms",
]

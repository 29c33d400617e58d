"""Personal data: detection (`PiiDetector`, with anonymization `PiiEngine`), per-domain scoring
(`curation.pii.domains`), anonymization (`Anonymizer`), recognizers as data (`curation.pii.recognizers`)."""

from curation.pii.anonymize import Anonymizer, Pseudonymizer, load_pseudonym_key
from curation.pii.engine import NER_ENTITIES, PiiDetector, PiiEngine, check_pii_config
from curation.pii.recognizers import DEFAULT_ENTITIES, RecognizerSpec, WebPattern, register_recognizer
from curation.pii.spans import resolve_overlaps

__all__ = [
    "DEFAULT_ENTITIES",
    "NER_ENTITIES",
    "Anonymizer",
    "PiiDetector",
    "PiiEngine",
    "Pseudonymizer",
    "RecognizerSpec",
    "WebPattern",
    "check_pii_config",
    "load_pseudonym_key",
    "register_recognizer",
    "resolve_overlaps",
]

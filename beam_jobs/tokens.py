"""Token counting stage: `token_count` on every document, tokenized in batches."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import apache_beam as beam
from apache_beam.pvalue import PCollection

from beam_jobs.stage import batched
from curation.document import Document
from curation.tokens import TokenCounter, token_counter


class _CountTokensFn(beam.DoFn):
    def __init__(self, tokenizer: str):
        self._tokenizer = tokenizer
        self._counter: TokenCounter | None = None

    def setup(self) -> None:
        self._counter = token_counter(self._tokenizer)

    def process(self, batch: list[Document]) -> Iterator[Document]:
        assert self._counter is not None, "setup() runs first"
        counts = self._counter.count_batch([doc.text for doc in batch])
        for doc, count in zip(batch, counts, strict=True):
            yield dataclasses.replace(doc, token_count=count)


class CountTokens(beam.PTransform):
    """Set `token_count` with the configured tokenizer (loaded once per worker, batches of documents)."""

    def __init__(self, tokenizer: str, max_batch_size: int = 1024):
        super().__init__()
        self._tokenizer = tokenizer
        self._max_batch_size = max_batch_size

    def expand(self, docs: PCollection[Document]) -> PCollection[Document]:
        return (
            docs
            | batched("Batch", 256, self._max_batch_size)
            | "CountTokens" >> beam.ParDo(_CountTokensFn(self._tokenizer))
        )

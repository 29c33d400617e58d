"""Exact deduplication: one copy per normalized text, chosen by the smallest id."""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

import apache_beam as beam
from apache_beam.pvalue import DoOutputsTuple, PCollection, TaggedOutput

from beam_jobs.stage import CurationStage, StageCounters
from beam_jobs.tags import DROPPED, DUPLICATES
from curation.catalog import EXACT_DEDUP
from curation.document import Document, Drop
from curation.text import content_hash

REASON = "exact_duplicate"


class _Copy(NamedTuple):
    id: str
    url: str | None
    domain: str | None
    source: str


class _KeepSmallestId(beam.CombineFn):
    """Per text: the document with the smallest id, and the ids (not texts) of the other copies."""

    def create_accumulator(self) -> tuple[Document | None, list[_Copy]]:
        return None, []

    def add_input(self, acc, doc: Document):
        kept, others = acc
        if kept is None:
            return doc, others
        if (doc.id, doc.source_order) < (kept.id, kept.source_order):
            kept, doc = doc, kept
        others.append(_Copy(doc.id, doc.url, doc.domain, doc.source))
        return kept, others

    def merge_accumulators(self, accumulators):
        kept, others = None, []
        for acc_kept, acc_others in accumulators:
            others.extend(acc_others)
            if acc_kept is not None:
                kept, others = self.add_input((kept, others), acc_kept)
        return kept, others

    def extract_output(self, acc):
        return acc


class _EmitCopies(beam.DoFn):
    def __init__(self):
        self._counters = StageCounters(EXACT_DEDUP.name)

    def process(self, element) -> Iterator[Document | TaggedOutput]:
        digest, (kept, others) = element
        yield kept
        for copy in others:
            self._counters.inc(REASON)
            stage = EXACT_DEDUP.name
            drop = Drop(copy.id, stage, REASON, copy.url, copy.domain, copy.source, kept.id, kept.text)
            yield TaggedOutput(DROPPED, drop)
            yield TaggedOutput(DUPLICATES, {"id": copy.id, "cluster_id": digest, "kept_id": kept.id, "stage": "exact"})


class RemoveExactDuplicates(CurationStage):
    """Keep one document per normalized text (the smallest id); the other copies go to `DROPPED`
    (detail: the kept id; text: the shared text) and to `DUPLICATES`."""

    NAME = EXACT_DEDUP
    SIDE_OUTPUTS = (DUPLICATES,)

    def expand(self, docs: PCollection[Document]) -> DoOutputsTuple:
        return (
            docs
            | "KeyByContent" >> beam.Map(lambda doc: (content_hash(doc.text), doc))
            | "KeepOnePerText" >> beam.CombinePerKey(_KeepSmallestId())
            | "EmitCopies"
            >> beam.ParDo(_EmitCopies()).with_outputs(DROPPED, DUPLICATES, main="documents")
        )

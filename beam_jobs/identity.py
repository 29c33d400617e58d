"""Unique ids: no two documents of a run share an id, whatever the input order or the runner."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import apache_beam as beam
from apache_beam.pvalue import DoOutputsTuple, PCollection, TaggedOutput

from beam_jobs.stage import StageCounters
from beam_jobs.tags import DROPPED
from curation.catalog import PARSE
from curation.document import Document, Drop, copy_id, distinct_id, record_digest

STAGE = PARSE.name
_PRIMARY = "primary"
"""Marks the (id, digest) key whose record keeps the id as given."""


class _OneRecordPerContent(beam.CombineFn):
    """Per (id, digest): whether this record keeps the id, one reading of it, how many more there were.

    The readings of one record are identical but for their position; the first in source order stays.
    """

    def create_accumulator(self) -> tuple[bool, Document | None, int]:
        return False, None, 0

    def add_input(self, acc, element):
        primary, kept, extra = acc
        if element == _PRIMARY:
            return True, kept, extra
        if kept is None:
            return primary, element, extra
        first = element if element.source_order < kept.source_order else kept
        return primary, first, extra + 1

    def merge_accumulators(self, accumulators):
        primary, kept, extra = False, None, 0
        for acc_primary, acc_kept, acc_extra in accumulators:
            primary, extra = primary or acc_primary, extra + acc_extra
            if acc_kept is not None:
                _, kept, extra = self.add_input((primary, kept, extra), acc_kept)
        return primary, kept, extra

    def extract_output(self, acc):
        return acc


class _EmitUnique(beam.DoFn):
    def __init__(self):
        self._counters = StageCounters(STAGE)

    def process(self, element) -> Iterator[Document | TaggedOutput]:
        (doc_id, digest), (primary, doc, extra) = element
        if not primary:
            self._counters.inc("renamed_repeated_id")
            doc = replace(doc, id=distinct_id(doc_id, digest))
        yield doc
        for copy in range(2, extra + 2):
            self._counters.inc("repeated_record")
            detail = f"the same record as {doc.id}, read again"
            drop = Drop(copy_id(doc.id, copy), STAGE, "repeated_record", doc.url, doc.domain, doc.source, detail)
            yield TaggedOutput(DROPPED, drop)


class UniqueIds(beam.PTransform):
    """Give every document an id of its own; the same ids for any input order and runner.

    Records that share an id and hold the same source, url, text and metadata are one record read
    twice: the first in source order stays, each other reading goes to the ledger as
    `parse/repeated_record` under `id~copyN`. Records that share an id and differ all stay: the
    one with the smallest content digest keeps the id, each other becomes `id~` and 16 hex digits
    of its digest. Memory per key stays bounded: the second step holds one document per key.
    """

    def expand(self, docs: PCollection[Document]) -> DoOutputsTuple:
        keyed = docs | "KeyByRecord" >> beam.Map(lambda doc: ((doc.id, record_digest(doc)), doc))
        primaries = (
            keyed
            | "IdAndDigest" >> beam.Keys()
            | "SmallestDigestPerId" >> beam.CombinePerKey(min)
            | "MarkPrimary" >> beam.Map(lambda id_digest: (id_digest, _PRIMARY))
        )
        return (
            (keyed, primaries)
            | "WithPrimaries" >> beam.Flatten()
            | "OneRecordPerContent" >> beam.CombinePerKey(_OneRecordPerContent())
            | "Emit" >> beam.ParDo(_EmitUnique()).with_outputs(DROPPED, main="documents")
        )

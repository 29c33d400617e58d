"""Writing: deterministic Parquet parts (ledger, rejected, duplicates, domain scores) and the run report."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import apache_beam as beam
import pyarrow as pa

from curation.manifest import RunReport
from curation.shards import PartInfo, part_count, part_of, write_atomically, write_part

PART_BYTES = 256 * 1024 * 1024
"""About how much row data one side-output part holds (a worker holds one part while writing it)."""
ROW_BYTES = 256
"""The estimated size of a side-output row without text."""


class WritePartFn(beam.DoFn):
    """Write one `(part index, [(key, weight, row)])` group as a Parquet part; emit its `PartInfo` dict."""

    def __init__(self, schema: pa.Schema, output_dir: str, subdir: str, row_group_size: int):
        self._schema = schema
        self._output_dir = output_dir
        self._subdir = subdir
        self._row_group_size = row_group_size

    def process(self, element, parts: int) -> Iterator[dict]:
        index, keyed_rows = element
        info = write_part(
            list(keyed_rows), self._schema, self._output_dir, self._subdir, index, parts, self._row_group_size
        )
        yield info.to_dict()


class WriteParts(beam.PTransform):
    """Elements to Parquet parts under `output_dir/subdir`, deterministic whatever the runner does.

    The part count is `ceil(sum(weight) / weight_per_part)`; an element goes to the part its
    key hashes to and parts are sorted by key. The output is each written part's `PartInfo` dict.
    """

    def __init__(
        self,
        output_dir: str,
        subdir: str,
        schema: pa.Schema,
        to_row: Callable[[Any], dict],
        key: Callable[[Any], str],
        weight: Callable[[Any], int] = lambda _: ROW_BYTES,
        weight_per_part: int = PART_BYTES,
        row_group_size: int = 10_000,
    ):
        super().__init__()
        self._output_dir, self._subdir, self._schema = output_dir, subdir, schema
        self._to_row, self._key, self._weight = to_row, key, weight
        self._weight_per_part, self._row_group_size = weight_per_part, row_group_size

    def expand(self, elements):
        to_row, key, weight, per_part = self._to_row, self._key, self._weight, self._weight_per_part
        keyed = elements | "Key" >> beam.Map(lambda e: (key(e), weight(e), to_row(e)))
        parts = beam.pvalue.AsSingleton(
            keyed
            | "Weights" >> beam.Map(lambda item: item[1])
            | "TotalWeight" >> beam.CombineGlobally(sum)
            | "PartCount" >> beam.Map(part_count, per_part)
        )
        return (
            keyed
            | "AssignPart" >> beam.Map(lambda item, n: (part_of(item[0], n), item), parts)
            | "GroupParts" >> beam.GroupByKey()
            | "WritePart"
            >> beam.ParDo(WritePartFn(self._schema, self._output_dir, self._subdir, self._row_group_size), parts)
        )


def _report(_, input_documents: int, rejected: int, drops: list, parts: list) -> str:
    shards = [PartInfo(**part).manifest_entry() for part in parts]
    return json.dumps(RunReport(input_documents, rejected, dict(drops), shards).to_dict(), sort_keys=True)


class WriteReport(beam.PTransform):
    """Count inputs, rejections and drops per `stage/reason`, and write them with the shards' entries."""

    def __init__(self, path: str):
        super().__init__()
        self._path = path

    def expand(self, pcolls):
        documents, rejected, dropped, shards = pcolls
        path = self._path
        count = beam.combiners.Count
        return (
            documents.pipeline
            | "ReportTrigger" >> beam.Create([None])
            | "BuildReport"
            >> beam.Map(
                _report,
                beam.pvalue.AsSingleton(documents | "CountInput" >> count.Globally()),
                beam.pvalue.AsSingleton(rejected | "CountRejected" >> count.Globally()),
                beam.pvalue.AsList(
                    dropped
                    | "DropReason" >> beam.Map(lambda drop: f"{drop.stage}/{drop.reason}")
                    | "CountDrops" >> count.PerElement()
                ),
                beam.pvalue.AsList(shards),
            )
            | "WriteReportFile" >> beam.Map(lambda text: write_atomically(text.encode(), path))
        )

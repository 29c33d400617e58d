"""Writing: deterministic Parquet parts (ledger, rejected, duplicates, domain scores) and the run report."""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterator
from typing import Any

import apache_beam as beam
import pyarrow as pa
from apache_beam.pvalue import PCollection

from curation.manifest import RunReport, ShardEntry
from curation.outputs import STAGING
from curation.shards import (
    RUN_BYTES,
    PartInfo,
    RunInfo,
    bucket_of,
    merge_runs,
    order_key,
    part_count,
    run_path,
    write_atomically,
    write_run,
)

PART_BYTES = 256 * 1024 * 1024
"""About how much row data one side-output part holds (written in runs of `RUN_BYTES`)."""
ROW_BYTES = 256
"""The estimated size of a side-output row without text."""


class _WriteRunFn(beam.DoFn):
    """Write one `((part, run), [(key, weight, row)])` group as a sorted run; emit `(part, RunInfo dict)`."""

    def __init__(self, schema: pa.Schema, runs_dir: str, subdir: str, row_group_size: int):
        self._schema, self._runs_dir, self._subdir = schema, runs_dir, subdir
        self._row_group_size = row_group_size

    def process(self, element) -> Iterator[tuple[int, dict]]:
        (part, run), keyed_rows = element
        path = run_path(self._runs_dir, part, run)
        name = f"{self._subdir}/part-{part:05d} (run {run})"
        yield part, write_run(list(keyed_rows), self._schema, path, run, self._row_group_size, name).to_dict()


class _MergeRunsFn(beam.DoFn):
    """Concatenate one part's runs into its Parquet file; emit the part's `PartInfo` dict."""

    def __init__(self, schema: pa.Schema, output_dir: str, subdir: str, row_group_size: int):
        self._schema, self._output_dir, self._subdir = schema, output_dir, subdir
        self._row_group_size = row_group_size

    def process(self, element, parts: int) -> Iterator[dict]:
        index, runs = element
        runs = [RunInfo(**run) for run in runs]
        args = (self._schema, self._output_dir, self._subdir, index, parts, self._row_group_size)
        yield merge_runs(runs, *args).to_dict()


class WriteSortedParts(beam.PTransform):
    """`(part, order key, size, weight, row)` elements to Parquet parts under `output_dir/subdir`.

    Each part is sorted by key and written as sorted runs of about `run_bytes` (a run is a range
    of the key's hash, so no key gathers more than a run, however large the part), then the
    runs are concatenated, streaming. The bytes do not depend on `run_bytes` or on the runner.
    `parts` (a singleton side input) names the files `part-i-of-n`; the output is each part's
    `PartInfo` dict.
    """

    def __init__(
        self, output_dir: str, subdir: str, schema: pa.Schema, parts, row_group_size: int, run_bytes: int = RUN_BYTES
    ):
        super().__init__()
        self._output_dir, self._subdir, self._schema, self._parts = output_dir, subdir, schema, parts
        self._row_group_size, self._run_bytes = row_group_size, run_bytes

    def expand(self, items: PCollection) -> PCollection:
        runs = beam.pvalue.AsSingleton(
            items
            | "Sizes" >> beam.Map(lambda item: item[2])
            | "TotalSize" >> beam.CombineGlobally(sum)
            | "RunCount" >> beam.Map(part_count, self._run_bytes)
        )
        runs_dir = posixpath.join(self._output_dir, STAGING, "runs", self._subdir)
        return (
            items
            | "AssignRun"
            >> beam.Map(lambda item, n: ((item[0], bucket_of(item[1], n)), (item[1], item[3], item[4])), runs)
            | "GroupRuns" >> beam.GroupByKey()
            | "WriteRun" >> beam.ParDo(_WriteRunFn(self._schema, runs_dir, self._subdir, self._row_group_size))
            | "GroupPartRuns" >> beam.GroupByKey()
            | "MergeRuns"
            >> beam.ParDo(_MergeRunsFn(self._schema, self._output_dir, self._subdir, self._row_group_size), self._parts)
        )


class WriteParts(beam.PTransform):
    """Elements to Parquet parts under `output_dir/subdir`, deterministic whatever the runner does.

    The part count is `ceil(sum(weight) / weight_per_part)`; an element goes to the part that the
    hash of its key falls in, and parts are sorted by that hash, then the key. The output is each
    written part's `PartInfo` dict.
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

    def expand(self, elements: PCollection) -> PCollection:
        to_row, key, weight, per_part = self._to_row, self._key, self._weight, self._weight_per_part
        keyed = elements | "Key" >> beam.Map(lambda e: (order_key(key(e)), weight(e), to_row(e)))
        parts = beam.pvalue.AsSingleton(
            keyed
            | "Weights" >> beam.Map(lambda item: item[1])
            | "TotalWeight" >> beam.CombineGlobally(sum)
            | "PartCount" >> beam.Map(part_count, per_part)
        )
        return (
            keyed
            | "AssignPart"
            >> beam.Map(lambda item, n: (bucket_of(item[0], n), item[0], item[1], item[1], item[2]), parts)
            | "Write" >> WriteSortedParts(self._output_dir, self._subdir, self._schema, parts, self._row_group_size)
        )


def _report(_, input_documents: int, rejected: int, drops: list, parts: list) -> str:
    shards = [ShardEntry.of(PartInfo(**part)) for part in parts]
    report = RunReport(input_documents=input_documents, rejected_records=rejected, dropped=dict(drops), shards=shards)
    return report.model_dump_json()


class WriteReport(beam.PTransform):
    """Count inputs, rejections and drops per `stage/reason`, and write them with the shards' entries."""

    def __init__(self, path: str):
        super().__init__()
        self._path = path

    def expand(self, pcolls: tuple[PCollection, PCollection, PCollection, PCollection]) -> PCollection:
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

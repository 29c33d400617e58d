"""Writing: token-sized Parquet shards, the drop ledger, rejected records, duplicates, the report."""

from __future__ import annotations

import json
import posixpath
from collections.abc import Iterator

import apache_beam as beam
from apache_beam.io.parquetio import WriteToParquet

from curation.document import DUPLICATES_SCHEMA, LEDGER_SCHEMA, REJECTED_SCHEMA
from curation.manifest import RunReport
from curation.shards import shard_count, shard_of, write_atomically, write_shard


class _WriteShardFn(beam.DoFn):
    def __init__(self, output_dir: str, row_group_size: int):
        self._output_dir = output_dir
        self._row_group_size = row_group_size

    def process(self, element, shards: int) -> Iterator[dict]:
        index, docs = element
        yield write_shard(docs, self._output_dir, index, shards, self._row_group_size).to_dict()


class WriteShards(beam.PTransform):
    """Spread documents over `ceil(tokens / tokens_per_shard)` shards by id hash; write each.

    The output is the manifest entry of every shard written.
    """

    def __init__(self, output_dir: str, tokens_per_shard: int, row_group_size: int):
        super().__init__()
        self._output_dir = output_dir
        self._tokens_per_shard = tokens_per_shard
        self._row_group_size = row_group_size

    def expand(self, docs):
        per_shard = self._tokens_per_shard
        shards = (
            docs
            | "Tokens" >> beam.Map(lambda doc: doc.token_count)
            | "TotalTokens" >> beam.CombineGlobally(sum)
            | "ShardCount" >> beam.Map(lambda total: shard_count(total, per_shard))
        )
        shards_side = beam.pvalue.AsSingleton(shards)
        return (
            docs
            | "AssignShard" >> beam.Map(lambda doc, n: (shard_of(doc.id, n), doc), shards_side)
            | "GroupShards" >> beam.GroupByKey()
            | "WriteShard" >> beam.ParDo(_WriteShardFn(self._output_dir, self._row_group_size), shards_side)
        )


class WriteRows(beam.PTransform):
    """Rows (dicts) to Parquet part files `<directory>/part-*.parquet`, zstd-compressed."""

    def __init__(self, directory: str, schema):
        super().__init__()
        self._directory = directory
        self._schema = schema

    def expand(self, rows):
        return rows | "WriteParquet" >> WriteToParquet(
            posixpath.join(self._directory, "part"), schema=self._schema, codec="zstd", file_name_suffix=".parquet"
        )


def write_ledger(dropped, output_dir: str, keep_text: bool):
    return (
        dropped
        | "LedgerRows" >> beam.Map(lambda drop: drop.to_row(keep_text))
        | "WriteLedger" >> WriteRows(posixpath.join(output_dir, "dropped"), LEDGER_SCHEMA)
    )


def write_rejected(rejected, output_dir: str, keep_raw: bool):
    return (
        rejected
        | "RejectedRows" >> beam.Map(lambda rejection: rejection.to_row(keep_raw))
        | "WriteRejected" >> WriteRows(posixpath.join(output_dir, "rejected"), REJECTED_SCHEMA)
    )


def write_duplicates(rows, output_dir: str):
    return rows | "WriteDuplicates" >> WriteRows(posixpath.join(output_dir, "duplicates.parquet"), DUPLICATES_SCHEMA)


def _report(_, input_documents: int, rejected: int, drops: list, shards: list) -> str:
    return json.dumps(RunReport(input_documents, rejected, dict(drops), shards).to_dict(), sort_keys=True)


class WriteReport(beam.PTransform):
    """Count inputs, rejections and drops per `stage/reason`, and write them with the shards' entries."""

    def __init__(self, path: str):
        super().__init__()
        self._path = path

    def expand(self, pcolls):
        documents, rejected, dropped, shards = pcolls
        path = self._path
        counts = beam.pvalue.AsSingleton
        return (
            documents.pipeline
            | "ReportTrigger" >> beam.Create([None])
            | "BuildReport"
            >> beam.Map(
                _report,
                counts(documents | "CountInput" >> beam.combiners.Count.Globally()),
                counts(rejected | "CountRejected" >> beam.combiners.Count.Globally()),
                beam.pvalue.AsList(
                    dropped
                    | "DropReason" >> beam.Map(lambda drop: f"{drop.stage}/{drop.reason}")
                    | "CountDrops" >> beam.combiners.Count.PerElement()
                ),
                beam.pvalue.AsList(shards),
            )
            | "WriteReportFile" >> beam.Map(lambda text: write_atomically(text.encode(), path))
        )

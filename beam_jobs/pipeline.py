"""The pipeline builder: a config and read tasks become a Beam graph."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass

import apache_beam as beam

from beam_jobs.dedup import ExactDedup
from beam_jobs.normalize import Normalize
from beam_jobs.read import ReadDocuments
from beam_jobs.tags import DROPPED, DUPLICATES, REJECTED
from beam_jobs.tokens import CountTokens
from beam_jobs.write import WriteReport, WriteShards, write_duplicates, write_ledger, write_rejected
from curation.config import PipelineConfig
from curation.io.sources import ReadTask


@dataclass(frozen=True)
class Layout:
    """Where one run writes: the output directory and its staging area."""

    output_dir: str
    staging_dir: str
    progress_dir: str | None = None

    @property
    def report_path(self) -> str:
        return posixpath.join(self.staging_dir, "report.json")


def _flatten(pipeline: beam.Pipeline, label: str, pcolls: list):
    if not pcolls:
        return pipeline | label >> beam.Create([])
    return tuple(pcolls) | label >> beam.Flatten()


def build_pipeline(pipeline: beam.Pipeline, config: PipelineConfig, tasks: list[ReadTask], layout: Layout) -> None:
    """Add every enabled stage, the writers and the run report to `pipeline`."""
    read = pipeline | "Read" >> ReadDocuments(tasks, config.input, layout.progress_dir)
    docs = read.documents
    drops, duplicate_rows = [], []
    if config.normalize.enabled:
        normalized = docs | "Normalize" >> Normalize(config.normalize)
        docs = normalized.documents
        drops.append(normalized[DROPPED])
    if config.exact_dedup.enabled:
        deduped = docs | "ExactDedup" >> ExactDedup(config.output.ledger_text)
        docs = deduped.documents
        drops.append(deduped[DROPPED])
        duplicate_rows.append(deduped[DUPLICATES])
    docs = docs | "CountTokens" >> CountTokens(config.tokenizer.name)
    shards = docs | "WriteShards" >> WriteShards(
        layout.output_dir, config.shards.tokens_per_shard, config.shards.row_group_size
    )
    dropped = _flatten(pipeline, "AllDrops", drops)
    write_ledger(dropped, layout.output_dir, config.output.ledger_text)
    write_rejected(read[REJECTED], layout.output_dir, config.output.rejected_raw)
    write_duplicates(_flatten(pipeline, "AllDuplicates", duplicate_rows), layout.output_dir)
    (read.documents, read[REJECTED], dropped, shards) | "Report" >> WriteReport(layout.report_path)

"""The pipeline builder: a config and read tasks become a Beam graph."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass

import apache_beam as beam

from beam_jobs.dedup import RemoveExactDuplicates
from beam_jobs.normalize import NormalizeText
from beam_jobs.read import ReadDocuments
from beam_jobs.shards import WriteShards
from beam_jobs.stage import CurationStage
from beam_jobs.tags import DROPPED, DUPLICATES, REJECTED, SIGNALS
from beam_jobs.tokens import CountTokens
from beam_jobs.write import ROW_BYTES, WriteParts, WriteReport
from curation import catalog
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


def _stages(config: PipelineConfig, layout: Layout) -> list[CurationStage]:
    """Every enabled stage, in pipeline order.

    Heavy stages are imported only when enabled: a run without PII never loads Presidio or spaCy.
    """
    stages: list[CurationStage] = []
    if config.normalize.enabled:
        stages.append(NormalizeText(config.normalize))
    if config.filters.enabled and config.filters.steps:
        from beam_jobs.filter import ApplyFilters

        stages.append(ApplyFilters(config.filters.steps, config.filters.write_signals))
    if config.exact_dedup.enabled:
        stages.append(RemoveExactDuplicates())
    if config.minhash.enabled:
        from beam_jobs.minhash import RemoveNearDuplicates

        stages.append(RemoveNearDuplicates(config.minhash))
    if config.pii.enabled:
        from beam_jobs.pii import AnonymizePii

        stages.append(AnonymizePii(config.pii, layout.output_dir))
    return stages


def build_pipeline(pipeline: beam.Pipeline, config: PipelineConfig, tasks: list[ReadTask], layout: Layout) -> None:
    """Add every enabled stage, the writers and the run report to `pipeline`."""
    read = pipeline | "Read" >> ReadDocuments(tasks, config.input, layout.progress_dir, layout.staging_dir)
    docs = read["documents"]
    drops, duplicate_rows = [read[DROPPED]], []
    for stage in _stages(config, layout):
        result = docs | type(stage).__name__ >> stage
        docs = result.documents
        drops.append(result[DROPPED])
        if DUPLICATES in stage.SIDE_OUTPUTS:
            duplicate_rows.append(result[DUPLICATES])
        if SIGNALS in stage.SIDE_OUTPUTS:
            result[SIGNALS] | "WriteSignals" >> WriteParts(
                layout.output_dir,
                catalog.FILTER_SIGNALS.name,
                catalog.FILTER_SIGNALS.schema,
                to_row=lambda row: row,
                key=lambda row: f"{row['id']}\x1f{row['step']:05d}\x1f{row['signal']}",
            )
    docs = docs | "CountTokens" >> CountTokens(config.tokenizer.name)
    shards = docs | "WriteShards" >> WriteShards(
        layout.output_dir, config.shards.tokens_per_shard, config.shards.row_group_size, config.shards.shuffle_seed
    )
    dropped = _flatten(pipeline, "AllDrops", drops)
    _write_side_outputs(
        config, layout.output_dir, dropped, read[REJECTED], _flatten(pipeline, "AllDuplicates", duplicate_rows)
    )
    (read["parsed"], read[REJECTED], dropped, shards) | "Report" >> WriteReport(layout.report_path)


def _rejection_key(rejection) -> str:
    position = -1 if rejection.position is None else rejection.position
    return f"{rejection.source_file}\x1f{position:015d}"


def _write_side_outputs(config: PipelineConfig, output_dir: str, dropped, rejected, duplicates) -> None:
    keep_text, keep_raw = config.output.ledger_text, config.output.rejected_raw
    dropped | "WriteLedger" >> WriteParts(
        output_dir,
        catalog.LEDGER.name,
        catalog.LEDGER.schema,
        to_row=lambda drop: drop.to_row(keep_text),
        key=lambda drop: f"{drop.stage}/{drop.id}",
        weight=lambda drop: ROW_BYTES + (len(drop.text or "") if keep_text else 0),
    )
    rejected | "WriteRejected" >> WriteParts(
        output_dir,
        catalog.REJECTED.name,
        catalog.REJECTED.schema,
        to_row=lambda rejection: rejection.to_row(keep_raw),
        key=_rejection_key,
        weight=lambda rejection: ROW_BYTES + (len(rejection.raw or "") if keep_raw else 0),
    )
    duplicates | "WriteDuplicates" >> WriteParts(
        output_dir,
        catalog.DUPLICATES.name,
        catalog.DUPLICATES.schema,
        to_row=lambda row: row,
        key=lambda row: f"{row['stage']}/{row['id']}",
    )

"""The pipeline builder: a config and read tasks become a Beam graph."""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from dataclasses import dataclass

import apache_beam as beam

from beam_jobs.dedup import RemoveExactDuplicates
from beam_jobs.normalize import NormalizeText
from beam_jobs.progress import count_entering
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
    """Where workers on this machine report progress (see `curation.progress`)."""
    count_progress: bool = False
    """Count the documents entering each stage (`beam_jobs.progress`), for a progress display."""

    @property
    def report_path(self) -> str:
        return posixpath.join(self.staging_dir, "report.json")


def _flatten(pipeline: beam.Pipeline, label: str, pcolls: list):
    if not pcolls:
        return pipeline | label >> beam.Create([])
    return tuple(pcolls) | label >> beam.Flatten()


WRITE_STAGE = "write"
"""The progress name of the shard writer, which every document that is kept enters."""

StageFactory = Callable[[], CurationStage]


def progress_stages(config: PipelineConfig) -> list[str]:
    """The names the progress display shows after reading, in pipeline order."""
    return [stage.name for stage, _ in _stages(config, "")] + [WRITE_STAGE]


def _normalize(config: PipelineConfig) -> CurationStage:
    return NormalizeText(config.normalize)


def _filters(config: PipelineConfig) -> CurationStage:
    from beam_jobs.filter import ApplyFilters

    return ApplyFilters(config.filters.steps, config.filters.write_signals)


def _near_dedup(config: PipelineConfig) -> CurationStage:
    from beam_jobs.minhash import RemoveNearDuplicates

    return RemoveNearDuplicates(config.minhash)


def _pii(config: PipelineConfig, output_dir: str) -> CurationStage:
    from beam_jobs.pii import AnonymizePii

    return AnonymizePii(config.pii, output_dir)


def _stages(config: PipelineConfig, output_dir: str) -> list[tuple[catalog.Stage, StageFactory]]:
    """Every enabled stage, in pipeline order, with what builds it.

    Heavy stages are imported only when built: a run without PII never loads Presidio or spaCy.
    """
    stages: list[tuple[catalog.Stage, StageFactory]] = []
    if config.normalize.enabled:
        stages.append((catalog.NORMALIZE, lambda: _normalize(config)))
    if config.filters.enabled and config.filters.steps:
        stages.append((catalog.FILTERS, lambda: _filters(config)))
    if config.exact_dedup.enabled:
        stages.append((catalog.EXACT_DEDUP, RemoveExactDuplicates))
    if config.minhash.enabled:
        stages.append((catalog.MINHASH_DEDUP, lambda: _near_dedup(config)))
    if config.pii.enabled:
        stages.append((catalog.PII, lambda: _pii(config, output_dir)))
    return stages


def build_pipeline(pipeline: beam.Pipeline, config: PipelineConfig, tasks: list[ReadTask], layout: Layout) -> None:
    """Add every enabled stage, the writers and the run report to `pipeline`."""
    read = pipeline | "Read" >> ReadDocuments(tasks, config.input, layout.progress_dir, layout.staging_dir)
    docs = read["documents"]
    drops, duplicate_rows = [read[DROPPED]], []
    for step, build in _stages(config, layout.output_dir):
        if layout.count_progress:
            docs = docs | count_entering(step.name, layout.progress_dir)
        stage = build()
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
    if layout.count_progress:
        docs = docs | count_entering(WRITE_STAGE, layout.progress_dir)
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

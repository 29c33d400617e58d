"""Finishing a run, whatever ran it: check the accounting, complete the outputs, write the manifest last.

`finish_run` is the one place a run becomes an output: it reads the pipeline's `RunReport`,
checks that every input document is a shard row or a drop, gives every output the config
writes an empty part when no row reached it (the one mechanism for empty outputs), writes
`manifest.json` and removes the staging area. A run that fails before or inside it is removed
with `curation.outputs.discard_run`; an `InvariantError` leaves the output, without a manifest,
for whoever investigates.
"""

from __future__ import annotations

import json

import fsspec

from curation import interrupts
from curation.catalog import SHARDS, written_outputs
from curation.config import PipelineConfig
from curation.manifest import Manifest, RunReport, ShardEntry, build_manifest, write_manifest
from curation.shards import write_empty_part


def read_report(path: str) -> RunReport:
    """The report the pipeline wrote at its end."""
    with fsspec.open(path, "r") as handle:
        return RunReport.model_validate(json.load(handle))


def complete_outputs(output_dir: str, config: PipelineConfig, report: RunReport) -> RunReport:
    """Give every output the run writes (shards, ledger, rejected, duplicates, and the optional ones
    its config turns on) an empty part when no row reached it, so readers find its schema; the
    report then lists the empty shard."""
    for output in written_outputs(config):
        part = write_empty_part(output.schema, output_dir, output.name)
        if output is SHARDS and part is not None and not report.shards:
            report = report.model_copy(update={"shards": [ShardEntry.of(part)]})
    return report


def finish_run(
    config: PipelineConfig,
    output_dir: str,
    staging_dir: str,
    report_path: str,
    tokenizer: dict[str, str],
    engine: dict[str, str] | None = None,
) -> tuple[str, Manifest]:
    """Check the run's report, complete the outputs, write the manifest last, drop the staging area.

    Returns the manifest's path and the manifest. Raises `InvariantError` when documents are
    unaccounted for, and `interrupts.Interrupted` for an interrupt a runner swallowed.
    """
    interrupts.check()  # an interrupt that a runner swallowed must not end in a manifest
    report = read_report(report_path)
    report.check()
    report = complete_outputs(output_dir, config, report)
    manifest = build_manifest(report, config, tokenizer, engine)
    manifest_path = write_manifest(manifest, output_dir)
    fs, staging = fsspec.core.url_to_fs(staging_dir)
    fs.rm(staging, recursive=True)
    return manifest_path, manifest

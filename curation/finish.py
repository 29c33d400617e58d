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
import posixpath
from collections import Counter

import fsspec
import pyarrow.parquet as pq

from curation import interrupts
from curation.catalog import REJECTED, SHARDS, written_outputs
from curation.config import PipelineConfig
from curation.manifest import Manifest, RunReport, ShardEntry, build_manifest, write_manifest
from curation.shards import write_empty_part


def read_report(path: str) -> RunReport:
    """The report the pipeline wrote at its end."""
    with fsspec.open(path, "r") as handle:
        return RunReport.model_validate(json.load(handle))


class RejectedInputError(ValueError):
    """A run that rejected (nearly) all of its input; names the commonest errors and a likely fix."""


_HINTS = (
    ("missing text field", "set input.text_key to the field that holds the text"),
    ("empty text field", "set input.text_key to the field that holds the text"),
    ("is not a string", "set input.text_key to the field that holds the text"),
    ("id field", "set input.id_key to the field that holds the id, or null to derive ids"),
    ("malformed JSON", "is the input JSON Lines? set input.format (or check the file's extension)"),
    ("where an object was expected", "is the input JSON Lines of objects? set input.format"),
    ("without a byte-order mark", "re-encode the input as UTF-8"),
    ("invalid UTF-8", "re-encode the input as UTF-8"),
)


def rejection_reasons(output_dir: str, top: int = 3) -> list[tuple[str, int]]:
    """The commonest errors in the run's `rejected/` output, with their counts."""
    fs, root = fsspec.core.url_to_fs(posixpath.join(output_dir, REJECTED.name))
    counts: Counter[str] = Counter()
    for part in sorted(fs.glob(posixpath.join(root, "**", "*.parquet"))):
        with fs.open(part, "rb") as handle:
            counts.update(pq.read_table(handle, columns=["error"]).column("error").to_pylist())
    return counts.most_common(top)


def check_rejections(report: RunReport, output_dir: str, max_share: float) -> None:
    """Raise `RejectedInputError` when more than `max_share` of the records read were rejected."""
    read = report.input_documents + report.rejected_records
    if not report.rejected_records or report.rejected_records <= max_share * read:
        return
    reasons = rejection_reasons(output_dir)
    listed = "; ".join(f"{count:,} x {error}" for error, count in reasons)
    hint = next((fix for error, _ in reasons[:1] for clue, fix in _HINTS if clue in error), None)
    raise RejectedInputError(
        f"{report.rejected_records:,} of {read:,} input records were rejected ({listed})"
        + (f": {hint}" if hint else "")
        + f"; the output is kept without a manifest in {output_dir}, whose {REJECTED.name}/ lists each "
        "record's error; pass --accept-rejected (or set input.max_rejected_share) to accept such a run"
    )


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
    unaccounted for, `RejectedInputError` when too much input was rejected (both leave the output,
    without a manifest, to inspect), and `interrupts.Interrupted` for an interrupt a runner swallowed.
    """
    interrupts.check()  # an interrupt that a runner swallowed must not end in a manifest
    report = read_report(report_path)
    report.check()
    check_rejections(report, output_dir, config.input.max_rejected_share)
    report = complete_outputs(output_dir, config, report)
    manifest = build_manifest(report, config, tokenizer, engine)
    manifest_path = write_manifest(manifest, output_dir)
    fs, staging = fsspec.core.url_to_fs(staging_dir)
    fs.rm(staging, recursive=True)
    return manifest_path, manifest

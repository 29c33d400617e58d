"""The end-of-run summary a person reads: counts per stage and reason, output, throughput."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from curation.manifest import Manifest
from curation.stats.scan import drop_funnel


def print_summary(
    manifest: Manifest,
    manifest_path: str,
    seconds: float,
    input_bytes: int,
    console: Console,
    stage_seconds: dict[str, float] | None = None,
    generated: bool = False,
) -> None:
    """Print the drop funnel, the output totals, the throughput and the time per stage of a finished
    run (`generated`: its input was the synthetic corpus the run wrote itself)."""
    table = Table(title="Documents", show_edge=False)
    table.add_column("stage / reason")
    table.add_column("dropped", justify="right")
    table.add_column("remaining", justify="right")
    table.add_row("input", "", f"{manifest.input_documents:,}")
    for stage in drop_funnel(manifest, {})["stages"]:
        table.add_row(stage["stage"], f"{stage['dropped']:,}", f"{stage['remaining']:,}", style="bold")
        for reason in stage["reasons"]:
            table.add_row(f"  {reason['reason']}", f"{reason['manifest']:,}", "")
    table.add_row("output", "", f"{manifest.output_documents:,}", style="bold")
    table.add_row("rejected records (unparseable, counted apart)", f"{manifest.rejected_records:,}", "")
    console.print(table)
    seconds = max(seconds, 1e-9)
    tokenizer = manifest.tokenizer["name"]
    console.print(f"output: {manifest.output_tokens:,} tokens ({tokenizer}) in {len(manifest.shards)} shard(s)")
    console.print(
        f"time: {seconds:.1f} s, {manifest.input_documents / seconds:,.0f} documents/s, "
        f"{input_bytes / 1e6 / seconds:.2f} MB/s of {'the generated input' if generated else 'input files'}"
    )
    line = _stage_line(stage_seconds or {}, (manifest.engine or {}).get("runner", "this runner"))
    if line:
        console.print(line)
    console.print(f"manifest: {manifest_path}")


def _stage_line(stage_seconds: dict[str, float], runner: str) -> str | None:
    """Processing time per stage; a plain note where the runner reports none; None for a run too
    short to time (Beam samples stage time in 200 ms steps)."""
    if not stage_seconds:
        return f"time per stage: not reported by {runner}"
    total = sum(stage_seconds.values())
    if total <= 0:
        return None
    shown = {stage: spent for stage, spent in stage_seconds.items() if spent >= 0.01 * total}
    parts = ", ".join(f"{stage} {spent:.1f} s ({spent / total:.0%})" for stage, spent in shown.items())
    return f"time per stage (processing, summed over workers): {parts}"

"""What `curation run` shows while a job runs: a live table on a terminal, a plain line now and then elsewhere."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

from rich.console import Console, Group
from rich.live import Live
from rich.progress_bar import ProgressBar
from rich.table import Table
from rich.text import Text

from curation.progress import RunProgress

ACTIVE_SECONDS = 2.0
"""A stage whose count changed this recently is shown as running."""
PLAIN_EVERY_SECONDS = 30.0
"""How often a plain progress line is printed when the output is not a terminal."""


def clock(seconds: float) -> str:
    whole = int(seconds)
    return f"{whole // 3600}:{whole // 60 % 60:02d}:{whole % 60:02d}"


def size(count: int) -> str:
    """Bytes as a reader says them: `820 kB`, `2.7 MB`, `1.4 GB`."""
    for unit, scale in (("GB", 1e9), ("MB", 1e6)):
        if count >= scale:
            return f"{count / scale:,.1f} {unit}"
    return f"{count / 1e3:,.0f} kB"


class _Activity:
    """When each stage's count last changed, to tell the running stages from the waiting ones."""

    def __init__(self) -> None:
        self._counts: dict[str, int] = {}
        self._changed: dict[str, float] = {}

    def note(self, state: RunProgress) -> None:
        counts = {"read": state.progress.records_read, **state.progress.stages}
        for stage, count in counts.items():
            if count != self._counts.get(stage):
                self._counts[stage] = count
                self._changed[stage] = state.seconds

    def running(self, stage: str, state: RunProgress) -> bool:
        changed = self._changed.get(stage)
        return not state.finished and changed is not None and state.seconds - changed <= ACTIVE_SECONDS


def read_line(state: RunProgress) -> str:
    """`31,000 records, 1/3 files, 62% of 120.0 MB, about 0:00:55 left`."""
    progress = state.progress
    what = "the generated corpus" if state.generated else f"{state.tasks:,} file(s)"
    if not progress.records_read and not state.finished:
        return f"starting the runner, {what} to read"
    parts = [f"{progress.records_read:,} records"]
    if state.generated:
        parts.append("generated corpus")
    elif state.tasks > 1 or not state.finished:
        parts.append(f"{progress.tasks_done}/{state.tasks} files")
    fraction = state.read_fraction()
    if fraction is not None and state.input_bytes:
        parts.append(f"{fraction:.0%} of {size(state.input_bytes)}")
    left = state.read_seconds_left()
    if left is not None:
        parts.append(f"about {clock(left)} left")
    return ", ".join(parts)


def plain_line(state: RunProgress) -> str:
    """One line for a log: elapsed time, the read, and the documents that entered each stage."""
    stages = [f"{stage} {state.progress.stages[stage]:,}" for stage in state.stages if stage in state.progress.stages]
    entered = f"; entered: {', '.join(stages)}" if stages else ""
    return f"progress {clock(state.seconds)}: read {read_line(state)}{entered}"


def render(state: RunProgress, activity: _Activity) -> Group:
    """The live table: one row for reading, one per stage (documents entered so far), the clock."""
    table = Table.grid(padding=(0, 2))
    table.add_column(width=2)
    table.add_column(min_width=13)
    table.add_column(justify="right", min_width=9)
    table.add_column()
    fraction = state.read_fraction()
    reading = activity.running("read", state) or (not state.finished and state.progress.tasks_done < state.tasks)
    bar = ProgressBar(total=1.0, completed=fraction or 0.0, width=20, pulse=fraction is None and reading)
    table.add_row(_mark(reading, state.progress.records_read > 0), "read", bar, Text(read_line(state)))
    for stage in state.stages:
        entered = state.progress.stages.get(stage)
        running = activity.running(stage, state)
        count = f"{entered:,}" if entered is not None else "-"
        note = "documents in" if entered is not None else "waiting"
        table.add_row(_mark(running, entered is not None), stage, count, note)
    ending = "done" if state.finished else "elapsed"
    return Group(table, Text(f"{ending} {clock(state.seconds)}", style="dim"))


def _mark(running: bool, started: bool) -> Text:
    if running:
        return Text("▶", style="bold cyan")
    return Text("✓" if started else "·", style="green" if started else "dim")


class ProgressDisplay:
    """The callback `execute` feeds: a live table on a terminal, else a plain line every so often."""

    def __init__(self, console: Console, stream: TextIO | None = None, every: float = PLAIN_EVERY_SECONDS):
        self._console = console
        self._stream = stream or sys.stderr
        self._every = every
        self._activity = _Activity()
        self._live: Live | None = None
        self._last_line = time.monotonic()

    def __call__(self, state: RunProgress) -> None:
        self._activity.note(state)
        if self._live is not None:
            self._live.update(render(state, self._activity), refresh=state.finished)
        elif state.finished or time.monotonic() - self._last_line >= self._every:
            self._last_line = time.monotonic()
            print(plain_line(state), file=self._stream, flush=True)

    @contextmanager
    def shown(self) -> Iterator[ProgressDisplay]:
        """Show the live table for the duration (on a terminal only)."""
        if not self._console.is_terminal:
            yield self
            return
        with Live(console=self._console, refresh_per_second=4, transient=False) as live:
            self._live = live
            try:
                yield self
            finally:
                self._live = None

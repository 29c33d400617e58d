"""Progress of runs on this machine: small files that workers rewrite, summed by the launcher.

Each read task writes its records and input bytes read (`ReadProgress`); each stage's counting
step writes the documents that entered the stage through it (`StageProgress`). Files are
rewritten at most once a second and replaced atomically, so a reader never sees half of one.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import time
import uuid
from dataclasses import dataclass, field

_STAGE_PREFIX = "stage."
_TASK_PREFIX = "task."


@dataclass(frozen=True)
class Progress:
    """What the run's workers have reported so far."""

    tasks_done: int = 0
    records_read: int = 0
    bytes_read: int = 0
    stages: dict[str, int] = field(default_factory=dict)
    """Documents that entered each stage so far, by stage name."""


@dataclass(frozen=True)
class RunProgress:
    """A running job as the progress display shows it."""

    progress: Progress
    tasks: int
    """Read tasks in all (files, or shards of a hub dataset)."""
    input_bytes: int
    """Size of the input files (0 where unknown)."""
    stages: tuple[str, ...]
    """The stages after reading, in pipeline order."""
    seconds: float
    finished: bool = False
    generated: bool = False
    """The input is the synthetic corpus the run wrote itself, not the user's files."""

    def read_fraction(self) -> float | None:
        """How much of the input has been read, by bytes where known, else by tasks."""
        if self.input_bytes and self.progress.bytes_read:
            return min(self.progress.bytes_read / self.input_bytes, 1.0)
        return self.progress.tasks_done / self.tasks if self.tasks else None

    def read_seconds_left(self) -> float | None:
        """Seconds until the input is read, at the pace so far (None until a pace is known)."""
        fraction = self.read_fraction()
        if fraction is None or fraction < 0.02 or self.progress.tasks_done >= self.tasks or self.seconds < 2:
            return None
        return self.seconds * (1 - fraction) / fraction


class _Rewritten:
    """A file replaced atomically with new content, at most once per `interval` seconds."""

    def __init__(self, path: str, interval: float):
        self._path = path
        self._interval = interval
        self._last = 0.0

    def due(self, interval: float | None = None) -> bool:
        return time.monotonic() - self._last >= (self._interval if interval is None else interval)

    def write(self, content: str, force: bool = False) -> None:
        if not force and not self.due():
            return
        self._last = time.monotonic()
        partial = f"{self._path}.{os.getpid()}.tmp"
        with open(partial, "w") as handle:
            handle.write(content)
        os.replace(partial, self._path)


class ReadProgress:
    """One read task's records and input bytes read (a retried task overwrites its file)."""

    def __init__(self, directory: str, task_key: str, interval: float = 1.0):
        name = hashlib.blake2b(task_key.encode(), digest_size=12).hexdigest()
        self._file = _Rewritten(os.path.join(directory, _TASK_PREFIX + name), interval)

    def due(self) -> bool:
        """Whether an `update` now would be written (so the caller measures bytes only then)."""
        return self._file.due()

    def update(self, records: int, bytes_read: int, done: bool = False) -> None:
        self._file.write(f"{records} {bytes_read} {int(done)}", force=done)


class StageProgress:
    """Documents that entered a stage through one worker's counting step; one file per instance."""

    def __init__(self, directory: str, stage: str, interval: float = 1.0):
        self._file = _Rewritten(os.path.join(directory, f"{_STAGE_PREFIX}{stage}.{uuid.uuid4().hex}"), interval)
        self._count = 0

    def add(self, documents: int = 1) -> None:
        self._count += documents
        self._file.write(str(self._count))

    def flush(self) -> None:
        """Write the count unless it was written in the last tenth of a second (bundles can be small)."""
        if self._file.due(0.1):
            self._file.write(str(self._count), force=True)


def _fields(path: str) -> list[int] | None:
    try:
        with open(path) as handle:
            return [int(value) for value in handle.read().split()]
    except (OSError, ValueError):
        return None


def read_progress(directory: str) -> Progress:
    """The sum over every progress file in `directory`."""
    done = records = read = 0
    stages: dict[str, int] = {}
    for entry in os.scandir(directory):
        if entry.name.endswith(".tmp"):
            continue
        values = _fields(entry.path)
        if entry.name.startswith(_TASK_PREFIX) and values and len(values) == 3:
            records, read, done = records + values[0], read + values[1], done + values[2]
        elif entry.name.startswith(_STAGE_PREFIX) and values and len(values) == 1:
            stage = entry.name[len(_STAGE_PREFIX) :].rsplit(".", 1)[0]
            stages[stage] = stages.get(stage, 0) + values[0]
    return Progress(done, records, read, stages)


def clear_progress(directory: str) -> None:
    """Remove every progress file in `directory` (before a run's next attempt)."""
    for entry in os.scandir(directory):
        with contextlib.suppress(OSError):
            os.remove(entry.path)

"""Progress of local runs: each read task reports records read to a small file; the launcher sums them."""

from __future__ import annotations

import hashlib
import os
import time
from dataclasses import dataclass


@dataclass(frozen=True)
class Progress:
    tasks_done: int
    records_read: int


class ProgressFile:
    """One read task's progress, rewritten at most once a second (a retried task overwrites it)."""

    def __init__(self, directory: str, task_key: str, interval: float = 1.0):
        name = hashlib.blake2b(task_key.encode(), digest_size=12).hexdigest()
        self._path = os.path.join(directory, name)
        self._interval = interval
        self._last = 0.0

    def update(self, records: int, done: bool = False) -> None:
        now = time.monotonic()
        if not done and now - self._last < self._interval:
            return
        self._last = now
        partial = f"{self._path}.{os.getpid()}.tmp"
        with open(partial, "w") as handle:
            handle.write(f"{records} {int(done)}")
        os.replace(partial, self._path)


def read_progress(directory: str) -> Progress:
    """The sum over every task's progress file in `directory`."""
    done = records = 0
    for entry in os.scandir(directory):
        if entry.name.endswith(".tmp"):
            continue
        try:
            with open(entry.path) as handle:
                count, finished = handle.read().split()
        except (OSError, ValueError):
            continue
        records += int(count)
        done += finished == "1"
    return Progress(done, records)

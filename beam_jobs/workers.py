"""A local multi-process run whose SDK worker died fails instead of waiting forever.

The DirectRunner in ``multi_processing`` mode does not notice a worker process that was killed
(out of memory, ``kill -9``) while a bundle ran on it: the bundle waits for data that never
comes, and the run hangs. `watch_workers` looks at the run's worker processes twice a second;
when one is gone and the pipeline has not finished `grace_s` later, it stops the attempt's other
workers and raises `WorkerLost` in the main thread, so the run fails with one line, or
`--attempts` runs it again. Workers are found through Linux's ``/proc``; elsewhere, and outside
the main thread, the watch does nothing.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

WORKER_MARK = b"sdk_worker_main"
"""In the command line of every SDK worker process Beam starts for a multi-process run."""
_log = logging.getLogger(__name__)


class WorkerLost(RuntimeError):
    """An SDK worker process of a local multi-process run died before the pipeline finished."""


def _children(pid: int) -> list[int]:
    children: list[int] = []
    for listing in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            children.extend(int(child) for child in listing.read_text().split())
        except OSError:  # the thread ended meanwhile
            continue
    return children


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")  # a zombie has died, whether or not its parent has read its status


def worker_processes(root: int | None = None) -> set[int]:
    """The live SDK worker processes below `root` (this process by default)."""
    found, pending = set(), [root or os.getpid()]
    while pending:
        for child in _children(pending.pop()):
            pending.append(child)
            try:
                command = Path(f"/proc/{child}/cmdline").read_bytes()
            except OSError:
                continue
            if WORKER_MARK in command and _alive(child):
                found.add(child)
    return found


class _Watch(threading.Thread):
    def __init__(self, grace_s: float, interval_s: float):
        super().__init__(name="worker-watch", daemon=True)
        self.finished = threading.Event()
        self.lost: list[int] = []
        self._grace_s = grace_s
        self._interval_s = interval_s

    def run(self) -> None:
        seen: set[int] = set()
        missing_since = None
        while not self.finished.wait(self._interval_s):
            workers = worker_processes()
            gone = seen - workers
            seen |= workers
            if not gone:
                continue
            missing_since = missing_since or time.monotonic()
            if time.monotonic() - missing_since < self._grace_s:
                continue  # a pipeline that is finishing stops its workers itself
            self.lost = sorted(gone)
            for pid in workers:  # the attempt's other workers wait for the lost one: free them
                with suppress(OSError):
                    os.kill(pid, signal.SIGKILL)
            signal.pthread_kill(threading.main_thread().ident or 0, signal.SIGUSR1)
            return


def _raise_worker_lost(_signum: int, _frame) -> None:
    raise WorkerLost("an SDK worker process died (killed, or out of memory) before the pipeline finished")


@contextmanager
def watch_workers(grace_s: float = 10.0, interval_s: float = 0.5) -> Iterator[None]:
    """Within the block, a dead SDK worker process raises `WorkerLost` in the main thread."""
    if threading.current_thread() is not threading.main_thread() or not Path("/proc/self/task").exists():
        yield
        return
    watch = _Watch(grace_s, interval_s)
    previous = signal.signal(signal.SIGUSR1, _raise_worker_lost)
    watch.start()
    try:
        yield
    finally:
        watch.finished.set()
        watch.join()
        signal.signal(signal.SIGUSR1, previous)
    if watch.lost:  # the exception may have been swallowed by the runner: the run failed all the same
        _log.warning("SDK worker process(es) %s died before the pipeline finished", watch.lost)
        raise WorkerLost("an SDK worker process died (killed, or out of memory) before the pipeline finished")

"""A dead SDK worker process ends a local multi-process run instead of hanging it."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from beam_jobs.workers import WORKER_MARK, WorkerLost, watch_workers, worker_processes

pytestmark = pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux /proc")


def _fake_worker() -> subprocess.Popen:
    """A process whose command line looks like an SDK worker's."""
    return subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)", WORKER_MARK.decode()])


def _wait_until(condition, seconds: float = 5.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline
        time.sleep(0.05)


def test_a_killed_worker_raises_in_the_main_thread_and_its_siblings_are_stopped():
    lost, sibling = _fake_worker(), _fake_worker()
    _wait_until(lambda: {lost.pid, sibling.pid} <= worker_processes())
    started = time.monotonic()
    with pytest.raises(WorkerLost, match="worker process died"), watch_workers(grace_s=0.3, interval_s=0.05):
        time.sleep(0.2)  # the watch has seen both workers
        lost.kill()
        threading.Event().wait(20)  # where the runner would wait for the dead worker forever
    assert time.monotonic() - started < 5
    assert sibling.wait(timeout=5) != 0  # stopped by the watch
    lost.wait()


def test_workers_that_end_with_the_pipeline_raise_nothing():
    worker = _fake_worker()
    _wait_until(lambda: worker.pid in worker_processes())
    with watch_workers(grace_s=2.0, interval_s=0.05):
        time.sleep(0.2)
        worker.kill()  # the pipeline stopping its workers as it finishes
        worker.wait()
        time.sleep(0.3)
    assert worker.pid not in worker_processes()


def test_outside_the_main_thread_the_watch_does_nothing():
    errors = []

    def body():
        try:
            with watch_workers(grace_s=0.1, interval_s=0.05):
                time.sleep(0.2)
        except BaseException as error:  # noqa: BLE001 - collected for the assertion
            errors.append(error)

    thread = threading.Thread(target=body)
    thread.start()
    thread.join()
    assert errors == []

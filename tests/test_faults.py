"""Faults: bundles that fail transiently and a worker killed mid-run end in the output an unbroken
run gives, with no document lost or written twice."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest
import yaml
from conftest import ROOT, full_config, run_job

import beam_jobs.normalize
import beam_jobs.write
from curation.synth import write_corpus


def shard_ids(out: Path) -> list[str]:
    return [row for path in sorted((out / "data").glob("*.parquet")) for row in pq.read_table(path)["id"].to_pylist()]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("faults") / "corpus.jsonl.gz"
    write_corpus(path, 400, seed=21)
    return path


@pytest.fixture(scope="module")
def clean_run(corpus, tmp_path_factory) -> tuple[dict, Path]:
    out = tmp_path_factory.mktemp("clean") / "out"
    return run_job(full_config(corpus, out)), out


def test_transient_bundle_failures_are_retried_to_the_same_output(corpus, clean_run, tmp_path, monkeypatch):
    """The BundleBasedDirectRunner retries a failed bundle (4 attempts), as cluster runners do;
    failures after a shard was written leave no trace either, because writes are idempotent."""
    calls = {"normalize": 0, "write": 0}
    failures = {"normalize": 0, "write": 0}
    normalize_text, merge_runs = beam_jobs.normalize.normalize_text, beam_jobs.write.merge_runs

    def flaky_normalize(text, *args):
        calls["normalize"] += 1
        if calls["normalize"] in (37, 150):  # two documents fail mid-bundle, once each
            failures["normalize"] += 1
            raise ConnectionResetError("injected transient failure")
        return normalize_text(text, *args)

    def flaky_write(*args):
        info = merge_runs(*args)
        calls["write"] += 1
        if calls["write"] in (1, 3):  # fails after its part was written and its runs removed
            failures["write"] += 1
            raise TimeoutError("injected failure after the write")
        return info

    monkeypatch.setattr(beam_jobs.normalize, "normalize_text", flaky_normalize)
    monkeypatch.setattr(beam_jobs.write, "merge_runs", flaky_write)
    manifest = run_job(full_config(corpus, tmp_path / "out"), ["--runner=BundleBasedDirectRunner"])

    clean_manifest, _ = clean_run
    assert failures == {"normalize": 2, "write": 2}
    assert manifest["shards"] == clean_manifest["shards"]  # byte-identical shards (sha256 per shard)
    assert manifest["dropped"] == clean_manifest["dropped"] and manifest["input_documents"] == 400
    ids = shard_ids(tmp_path / "out")
    assert len(ids) == len(set(ids)) == manifest["output_documents"]
    assert not list((tmp_path / "out").rglob("*.partial"))


def _kill_first_worker(launcher: subprocess.Popen, after_s: float, killed: list[int]) -> None:
    """Kill one SDK worker process of the launcher `after_s` seconds after it appears."""
    first_seen = None
    while launcher.poll() is None:
        workers = [pid for pid in _descendants(launcher.pid) if b"sdk_worker_main" in _cmdline(pid)]
        if workers and first_seen is None:
            first_seen = time.monotonic()
        if workers and time.monotonic() - first_seen >= after_s:
            subprocess.run(["kill", "-9", str(workers[-1])], check=False)
            killed.append(workers[-1])
            return
        time.sleep(0.1)


def _descendants(pid: int) -> list[int]:
    """Every process below `pid`, whichever of its threads started them."""
    found, pending = [], [pid]
    while pending:
        current = pending.pop()
        children = []
        for children_file in Path(f"/proc/{current}/task").glob("*/children"):
            try:
                children.extend(int(child) for child in children_file.read_text().split())
            except OSError:
                continue
        found.extend(children)
        pending.extend(children)
    return found


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def _run_and_kill(config: dict, tmp_path: Path, attempts: int) -> tuple[subprocess.CompletedProcess, list[int]]:
    config_path = tmp_path / f"config-{attempts}.yaml"
    config_path.write_text(yaml.safe_dump(config))
    command = [
        sys.executable,
        "-m",
        "curation_cli",
        "run",
        "--config",
        str(config_path),
        "--quiet",
        f"--attempts={attempts}",
        "--direct_running_mode=multi_processing",
        "--direct_num_workers=2",
    ]
    launcher = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    killed: list[int] = []
    killer = threading.Thread(target=_kill_first_worker, args=(launcher, 3.0, killed))
    killer.start()
    try:
        stdout, stderr = launcher.communicate(timeout=600)
    finally:  # a hung run must not outlive the test
        launcher.kill()
        killer.join()
    return subprocess.CompletedProcess(command, launcher.returncode, stdout, stderr), killed


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux /proc to find worker processes")
def test_a_killed_worker_fails_loudly_and_a_second_attempt_gives_the_same_output(corpus, clean_run, tmp_path):
    clean_manifest, _ = clean_run
    out = tmp_path / "out"
    config = full_config(corpus, out)

    failed, killed = _run_and_kill(config, tmp_path, attempts=1)
    assert killed, "the run ended before a worker could be killed"
    assert failed.returncode == 1 and failed.stderr.decode().strip().splitlines()[-1].startswith("error:")
    assert not (out / "manifest.json").exists()  # a broken run never looks complete

    config["output"]["overwrite"] = True
    survived, killed = _run_and_kill(config, tmp_path, attempts=2)
    assert killed and survived.returncode == 0, survived.stderr.decode()[-2000:]
    assert "attempt 1 of 2 failed" in survived.stderr.decode()
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["shards"] == clean_manifest["shards"] and manifest["dropped"] == clean_manifest["dropped"]
    ids = shard_ids(out)
    assert len(ids) == len(set(ids)) == manifest["output_documents"]


def test_attempts_do_not_repeat_a_failure_of_the_data_and_are_for_local_runners(tmp_path, caplog, capsys):
    from curation_cli.main import EXIT_INPUT, EXIT_USAGE, main

    (tmp_path / "in.jsonl").write_text('{"text": "fine"}\n{broken\n')
    config = tmp_path / "c.yaml"
    config.write_text(f"input:\n  paths: ['{tmp_path}/in.jsonl']\n  fail_fast: true\noutput:\n  path: {tmp_path}/o\n")
    assert main(["run", "--config", str(config), "--quiet", "--attempts=3"]) == EXIT_INPUT
    assert "running again" not in caplog.text and "line 2" in capsys.readouterr().err
    args = ["run", "--config", str(config), "--quiet", "--attempts=2", "--runner=DataflowRunner"]
    assert main(args) == EXIT_USAGE
    assert "retry failed bundles themselves" in capsys.readouterr().err

"""The Fn API path that Flink, Spark and Dataflow use for Python: Beam's PortableRunner with an
embedded job server and an external SDK worker pool on loopback, started and stopped here."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import full_config, run_job

from curation.synth import write_corpus


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def worker_pool():
    port = _free_port()
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    pool = subprocess.Popen(
        [sys.executable, "-m", "apache_beam.runners.worker.worker_pool_main", f"--service_port={port}"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.2)
    else:
        pool.kill()
        pytest.fail("the SDK worker pool did not start")
    yield f"localhost:{port}"
    pool.terminate()
    pool.wait(timeout=30)


def test_full_pipeline_on_the_portable_runner_with_external_workers_matches_direct_runner(worker_pool, tmp_path):
    """Every stage (filters, exact and MinHash dedup, PII) through the Fn API with two SDK workers."""
    corpus = tmp_path / "corpus.jsonl.gz"
    write_corpus(corpus, 400, seed=11)
    direct = run_job(full_config(corpus, tmp_path / "direct"))
    portable = run_job(
        full_config(corpus, tmp_path / "portable"),
        [
            "--runner=PortableRunner",
            "--job_endpoint=embed",
            "--environment_type=EXTERNAL",
            f"--environment_config={worker_pool}",
            "--sdk_worker_parallelism=2",
        ],
    )
    assert portable["shards"] == direct["shards"]  # byte-identical shards
    assert portable["dropped"] == direct["dropped"] and portable["input_documents"] == 400
    stages = {reason.split("/")[0] for reason in direct["dropped"]}
    assert {"gopher_quality", "exact_dedup", "minhash_dedup"} <= stages

"""Shared helpers: small corpora on disk, running a job in-process, the shared real data."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
import yaml

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
ROOT = Path(__file__).resolve().parents[1]


def shared_data(relative: str) -> Path:
    """A path under ../shared/data; the test is skipped when it is absent."""
    path = SHARED_DATA / relative
    if not path.exists():
        pytest.skip(f"shared data not present: {relative}")
    return path


def write_jsonl(path: Path, rows: list, compress: bool | None = None) -> Path:
    """Rows as JSON Lines (dicts are dumped, bytes and str written as they are)."""
    lines = [
        row if isinstance(row, bytes) else (row if isinstance(row, str) else json.dumps(row)).encode() for row in rows
    ]
    data = b"".join(line + b"\n" for line in lines)
    if compress if compress is not None else path.suffix == ".gz":
        data = gzip.compress(data, mtime=0)
    path.write_bytes(data)
    return path


def run_job(config: dict, beam_args: list[str] | None = None) -> dict:
    """Plan and run a job in this process; returns the manifest as `manifest.json` holds it."""
    from beam_jobs.launch import execute, plan
    from curation.config import parse_config

    parsed = parse_config(config)
    tasks, layout = plan(parsed)
    return execute(parsed, tasks, layout, beam_args or []).manifest.to_json()


def full_config(corpus: Path, out: Path, tokens_per_shard: int = 40_000) -> dict:
    """The quickstart recipe (every stage: filters, exact and MinHash dedup, PII) on `corpus`."""
    config = yaml.safe_load((ROOT / "configs" / "quickstart.yaml").read_text())
    config["input"] = {"paths": [str(corpus)]}
    config["output"] = {"path": str(out)}
    config["shards"]["tokens_per_shard"] = tokens_per_shard
    return config

"""Shared helpers: small corpora on disk, running a job in-process, the shared real data."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


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
    """Plan and run a job in this process; returns the manifest."""
    from beam_jobs.launch import execute, plan
    from curation.config import parse_config

    parsed = parse_config(config)
    tasks, layout = plan(parsed)
    return execute(parsed, tasks, layout, beam_args or []).manifest

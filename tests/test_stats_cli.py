"""`curation stats` from the command line: a bare `--json` before PATH, and plain directories of raw
input files."""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import shared_data

from curation_cli.main import main


def _docs(start: int, count: int) -> list[dict]:
    return [
        {"id": f"d{i}", "text": f"document number {i} has a few words", "url": f"https://site{i % 3}.com/p{i}"}
        for i in range(start, start + count)
    ]


def _jsonl(path: Path, rows: list[dict]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = "".join(json.dumps(row) + "\n" for row in rows).encode()
    path.write_bytes(gzip.compress(data) if path.suffix == ".gz" else data)
    return path


@pytest.fixture
def raw_dir(tmp_path) -> Path:
    """Six readable documents in two files (one nested, one compressed), and files to skip: hidden
    ones, `_`-prefixed ones, files under hidden and `_` folders, and a README."""
    root = tmp_path / "crawl"
    _jsonl(root / "a.jsonl", _docs(0, 2))
    _jsonl(root / "2024" / "b.jsonl.gz", _docs(2, 4))
    for skipped in (".c.jsonl", "_d.jsonl", ".cache/e.jsonl", "_temporary/f.jsonl", "2024/_g.jsonl"):
        _jsonl(root / skipped, _docs(100, 5))
    (root / "README.md").write_text("not input\n")
    return root


def _stats(capsys, *argv: str) -> dict:
    capsys.readouterr()
    assert main(["stats", *argv, "--quiet", "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_directory_of_raw_files_reads_like_a_glob_of_them(capsys, raw_dir):
    stats = _stats(capsys, str(raw_dir))
    assert stats["kind"] == "raw" and stats["inputs"] == [str(raw_dir)]
    assert stats["documents"] == 6 and stats["files"] == 2 and stats["rejected_records"] == 0
    listed = _stats(capsys, str(raw_dir / "a.jsonl"), str(raw_dir / "2024" / "*.jsonl.gz"))
    for key in ("documents", "words", "characters", "text_bytes", "domains", "sources", "lengths"):
        assert stats[key] == listed[key], key


def test_directory_with_parquet_files_is_parquet(capsys, raw_dir):
    pq.write_table(pa.table({"text": ["one two", "three"]}), raw_dir / "2024" / "part-0.parquet")
    pq.write_table(pa.table({"text": ["skipped"]}), raw_dir / "_temporary" / "part-9.parquet")
    stats = _stats(capsys, str(raw_dir))
    assert stats["kind"] == "parquet" and stats["documents"] == 2 and stats["files"] == 1


def test_directory_without_input_files_says_what_was_looked_for(capsys, tmp_path):
    (tmp_path / "notes.txt").write_text("x")
    _jsonl(tmp_path / ".hidden.jsonl", _docs(0, 1))
    assert main(["stats", str(tmp_path), "--quiet"]) == 2
    error = capsys.readouterr().err
    assert error.startswith(f"error: no input files under {tmp_path}: looked for Parquet (.parquet, .pq)")
    assert ".jsonl" in error and ".warc" in error and "skipping names that start with '.' or '_'" in error
    assert "found 1 other file(s), e.g. notes.txt" in error


def test_directory_of_real_warc_files(capsys):
    directory = shared_data("web/cc_warc")
    stats = _stats(capsys, str(directory))
    assert stats == _stats(capsys, str(directory / "*.warc.gz")) | {"inputs": [str(directory)]}
    assert stats["kind"] == "raw" and stats["documents"] > 0


def test_bare_json_before_a_directory_reads_it_and_writes_stdout(capsys, raw_dir):
    capsys.readouterr()
    assert main(["stats", "--json", str(raw_dir)]) == 0
    captured = capsys.readouterr()
    stats = json.loads(captured.out)  # only the JSON on standard output
    assert stats["inputs"] == [str(raw_dir)] and stats["documents"] == 6
    assert f"note: reading {raw_dir} as PATH and writing the JSON to standard output" in captured.err


def test_bare_json_before_a_data_file_never_overwrites_it(capsys, raw_dir, tmp_path):
    data = raw_dir / "2024" / "b.jsonl.gz"
    before = data.read_bytes()
    assert main(["stats", "--json", str(data), "--quiet"]) == 0
    assert json.loads(capsys.readouterr().out)["documents"] == 4 and data.read_bytes() == before
    assert main(["stats", "--json", str(raw_dir / "a*.jsonl"), str(data), "--quiet"]) == 0  # a glob, then PATH
    assert json.loads(capsys.readouterr().out)["documents"] == 6


def test_json_file_is_still_a_file(capsys, raw_dir, tmp_path):
    target = tmp_path / "stats.json"
    target.write_text("")
    assert main(["stats", "--json", str(target), str(raw_dir), "--quiet"]) == 0
    assert json.loads(target.read_text())["documents"] == 6
    assert main(["stats", "--json", str(target), str(raw_dir / "a.jsonl"), "--quiet"]) == 0  # overwrites stats
    assert json.loads(target.read_text())["documents"] == 2
    records = _jsonl(tmp_path / "records.json", _docs(0, 3))  # JSON Lines named .json: input, kept
    capsys.readouterr()  # the tables the runs with a FILE printed
    assert main(["stats", "--json", str(records), "--quiet"]) == 0
    assert json.loads(capsys.readouterr().out)["documents"] == 3 and len(records.read_text().splitlines()) == 3
    assert main(["stats", str(raw_dir), "--json", str(tmp_path / "new" / "s.json"), "--quiet"]) == 0
    assert json.loads((tmp_path / "new" / "s.json").read_text())["documents"] == 6


def test_bare_json_without_path_says_how_to_write_it(capsys, tmp_path):
    missing = tmp_path / "out" / "web"
    assert main(["stats", "--json", str(missing)]) == 2
    error = capsys.readouterr().err.strip()
    assert error == (
        f"error: no PATH given: --json took '{missing}' as the file to write the JSON to; put PATH first: "
        "`curation stats PATH --json` (standard output) or `curation stats PATH --json FILE`"
    )
    assert not missing.exists()


def test_json_naming_input_with_compare_is_refused(capsys, raw_dir):
    other = raw_dir.parent / "other"
    shutil.copytree(raw_dir, other)
    assert main(["stats", "--compare", str(raw_dir), str(other), "--json", str(other), "--quiet"]) == 2
    assert f"--json FILE: {other} is input, not a file to write the JSON to" in capsys.readouterr().err

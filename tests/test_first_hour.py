"""What a new user meets first: mistakes refused early and loudly, progress that shows the work."""

from __future__ import annotations

import json
import os
import pty
import re
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, write_jsonl

from curation.progress import Progress, ReadProgress, RunProgress, StageProgress, clear_progress, read_progress
from curation_cli.main import main
from curation_cli.progress import ProgressDisplay, plain_line, read_line


@pytest.fixture
def config(tmp_path: Path) -> Path:
    corpus = write_jsonl(tmp_path / "in.jsonl", [{"id": i, "text": f"Document number {i} is here."} for i in range(5)])
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump({"input": {"paths": [str(corpus)]}, "output": {"path": str(tmp_path / "out")}}))
    return path


def _error_lines(capsys) -> list[str]:
    return [line for line in capsys.readouterr().err.splitlines() if line.startswith("error:")]


@pytest.mark.parametrize(
    ("flag", "suggestion"),
    [
        (["--overwite"], "--overwrite"),
        (["--direct_num_workrs=2"], "--direct_num_workers"),
        (["--qiet"], "--quiet"),
        (["--runner", "DirectRuner"], "DirectRunner"),
    ],
)
def test_a_misspelled_flag_or_runner_is_refused_with_a_suggestion_before_anything_runs(
    config, tmp_path, capsys, flag, suggestion
):
    assert main(["run", "--config", str(config), *flag]) == 2
    (line,) = _error_lines(capsys)
    assert f"did you mean '{suggestion}'" in line
    assert not (tmp_path / "out").exists()


def test_a_runner_path_that_does_not_import_and_a_stray_argument_are_refused(config, tmp_path, capsys):
    assert main(["run", "--config", str(config), "--runner", "no_such_module.FastRunner"]) == 2
    assert "cannot import" in _error_lines(capsys)[0]
    assert main(["run", "--config", str(config), "more.jsonl"]) == 2
    assert "unexpected argument 'more.jsonl'" in _error_lines(capsys)[0]
    assert not (tmp_path / "out").exists()


def test_beam_flags_still_pass(config, tmp_path):
    assert main(["run", "--config", str(config), "--quiet", "--direct_num_workers=1", "--runner=DirectRunner"]) == 0
    assert (tmp_path / "out" / "manifest.json").is_file()


def test_a_wrong_text_key_stops_the_run_and_names_the_key(tmp_path, capsys):
    corpus = write_jsonl(tmp_path / "in.jsonl", [{"id": i, "content": "A page of text."} for i in range(181)])
    config = tmp_path / "config.yaml"
    config.write_text(yaml.safe_dump({"input": {"paths": [str(corpus)]}, "output": {"path": str(tmp_path / "out")}}))
    assert main(["run", "--config", str(config), "--quiet"]) == 3
    (line,) = _error_lines(capsys)
    assert "181 of 181 input records were rejected" in line
    assert "181 x missing text field 'text' (the record's fields: id, content)" in line and "input.text_key" in line
    assert not (tmp_path / "out" / "manifest.json").exists()  # kept to inspect, without a manifest
    assert main(["run", "--config", str(config), "--quiet", "--overwrite", "--accept-rejected"]) == 0
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert manifest["rejected_records"] == 181 and manifest["output_documents"] == 0


def test_a_few_rejected_records_do_not_stop_the_run(tmp_path):
    rows = [{"id": i, "text": f"Page {i} of text."} for i in range(9)] + ["{not json"]
    corpus = write_jsonl(tmp_path / "in.jsonl", rows)
    config = tmp_path / "config.yaml"
    config.write_text(yaml.safe_dump({"input": {"paths": [str(corpus)]}, "output": {"path": str(tmp_path / "out")}}))
    assert main(["run", "--config", str(config), "--quiet"]) == 0


def test_progress_files_add_up_per_task_and_per_stage(tmp_path):
    for key, records in (("a.jsonl", 10), ("b.jsonl", 5)):
        ReadProgress(str(tmp_path), key).update(records, records * 100, done=key == "a.jsonl")
    first, second = StageProgress(str(tmp_path), "filters"), StageProgress(str(tmp_path), "filters")
    first.add(3)
    second.add(4)
    first.flush()
    second.flush()
    assert read_progress(str(tmp_path)) == Progress(1, 15, 1500, {"filters": 7})
    clear_progress(str(tmp_path))
    assert read_progress(str(tmp_path)) == Progress()


def _state(bytes_read: int, seconds: float, done: int = 0, stages=None, finished=False) -> RunProgress:
    progress = Progress(done, bytes_read // 100, bytes_read, stages or {})
    return RunProgress(progress, 2, 10_000, ("normalize", "write"), seconds, finished)


def test_the_read_estimate_follows_the_bytes_read():
    assert _state(2_500, 10.0).read_seconds_left() == pytest.approx(30.0)
    assert _state(0, 10.0).read_seconds_left() is None  # no pace yet
    assert _state(10_000, 10.0, done=2).read_seconds_left() is None  # read
    assert "about 0:00:30 left" in read_line(_state(2_500, 10.0))
    line = plain_line(_state(2_500, 10.0, stages={"normalize": 20}))
    expected = "progress 0:00:10: read 25 records, 0/2 files, 25% of 10 kB, about 0:00:30 left; entered: normalize 20"
    assert line == expected


def test_without_a_terminal_progress_is_a_plain_line_now_and_then(tmp_path):
    from io import StringIO

    from rich.console import Console

    stream = StringIO()
    display = ProgressDisplay(Console(file=StringIO()), stream, every=3600)
    with display.shown():
        display(_state(1_000, 1.0))  # not yet due
        display(_state(10_000, 2.0, done=2, stages={"normalize": 100, "write": 90}, finished=True))
    assert stream.getvalue().splitlines() == [
        "progress 0:00:02: read 100 records, 2/2 files, 100% of 10 kB; entered: normalize 100, write 90"
    ]
    assert "\x1b" not in stream.getvalue()


def _run_in_terminal(args: list[str], cwd: Path, timeout: float = 240) -> tuple[int, str]:
    """Run a command with a pseudo-terminal as its stdout and stderr; returns its code and output."""
    leader, follower = pty.openpty()
    env = {**os.environ, "COLUMNS": "100", "TERM": "xterm"}
    process = subprocess.Popen(args, stdin=follower, stdout=follower, stderr=follower, cwd=cwd, env=env)
    os.close(follower)
    chunks, deadline = [], time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([leader], [], [], 0.5)
        if ready:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the follower side closed: the process ended
                break
            if not chunk:
                break
            chunks.append(chunk)
        elif process.poll() is not None:
            break
    os.close(leader)
    code = process.wait(timeout=30)
    return code, re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", b"".join(chunks).decode("utf-8", "replace"))


def test_a_run_in_a_terminal_shows_each_stage_and_its_documents(tmp_path):
    config = yaml.safe_load((ROOT / "configs" / "quickstart.yaml").read_text())
    config["input"]["synthetic"]["docs"] = 400
    config["output"]["path"] = str(tmp_path / "out")
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(config))
    code, screen = _run_in_terminal([sys.executable, "-m", "curation_cli", "run", "--config", str(path)], ROOT)
    assert code == 0, screen[-2000:]
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert "starting the runner" in screen or "records" in screen
    for stage in ("read", "normalize", "filters", "exact_dedup", "minhash_dedup", "pii", "write"):
        assert re.search(rf"^\W*{stage}\b", screen, re.MULTILINE), stage
    final = screen[screen.rindex("done 0:") - 2000 :]
    assert re.search(r"normalize\s+400\s+documents in", final)  # as the runner counted them
    assert re.search(rf"write\s+{manifest['output_documents']:,}\s+documents in", final)


def test_a_misspelled_config_key_gets_a_suggestion(tmp_path, capsys):
    config = tmp_path / "config.yaml"
    config.write_text("input: {paths: [x.jsonl]}\nminhash: {band: 4}\n")
    assert main(["run", "--config", str(config)]) == 2
    assert _error_lines(capsys) == [f"error: {config}: unknown key 'minhash.band' (did you mean 'bands'?)"]
    config.write_text("input: {paths: [x.jsonl]}\nfilterz: {}\n")
    assert main(["run", "--config", str(config)]) == 2
    assert "unknown key 'filterz' (did you mean 'filters'?)" in _error_lines(capsys)[0]


def test_version_names_the_package_and_beam(capsys):
    with pytest.raises(SystemExit) as stopped:
        main(["--version"])
    assert stopped.value.code == 0
    assert re.fullmatch(r"curation \S+ \(Apache Beam 2\.\d+\.\d+\)\n", capsys.readouterr().out)


def test_an_output_of_other_files_names_the_overwrite_flag(config, tmp_path, capsys):
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "notes.txt").write_text("mine")
    assert main(["run", "--config", str(config), "--quiet"]) == 2
    assert "--overwrite" in _error_lines(capsys)[0]
    assert (tmp_path / "out" / "notes.txt").read_text() == "mine"


def test_the_summary_of_a_generated_input_does_not_call_it_input_files(tmp_path, capsys):
    config = yaml.safe_load((ROOT / "configs" / "quickstart.yaml").read_text())
    config.update({"input": {"synthetic": {"docs": 50, "seed": 1}}, "output": {"path": str(tmp_path / "out")}})
    config["minhash"]["enabled"] = config["pii"]["enabled"] = False
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(config))
    assert main(["run", "--config", str(path)]) == 0
    out = capsys.readouterr().out
    assert "MB/s of the generated input" in out and "input files" not in out

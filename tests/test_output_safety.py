"""The output directory never costs the user an input, fails before the run when it cannot be
written, is cleaned up after a full disk, and an interrupt ends a run with one `error:` line."""

from __future__ import annotations

import errno
import os
import random
import signal
import string
import subprocess
import sys
import time
from pathlib import Path

import fsspec
import pytest
from conftest import ROOT, write_jsonl
from fsspec.implementations.local import LocalFileSystem

from curation.synth import write_corpus
from curation_cli.main import EXIT_FAILED, EXIT_INTERRUPTED, EXIT_USAGE, main

ROWS = [{"id": f"d{i}", "text": f"document number {i} with a few words in it"} for i in range(6)]


@pytest.fixture
def config(tmp_path) -> Path:
    path = tmp_path / "c.yaml"
    path.write_text("input: {paths: []}\nfilters: {enabled: false}\n")
    return path


def run_cli(config: Path, inputs: list[Path | str], output: Path | str, *flags: str) -> int:
    args = ["run", "--config", str(config), "--input", *map(str, inputs), "--output", str(output), "--quiet"]
    return main([*args, *flags])


def error_lines(capsys) -> list[str]:
    return [line for line in capsys.readouterr().err.splitlines() if line.startswith("error:")]


def test_an_output_that_links_to_the_input_directory_is_refused(tmp_path, config, capsys):
    """The issue's reproduction: `--output link2 --overwrite` with link2 -> in2 deleted the input."""
    source = tmp_path / "in2"
    source.mkdir()
    write_jsonl(source / "a.jsonl", ROWS)
    (tmp_path / "link2").symlink_to(source)
    assert run_cli(config, [source / "a.jsonl"], tmp_path / "link2", "--overwrite") == EXIT_USAGE
    assert "lies inside the output directory" in error_lines(capsys)[0]
    assert sorted(p.name for p in source.iterdir()) == ["a.jsonl"]
    assert (source / "a.jsonl").read_bytes().count(b"\n") == len(ROWS)


def test_an_input_reached_through_dot_dot_or_a_link_is_seen_inside(tmp_path, config, capsys):
    out = tmp_path / "out"
    (out / "sub").mkdir(parents=True)
    write_jsonl(out / "sub" / "a.jsonl", ROWS)
    (tmp_path / "elsewhere").symlink_to(out / "sub")
    for given in (tmp_path / "elsewhere" / "a.jsonl", f"{out}/sub/../sub/a.jsonl"):
        assert run_cli(config, [given], out, "--overwrite") == EXIT_USAGE
    assert (out / "sub" / "a.jsonl").exists()


def test_a_directory_input_holding_the_output_never_reads_or_clears_an_earlier_run(tmp_path, config, capsys):
    """`--input corpus --output corpus/out`: the second run would read the first one's shards as
    input (a directory is read recursively), so it is refused and the shards stay."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write_jsonl(corpus / "a.jsonl", ROWS)
    assert run_cli(config, [corpus], corpus / "out") == 0
    shards = {p.name: p.read_bytes() for p in (corpus / "out" / "data").iterdir()}
    assert run_cli(config, [corpus], corpus / "out", "--overwrite") == EXIT_USAGE
    assert "lies inside the output directory" in error_lines(capsys)[0]
    assert {p.name: p.read_bytes() for p in (corpus / "out" / "data").iterdir()} == shards


def test_overwrite_removes_a_link_in_the_output_but_never_its_target(tmp_path, config):
    keep = tmp_path / "precious"
    keep.mkdir()
    (keep / "only-copy.txt").write_text("data")
    out = tmp_path / "out"
    out.mkdir()
    (out / "link").symlink_to(keep)
    write_jsonl(tmp_path / "a.jsonl", ROWS)
    assert run_cli(config, [tmp_path / "a.jsonl"], out, "--overwrite") == 0
    assert not (out / "link").exists() and (keep / "only-copy.txt").read_text() == "data"


def test_overwrite_of_the_current_directory_or_home_is_refused(tmp_path_factory, config, capsys, monkeypatch):
    corpus = write_jsonl(tmp_path_factory.mktemp("inputs") / "a.jsonl", ROWS)
    work = tmp_path_factory.mktemp("work")
    (work / "below").mkdir()
    monkeypatch.chdir(work / "below")
    for output in (".", str(work), os.path.expanduser("~"), "/"):
        assert run_cli(config, [corpus], output, "--overwrite") == EXIT_USAGE
        assert "refusing to overwrite" in error_lines(capsys)[0]


def test_the_config_inside_the_output_is_refused(tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    config = out / "c.yaml"
    config.write_text("input: {paths: []}\n")
    write_jsonl(tmp_path / "a.jsonl", ROWS)
    assert run_cli(config, [tmp_path / "a.jsonl"], out, "--overwrite") == EXIT_USAGE
    assert config.exists()


def test_an_output_below_a_regular_file_is_refused_before_the_run(tmp_path, config, capsys, monkeypatch):
    import beam_jobs.launch

    monkeypatch.setattr(beam_jobs.launch, "execute", lambda *a, **k: pytest.fail("the pipeline must not start"))
    write_jsonl(tmp_path / "a.jsonl", ROWS)
    (tmp_path / "afile").write_text("x")
    assert run_cli(config, [tmp_path / "a.jsonl"], tmp_path / "afile" / "sub") == EXIT_USAGE
    assert error_lines(capsys) == [f"error: cannot write to output directory {tmp_path}/afile/sub: Not a directory"]


class ReadOnlyFileSystem(LocalFileSystem):
    """A local filesystem mounted read-only: listing works, every write fails with EROFS."""

    protocol = "readonlytest"

    def _open(self, path, mode="rb", **kwargs):
        if "r" not in mode or "+" in mode:
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), path)
        return super()._open(path, mode, **kwargs)

    def makedirs(self, path, exist_ok=False):
        if not self.exists(path):
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), path)


def test_a_read_only_output_is_refused_before_the_run(tmp_path, config, capsys, monkeypatch):
    import beam_jobs.launch

    fsspec.register_implementation("readonlytest", ReadOnlyFileSystem, clobber=True)
    monkeypatch.setattr(beam_jobs.launch, "execute", lambda *a, **k: pytest.fail("the pipeline must not start"))
    write_jsonl(tmp_path / "a.jsonl", ROWS)
    (tmp_path / "existing").mkdir()
    for output in (f"readonlytest://{tmp_path}/existing", f"readonlytest://{tmp_path}/new"):
        assert run_cli(config, [tmp_path / "a.jsonl"], output) == EXIT_USAGE
        assert error_lines(capsys) == [f"error: cannot write to output directory {output}: Read-only file system"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into a mode 555 directory")
def test_a_directory_without_write_permission_is_refused(tmp_path, config, capsys):
    write_jsonl(tmp_path / "a.jsonl", ROWS)
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o555)
    assert run_cli(config, [tmp_path / "a.jsonl"], locked) == EXIT_USAGE
    assert "Permission denied" in error_lines(capsys)[0]


class FullDiskFileSystem(LocalFileSystem):
    """A local filesystem with `capacity` bytes left: a write beyond it fails with ENOSPC."""

    protocol = "fulltest"
    capacity = 0
    written = 0

    def _open(self, path, mode="rb", **kwargs):
        handle = super()._open(path, mode, **kwargs)
        if "w" in mode:
            write = handle.write

            def limited(data):
                FullDiskFileSystem.written += len(data)
                if FullDiskFileSystem.written > FullDiskFileSystem.capacity:
                    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
                return write(data)

            handle.write = limited
        return handle


def full_disk_corpus(tmp_path: Path) -> Path:
    """About 1.2 MB of text that compresses little: random words."""
    rng = random.Random(0)
    words = ["".join(rng.choices(string.ascii_lowercase, k=rng.randint(2, 9))) for _ in range(5000)]
    rows = [{"id": f"d{i}", "text": " ".join(rng.choices(words, k=400))} for i in range(400)]
    return write_jsonl(tmp_path / "big.jsonl", rows)


def test_a_full_disk_names_the_output_and_leaves_nothing_behind(tmp_path, config, capsys):
    fsspec.register_implementation("fulltest", FullDiskFileSystem, clobber=True)
    FullDiskFileSystem.capacity, FullDiskFileSystem.written = 60_000, 0
    out = tmp_path / "out"
    assert run_cli(config, [full_disk_corpus(tmp_path)], f"fulltest://{out}") == EXIT_FAILED
    (line,) = error_lines(capsys)
    assert "cannot write output data/part-" in line and "No space left on device" in line
    assert list(out.rglob("*")) == []  # no .partial file, no shard, no staging area


def _can_mount_tmpfs(target: Path) -> bool:
    if os.geteuid() != 0 or not sys.platform.startswith("linux"):
        return False
    command = ["mount", "-t", "tmpfs", "-o", "size=128k", "tmpfs", str(target)]
    return subprocess.run(command, capture_output=True).returncode == 0


def test_a_real_full_filesystem(tmp_path, config, capsys):
    mount = tmp_path / "small"
    mount.mkdir()
    if not _can_mount_tmpfs(mount):
        pytest.skip("mounting a small tmpfs needs root on Linux")
    try:
        assert run_cli(config, [full_disk_corpus(tmp_path)], mount / "out") == EXIT_FAILED
        (line,) = error_lines(capsys)
        assert "No space left on device" in line and "cannot write output" in line
        assert [p for p in mount.rglob("*") if p.is_file()] == []
    finally:
        subprocess.run(["umount", str(mount)], check=False)


@pytest.fixture(scope="module")
def slow_corpus(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("slow") / "corpus.jsonl.gz"
    write_corpus(path, 3000, seed=1)
    return path


@pytest.mark.parametrize(("signum", "delay"), [(signal.SIGINT, 0.5), (signal.SIGINT, 3), (signal.SIGINT, 7),
                                               (signal.SIGTERM, 5)])
def test_an_interrupt_ends_the_run_with_one_error_line(slow_corpus, tmp_path, signum, delay):
    out = tmp_path / "out"
    command = [sys.executable, "-m", "curation_cli", "run", "--config", str(ROOT / "configs" / "quickstart.yaml"),
               "--input", str(slow_corpus), "--output", str(out)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path)
    time.sleep(delay)
    sent = time.monotonic()
    process.send_signal(signum)
    _, err = process.communicate(timeout=120)
    assert time.monotonic() - sent < 30
    assert process.returncode == EXIT_INTERRUPTED, err[-2000:]
    lines = [line for line in err.splitlines() if line.startswith("error:")]
    assert lines == [f"error: interrupted by {signal.Signals(signum).name}; no manifest was written and the "
                     "partial output was removed"]
    assert "Traceback" not in err
    assert not (out / "manifest.json").exists()
    assert not [p for p in out.rglob("*") if p.is_file()] if out.exists() else True


def test_an_interrupt_that_lands_in_a_finalizer_is_raised_after_it_without_a_traceback():
    script = """
import gc, os, signal, time
from curation import interrupts

class Finalized:
    def __del__(self):
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(0.1)  # the signal arrives inside __del__, where it cannot propagate

try:
    with interrupts.handle_interrupts():
        item = Finalized()
        del item
        gc.collect()
        time.sleep(5)
    print("not raised")
except KeyboardInterrupt as error:
    print("raised:", error)
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert done.stdout.strip() == "raised: interrupted by SIGINT"
    assert "Traceback" not in done.stderr and "Exception ignored" not in done.stderr

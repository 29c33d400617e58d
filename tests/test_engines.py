"""Engines beyond Beam's Python runners: the cache, `curation engines fetch|list`, the runner
wiring (no run downloads anything), and the full pipeline on Prism against the DirectRunner."""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pytest
import yaml
from conftest import full_config

from beam_jobs.options import RunnerOptionError, engine_identity, on_one_machine, pipeline_options
from curation import engines
from curation.synth import write_corpus
from curation_cli.main import EXIT_FAILED, EXIT_USAGE, main

BEAM = engines.beam_version()


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    """An empty engines cache for this test."""
    directory = tmp_path / "engines"
    monkeypatch.setenv("CURATION_ENGINES_DIR", str(directory))
    return directory


@pytest.fixture
def fake_tools(tmp_path, monkeypatch) -> Path:
    """A directory put first on PATH, for fake `go` and `mvn` scripts."""
    directory = tmp_path / "tools"
    directory.mkdir()
    monkeypatch.setenv("PATH", f"{directory}{os.pathsep}{os.environ['PATH']}")
    return directory


def _script(directory: Path, name: str, body: str) -> None:
    path = directory / name
    path.write_text(f"#!/bin/sh\n{body}\n")
    path.chmod(0o755)


def _touch(path: Path, data: bytes = b"") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def _error_lines(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith("error:")]


def test_the_pinned_flink_version_is_one_beam_publishes():
    from apache_beam.options.pipeline_options import FlinkRunnerOptions

    assert FlinkRunnerOptions.PUBLISHED_FLINK_VERSIONS[-1] == engines.FLINK_VERSION
    assert engines.jar_coordinates("flink") == f"org.apache.beam:beam-runners-flink-2.2-job-server:{BEAM}"
    assert engines.jar_coordinates("spark") == f"org.apache.beam:beam-runners-spark-3-job-server:{BEAM}"


def test_the_cache_is_the_environment_variable_else_under_home(cache, monkeypatch):
    assert engines.prism_path() == cache / "prism" / f"v{BEAM}" / "prism"
    monkeypatch.delenv("CURATION_ENGINES_DIR")
    assert engines.cache_dir() == Path.home() / ".cache" / "curation" / "engines"


@pytest.mark.parametrize("runner", ["PrismRunner", "prism", "PRISM", "prismrunner"])
def test_prism_without_a_cached_binary_names_the_fetch_command(cache, runner):
    with pytest.raises(RunnerOptionError, match="run `curation engines fetch prism`"):
        pipeline_options([f"--runner={runner}"])


def test_prism_uses_the_cached_binary_and_records_its_version(cache):
    from apache_beam.options.pipeline_options import PrismRunnerOptions

    build_info = b"path\tgithub.com/apache/beam/sdks/v2/go/cmd/prism\nmod\tgithub.com/apache/beam/sdks/v2\tv2.77.0\th1:"
    binary = _touch(engines.prism_path(), b"ELF\x00" + build_info)
    options = pipeline_options(["--runner", "Prism"])
    assert options.view_as(PrismRunnerOptions).prism_location == str(binary)
    assert engine_identity(options) == {"runner": "PrismRunner", "beam": BEAM, "prism": "v2.77.0"}
    assert on_one_machine(options)


def test_prism_keeps_a_given_location_or_job_endpoint(cache, tmp_path):
    from apache_beam.options.pipeline_options import PrismRunnerOptions

    mine = _touch(tmp_path / "my-prism")
    options = pipeline_options(["--runner=PrismRunner", f"--prism_location={mine}"])
    assert options.view_as(PrismRunnerOptions).prism_location == str(mine)
    assert engine_identity(options)["prism"] == "unknown"
    pipeline_options(["--runner=PrismRunner", "--job_endpoint=localhost:8073"])  # no binary needed


@pytest.mark.parametrize("engine", ["flink", "spark"])
def test_flink_and_spark_without_a_jar_name_the_fetch_command(cache, engine):
    with pytest.raises(RunnerOptionError, match=f"run `curation engines fetch {engine}`") as raised:
        pipeline_options([f"--runner={engine.capitalize()}Runner"])
    assert engines.jar_path(engine).name in str(raised.value)


def test_a_flink_master_alone_still_needs_the_jar(cache):
    with pytest.raises(RunnerOptionError, match="curation engines fetch flink"):
        pipeline_options(["--runner=FlinkRunner", "--flink_master=localhost:8081"])
    pipeline_options(["--runner=FlinkRunner", "--job_endpoint=localhost:8099"])  # a running job server


def test_flink_and_spark_use_the_cached_jar(cache):
    from apache_beam.options.pipeline_options import FlinkRunnerOptions, SparkRunnerOptions

    flink, spark = _touch(engines.jar_path("flink")), _touch(engines.jar_path("spark"))
    options = pipeline_options(["--runner=FlinkRunner"])
    assert options.view_as(FlinkRunnerOptions).flink_job_server_jar == str(flink)
    assert engine_identity(options) == {"runner": "FlinkRunner", "beam": BEAM, "flink": "2.2"}
    assert not on_one_machine(options)
    assert pipeline_options(["--runner=spark"]).view_as(SparkRunnerOptions).spark_job_server_jar == str(spark)


def test_the_direct_runner_never_tries_prism(monkeypatch):
    """Beam 2.77's DirectRunner tries Prism first, downloading it from GitHub; ours must not."""
    import apache_beam as beam
    from apache_beam.runners.portability import prism_runner

    def refuse(self, options):
        raise AssertionError("the DirectRunner started a Prism job server")

    monkeypatch.setattr(prism_runner.PrismJobServer, "__init__", refuse)
    with beam.Pipeline(options=pipeline_options([])) as pipeline:
        pipeline | beam.Create([1, 2]) | beam.Map(lambda x: x)


def test_cli_run_on_prism_without_a_binary_exits_2_before_touching_the_output(cache, tmp_path, capsys):
    config = tmp_path / "c.yaml"
    config.write_text(f"input:\n  synthetic: {{docs: 10}}\noutput:\n  path: {tmp_path / 'out'}\n")
    assert main(["run", "--config", str(config), "--runner", "PrismRunner"]) == EXIT_USAGE
    (line,) = _error_lines(capsys.readouterr().err)
    assert "curation engines fetch prism" in line
    assert not (tmp_path / "out").exists()


def test_engines_list_shows_what_is_cached_and_where(cache, capsys):
    _touch(engines.prism_path())
    assert main(["engines", "list"]) == 0
    rows = {line.split()[0]: line for line in capsys.readouterr().out.splitlines()}
    assert "cached" in rows["prism"] and str(engines.prism_path()) in rows["prism"]
    assert "missing" in rows["flink"] and "Flink 2.2" in rows["flink"] and "missing" in rows["spark"]


def test_fetch_with_a_cached_binary_does_nothing(cache, fake_tools, capsys):
    _script(fake_tools, "go", "exit 99")
    _touch(engines.prism_path())
    assert main(["engines", "fetch", "prism"]) == 0
    assert "already cached" in capsys.readouterr().out


def test_fetch_prism_reports_a_failing_go_on_one_error_line(cache, fake_tools, capsys):
    _script(fake_tools, "go", 'echo "downloading..." >&2; echo "go: module lookup disabled by GOPROXY=off" >&2; exit 1')
    assert main(["engines", "fetch", "prism"]) == EXIT_FAILED
    (line,) = _error_lines(capsys.readouterr().err)
    assert f"go install github.com/apache/beam/sdks/v2/go/cmd/prism@v{BEAM} failed (exit 1)" in line
    assert "module lookup disabled" in line
    assert engines.cached("prism") is None and os.listdir(engines.prism_path().parent) == []


def test_fetch_prism_builds_under_the_cache(cache, fake_tools):
    _script(fake_tools, "go", 'echo "$GOPATH $GOMODCACHE $GOFLAGS" > "$GOBIN/prism"')
    path, present = engines.fetch("prism")
    assert path == engines.prism_path() and not present
    gopath, modcache, flags = path.read_text().split()
    assert (gopath, modcache, flags) == (str(cache / "go"), str(cache / "go" / "mod"), "-modcacherw")


def test_fetch_jars_say_the_registry_does_not_serve_them(cache, fake_tools, capsys):
    missing = (
        "[ERROR] Failed to execute goal ...: Unable to find artifact. Could not find artifact "
        "org.apache.beam:$A in central (https://repo.maven.apache.org/maven2)"
    )
    artifact = 'A=$(echo "$@" | sed "s/.*-Dartifact=org.apache.beam:\\([^ ]*\\).*/\\1/")'
    _script(fake_tools, "mvn", f'{artifact}\necho "{missing}"\nexit 1')
    assert main(["engines", "fetch", "flink", "spark"]) == EXIT_FAILED
    lines = _error_lines(capsys.readouterr().err)
    assert len(lines) == 2
    for line, engine in zip(lines, ["flink", "spark"], strict=True):
        assert engines.jar_coordinates(engine) in line and "is not served by the Maven registry" in line
        assert "https://repo.maven.apache.org/maven2" in line
    assert engines.cached("flink") is None and engines.cached("spark") is None


def test_fetch_jar_reports_any_other_mvn_failure(cache, fake_tools):
    _script(fake_tools, "mvn", 'echo "[ERROR] Network is unreachable"; echo "[ERROR] "; exit 1')
    with pytest.raises(engines.EngineError, match="failed \\(exit 1\\): \\[ERROR\\] Network is unreachable"):
        engines.fetch("spark")


def test_fetch_without_go_or_mvn_on_path_says_so(cache, monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(engines.EngineError, match="`go` is not on PATH"):
        engines.fetch("prism")
    with pytest.raises(engines.EngineError, match="`mvn` is not on PATH"):
        engines.fetch("flink")


def test_fetch_stops_a_tool_that_hangs(cache, fake_tools):
    _script(fake_tools, "go", "sleep 30; exit 0")  # a child process holding the pipes open
    started = time.monotonic()
    with pytest.raises(engines.EngineError, match="ran past 1 s"):
        engines.fetch("prism", timeout=1)
    assert time.monotonic() - started < 10


def test_fetch_names_an_unknown_engine(capsys):
    assert main(["engines", "fetch", "dataflow"]) == EXIT_USAGE
    assert "unknown engine 'dataflow'" in capsys.readouterr().err


# The whole pipeline on Prism --------------------------------------------------------------------


@pytest.fixture(scope="module")
def prism_binary() -> Path:
    """The cached Prism binary, built with the project's own fetch (about 2 minutes cold) where
    missing; skipped only where none is cached and Go is absent (CI has Go, so CI builds it)."""
    binary = engines.cached("prism")
    if binary:
        return binary
    if shutil.which("go") is None:
        pytest.skip("no Prism binary cached and `go` is not on PATH")
    return engines.fetch("prism")[0]


def _leave_a_failed_prism_server_behind() -> None:
    """What a plain TestPipeline elsewhere in the process does: Beam's DirectRunner tries a Prism
    server without our options, which fails to download, and Beam keeps it for later runs."""
    import apache_beam as beam
    from apache_beam.options.pipeline_options import PipelineOptions, PrismRunnerOptions

    options = PipelineOptions(["--runner=PrismRunner"])
    options.view_as(PrismRunnerOptions).prism_location = "/nonexistent/prism"
    with pytest.raises(Exception, match="prism"), beam.Pipeline(options=options) as pipeline:
        pipeline | beam.Create([1])


def _run_cli(corpus: Path, out: Path, tmp_path: Path, runner_args: list[str]) -> tuple[dict, dict, float]:
    config = tmp_path / f"{out.name}.yaml"
    config.write_text(yaml.safe_dump(full_config(corpus, out)))
    metrics = tmp_path / f"{out.name}-metrics.json"
    started = time.perf_counter()
    assert main(["run", "--config", str(config), "--metrics", str(metrics), *runner_args]) == 0
    seconds = time.perf_counter() - started
    return json.loads((out / "manifest.json").read_text()), json.loads(metrics.read_text()), seconds


def _files(out: Path) -> dict[str, bytes]:
    """Every Parquet file of an output (shards, ledger, rejected, duplicates, PII domains)."""
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*.parquet")) if p.is_file()}


def test_full_pipeline_on_prism_matches_the_direct_runner(prism_binary, tmp_path, capsys):
    _leave_a_failed_prism_server_behind()
    corpus = tmp_path / "corpus.jsonl"
    write_corpus(corpus, 400, seed=5)
    with corpus.open("a", encoding="utf-8") as handle:  # unparseable records, for the rejected output
        handle.write('{"id": "cut", "text": "no end\nnot json at all\n[1, 2]\n')
    direct, direct_metrics, direct_s = _run_cli(corpus, tmp_path / "direct", tmp_path, [])
    prism, prism_metrics, prism_s = _run_cli(corpus, tmp_path / "prism", tmp_path, ["--runner", "PrismRunner"])
    summary = capsys.readouterr().out
    print(f"400 documents, full config: DirectRunner {direct_s:.1f} s, PrismRunner {prism_s:.1f} s")

    files = _files(tmp_path / "direct")
    assert {"dropped", "rejected", "duplicates.parquet", "data"} <= {name.split("/")[0] for name in files}
    assert _files(tmp_path / "prism") == files  # byte-identical shards, ledger, rejected, duplicates
    counts = ("input_documents", "output_documents", "output_tokens", "rejected_records", "dropped", "shards")
    assert {key: prism[key] for key in counts} == {key: direct[key] for key in counts}
    assert direct["input_documents"] == 400 and direct["rejected_records"] > 0
    assert {"gopher_quality", "exact_dedup", "minhash_dedup"} <= {reason.split("/")[0] for reason in direct["dropped"]}

    assert prism["engine"] == {"runner": "PrismRunner", "beam": BEAM, "prism": f"v{BEAM}"}
    assert direct["engine"]["runner"] == "DirectRunner"
    assert prism_metrics["counters"] == direct_metrics["counters"]  # Prism's system counters left out
    assert {"Read", "ApplyFilters", "WriteShards"} <= set(prism_metrics["stage_seconds"])
    assert summary.count("time per stage (processing") == 2

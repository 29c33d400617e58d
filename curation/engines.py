"""Engines beyond Beam's Python runners: what each needs, where it is cached, how it is fetched.

Prism is built from the Go module proxy with `go install`; Flink and Spark need Beam's job-server
jars, fetched from Maven with `mvn dependency:copy`. Everything lands in one cache directory
(`$CURATION_ENGINES_DIR`, else `~/.cache/curation/engines`), so a run never downloads anything.
No Beam import here: Beam's version comes from the installed distribution's metadata.
"""

from __future__ import annotations

import mmap
import os
import re
import shutil
import signal
import subprocess
import tempfile
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

ENGINES = ("prism", "flink", "spark")
FLINK_VERSION = "2.2"
"""The newest Flink that Beam 2.77's Python SDK publishes a job server for (FlinkRunnerOptions
.PUBLISHED_FLINK_VERSIONS ends with it, and it is `--flink_version`'s default)."""
SPARK_VERSION = "3"
PRISM_PACKAGE = "github.com/apache/beam/sdks/v2/go/cmd/prism"
BEAM_GROUP = "org.apache.beam"
FETCH_TIMEOUT_S = 1800
"""A cold `go install` of Prism takes about 2 minutes on 2 cores; mvn resolves in seconds."""
_GO_MODULE = b"\nmod\tgithub.com/apache/beam/sdks/v2\t"
"""How Go's build info (`go version -m`) names the main module, followed by its version."""


class EngineError(RuntimeError):
    """A fetch that could not complete; the message says why on one line."""


@dataclass(frozen=True)
class EngineStatus:
    """One engine as `curation engines list` shows it."""

    engine: str
    version: str
    path: Path
    cached: bool


def beam_version() -> str:
    """The installed Apache Beam version, e.g. `2.77.0`."""
    return version("apache-beam")


def cache_dir() -> Path:
    """Where fetched engines live: `$CURATION_ENGINES_DIR`, else `~/.cache/curation/engines`."""
    configured = os.environ.get("CURATION_ENGINES_DIR")
    return Path(configured).expanduser() if configured else Path.home() / ".cache" / "curation" / "engines"


def prism_path() -> Path:
    """The Prism binary built for the installed Beam version (cached or not)."""
    return cache_dir() / "prism" / f"v{beam_version()}" / "prism"


def jar_artifact(engine: str, flink_version: str = FLINK_VERSION) -> str:
    """Maven artifact id of Beam's job server for `flink` or `spark`."""
    if engine == "flink":
        return f"beam-runners-flink-{flink_version}-job-server"
    if engine == "spark":
        return f"beam-runners-spark-{SPARK_VERSION}-job-server"
    raise ValueError(f"no job-server jar for {engine!r}")


def jar_coordinates(engine: str, flink_version: str = FLINK_VERSION) -> str:
    """`group:artifact:version` of the job-server jar matching the installed Beam."""
    return f"{BEAM_GROUP}:{jar_artifact(engine, flink_version)}:{beam_version()}"


def jar_path(engine: str, flink_version: str = FLINK_VERSION) -> Path:
    """The cached job-server jar of `flink` or `spark` (present or not)."""
    return cache_dir() / "jars" / f"{jar_artifact(engine, flink_version)}-{beam_version()}.jar"


def engine_path(engine: str) -> Path:
    return prism_path() if engine == "prism" else jar_path(engine)


def engine_version(engine: str) -> str:
    """The pinned version of an engine, as `engines list` and the manifest name it."""
    if engine == "prism":
        return f"v{beam_version()}"
    if engine == "flink":
        return f"Flink {FLINK_VERSION}, Beam job server {beam_version()}"
    return f"Spark {SPARK_VERSION}, Beam job server {beam_version()}"


def cached(engine: str) -> Path | None:
    """The cached binary or jar of an engine, or None."""
    path = engine_path(engine)
    return path if path.is_file() else None


def list_engines() -> list[EngineStatus]:
    return [EngineStatus(name, engine_version(name), engine_path(name), cached(name) is not None) for name in ENGINES]


def prism_version(binary: str | os.PathLike) -> str | None:
    """The Beam module version a Prism binary was built from, read from Go's embedded build info."""
    try:
        with open(binary, "rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
            start = data.find(_GO_MODULE)
            if start < 0:
                return None
            start += len(_GO_MODULE)
            found = data[start : start + 64].split(b"\t")[0].split(b"\n")[0]
    except (OSError, ValueError):
        return None
    return found.decode("ascii", "replace") or None


def fetch(engine: str, timeout: float = FETCH_TIMEOUT_S) -> tuple[Path, bool]:
    """Fetch one engine into the cache; returns its path and whether it was already there.

    Raises `EngineError` when the tool is missing, fails, or runs past `timeout` seconds.
    """
    if engine not in ENGINES:
        raise EngineError(f"unknown engine {engine!r}; choose from {', '.join(ENGINES)}")
    present = cached(engine)
    if present:
        return present, True
    return (_fetch_prism(timeout) if engine == "prism" else _fetch_jar(engine, timeout)), False


def _tool(name: str, purpose: str) -> str:
    found = shutil.which(name)
    if not found:
        raise EngineError(f"`{name}` is not on PATH; install it to {purpose}")
    return found


def _run(command: list[str], timeout: float, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Run a fetch tool with no input and a time limit; output is captured for the error line.

    The tool runs in its own process group, killed whole on a timeout or an interrupt, so that
    no compiler or JVM it started outlives it (or keeps its pipes open).
    """
    try:
        process = subprocess.Popen(
            command,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
    except OSError as error:
        raise EngineError(f"cannot run {command[0]}: {error.strerror or error}") from None
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except BaseException as error:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        if isinstance(error, subprocess.TimeoutExpired):
            raise EngineError(f"`{' '.join(command[1:3])}` ran past {timeout:.0f} s and was stopped") from None
        raise
    return subprocess.CompletedProcess(command, process.returncode, stdout, stderr)


def _last_line(output: str, prefix: str = "") -> str:
    lines = [line.strip() for line in output.splitlines() if line.strip().removeprefix(prefix).strip()]
    return lines[-1] if lines else "no output"


def _fetch_prism(timeout: float) -> Path:
    """`go install` Prism at the installed Beam's version, with Go's paths under the cache."""
    go = _tool("go", "build Prism (https://go.dev/dl/), or pass --prism_location to a Prism binary")
    target = prism_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    root = cache_dir() / "go"
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".install-") as staging:
        env = dict(
            os.environ,
            GOBIN=staging,
            GOPATH=str(root),
            GOMODCACHE=str(root / "mod"),
            # A writable module cache can be removed with `rm -r`, like the rest of the cache.
            GOFLAGS=f"{os.environ.get('GOFLAGS', '')} -modcacherw".strip(),
        )
        module = f"{PRISM_PACKAGE}@v{beam_version()}"
        done = _run([go, "install", module], timeout, env)
        if done.returncode != 0:
            raise EngineError(f"go install {module} failed (exit {done.returncode}): {_last_line(done.stderr)}")
        os.replace(Path(staging) / "prism", target)  # the binary appears only when complete
    return target


_NOT_FOUND = re.compile(
    r"Could not find artifact \S+ in (?P<name>\S+) \((?P<url>[^)]+)\)|\S+ was not found in (?P<cached>\S+) during"
)
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _fetch_jar(engine: str, timeout: float) -> Path:
    """`mvn dependency:copy` Beam's job-server jar into the cache."""
    mvn = _tool("mvn", f"fetch Beam's {engine} job server from Maven, or pass --{engine}_job_server_jar")
    target = jar_path(engine)
    target.parent.mkdir(parents=True, exist_ok=True)
    coordinates = jar_coordinates(engine)
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".copy-") as staging:
        # -U: ask the registry again even where an earlier miss is cached in ~/.m2.
        command = [mvn, "-B", "-U", "-Dstyle.color=never", "dependency:copy"]
        command += [f"-Dartifact={coordinates}", f"-DoutputDirectory={staging}"]
        done = _run(command, timeout)
        copied = Path(staging) / target.name
        if done.returncode != 0 or not copied.is_file():
            raise EngineError(_mvn_failure(coordinates, done))
        os.replace(copied, target)
    return target


def _mvn_failure(coordinates: str, done: subprocess.CompletedProcess) -> str:
    output = _ANSI.sub("", f"{done.stdout}\n{done.stderr}")
    missing = _NOT_FOUND.search(output)
    if missing:
        registry = missing["cached"] or f"{missing['name']}, {missing['url']}"
        return f"{coordinates} is not served by the Maven registry this machine uses ({registry}): mvn did not find it"
    return f"mvn dependency:copy {coordinates} failed (exit {done.returncode}): {_last_line(output, '[ERROR]')}"

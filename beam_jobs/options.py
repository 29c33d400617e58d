"""Beam pipeline options: the user's flags, with a local runner named explicitly by default, and
the engines (Prism, Flink, Spark) wired to what `curation engines fetch` cached, so that no run
downloads anything."""

from __future__ import annotations

import difflib
import importlib

from apache_beam.options.pipeline_options import (
    DebugOptions,
    DirectOptions,
    FlinkRunnerOptions,
    PipelineOptions,
    PortableOptions,
    PrismRunnerOptions,
    SparkRunnerOptions,
    StandardOptions,
    TypeOptions,
    WorkerOptions,
)

from curation import engines

LOCAL_RUNNERS = ("direct", "fnapi", "bundlebaseddirect", "switchingdirect")
"""Local runner names as Beam compares them: lower case, without the `Runner` suffix."""
ONE_MACHINE_RUNNERS = (*LOCAL_RUNNERS, "prism")
"""Runners whose workers share this machine's files and which do not retry a failed bundle."""
JOB_SERVER_RUNNERS = ("flink", "spark")


class RunnerOptionError(ValueError):
    """Beam options this pipeline refuses, with the reason."""


def _beam_parser():
    """A parser with every flag Beam's `PipelineOptions` classes define, built as Beam builds it."""
    from apache_beam.options.pipeline_options import _BeamArgumentParser

    parser = _BeamArgumentParser(allow_abbrev=False)
    for cls in {str(cls): cls for cls in PipelineOptions.__subclasses__()}.values():
        cls._add_argparse_args(parser)  # the hook every options class fills; Beam calls it the same way
    return parser


def beam_flags() -> list[str]:
    """Every `--flag` Beam knows."""
    return [flag for action in _beam_parser()._actions for flag in action.option_strings if flag.startswith("--")]


def unknown_flags(beam_args: list[str]) -> list[str]:
    """The arguments no Beam options class knows (Beam itself only logs and drops them)."""
    return _beam_parser().parse_known_args(beam_args)[1]


def suggest(word: str, choices: list[str]) -> str:
    """`; did you mean 'X'?` for the closest of `choices`, else ''."""
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.75)
    return f"; did you mean {close[0]!r}?" if close else ""


def check_runner(options: PipelineOptions) -> None:
    """Refuse a runner Beam cannot create: an unknown name, or a dotted path that does not import."""
    runner = options.view_as(StandardOptions).runner
    if not isinstance(runner, str):
        return
    if "." in runner:
        module, _, name = runner.rpartition(".")
        try:
            getattr(importlib.import_module(module), name)
        except (ImportError, AttributeError) as error:
            raise RunnerOptionError(f"--runner {runner}: cannot import it ({type(error).__name__})") from None
        return
    known = StandardOptions.KNOWN_RUNNER_NAMES
    if runner_key(options) not in {name.lower().removesuffix("runner") for name in known}:
        raise RunnerOptionError(f"unknown runner {runner!r}{suggest(runner, known)} (Beam knows {', '.join(known)})")


def pipeline_options(beam_args: list[str]) -> PipelineOptions:
    """Options from Beam flags; without `--runner`, the DirectRunner in memory.

    `--direct_running_mode=multi_processing` uses all cores. PrismRunner, FlinkRunner and
    SparkRunner get the binary or jar from the engines cache; without one, `RunnerOptionError`
    names the command that fetches it.
    """
    options = PipelineOptions(beam_args)
    standard = options.view_as(StandardOptions)
    if standard.runner is None:
        standard.runner = "DirectRunner"
    check_runner(options)
    if is_local(options):
        _direct(options, beam_args)
    elif runner_key(options) == "prism":
        _prism(options, beam_args)
    elif runner_key(options) in JOB_SERVER_RUNNERS:
        _job_server(options, runner_key(options))
    return options


def _direct(options: PipelineOptions, beam_args: list[str]) -> None:
    direct = options.view_as(DirectOptions)
    if not _given("--direct_running_mode", beam_args):
        direct.direct_running_mode = "in_memory"
    if direct.direct_running_mode == "multi_threading":
        raise RunnerOptionError(
            "--direct_running_mode=multi_threading loses records on GroupByKey in Beam 2.77; "
            "use in_memory or multi_processing"
        )
    if not _given("--default_sdk_harness_log_level", beam_args):
        # multi_processing workers otherwise log every channel they open at INFO.
        options.view_as(WorkerOptions).default_sdk_harness_log_level = "WARNING"
    if not _given("--allow_unsafe_triggers", beam_args):
        # Beam 2.77's DirectRunner first tries Prism, downloading it from GitHub (and keeping that
        # failed job server for every later PrismRunner run in the process); this flag is the one
        # switch that skips the attempt. It only relaxes a check on triggers, which this pipeline
        # (global windows, default trigger) does not use.
        options.view_as(TypeOptions).allow_unsafe_triggers = True


def _prism(options: PipelineOptions, beam_args: list[str]) -> None:
    prism = options.view_as(PrismRunnerOptions)
    if not _given("--prism_log_level", beam_args):
        prism.prism_log_level = "warn"  # its INFO lines (endpoints, job done) are noise in our summary
    # Beam keeps one Prism server per process, started with the first run's options: a plain
    # DirectRunner run elsewhere in the process (a TestPipeline) leaves one that downloads.
    options.view_as(DebugOptions).add_experiment("disable_prism_server_singleton")
    if prism.prism_location or options.view_as(PortableOptions).job_endpoint:
        return
    binary = engines.cached("prism")
    if binary is None:
        raise RunnerOptionError(
            f"PrismRunner needs the Prism binary for Beam {engines.beam_version()}, which is not cached in "
            f"{engines.cache_dir()}: run `curation engines fetch prism` (builds it with Go), or pass "
            "--prism_location=PATH"
        )
    prism.prism_location = str(binary)


def _job_server(options: PipelineOptions, engine: str) -> None:
    """Flink and Spark translate the pipeline in Beam's Java job server: a jar given, cached, or a
    running job server (`--job_endpoint`). `--flink_master` alone is not enough: it names the
    Flink cluster, and the job server that submits to it still needs the jar."""
    flag = f"{engine}_job_server_jar"
    engine_options = options.view_as(FlinkRunnerOptions if engine == "flink" else SparkRunnerOptions)
    if getattr(engine_options, flag) or options.view_as(PortableOptions).job_endpoint:
        return
    flink_version = getattr(engine_options, "flink_version", engines.FLINK_VERSION)
    jar = engines.jar_path(engine, flink_version)
    if not jar.is_file():
        pinned = "" if flink_version == engines.FLINK_VERSION else f" (it fetches Flink {engines.FLINK_VERSION}'s)"
        raise RunnerOptionError(
            f"{engine.capitalize()}Runner needs Beam's job server jar {jar.name}, which is not cached in "
            f"{jar.parent}: run `curation engines fetch {engine}`{pinned}, or pass --{flag}=PATH "
            "or --job_endpoint=HOST:PORT of a running job server"
        )
    setattr(engine_options, flag, str(jar))


def _given(flag: str, beam_args: list[str]) -> bool:
    return any(arg == flag or arg.startswith(f"{flag}=") for arg in beam_args)


def runner_key(options: PipelineOptions) -> str:
    """The runner as Beam matches it: lower case, no module path, no `Runner` suffix ('' if not named)."""
    runner = options.view_as(StandardOptions).runner
    if not isinstance(runner, str):
        runner = type(runner).__name__ if runner is not None else ""
    return runner.rsplit(".", 1)[-1].lower().removesuffix("runner")


def is_local(options: PipelineOptions) -> bool:
    """One of the DirectRunner's modes (the FnApiRunner in memory or in worker processes)."""
    return runner_key(options) in LOCAL_RUNNERS


def on_one_machine(options: PipelineOptions) -> bool:
    """The DirectRunner or Prism: workers on this machine, reading and writing its files, and no
    retry of a failed bundle, so `--attempts` and the progress bar apply."""
    return runner_key(options) in ONE_MACHINE_RUNNERS


def engine_identity(options: PipelineOptions) -> dict[str, str]:
    """What the manifest records of the engine: the runner, Beam's version, the engine's own."""
    key = runner_key(options)
    identity = {"runner": _runner_name(options), "beam": engines.beam_version()}
    if is_local(options):
        identity["direct_running_mode"] = options.view_as(DirectOptions).direct_running_mode
    elif key == "prism":
        location = options.view_as(PrismRunnerOptions).prism_location
        if location:
            identity["prism"] = engines.prism_version(location) or "unknown"
        else:
            identity["job_endpoint"] = str(options.view_as(PortableOptions).job_endpoint)
    elif key == "flink":
        identity["flink"] = options.view_as(FlinkRunnerOptions).flink_version
    elif key == "spark":
        identity["spark"] = options.view_as(SparkRunnerOptions).spark_version
    return identity


def _runner_name(options: PipelineOptions) -> str:
    """Beam's own spelling of the runner (`prism` -> `PrismRunner`), else the name as given."""
    key = runner_key(options)
    for path in StandardOptions.ALL_KNOWN_RUNNERS:
        name = path.rsplit(".", 1)[-1]
        if name.lower().removesuffix("runner") == key:
            return name
    runner = options.view_as(StandardOptions).runner
    return runner if isinstance(runner, str) else type(runner).__name__

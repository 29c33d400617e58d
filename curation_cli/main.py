"""The `curation` command line: `run`, `synth`, `verify`, `stats`, `scrub`, `engines`."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from curation import interrupts

if TYPE_CHECKING:
    from rich.console import Console

from curation_cli.exit_codes import EXIT_FAILED, EXIT_INPUT, EXIT_INTERRUPTED, EXIT_INVARIANT, EXIT_USAGE


def _run_parser(commands) -> None:
    run = commands.add_parser(
        "run",
        help="run the curation pipeline described by a config",
        description="Build the pipeline from a YAML config and run it with Apache Beam (the local "
        "DirectRunner unless --runner says otherwise). Beam's own flags go to its PipelineOptions, e.g. "
        "--runner, --direct_running_mode=multi_processing, --direct_num_workers=0, Dataflow or Flink "
        "flags; a flag neither knows, or an unknown runner, is refused before anything starts (exit 2). "
        "--runner PrismRunner, FlinkRunner and SparkRunner use what `curation engines fetch` cached. "
        "Exit codes: 0 done, 1 the pipeline failed, 2 a bad flag or config, 3 the input (missing, "
        "unreadable, or nearly all rejected), 4 documents unaccounted for, 130 interrupted.",
    )
    run.add_argument("--config", required=True, help="YAML config file (see configs/)")
    run.add_argument("--input", nargs="+", metavar="PATH", help="input files or globs; replaces input.paths")
    run.add_argument("--output", metavar="DIR", help="output directory; replaces output.path")
    run.add_argument("--overwrite", action="store_true", help="replace whatever the output directory holds")
    run.add_argument(
        "--accept-rejected",
        action="store_true",
        help="write the output even when nearly all input records are rejected (by default a run that "
        "rejects more than input.max_rejected_share of its records, 0.9, fails with exit 3 and the commonest errors)",
    )
    run.add_argument(
        "--quiet",
        action="store_true",
        help="no progress and no summary (without it: a live table of the stages on a terminal, "
        "a plain progress line every 30 s otherwise)",
    )
    run.add_argument(
        "--metrics",
        metavar="FILE",
        help="write the run's metrics as JSON: wall seconds, documents, counters, the engine and, where the "
        "runner reports them (DirectRunner, Prism), processing seconds per stage",
    )
    run.add_argument(
        "--attempts",
        type=int,
        default=1,
        metavar="N",
        help="run a failed pipeline again, up to N attempts in all (default 1); the DirectRunner and Prism do "
        "not retry a failed bundle or restart a killed worker, cluster runners retry bundles themselves",
    )


def _synth_parser(commands) -> None:
    synth = commands.add_parser(
        "synth",
        help="write a synthetic web corpus (JSON Lines)",
        description="Write a deterministic synthetic web corpus: several languages, many domains, exact "
        "and near duplicates, boilerplate and junk, planted personal data and people-search sites.",
    )
    synth.add_argument("--docs", type=int, required=True, help="number of documents")
    synth.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    synth.add_argument("--out", required=True, help="output file (.jsonl or .jsonl.gz)")


def _verify_parser(commands) -> None:
    verify = commands.add_parser(
        "verify",
        help="check an output against its manifest",
        description="Recompute every shard's sha256, size, rows and tokens, the totals, the drop ledger and "
        "rejected counts, and compare them with manifest.json. Exits 1 and names each mismatch.",
    )
    verify.add_argument("output", help="output directory of a run")


def _engines_parser(commands) -> None:
    from curation.engines import ENGINES

    engines = commands.add_parser(
        "engines",
        help="fetch and list the engines beyond Beam's Python runners (Prism, Flink, Spark)",
        description="Fetch what --runner PrismRunner, FlinkRunner and SparkRunner need into a cache "
        "($CURATION_ENGINES_DIR, else ~/.cache/curation/engines): Prism is built with `go install`, the "
        "Flink and Spark job-server jars come from Maven with `mvn dependency:copy`. Runs never download.",
    )
    actions = engines.add_subparsers(dest="action", required=True)
    fetch = actions.add_parser("fetch", help="fetch engines into the cache (all when none is named)")
    fetch.add_argument("engine", nargs="*", metavar="ENGINE", help=f"any of {', '.join(ENGINES)} (default: all)")
    actions.add_parser("list", help="what is cached, where, and which version")


def _version() -> str:
    """The installed distribution's version, with Beam's."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        ours = version("curation")
    except PackageNotFoundError:
        ours = "unknown (not installed)"
    try:
        beam = version("apache-beam")
    except PackageNotFoundError:
        beam = "not installed"
    return f"{ours} (Apache Beam {beam})"


def build_parser() -> argparse.ArgumentParser:
    from curation_cli.scrub import add_scrub_parser
    from curation_cli.stats import add_stats_parser

    parser = argparse.ArgumentParser(prog="curation", description="Turn raw web corpora into pretraining data.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    commands = parser.add_subparsers(dest="command", required=True)
    _run_parser(commands)
    _synth_parser(commands)
    _verify_parser(commands)
    _engines_parser(commands)
    add_stats_parser(commands)
    add_scrub_parser(commands)
    return parser


def _fail(code: int, message: str) -> int:
    print(f"error: {' '.join(message.split())}", file=sys.stderr)
    return code


class _QuietBeam(logging.Filter):
    """Beam logs a warning about optional GCP clients at import, one each time it starts or stops
    a job server (Prism's), one about flags its workers pass among themselves, and the traceback
    of a bad record under `input.fail_fast`, which `curation run` reports in one line itself."""

    NOISE = (
        "apitools not found",
        "Really starting service at",
        "Really destroying service at",
        "Discarding unparseable args",  # `run` refuses unknown flags itself; the rest are Beam's own
        "InputRecordError",  # a worker's report of a fail_fast record, with its traceback
        "No semi_persistent_directory found",  # every multi_processing worker's, forwarded
    )

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and record.exc_info[0] is not None and record.exc_info[0].__name__ == "InputRecordError":
            return False
        return not any(noise in record.getMessage() for noise in self.NOISE)

    @classmethod
    def install(cls) -> None:
        logging.basicConfig(format=logging.BASIC_FORMAT)  # the handler Beam would add, with the filter on it
        quiet = cls()
        for name in ("", "apache_beam.utils.subprocess_server", "apache_beam.runners.common"):
            logging.getLogger(name).addFilter(quiet)
        for handler in logging.getLogger().handlers:
            handler.addFilter(quiet)


def _command_run(args, beam_args: list[str], err: Console) -> int:
    from curation.config import ConfigError, load_config
    from curation.finish import RejectedInputError
    from curation.io.sources import InputError
    from curation.manifest import InvariantError
    from curation.outputs import OutputError
    from curation.tokens import TokenizerError

    if args.attempts < 1:
        return _fail(EXIT_USAGE, "--attempts must be at least 1")
    _QuietBeam.install()
    problem = _unknown_run_argument(beam_args)
    if problem:
        return _fail(EXIT_USAGE, problem)
    try:
        config = load_config(args.config)
        if args.input:  # the files given replace the config's input, synthetic or not
            config.input = config.input.model_copy(update={"paths": args.input, "synthetic": None})
        if args.output:
            config.output.path = args.output
        if args.overwrite:
            config.output.overwrite = True
        if args.accept_rejected:
            config.input.max_rejected_share = 1.0
    except ConfigError as error:
        return _fail(EXIT_USAGE, str(error))
    from beam_jobs.launch import StageConfigError, error_line, execute, input_record_error, plan
    from beam_jobs.options import RunnerOptionError, pipeline_options

    try:
        pipeline_options(beam_args)  # a runner that cannot start fails before the output is touched
        tasks, layout = plan(config, args.config)
    except RunnerOptionError as error:
        return _fail(EXIT_USAGE, str(error))
    except StageConfigError as error:
        return _fail(EXIT_USAGE, f"{args.config}: {error}")
    except InputError as error:
        return _fail(EXIT_INPUT, str(error))
    except (TokenizerError, OutputError) as error:
        return _fail(EXIT_USAGE, str(error))
    try:
        outcome = _execute_with_progress(
            execute, config, tasks, layout, beam_args, err, quiet=args.quiet, attempts=args.attempts
        )
    except RunnerOptionError as error:
        return _fail(EXIT_USAGE, str(error))
    except InvariantError as error:
        return _fail(EXIT_INVARIANT, str(error))
    except RejectedInputError as error:
        return _fail(EXIT_INPUT, str(error))
    except Exception as error:
        interrupts.check()  # an interrupt a library rewrapped is reported as one
        logging.getLogger(__name__).debug("pipeline failed", exc_info=True)
        bad_record = input_record_error(error)
        if bad_record:
            return _fail(EXIT_INPUT, f"{bad_record} (input.fail_fast stops at the first bad record)")
        return _fail(EXIT_FAILED, f"pipeline failed: {error_line(error)}")
    if args.metrics:
        try:
            _write_metrics(args.metrics, outcome)
        except OSError as error:  # the output is complete; only the report is missing
            err.print(f"warning: cannot write --metrics {args.metrics} ({error.strerror or type(error).__name__})")
    if not args.quiet:
        from rich.console import Console

        from curation.summary import print_summary

        print_summary(
            outcome.manifest,
            outcome.manifest_path,
            outcome.seconds,
            outcome.input_bytes,
            Console(),
            outcome.stage_seconds,
            generated=config.input.synthetic is not None,
        )
    return 0


def _unknown_run_argument(beam_args: list[str]) -> str | None:
    """What is wrong with the first argument neither `curation run` nor Beam knows, if any (Beam
    would only log it and run without it)."""
    from beam_jobs.options import beam_flags, suggest, unknown_flags

    unknown = unknown_flags(beam_args)
    if not unknown:
        return None
    argument = unknown[0]
    if not argument.startswith("-"):
        return f"unexpected argument {argument!r}: `curation run` takes flags only (inputs go after --input)"
    name = argument.split("=", 1)[0]
    return f"unknown flag {name}{suggest(name, _run_flags() + beam_flags())} (see curation run --help)"


def _run_flags() -> list[str]:
    """The flags `curation run` itself defines."""
    commands = argparse.ArgumentParser().add_subparsers()
    _run_parser(commands)
    return [flag for action in commands.choices["run"]._actions for flag in action.option_strings]


def _write_metrics(path: str, outcome) -> None:
    import json

    metrics = {
        "wall_seconds": round(outcome.seconds, 3),
        "input_documents": outcome.manifest.input_documents,
        "output_documents": outcome.manifest.output_documents,
        "input_bytes": outcome.input_bytes,
        "stage_seconds": {stage: round(spent, 3) for stage, spent in outcome.stage_seconds.items()},
        "counters": outcome.counters,
        "engine": outcome.manifest.engine,
    }
    Path(path).write_text(json.dumps(metrics, indent=2) + "\n", encoding="utf-8")


def _execute_with_progress(execute, config, tasks, layout, beam_args, console: Console, quiet: bool, attempts: int):
    if quiet:
        return execute(config, tasks, layout, beam_args, attempts=attempts)
    from curation_cli.progress import ProgressDisplay

    display = ProgressDisplay(console)
    with display.shown():
        return execute(config, tasks, layout, beam_args, on_progress=display, attempts=attempts)


def _command_synth(args, err: Console) -> int:
    from rich.console import Console

    from curation.synth import write_corpus

    if args.docs <= 0:
        return _fail(EXIT_USAGE, "--docs must be positive")
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    count = write_corpus(args.out, args.docs, args.seed)
    Console().print(f"wrote {count:,} documents to {args.out}")
    return 0


def _command_verify(args) -> int:
    from curation.verify import verify_output

    problems = verify_output(args.output)
    for problem in problems:
        print(f"mismatch: {problem}", file=sys.stderr)
    if problems:
        count = f"{len(problems)} mismatch{'es' if len(problems) > 1 else ''}"
        return _fail(EXIT_FAILED, f"{args.output} does not match its manifest ({count}, listed above)")
    print(f"ok: {args.output} matches its manifest")
    return 0


def _command_engines(args) -> int:
    from curation import engines

    if args.action == "list":
        for status in engines.list_engines():
            state = "cached" if status.cached else "missing"
            print(f"{status.engine:6} {state:8} {status.version:40} {status.path}")
        return 0
    unknown = [name for name in args.engine if name not in engines.ENGINES]
    if unknown:
        return _fail(EXIT_USAGE, f"unknown engine {unknown[0]!r}; choose from {', '.join(engines.ENGINES)}")
    code = 0
    for name in dict.fromkeys(args.engine or engines.ENGINES):
        if engines.cached(name):
            print(f"{name}: already cached: {engines.cached(name)}")
            continue
        how = "go install, minutes on a cold cache" if name == "prism" else "mvn dependency:copy"
        print(f"{name}: fetching {engines.engine_version(name)} into {engines.cache_dir()} ({how}) ...", flush=True)
        try:
            path, _ = engines.fetch(name)
        except engines.EngineError as error:
            code = _fail(EXIT_FAILED, f"{name}: {error}")
            continue
        print(f"{name}: fetched: {path}")
    return code


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `curation` console script; an interrupt ends it with one `error:` line."""
    with interrupts.handle_interrupts():
        try:
            code = _dispatch(argv)
            interrupts.check()  # a signal whose exception a library swallowed still fails the command
        except KeyboardInterrupt:
            return _fail(EXIT_INTERRUPTED, interrupts.message())
        except Exception:
            if interrupts.received():  # a library rewrapped the interrupt
                return _fail(EXIT_INTERRUPTED, interrupts.message())
            raise
    return code


def _dispatch(argv: list[str] | None) -> int:
    from rich.console import Console

    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    err = Console(stderr=True)
    if args.command == "run":
        return _command_run(args, extra, err)
    if extra:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    if args.command == "verify":
        return _command_verify(args)
    if args.command == "engines":
        return _command_engines(args)
    if args.command == "stats":
        from curation_cli.stats import run_stats

        return run_stats(args)
    if args.command == "scrub":
        from curation_cli.scrub import run_scrub

        return run_scrub(args)
    return _command_synth(args, err)


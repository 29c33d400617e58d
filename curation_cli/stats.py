"""`curation stats`: argument parsing and running the command."""

from __future__ import annotations

import argparse
import glob
import json
import os
import sys
from contextlib import contextmanager
from typing import Any

from rich.console import Console

from curation.stats.inputs import Corpus, StatsInputError, open_corpus
from curation_cli.exit_codes import EXIT_INPUT, EXIT_USAGE

DESCRIPTION = """\
Show what is in a corpus: documents, tokens and bytes; languages; top domains by documents and
tokens; length distributions (characters, words, tokens); personal data redacted by type; the drop
funnel by stage and reason; duplicate cluster sizes; the most PII-dense domains. With --safety, the
pretraining-data safety analysis of Llama 2 (section 4.1): pronoun and identity-term shares, the
toxicity distribution and most toxic document ids, language shares, personal data per 1,000 words.

PATH is an output directory of `curation run` (shards, manifest, ledger, duplicates, PII
domains), Parquet files, globs or folders with a `text` column, or raw input (JSON Lines, WARC,
WET: files, globs, or folders of them, names starting with '.' or '_' skipped) read as the
pipeline reads it. Reading streams batch by batch, so corpora larger than memory
work. Tables go to the terminal; --json, --html and --card write machine, browser and dataset-card
forms. Exit codes: 0 success, 2 bad arguments or unreadable input, 3 input not found."""

EPILOG = """\
examples:
  curation stats out/quickstart
  curation stats out/quickstart --json stats.json --html report.html --card out/quickstart/README.md
  curation stats 'crawl/*.jsonl.gz' --count-tokens --sample 3 --seed 7
  curation stats --compare out/run-a out/run-b --html compare.html
  curation stats crawl/ --safety --lid-threshold 0.65
  curation stats --safety --compare crawl/ out/quickstart"""


def add_stats_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add the `stats` subcommand and its options to a `add_subparsers()` object."""
    stats = subparsers.add_parser(
        "stats",
        help="statistics of a corpus: tables, JSON, an HTML report, a dataset card",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    stats.add_argument("paths", nargs="*", metavar="PATH", help="output directory, Parquet files/globs, or raw input")
    stats.add_argument(
        "--json",
        nargs="?",
        const="-",
        metavar="FILE",
        help="write the statistics as JSON to FILE, or to standard output with '-' or no FILE (then no tables). "
        "Put PATH first: a bare --json takes the next word as FILE, unless that word names input (a directory, "
        "a matching glob, a data file), which is then read as PATH",
    )
    stats.add_argument("--html", metavar="FILE", help="write a self-contained HTML report with plots")
    stats.add_argument("--sample", type=int, default=0, metavar="N", help="show N documents chosen at random")
    stats.add_argument("--seed", type=int, default=0, help="random seed of --sample (default 0)")
    stats.add_argument("--compare", nargs=2, metavar=("A", "B"), help="show two corpora's statistics side by side")
    stats.add_argument("--card", metavar="FILE", help="write a Hugging Face dataset card (needs an output directory)")
    stats.add_argument(
        "--top",
        type=int,
        metavar="N",
        help="rows in top-domain lists (default 20) and identity terms per axis with --safety (default 10)",
    )
    stats.add_argument(
        "--safety",
        action="store_true",
        help="add the safety section (Llama 2, section 4.1): pronouns, identity terms, toxicity, languages, "
        "personal data; scores every document's toxicity (slower)",
    )
    stats.add_argument(
        "--lid-threshold",
        type=float,
        default=0.5,
        metavar="SCORE",
        help="with --safety: language score below which a document counts as 'unknown' (default 0.5)",
    )
    stats.add_argument(
        "--count-tokens",
        nargs="?",
        const="o200k_base",
        metavar="TOKENIZER",
        help="count tokens of texts without a token_count column (slow; default tokenizer o200k_base)",
    )
    stats.add_argument("--text-key", default="text", metavar="NAME", help="name of the text field (default text)")
    stats.add_argument("--quiet", action="store_true", help="no progress bar")
    return stats


def _fail(code: int, message: str) -> int:
    print(f"error: {' '.join(message.split())}", file=sys.stderr)
    return code


def _stats_document_or_empty(path: str) -> bool:
    """Whether a file is empty or starts as a `curation stats --json` document does."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(256)
    except OSError:
        return True  # unreadable: writing it will say why
    return not head.strip() or (head.lstrip().startswith(b"{") and b'"schema_version"' in head)


def _names_input(word: str) -> bool:
    """Whether a word names input rather than a file to write JSON to: an existing directory, a
    glob that matches files, or an existing file in a data format (Parquet, JSON Lines, WARC, ...,
    compressed or not); an existing `.json` file is input unless it is empty or a statistics
    document (a previous `--json` to overwrite)."""
    if os.path.isdir(word):
        return True
    if glob.has_magic(word):
        return bool(glob.glob(word, recursive=True))
    if not os.path.isfile(word):
        return False
    if word.lower().endswith(".json") and _stats_document_or_empty(word):
        return False
    from curation.io.readers import detect_format

    try:
        detect_format(word)
    except ValueError:
        return False
    return True


def _json_took_path(args: argparse.Namespace) -> str | None:
    """Undo a bare `--json` taking PATH as its FILE (`curation stats --json out/web`).

    argparse gives `--json` the next word; when that word names input, it is read as the first
    PATH and the JSON goes to standard output. Returns a problem when it cannot be undone, or
    when no PATH is left and the word after `--json` was taken as the file to write.
    """
    word = args.json
    if word in (None, "-"):
        return None
    how = "put PATH first: `curation stats PATH --json` (standard output) or `curation stats PATH --json FILE`"
    if _names_input(word):
        if args.compare:
            return f"--json FILE: {word} is input, not a file to write the JSON to (a bare --json writes to stdout)"
        args.paths, args.json = [word, *args.paths], "-"
        if not args.quiet:
            print(f"note: reading {word} as PATH and writing the JSON to standard output", file=sys.stderr)
        return None
    if not args.paths and not args.compare:
        return f"no PATH given: --json took '{word}' as the file to write the JSON to; {how}"
    return None


def _usage_problem(args: argparse.Namespace) -> str | None:
    problem = _json_took_path(args)
    if problem:
        return problem
    if args.compare and args.paths:
        return "give either PATH... or --compare A B, not both"
    if not args.compare and not args.paths:
        return "give a PATH to describe (an output directory, Parquet files or raw input) or --compare A B"
    if args.sample < 0 or (args.top is not None and args.top <= 0):
        return "--sample must be >= 0 and --top > 0"
    if not 0.0 <= args.lid_threshold <= 1.0:
        return "--lid-threshold must be between 0 and 1"
    if args.card and args.compare:
        return "--card describes one output directory; it cannot be combined with --compare"
    return None


@contextmanager
def _progress(quiet: bool):
    if quiet:
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TimeElapsedColumn

    columns = (SpinnerColumn(), "{task.description}", BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
        yield progress


def _scan(corpus: Corpus, args: argparse.Namespace, progress: Any) -> dict:
    from curation.stats.scan import ScanOptions, compute_stats

    options = ScanOptions(
        top=args.top or 20,
        count_tokens=args.count_tokens,
        sample=args.sample,
        seed=args.seed,
        safety=args.safety,
        lid_threshold=args.lid_threshold,
        identity_top=args.top or 10,
    )
    return compute_stats(corpus, options, progress)


def _card_problem(corpus: Corpus) -> str | None:
    if corpus.kind != "output":
        return "--card needs an output directory of `curation run` (with manifest.json)"
    if corpus.manifest is None:
        return "--card needs the output's manifest.json (the run did not complete)"
    return None


def _write_text(path: str, text: str) -> None:
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)


def _json_document(results: list[tuple[str, dict]]) -> dict:
    if len(results) == 1:
        return results[0][1]
    (name_a, a), (name_b, b) = results
    from curation.stats.scan import SCHEMA_VERSION

    document = {"schema_version": SCHEMA_VERSION, "compare": {"a": a, "b": b}, "names": [name_a, name_b]}
    if a.get("safety") and b.get("safety"):
        from curation.stats.safety import safety_shift

        document["safety_shift"] = safety_shift(a["safety"], b["safety"])
    return document


def _emit(args: argparse.Namespace, results: list[tuple[str, dict]], console: Console) -> None:
    from curation.stats import report

    json_to_stdout = args.json == "-"
    if args.json:
        text = json.dumps(_json_document(results), indent=2, ensure_ascii=False, allow_nan=False) + "\n"
        if json_to_stdout:
            sys.stdout.write(text)
        else:
            _write_text(args.json, text)
    if not json_to_stdout:
        if len(results) == 1:
            report.print_report(results[0][1], console)
        else:
            report.print_comparison(results[0][1], results[1][1], (results[0][0], results[1][0]), console)
        for name, stats in results:
            if stats.get("sample"):
                console.print(f"[bold]Sample of {name}[/] (seed {args.seed})")
                report.print_sample(stats["sample"], console)
    if args.html:
        from curation.stats.html import render_html

        _write_text(args.html, render_html(results))
    if args.card:
        from curation.stats.card import render_card

        _write_text(args.card, render_card(results[0][1]))
    for kind, path in (("JSON", args.json), ("HTML report", args.html), ("dataset card", args.card)):
        if path and path != "-":
            Console(stderr=True).print(f"wrote {kind}: {path}")


def run_stats(args: argparse.Namespace) -> int:
    """Run `curation stats` with parsed arguments; returns the exit code."""
    problem = _usage_problem(args)
    if problem:
        return _fail(EXIT_USAGE, problem)
    targets = [[path] for path in args.compare] if args.compare else [args.paths]
    try:
        corpora = [open_corpus(paths, text_key=args.text_key) for paths in targets]
        problem = _card_problem(corpora[0]) if args.card else None
        if problem:
            return _fail(EXIT_USAGE, problem)
        with _progress(args.quiet) as progress:
            names = [" ".join(paths) for paths in targets]
            results = [(name, _scan(corpus, args, progress)) for name, corpus in zip(names, corpora, strict=True)]
    except StatsInputError as error:
        code = EXIT_INPUT if str(error).startswith("input not found") else EXIT_USAGE
        return _fail(code, str(error))
    except RuntimeError as error:  # the toxicity classifier is missing (ToxicityModelError)
        if type(error).__name__ != "ToxicityModelError":
            raise
        return _fail(EXIT_USAGE, str(error))
    try:
        _emit(args, results, Console())
    except OSError as error:
        return _fail(EXIT_USAGE, f"cannot write output: {error.strerror or type(error).__name__}")
    return 0

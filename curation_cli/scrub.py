"""`curation scrub`: anonymize text from standard input or files with the pipeline's PII engine and config."""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from typing import TextIO

from curation.config import ConfigError, PiiConfig, load_config
from curation_cli.exit_codes import EXIT_INPUT, EXIT_OK, EXIT_USAGE


def add_scrub_parser(subparsers) -> argparse.ArgumentParser:
    """Register `scrub` on an `argparse` subparsers object; returns the new parser."""
    parser = subparsers.add_parser(
        "scrub",
        help="anonymize personal data in text from stdin or files",
        description="Detect personal data and anonymize it, with the same engine and config as `curation run`. "
        "Reads standard input when no file is given; writes to standard output.",
    )
    parser.add_argument("files", nargs="*", help="text or JSON Lines files ('-' is standard input)")
    parser.add_argument("--config", help="pipeline config whose `pii` section is used")
    parser.add_argument("--jsonl", action="store_true", help="input is JSON Lines: anonymize one field per record")
    parser.add_argument("--text-key", default="text", help="the field to anonymize with --jsonl (default: text)")
    parser.add_argument("--ner", action="store_true", help="also detect names and places (spaCy NER tier)")
    parser.add_argument("--entities", help="comma-separated entity types to detect (default: the config's)")
    parser.add_argument("--threshold", type=float, help="minimum score of a span (default: the config's)")
    parser.add_argument("--report", action="store_true", help="print anonymized spans per entity type to stderr")
    parser.set_defaults(handler=run_scrub)
    return parser


def _pii_config(args: argparse.Namespace) -> PiiConfig:
    config = load_config(args.config).pii if args.config else PiiConfig()
    updates: dict[str, object] = {}
    if args.ner:
        updates["ner"] = True
    if args.entities:
        updates["entities"] = [e.strip() for e in args.entities.split(",") if e.strip()]
    if args.threshold is not None:
        updates["score_threshold"] = args.threshold
    return PiiConfig.model_validate(config.model_dump() | updates)


def _scrub_jsonl(engine, source: TextIO, name: str, key: str, out: TextIO, totals: Counter) -> None:
    for number, line in enumerate(source, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            raise ValueError(f"{name}:{number}: not a JSON object") from None
        if not isinstance(record, dict) or not isinstance(record.get(key), str):
            raise ValueError(f"{name}:{number}: no string field '{key}'")
        record[key], counts = engine.scrub(record[key])
        totals.update(counts)
        out.write(json.dumps(record, ensure_ascii=False) + "\n")


def _scrub_text(engine, source: TextIO, out: TextIO, totals: Counter) -> None:
    text, counts = engine.scrub(source.read())
    totals.update(counts)
    out.write(text)


def run_scrub(args: argparse.Namespace, stdout: TextIO | None = None, stdin: TextIO | None = None) -> int:
    """Run `curation scrub`; returns the exit code (0 done, 2 bad config or key, 3 missing input)."""
    from curation.pii import PiiEngine, check_pii_config

    stdout, stdin = stdout or sys.stdout, stdin or sys.stdin
    try:
        config = _pii_config(args)
        check_pii_config(config)
        engine = PiiEngine(config)
    except (ConfigError, ValueError, RuntimeError) as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_USAGE
    files = args.files or ["-"]
    missing = [f for f in files if f != "-" and not _readable(f)]
    if missing:
        print(f"error: cannot read input {missing[0]}", file=sys.stderr)
        return EXIT_INPUT
    totals: Counter = Counter()
    try:
        for name in files:
            source = stdin if name == "-" else open(name, encoding="utf-8", errors="replace")  # noqa: SIM115
            try:
                if args.jsonl:
                    _scrub_jsonl(engine, source, name, args.text_key, stdout, totals)
                else:
                    _scrub_text(engine, source, stdout, totals)
            finally:
                if source is not stdin:
                    source.close()
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_INPUT
    if args.report:
        summary = ", ".join(f"{entity} {count}" for entity, count in sorted(totals.items())) or "nothing"
        print(f"anonymized: {summary}", file=sys.stderr)
    return EXIT_OK


def _readable(path: str) -> bool:
    try:
        with open(path, "rb"):
            return True
    except OSError:
        return False

"""`curation scrub`: anonymize text from standard input or files with the pipeline's PII engine and config."""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from typing import TextIO

from curation.config import ConfigError, PiiConfig, load_config
from curation_cli.exit_codes import EXIT_INPUT, EXIT_OK, EXIT_USAGE

NER_NAMES = ("PERSON", "LOCATION")
"""What `--ner` detects and, unless the config says otherwise, replaces."""


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
    parser.add_argument(
        "--ner",
        action="store_true",
        help="also detect names and places (spaCy NER tier) and replace them with <PERSON> and <LOCATION>, "
        "unless the config has operators of its own for PERSON or LOCATION",
    )
    parser.add_argument(
        "--language",
        help="language code of the input (e.g. fr): picks the NER model from pii.ner_models (default: unknown, "
        "the pii.ner_model one)",
    )
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
    merged = PiiConfig.model_validate(config.model_dump() | updates)
    if not args.ner:
        return merged
    # Names are anonymized only under an operator of their own: --ner asks for them to be.
    operators = merged.model_dump()["operators"]
    for entity in _ner_entities(merged):
        operators.setdefault(entity, {"type": "replace"})
    return PiiConfig.model_validate(merged.model_dump() | {"operators": operators})


def _ner_entities(config: PiiConfig) -> list[str]:
    """PERSON and LOCATION, as far as a run with `config` detects them (as the engine decides: all
    of them unless the entity list names an NER entity of its own)."""
    from curation.pii.anonymize import NER_CAPABLE

    if config.entities is None or not NER_CAPABLE & set(config.entities):
        return list(NER_NAMES)
    return [entity for entity in NER_NAMES if entity in config.entities]


def _scrub_jsonl(
    engine, source: TextIO, name: str, key: str, out: TextIO, totals: Counter, language: str | None = None
) -> None:
    for number, line in enumerate(source, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            raise ValueError(f"{name}:{number}: not a JSON object") from None
        if not isinstance(record, dict) or not isinstance(record.get(key), str):
            raise ValueError(f"{name}:{number}: no string field '{key}'")
        record[key], counts = engine.scrub(record[key], language)
        totals.update(counts)
        out.write(json.dumps(record, ensure_ascii=False) + "\n")


def _scrub_text(engine, source: TextIO, out: TextIO, totals: Counter, language: str | None = None) -> None:
    text, counts = engine.scrub(source.read(), language)
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
                    _scrub_jsonl(engine, source, name, args.text_key, stdout, totals, args.language)
                else:
                    _scrub_text(engine, source, stdout, totals, args.language)
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

"""`curation scrub`: anonymize text from standard input or files with the pipeline's PII engine and config.

What is anonymized, and how, is the config's `pii` section with the flags over it: `--entities`,
`--ner` and `--threshold` choose what is detected, `--operator` how each entity type is anonymized
(validated by the config's own operator models, so a bad flag is the config's one-line error).
Names and places are anonymized when a flag asks for them (`--ner`, or `--entities` naming
them): with their own operator if the config or a flag gives one, else as the pattern entities
are (the `DEFAULT` operator, else ``<ENTITY_TYPE>``). What is detected but left as is (an
operator `keep`, or a config's NER entity without an operator) is said on stderr, as counts only.
"""

from __future__ import annotations

import argparse
import contextlib
import difflib
import io
import json
import os
import re
import sys
import textwrap
from collections import Counter
from typing import Any, TextIO

from curation.config import (
    DEFAULT_OPERATOR_KEY,
    OPERATOR_TYPES,
    ConfigError,
    KeepOperator,
    PiiConfig,
    load_config,
    parse_config,
)
from curation_cli.exit_codes import EXIT_INPUT, EXIT_OK, EXIT_USAGE

NER_TYPES = ("PERSON", "LOCATION", "NRP", "ORGANIZATION", "DATE_TIME")
"""Entity types the NER tier can produce (as `curation.pii.anonymize.NER_CAPABLE`; named here for --help)."""
_OPERATOR_SHAPE = "ENTITY=TYPE[,PARAM=VALUE...]"
_SECRET_PARAMETERS = frozenset({"salt"})

_DESCRIPTION = (
    "Detect personal data and anonymize it, with the same engine and config as `curation run`. "
    "Reads standard input when no file is given; writes to standard output."
)
_HELP_SECTIONS = {
    "what is anonymized by default": [
        "The pattern tier: e-mail addresses, phone numbers, credit cards, IBANs, IP addresses, secrets and "
        "national identifiers, each replaced by <ENTITY_TYPE> (e.g. <EMAIL_ADDRESS>). --ner adds names and "
        "places, replaced by <PERSON> and <LOCATION> the same way; --entities naming an NER type "
        f"({', '.join(NER_TYPES)}) runs the NER tier and anonymizes that type. A config's NER types without an "
        "operator are detected but left as is, as in `curation run`: scrub says so on stderr.",
    ],
    "how to change it": [
        "A config's pii.operators (--config), then --operator flags over it, set how each type is anonymized; "
        "DEFAULT is every pattern type without an operator of its own, and, under --ner or --entities, the NER "
        f"types too. TYPE is one of {', '.join(OPERATOR_TYPES)}, with the parameters of pii.operators: "
        "replace,new_value=TEMPLATE ({entity_type} filled in); mask,masking_char=C,chars_to_mask=N,from_end=true; "
        "hash,hash_type=sha256|sha512; pseudonym,format=TEMPLATE,length=N; keep leaves the type as it is. "
        "Parameter values cannot hold a comma (use a config for those).",
    ],
    "secrets": [
        "hash: the salt is read from the environment variable that --salt-env names (16 characters or more), "
        "never from the command line; without one a fixed salt is used, and hashes of guessable values (e-mail "
        "addresses) can be reversed: prefer pseudonym.",
        "pseudonym: the key comes from the environment variable CURATION_PSEUDONYM_KEY (or --pseudonym-key-env) "
        "or from --pseudonym-key-file, as pii.pseudonym_key_env and pii.pseudonym_key_file; without one, scrub "
        "refuses to start. Neither salt nor key is ever printed.",
    ],
}
_EXAMPLES = (
    "curation scrub --ner notes.txt",
    "curation scrub --ner --operator PERSON=mask --report < in.txt",
    "curation scrub --operator 'DEFAULT=replace,new_value=[{entity_type}]' in.txt",
    "curation scrub --jsonl --config c.yaml --operator EMAIL_ADDRESS=pseudonym in.jsonl",
)


def _fill(text: str, width: int = 79, indent: str = "") -> str:
    return textwrap.fill(text, width, initial_indent=indent, subsequent_indent=indent, break_on_hyphens=False)


def _epilog(width: int = 79) -> str:
    sections = [
        f"{title}:\n" + "\n".join(_fill(p, width, "  ") for p in body) for title, body in _HELP_SECTIONS.items()
    ]
    sections.append("examples:\n" + "\n".join("  " + example for example in _EXAMPLES))
    return "\n\n".join(sections)


def add_scrub_parser(subparsers) -> argparse.ArgumentParser:
    """Register `scrub` on an `argparse` subparsers object; returns the new parser."""
    parser = subparsers.add_parser(
        "scrub",
        help="anonymize personal data in text from stdin or files",
        description=_fill(_DESCRIPTION),
        epilog=_epilog(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("files", nargs="*", help="text or JSON Lines files ('-' is standard input)")
    parser.add_argument("--config", help="pipeline config whose `pii` section is used")
    parser.add_argument("--jsonl", action="store_true", help="input is JSON Lines: anonymize one field per record")
    parser.add_argument("--text-key", default="text", help="the field to anonymize with --jsonl (default: text)")
    parser.add_argument(
        "--ner",
        action="store_true",
        help="also detect names and places (spaCy NER tier) and replace them with <PERSON> and <LOCATION>, "
        "unless an operator for them (in the config or an --operator) or a DEFAULT one says otherwise",
    )
    parser.add_argument(
        "--language",
        help="language code of the input (e.g. fr): picks the NER model from pii.ner_models (default: unknown, "
        "the pii.ner_model one)",
    )
    parser.add_argument(
        "--entities",
        help="comma-separated entity types to detect, instead of the config's (default: the pattern tier's, "
        "plus PERSON and LOCATION with --ner); NER types named here are anonymized as with --ner",
    )
    parser.add_argument("--threshold", type=float, help="minimum score of a span (default: the config's)")
    parser.add_argument(
        "--operator",
        action="append",
        default=[],
        metavar=_OPERATOR_SHAPE,
        help="how ENTITY (or DEFAULT) is anonymized, over the config's operator for it; TYPE one of "
        f"{', '.join(OPERATOR_TYPES)} (e.g. PERSON=mask, EMAIL_ADDRESS=hash, PERSON=replace,new_value=[name]); "
        "repeatable, the last one for an entity wins",
    )
    parser.add_argument(
        "--salt-env",
        metavar="VAR",
        help="environment variable holding the salt (16 characters or more) of every hash operator without one "
        "of its own (default: a fixed salt)",
    )
    parser.add_argument(
        "--pseudonym-key-env",
        metavar="VAR",
        help="environment variable holding the pseudonym key (default: the config's pii.pseudonym_key_env, "
        "CURATION_PSEUDONYM_KEY)",
    )
    parser.add_argument(
        "--pseudonym-key-file", metavar="PATH", help="file holding the pseudonym key, read when the variable is unset"
    )
    parser.add_argument(
        "--report",
        action="store_true",
        help="print to stderr how many spans of each entity type were anonymized, and which were detected but "
        "left as is (counts only)",
    )
    parser.set_defaults(handler=run_scrub)
    return parser


def _validated(data: dict[str, Any], origin: str) -> dict[str, Any]:
    """`data` (a `pii` section) checked by the config's models; a bad value is the config's one-line error."""
    parse_config({"pii": data}, origin)
    return data


def _flag_entities(args: argparse.Namespace) -> list[str]:
    return [e.strip() for e in (args.entities or "").split(",") if e.strip()]


def _parse_operator(flag: str) -> tuple[str, dict[str, str]]:
    """`ENTITY=TYPE[,PARAM=VALUE...]` as an entity and an operator mapping (not yet validated).

    Errors never repeat parameter values: one could be a secret typed where it does not belong.
    """
    entity, equals, rest = flag.partition("=")
    entity = entity.strip()
    if not equals or not entity:
        raise ConfigError(f"--operator: expected {_OPERATOR_SHAPE}, TYPE one of {', '.join(OPERATOR_TYPES)}")
    kind, *parameters = rest.split(",")
    operator = {"type": kind.strip()}
    if not operator["type"]:
        raise ConfigError(f"--operator {entity}: needs a type: one of {', '.join(OPERATOR_TYPES)}")
    for parameter in parameters:
        name, equals, value = parameter.partition("=")
        name = name.strip()
        if not equals or not name:
            raise ConfigError(f"--operator {entity}: each parameter after the type is PARAM=VALUE")
        if name in _SECRET_PARAMETERS:
            raise ConfigError(
                f"--operator {entity}: a {name} is not taken from the command line; put it in an environment "
                "variable and give --salt-env VAR"
            )
        operator[name] = value
    return entity, operator


def _pii_config(args: argparse.Namespace) -> PiiConfig:
    """The config's `pii` section (or the defaults) with the flags over it, validated as the config is."""
    from curation.pii.anonymize import NER_CAPABLE

    data = (load_config(args.config).pii if args.config else PiiConfig()).model_dump()
    if args.ner:
        data["ner"] = True
    if args.entities is not None:
        entities = _flag_entities(args)
        if not entities:
            raise ConfigError("--entities: give at least one entity type")
        data = _validated(data | {"entities": entities}, "--entities")
    if args.threshold is not None:
        data = _validated(data | {"score_threshold": args.threshold}, "--threshold")
    for key in ("pseudonym_key_env", "pseudonym_key_file"):
        if (value := getattr(args, key)) is not None:
            data = _validated(data | {key: value}, "--" + key.replace("_", "-"))
    for flag in args.operator:
        entity, operator = _parse_operator(flag)
        data = _validated(data | {"operators": data["operators"] | {entity: operator}}, "--operator")
    if args.salt_env is not None:
        data = _with_salt(data, args.salt_env)
    # --ner (or --entities naming an NER type) asks for names to be anonymized: those without an operator
    # get the pattern types' default, as the config would give them with an operator of their own.
    if args.ner or NER_CAPABLE & set(_flag_entities(args)):
        operators = dict(data["operators"])
        default = operators.get(DEFAULT_OPERATOR_KEY, {"type": "replace"})
        for entity in _ner_entities(PiiConfig.model_validate(data)):
            if entity not in operators:
                operators[entity] = dict(default)
        data = data | {"operators": operators}
    return parse_config({"pii": data}, "scrub").pii


def _with_salt(data: dict[str, Any], variable: str) -> dict[str, Any]:
    salt = os.environ.get(variable, "")
    if not salt:
        raise ConfigError(f"--salt-env: environment variable {variable} is not set or empty")
    operators = dict(data["operators"])
    unsalted = [k for k, op in operators.items() if op.get("type") == "hash" and op.get("salt") is None]
    if not unsalted:
        raise ConfigError("--salt-env: no hash operator without a salt of its own (give --operator ENTITY=hash)")
    for key in unsalted:
        operators[key] = operators[key] | {"salt": salt}
    return _validated(data | {"operators": operators}, "--salt-env")


def _ner_entities(config: PiiConfig) -> list[str]:
    """The NER types a run with `config` detects (as the engine decides: those the entity list names,
    else PERSON and LOCATION when `ner` is set)."""
    from curation.pii.anonymize import NER_CAPABLE
    from curation.pii.engine import NER_ENTITIES

    if config.entities is not None and NER_CAPABLE & set(config.entities):
        return [entity for entity in dict.fromkeys(config.entities) if entity in NER_CAPABLE]
    return list(NER_ENTITIES) if config.ner else []


_NO_RECOGNIZER = re.compile(r"^pii\.entities: no recognizer for '([^']*)'$")


def _flag_message(message: str, args: argparse.Namespace) -> str:
    """A `check_pii_config` message about something a flag gave, as naming that flag."""
    flagged = {flag.partition("=")[0].strip() for flag in args.operator}
    for key in flagged:
        prefix = f"pii.operators.{key}: "
        if message.startswith(prefix):
            message = "--operator " + message.removeprefix("pii.operators.")
            return message.replace(
                "(add it to pii.entities, or set pii.ner for names)", "(name it in --entities, or give --ner for names)"
            )
    if message.startswith("pii.operators use pseudonyms but no key was found"):
        return message + " (or give --pseudonym-key-env VAR or --pseudonym-key-file PATH)"
    match = _NO_RECOGNIZER.match(message)
    if match and match.group(1) in _flag_entities(args):
        from curation.pii.recognizers import pattern_entities

        known = sorted(pattern_entities() | set(NER_TYPES))
        close = difflib.get_close_matches(match.group(1), known, n=1, cutoff=0.6)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        return f"--entities: no recognizer for '{match.group(1)}'{hint}"
    return message


def _scrub_one(engine, text: str, language: str | None, anonymized: Counter, detected: Counter) -> str:
    spans = engine.detect(text, language)
    detected.update(span.entity_type for span in spans)
    new_text, counts = engine.anonymize(text, spans)
    anonymized.update(counts)
    return new_text


def _scrub_jsonl(
    engine,
    source: TextIO,
    name: str,
    key: str,
    out: TextIO,
    anonymized: Counter,
    detected: Counter,
    language: str | None = None,
) -> None:
    where = "stdin" if name == "-" else name
    for number, line in enumerate(source, 1):  # lines count from 1, blank ones included
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            raise ValueError(f"{where}: line {number}: not a JSON object") from None
        if not isinstance(record, dict) or not isinstance(record.get(key), str):
            raise ValueError(f"{where}: line {number}: no string field '{key}'")
        record[key] = _scrub_one(engine, record[key], language, anonymized, detected)
        out.write(json.dumps(record, ensure_ascii=False) + "\n")


def _scrub_text(
    engine, source: TextIO, out: TextIO, anonymized: Counter, detected: Counter, language: str | None = None
) -> None:
    out.write(_scrub_one(engine, source.read(), language, anonymized, detected))


def _report(config: PiiConfig, anonymized: Counter, detected: Counter, always: bool) -> list[str]:
    """Counts per entity type, never a value: what was anonymized, and what was detected but kept (said
    even without --report when no operator asked for it)."""
    kept = detected - anonymized
    by_reason: dict[str, list[str]] = {}
    for entity, count in sorted(kept.items()):
        if isinstance(config.operators.get(entity), KeepOperator):
            reason = "operator keep"
        elif entity not in config.operators and isinstance(config.operators.get(DEFAULT_OPERATOR_KEY), KeepOperator):
            reason = "DEFAULT operator keep"
        else:  # an NER type the config detects without an operator: the one way to keep data unasked
            reason = _NO_OPERATOR
        by_reason.setdefault(reason, []).append(f"{entity} {count}")
    lines = []
    if always:
        summary = ", ".join(f"{entity} {count}" for entity, count in sorted(anonymized.items())) or "nothing"
        lines.append(f"anonymized: {summary}")
    if by_reason and (always or _NO_OPERATOR in by_reason):
        summary = "; ".join(f"{', '.join(counts)} ({reason})" for reason, counts in by_reason.items())
        lines.append(("" if always else "note: ") + f"detected but left as is: {summary}")
    return lines


_NO_OPERATOR = "no operator: give --ner, or --operator ENTITY=TYPE"


def run_scrub(args: argparse.Namespace, stdout: TextIO | None = None, stdin: TextIO | None = None) -> int:
    """Run `curation scrub`; returns the exit code (0 done, 2 bad config, flag or key, 3 missing input)."""
    from curation.pii import PiiEngine, check_pii_config

    if stdout is None:
        stdout = _utf8(sys.stdout)
    if stdin is None:
        stdin = _utf8(sys.stdin)
    try:
        config = _pii_config(args)
        try:
            check_pii_config(config)
        except ValueError as error:
            raise ValueError(_flag_message(str(error), args)) from None
        engine = PiiEngine(config)
    except (ConfigError, ValueError, RuntimeError) as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_USAGE
    files = args.files or ["-"]
    missing = [f for f in files if f != "-" and not _readable(f)]
    if missing:
        print(f"error: cannot read input {missing[0]}", file=sys.stderr)
        return EXIT_INPUT
    anonymized: Counter = Counter()
    detected: Counter = Counter()
    try:
        for name in files:
            source = stdin if name == "-" else open(name, encoding="utf-8", errors="replace")  # noqa: SIM115
            try:
                if args.jsonl:
                    _scrub_jsonl(engine, source, name, args.text_key, stdout, anonymized, detected, args.language)
                else:
                    _scrub_text(engine, source, stdout, anonymized, detected, args.language)
            finally:
                if source is not stdin:
                    source.close()
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_INPUT
    for line in _report(engine.config, anonymized, detected, always=args.report):
        print(line, file=sys.stderr)
    return EXIT_OK


def _utf8(stream: TextIO) -> TextIO:
    """Standard input or output read and written as UTF-8 (undecodable bytes replaced, as in files), whatever
    the locale: a decoding error would name a byte and an offset of the text."""
    if isinstance(stream, io.TextIOWrapper):
        with contextlib.suppress(io.UnsupportedOperation, ValueError):  # already read from: kept as it is
            stream.reconfigure(encoding="utf-8", errors="replace")
    return stream


def _readable(path: str) -> bool:
    try:
        with open(path, "rb"):
            return True
    except OSError:
        return False

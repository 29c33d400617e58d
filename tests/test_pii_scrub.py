"""`curation scrub`: stdin and files, text and JSON Lines, config errors."""

from __future__ import annotations

import argparse
import io
import json
import re

import pytest

from curation.config import PiiConfig
from curation.pii.anonymize import NER_CAPABLE
from curation_cli.scrub import NER_TYPES, add_scrub_parser, run_scrub

TEXT = "Reach Ana at ana.silva@example.pt or +351 912 345 678.\n"


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="curation")
    add_scrub_parser(parser.add_subparsers(dest="command"))
    return parser.parse_args(["scrub", *argv])


def test_scrub_stdin_text(capsys):
    out = io.StringIO()
    assert run_scrub(parse(["--report"]), stdout=out, stdin=io.StringIO(TEXT)) == 0
    assert out.getvalue() == "Reach Ana at <EMAIL_ADDRESS> or <PHONE_NUMBER>.\n"
    assert "EMAIL_ADDRESS 1, PHONE_NUMBER 1" in capsys.readouterr().err


def test_scrub_jsonl_files_with_a_config(tmp_path):
    data = tmp_path / "in.jsonl"
    data.write_text(json.dumps({"id": 1, "body": TEXT}) + "\n\n" + json.dumps({"id": 2, "body": "nothing"}) + "\n")
    config = tmp_path / "c.yaml"
    config.write_text("pii:\n  operators:\n    DEFAULT: {type: replace, new_value: '[{entity_type}]'}\n")
    out = io.StringIO()
    assert run_scrub(parse([str(data), "--jsonl", "--text-key", "body", "--config", str(config)]), stdout=out) == 0
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert rows == [
        {"id": 1, "body": "Reach Ana at [EMAIL_ADDRESS] or [PHONE_NUMBER].\n"},
        {"id": 2, "body": "nothing"},
    ]


def test_scrub_errors_are_one_line_without_content(tmp_path, capsys, monkeypatch):
    assert run_scrub(parse([str(tmp_path / "missing.txt")]), stdout=io.StringIO()) == 3
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "ana.silva@example.pt"}\nana.silva@example.pt\n')
    assert run_scrub(parse([str(bad), "--jsonl"]), stdout=io.StringIO()) == 3
    monkeypatch.delenv("CURATION_PSEUDONYM_KEY", raising=False)
    config = tmp_path / "c.yaml"
    config.write_text("pii:\n  operators:\n    EMAIL_ADDRESS: {type: pseudonym}\n")
    assert run_scrub(parse(["--config", str(config)]), stdout=io.StringIO(), stdin=io.StringIO(TEXT)) == 2
    errors = capsys.readouterr().err.splitlines()
    assert len(errors) == 3 and all(line.startswith("error: ") for line in errors)
    assert not any("ana.silva" in line for line in errors)


# --- the NER tier, operator flags, the report and the help (#17 item 4) ---------------------------------

NAMES = "John Smith lives in Paris.\n"


@pytest.fixture
def english_ner():
    """The default NER model (en_core_web_sm, as packaged here), or a skip saying it is missing."""
    spacy = pytest.importorskip("spacy")
    model = PiiConfig().ner_model
    if not spacy.util.is_package(model):
        pytest.skip(f"spaCy model {model} is not installed (pip install -e .[ner])")
    return model


def scrub(argv: list[str], text: str = TEXT) -> tuple[int, str]:
    out = io.StringIO()
    return run_scrub(parse(argv), stdout=out, stdin=io.StringIO(text)), out.getvalue()


def test_scrub_ner_replaces_names_and_places(english_ner, capsys):
    code, out = scrub(["--ner", "--report"], NAMES)
    assert code == 0
    assert out == "<PERSON> lives in <LOCATION>.\n"
    err = capsys.readouterr().err
    assert err == "anonymized: LOCATION 1, PERSON 1\n"


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["--entities", "PERSON"], "<PERSON> lives in Paris.\n"),  # naming an NER type asks for it, as --ner
        (["--ner", "--operator", "PERSON=mask"], "********** lives in <LOCATION>.\n"),
        (["--ner", "--operator", "LOCATION=mask,masking_char=#,chars_to_mask=3"], "<PERSON> lives in ###is.\n"),
        (["--ner", "--operator", "DEFAULT=replace,new_value=[{entity_type}]"], "[PERSON] lives in [LOCATION].\n"),
        (
            ["--ner", "--operator", "PERSON=redact", "--operator", "PERSON=replace,new_value=X"],
            "X lives in <LOCATION>.\n",
        ),
    ],
)
def test_scrub_ner_defaults_and_operator_flags(english_ner, argv, expected):
    assert scrub(argv, NAMES) == (0, expected)


def test_scrub_ner_keeps_what_the_config_keeps_and_says_so(english_ner, tmp_path, capsys):
    config = tmp_path / "c.yaml"
    config.write_text(
        "pii:\n  operators:\n    PERSON: {type: keep}\n    DEFAULT: {type: replace, new_value: '[{entity_type}]'}\n"
    )
    assert scrub(["--ner", "--config", str(config), "--report"], NAMES) == (0, "John Smith lives in [LOCATION].\n")
    assert capsys.readouterr().err.splitlines() == [
        "anonymized: LOCATION 1",
        "detected but left as is: PERSON 1 (operator keep)",
    ]


def test_scrub_says_when_a_configs_names_are_detected_but_left(english_ner, tmp_path, capsys):
    """A config with `ner: true` and no operator keeps names, as `curation run` does: scrub says so
    unasked, in counts, and --ner anonymizes them."""
    config = tmp_path / "c.yaml"
    config.write_text("pii:\n  ner: true\n")
    assert scrub(["--config", str(config)], NAMES) == (0, NAMES)
    err = capsys.readouterr().err
    assert err.startswith("note: detected but left as is: LOCATION 1, PERSON 1 (no operator: give --ner")
    assert len(err.splitlines()) == 1 and "John" not in err and "Paris" not in err
    assert scrub(["--config", str(config), "--ner"], NAMES) == (0, "<PERSON> lives in <LOCATION>.\n")


def test_scrub_operator_flags_for_pattern_entities(capsys):
    code, out = scrub(["--operator", "EMAIL_ADDRESS=mask,masking_char=#", "--operator", "PHONE_NUMBER=redact"])
    assert (code, out) == (0, "Reach Ana at #################### or .\n")
    code, out = scrub(["--operator", "DEFAULT=keep", "--operator", "PHONE_NUMBER=replace", "--report"])
    assert (code, out) == (0, "Reach Ana at ana.silva@example.pt or <PHONE_NUMBER>.\n")
    assert capsys.readouterr().err.splitlines() == [
        "anonymized: PHONE_NUMBER 1",
        "detected but left as is: EMAIL_ADDRESS 1 (DEFAULT operator keep)",
    ]


def test_scrub_hash_salt_and_pseudonym_key_come_from_the_environment(monkeypatch, capsys):
    salt, key = "a-salt-of-twenty-chars", "a-pseudonym-key-xyz"
    monkeypatch.setenv("SCRUB_TEST_SALT", salt)
    monkeypatch.setenv("SCRUB_TEST_KEY", key)
    monkeypatch.delenv("CURATION_PSEUDONYM_KEY", raising=False)
    fixed = scrub(["--operator", "EMAIL_ADDRESS=hash"])[1]
    code, salted = scrub(["--operator", "EMAIL_ADDRESS=hash", "--salt-env", "SCRUB_TEST_SALT", "--report"])
    assert code == 0 and salted != fixed and "ana.silva" not in salted
    assert re.fullmatch(r"Reach Ana at [0-9a-f]{64} or <PHONE_NUMBER>\.\n", salted)
    code, pseudonymized = scrub(
        ["--operator", "EMAIL_ADDRESS=pseudonym,length=8", "--pseudonym-key-env", "SCRUB_TEST_KEY"]
    )
    assert code == 0 and re.fullmatch(r"Reach Ana at <EMAIL_ADDRESS_[0-9a-f]{8}> or <PHONE_NUMBER>\.\n", pseudonymized)
    seen = capsys.readouterr()
    assert salt not in seen.out + seen.err and key not in seen.out + seen.err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["--operator", "EMAIL_ADRESS=mask"],
            "--operator EMAIL_ADRESS: not an entity this run detects (did you mean 'EMAIL_ADDRESS'?)",
        ),
        (
            ["--ner", "--operator", "PERSN=mask"],
            "--operator PERSN: not an entity this run detects (did you mean 'PERSON'?)",
        ),
        (
            ["--operator", "PERSON=mask"],
            "--operator PERSON: not an entity this run detects (name it in --entities, or give --ner for names)",
        ),
        (
            ["--operator", "EMAIL_ADDRESS=blur"],
            "--operator: bad value for 'pii.operators.EMAIL_ADDRESS.type': must be one of replace, redact, mask,",
        ),
        (
            ["--operator", "EMAIL_ADDRESS=mask,masking_char=##"],
            "--operator: bad value for 'pii.operators.EMAIL_ADDRESS.masking_char': String should have at most 1",
        ),
        (
            ["--operator", "EMAIL_ADDRESS=mask,chars_to_mask=lots"],
            "--operator: bad value for 'pii.operators.EMAIL_ADDRESS.chars_to_mask'",
        ),
        (
            ["--operator", "EMAIL_ADDRESS=mask,colour=red"],
            "--operator: unknown key 'pii.operators.EMAIL_ADDRESS.colour'",
        ),
        (["--operator", "EMAIL_ADDRESS"], "--operator: expected ENTITY=TYPE[,PARAM=VALUE...]"),
        (
            ["--operator", "EMAIL_ADDRESS=mask,#"],
            "--operator EMAIL_ADDRESS: each parameter after the type is PARAM=VALUE",
        ),
        (
            ["--operator", "EMAIL_ADDRESS=hash,salt=typed-on-the-command-line"],
            "--operator EMAIL_ADDRESS: a salt is not taken from the command line",
        ),
        (["--salt-env", "SCRUB_TEST_UNSET"], "--salt-env: environment variable SCRUB_TEST_UNSET is not set or empty"),
        (["--salt-env", "SCRUB_TEST_SHORT"], "--salt-env: no hash operator without a salt of its own"),
        (
            ["--operator", "EMAIL_ADDRESS=hash", "--salt-env", "SCRUB_TEST_SHORT"],
            "--salt-env: bad value for 'pii.operators.EMAIL_ADDRESS.salt': salt must be at least 16 characters",
        ),
        (
            ["--operator", "EMAIL_ADDRESS=pseudonym"],
            "pii.operators use pseudonyms but no key was found: set environment variable CURATION_PSEUDONYM_KEY",
        ),
        (
            ["--threshold", "5"],
            "--threshold: bad value for 'pii.score_threshold': Input should be less than or equal to 1",
        ),
        (
            ["--entities", "EMAIL_ADRESS"],
            "--entities: no recognizer for 'EMAIL_ADRESS' (did you mean 'EMAIL_ADDRESS'?)",
        ),
        (["--entities", " , "], "--entities: give at least one entity type"),
    ],
)
def test_scrub_bad_flags_are_one_line_exit_2(argv, message, monkeypatch, capsys):
    monkeypatch.delenv("SCRUB_TEST_UNSET", raising=False)
    monkeypatch.delenv("CURATION_PSEUDONYM_KEY", raising=False)
    monkeypatch.setenv("SCRUB_TEST_SHORT", "short-salt")
    assert scrub(argv) == (2, "")
    err = capsys.readouterr().err
    assert err.startswith(f"error: {message}") and err.count("\n") == 1
    for secret in ("short-salt", "typed-on-the-command-line", "ana.silva"):
        assert secret not in err


def test_scrub_jsonl_messages_name_the_line_from_1(tmp_path, capsys):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "ana.silva@example.pt"}\n\n{"body": "ana.silva@example.pt"}\n')
    assert run_scrub(parse([str(bad), "--jsonl"]), stdout=io.StringIO()) == 3
    assert scrub(["--jsonl"], '{"text": "a"}\n[1, "ana.silva@example.pt"]\n')[0] == 3
    assert scrub(["--jsonl"], "ana.silva@example.pt\n")[0] == 3
    assert capsys.readouterr().err.splitlines() == [
        f"error: {bad}: line 3: no string field 'text'",
        "error: stdin: line 2: no string field 'text'",
        "error: stdin: line 1: not a JSON object",
    ]


def test_scrub_help_says_what_is_anonymized_and_how_to_change_it(capsys):
    with pytest.raises(SystemExit):
        parse(["--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    assert "what is anonymized by default:" in help_text
    assert "each replaced by <ENTITY_TYPE>" in help_text and "<PERSON> and <LOCATION>" in help_text
    assert "--operator ENTITY=TYPE[,PARAM=VALUE...]" in help_text
    assert "replace, redact, mask, hash, pseudonym, keep" in help_text
    assert "--salt-env VAR" in help_text and "--pseudonym-key-file PATH" in help_text
    assert frozenset(NER_TYPES) == NER_CAPABLE  # the help's list of NER types is the engine's

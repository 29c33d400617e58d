"""`curation scrub`: stdin and files, text and JSON Lines, config errors."""

from __future__ import annotations

import argparse
import io
import json

import pytest

from curation_cli.scrub import add_scrub_parser, run_scrub

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


@pytest.mark.parametrize("flag", [["--ner"], ["--entities", "EMAIL_ADDRESS,PERSON"]])
def test_scrub_ner_flags_detect_names_but_keep_them(flag):
    out = io.StringIO()
    assert run_scrub(parse(flag), stdout=out, stdin=io.StringIO(TEXT)) == 0
    assert out.getvalue().startswith("Reach Ana at <EMAIL_ADDRESS>")

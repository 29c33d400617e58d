"""Security: crafted ids, urls and sources never become paths; crafted manifests are not followed;
YAML cannot run code; the pseudonym key and personal data stay out of every output and message."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pyarrow.parquet as pq
from conftest import run_job, write_jsonl

from curation.verify import verify_output
from curation_cli.main import EXIT_INPUT, EXIT_USAGE, main

HOSTILE_IDS = [
    "../../../escaped",
    "/tmp/absolute-id",
    "data/../../../escaped2",
    "..\\..\\windows",
    "%2e%2e%2fencoded",
    "manifest.json",
    "data/part-00000-of-00001.parquet",
    "~/home",
    "$(touch pwned)",
]
TEXT = "A plain paragraph about gardening, seeds and soil, long enough to be kept by every stage. " * 3


def _files_under(root: Path) -> set[Path]:
    return {path for path in root.rglob("*") if path.is_file()}


def test_crafted_ids_urls_and_sources_never_become_paths(tmp_path, monkeypatch):
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)  # a relative path would land here
    rows = [
        {"id": hostile, "url": f"file:///etc/{n}/../passwd", "text": f"{TEXT} Number {n}."}
        for n, hostile in enumerate(HOSTILE_IDS)
    ]
    corpus = write_jsonl(tmp_path / "in.jsonl", rows)
    before = _files_under(tmp_path)
    out = tmp_path / "out"
    config = {
        "input": {"paths": [str(corpus)], "source": "../../source-escape"},
        "output": {"path": str(out)},
        "pii": {"enabled": True},
        "shards": {"tokens_per_shard": 200},
    }
    manifest = run_job(config)

    created = _files_under(tmp_path) - before
    assert created and all(out in path.parents for path in created), sorted(map(str, created))[:5]
    assert not (work.exists() and any(work.iterdir()))
    assert all(entry["path"].startswith("data/part-") for entry in manifest["shards"])
    kept = {
        row["id"]: row for path in sorted((out / "data").glob("*.parquet")) for row in pq.read_table(path).to_pylist()
    }
    assert set(kept) == set(HOSTILE_IDS)  # the ids are data, kept as given
    assert {row["source"] for row in kept.values()} == {"../../source-escape"}


def test_a_crafted_manifest_cannot_make_verify_or_stats_read_outside(tmp_path, capsys):
    corpus = write_jsonl(tmp_path / "in.jsonl", [{"id": "a", "text": TEXT}])
    out = tmp_path / "out"
    run_job({"input": {"paths": [str(corpus)]}, "output": {"path": str(out)}})
    secret = tmp_path / "secret.parquet"
    secret.write_bytes((out / "data" / "part-00000-of-00001.parquet").read_bytes())
    manifest = json.loads((out / "manifest.json").read_text())
    manifest["shards"][0]["path"] = "../secret.parquet"
    (out / "manifest.json").write_text(json.dumps(manifest))

    problems = verify_output(str(out))
    assert any("not a file under data/" in problem for problem in problems)
    assert main(["stats", str(out), "--json", "-"]) != 0
    assert "not a file under data/" in capsys.readouterr().err


def test_yaml_tags_cannot_run_code(tmp_path, capsys):
    marker = tmp_path / "pwned"
    config = tmp_path / "evil.yaml"
    config.write_text(f'input: !!python/object/apply:os.system ["touch {marker}"]\n')
    assert main(["run", "--config", str(config), "--quiet"]) == EXIT_USAGE
    assert "not valid YAML" in capsys.readouterr().err
    assert not marker.exists()


def test_the_pseudonym_key_never_reaches_an_output_or_a_log(tmp_path, monkeypatch, caplog):
    key = "k3y-that-must-never-leak-7f1c9a"
    monkeypatch.setenv("CURATION_PSEUDONYM_KEY", key)
    rows = [
        {"id": str(n), "text": f"{TEXT} Write to reader{n}@example.org or call +1 202 555 01{n:02d}."}
        for n in range(12)
    ]
    corpus = write_jsonl(tmp_path / "in.jsonl", rows)
    out = tmp_path / "out"
    config = {
        "input": {"paths": [str(corpus)]},
        "output": {"path": str(out), "ledger_text": True},
        "pii": {"enabled": True, "operators": {"DEFAULT": {"type": "pseudonym"}}},
    }
    with caplog.at_level(logging.DEBUG):
        manifest = run_job(config)
    texts = pq.read_table(out / "data")["text"].to_pylist()
    assert manifest["output_documents"] == 12 and all("<EMAIL_ADDRESS_" in text for text in texts)
    assert not any("@example.org" in text for text in texts)
    searched = [caplog.text, json.dumps(manifest)]
    for path in _files_under(out):
        searched.append(path.read_bytes().decode("latin-1"))
        if path.suffix == ".parquet":
            searched.append(str(pq.read_table(path).to_pylist()))
    assert not [text for text in searched if key in text]


def test_failures_name_the_record_not_its_content(tmp_path, capsys):
    planted = "jane.private@example.net"
    corpus = write_jsonl(tmp_path / "in.jsonl", [{"id": "ok", "text": TEXT}, '{"text": "mail ' + planted + '"'])
    config = tmp_path / "c.yaml"
    config.write_text(f"input:\n  paths: ['{corpus}']\n  fail_fast: true\noutput:\n  path: {tmp_path}/out\n")
    assert main(["run", "--config", str(config), "--quiet"]) == EXIT_INPUT
    err = capsys.readouterr().err
    assert "line 2" in err and planted not in err

    config.write_text(f"input:\n  paths: ['{corpus}']\noutput:\n  path: {tmp_path}/out2\n")
    assert main(["run", "--config", str(config), "--quiet"]) == 0
    rejected = pq.read_table(tmp_path / "out2" / "rejected").to_pylist()
    assert len(rejected) == 1 and planted not in str(rejected)

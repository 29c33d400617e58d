"""End-to-end runs on generated corpora: the output contract, the invariant, determinism, the CLI."""

import gzip
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from conftest import ROOT, run_job, write_jsonl

from curation.document import DUPLICATES_SCHEMA, LEDGER_SCHEMA, REJECTED_SCHEMA
from curation.synth import write_corpus
from curation_cli.main import EXIT_FAILED, EXIT_INPUT, EXIT_INVARIANT, EXIT_USAGE, main

MANIFEST_KEYS = {
    "engine",
    "input_documents",
    "output_documents",
    "output_tokens",
    "rejected_records",
    "dropped",
    "shards",
    "tokenizer",
    "config",
    "config_sha256",
}
SHARD_COLUMNS = {"id", "text", "url", "domain", "language", "language_score", "token_count", "source"}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("corpus") / "synth.jsonl.gz"
    write_corpus(path, 400, seed=3)
    return path


def job(corpus: Path, out: Path, **sections) -> dict:
    config = {"input": {"paths": [str(corpus)]}, "output": {"path": str(out)}, "shards": {"tokens_per_shard": 40_000}}
    config.update(sections)
    return config


def shard_bytes(out: Path) -> dict[str, bytes]:
    """Every Parquet file of an output (shards, ledger, rejected, duplicates) by relative path."""
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*.parquet")) if p.is_file()}


@pytest.fixture(scope="module")
def quick_run(corpus, tmp_path_factory):
    out = tmp_path_factory.mktemp("run") / "out"
    return out, run_job(job(corpus, out))


def test_output_contract_and_invariant(quick_run):
    out, manifest = quick_run
    assert set(manifest) == MANIFEST_KEYS
    assert json.loads((out / "manifest.json").read_text()) == manifest
    assert manifest["input_documents"] == 400
    assert manifest["input_documents"] == manifest["output_documents"] + sum(manifest["dropped"].values())
    assert manifest["dropped"]["exact_dedup/exact_duplicate"] > 0
    assert not (out / "_staging").exists()
    table = pq.read_table(out / "data")
    assert set(table.column_names) >= SHARD_COLUMNS
    assert table.num_rows == manifest["output_documents"] == len(set(table["id"].to_pylist()))
    assert sum(table["token_count"].to_pylist()) == manifest["output_tokens"]
    assert len(manifest["shards"]) > 1
    for shard in manifest["shards"]:
        meta = pq.ParquetFile(out / shard["path"]).metadata
        assert meta.num_rows == shard["documents"] and meta.row_group(0).column(0).compression == "ZSTD"
    ledger = pq.read_table(out / "dropped")
    assert ledger.num_rows == sum(manifest["dropped"].values())
    assert set(ledger["text"].to_pylist()) == {None}
    duplicates = pq.read_table(out / "duplicates.parquet")
    assert duplicates.num_rows == manifest["dropped"]["exact_dedup/exact_duplicate"]
    kept = set(table["id"].to_pylist())
    assert set(duplicates["kept_id"].to_pylist()) <= kept


def test_output_loads_with_datasets(quick_run):
    import datasets

    out, manifest = quick_run
    loaded = datasets.load_dataset("parquet", data_files=str(out / "data" / "*.parquet"), split="train")
    assert loaded.num_rows == manifest["output_documents"]


def test_rerun_and_multi_processing_give_identical_shards(corpus, quick_run, tmp_path):
    first_out, first = quick_run
    again = run_job(job(corpus, tmp_path / "again"))
    multi = run_job(
        job(corpus, tmp_path / "multi"), ["--direct_running_mode=multi_processing", "--direct_num_workers=2"]
    )
    expected = shard_bytes(first_out)
    assert shard_bytes(tmp_path / "again") == expected
    assert shard_bytes(tmp_path / "multi") == expected
    assert again["shards"] == first["shards"] == multi["shards"]


def test_stages_switched_off(corpus, tmp_path):
    manifest = run_job(job(corpus, tmp_path / "off", normalize={"enabled": False}, exact_dedup={"enabled": False}))
    assert manifest["dropped"] == {} and manifest["output_documents"] == 400
    schemas = {"dropped": LEDGER_SCHEMA, "rejected": REJECTED_SCHEMA, "duplicates.parquet": DUPLICATES_SCHEMA}
    for side_output, schema in schemas.items():  # empty, but readable with its schema
        table = pq.read_table(tmp_path / "off" / side_output)
        assert table.num_rows == 0
        assert table.schema.names == schema.names


def test_bad_records_of_every_kind_are_rejected_and_the_run_goes_on(tmp_path):
    import pyarrow as pa

    good = [{"id": f"g{i}", "text": f"good document number {i}"} for i in range(10)]
    (tmp_path / "in").mkdir()
    write_jsonl(
        tmp_path / "in" / "a.jsonl", [*good, "{broken", b'{"text": "\xff"}', {"text": 3}, {"text": ""}, {"x": 1}]
    )
    cut = gzip.compress(b"".join(f'{{"text": "tail {i}"}}\n'.encode() for i in range(3000)))
    (tmp_path / "in" / "b.jsonl.gz").write_bytes(cut[: len(cut) // 2])
    pq.write_table(pa.table({"body": ["no text column"]}), tmp_path / "in" / "c.parquet")
    manifest = run_job({"input": {"paths": [str(tmp_path / "in" / "*")]}, "output": {"path": str(tmp_path / "out")}})
    rejected = pq.read_table(tmp_path / "out" / "rejected").to_pylist()
    assert manifest["rejected_records"] == len(rejected) == 7  # 5 bad lines, the cut file, the Parquet file
    assert manifest["input_documents"] == manifest["output_documents"] + sum(manifest["dropped"].values())
    assert manifest["output_documents"] > 10
    assert {r["raw"] for r in rejected} == {None}


def test_fail_fast_stops_on_first_bad_record(tmp_path, capsys):
    write_jsonl(tmp_path / "a.jsonl", [{"text": "fine"}, "{broken"])
    config = tmp_path / "c.yaml"
    config.write_text(f"input:\n  paths: ['{tmp_path}/a.jsonl']\n  fail_fast: true\noutput:\n  path: {tmp_path}/out\n")
    assert main(["run", "--config", str(config), "--quiet"]) == EXIT_INPUT
    (line,) = [line for line in capsys.readouterr().err.splitlines() if line.strip()]  # no traceback, one line
    assert line.startswith("error: ") and "a.jsonl: line 2: malformed JSON" in line
    assert not (tmp_path / "out" / "manifest.json").exists()


def test_cli_exit_codes(tmp_path, capsys):
    config = tmp_path / "c.yaml"
    config.write_text("input:\n  paths: ['/nonexistent/*.jsonl']\nfilterz: []\n")
    assert main(["run", "--config", str(config)]) == EXIT_USAGE
    assert "unknown key 'filterz'" in capsys.readouterr().err
    config.write_text(f"input:\n  paths: ['{tmp_path}/nothing-*.jsonl']\noutput:\n  path: {tmp_path}/o\n")
    assert main(["run", "--config", str(config)]) == EXIT_INPUT
    assert "input not found" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


def test_cli_run_with_overrides_and_summary(corpus, tmp_path, capsys):
    config = tmp_path / "c.yaml"
    config.write_text("input:\n  paths: ['/somewhere/else.jsonl']\n")
    metrics = tmp_path / "metrics.json"
    args = ["--input", str(corpus), "--output", str(tmp_path / "o"), "--metrics", str(metrics)]
    assert main(["run", "--config", str(config), *args]) == 0
    printed = capsys.readouterr().out
    assert "exact_duplicate" in printed and "documents/s" in printed and "time per stage" in printed
    assert (tmp_path / "o" / "manifest.json").exists()
    timings = json.loads(metrics.read_text())
    assert timings["input_documents"] == 400 and timings["wall_seconds"] > 0
    assert {"Read", "RemoveExactDuplicates", "WriteShards"} <= set(timings["stage_seconds"])
    assert (
        timings["counters"]["exact_dedup/exact_duplicate"]
        == json.loads((tmp_path / "o" / "manifest.json").read_text())["dropped"]["exact_dedup/exact_duplicate"]
    )


def test_input_flag_replaces_a_synthetic_input(corpus, tmp_path):
    args = ["--config", str(ROOT / "configs" / "quickstart.yaml"), "--input", str(corpus), "--quiet"]
    assert main(["run", *args, "--output", str(tmp_path / "o")]) == 0
    assert json.loads((tmp_path / "o" / "manifest.json").read_text())["input_documents"] == 400


def test_failed_invariant_exits_non_zero_without_manifest(corpus, tmp_path, monkeypatch, capsys):
    from curation import finish

    real = finish.read_report

    def losing_one(path):
        report = real(path)
        return report.model_copy(update={"input_documents": report.input_documents + 1})

    monkeypatch.setattr(finish, "read_report", losing_one)
    config = tmp_path / "c.yaml"
    config.write_text(f"input:\n  paths: ['{corpus}']\noutput:\n  path: {tmp_path}/o\n")
    assert main(["run", "--config", str(config), "--quiet"]) == EXIT_INVARIANT
    assert "documents unaccounted for" in capsys.readouterr().err
    assert not (tmp_path / "o" / "manifest.json").exists()


def test_output_directory_of_other_files_is_refused(corpus, tmp_path, capsys):
    (tmp_path / "o").mkdir()
    (tmp_path / "o" / "precious.txt").write_text("keep me")
    config = tmp_path / "c.yaml"
    config.write_text(f"input:\n  paths: ['{corpus}']\noutput:\n  path: {tmp_path}/o\n")
    assert main(["run", "--config", str(config), "--quiet"]) == EXIT_USAGE
    assert (tmp_path / "o" / "precious.txt").exists()


def test_remote_paths_through_fsspec():
    """Input and output on an fsspec filesystem other than the local disk (in-memory here)."""
    import fsspec

    fs = fsspec.filesystem("memory")
    with fs.open("/remote-in/a.jsonl", "wb") as handle:
        for i in range(20):
            handle.write(json.dumps({"text": f"doc {i % 15}", "url": f"https://h{i}.example.com/"}).encode() + b"\n")
    manifest = run_job({"input": {"paths": ["memory://remote-in/*.jsonl"]}, "output": {"path": "memory://remote-out"}})
    assert (manifest["input_documents"], manifest["output_documents"]) == (20, 15)
    assert fs.exists("/remote-out/manifest.json") and fs.exists("/remote-out/" + manifest["shards"][0]["path"])
    fs.rm("/remote-in", recursive=True)
    fs.rm("/remote-out", recursive=True)


def test_shards_hold_the_token_budget_and_verify_catches_tampering(quick_run, tmp_path, capsys):
    import shutil

    out, manifest = quick_run
    sizes = [shard["tokens"] for shard in manifest["shards"]]
    assert len(sizes) == -(-manifest["output_tokens"] // 40_000)
    assert all(abs(size - 40_000) <= 4_000 for size in sizes[:-1]), sizes
    assert [shard["path"] for shard in manifest["shards"]] == [
        f"data/part-{i:05d}-of-{len(sizes):05d}.parquet" for i in range(len(sizes))
    ]
    assert main(["verify", str(out)]) == 0
    copy = tmp_path / "copy"
    shutil.copytree(out, copy)
    shard = copy / manifest["shards"][1]["path"]
    shard.write_bytes(shard.read_bytes()[:-10] + b"0123456789")
    (copy / "data" / "part-extra.parquet").write_bytes(b"")
    assert main(["verify", str(copy)]) == EXIT_FAILED
    printed = capsys.readouterr().err
    assert f"{manifest['shards'][1]['path']}: sha256 differs" in printed
    assert "part-extra.parquet: not in the manifest" in printed
    *mismatches, last = printed.strip().splitlines()
    assert all(line.startswith("mismatch: ") for line in mismatches)
    assert last == f"error: {copy} does not match its manifest ({len(mismatches)} mismatches, listed above)"


def test_verify_checks_every_output_against_the_catalog(quick_run, tmp_path, capsys):
    """A side-output part with other columns, and a duplicates list that disagrees with the drops."""
    import shutil

    import pyarrow as pa

    out, _ = quick_run
    copy = tmp_path / "copy"
    shutil.copytree(out, copy)
    (part,) = sorted((copy / "rejected").glob("*.parquet"))
    pq.write_table(pa.table({"file": ["x"]}), part)
    duplicates = sorted((copy / "duplicates.parquet").glob("*.parquet"))
    table = pq.read_table(duplicates[0])
    pq.write_table(table.slice(1), duplicates[0])
    assert main(["verify", str(copy)]) == EXIT_FAILED
    printed = capsys.readouterr().err
    assert f"rejected/{part.name}: columns differ from the rejected schema" in printed
    assert "duplicates.parquet/: " in printed and "dropped as duplicates says" in printed


def test_shuffle_seed_reorders_but_keeps_documents(corpus, quick_run, tmp_path):
    _, plain = quick_run
    shuffled = run_job(job(corpus, tmp_path / "s", shards={"tokens_per_shard": 40_000, "shuffle_seed": 7}))
    from curation.shards import order_key

    assert shuffled["output_tokens"] == plain["output_tokens"]
    assert [s["sha256"] for s in shuffled["shards"]] != [s["sha256"] for s in plain["shards"]]
    for out, seed in ((quick_run[0], None), (tmp_path / "s", 7)):
        ids = pq.read_table(out / "data", columns=["id"])["id"].to_pylist()  # shards in name order
        assert ids == sorted(ids, key=lambda i: order_key(i, seed))


def test_output_reads_with_pyarrow_dataset(quick_run):
    import pyarrow.dataset as ds

    out, manifest = quick_run
    dataset = ds.dataset(out / "data", format="parquet")
    assert dataset.count_rows() == manifest["output_documents"]
    assert dataset.to_table(columns=["token_count"])["token_count"].to_pylist().count(0) == 0


def test_filter_chain_in_the_pipeline(corpus, tmp_path):
    steps = [{"language": {"languages": ["en"], "min_score": 0.65}}, {"gopher_quality": None}, {"c4_lines": None}]
    manifest = run_job(job(corpus, tmp_path / "f", filters={"steps": steps}))
    assert manifest["dropped"]["language/language_not_allowed"] > 0  # the corpus is about 30% non-English
    assert any(key.startswith("gopher_quality/") for key in manifest["dropped"])
    assert manifest["input_documents"] == manifest["output_documents"] + sum(manifest["dropped"].values())
    table = pq.read_table(tmp_path / "f" / "data", columns=["language", "language_score"])
    assert set(table["language"].to_pylist()) == {"en"}
    assert min(table["language_score"].to_pylist()) >= 0.65
    ledger = pq.read_table(tmp_path / "f" / "dropped").to_pylist()
    language_drops = [row for row in ledger if row["stage"] == "language"]
    assert language_drops and all(row["detail"] for row in language_drops)


def test_bad_filter_step_is_a_config_error(tmp_path, capsys):
    config = tmp_path / "c.yaml"
    config.write_text(f"input:\n  paths: ['{tmp_path}/x.jsonl']\nfilters:\n  steps:\n    - gopher_qualty: null\n")
    assert main(["run", "--config", str(config)]) == EXIT_USAGE
    assert "c.yaml: filters.steps[0]" in capsys.readouterr().err


def test_hostile_documents_pass_through(tmp_path):
    """NUL bytes, emoji, CJK, right-to-left text, URLs that do not parse, a 20 MB document and
    metadata nested 900 levels deep: no stage raises and every document is accounted for."""
    nested: dict = {"leaf": 1}
    for _ in range(900):
        nested = {"a": nested}
    rows = [
        json.dumps({"id": "nested", "text": "a document with deep metadata", "meta": nested}),
        {"id": "nul", "text": "nul\x00 bytes\x00 inside"},
        {"id": "emoji", "text": "😀🎉" * 500},
        {"id": "cjk", "text": "中文文本测试。" * 100, "url": "http://[::1"},
        {"id": "rtl", "text": "שלום עולם " * 50, "url": "ht!tp://not a url"},
        {"id": "huge", "text": "word " * 4_000_000},
    ]
    write_jsonl(tmp_path / "hostile.jsonl", rows)
    manifest = run_job({"input": {"paths": [str(tmp_path / "hostile.jsonl")]}, "output": {"path": str(tmp_path / "o")}})
    assert (manifest["input_documents"], manifest["output_documents"], manifest["rejected_records"]) == (6, 6, 0)
    table = pq.read_table(tmp_path / "o" / "data").to_pylist()
    by_id = {row["id"]: row for row in table}
    assert by_id["nul"]["text"] == "nul bytes inside"
    assert by_id["cjk"]["domain"] is None and by_id["rtl"]["domain"] is None
    assert len(by_id["huge"]["text"]) == 20_000_000 - 1  # the trailing space is stripped
    assert json.loads(json.loads(by_id["nested"]["metadata"])["meta"])["a"]["a"]  # kept as a JSON string


def test_minhash_dedup_in_the_pipeline(corpus, tmp_path):
    minhash = {"enabled": True, "bands": 16, "rows": 8, "verify": "exact"}
    manifest = run_job(job(corpus, tmp_path / "m", minhash=minhash))
    near = manifest["dropped"]["minhash_dedup/near_duplicate"]
    assert near > 0  # the generated corpus has about 5% edited copies
    assert manifest["input_documents"] == manifest["output_documents"] + sum(manifest["dropped"].values())
    duplicates = pq.read_table(tmp_path / "m" / "duplicates.parquet").to_pylist()
    assert sum(row["stage"] == "near" for row in duplicates) == near
    kept = set(pq.read_table(tmp_path / "m" / "data", columns=["id"])["id"].to_pylist())
    # near-duplicate removal is the last dedup stage, so its kept copies are all in the output
    # (a copy kept by exact dedup may itself be removed later as a near duplicate)
    assert {row["kept_id"] for row in duplicates if row["stage"] == "near"} <= kept


def test_pii_stage_in_the_pipeline(tmp_path):
    """People-search domains are dropped, e-mail addresses anonymized, redactions recorded per row."""
    import re

    from curation.document import registered_domain
    from curation.synth import generate

    corpus = tmp_path / "c.jsonl.gz"
    write_corpus(corpus, 1500, seed=4)
    people_search = {registered_domain(r["url"]) for r in generate(1500, seed=4) if r["kind"] == "people_search"}
    manifest = run_job(job(corpus, tmp_path / "p", pii={"enabled": True}))
    assert manifest["input_documents"] == manifest["output_documents"] + sum(manifest["dropped"].values())
    decisions = {
        row["domain"]: row["decision"] for row in pq.read_table(tmp_path / "p" / "pii_domains.parquet").to_pylist()
    }
    assert people_search and all(decisions[domain] == "drop" for domain in people_search)
    assert sum(decision == "drop" for decision in decisions.values()) <= len(people_search) + 1
    rows = pq.read_table(tmp_path / "p" / "data", columns=["text", "domain", "pii_redactions"]).to_pylist()
    assert not {row["domain"] for row in rows} & people_search
    email = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
    assert not [row for row in rows if email.search(row["text"])]
    assert any(entry["entity_type"] == "EMAIL_ADDRESS" for row in rows for entry in row["pii_redactions"] or [])

"""Edge cases found in review: ids across directories, surrogates, repeated ids, unsafe options."""

import io
import json

import pyarrow.parquet as pq
import pytest
from conftest import run_job, write_jsonl

from curation.config import InputConfig, parse_config
from curation.document import SHARD_SCHEMA, Document
from curation.io.readers import read_file
from curation.io.sources import plan_reads
from curation.shards import order_key, write_part
from curation_cli.main import EXIT_USAGE, main


def test_same_file_name_in_two_directories_gives_distinct_ids(tmp_path):
    for folder in ("en", "de"):
        (tmp_path / folder).mkdir()
        write_jsonl(tmp_path / folder / "train-00000.jsonl", [{"text": f"{folder} page {i}"} for i in range(3)])
    manifest = run_job({"input": {"paths": [str(tmp_path / "*" / "*.jsonl")]}, "output": {"path": str(tmp_path / "o")}})
    ids = pq.read_table(tmp_path / "o" / "data", columns=["id"])["id"].to_pylist()
    assert manifest["output_documents"] == 6 and len(set(ids)) == 6


def test_lone_surrogates_never_crash_the_run(tmp_path):
    lines = ['{"id": "a\\udc80b", "text": "bad id"}', '{"id": "ok", "text": "broken \\ud800 text"}']
    write_jsonl(tmp_path / "s.jsonl", lines)
    config = {
        "input": {"paths": [str(tmp_path / "s.jsonl")]},
        "output": {"path": str(tmp_path / "o")},
        "normalize": {"enabled": False},
    }
    manifest = run_job(config)
    assert (manifest["output_documents"], manifest["rejected_records"]) == (1, 1)
    assert pq.read_table(tmp_path / "o" / "data")["text"].to_pylist() == ["broken \ufffd text"]


def test_repeated_ids_give_the_same_bytes_in_any_order(tmp_path):
    docs = [Document("same", "first text", "s", token_count=2), Document("same", "second text", "s", token_count=2)]
    rows = [(order_key(d.id), d.token_count, d.to_row()) for d in docs]
    one = write_part(list(rows), SHARD_SCHEMA, str(tmp_path / "a"), "data", 0, 1, 10)
    two = write_part(list(reversed(rows)), SHARD_SCHEMA, str(tmp_path / "b"), "data", 0, 1, 10)
    assert one.sha256 == two.sha256


def test_overlapping_patterns_read_a_file_once(tmp_path):
    write_jsonl(tmp_path / "a.jsonl", [{"text": "x"}])
    config = InputConfig(paths=[str(tmp_path / "*.jsonl"), str(tmp_path / "a.jsonl")])
    assert len(plan_reads(config)) == 1


def test_transient_storage_errors_propagate_for_the_runner_to_retry():
    def failing_open(path):
        raise ConnectionResetError("storage hiccup")

    with pytest.raises(ConnectionResetError):
        list(read_file("gs://bucket/a.jsonl", "jsonl", failing_open))

    class FlakyStream(io.BytesIO):
        def readline(self, *args):
            raise TimeoutError("read timed out")

        def __iter__(self):
            raise TimeoutError("read timed out")

    with pytest.raises(TimeoutError):
        list(read_file("gs://bucket/a.jsonl", "jsonl", lambda path: FlakyStream(b"")))


def test_missing_file_is_still_a_rejection():
    def missing(path):
        raise FileNotFoundError(path)

    (record,) = read_file("/gone.jsonl", "jsonl", missing)
    assert record.error == "cannot open file: FileNotFoundError"


def test_input_inside_the_output_directory_is_refused(tmp_path, capsys):
    (tmp_path / "o").mkdir()
    write_jsonl(tmp_path / "o" / "in.jsonl", [{"text": "x"}])
    config = tmp_path / "c.yaml"
    config.write_text(f"input:\n  paths: ['{tmp_path}/o/in.jsonl']\noutput:\n  path: {tmp_path}/o\n  overwrite: true\n")
    assert main(["run", "--config", str(config), "--quiet"]) == EXIT_USAGE
    assert "inside the output directory" in capsys.readouterr().err
    assert (tmp_path / "o" / "in.jsonl").exists()


def test_multi_threading_mode_is_refused(tmp_path, capsys):
    write_jsonl(tmp_path / "a.jsonl", [{"text": "x"}])
    config = tmp_path / "c.yaml"
    config.write_text(f"input:\n  paths: ['{tmp_path}/a.jsonl']\noutput:\n  path: {tmp_path}/o\n")
    code = main(["run", "--config", str(config), "--quiet", "--direct_running_mode=multi_threading"])
    assert code == EXIT_USAGE and "multi_threading" in capsys.readouterr().err


def test_operator_salts_stay_out_of_the_resolved_config():
    config = parse_config({"pii": {"operators": {"EMAIL_ADDRESS": {"type": "hash", "salt": "s3cret-salt-of-16+"}}}})
    assert "s3cret" not in json.dumps(config.resolved()) and "s3cret" not in repr(config)


def test_an_output_where_nothing_survives_still_loads(tmp_path):
    write_jsonl(tmp_path / "a.jsonl", [{"id": "1", "text": "same"}, {"id": "2", "text": "\x00"}])
    config = {
        "input": {"paths": [str(tmp_path / "a.jsonl")]},
        "output": {"path": str(tmp_path / "o")},
        "filters": {"steps": [{"length": {"min_chars": 100}}]},
    }
    manifest = run_job(config)
    assert manifest["output_documents"] == 0 and len(manifest["shards"]) == 1
    table = pq.read_table(tmp_path / "o" / "data")  # (datasets refuses a split with no rows)
    assert table.num_rows == 0 and table.schema.names == SHARD_SCHEMA.names
    assert main(["verify", str(tmp_path / "o")]) == 0

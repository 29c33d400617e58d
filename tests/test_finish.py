"""Finishing a run as a library function over a typed manifest: the invariant, empty parts, the manifest, clean-up."""

from __future__ import annotations

import json

import pyarrow.parquet as pq
import pytest

from curation.catalog import written_outputs
from curation.config import parse_config
from curation.finish import finish_run
from curation.manifest import InvariantError, Manifest, ManifestError, RunReport, read_manifest
from curation.verify import verify_output

TOKENIZER = {"name": "o200k_base", "kind": "tiktoken"}


def _staging(tmp_path, report: RunReport) -> tuple[str, str]:
    staging = tmp_path / "out" / "_staging"
    staging.mkdir(parents=True)
    path = staging / "report.json"
    path.write_text(report.model_dump_json())
    return str(staging), str(path)


def test_a_run_where_nothing_survived_ends_with_an_empty_part_in_every_output(tmp_path):
    config = parse_config({"pii": {"enabled": True}, "filters": {"steps": [{"length": None}], "write_signals": True}})
    report = RunReport(input_documents=3, rejected_records=1, dropped={"length/too_short": 3})
    out = tmp_path / "out"
    staging, report_path = _staging(tmp_path, report)

    path, manifest = finish_run(config, str(out), staging, report_path, TOKENIZER, {"runner": "DirectRunner"})

    names = {output.name for output in written_outputs(config)}
    assert {"pii_domains.parquet", "filter_signals.parquet", "data"} <= names
    for name in names:
        parts = sorted((out / name).glob("*.parquet"))
        assert len(parts) == 1 and pq.read_table(parts[0]).num_rows == 0, name
    assert [shard.path for shard in manifest.shards] == ["data/part-00000-of-00001.parquet"]
    assert (manifest.output_documents, manifest.dropped_documents) == (0, 3)
    assert manifest.engine == {"runner": "DirectRunner"}
    assert not (out / "_staging").exists()
    assert read_manifest(str(out)) == manifest
    assert json.loads((out / "manifest.json").read_text()) == manifest.to_json()
    assert path.endswith("manifest.json")


def test_documents_unaccounted_for_leave_no_manifest(tmp_path):
    report = RunReport(input_documents=3, rejected_records=0, dropped={"length/too_short": 2})
    staging, report_path = _staging(tmp_path, report)
    with pytest.raises(InvariantError, match=r"input 3 != output 0 \+ dropped 2"):
        finish_run(parse_config({}), str(tmp_path / "out"), staging, report_path, TOKENIZER)
    assert not (tmp_path / "out" / "manifest.json").exists()
    assert (tmp_path / "out" / "_staging").exists()  # kept for whoever investigates


def test_the_manifest_of_a_run_without_an_engine_has_no_engine_key(tmp_path):
    report = RunReport(input_documents=0, rejected_records=0, dropped={})
    staging, report_path = _staging(tmp_path, report)
    _, manifest = finish_run(parse_config({}), str(tmp_path / "out"), staging, report_path, TOKENIZER)
    assert "engine" not in json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert manifest.engine is None and verify_output(str(tmp_path / "out")) == []


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda m: m.pop("shards"), "manifest.json: missing 'shards'"),
        (lambda m: m.update(surprise=1), "manifest.json: unknown key 'surprise'"),
        (lambda m: m.update(output_tokens=-1), "bad value for 'output_tokens'"),
        (lambda m: m["shards"][0].update(path="/etc/passwd"), "'/etc/passwd' is not a file under data/"),
        (lambda m: m["shards"][0].update(path="data/../../x.parquet"), "is not a file under data/"),
        (lambda m: m["shards"][0].pop("sha256"), "missing 'shards.0.sha256'"),
    ],
)
def test_a_file_that_is_not_a_manifest_is_refused_with_one_line(tmp_path, change, message):
    report = RunReport(input_documents=0, rejected_records=0, dropped={})
    staging, report_path = _staging(tmp_path, report)
    finish_run(parse_config({}), str(tmp_path / "out"), staging, report_path, TOKENIZER)
    data = json.loads((tmp_path / "out" / "manifest.json").read_text())
    change(data)
    with pytest.raises(ManifestError) as error:
        Manifest.from_json(data)
    assert message in str(error.value) and "\n" not in str(error.value)
    (tmp_path / "out" / "manifest.json").write_text(json.dumps(data))
    problems = verify_output(str(tmp_path / "out"))
    assert len(problems) == 1 and message in problems[0]


def test_a_manifest_that_is_not_json_is_named_as_such(tmp_path):
    (tmp_path / "manifest.json").write_text("{not json")
    with pytest.raises(ManifestError, match="not valid JSON"):
        read_manifest(str(tmp_path))
    assert verify_output(str(tmp_path)) == ["manifest.json is not valid JSON"]

"""Personal data never reaches the logs, even at DEBUG, nor the ledger, manifest or domain scores."""

import logging
import re

import pyarrow.parquet as pq
from conftest import run_job

from curation.synth import generate, write_corpus

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def test_planted_values_stay_out_of_logs_and_side_outputs(tmp_path, caplog):
    corpus = tmp_path / "corpus.jsonl.gz"
    write_corpus(corpus, 400, seed=9)
    planted = {match for row in generate(400, seed=9) for match in EMAIL.findall(row["text"])}
    assert len(planted) > 20
    config = {"input": {"paths": [str(corpus)]}, "output": {"path": str(tmp_path / "out")}, "pii": {"enabled": True}}
    with caplog.at_level(logging.DEBUG):
        manifest = run_job(config)
    assert manifest["output_documents"] > 0
    logged = caplog.text
    assert not [value for value in planted if value in logged]
    side_outputs = [
        str(pq.read_table(tmp_path / "out" / name).to_pylist())
        for name in ("dropped", "rejected", "duplicates.parquet", "pii_domains.parquet")
    ]
    side_outputs.append((tmp_path / "out" / "manifest.json").read_text())
    assert not [value for value in planted for text in side_outputs if value in text]

"""The RemoveNearDuplicates Beam transform: chains, rounds, keep rules, scope, outputs, running modes."""

import json
import shutil
import tempfile
from pathlib import Path

import apache_beam as beam
import pytest
from apache_beam.metrics.metric import MetricsFilter
from apache_beam.options.pipeline_options import PipelineOptions

from beam_jobs.minhash import STAGE, ConnectedComponents, RemoveNearDuplicates
from beam_jobs.tags import DROPPED, DUPLICATES
from curation.config import MinHashConfig
from curation.dedup.components import cluster_id, id_hash, node_key
from curation.document import Document
from curation.synth import generate

IN_MEMORY = ["--runner=DirectRunner", "--direct_running_mode=in_memory"]
MULTI = ["--runner=DirectRunner", "--direct_running_mode=multi_processing", "--direct_num_workers=2"]


def window_text(i: int, width: int = 100, step: int = 10) -> str:
    """Tokens i*step .. i*step+width-1: neighbours share (width-step)/(width+step) of 1-grams."""
    return " ".join(f"tok{j}" for j in range(i * step, i * step + width))


def chain_docs(n: int, source: str = "s") -> list[Document]:
    return [Document(id=f"d{i:03d}", text=window_text(i), source=source) for i in range(n)]


# Neighbours in a chain have Jaccard 90/110 = 0.82, two apart 80/120 = 0.67. With 32 bands of 4
# rows a pair at 0.82 shares a band with probability 1 - 6e-9; exact verification at 0.75 keeps
# only the neighbours, so the chain is connected by its links alone.
CHAIN = {"ngram_size": 1, "threshold": 0.75, "bands": 32, "rows": 4, "verify": "exact", "max_rounds": 4}


def run(docs, config: MinHashConfig, options=IN_MEMORY, out_dir=None):
    """Run the transform; return (sorted kept ids, drops, duplicate rows, metrics by name)."""
    collected = {}
    pipeline = beam.Pipeline(options=PipelineOptions(options))
    out = pipeline | beam.Create(docs, reshuffle=False) | RemoveNearDuplicates(config)
    streams = {
        "kept": out.documents | "KeptIds" >> beam.Map(lambda d: d.id),
        "dropped": out[DROPPED]
        | "DropRows" >> beam.Map(lambda d: json.dumps([d.id, d.stage, d.reason, d.detail, d.text, d.source])),
        "duplicates": out[DUPLICATES] | "DuplicateRows" >> beam.Map(lambda r: json.dumps(r, sort_keys=True)),
    }
    out_dir = Path(tempfile.mkdtemp(prefix="minhash-")) if out_dir is None else out_dir
    for name, pcoll in streams.items():
        pcoll | f"Write{name}" >> beam.io.WriteToText(str(out_dir / name))
    result = pipeline.run()
    result.wait_until_finish()
    metrics = {}
    for counter in result.metrics().query(MetricsFilter().with_namespace(STAGE))["counters"]:
        metrics[counter.key.metric.name] = metrics.get(counter.key.metric.name, 0) + counter.committed
    for name in streams:
        lines = []
        for part in sorted(out_dir.glob(f"{name}-*")):
            lines += part.read_text().splitlines()
        collected[name] = sorted(lines)
    shutil.rmtree(out_dir, ignore_errors=True)
    kept = collected["kept"]
    drops = [json.loads(row) for row in collected["dropped"]]
    duplicates = [json.loads(row) for row in collected["duplicates"]]
    return kept, drops, duplicates, metrics


def smallest_by_hash(ids):
    return min(ids, key=lambda i: (id_hash(i), i))


def test_chain_a_b_c_is_one_cluster_though_a_and_c_are_not_similar():
    docs = chain_docs(3)
    kept, drops, duplicates, metrics = run(docs, MinHashConfig(**CHAIN))
    winner = smallest_by_hash([d.id for d in docs])
    assert kept == [winner]
    cluster = cluster_id(node_key(winner, "smallest_id_hash"))
    assert sorted(d[0] for d in drops) == sorted(d.id for d in docs if d.id != winner)
    texts = {doc.id: doc.text for doc in docs}
    for dropped_id, stage, reason, detail, text, source in drops:
        assert (stage, reason, detail, text, source) == (
            STAGE,
            "near_duplicate",
            f"kept {winner} cluster {cluster}",
            texts[dropped_id],
            "s",
        )
    assert sorted(r["id"] for r in duplicates) == sorted(d[0] for d in drops)
    assert all(r == {"id": r["id"], "cluster_id": cluster, "kept_id": winner, "stage": "near"} for r in duplicates)
    # The a-c pair was a candidate (0.67 shares a band almost surely) and verification refused it.
    assert metrics["edges"] == 2 and metrics["pairs_verified"] == 3
    assert metrics["clusters"] == 1 and metrics["near_duplicate"] == 2 and metrics["converged"] == 1


def test_unrelated_documents_and_documents_without_shingles_are_kept():
    docs = [Document(id=f"e{i}", text=text, source="s") for i, text in enumerate(["", "!!!", "...", "  "])]
    docs += [Document(id="x", text=window_text(0), source="s"), Document(id="y", text=window_text(50), source="s")]
    kept, drops, duplicates, metrics = run(docs, MinHashConfig(**{**CHAIN, "verify": "off"}))
    assert kept == sorted(d.id for d in docs) and drops == [] and duplicates == []
    assert metrics["documents_without_shingles"] == 4 and metrics.get("edges", 0) == 0


def test_long_chain_needs_several_rounds_and_too_few_rounds_fail_loudly():
    docs = chain_docs(60)
    kept, drops, _, metrics = run(docs, MinHashConfig(**{**CHAIN, "max_rounds": 10}))
    assert kept == [smallest_by_hash([d.id for d in docs])]
    assert len(drops) == 59
    assert metrics["edges"] == 59
    assert metrics["rounds"] >= 3 and metrics["converged"] == 1 and metrics["clusters"] == 1
    with pytest.raises(Exception, match="did not converge in 1 rounds"):
        run(docs, MinHashConfig(**{**CHAIN, "max_rounds": 1}))


def test_verification_modes_on_a_chain():
    docs = chain_docs(4)
    # Without verification every candidate pair links: the chain still ends in one cluster.
    kept, drops, _, _ = run(docs, MinHashConfig(**{**CHAIN, "verify": "off"}))
    assert len(kept) == 1 and len(drops) == 3
    # Estimated Jaccard at a threshold above the neighbours' similarity separates them all.
    kept, drops, _, _ = run(docs, MinHashConfig(**{**CHAIN, "verify": "estimated", "threshold": 0.95}))
    assert len(kept) == 4 and drops == []


@pytest.mark.parametrize(
    ("keep", "expected"),
    [("smallest_id_hash", None), ("longest", "b"), ("first", "c")],
)
def test_keep_rules(keep, expected):
    base = window_text(0)
    docs = [
        Document(id="a", text=base, source="s", source_order="f1\x1f000000\x1f000000000005"),
        Document(id="b", text=base + " tok100", source="s", source_order="f1\x1f000000\x1f000000000007"),
        Document(id="c", text=base + " tok101", source="s", source_order="f0\x1f000000\x1f000000000009"),
        Document(id="d", text=base + " tok102", source="s", source_order="f1\x1f000000\x1f000000000001"),
    ]
    expected = expected or smallest_by_hash(["a", "b", "c", "d"])
    kept, _, duplicates, _ = run(docs, MinHashConfig(**{**CHAIN, "keep": keep}))
    assert kept == [expected]
    assert {r["kept_id"] for r in duplicates} == {expected}


def test_longest_ties_go_to_the_smallest_id():
    base = window_text(0)
    docs = [Document(id=i, text=base + f" x{i}", source="s") for i in ("q", "p", "r")]
    kept, _, _, _ = run(docs, MinHashConfig(**{**CHAIN, "keep": "longest"}))
    assert kept == ["p"]


def test_scope_per_source_never_merges_across_sources():
    docs = chain_docs(2, "crawl-a") + [Document(id=f"z{i}", text=window_text(i), source="crawl-b") for i in range(2)]
    kept, drops, _, metrics = run(docs, MinHashConfig(**{**CHAIN, "scope": "source"}))
    assert len(kept) == 2 and metrics["clusters"] == 2
    assert {d[5] for d in drops} == {"crawl-a", "crawl-b"}
    kept, drops, _, metrics = run(docs, MinHashConfig(**{**CHAIN, "scope": "global"}))
    assert len(kept) == 1 and metrics["clusters"] == 1


def test_drops_carry_the_text_they_entered_with():
    docs = chain_docs(2)
    _, drops, _, _ = run(docs, MinHashConfig(**CHAIN))
    (drop,) = drops
    assert drop[4] == next(d.text for d in docs if d.id == drop[0])


def test_connected_components_transform_on_its_own():
    edges = [("b", "c"), ("c", "d"), ("x", "y"), ("d", "a")]
    with beam.Pipeline(options=PipelineOptions(IN_MEMORY)) as pipeline:
        out = pipeline | beam.Create(edges) | ConnectedComponents(max_rounds=5)
        from apache_beam.testing.util import assert_that, equal_to

        assert_that(out, equal_to([("b", "a"), ("c", "a"), ("d", "a"), ("y", "x")]))


def synthetic_documents(n: int) -> list[Document]:
    return [
        Document(
            id=record["id"],
            text=record["text"],
            source=record["crawl"],
            url=record["url"],
            language=record["lang"],
            source_order=f"synth\x1f{i:012d}",
        )
        for i, record in enumerate(generate(n, seed=11))
    ]


def test_identical_output_in_memory_and_multi_processing(tmp_path):
    docs = synthetic_documents(400)
    config = MinHashConfig(threshold=0.7, verify="estimated", keep="first", max_rounds=6)
    single = run(docs, config, IN_MEMORY, out_dir=tmp_path / "single")
    multi = run(docs, config, MULTI, out_dir=tmp_path / "multi")
    assert single[:3] == multi[:3]
    kept, drops, duplicates, metrics = single
    assert len(kept) + len(drops) == len(docs)
    assert len(drops) == len(duplicates) > 0 and metrics["near_duplicate"] == len(drops)
    kinds = {r["id"]: r["kind"] for r in generate(400, seed=11)}
    dropped_kinds = [kinds[d[0]] for d in drops]
    # Near and exact copies are what goes; originals may be dropped only in favour of an earlier copy.
    assert sum(k in ("near_duplicate", "exact_duplicate") for k in dropped_kinds) >= 0.8 * len(dropped_kinds)

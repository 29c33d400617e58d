"""`curation stats` on generated outputs: the JSON checked against an independent recomputation, the
terminal tables, the HTML report and the dataset card."""

from __future__ import annotations

import argparse
import base64
import gzip
import itertools
import json
import re
import shutil
from collections import Counter
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import yaml
from conftest import run_job, shared_data

from curation.document import DOMAINS_SCHEMA, DUPLICATES_SCHEMA, LEDGER_SCHEMA, SHARD_SCHEMA
from curation.stats.card import render_card, size_category
from curation.stats.html import render_html
from curation.synth import write_corpus
from curation_cli.stats import add_stats_parser, run_stats

PERCENTILE_TOLERANCE = 0.025


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="curation")
    add_stats_parser(parser.add_subparsers(dest="command", required=True))
    return parser.parse_args(["stats", *argv])


def stats_json(tmp_path: Path, *argv: str) -> dict:
    target = tmp_path / "stats.json"
    assert run_stats(parse(*argv, "--quiet", "--json", str(target))) == 0
    return json.loads(target.read_text())


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("corpus") / "web.jsonl.gz"
    write_corpus(path, 400, seed=5)
    return path


@pytest.fixture(scope="module")
def output(tmp_path_factory, corpus) -> Path:
    out = tmp_path_factory.mktemp("run") / "out"
    run_job({"input": {"paths": [str(corpus)]}, "output": {"path": str(out)}, "shards": {"tokens_per_shard": 40000}})
    return out


def _rows(directory: Path, pattern: str = "*.parquet") -> list[dict]:
    return [row for path in sorted(directory.glob(pattern)) for row in pq.read_table(path).to_pylist()]


def _top(counter: Counter, n: int) -> list[tuple]:
    return sorted(counter.items(), key=lambda item: (-item[1], item[0]))[:n]


def _check_percentiles(summary: dict, values: list[int]) -> None:
    assert summary["count"] == len(values)
    assert summary["sum"] == sum(values)
    assert (summary["min"], summary["max"]) == (min(values), max(values))
    for key, got in summary["percentiles"].items():
        exact = float(np.percentile(values, int(key[1:])))
        assert abs(got - exact) <= max(PERCENTILE_TOLERANCE * exact, 1.0), (key, got, exact)
    assert sum(summary["histogram"]["counts"]) == len(values)


def test_output_json_matches_recomputation(tmp_path, output):
    stats = stats_json(tmp_path, str(output), "--top", "5")
    rows = _rows(output / "data")
    manifest = json.loads((output / "manifest.json").read_text())
    assert stats["kind"] == "output" and stats["files"] == len(manifest["shards"])
    assert stats["documents"] == len(rows) == manifest["output_documents"]
    assert stats["text_bytes"] == sum(len(row["text"].encode()) for row in rows)
    assert stats["characters"] == sum(len(row["text"]) for row in rows)
    assert stats["words"] == sum(len(row["text"].split()) for row in rows)
    assert stats["tokens"] == sum(row["token_count"] for row in rows) == manifest["output_tokens"]
    assert stats["tokenizer"] == manifest["tokenizer"]["name"]
    _check_percentiles(stats["lengths"]["characters"], [len(row["text"]) for row in rows])
    _check_percentiles(stats["lengths"]["words"], [len(row["text"].split()) for row in rows])
    _check_percentiles(stats["lengths"]["tokens"], [row["token_count"] for row in rows])

    domains = Counter(row["domain"] for row in rows)
    domain_tokens = Counter()
    for row in rows:
        domain_tokens[row["domain"]] += row["token_count"]
    top = stats["domains"]["top_by_documents"]
    assert [(row["domain"], row["documents"]) for row in top] == _top(domains, 5)
    assert [(row["domain"], row["tokens"]) for row in stats["domains"]["top_by_tokens"]] == _top(domain_tokens, 5)
    assert stats["domains"]["distinct"] == len(domains)
    sources = Counter(row["source"] for row in rows)
    assert {row["source"]: row["documents"] for row in stats["sources"]} == dict(sources)

    ledger = Counter((row["stage"], row["reason"]) for row in _rows(output / "dropped"))
    funnel = stats["funnel"]
    assert funnel["input_documents"] == manifest["input_documents"]
    assert funnel["ledger_documents"] == sum(ledger.values()) == sum(manifest["dropped"].values())
    assert funnel["stages"][-1]["remaining"] == manifest["output_documents"]
    assert stats["checks"] == {
        "documents_match_manifest": True,
        "tokens_match_manifest": True,
        "ledger_matches_manifest": True,
    }

    duplicates = _rows(output / "duplicates.parquet")
    clusters = Counter(row["cluster_id"] for row in duplicates)
    sizes = Counter(count + 1 for count in clusters.values())
    exact = stats["duplicates"]["by_stage"][0]
    assert exact["stage"] == "exact" and exact["documents_removed"] == len(duplicates) > 0
    assert {row["size"]: row["clusters"] for row in exact["cluster_sizes"]} == dict(sizes)
    assert exact["rate"] == pytest.approx(len(duplicates) / manifest["input_documents"])


@pytest.fixture(scope="module")
def enriched(tmp_path_factory, output) -> Path:
    """The run's output with every side output a full pipeline writes: languages, redactions, near
    duplicates in the ledger, filter drops and scored PII domains (values assigned, not detected)."""
    out = tmp_path_factory.mktemp("enriched") / "out"
    shutil.copytree(output, out)
    entity_types = ("EMAIL_ADDRESS", "PHONE_NUMBER", "CREDIT_CARD")
    for path in sorted((out / "data").glob("*.parquet")):
        rows = pq.read_table(path).to_pylist()
        for index, row in enumerate(rows):
            row["language"] = json.loads(row["metadata"] or "{}").get("lang")
            kinds = entity_types[: index % 4]
            row["pii_redactions"] = [{"entity_type": kind, "count": 1 + index % 3} for kind in kinds] or None
        pq.write_table(pa.Table.from_pylist(rows, schema=SHARD_SCHEMA), path)
    extra = [("gopher_quality", "too_short")] * 7 + [("minhash_dedup", "near_duplicate")] * 5
    ledger = [
        {"id": f"x{i}", "url": None, "domain": "d.com", "source": "s", "stage": stage, "reason": reason}
        for i, (stage, reason) in enumerate(extra)
    ]
    pq.write_table(pa.Table.from_pylist(ledger, schema=LEDGER_SCHEMA), out / "dropped" / "part-extra.parquet")
    near = [
        {"id": f"x{i}", "cluster_id": "c1" if i < 9 else "c2", "kept_id": "k", "stage": "near"} for i in range(7, 12)
    ]
    pq.write_table(
        pa.Table.from_pylist(near, schema=DUPLICATES_SCHEMA), out / "duplicates.parquet" / "part-near.parquet"
    )
    counts = dict.fromkeys(["words", "documents_with_pii", "spans", "distinct_emails", "distinct_phones"], 1)
    domains = [
        {"domain": f"site{i}.com", "documents": 5 + i, "spans_per_kword": float(i * 3 % 17), "decision": "keep"}
        | counts
        | {"share_docs_with_pii": 0.5, "spans_by_type": []}
        for i in range(30)
    ]
    domains[4]["decision"] = "drop"
    (out / "pii_domains.parquet").mkdir()
    table = pa.Table.from_pylist(domains, schema=DOMAINS_SCHEMA)
    pq.write_table(table, out / "pii_domains.parquet" / "part-00000.parquet")
    manifest = json.loads((out / "manifest.json").read_text())
    manifest["input_documents"] += len(extra)
    manifest["dropped"].update({"gopher_quality/too_short": 7, "minhash_dedup/near_duplicate": 5})
    manifest["config"]["filters"]["steps"] = [{"gopher_quality": {"min_doc_words": 50}}]
    manifest["config"]["minhash"]["enabled"] = True
    (out / "manifest.json").write_text(json.dumps(manifest))
    return out


def test_every_side_output(tmp_path, enriched):
    stats = stats_json(tmp_path, str(enriched))
    rows = _rows(enriched / "data")
    spans, documents = Counter(), Counter()
    for row in rows:
        for item in row["pii_redactions"] or []:
            spans[item["entity_type"]] += item["count"]
            documents[item["entity_type"]] += 1
    redactions = stats["pii_redactions"]
    assert {r["entity_type"]: (r["spans"], r["documents"]) for r in redactions["by_type"]} == {
        kind: (spans[kind], documents[kind]) for kind in spans
    }
    assert redactions["documents_with_redactions"] == sum(1 for row in rows if row["pii_redactions"])
    languages = Counter(row["language"] for row in rows)
    assert {r["language"]: r["documents"] for r in stats["languages"]} == dict(languages)

    stages = [stage["stage"] for stage in stats["funnel"]["stages"]]
    assert stages == ["gopher_quality", "exact_dedup", "minhash_dedup"]
    remaining = [stage["remaining"] for stage in stats["funnel"]["stages"]]
    assert remaining == sorted(remaining, reverse=True) and remaining[-1] == stats["documents"]
    assert stats["checks"]["ledger_matches_manifest"] is True
    near = next(s for s in stats["duplicates"]["by_stage"] if s["stage"] == "near")
    assert near["ledger_stage"] == "minhash_dedup" and near["documents_removed"] == 5
    assert near["cluster_sizes"] == [{"size": 3, "clusters": 1}, {"size": 4, "clusters": 1}]  # x7-x8, x9-x11
    entering = stats["funnel"]["stages"][2]["entering"]
    assert near["rate"] == pytest.approx(5 / entering)

    pii = stats["pii_domains"]
    assert pii["domains"] == 30 and pii["decisions"] == {"keep": 29, "drop": 1}
    assert pii["score_column"] == "spans_per_kword" and pii["decision_column"] == "decision"
    scores = [row["spans_per_kword"] for row in pii["top"]]
    assert scores == sorted((float(i * 3 % 17) for i in range(30)), reverse=True)[:20]


def test_pii_domains_of_another_schema_are_an_error_not_a_guess(tmp_path, output, capsys):
    out = tmp_path / "out"
    shutil.copytree(output, out)
    shutil.rmtree(out / "pii_domains.parquet", ignore_errors=True)
    (out / "pii_domains.parquet").mkdir()
    table = pa.table({"host": ["a.com", "b.com"], "dropped": [True, False], "ratio": [0.1, 0.9]})
    pq.write_table(table, out / "pii_domains.parquet" / "part-0.parquet")
    assert run_stats(parse(str(out), "--quiet", "--json", str(tmp_path / "s.json"))) == 2
    error = capsys.readouterr().err
    assert "pii_domains.parquet: part-0.parquet lacks the columns domain, documents" in error


def test_parquet_files_without_token_counts(tmp_path):
    texts = ["one two three", "", "naïve café\u00a0au lait", None, "x " * 50]
    path = tmp_path / "plain.parquet"
    pq.write_table(pa.table({"text": texts, "domain": ["a.com", "a.com", "b.com", None, "b.com"]}), path)
    stats = stats_json(tmp_path, str(tmp_path / "*.parquet"))
    assert stats["kind"] == "parquet" and stats["documents"] == 5
    assert stats["tokens"] is None and stats["lengths"]["tokens"] is None and stats["tokenizer"] is None
    assert stats["words"] == sum(len((t or "").split()) for t in texts)
    assert stats["text_bytes"] == sum(len((t or "").encode()) for t in texts)
    assert stats["domains"]["without_domain"] == 1 and stats["funnel"] is None
    counted = stats_json(tmp_path, str(path), "--count-tokens")
    from curation.tokens import token_counter

    assert counted["tokens"] == sum(token_counter("o200k_base").count_batch([t or "" for t in texts]))
    assert counted["tokenizer"] == "o200k_base"


def test_empty_corpus(tmp_path, capsys):
    pq.write_table(pa.table({"text": pa.array([], pa.string())}), tmp_path / "empty.parquet")
    report = tmp_path / "empty.html"
    stats = stats_json(tmp_path, str(tmp_path / "empty.parquet"), "--html", str(report))
    assert stats["documents"] == 0 and stats["lengths"]["words"]["percentiles"]["p50"] is None
    assert "Lengths per document" not in capsys.readouterr().out
    assert "<h2>Overview</h2>" in report.read_text()


def test_raw_jsonl_input(tmp_path, corpus):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a", "text": "hello world"}\n{not json\n{"id": "b"}\n')
    stats = stats_json(tmp_path, str(corpus), str(bad))
    with gzip.open(corpus, "rt", encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle]
    assert stats["kind"] == "raw"
    assert stats["documents"] == len(records) + 1
    assert stats["rejected_records"] == 2
    assert stats["words"] == sum(len(r["text"].split()) for r in records) + 2
    assert stats["tokens"] is None and stats["languages"] is None


def test_raw_real_web_pages(tmp_path):
    path = shared_data("web/aeb.jsonl.gz")
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        texts = [row.get("text") for row in map(json.loads, handle)]
    kept = [text for text in texts if isinstance(text, str) and text.strip()]
    stats = stats_json(tmp_path, str(path))
    assert stats["documents"] == len(kept)
    assert stats["characters"] == sum(len(text) for text in kept)
    assert stats["words"] == sum(len(text.split()) for text in kept)


def test_sample_is_deterministic_and_from_the_corpus(tmp_path, output):
    first = stats_json(tmp_path, str(output), "--sample", "4", "--seed", "3")["sample"]
    again = stats_json(tmp_path, str(output), "--sample", "4", "--seed", "3")["sample"]
    other = stats_json(tmp_path, str(output), "--sample", "4", "--seed", "4")["sample"]
    ids = {row["id"]: row["text"] for row in _rows(output / "data")}
    assert len(first) == 4 and first == again and first != other
    assert all(ids[row["id"]] == row["text"] for row in first)


def test_sample_printed(capsys, output):
    assert run_stats(parse(str(output), "--quiet", "--sample", "2")) == 0
    printed = capsys.readouterr().out
    assert "sample 1 of 2" in printed and "sample 2 of 2" in printed and "Drop funnel" in printed


def test_terminal_report(capsys, enriched):
    assert run_stats(parse(str(enriched), "--quiet")) == 0
    printed = capsys.readouterr().out
    for heading in ("Corpus", "Lengths per document", "Languages", "Top domains by documents", "Drop funnel",
                    "Duplicates removed", "Most PII-dense domains", "Personal data anonymized"):  # fmt: skip
        assert heading in printed
    assert "gopher_quality" in printed and "too_short" in printed


def test_compare(tmp_path, capsys, output, enriched):
    document = json.loads(_stdout_json(capsys, str(output), str(enriched)))
    a, b = document["compare"]["a"], document["compare"]["b"]
    assert document["names"] == [str(output), str(enriched)]
    assert a["documents"] == b["documents"] and a["languages"] != b["languages"]
    assert run_stats(parse("--compare", str(output), str(enriched), "--quiet", "--html", str(tmp_path / "c.html"))) == 0
    printed = capsys.readouterr().out
    assert "Corpora compared" in printed and "Languages (share of documents)" in printed
    assert (tmp_path / "c.html").read_text().count("data:image/png;base64,") >= 2


def _stdout_json(capsys, a: str, b: str) -> str:
    capsys.readouterr()
    assert run_stats(parse("--compare", a, b, "--quiet", "--json")) == 0
    return capsys.readouterr().out


def test_cli_errors(tmp_path, capsys, output):
    assert run_stats(parse(str(tmp_path / "missing.parquet"), "--quiet")) == 3
    assert run_stats(parse(str(output), "--compare", "a", "b")) == 2
    assert run_stats(parse("--quiet")) == 2
    pq.write_table(pa.table({"body": ["x"]}), tmp_path / "no_text.parquet")
    assert run_stats(parse(str(tmp_path / "no_text.parquet"), "--quiet")) == 2
    assert run_stats(parse(str(tmp_path / "no_text.parquet"), "--quiet", "--text-key", "body")) == 0
    assert run_stats(parse(str(tmp_path / "no_text.parquet"), "--quiet", "--card", str(tmp_path / "c.md"))) == 2
    errors = [line for line in capsys.readouterr().err.splitlines() if line.startswith("error:")]
    assert len(errors) == 5
    assert "no 'text' column" in errors[3] and "output directory" in errors[4]


def test_help_lists_every_option():
    parser = argparse.ArgumentParser(prog="curation")
    stats = add_stats_parser(parser.add_subparsers(dest="command"))
    text = stats.format_help()
    for option in ("--json", "--html", "--sample", "--seed", "--compare", "--card", "--count-tokens", "PATH"):
        assert option in text


def test_html_is_one_self_contained_file(tmp_path, enriched):
    report = tmp_path / "report.html"
    assert run_stats(parse(str(enriched), "--quiet", "--html", str(report))) == 0
    html = report.read_text()
    assert html.startswith("<!DOCTYPE html>") and html.rstrip().endswith("</html>")
    assert "<script" not in html and not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    images = re.findall(r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"', html)
    assert len(images) >= 6
    assert all(base64.b64decode(image)[:8] == b"\x89PNG\r\n\x1a\n" for image in images)
    for section in ("Document lengths", "Languages", "Domains", "Drop funnel", "Duplicates", "PII-dense domains",
                    "Personal data anonymized"):  # fmt: skip
        assert f"<h2>{section}" in html


def test_html_escapes_values(tmp_path, enriched):
    stats = stats_json(tmp_path, str(enriched))
    stats["domains"]["top_by_documents"][0]["domain"] = "<b>evil</b>.com"
    html = render_html([("x", stats)])
    assert "<b>evil</b>" not in html and "&lt;b&gt;evil&lt;/b&gt;.com" in html


def test_card(tmp_path, enriched):
    card_path = tmp_path / "README.md"
    assert run_stats(parse(str(enriched), "--quiet", "--card", str(card_path))) == 0
    card = card_path.read_text()
    header, body = card.split("---\n", 2)[1:]
    metadata = yaml.safe_load(header)
    stats = stats_json(tmp_path, str(enriched))
    assert metadata["task_categories"] == ["text-generation"]
    assert metadata["license"] == "unknown" and "TODO(owner)" in header
    assert metadata["size_categories"] == [size_category(stats["documents"])] == ["n<1K"]
    assert set(metadata["language"]) == {r["language"] for r in stats["languages"]} - {None, "und"}
    assert metadata["configs"][0]["data_files"][0]["path"] == "data/*.parquet"
    for heading in ("## Sources", "## Processing", "## Personal data", "## Deduplication", "## Token counts",
                    "## Known limitations", "## Licence"):  # fmt: skip
        assert heading in body
    assert "filter `gopher_quality` | yes | `min_doc_words=50` | 7 (too_short: 7)" in body
    assert "5 (near_duplicate: 5)" in body
    assert f"{stats['tokens']:,} tokens counted with `o200k_base`" in body
    assert "Domains scored: 30; dropped: 1" in body
    assert "Names and places were not detected" not in body  # PII disabled in this run
    assert "Personal data was **not** detected" in body


def test_card_needs_a_manifest(tmp_path, enriched):
    stats = stats_json(tmp_path, str(enriched))
    stats["manifest"] = None
    with pytest.raises(ValueError, match="manifest"):
        render_card(stats)


@pytest.mark.parametrize(("documents", "category"), [(0, "n<1K"), (999, "n<1K"), (1000, "1K<n<10K"), (10**13, "n>1T")])
def test_size_category(documents, category):
    assert size_category(documents) == category


def test_summary_of_a_run_too_short_to_time():
    from rich.console import Console

    from curation.manifest import Manifest, ShardEntry
    from curation.summary import print_summary

    shard = ShardEntry(path="data/part-00000-of-00001.parquet", documents=1, tokens=3, bytes=9, sha256="0" * 64)
    manifest = Manifest(
        input_documents=1,
        output_documents=1,
        output_tokens=3,
        rejected_records=0,
        dropped={},
        shards=[shard],
        tokenizer={"name": "o200k_base"},
        config={},
        config_sha256="0" * 64,
    )
    console = Console(record=True, width=120)
    print_summary(manifest, "m.json", 0.5, 10, console, {"Read": 0.0, "WriteShards": 0.0})
    printed = console.export_text()
    assert "time per stage" not in printed and "documents/s" in printed


DECIDED = [  # (domain, documents, spans per 1,000 words, decision, reason, detail, spans by type)
    ("one.example", 1, 90.0, "keep", "min_docs", "one.example: 1 documents < min_docs 5, too few to judge",
     {"EMAIL_ADDRESS": 3}),
    ("dense-and-dropped.example", 12, 40.0, "drop", "thresholds",
     "dense-and-dropped.example: 40.0 spans per 1,000 words > 20 and 0.90 of documents with personal data > 0.6 "
     "(12 documents)", {"EMAIL_ADDRESS": 10, "PHONE_NUMBER": 6, "CREDIT_CARD": 2}),
    ("allowed.example", 8, 30.0, "keep", "allow_list", "allowed.example: on the allow list", {"PHONE_NUMBER": 9}),
    ("longest-registered-name.com.au", 7, 5.0, "keep", "below_thresholds",
     "longest-registered-name.com.au: 5.0 spans per 1,000 words <= 20", {"EMAIL_ADDRESS": 2, "PHONE_NUMBER": 2,
     "CREDIT_CARD": 1, "IBAN_CODE": 1, "IP_ADDRESS": 1}),
    ("old-keep.example", 9, 2.0, "keep", None, None, {}),
    ("blocked.example", 6, 1.0, "drop", "block_list", "blocked.example: on the block list", {"IP_ADDRESS": 1}),
]  # fmt: skip


@pytest.fixture(scope="module")
def decided(tmp_path_factory, enriched) -> Path:
    """`enriched` with domain decisions that carry reasons and details (one older keep without), a
    one-document domain at the top of the scores, and 26 more domains below them."""
    out = tmp_path_factory.mktemp("decided") / "out"
    shutil.copytree(enriched, out)
    counts = dict.fromkeys(["words", "documents_with_pii", "spans", "distinct_emails", "distinct_phones"], 1)
    rows = [
        {"domain": name, "documents": docs, "spans_per_kword": score, "decision": decision, "reason": reason}
        | {"detail": detail, "share_docs_with_pii": 0.5, **counts}
        | {"spans_by_type": [{"entity_type": kind, "count": n} for kind, n in types.items()]}
        for name, docs, score, decision, reason, detail, types in DECIDED
    ]
    rows += [
        {"domain": f"filler{i:02}.com", "documents": 5 + i, "spans_per_kword": 0.5 - i / 100, "decision": "keep"}
        | {"reason": "below_thresholds", "detail": f"filler{i:02}.com: below", "share_docs_with_pii": 0.1}
        | counts
        | {"spans_by_type": [{"entity_type": "PHONE_NUMBER", "count": 1}]}
        for i in range(26)
    ]
    shutil.rmtree(out / "pii_domains.parquet")
    (out / "pii_domains.parquet").mkdir()
    pq.write_table(pa.Table.from_pylist(rows, schema=DOMAINS_SCHEMA), out / "pii_domains.parquet" / "part-0.parquet")
    return out


def _titled(tables, start: str):
    return next(table for table in tables if str(table.title).startswith(start))


def test_top_is_honoured_by_every_terminal_table(tmp_path, capsys, decided):
    from curation.stats.report import report_tables

    for top in (3, 25):
        stats = stats_json(tmp_path, str(decided), "--top", str(top))
        tables = report_tables(stats)
        assert _titled(tables, "Top domains by documents").row_count == top
        assert _titled(tables, "Top domains by tokens").row_count == top
        assert _titled(tables, "Most PII-dense domains").row_count == top
        assert run_stats(parse(str(decided), "--quiet", "--top", str(top))) == 0
        printed = capsys.readouterr().out
        assert stats["domains"]["top_by_documents"][-1]["domain"] in printed  # beyond the old 15 rows at 25
        assert stats["pii_domains"]["top"][-1]["domain"] in printed  # beyond the old 10 rows at 25
        if top == 3:
            assert "old-keep.example" not in printed  # the fourth densest


def test_pii_domains_table_fits_80_columns(capsys, monkeypatch, decided):
    monkeypatch.setenv("COLUMNS", "80")
    assert run_stats(parse(str(decided), "--quiet")) == 0
    printed = capsys.readouterr().out
    section = printed[printed.index("Most PII-dense domains") :]
    lines = section.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert "…" not in section
    header = " ".join(lines[1:5])
    for words in ("domain", "decision /", "reason", "docs", "/1k", "words", "share", "PII", "spans by", "type"):
        assert words in header
    cells = {}  # domain -> (its line, the line below: the reason)
    for line, below in itertools.pairwise(lines):
        name = line.split(" ", 1)[0]
        if name in {row[0] for row in DECIDED}:
            cells[name] = ([cell.strip() for cell in line.split("│")], below.split("│")[1].strip())
    assert set(cells) == {row[0] for row in DECIDED}  # every domain whole, on one line
    assert cells["one.example"] == (["one.example", "keep", "1", "90.00", "0.50", "email:3"], "min docs")
    assert cells["dense-and-dropped.example"] == (
        ["dense-and-dropped.example", "drop", "12", "40.00", "0.50", "email:10"],
        "thresholds",
    )
    assert cells["old-keep.example"][1] == "-"  # an older output's keep: no reason recorded
    assert cells["allowed.example"][1] == "allow list" and cells["blocked.example"][1] == "block list"
    assert cells["longest-registered-name.com.au"][1] == "below"  # `below thresholds`, wrapped


def test_pii_domain_reasons_in_json_html_and_card(tmp_path, decided):
    stats = stats_json(tmp_path, str(decided))
    pii = stats["pii_domains"]
    reasons = {(r["decision"], r["reason"]): r["domains"] for r in pii["reasons"]}
    assert reasons == {
        ("keep", "min_docs"): 1,
        ("drop", "thresholds"): 1,
        ("keep", "allow_list"): 1,
        ("keep", "below_thresholds"): 27,
        ("keep", None): 1,
        ("drop", "block_list"): 1,
    }
    assert pii["policy"] == {"min_docs": 5, "max_spans_per_kword": 20.0, "max_share_docs_with_pii": 0.6}
    assert [row["domain"] for row in pii["top_judged"][:2]] == ["dense-and-dropped.example", "allowed.example"]
    assert all(row["documents"] >= 5 for row in pii["top_judged"])

    html = render_html([("x", stats)])
    section = html[html.index('id="pii-domains"') : html.index("</section>", html.index('id="pii-domains"'))]
    rows = re.findall(r"<tr><td>([^<]+)</td><td>(keep|drop)</td><td( title=\"[^\"]*\")?>([^<]+)</td>", section)
    assert len(rows) == len(pii["top"]) == 20
    shown = {domain: (reason, title) for domain, _, title, reason in rows}
    assert shown["old-keep.example"] == ("-", "")
    assert shown["one.example"] == (
        "min_docs",
        ' title="one.example: 1 documents &lt; min_docs 5, too few to judge"',
    )
    assert shown["dense-and-dropped.example"][0] == "thresholds"
    assert "&gt; 20 and 0.90" in shown["dense-and-dropped.example"][1]
    assert '<td class="wrap">EMAIL_ADDRESS=10, PHONE_NUMBER=6, CREDIT_CARD=2</td>' in section
    assert '<div class="wide"><table class="pii">' in section

    card = render_card(stats)
    assert "Dropped: 1 on the block list (`block_list`), 1 above both thresholds (`thresholds`)." in card
    assert "1 too few documents to judge (`min_docs`)" in card


@pytest.fixture
def drawn(monkeypatch):
    """The axes of every plot `render_html` draws, kept for inspection."""
    from curation.stats import html

    axes: list = []
    real = html._figure_png

    def capture(draw, width=10.0, height=3.4, columns=1):
        return real(lambda ax: (draw(ax), axes.extend(ax)), width, height, columns)

    monkeypatch.setattr(html, "_figure_png", capture)
    return axes


def _axes_titled(axes: list, start: str):
    return next(ax for ax in axes if ax.get_title().startswith(start))


def test_html_pii_chart_judged_domains_and_threshold(tmp_path, drawn, decided):
    from curation.stats.html import _pii_domains

    stats = stats_json(tmp_path, str(decided))
    _pii_domains(stats)
    ax = _axes_titled(drawn, "most PII-dense domains with at least 5 documents")
    names = [tick.get_text() for tick in ax.get_yticklabels()]
    assert names[:3] == ["dense-and-dropped.example", "allowed.example", "longest-registered-name.com.au"]
    assert "one.example" not in names and len(names) == 15
    assert [list(line.get_xdata()) for line in ax.get_lines()] == [[20.0, 20.0]]  # the drop threshold
    assert ax.get_xlim()[1] >= 40.0
    dropped = next(tick for tick in ax.get_yticklabels() if tick.get_text() == "dense-and-dropped.example")
    assert dropped.get_color() == "#c0392b"

    drawn.clear()
    stats["pii_domains"]["policy"] = dict.fromkeys(stats["pii_domains"]["policy"])
    stats["pii_domains"]["top_judged"] = None  # min_docs unknown: every domain charted
    _pii_domains(stats)
    ax = _axes_titled(drawn, "most PII-dense domains,")
    assert ax.get_yticklabels()[0].get_text() == "one.example" and not ax.get_lines()


def test_html_funnel_axis(tmp_path, drawn, enriched):
    from curation.stats.html import _funnel

    stats = stats_json(tmp_path, str(enriched))
    _funnel(stats)
    ax = _axes_titled(drawn, "documents remaining after each stage")
    assert ax.get_xlabel() == "documents"
    assert ax.get_xlim() == (0.0, float(stats["funnel"]["input_documents"]))

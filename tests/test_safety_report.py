"""The `--safety` statistics rendered: the HTML report's Safety section (one plot per measure, the
most toxic documents by id only), the compare document's before-and-after section, and the
dataset card's Safety measures subsection."""

from __future__ import annotations

import itertools
import re

import pytest
from conftest import run_job, write_jsonl

from curation.stats import ScanOptions, compute_stats, open_corpus
from curation.stats.card import render_card
from curation.stats.html import render_html
from curation.synth import generate

TOXIC = "you are an idiot and a stupid moron, shut up you idiot"


@pytest.fixture(scope="module")
def corpora(tmp_path_factory) -> tuple[dict, dict]:
    """The statistics of a raw JSONL file (with a toxic document) and of its curated output."""
    root = tmp_path_factory.mktemp("safety-report")
    rows = [
        {"id": row["id"], "text": row["text"], "url": row["url"]}
        for row in itertools.islice(generate(200, seed=3), 200)
    ]
    rows.append({"id": "toxic-doc", "text": TOXIC, "url": "https://example.com/toxic"})
    (root / "raw").mkdir()
    raw = write_jsonl(root / "raw" / "web.jsonl", rows)
    out = root / "out"
    config = {
        "input": {"paths": [str(raw)]},
        "output": {"path": str(out)},
        "shards": {"tokens_per_shard": 40000},
        "filters": {"enabled": True, "steps": [{"language": {"languages": None, "min_score": 0.5}}]},
        "pii": {"enabled": True},
    }
    run_job(config)
    options = ScanOptions(safety=True)
    return compute_stats(open_corpus([str(raw)]), options), compute_stats(open_corpus([str(out)]), options)


def _section(html: str, anchor: str) -> str:
    start = html.index(f'<section id="{anchor}">')
    return html[start : html.index("</section>", start)]


def test_safety_section_has_one_plot_per_measure_and_ids_only(corpora):
    raw, _ = corpora
    html = render_html([("raw", raw)])
    assert 'href="#safety"' in html
    section = _section(html, "safety")
    assert "Safety (Llama 2 section 4.1 measures)" in section
    for heading in ("Pronouns", "Identity terms", "Toxicity", "Languages", "Caveats"):
        assert f"<h3>{heading}</h3>" in section
    # pronouns, identities, toxicity, languages; personal data only with pii_redactions (raw input has none)
    assert section.count("<img") == 4
    assert raw["safety"]["toxicity"]["most_toxic"][0]["id"] == "toxic-doc"
    assert "<td>toxic-doc</td>" in section
    assert "idiot" not in html and "moron" not in html  # ids and scores, never text
    assert "ambiguous" in section and "HolisticBias" in section


def test_output_report_has_personal_data_plot(corpora):
    _, out = corpora
    section = _section(render_html([("out", out)]), "safety")
    assert "<h3>Personal data</h3>" in section
    expected = 5 if out["safety"]["personal_data"]["spans_per_1k_words_by_type"] else 4
    assert section.count("<img") == expected


def test_no_safety_section_without_safety(corpora):
    raw, _ = corpora
    stats = {key: value for key, value in raw.items() if key != "safety"}
    assert 'id="safety"' not in render_html([("raw", stats)])


def test_compare_renders_before_and_after(corpora):
    raw, out = corpora
    html = render_html([("raw", raw), ("curated", out)])
    section = _section(html, "safety-shift")
    assert "Safety: before and after" in section
    assert section.count("<img") == 1
    assert "Identity terms that moved most" in section
    assert "idiot" not in html
    plain = {key: value for key, value in out.items() if key != "safety"}
    assert 'id="safety-shift"' not in render_html([("raw", raw), ("curated", plain)])


def test_card_has_safety_measures(corpora):
    _, out = corpora
    card = render_card(out)
    assert "### Safety measures" in card
    subsection = card.split("### Safety measures", 1)[1].split("\n## ", 1)[0]
    assert re.search(r"she \d+\.\d%", subsection)
    assert "ToxicityScorer" in subsection and "Caveats" in subsection
    assert "Languages" in subsection and "Identity terms" in subsection
    plain = {key: value for key, value in out.items() if key != "safety"}
    assert "Safety measures" not in render_card(plain)


def test_html_is_self_contained(corpora):
    raw, out = corpora
    for html in (render_html([("raw", raw)]), render_html([("raw", raw), ("out", out)])):
        assert not re.search(r'src="(?!data:)', html)

"""AnonymizePii on the DirectRunner: people-search domains dropped, others anonymized, pii_domains.parquet written."""

from __future__ import annotations

import apache_beam as beam
import pyarrow.parquet as pq
import pytest
from apache_beam.options.pipeline_options import PipelineOptions
from apache_beam.testing.test_pipeline import TestPipeline
from apache_beam.testing.util import assert_that, equal_to

from beam_jobs.pii import AnonymizePii
from beam_jobs.tags import DROPPED
from curation.config import PiiConfig
from curation.document import Document, registered_domain
from curation.synth import generate

OPTIONS = PipelineOptions(["--runner=DirectRunner", "--direct_running_mode=in_memory"])
PLANTED = "Write to Jane at jane.roe@example.com or call +1-780-563-6083."


@pytest.fixture(scope="module")
def corpus() -> list[Document]:
    docs = [
        Document(
            id=r["id"],
            text=r["text"],
            source="synth",
            url=r["url"],
            domain=registered_domain(r["url"]),
            language=r["lang"],
        )
        for r in generate(900, seed=4)
        if r["kind"] != "exact_duplicate"
    ]
    kinds = {}
    for record in generate(900, seed=4):
        kinds.setdefault(registered_domain(record["url"]), set()).add(record["kind"])
    planted = [Document(id=f"planted-{n}", text=PLANTED, source="t", url=None) for n in range(3)]
    return docs + planted, kinds


def test_pii_stage_drops_people_search_domains_and_anonymizes_the_rest(corpus, tmp_path):
    docs, kinds = corpus
    people_domains = {domain for domain, found in kinds.items() if "people_search" in found}
    assert people_domains and all(kinds[d] == {"people_search"} for d in people_domains)
    expected_dropped = sorted(d.id for d in docs if d.domain in people_domains)
    assert len(expected_dropped) >= 10
    expected_kept = sorted(d.id for d in docs if d.domain not in people_domains)
    with TestPipeline(options=OPTIONS) as p:
        out = p | beam.Create(docs) | AnonymizePii(PiiConfig(), str(tmp_path))
        assert_that(out.documents | "KeptIds" >> beam.Map(lambda d: d.id), equal_to(expected_kept))
        assert_that(
            out[DROPPED] | beam.Map(lambda d: (d.id, d.stage, d.reason, bool(d.text), d.domain in (d.detail or ""))),
            equal_to([(i, "pii_domains", "pii_domain", True, True) for i in expected_dropped]),
            label="dropped",
        )
        planted = (
            out.documents
            | beam.Filter(lambda d: d.id.startswith("planted-"))
            | beam.Map(lambda d: (d.text, d.pii_redactions, d.pii_spans))
        )
        anonymized = "Write to Jane at <EMAIL_ADDRESS> or call <PHONE_NUMBER>."
        counts = {"EMAIL_ADDRESS": 1, "PHONE_NUMBER": 1}
        assert_that(planted, equal_to([(anonymized, counts, None)] * 3), label="planted")
    table = pq.read_table(tmp_path / "pii_domains.parquet").to_pylist()
    decisions = {row["domain"]: row for row in table}
    assert {d for d, row in decisions.items() if row["decision"] == "drop"} == people_domains
    assert set(decisions) == {d.domain for d in docs if d.domain}
    for domain in people_domains:
        assert decisions[domain]["reason"] == "thresholds" and decisions[domain]["distinct_emails"] > 20


def test_pii_stage_with_block_list_and_domains_disabled(tmp_path):
    block = tmp_path / "block.txt"
    block.write_text("example.org\n")
    docs = [
        Document(
            id="a", text="nothing personal here", source="t", url="https://www.example.org/a", domain="example.org"
        ),
        Document(
            id="b", text="mail bob@example.net", source="t", url="https://news.example.net/b", domain="example.net"
        ),
    ]
    config = PiiConfig(domains={"block_list": str(block)})
    with TestPipeline(options=OPTIONS) as p:
        out = p | beam.Create(docs) | AnonymizePii(config, str(tmp_path / "out"))
        assert_that(out.documents | beam.Map(lambda d: (d.id, d.text)), equal_to([("b", "mail <EMAIL_ADDRESS>")]))
        assert_that(
            out[DROPPED] | beam.Map(lambda d: (d.id, d.reason, d.detail, d.text)),
            equal_to([("a", "pii_domain", "example.org: on the block list", "nothing personal here")]),
            label="dropped",
        )
    with TestPipeline(options=OPTIONS) as p:
        out = (
            p
            | beam.Create([Document(id="c", text="x", source="t")])
            | AnonymizePii(PiiConfig(), str(tmp_path / "none"))
        )
        assert_that(out.documents | beam.Map(lambda d: d.id), equal_to(["c"]))
    assert not (tmp_path / "none" / "pii_domains.parquet").exists()  # its empty part: `finish_run`'s
    disabled = PiiConfig(domains={"enabled": False})
    with TestPipeline(options=OPTIONS) as p:
        out = p | beam.Create(docs) | AnonymizePii(disabled, str(tmp_path / "off"))
        assert_that(out.documents | beam.Map(lambda d: d.id), equal_to(["a", "b"]))
    assert not (tmp_path / "off").exists()


def test_pii_stage_refuses_pseudonyms_without_key(monkeypatch, tmp_path):
    monkeypatch.delenv("NO_SUCH_PII_KEY", raising=False)
    config = PiiConfig(pseudonym_key_env="NO_SUCH_PII_KEY", operators={"EMAIL_ADDRESS": {"type": "pseudonym"}})
    with pytest.raises(ValueError, match="no key"):
        AnonymizePii(config, str(tmp_path))


def test_pii_stage_ner_pseudonyms_are_consistent_across_documents(monkeypatch, tmp_path):
    monkeypatch.setenv("BEAM_PII_KEY", "beam-test-key-42")
    config = PiiConfig(
        ner=True,
        pseudonym_key_env="BEAM_PII_KEY",
        operators={"PERSON": {"type": "pseudonym"}, "EMAIL_ADDRESS": {"type": "pseudonym", "length": 8}},
    )
    texts = ["Maria Lopez wrote to us.", "We thank Maria Lopez today.", "Contact maria.lopez@example.org now."]
    docs = [Document(id=str(n), text=text, source="t") for n, text in enumerate(texts)]

    def tokens(doc):
        return [word.strip(".") for word in doc.text.split() if word.startswith("<")]

    with TestPipeline(options=OPTIONS) as p:
        out = p | beam.Create(docs) | AnonymizePii(config, str(tmp_path))
        found = out.documents | beam.Map(lambda d: (d.id, tokens(d), d.pii_redactions))
        assert_that(found, lambda rows: _check_pseudonyms(sorted(rows)))


def _check_pseudonyms(rows) -> None:
    (_, first, counts0), (_, second, _), (_, third, counts2) = rows
    assert first == second and first[0].startswith("<PERSON_") and len(first[0]) == len("<PERSON_>") + 16
    assert third[0].startswith("<EMAIL_ADDRESS_") and len(third[0]) == len("<EMAIL_ADDRESS_>") + 8
    assert counts0 == {"PERSON": 1} and counts2 == {"EMAIL_ADDRESS": 1}
    assert "beam-test-key-42" not in repr(rows)

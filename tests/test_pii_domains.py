"""Domain scoring: accumulators, the distinct-value sketch, the drop policy and its lists."""

from __future__ import annotations

import random

from curation.config import PiiDomainsConfig
from curation.document import DOMAINS_SCHEMA, PiiSpan
from curation.pii.domains import (
    DistinctCount,
    DomainAccumulator,
    DomainPolicy,
    count_words,
    read_domain_list,
    summarize,
)

LISTING = "Jane Roe, Age 41. Phone 555-201-4411, jane.roe@example.com. Phone 555-201-4412, jroe@example.com."


def listing_spans(text: str) -> list[PiiSpan]:
    spans = []
    for value, entity in (
        ("555-201-4411", "PHONE_NUMBER"),
        ("555-201-4412", "PHONE_NUMBER"),
        ("jane.roe@example.com", "EMAIL_ADDRESS"),
        ("jroe@example.com", "EMAIL_ADDRESS"),
        ("Jane Roe", "PERSON"),
    ):
        start = text.index(value)
        spans.append(PiiSpan(start, start + len(value), entity, 0.9))
    return spans


def test_summary_counts_words_types_and_hashes_values_not_text():
    summary = summarize(LISTING, listing_spans(LISTING))
    assert summary.words == 10
    assert dict(summary.spans) == {"EMAIL_ADDRESS": 2, "PERSON": 1, "PHONE_NUMBER": 2}
    assert summary.scored_spans == 4  # names do not make a domain dense
    assert len(summary.emails) == 2 and len(summary.phones) == 2
    assert "example" not in repr(summary)
    assert count_words("联系电话 call me") == 6


def test_accumulator_add_and_merge_agree():
    summaries = [summarize(LISTING, listing_spans(LISTING)), summarize("plain text here", [])] * 5
    whole = DomainAccumulator()
    for summary in summaries:
        whole.add(summary)
    left, right = DomainAccumulator(), DomainAccumulator()
    for index, summary in enumerate(summaries):
        (left if index % 3 else right).add(summary)
    merged = DomainAccumulator().merge(left).merge(right)
    assert merged.scores("d.com") == whole.scores("d.com")
    scores = whole.scores("d.com")
    assert (scores.documents, scores.documents_with_pii, scores.spans) == (10, 5, 20)
    assert (scores.distinct_emails, scores.distinct_phones) == (2, 2)
    assert abs(scores.spans_per_kword - 1000 * 20 / 65) < 1e-9


def test_distinct_count_is_exact_when_small_and_close_when_large():
    small = DistinctCount()
    small.add([1, 2, 3, 3])
    assert small.estimate() == 3
    rng = random.Random(5)
    parts = [DistinctCount() for _ in range(4)]
    for index in range(40_000):
        parts[index % 4].add([rng.getrandbits(64)])
    total = DistinctCount()
    for part in parts:
        total.add(part.hashes)
    assert abs(total.estimate() - 40_000) / 40_000 < 0.1


def test_policy_thresholds_min_docs_and_lists(tmp_path):
    dense = DomainAccumulator()
    for _ in range(4):
        dense.add(summarize(LISTING, listing_spans(LISTING)))
    policy = DomainPolicy(PiiDomainsConfig(min_docs=5))
    assert not policy.decide(dense.scores("people.com")).drop  # too few documents to judge
    dense.add(summarize(LISTING, listing_spans(LISTING)))
    decision = policy.decide(dense.scores("people.com"))
    assert decision.drop and decision.reason == "thresholds"
    assert "people.com" in decision.detail and "spans per 1,000 words" in decision.detail
    block = tmp_path / "block.txt"
    block.write_text("# people search\nWWW.Blocked.org\n\n")
    allow = tmp_path / "allow.txt"
    allow.write_text("people.com  # a reviewed exception\n")
    listed = DomainPolicy(PiiDomainsConfig(block_list=str(block), allow_list=str(allow)))
    assert read_domain_list(str(block)) == {"blocked.org"}
    assert not listed.decide(dense.scores("people.com")).drop
    assert listed.decide(DomainAccumulator().scores("blocked.org")).reason == "block_list"


def test_decision_rows_match_the_schema():
    import pyarrow as pa

    acc = DomainAccumulator().add(summarize(LISTING, listing_spans(LISTING)))
    row = DomainPolicy(PiiDomainsConfig()).decide(acc.scores("x.org")).to_row()
    table = pa.Table.from_pylist([row], schema=DOMAINS_SCHEMA)
    assert table.column("decision").to_pylist() == ["keep"]
    assert table.column("spans_by_type").to_pylist()[0][0] == {"entity_type": "EMAIL_ADDRESS", "count": 2}

"""Per-domain personal-data scores and the decision to drop a domain.

Measuring and deciding are apart: `summarize` turns one document's stored spans into a small
`DocumentPii`; `DomainAccumulator` adds and merges them (a combiner: millions of domains, each
aggregated where its documents are); `DomainPolicy` decides from the scores and the configured
thresholds and lists. Density counts the structured types only (e-mails, phones, cards, ...):
names and places found by NER are reported per type but never make a domain dense, since news
and encyclopedias are full of them.

A domain is dropped when it is on the block list, or when it has at least `min_docs` documents
and both exceeds `max_spans_per_kword` and has more than `max_share_docs_with_pii` of its
documents with personal data; the allow list overrides both.
"""

from __future__ import annotations

import hashlib
import heapq
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from curation.config import PiiDomainsConfig
from curation.document import PiiSpan
from curation.pii.anonymize import normalize_value
from curation.scripts import count_units as count_words

UNSCORED_ENTITIES = frozenset({"PERSON", "LOCATION", "NRP", "ORGANIZATION", "DATE_TIME"})
"""NER entity types: counted per type, not in the density that decides."""
DISTINCT_SKETCH_SIZE = 1024


def _value_hash(entity_type: str, value: str) -> int:
    digest = hashlib.blake2b(normalize_value(entity_type, value).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big")


@dataclass(frozen=True)
class DocumentPii:
    """What domain scoring needs from one document (no raw values: e-mails and phones are hashed)."""

    words: int
    spans: tuple[tuple[str, int], ...]
    emails: tuple[int, ...] = ()
    phones: tuple[int, ...] = ()

    @property
    def scored_spans(self) -> int:
        return sum(count for entity, count in self.spans if entity not in UNSCORED_ENTITIES)


def summarize(text: str, spans: Iterable[PiiSpan], fields: Iterable[tuple[str, Iterable[PiiSpan]]] = ()) -> DocumentPii:
    """A document's word count, spans per type and hashed distinct e-mails and phone numbers.

    `fields` are its other scanned strings (url, metadata) with their spans: their spans count
    like the text's (a value in the url and the text counts once among the distinct ones); the
    words are the text's only."""
    counts: dict[str, int] = {}
    emails, phones = set(), set()
    for value, found in ((text, spans), *fields):
        for span in found:
            counts[span.entity_type] = counts.get(span.entity_type, 0) + 1
            if span.entity_type == "EMAIL_ADDRESS":
                emails.add(_value_hash(span.entity_type, value[span.start : span.end]))
            elif span.entity_type == "PHONE_NUMBER":
                phones.add(_value_hash(span.entity_type, value[span.start : span.end]))
    return DocumentPii(count_words(text), tuple(sorted(counts.items())), tuple(sorted(emails)), tuple(sorted(phones)))


@dataclass
class DistinctCount:
    """Distinct 64-bit hashes: exact up to `k`, then a k-minimum-values estimate; mergeable."""

    k: int = DISTINCT_SKETCH_SIZE
    hashes: set[int] = field(default_factory=set)

    def add(self, values: Iterable[int]) -> None:
        self.hashes.update(values)
        if len(self.hashes) > 2 * self.k:
            self.hashes = set(heapq.nsmallest(self.k, self.hashes))

    def estimate(self) -> int:
        if len(self.hashes) < self.k:
            return len(self.hashes)
        kth = heapq.nsmallest(self.k, self.hashes)[-1]
        return round((self.k - 1) * (2**64) / (kth + 1))


@dataclass
class DomainAccumulator:
    """Running totals of one domain; `add` one document, `merge` partial totals."""

    documents: int = 0
    words: int = 0
    documents_with_pii: int = 0
    spans: dict[str, int] = field(default_factory=dict)
    emails: DistinctCount = field(default_factory=DistinctCount)
    phones: DistinctCount = field(default_factory=DistinctCount)

    def add(self, doc: DocumentPii) -> DomainAccumulator:
        self.documents += 1
        self.words += doc.words
        self.documents_with_pii += doc.scored_spans > 0
        for entity, count in doc.spans:
            self.spans[entity] = self.spans.get(entity, 0) + count
        self.emails.add(doc.emails)
        self.phones.add(doc.phones)
        return self

    def merge(self, other: DomainAccumulator) -> DomainAccumulator:
        self.documents += other.documents
        self.words += other.words
        self.documents_with_pii += other.documents_with_pii
        for entity, count in other.spans.items():
            self.spans[entity] = self.spans.get(entity, 0) + count
        self.emails.add(other.emails.hashes)
        self.phones.add(other.phones.hashes)
        return self

    def scores(self, domain: str) -> DomainScores:
        scored = sum(count for entity, count in self.spans.items() if entity not in UNSCORED_ENTITIES)
        return DomainScores(
            domain=domain,
            documents=self.documents,
            words=self.words,
            documents_with_pii=self.documents_with_pii,
            spans=scored,
            spans_per_kword=1000.0 * scored / max(self.words, 1),
            share_docs_with_pii=self.documents_with_pii / max(self.documents, 1),
            distinct_emails=self.emails.estimate(),
            distinct_phones=self.phones.estimate(),
            spans_by_type=tuple(sorted(self.spans.items())),
        )


@dataclass(frozen=True)
class DomainScores:
    """A domain's measured personal data."""

    domain: str
    documents: int
    words: int
    documents_with_pii: int
    spans: int
    spans_per_kword: float
    share_docs_with_pii: float
    distinct_emails: int
    distinct_phones: int
    spans_by_type: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class DomainDecision:
    """Scores and what was decided: `drop` is True for a dropped domain; `reason` names the rule
    that decided (`allow_list`, `block_list`, `thresholds`, `min_docs`, `below_thresholds`) and
    `detail` says how, in numbers."""

    scores: DomainScores
    drop: bool
    reason: str | None = None
    detail: str | None = None

    @property
    def domain(self) -> str:
        return self.scores.domain

    def to_row(self) -> dict[str, Any]:
        """A row of `curation.document.DOMAINS_SCHEMA`."""
        s = self.scores
        return {
            "domain": s.domain,
            "documents": s.documents,
            "words": s.words,
            "documents_with_pii": s.documents_with_pii,
            "spans": s.spans,
            "spans_per_kword": round(s.spans_per_kword, 6),
            "share_docs_with_pii": round(s.share_docs_with_pii, 6),
            "distinct_emails": s.distinct_emails,
            "distinct_phones": s.distinct_phones,
            "spans_by_type": [{"entity_type": e, "count": c} for e, c in s.spans_by_type],
            "decision": "drop" if self.drop else "keep",
            "reason": self.reason,
            "detail": self.detail,
        }


def normalize_domain(domain: str) -> str:
    """Lower case, no trailing dot, no leading ``www.``."""
    domain = domain.strip().lower().rstrip(".")
    return domain.removeprefix("www.")


def read_domain_list(path: str | None) -> frozenset[str]:
    """Registered domains from a file, one per line; blank lines and ``#`` comments ignored."""
    if not path:
        return frozenset()
    try:
        import fsspec

        with fsspec.open(path, "rt", encoding="utf-8") as handle:
            lines = handle.read().splitlines()
    except (OSError, ImportError) as error:
        raise ValueError(f"cannot read domain list {path} ({error.__class__.__name__})") from None
    return frozenset(normalize_domain(line.split("#", 1)[0]) for line in lines if line.split("#", 1)[0].strip())


class DomainPolicy:
    """Decides per domain from `PiiDomainsConfig`: thresholds, block list, allow list."""

    def __init__(
        self, config: PiiDomainsConfig, block: frozenset[str] | None = None, allow: frozenset[str] | None = None
    ):
        self.config = config
        self.block = read_domain_list(config.block_list) if block is None else block
        self.allow = read_domain_list(config.allow_list) if allow is None else allow

    def decide(self, scores: DomainScores) -> DomainDecision:
        domain, c = normalize_domain(scores.domain), self.config
        if domain in self.allow:
            return DomainDecision(scores, False, "allow_list", f"{scores.domain}: on the allow list")
        if domain in self.block:
            return DomainDecision(scores, True, "block_list", f"{scores.domain}: on the block list")
        if scores.documents < c.min_docs:
            detail = f"{scores.domain}: {scores.documents} documents < min_docs {c.min_docs}, too few to judge"
            return DomainDecision(scores, False, "min_docs", detail)
        dense = scores.spans_per_kword > c.max_spans_per_kword
        widespread = scores.share_docs_with_pii > c.max_share_docs_with_pii
        density = f"{scores.spans_per_kword:.1f} spans per 1,000 words"
        share = f"{scores.share_docs_with_pii:.2f} of documents with personal data"
        if dense and widespread:
            detail = (
                f"{scores.domain}: {density} > {c.max_spans_per_kword:g} and {share} > "
                f"{c.max_share_docs_with_pii:g} ({scores.documents} documents)"
            )
            return DomainDecision(scores, True, "thresholds", detail)
        below = [
            f"{density} <= {c.max_spans_per_kword:g}" if not dense else "",
            f"{share} <= {c.max_share_docs_with_pii:g}" if not widespread else "",
        ]
        detail = f"{scores.domain}: {' and '.join(part for part in below if part)}"
        return DomainDecision(scores, False, "below_thresholds", detail)

    def unscored(self, domain: str) -> DomainDecision:
        """The decision for a domain seen in no document (only lists apply)."""
        return self.decide(DomainAccumulator().scores(domain))


def score_domains(
    documents: Iterable[tuple[str, str, Iterable[PiiSpan]]], policy: DomainPolicy
) -> list[DomainDecision]:
    """Score and decide every domain of `(domain, text, spans)` triples in memory (for small corpora and tests)."""
    accumulators: dict[str, DomainAccumulator] = {}
    for domain, text, spans in documents:
        accumulators.setdefault(domain, DomainAccumulator()).add(summarize(text, spans))
    return [policy.decide(acc.scores(domain)) for domain, acc in sorted(accumulators.items())]

"""Personal data: detect once, score and drop PII-dense domains, anonymize from the stored spans."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import apache_beam as beam
from apache_beam.pvalue import DoOutputsTuple, PCollection, TaggedOutput

from beam_jobs.stage import CurationStage, StageCounters, batched
from beam_jobs.tags import DROPPED
from beam_jobs.write import WriteParts
from curation.catalog import PII, PII_DOMAIN_SCORES, PII_DOMAINS
from curation.config import PiiConfig
from curation.document import Document, Drop
from curation.pii import Anonymizer, PiiDetector, check_pii_config
from curation.pii.domains import DomainAccumulator, DomainDecision, DomainPolicy, summarize
from curation.pii.fields import anonymize_document, anonymize_url, detect_fields, field_values

STAGE = PII.name
DOMAIN_STAGE = PII_DOMAINS.name


class _DetectFn(beam.DoFn):
    """Batches of documents in, each document out with its `pii_spans` and `pii_field_spans` (both
    None when detection failed): one `detect_batch` over every configured field of the batch.

    Detection only: these workers never build the anonymizer nor read the pseudonym key."""

    def __init__(self, config: PiiConfig):
        self._config = config
        self._fields = tuple(config.fields)
        self._counters = StageCounters(STAGE)

    def setup(self) -> None:
        self._engine = PiiDetector(self._config)

    def process(self, batch: list[Document]) -> Iterator[Document]:
        try:
            found = detect_fields(self._engine, batch, self._fields)
        except Exception:  # noqa: BLE001 - one bad document must not lose the batch: retry one by one
            found = [self._detect_one(doc) for doc in batch]
        for doc, spans in zip(batch, found, strict=True):
            self._counters.inc("documents_scanned")
            if spans is None:
                yield dataclasses.replace(doc, pii_spans=None, pii_field_spans=None)
                continue
            text_spans, field_spans = spans
            for span in text_spans:
                self._counters.inc(f"spans_{span.entity_type}")
            for path, found_spans in field_spans:  # counter names carry the field, never a metadata key
                self._counters.inc(f"field_spans_{path.split('.', 1)[0]}", len(found_spans))
                for span in found_spans:
                    self._counters.inc(f"spans_{span.entity_type}")
            yield dataclasses.replace(doc, pii_spans=text_spans, pii_field_spans=field_spans)

    def _detect_one(self, doc: Document):
        try:
            return detect_fields(self._engine, [doc], self._fields)[0]
        except Exception:  # noqa: BLE001 - counted and sent to the ledger; the message may hold text
            self._counters.inc("detect_error")
            return None


class _ScoreDomains(beam.CombineFn):
    """Per domain: the `DomainAccumulator` of its documents' summaries."""

    def create_accumulator(self) -> DomainAccumulator:
        return DomainAccumulator()

    def add_input(self, accumulator: DomainAccumulator, summary) -> DomainAccumulator:
        return accumulator.add(summary)

    def merge_accumulators(self, accumulators) -> DomainAccumulator:
        merged = DomainAccumulator()
        for accumulator in accumulators:
            merged.merge(accumulator)
        return merged

    def extract_output(self, accumulator: DomainAccumulator) -> DomainAccumulator:
        return accumulator


class _DecideFn(beam.DoFn):
    def __init__(self, policy: DomainPolicy):
        self._policy = policy
        self._counters = StageCounters(DOMAIN_STAGE)

    def process(self, element) -> Iterator[DomainDecision]:
        domain, accumulator = element
        decision = self._policy.decide(accumulator.scores(domain))
        self._counters.inc("domains_dropped" if decision.drop else "domains_kept")
        if decision.reason:
            self._counters.inc(f"domains_{decision.reason}")
        yield decision


class _AnonymizeFn(beam.DoFn):
    """Drops documents of dropped domains; anonymizes the others from their stored spans."""

    def __init__(self, config: PiiConfig):
        self._config = config
        self._counters = StageCounters(STAGE)

    def setup(self) -> None:
        self._anonymizer = Anonymizer(self._config)

    def _drop(self, doc: Document, stage: str, reason: str, detail: str | None) -> TaggedOutput:
        return TaggedOutput(DROPPED, Drop.of(doc, stage, reason, detail))

    def _ledger_url(self, doc: Document) -> Document:
        """The document with its url anonymized (the ledger's `url` column), its text as it entered."""
        spans = dict(doc.pii_field_spans or ()).get("url")
        if not doc.url or not spans:
            return doc
        url, _ = anonymize_url(self._anonymizer, doc.url, spans)
        return dataclasses.replace(doc, url=url)

    def process(self, doc: Document, dropped_domains: dict[str, str]) -> Iterator[Document | TaggedOutput]:
        if doc.pii_spans is None:
            self._counters.inc("documents_dropped_pii_error")
            yield self._drop(doc, STAGE, "pii_error", "personal data detection failed")
            return
        if doc.domain is not None and doc.domain in dropped_domains:
            self._counters.inc("documents_dropped_pii_domain")
            yield self._drop(self._ledger_url(doc), DOMAIN_STAGE, "pii_domain", dropped_domains[doc.domain])
            return
        anonymized = anonymize_document(self._anonymizer, doc)
        every = [anonymized.pii_redactions or {}, *(anonymized.pii_field_redactions or {}).values()]
        for counts in every:
            for entity, count in counts.items():
                self._counters.inc(f"redacted_{entity}", count)
        if any(every):
            self._counters.inc("documents_anonymized")
        yield anonymized


class AnonymizePii(CurationStage):
    """Detect personal data once, drop documents of PII-dense domains, anonymize the rest.

    Writes every domain's scores and decision to `output_dir/pii_domains.parquet/` (the finishing
    step gives it an empty part when no document had a domain). Every field `config.fields` names is
    scanned and anonymized (the text, the url after its host, the metadata strings); domain scores count the
    spans of all of them over the words of the text. Returns the outputs of the last step: main
    ``documents`` (anonymized, with `pii_redactions` and `pii_field_redactions`, the spans cleared) and `DROPPED`
    (``pii_domains/pii_domain`` with the domain and the failed thresholds as detail and the url anonymized, and
    ``pii/pii_error`` for a document whose detection failed). Raises ValueError at construction
    when `check_pii_config` refuses the config.
    """

    NAME = PII

    def __init__(self, config: PiiConfig, output_dir: str, batch_size: int = 64):
        super().__init__()
        check_pii_config(config)
        self._config = config
        self._output_dir = output_dir
        self._batch_size = batch_size
        self._policy = DomainPolicy(config.domains) if config.domains.enabled else None

    def expand(self, docs: PCollection[Document]) -> DoOutputsTuple:
        scanned = (
            docs
            | batched("Batch", 1, self._batch_size)
            | "Detect" >> beam.ParDo(_DetectFn(self._config))
        )
        if self._policy is None:
            dropped_domains = beam.pvalue.AsDict(docs.pipeline | "NoDomains" >> beam.Create([]))
        else:
            decisions = (
                scanned
                | "WithDomain" >> beam.Filter(lambda doc: doc.domain is not None and doc.pii_spans is not None)
                | "Summarize" >> beam.Map(_summary, tuple(self._config.fields))
                | "ScoreDomains" >> beam.CombinePerKey(_ScoreDomains())
                | "Decide" >> beam.ParDo(_DecideFn(self._policy))
            )
            _ = decisions | "WriteDomains" >> WriteParts(
                self._output_dir,
                PII_DOMAIN_SCORES.name,
                PII_DOMAIN_SCORES.schema,
                to_row=DomainDecision.to_row,
                key=_domain_of,
            )
            dropped_domains = beam.pvalue.AsDict(
                decisions
                | "Dropped" >> beam.Filter(lambda decision: decision.drop)
                | "DomainDetail" >> beam.Map(lambda decision: (decision.domain, decision.detail))
            )
        return scanned | "Anonymize" >> beam.ParDo(
            _AnonymizeFn(self._config), dropped_domains
        ).with_outputs(DROPPED, main="documents")


def _domain_of(decision: DomainDecision) -> str:
    return decision.domain


def _summary(doc: Document, fields: tuple[str, ...]):
    return doc.domain, summarize(doc.text, doc.pii_spans or (), field_values(doc, fields))

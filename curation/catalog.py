"""The catalog: the stages that drop documents, in pipeline order, and the outputs a run writes.

The pipeline, the writers, `verify`, the statistics and the dataset card take stage names,
output directories and schemas from here, so renaming one changes every reader at once.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

from curation.config import PipelineConfig
from curation.document import (
    DOMAINS_SCHEMA,
    DUPLICATES_SCHEMA,
    LEDGER_SCHEMA,
    REJECTED_SCHEMA,
    SHARD_SCHEMA,
    SIGNALS_SCHEMA,
)


@dataclass(frozen=True)
class Stage:
    """A stage as the ledger, the manifest and the metrics name it."""

    name: str
    """The ledger's `stage` column, the manifest's `stage/reason` keys and the metrics namespace."""
    title: str
    """How the dataset card and the reports call it."""
    config_section: str
    """The config section that turns it on (dotted for a subsection)."""


PARSE = Stage("parse", "parse", "input")
NORMALIZE = Stage("normalize", "normalize", "normalize")
FILTERS = Stage("filters", "filters", "filters")
"""Filter drops carry their filter's name as the stage; this is the place of all of them."""
EXACT_DEDUP = Stage("exact_dedup", "exact dedup", "exact_dedup")
MINHASH_DEDUP = Stage("minhash_dedup", "MinHash dedup", "minhash")
PII = Stage("pii", "PII detection and anonymization", "pii")
PII_DOMAINS = Stage("pii_domains", "PII-dense domains", "pii.domains")

STAGES = (PARSE, NORMALIZE, FILTERS, EXACT_DEDUP, MINHASH_DEDUP, PII, PII_DOMAINS)
"""Every stage, in the order documents meet them."""
STAGE_NAMES = tuple(stage.name for stage in STAGES)

DUPLICATE_STAGES = {"exact": EXACT_DEDUP.name, "near": MINHASH_DEDUP.name}
"""The `stage` of `duplicates.parquet` rows -> the stage that removed the documents."""


@dataclass(frozen=True)
class Output:
    """A Parquet dataset a run writes under its output directory, as `part-*.parquet` files."""

    name: str
    """The directory under the output."""
    schema: pa.Schema
    description: str


SHARDS = Output("data", SHARD_SCHEMA, "the curated documents, in shards sized by tokens")
LEDGER = Output("dropped", LEDGER_SCHEMA, "every dropped document with its stage and reason")
REJECTED = Output("rejected", REJECTED_SCHEMA, "input records that could not be parsed, with the error")
DUPLICATES = Output("duplicates.parquet", DUPLICATES_SCHEMA, "every duplicate removed, its cluster and the copy kept")
PII_DOMAIN_SCORES = Output("pii_domains.parquet", DOMAINS_SCHEMA, "every scored domain, its scores and the decision")
FILTER_SIGNALS = Output("filter_signals.parquet", SIGNALS_SCHEMA, "what each filter step measured on each document")

OUTPUTS = (SHARDS, LEDGER, REJECTED, DUPLICATES, PII_DOMAIN_SCORES, FILTER_SIGNALS)
"""Every output, in the order the documentation lists them."""
ALWAYS_WRITTEN = (SHARDS, LEDGER, REJECTED, DUPLICATES)
"""Outputs every run writes (one empty part when nothing reached them); domain scores only with
`pii.domains` on, filter signals only with `filters.write_signals`."""


def written_outputs(config: PipelineConfig) -> tuple[Output, ...]:
    """The outputs a run with `config` writes: each gets at least one (maybe empty) part."""
    optional = (
        (PII_DOMAIN_SCORES, config.pii.enabled and config.pii.domains.enabled),
        (FILTER_SIGNALS, config.filters.enabled and bool(config.filters.steps) and config.filters.write_signals),
    )
    return ALWAYS_WRITTEN + tuple(output for output, on in optional if on)

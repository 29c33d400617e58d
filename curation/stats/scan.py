"""Streaming aggregation of a corpus into the statistics dictionary (the `--json` document).

Every input is read once, batch by batch, with only the columns a statistic needs; each batch
is measured with vectorised Arrow and NumPy kernels and folded into mergeable state (histograms,
keyed sums, a reservoir), so memory stays bounded however large the corpus is. See
`curation.stats` for the keys of the result.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from curation.catalog import (
    DUPLICATE_STAGES,
    DUPLICATES,
    FILTERS,
    LEDGER,
    PII_DOMAIN_SCORES,
    PII_DOMAINS,
    REJECTED,
    STAGE_NAMES,
)
from curation.manifest import Manifest
from curation.stats.inputs import (
    Corpus,
    StatsInputError,
    parquet_batches,
    parquet_rows,
    raw_batches,
    raw_task_count,
    side_output_files,
)
from curation.stats.measures import KeyedSums, LogHistogram, text_measures

if TYPE_CHECKING:
    from curation.tokens import TokenCounter

SCHEMA_VERSION = 1
DOCUMENT_COLUMNS = ["text", "token_count", "language", "domain", "source", "pii_redactions"]
SAMPLE_COLUMNS = ["id", "url", "domain", "language", "token_count", "source"]
SAFETY_COLUMNS = ["id", "language_score"]
MAX_DROPPED_DOMAINS = 1000
DOMAIN_SCORE = "spans_per_kword"
"""The `pii_domains.parquet` column the domains are ranked by."""


@dataclass
class ScanOptions:
    """How to scan: top-list length, tokenizer for texts without `token_count`, the sample."""

    top: int = 20
    count_tokens: str | None = None
    sample: int = 0
    seed: int = 0
    safety: bool = False
    """Add the `safety` section (`curation.stats.safety`)."""
    lid_threshold: float = 0.5
    """`safety.languages`: the language score below which a document counts as `unknown`."""
    identity_top: int = 10
    """`safety.identities`: terms listed per axis."""
    toxicity: bool = True
    """`safety.toxicity`: score every document (False leaves it null; for benchmarks)."""


class Reservoir:
    """A uniform random sample of `size` rows, deterministic for a seed and an input order.

    Each row gets a random priority; the rows with the `size` smallest priorities are kept
    (reservoir sampling by priority). Only rows that can enter are copied.
    """

    def __init__(self, size: int, seed: int):
        self.size = size
        self._rng = np.random.default_rng(seed)
        self._rows: pa.Table | None = None
        self._priorities = np.empty(0)

    def add(self, batch: pa.RecordBatch) -> None:
        priorities = self._rng.random(batch.num_rows)
        threshold = self._priorities.max() if len(self._priorities) >= self.size else 1.0
        chosen = np.flatnonzero(priorities < threshold)
        if chosen.size == 0:
            return
        candidates = pa.Table.from_batches([batch.take(pa.array(chosen))])
        rows = candidates if self._rows is None else pa.concat_tables([self._rows, candidates])
        merged = np.concatenate((self._priorities, priorities[chosen]))
        keep = np.argsort(merged, kind="stable")[: self.size]
        self._rows, self._priorities = rows.take(pa.array(keep)), merged[keep]

    def rows(self) -> list[dict]:
        """The sample in priority order."""
        return [] if self._rows is None else self._rows.to_pylist()


class DocumentStats:
    """Documents, sizes, length distributions, languages, domains, sources and redactions."""

    def __init__(self, options: ScanOptions):
        self.options = options
        self.documents = 0
        self.lengths = {name: LogHistogram() for name in ("bytes", "characters", "words", "tokens")}
        self.has_tokens = False
        self.languages: KeyedSums | None = None
        self.domains: KeyedSums | None = None
        self.sources: KeyedSums | None = None
        self.redactions: KeyedSums | None = None
        self.documents_with_redactions = 0
        self.redaction_fields: KeyedSums | None = None
        self.reservoir = Reservoir(options.sample, options.seed) if options.sample > 0 else None
        self._counter: TokenCounter | None = None

    def _tokens(self, batch: pa.RecordBatch, text: pa.Array) -> np.ndarray | None:
        if "token_count" in batch.schema.names:
            return pc.fill_null(batch.column("token_count"), 0).cast(pa.int64()).to_numpy(zero_copy_only=False)
        if not self.options.count_tokens:
            return None
        if self._counter is None:
            from curation.tokens import token_counter

            self._counter = token_counter(self.options.count_tokens)
        texts = [value or "" for value in text.to_pylist()]
        return np.asarray(self._counter.count_batch(texts), dtype=np.int64)

    def add(self, batch: pa.RecordBatch, text_key: str = "text") -> None:
        """Measure one batch and fold it in."""
        text = batch.column(text_key)
        measures = text_measures(text)
        tokens = self._tokens(batch, text)
        self.documents += batch.num_rows
        for name, measured in measures.items():
            self.lengths[name].add(measured)
        if tokens is not None:
            self.has_tokens = True
            self.lengths["tokens"].add(tokens)
        values = {
            "tokens": tokens if tokens is not None else np.zeros(batch.num_rows, np.int64),
            "characters": measures["characters"],
        }
        for name in ("language", "domain", "source"):
            if name in batch.schema.names:
                self._group(name).add(pa.table({name: batch.column(name), **values}))
        if "pii_redactions" in batch.schema.names:
            self._add_redactions(batch.column("pii_redactions"))
        if self.reservoir is not None:
            self.reservoir.add(_sample_view(batch, text_key))

    def _group(self, name: str) -> KeyedSums:
        attribute = {"language": "languages", "domain": "domains", "source": "sources"}[name]
        if getattr(self, attribute) is None:
            setattr(self, attribute, KeyedSums([name], ["tokens", "characters"]))
        return getattr(self, attribute)

    def _add_redactions(self, column: pa.Array) -> None:
        """Spans and documents per entity type, and per field (`text`, `url`, `metadata`: a metadata
        path counts under `metadata`) where the column has one; a document counts once per key."""
        if self.redactions is None:
            self.redactions = KeyedSums(["entity_type"], ["count"])
        self.documents_with_redactions += int(pc.sum(pc.greater(pc.list_value_length(column), 0)).as_py() or 0)
        flat = pc.list_flatten(column)
        if not len(flat):
            return
        entries = {
            "row": pc.list_parent_indices(column),
            "entity_type": flat.field("entity_type"),
            "count": pc.fill_null(flat.field("count"), 0).cast(pa.int64()),
        }
        self.redactions.add(_per_document(pa.table(entries), "entity_type"))
        if flat.type.get_field_index("field") >= 0:
            if self.redaction_fields is None:
                self.redaction_fields = KeyedSums(["field"], ["count"])
            field = pc.replace_substring_regex(pc.fill_null(flat.field("field"), "text"), r"(?s)\..*", "")
            self.redaction_fields.add(_per_document(pa.table({**entries, "field": field}), "field"))

    def to_dict(self) -> dict[str, Any]:
        """The document part of the statistics (see `curation.stats` for the keys)."""
        tokens = self.lengths["tokens"].total if self.has_tokens else None
        top = self.options.top
        return {
            "documents": self.documents,
            "text_bytes": self.lengths["bytes"].total,
            "characters": self.lengths["characters"].total,
            "words": self.lengths["words"].total,
            "tokens": tokens,
            "lengths": {
                "characters": self.lengths["characters"].summary(),
                "words": self.lengths["words"].summary(),
                "tokens": self.lengths["tokens"].summary() if self.has_tokens else None,
            },
            "languages": _shares(self.languages, "language", self.documents, None, self.has_tokens),
            "sources": _shares(self.sources, "source", self.documents, None, self.has_tokens),
            "domains": self._domains(top),
            "pii_redactions": self._redactions(),
        }

    def _domains(self, top: int) -> dict | None:
        if self.domains is None:
            return None
        table = self.domains.table()
        return {
            "distinct": table.num_rows,
            "exact": self.domains.exact,
            "without_domain": _null_documents(table, "domain"),
            "top_by_documents": _shares(self.domains, "domain", self.documents, top, self.has_tokens, "documents"),
            "top_by_tokens": _shares(self.domains, "domain", self.documents, top, self.has_tokens, "tokens")
            if self.has_tokens
            else None,
        }

    def _redactions(self) -> dict | None:
        if self.redactions is None:
            return None
        rows = self.redactions.top(1000, by="count")
        return {
            "documents_with_redactions": self.documents_with_redactions,
            "spans": sum(row["count"] for row in rows),
            "by_type": [
                {"entity_type": row["entity_type"], "spans": row["count"], "documents": row["documents"]}
                for row in rows
            ],
            "by_field": [
                {"field": row["field"], "spans": row["count"], "documents": row["documents"]}
                for row in self.redaction_fields.top(1000, by="count")
            ]
            if self.redaction_fields is not None
            else None,
        }


def _per_document(entries: pa.Table, key: str) -> pa.Table:
    """`key` and `count` with one row per document and key (the document's counts summed)."""
    grouped = entries.group_by(["row", key], use_threads=False).aggregate([("count", "sum")])
    return pa.table({key: grouped.column(key), "count": grouped.column("count_sum")})


def _null_documents(table: pa.Table, key: str) -> int:
    mask = pc.is_null(table.column(key))
    return int(pc.sum(pc.filter(table.column("documents"), mask)).as_py() or 0)


def _shares(
    sums: KeyedSums | None, key: str, documents: int, top: int | None, has_tokens: bool, by: str = "documents"
) -> list[dict] | None:
    if sums is None:
        return None
    rows = sums.top(top if top is not None else 1_000_000, by=by)
    return [
        {
            key: row[key],
            "documents": row["documents"],
            "share_documents": row["documents"] / documents if documents else 0.0,
            "tokens": row["tokens"] if has_tokens else None,
            "characters": row["characters"],
        }
        for row in rows
    ]


def _sample_view(batch: pa.RecordBatch, text_key: str) -> pa.RecordBatch:
    names = [name for name in SAMPLE_COLUMNS if name in batch.schema.names]
    columns = [batch.column(name) for name in names] + [batch.column(text_key)]
    return pa.RecordBatch.from_arrays(columns, names=[*names, "text"])


def _document_batches(corpus: Corpus, options: ScanOptions, progress: Any) -> Iterator[pa.RecordBatch]:
    wanted = [corpus.text_key, *(name for name in DOCUMENT_COLUMNS if name != "text")]
    if options.sample:
        wanted += [name for name in SAMPLE_COLUMNS if name not in wanted]
    if options.safety:
        wanted += [name for name in SAFETY_COLUMNS if name not in wanted]
    if corpus.kind == "raw":
        task = progress.add_task("reading files", total=raw_task_count(corpus)) if progress else None
        advance_file = (lambda: progress.advance(task)) if progress else None
        yield from raw_batches(corpus, advance_file)
        return
    task = progress.add_task("scanning shards", total=parquet_rows(corpus.files)) if progress else None
    advance = (lambda rows: progress.advance(task, rows)) if progress else None
    yield from parquet_batches(corpus.files, wanted, corpus.text_key, advance)


def _side_batches(files: list[str], columns: list[str], label: str, progress: Any) -> Iterator[pa.RecordBatch]:
    task = progress.add_task(label, total=parquet_rows(files)) if progress and files else None
    for path in files:
        parquet = pq.ParquetFile(path)
        present = [name for name in columns if name in parquet.schema_arrow.names]
        if len(present) < len(columns):
            continue
        for batch in parquet.iter_batches(columns=present, batch_size=65_536):
            if task is not None:
                progress.advance(task, batch.num_rows)
            yield batch


def _stage_rank(stage: str, filter_names: list[str]) -> tuple[int, int, str]:
    if stage in filter_names:
        return (STAGE_NAMES.index(FILTERS.name), filter_names.index(stage), stage)
    if stage in STAGE_NAMES:
        return (STAGE_NAMES.index(stage), 0, stage)
    return (STAGE_NAMES.index(FILTERS.name), len(filter_names), stage)


def _filter_names(config: dict | None) -> list[str]:
    steps = ((config or {}).get("filters") or {}).get("steps") or []
    return [name for step in steps for name in step]


def drop_funnel(manifest: Manifest | None, ledger: dict[tuple[str, str], int]) -> dict:
    """Documents dropped per stage and reason (manifest and ledger), and what remains after each stage."""
    from_manifest: dict[tuple[str, str], int] = {}
    for key, count in (manifest.dropped if manifest else {}).items():
        stage, _, reason = key.partition("/")
        from_manifest[(stage, reason)] = count
    filter_names = _filter_names(manifest.config if manifest else None)
    stages: dict[str, list[dict]] = {}
    for stage, reason in sorted(set(from_manifest) | set(ledger)):
        stages.setdefault(stage, []).append(
            {"reason": reason, "manifest": from_manifest.get((stage, reason)), "ledger": ledger.get((stage, reason), 0)}
        )
    remaining = manifest.input_documents if manifest else None
    ordered = []
    for stage in sorted(stages, key=lambda name: _stage_rank(name, filter_names)):
        reasons = sorted(stages[stage], key=lambda row: (-(row["manifest"] or row["ledger"]), row["reason"]))
        dropped = sum((row["manifest"] if row["manifest"] is not None else row["ledger"]) for row in reasons)
        entering = remaining
        remaining = remaining - dropped if remaining is not None else None
        ordered.append(
            {"stage": stage, "entering": entering, "dropped": dropped, "remaining": remaining, "reasons": reasons}
        )
    ledger_total = sum(ledger.values())
    return {
        "input_documents": manifest.input_documents if manifest else None,
        "output_documents": manifest.output_documents if manifest else None,
        "rejected_records": manifest.rejected_records if manifest else None,
        "dropped": sum(stage["dropped"] for stage in ordered),
        "ledger_documents": ledger_total,
        "ledger_matches_manifest": None if manifest is None else from_manifest == dict(ledger),
        "stages": ordered,
    }


def scan_ledger(output_dir: str, progress: Any = None) -> dict[tuple[str, str], int]:
    """Dropped documents per (stage, reason) in the ledger."""
    sums = KeyedSums(["stage", "reason"])
    for batch in _side_batches(side_output_files(output_dir, LEDGER.name), ["stage", "reason"], "ledger", progress):
        sums.add(pa.Table.from_batches([batch]))
    return {(row["stage"], row["reason"]): row["documents"] for row in sums.table().to_pylist()}


def scan_duplicates(output_dir: str, funnel: dict, progress: Any = None) -> dict | None:
    """Removed duplicates per stage, their clusters, cluster sizes (kept copy included) and rates."""
    files = side_output_files(output_dir, DUPLICATES.name)
    if not files:
        return None
    clusters = KeyedSums(["stage", "cluster_id"])
    for batch in _side_batches(files, ["stage", "cluster_id"], "duplicates", progress):
        clusters.add(pa.Table.from_batches([batch]))
    table = clusters.table()
    sizes = pa.table({"stage": table.column("stage"), "size": pc.add(table.column("documents"), 1)})
    size_counts = sizes.group_by(["stage", "size"], use_threads=False).aggregate([([], "count_all")])
    entering = {stage["stage"]: stage["entering"] for stage in funnel["stages"]}
    by_stage = []
    for stage in sorted({row["stage"] for row in table.select(["stage"]).to_pylist()}):
        mask = pc.equal(table.column("stage"), stage)
        removed = int(pc.sum(pc.filter(table.column("documents"), mask)).as_py() or 0)
        stage_sizes = size_counts.filter(pc.equal(size_counts.column("stage"), stage)).sort_by("size")
        ledger_stage = DUPLICATE_STAGES.get(stage, stage)
        by_stage.append(
            {
                "stage": stage,
                "ledger_stage": ledger_stage,
                "documents_removed": removed,
                "clusters": int(pc.sum(mask.cast(pa.int64())).as_py() or 0),
                "rate": removed / entering[ledger_stage] if entering.get(ledger_stage) else None,
                "largest_cluster": max(stage_sizes.column("size").to_pylist(), default=0),
                "cluster_sizes": [
                    {"size": size, "clusters": count}
                    for size, count in zip(
                        stage_sizes.column("size").to_pylist(), stage_sizes.column("count_all").to_pylist(), strict=True
                    )
                ],
            }
        )
    return {
        "documents_removed": sum(stage["documents_removed"] for stage in by_stage),
        "clusters": table.num_rows,
        "exact": clusters.exact,
        "by_stage": by_stage,
    }


def _cell(value: Any) -> Any:
    """A table cell as plain JSON: lists of {type, count} structs become `TYPE=count` strings."""
    if isinstance(value, list):
        parts = [" ".join(f"{v}" for v in item.values()) if isinstance(item, dict) else str(item) for item in value]
        return ", ".join(part.replace(" ", "=", 1) for part in parts)
    if isinstance(value, float):
        return round(value, 6)
    return value


POLICY_KEYS = ("min_docs", "max_spans_per_kword", "max_share_docs_with_pii")
"""The `pii.domains` settings that decide a domain, as `pii_domains.policy` reports them."""


def domain_policy(manifest: Manifest | None) -> dict:
    """The run's `pii.domains` thresholds from the manifest's config; None for each one unknown."""
    config = (((manifest.config if manifest else None) or {}).get("pii") or {}).get("domains") or {}
    return {name: config.get(name) for name in POLICY_KEYS}


def _best(best: pa.Table | None, table: pa.Table, top: int) -> pa.Table:
    merged = table if best is None else pa.concat_tables([best, table])
    return merged.sort_by([(DOMAIN_SCORE, "descending"), ("domain", "ascending")]).slice(0, top)


def _plain_rows(table: pa.Table | None) -> list[dict]:
    return [{key: _cell(value) for key, value in row.items()} for row in (table.to_pylist() if table else [])]


def scan_pii_domains(output_dir: str, top: int, progress: Any = None, policy: dict | None = None) -> dict | None:
    """The scored domains: decisions, their reasons, the `top` domains by spans per 1,000 words, and
    the `top` of those with at least `policy["min_docs"]` documents (the ones the thresholds judge).

    Read with the catalog's schema; parts written with other columns are an error, not a guess.
    """
    files = side_output_files(output_dir, PII_DOMAIN_SCORES.name)
    if not files:
        return None
    schema = PII_DOMAIN_SCORES.schema
    for path in files:
        missing = [name for name in schema.names if name not in pq.ParquetFile(path).schema_arrow.names]
        if missing:
            raise StatsInputError(
                f"{PII_DOMAIN_SCORES.name}: {os.path.basename(path)} lacks the columns {', '.join(missing)}; "
                "it was not written by this version of curation"
            )
    policy = policy or {}
    min_docs = policy.get("min_docs")
    decisions = KeyedSums(["decision"])
    reasons = KeyedSums(["decision", "reason"])
    best: pa.Table | None = None
    judged: pa.Table | None = None
    rows = 0
    for batch in _side_batches(files, schema.names, "PII domains", progress):
        table = pa.Table.from_batches([batch])
        rows += table.num_rows
        decisions.add(table.select(["decision"]))
        reasons.add(table.select(["decision", "reason"]))
        best = _best(best, table, top)
        if isinstance(min_docs, int):
            judged = _best(judged, table.filter(pc.greater_equal(table.column("documents"), min_docs)), top)
    reason_rows = sorted(reasons.table().to_pylist(), key=lambda r: (r["decision"], -r["documents"], r["reason"] or ""))
    return {
        "domains": rows,
        "domain_column": "domain",
        "decision_column": "decision",
        "score_column": DOMAIN_SCORE,
        "numeric_columns": [f.name for f in schema if pa.types.is_integer(f.type) or pa.types.is_floating(f.type)],
        "decisions": {row["decision"]: row["documents"] for row in decisions.table().to_pylist()},
        "reasons": [{"decision": r["decision"], "reason": r["reason"], "domains": r["documents"]} for r in reason_rows],
        "policy": {name: policy.get(name) for name in POLICY_KEYS},
        "top": _plain_rows(best),
        "top_judged": _plain_rows(judged) if isinstance(min_docs, int) else None,
    }


def scan_rejected(output_dir: str, top: int = 10) -> dict | None:
    """Unparseable input records: how many, and the most common errors."""
    files = side_output_files(output_dir, REJECTED.name)
    if not files:
        return None
    errors = KeyedSums(["error"])
    for batch in _side_batches(files, ["error"], "rejected", None):
        errors.add(pa.Table.from_batches([batch]))
    table = errors.table()
    return {
        "records": int(pc.sum(table.column("documents")).as_py() or 0),
        "top_errors": [{"error": row["error"], "records": row["documents"]} for row in errors.top(top)],
    }


def _manifest_summary(manifest: Manifest | None) -> dict | None:
    if manifest is None:
        return None
    data = manifest.to_json()
    keys = ("input_documents", "output_documents", "output_tokens", "rejected_records", "dropped", "tokenizer")
    return {key: data[key] for key in keys} | {
        "shards": len(manifest.shards),
        "config_sha256": manifest.config_sha256,
        "config": manifest.config,
    }


def _checks(stats: dict, manifest: Manifest | None, funnel: dict | None) -> dict | None:
    if manifest is None:
        return None
    return {
        "documents_match_manifest": stats["documents"] == manifest.output_documents,
        "tokens_match_manifest": stats["tokens"] == manifest.output_tokens,
        "ledger_matches_manifest": funnel["ledger_matches_manifest"] if funnel else None,
    }


def _tokenizer(corpus: Corpus, options: ScanOptions, has_tokens: bool) -> str | None:
    if not has_tokens:
        return None
    if corpus.manifest and corpus.manifest.tokenizer.get("name"):
        return corpus.manifest.tokenizer["name"]
    return options.count_tokens or "token_count column"


def compute_stats(corpus: Corpus, options: ScanOptions | None = None, progress: Any = None) -> dict[str, Any]:
    """Scan a corpus once and return its statistics (the `--json` document).

    `progress` is an optional `rich.progress.Progress`; a task is added per input read.
    """
    options = options or ScanOptions()
    documents = DocumentStats(options)
    safety = None
    if options.safety:
        from curation.stats.safety import SafetyStats

        safety = SafetyStats(options.identity_top, options.lid_threshold, options.toxicity)
    text_key = "text" if corpus.kind == "raw" else corpus.text_key
    for batch in _document_batches(corpus, options, progress):
        if safety is not None:  # the same batches, before `documents` counts them: positions from 1
            safety.add(batch, text_key, documents.documents + 1)
        documents.add(batch, text_key)
    stats: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "inputs": list(corpus.paths),
        "kind": corpus.kind,
        "files": len(corpus.files),
        "bytes_on_disk": corpus.bytes_on_disk,
        **documents.to_dict(),
    }
    stats["tokenizer"] = _tokenizer(corpus, options, documents.has_tokens)
    stats["rejected_records"] = corpus.rejected_records if corpus.kind == "raw" else None
    funnel = None
    if corpus.output_dir:
        funnel = drop_funnel(corpus.manifest, scan_ledger(corpus.output_dir, progress))
        stats["funnel"] = funnel
        stats["duplicates"] = scan_duplicates(corpus.output_dir, funnel, progress)
        policy = domain_policy(corpus.manifest)
        stats["pii_domains"] = scan_pii_domains(corpus.output_dir, options.top, progress, policy)
        stats["rejected"] = scan_rejected(corpus.output_dir)
    else:
        stats.update(funnel=None, duplicates=None, pii_domains=None, rejected=None)
    stats["manifest"] = _manifest_summary(corpus.manifest)
    stats["checks"] = _checks(stats, corpus.manifest, funnel)
    if documents.reservoir is not None:
        stats["sample"] = documents.reservoir.rows()
    if safety is not None:
        from curation.stats.safety import personal_data

        dropped = scan_dropped_domains(corpus.output_dir, corpus.manifest) if corpus.output_dir else None
        stats["safety"] = {**safety.to_dict(), "personal_data": personal_data(stats, dropped)}
    return stats


def scan_dropped_domains(output_dir: str, manifest: Manifest | None) -> dict:
    """The domains `pii_domains.parquet` marks `drop` (most documents first, at most
    `MAX_DROPPED_DOMAINS` listed) and the documents the manifest counts as dropped by that stage."""
    dropped = {
        key: count
        for key, count in (manifest.dropped if manifest else {}).items()
        if key.partition("/")[0] == PII_DOMAINS.name
    }
    files = side_output_files(output_dir, PII_DOMAIN_SCORES.name)
    columns = ["domain", "documents", "spans_per_kword", "share_docs_with_pii", "decision", "reason"]
    kept: pa.Table | None = None
    domains = 0
    for batch in _side_batches(files, columns, "PII domains dropped", None):
        table = pa.Table.from_batches([batch])
        table = table.filter(pc.equal(table.column("decision"), "drop"))
        domains += table.num_rows
        merged = table if kept is None else pa.concat_tables([kept, table])
        kept = merged.sort_by([("documents", "descending"), ("domain", "ascending")]).slice(0, MAX_DROPPED_DOMAINS)
    return {
        "domains": domains if files else None,
        "documents": sum(dropped.values()) if manifest else None,
        "by_reason": dropped if manifest else None,
        "listed": _plain_rows(kept.drop_columns(["decision"]) if kept is not None else None),
    }

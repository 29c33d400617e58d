"""Corpus statistics: `curation stats PATH...`.

`compute_stats(open_corpus(paths), ScanOptions())` returns the statistics as a dictionary, the
document `--json` writes; `render_html` and `render_card` turn it into a report or a dataset card.
The JSON keys (stable; `schema_version` changes when one changes meaning):

- `schema_version` (1), `inputs` (paths given), `kind` (`output`, `parquet` or `raw`), `files`,
  `bytes_on_disk` (sizes of the files read).
- `documents`, `text_bytes` (UTF-8 bytes of `text`), `characters`, `words` (whitespace-separated,
  as Python's `str.split()`), `tokens` (null without token counts), `tokenizer` (its name, or
  `token_count column`; null without tokens), `rejected_records` (raw input: records the readers
  rejected; otherwise null).
- `lengths.{characters,words,tokens}`: per-document `count`, `sum`, `min`, `max`, `mean`,
  `percentiles.{p1,p5,p10,p25,p50,p75,p90,p95,p99}` and `histogram.{lower,upper,counts}`
  (10 bins per decade, from the first to the last non-empty bin, `lower` inclusive, `upper`
  exclusive); `tokens` null without token counts. Percentiles come from a fixed log-spaced
  histogram (100 bins per decade): exact below 44, within one bin width (<= 2.4% relative) above.
- `languages`, `sources`: lists sorted by documents (null when the column is absent), each
  `{language|source, documents, share_documents, tokens, characters}`; a null key is a document
  without a value.
- `domains`: `distinct`, `exact` (false when more than 2 million domains forced pruning),
  `without_domain`, `top_by_documents`, `top_by_tokens` (lists like `languages`, `--top` rows).
- `pii_redactions`: `documents_with_redactions`, `spans`, `by_type` (`entity_type`, `spans`,
  `documents`), `by_field` (`field`: `text`, `url` or `metadata`, every metadata path counted
  under `metadata`; `spans`, `documents`; null for shards whose `pii_redactions` has no `field`),
  from the shards' `pii_redactions` column; null when absent.
- `funnel` (output directories): `input_documents`, `output_documents`, `rejected_records`,
  `dropped`, `ledger_documents`, `ledger_matches_manifest`, `stages` in pipeline order, each
  `{stage, entering, dropped, remaining, reasons: [{reason, manifest, ledger}]}`.
- `duplicates`: `documents_removed`, `clusters`, `exact`, `by_stage` (`stage` as in
  duplicates.parquet, `ledger_stage`, `documents_removed`, `clusters`, `rate` (removed / entering
  the stage), `largest_cluster`, `cluster_sizes: [{size, clusters}]`; a size counts the kept copy).
- `pii_domains`: `domains`, `domain_column`, `decision_column`, `score_column`,
  `numeric_columns`, `decisions` (decision -> domains), `reasons` (`{decision, reason, domains}`:
  the rule that decided, `allow_list`, `block_list`, `thresholds`, `min_docs` or
  `below_thresholds`; null in older outputs' keeps), `policy` (the run's `min_docs`,
  `max_spans_per_kword`, `max_share_docs_with_pii`; null each when the manifest lacks them),
  `top` (`--top` rows with the highest score, as the file has them, `detail` included),
  `top_judged` (the same among domains with at least `min_docs` documents; null when unknown).
- `rejected`: `records`, `top_errors: [{error, records}]`.
- `manifest`: `input_documents`, `output_documents`, `output_tokens`, `rejected_records`,
  `dropped`, `tokenizer`, `shards` (count), `config_sha256`, `config`; null without a manifest.
- `checks`: `documents_match_manifest`, `tokens_match_manifest`, `ledger_matches_manifest`.
- `sample` (only with `--sample N`): rows of `id`, `url`, `domain`, `language`, `token_count`,
  `source`, `text` (the columns the input has).

With `--compare A B` the document is `{schema_version, names: [A, B], compare: {a: ..., b: ...}}`.
Output-only sections (`funnel`, `duplicates`, `pii_domains`, `rejected`, `manifest`, `checks`)
are null for Parquet files and raw input.
"""

from curation.stats.inputs import Corpus, StatsInputError, open_corpus
from curation.stats.scan import ScanOptions, compute_stats

__all__ = ["Corpus", "ScanOptions", "StatsInputError", "compute_stats", "open_corpus"]

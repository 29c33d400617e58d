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

- `safety` (only with `--safety`; `curation.stats.safety`, Llama 2 section 4.1): `documents`;
  - `pronouns`: `she`, `he`, `they` (share of covered documents with at least one form of the
    group; they = gender unspecified, singular they included), `first_person`, `second_person`
    (English documents only; null without them), `documents` (covered: in a language with lists),
    `documents_not_covered`, `counts` (group -> documents), `languages_covered` (codes whose lists
    were applied), `language_source` (`language column`, the fastText identifier, or null: then the
    English lists are applied to every document), `note`, `by_language` (code -> `{documents,
    counts, <group>: share}`). Lists: `curation/stats/data/pronouns.json` (en, fr, es; German left
    out, see its `not_covered`); French and Spanish shares are not comparable to English ones
    (grammatical gender: il/elle, él/ella also stand for nouns).
  - `identities`: axis (`religion`, `gender_and_sex`, `nationality`, `race_and_ethnicity`,
    `sexual_orientation`) -> term -> share of English documents mentioning it, the `--top`
    (default 10) terms with most documents.
  - `identity_axes`: `documents` (English documents searched; every document when the language is
    unknown), `languages_covered`, `language_source`, `axes`: axis -> `documents`, `share_documents`
    (any term of the axis), `documents_unambiguous`, `share_documents_unambiguous` (without the
    terms `identities.json` marks ambiguous, e.g. white, black, straight), `top` (`term`,
    `documents`, `share_documents`, `share_of_axis`: among the axis's documents, as Llama 2's
    Table 9b reports, `ambiguous`), `terms` (every term found -> documents). Terms: the HolisticBias
    descriptors (`curation/stats/data/identities.json`), whole words, case-insensitive, the longest
    term at a place winning (`Native American` is not also `american`).
  - `toxicity` (null when not scored): `documents`, `threshold` (0.5), `toxic_documents`,
    `share_at_or_above_0_5`, `mean`, `histogram.{lower,upper,counts}` (20 bins on [0, 1], the last
    closed), `most_toxic` (the 20 highest: `{id, position, score}`, `id` null without an id column,
    `position` the document's number from 1 in reading order; never text), `scorer`.
  - `languages`: language code -> share of documents, `unknown` for a score below the threshold
    (or no language); `language_identification`: `source`, `threshold` (`--lid-threshold`),
    `threshold_applied` (false with a `language` column but no `language_score`), `documents`
    (code -> documents), `error` (why fastText could not be loaded; then `languages` is null).
  - `personal_data`: `words`, `spans`, `spans_per_1k_words`, `spans_per_1k_words_by_type` (entity
    type -> spans per 1,000 words; null without a `pii_redactions` column), `documents_with_redactions`,
    `dropped_domains` (output directories, else null): `domains` (marked `drop` in
    pii_domains.parquet; null without it), `documents` and `by_reason` (the manifest's `dropped`
    of the `pii_domains` stage), `listed` (up to 1,000 dropped domains, most documents first:
    `domain`, `documents`, `spans_per_kword`, `share_docs_with_pii`, `reason`).
  - `word_lists`: the data files, their `sources`, the comparability note, the ambiguous terms.

With `--compare A B` the document is `{schema_version, names: [A, B], compare: {a: ..., b: ...}}`,
plus, when both have a `safety` section, `safety_shift` (`curation.stats.safety.safety_shift(a, b)`):
`pronouns` (group -> `{a, b, change}`, change = B - A), `identities` (axis -> `{a, b, change}` of
the axis's share, `terms_moved_most`: `[{term, a, b, change}]` by absolute change), `toxicity`
(`share_at_or_above_0_5`, `mean`), `languages` (code -> `{a, b, change}`), `personal_data`
(`spans_per_1k_words`).
Output-only sections (`funnel`, `duplicates`, `pii_domains`, `rejected`, `manifest`, `checks`)
are null for Parquet files and raw input.
"""

from curation.stats.inputs import Corpus, StatsInputError, open_corpus
from curation.stats.scan import ScanOptions, compute_stats

__all__ = ["Corpus", "ScanOptions", "StatsInputError", "compute_stats", "open_corpus"]

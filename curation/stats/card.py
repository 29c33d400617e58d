"""A Hugging Face dataset card (README.md) for an output, written from its manifest, config and statistics.

The YAML header carries the languages, the size category, the task category and the data
files; the licence is left for the dataset's owner to set. The sections describe the sources,
every processing step with its parameters and drop counts, personal-data handling,
deduplication, token counts and known limitations.
"""

from __future__ import annotations

import json
import re
from typing import Any

import yaml

from curation.catalog import (
    EXACT_DEDUP,
    FILTERS,
    MINHASH_DEDUP,
    NORMALIZE,
    PARSE,
    PII,
    PII_DOMAINS,
    STAGE_NAMES,
    Stage,
)
from curation.stats.report import label, number, percent, size

SIZE_CATEGORIES = (
    (1_000, "n<1K"),
    (10_000, "1K<n<10K"),
    (100_000, "10K<n<100K"),
    (1_000_000, "100K<n<1M"),
    (10_000_000, "1M<n<10M"),
    (100_000_000, "10M<n<100M"),
    (1_000_000_000, "100M<n<1B"),
    (10_000_000_000, "1B<n<10B"),
    (100_000_000_000, "10B<n<100B"),
    (1_000_000_000_000, "100B<n<1T"),
)
FIELDS = (
    ("id", "string", "stable document id (from the input, or derived from source, file and position)"),
    ("text", "string", "the document's text, normalized and with personal data anonymized when enabled"),
    ("url", "string", "the page's URL, when the input had one"),
    ("domain", "string", "the URL's registered domain"),
    ("language", "string", "language identified by the language filter (null when not run)"),
    ("language_score", "float32", "confidence of the language identification"),
    ("token_count", "int64", "tokens of `text` with the tokenizer named below"),
    ("source", "string", "the input the document came from"),
    ("pii_redactions", "list<struct<field, entity_type, count>>", "spans anonymized per field and entity type"),
    ("metadata", "string", "the input's other fields, as a JSON object"),
)
LICENCE_NOTE = "# TODO(owner): set the licence; it depends on the sources' terms (see 'Licence' below)"


def size_category(documents: int) -> str:
    """The Hugging Face `size_categories` value for a number of documents."""
    return next((name for limit, name in SIZE_CATEGORIES if documents < limit), "n>1T")


LANGUAGE_CODE = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*")
UNDETERMINED = frozenset({"und", "zxx", "mis", "mul"})


def _languages(stats: dict) -> list[str]:
    """Language codes fit for the card's metadata (no undetermined or malformed codes)."""
    return [
        row["language"]
        for row in stats.get("languages") or []
        if row["language"]
        and row["documents"]
        and LANGUAGE_CODE.fullmatch(row["language"])
        and row["language"] not in UNDETERMINED
    ]


def _front_matter(stats: dict, name: str) -> str:
    metadata: dict[str, Any] = {}
    languages = _languages(stats)
    if languages:
        metadata["language"] = languages
    metadata["license"] = "unknown"
    metadata["pretty_name"] = name
    metadata["size_categories"] = [size_category(stats["documents"])]
    metadata["task_categories"] = ["text-generation"]
    metadata["task_ids"] = ["language-modeling"]
    metadata["tags"] = ["pretraining", "web", "curation"]
    metadata["configs"] = [{"config_name": "default", "data_files": [{"split": "train", "path": "data/*.parquet"}]}]
    text = yaml.safe_dump(metadata, sort_keys=False, allow_unicode=True)
    text = text.replace("license: unknown\n", f"license: unknown  {LICENCE_NOTE}\n")
    return f"---\n{text}---\n"


def _table(headers: list[str], rows: list[list[Any]]) -> str:
    def cell(value: Any) -> str:
        return str(value).replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(cell(value) for value in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def _parameters(section: dict | None, skip: tuple[str, ...] = ("enabled",)) -> str:
    if not section:
        return "defaults"
    items = [f"`{key}={json.dumps(value)}`" for key, value in section.items() if key not in skip]
    return ", ".join(items) or "defaults"


def _drops(funnel: dict | None, stage: str) -> str:
    for row in (funnel or {}).get("stages", []):
        if row["stage"] == stage:
            reasons = ", ".join(f"{r['reason']}: {number(r['manifest'] or r['ledger'])}" for r in row["reasons"])
            return f"{number(row['dropped'])} ({reasons})"
    return "0"


def _summary(stats: dict, name: str) -> str:
    manifest = stats["manifest"] or {}
    tokenizer = (manifest.get("tokenizer") or {}).get("name") or stats.get("tokenizer")
    languages = stats.get("languages") or []
    known = [row for row in languages if row["language"]]
    language_text = (
        ", ".join(f"{row['language']} ({percent(row['share_documents'])})" for row in known[:6])
        if known
        else "not identified (no language filter ran)"
    )
    return (
        f"# Dataset card for {name}\n\n"
        f"Web text prepared for language-model pretraining by the `curation` pipeline: "
        f"{number(stats['documents'])} documents, {number(stats['tokens'])} tokens ({tokenizer}), "
        f"{size(stats['text_bytes'])} of UTF-8 text in {manifest.get('shards', stats['files'])} Parquet shard(s). "
        f"{number(manifest.get('input_documents'))} input documents went in; every one is accounted for in the "
        f"shards or the drop ledger (`dropped/`), and unparseable records in `rejected/`.\n\n"
        f"Languages (share of documents): {language_text}.\n\n"
        'Load it with `datasets.load_dataset("parquet", data_files="data/*.parquet")`.\n'
    )


def _structure() -> str:
    rows = [[f"`{name}`", kind, meaning] for name, kind, meaning in FIELDS]
    return "## Dataset structure\n\nOne split, `train`; one row per document:\n\n" + _table(
        ["field", "type", "meaning"], rows
    )


def _sources(stats: dict, config: dict) -> str:
    source = config.get("input") or {}
    if source.get("synthetic"):
        origin = (
            f"a synthetic web corpus generated by `curation.synth` ({source['synthetic']['docs']:,} documents, "
            f"seed {source['synthetic']['seed']}); it is not real web data"
        )
    else:
        origin = ", ".join(f"`{path}`" for path in source.get("paths") or []) or "(not recorded)"
    lines = [
        "## Sources\n",
        f"Input: {origin}. Format `{source.get('format', 'auto')}`, text field `{source.get('text_key', 'text')}`.\n",
    ]
    rows = [
        [label(r["source"]), number(r["documents"]), number(r["tokens"]), percent(r["share_documents"])]
        for r in (stats.get("sources") or [])[:20]
    ]
    if rows:
        lines.append(_table(["source", "documents", "tokens", "share"], rows))
    return "\n".join(lines)


def _stage_row(stage: Stage, config: dict, funnel: dict, parameters: str | None = None) -> list[str]:
    """A stage's row: its title, whether its config section turns it on, parameters, drops."""
    if parameters is None:
        parameters = _parameters(config.get(stage.config_section))
    return [stage.title, _enabled(config, stage.config_section), parameters, _drops(funnel, stage.name)]


def _processing(stats: dict, config: dict) -> str:
    funnel = stats.get("funnel") or {}
    filters = (config.get("filters") or {}).get("steps") or []
    rows = [
        [PARSE.title, "yes", _parameters(config.get("input"), ("paths", "synthetic")),
         f"{number(stats['manifest'].get('rejected_records'))} unparseable record(s) rejected (counted apart)"],
        _stage_row(NORMALIZE, config, funnel),
    ]  # fmt: skip
    filters_on = _enabled(config, FILTERS.config_section) == "yes"
    for step in filters:
        for filter_name, parameters in step.items():
            state = "yes" if filters_on else "no"
            rows.append([f"filter `{filter_name}`", state, _parameters(parameters or {}), _drops(funnel, filter_name)])
    if not filters:
        rows.append([FILTERS.title, "no steps configured", "-", "0"])
    pii_parameters = _parameters(config.get(PII.config_section), ("enabled", "domains"))
    rows += [
        _stage_row(EXACT_DEDUP, config, funnel, "normalized text; smallest id kept"),
        _stage_row(MINHASH_DEDUP, config, funnel),
        _stage_row(PII, config, funnel, pii_parameters),
        [PII_DOMAINS.title, _pii_domains_state(config), _parameters((config.get("pii") or {}).get("domains")),
         _drops(funnel, PII_DOMAINS.name)],
        ["token counting", "yes", _parameters(config.get("tokenizer")), "0"],
        ["sharding", "yes", _parameters(config.get("shards")), "0"],
    ]  # fmt: skip
    known = set(STAGE_NAMES) | {name for step in filters for name in step}
    for stage in funnel.get("stages", []):
        if stage["stage"] not in known:
            rows.append([stage["stage"], "yes", "-", _drops(funnel, stage["stage"])])
    text = "## Processing\n\nEvery step, in pipeline order, with its parameters and the documents it dropped:\n\n"
    text += _table(["step", "enabled", "parameters", "documents dropped"], rows)
    if funnel.get("stages"):
        funnel_rows = [["input", "", "", number(funnel["input_documents"])]]
        funnel_rows += [
            [s["stage"], number(s["entering"]), number(s["dropped"]), number(s["remaining"])] for s in funnel["stages"]
        ]
        text += "\nThe funnel (from the manifest, checked against the ledger):\n\n"
        text += _table(["stage", "entering", "dropped", "remaining"], funnel_rows)
    return text


def _enabled(config: dict, section: str) -> str:
    return "yes" if (config.get(section) or {}).get("enabled") else "no"


DOMAIN_REASONS = {
    "allow_list": "on the allow list",
    "block_list": "on the block list",
    "thresholds": "above both thresholds",
    "min_docs": "too few documents to judge",
    "below_thresholds": "below the thresholds",
}


def _domain_reasons(scored: dict) -> str:
    """` Kept: 200 below the thresholds (below_thresholds), ...` from the decisions' reasons."""
    parts = []
    for decision, verb in (("drop", "Dropped"), ("keep", "Kept")):
        reasons = [r for r in scored.get("reasons") or [] if r["decision"] == decision and r["reason"]]
        if reasons:
            listed = ", ".join(
                f"{number(r['domains'])} {DOMAIN_REASONS.get(r['reason'], r['reason'])} (`{r['reason']}`)"
                for r in reasons
            )
            parts.append(f" {verb}: {listed}.")
    return "".join(parts)


def _pii_domains_state(config: dict) -> str:
    pii = config.get("pii") or {}
    return "yes" if pii.get("enabled") and (pii.get("domains") or {}).get("enabled") else "no"


def _default_entities() -> str:
    try:
        from curation.pii.recognizers import DEFAULT_ENTITIES
    except ImportError:
        return "the default pattern tier"
    return ", ".join(DEFAULT_ENTITIES)


def _personal_data(stats: dict, config: dict) -> str:
    pii = config.get("pii") or {}
    lines = ["## Personal data\n"]
    if not pii.get("enabled"):
        lines.append(
            "Personal data was **not** detected or anonymized in this run (`pii.enabled: false`): the texts may "
            "contain e-mail addresses, phone numbers, names and other personal information as found on the web.\n"
        )
    else:
        entities = ", ".join(pii.get("entities") or []) or _default_entities()
        operators = json.dumps(pii.get("operators") or {}) if pii.get("operators") else "replace with `<ENTITY_TYPE>`"
        lines.append(
            f"Detected once per document (pattern recognizers{' plus spaCy NER' if pii.get('ner') else ''}; "
            f"entity types: {entities}; minimum score {pii.get('score_threshold')}), then anonymized with the "
            f"operators: {operators}. Pseudonym keys, when used, are never part of the output.\n"
        )
        domains = pii.get("domains") or {}
        if domains.get("enabled"):
            lines.append(
                f"Domains are scored by personal data and dropped when they have at least {domains.get('min_docs')} "
                f"documents, more than {domains.get('max_spans_per_kword')} spans per 1,000 words and more than "
                f"{domains.get('max_share_docs_with_pii')} of their documents with personal data "
                f"(block list: {domains.get('block_list') or 'none'}, "
                f"allow list: {domains.get('allow_list') or 'none'}).\n"
            )
    scored = stats.get("pii_domains")
    if scored:
        dropped = scored["decisions"].get("drop", 0)
        lines.append(
            f"Domains scored: {number(scored['domains'])}; dropped: {number(dropped)} "
            f"(documents removed with them: {_drops(stats.get('funnel'), 'pii_domains')}).{_domain_reasons(scored)}\n"
        )
    redactions = stats.get("pii_redactions")
    if redactions and redactions["by_type"]:
        lines.append(
            f"{number(redactions['documents_with_redactions'])} document(s) carry at least one anonymized span:\n"
        )
        rows = [[r["entity_type"], number(r["spans"]), number(r["documents"])] for r in redactions["by_type"]]
        lines.append(_table(["entity type", "spans anonymized", "documents"], rows))
        if redactions.get("by_field"):
            rows = [[r["field"], number(r["spans"]), number(r["documents"])] for r in redactions["by_field"]]
            lines.append("\nBy field (every metadata string counted under `metadata`):\n")
            lines.append(_table(["field", "spans anonymized", "documents"], rows))
    return "\n".join(lines)


def _deduplication(stats: dict, config: dict) -> str:
    lines = ["## Deduplication\n"]
    exact = "on" if _enabled(config, "exact_dedup") == "yes" else "off"
    minhash = config.get("minhash") or {}
    lines.append(f"Exact deduplication: {exact} (one document per normalized text, the smallest id kept).\n")
    if minhash.get("enabled"):
        lines.append(
            f"Near-duplicate removal: MinHash with {minhash.get('num_perm')} permutations over word "
            f"{minhash.get('ngram_size')}-grams, Jaccard threshold {minhash.get('threshold')}, LSH bands/rows "
            f"{minhash.get('bands') or 'chosen from the threshold'}/{minhash.get('rows') or '-'}, connected components "
            f"per {minhash.get('scope')} scope, kept copy `{minhash.get('keep')}`, "
            f"verification `{minhash.get('verify')}`.\n"
        )
    else:
        lines.append("Near-duplicate removal (MinHash): off; near duplicates may remain.\n")
    duplicates = stats.get("duplicates")
    if duplicates and duplicates["by_stage"]:
        rows = [
            [s["stage"], number(s["documents_removed"]), number(s["clusters"]), percent(s["rate"]),
             number(s["largest_cluster"])]
            for s in duplicates["by_stage"]
        ]  # fmt: skip
        lines.append(_table(["kind", "documents removed", "clusters", "rate", "largest cluster"], rows))
        lines.append("Each removed copy is listed in `duplicates.parquet/` with its cluster and the copy kept.\n")
    return "\n".join(lines)


def _tokens(stats: dict) -> str:
    tokenizer = (stats["manifest"] or {}).get("tokenizer") or {}
    lengths = stats["lengths"].get("tokens")
    lines = [
        "## Token counts\n",
        f"{number(stats['tokens'])} tokens counted with `{tokenizer.get('name')}` ({tokenizer.get('library')}; "
        f"vocabulary sha256 `{tokenizer.get('sha256')}`).\n",
    ]
    if lengths:
        p = lengths["percentiles"]
        lines.append(
            f"Tokens per document: median {number(p['p50'])}, 5th percentile {number(p['p5'])}, 95th percentile "
            f"{number(p['p95'])}, mean {number(lengths['mean'], 1)}, longest {number(lengths['max'])}.\n"
        )
    return "\n".join(lines)


def _statistics(stats: dict) -> str:
    lines = ["## Statistics\n"]
    rows = [
        [name, number(s["min"]), number(s["percentiles"]["p50"]), number(s["percentiles"]["p95"]), number(s["max"])]
        for name, s in stats["lengths"].items()
        if s and s["count"]
    ]
    lines.append(_table(["per document", "min", "median", "p95", "max"], rows))
    languages = [
        [label(r["language"]), number(r["documents"]), percent(r["share_documents"]), number(r["tokens"])]
        for r in (stats.get("languages") or [])[:15]
    ]
    if languages:
        lines.append(_table(["language", "documents", "share", "tokens"], languages))
    domains = stats.get("domains") or {}
    rows = [
        [label(r["domain"]), number(r["documents"]), number(r["tokens"])] for r in (domains.get("top_by_tokens") or [])
    ][:10]
    if rows:
        lines.append(f"{number(domains['distinct'])} distinct domains; the ten largest by tokens:\n")
        lines.append(_table(["domain", "documents", "tokens"], rows))
    lines.append("Produced by `curation stats`; percentiles are within 2.4% (log-spaced histograms).\n")
    return "\n".join(lines)


def _safety(stats: dict) -> str:
    """The Llama 2 section 4.1 measures (`curation stats --safety`), when the statistics have them."""
    safety = stats.get("safety")
    if not safety:
        return ""
    pronouns = safety["pronouns"]
    lines = [
        "### Safety measures\n",
        f"Measured by `curation stats --safety` as in Llama 2 (Touvron et al. 2023, section 4.1) over "
        f"{number(safety['documents'])} documents.\n",
    ]
    shares = ", ".join(
        f"{group.replace('_', ' ')} {percent(pronouns.get(group))}"
        for group in ("she", "he", "they", "first_person", "second_person")
        if pronouns.get(group) is not None
    )
    covered = ", ".join(pronouns["languages_covered"]) or "none"
    lines.append(
        f"- Pronouns (share of the {number(pronouns['documents'])} documents in {covered} with at least one): {shares}."
    )
    toxicity = safety.get("toxicity")
    if toxicity:
        lines.append(
            f"- Toxicity: {percent(toxicity['share_at_or_above_0_5'])} of {number(toxicity['documents'])} documents "
            f"score {toxicity['threshold']:g} or more"
            + (f" (mean {toxicity['mean']:.3f})" if toxicity["mean"] is not None else "")
            + f" with {toxicity['scorer']}."
        )
    axes = safety["identity_axes"]
    top = []
    for axis, spec in axes["axes"].items():
        terms = ", ".join(
            f"{row['term']}{' (ambiguous)' if row['ambiguous'] else ''} {percent(row['share_documents'])}"
            for row in spec["top"][:3]
        )
        top.append(f"{axis.replace('_', ' ')} {percent(spec['share_documents'])}" + (f" ({terms})" if terms else ""))
    lines.append(
        f"- Identity terms (HolisticBias descriptors, share of the {number(axes['documents'])} English documents "
        f"mentioning the axis, top terms): {'; '.join(top)}."
    )
    languages = safety.get("languages")
    if languages:
        ranked = sorted(languages.items(), key=lambda kv: -kv[1])
        listed = ", ".join(f"{code} {percent(share)}" for code, share in ranked[:8])
        threshold = (safety.get("language_identification") or {}).get("threshold")
        lines.append(f"- Languages (unknown: confidence below {threshold}): {listed}.")
    data = safety.get("personal_data") or {}
    if data.get("spans_per_1k_words") is not None:
        lines.append(f"- Personal data: {data['spans_per_1k_words']:.3f} anonymized spans per 1,000 words.")
    lists = safety.get("word_lists") or {}
    lines.append(
        "\nCaveats: word lists find words, not meaning; identity terms are searched in English documents only and "
        "ambiguous terms (white, black, straight, ...) are counted though they have other senses; French and Spanish "
        "pronoun shares are not comparable to English ones (grammatical gender)"
        + (", German is not covered" if "de" in (lists.get("pronoun_languages_not_covered") or {}) else "")
        + "; the toxicity classifier flags profanity and misses implicit toxicity, so its share is not comparable "
        "to Llama 2's. Lists: `curation/stats/data/pronouns.json`, `curation/stats/data/identities.json`.\n"
    )
    return "\n".join(lines)


def _limitations(stats: dict, config: dict) -> str:
    items = []
    if (config.get("input") or {}).get("synthetic"):
        items.append("The input is synthetic: it imitates web pages but is not real web text.")
    if not _languages(stats):
        items.append("Languages were not identified (no language filter ran); the `language` column is empty.")
    if not (config.get("filters") or {}).get("steps") or _enabled(config, "filters") == "no":
        items.append("No quality filters ran: boilerplate, spam and low-quality pages may remain.")
    if _enabled(config, "minhash") == "no":
        items.append("Near-duplicate removal was off; only exact duplicates were removed.")
    if _enabled(config, "pii") == "no":
        items.append("Personal data was not anonymized.")
    else:
        pii = config.get("pii") or {}
        if not pii.get("ner"):
            items.append("Names and places were not detected (NER off): only structured personal data was anonymized.")
        items.append("Detection is automatic: some personal data is missed and some non-personal text is replaced.")
    items += [
        "Web text carries the biases, errors and offensive content of the pages it came from.",
        "Pages may be under copyright; the dataset inherits the terms of its sources.",
    ]
    return "## Known limitations\n\n" + "".join(f"- {item}\n" for item in items)


def _reproduction(stats: dict) -> str:
    manifest = stats["manifest"] or {}
    return (
        "## Licence\n\nTo be set by the dataset's owner (the `license` field above is `unknown` until then). "
        "It must respect the terms of the sources listed above.\n\n"
        "## Reproduction\n\n"
        f"Config sha256 `{manifest.get('config_sha256')}` (the resolved config is in `manifest.json`). "
        "Rerun with `curation run --config CONFIG`; check the files with `curation verify OUTPUT`.\n"
    )


def render_card(stats: dict, name: str | None = None) -> str:
    """The dataset card (Markdown with a YAML header) of an output's statistics."""
    if stats.get("manifest") is None:
        raise ValueError("a dataset card needs an output directory with manifest.json")
    config = stats["manifest"].get("config") or {}
    name = name or (stats["inputs"][0].rstrip("/").rsplit("/", 1)[-1] or "dataset")
    parts = [
        _front_matter(stats, name),
        _summary(stats, name),
        _structure(),
        _sources(stats, config),
        _processing(stats, config),
        _personal_data(stats, config),
        _deduplication(stats, config),
        _tokens(stats),
        _statistics(stats),
        _safety(stats),
        _limitations(stats, config),
        _reproduction(stats),
    ]
    return "\n".join(part for part in parts if part)

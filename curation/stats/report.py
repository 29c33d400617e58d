"""Terminal tables of the statistics (rich): one corpus, a sample of documents, or two side by side."""

from __future__ import annotations

from typing import Any

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

TOP_ROWS = 15
SPARK = " ▁▂▃▄▅▆▇█"
SHOWN_PERCENTILES = ("p5", "p25", "p50", "p75", "p95", "p99")
SAMPLE_CHARS = 800


def number(value: Any, digits: int = 0) -> str:
    """A count with thousands separators; `-` for a missing value."""
    if value is None:
        return "-"
    if isinstance(value, float) and digits:
        return f"{value:,.{digits}f}"
    return f"{round(value):,}"


def size(value: float | None) -> str:
    """Bytes in decimal units (`7.26 MB`)."""
    if value is None:
        return "-"
    for unit in ("B", "kB", "MB", "GB", "TB"):
        if abs(value) < 1000 or unit == "TB":
            return f"{value:,.0f} {unit}" if unit == "B" else f"{value:,.2f} {unit}"
        value /= 1000
    return str(value)


def percent(value: float | None) -> str:
    """`12.3%`; a small share keeps two significant digits (`0.025%`) rather than reading as 0.0%."""
    if value is None:
        return "-"
    if 0 < value < 0.001:
        return f"{100 * value:.2g}%"
    return f"{100 * value:.1f}%"


def label(value: Any) -> str:
    """A key as shown: `(none)` for a missing language, domain or source."""
    return "(none)" if value is None else str(value)


def sparkline(histogram: dict | None) -> str:
    """The coarse histogram as a row of block characters."""
    if not histogram or not histogram["counts"]:
        return ""
    peak = max(histogram["counts"])
    return "".join(SPARK[min(len(SPARK) - 1, -(-count * (len(SPARK) - 1) // peak))] for count in histogram["counts"])


def _table(title: str, *columns: str, right_from: int = 1) -> Table:
    table = Table(title=title, title_justify="left", show_edge=False, header_style="bold")
    for index, column in enumerate(columns):
        table.add_column(column, justify="right" if index >= right_from else "left")
    return table


def overview_table(stats: dict) -> Table:
    table = _table("Corpus", "", "")
    table.show_header = False
    inputs = ", ".join(stats["inputs"])
    table.add_row("input", f"{inputs} ({stats['kind']}, {stats['files']} file(s), {size(stats['bytes_on_disk'])})")
    table.add_row("documents", number(stats["documents"]))
    tokenizer = f" ({stats['tokenizer']})" if stats.get("tokenizer") else " (no token counts; see --count-tokens)"
    table.add_row("tokens", number(stats["tokens"]) + tokenizer)
    table.add_row("text", f"{size(stats['text_bytes'])} UTF-8, {number(stats['characters'])} characters")
    table.add_row("words", number(stats["words"]))
    if (stats.get("domains") or {}).get("without_domain") is not None:
        table.add_row("without a domain", number(stats["domains"]["without_domain"]))
    if stats.get("rejected_records") is not None:
        table.add_row("rejected records", number(stats["rejected_records"]))
    for name, ok in (stats.get("checks") or {}).items():
        if ok is not None:
            table.add_row(name.replace("_", " "), "[green]yes[/]" if ok else "[red]NO[/]")
    table.columns[1].justify = "left"
    return table


def lengths_table(stats: dict) -> Table | None:
    summaries = {name: summary for name, summary in stats["lengths"].items() if summary and summary["count"]}
    if not summaries:
        return None
    table = _table("Lengths per document", "", *summaries)
    table.add_row("min", *(number(summary["min"]) for summary in summaries.values()))
    for key in SHOWN_PERCENTILES:
        table.add_row(key, *(number(summary["percentiles"][key]) for summary in summaries.values()))
    table.add_row("max", *(number(summary["max"]) for summary in summaries.values()))
    table.add_row("mean", *(number(summary["mean"], 1) for summary in summaries.values()))
    return table


def histograms_table(stats: dict) -> Table | None:
    if not stats["documents"]:
        return None
    table = _table("Length histograms (log-spaced bins, 10 per decade)", "", "from", "histogram", "to", right_from=1)
    for name, summary in stats["lengths"].items():
        if summary and summary["count"]:
            histogram = summary["histogram"]
            table.add_row(name, number(histogram["lower"][0]), sparkline(histogram), number(histogram["upper"][-1]))
    table.columns[2].justify = "left"
    table.columns[3].justify = "left"
    return table


def shares_table(title: str, rows: list[dict] | None, key: str, limit: int | None = TOP_ROWS) -> Table | None:
    """Rows of `{key, documents, share_documents, tokens, characters}`; `limit` None shows them all."""
    if not rows:
        return None
    limit = len(rows) if limit is None else limit
    table = _table(title, key, "documents", "share", "tokens", "characters")
    for row in rows[:limit]:
        table.add_row(
            label(row[key]),
            number(row["documents"]),
            percent(row["share_documents"]),
            number(row["tokens"]),
            number(row["characters"]),
        )
    if len(rows) > limit:
        table.caption = f"{len(rows) - limit} more not shown"
    return table


def redactions_table(stats: dict) -> Table | None:
    redactions = stats.get("pii_redactions")
    if not redactions:
        return None
    table = _table("Personal data anonymized", "entity type", "spans", "documents")
    for row in redactions["by_type"]:
        table.add_row(row["entity_type"], number(row["spans"]), number(row["documents"]))
    if not redactions["by_type"]:
        table.add_row("(none)", "0", "0")
    table.caption = f"{number(redactions['documents_with_redactions'])} document(s) with at least one redaction"
    if redactions.get("by_field"):
        fields = ", ".join(f"{row['field']} {number(row['spans'])}" for row in redactions["by_field"])
        table.caption += f"; spans by field: {fields}"
    return table


def funnel_table(stats: dict) -> Table | None:
    funnel = stats.get("funnel")
    if not funnel:
        return None
    table = _table("Drop funnel", "stage / reason", "dropped", "ledger", "remaining", "share of stage input")
    table.add_row("input", "", "", number(funnel["input_documents"]), "", style="bold")
    for stage in funnel["stages"]:
        share = stage["dropped"] / stage["entering"] if stage["entering"] else None
        table.add_row(stage["stage"], number(stage["dropped"]), "", number(stage["remaining"]), percent(share))
        for reason in stage["reasons"]:
            table.add_row(f"  {reason['reason']}", number(reason["manifest"]), number(reason["ledger"]), "", "")
    table.add_row("output", "", "", number(funnel["output_documents"]), "", style="bold")
    if funnel.get("rejected_records"):
        table.caption = f"{number(funnel['rejected_records'])} unparseable record(s) rejected, counted apart"
    return table


def duplicates_table(stats: dict) -> Table | None:
    duplicates = stats.get("duplicates")
    if not duplicates or not duplicates["by_stage"]:
        return None
    table = _table("Duplicates removed", "stage", "documents", "clusters", "rate", "largest", "cluster sizes")
    for stage in duplicates["by_stage"]:
        sizes = ", ".join(f"{row['size']}:{row['clusters']}" for row in stage["cluster_sizes"][:8])
        more = " ..." if len(stage["cluster_sizes"]) > 8 else ""
        table.add_row(
            stage["stage"],
            number(stage["documents_removed"]),
            number(stage["clusters"]),
            percent(stage["rate"]),
            number(stage["largest_cluster"]),
            sizes + more,
        )
    table.columns[-1].justify = "left"
    table.caption = "cluster sizes: documents per cluster (kept copy included) : clusters"
    return table


ENTITY_ABBREVIATIONS = {
    "EMAIL_ADDRESS": "email",
    "PHONE_NUMBER": "phone",
    "CREDIT_CARD": "card",
    "IBAN_CODE": "iban",
    "IP_ADDRESS": "ip",
    "LOCATION": "place",
    "ORGANIZATION": "org",
    "DATE_TIME": "date",
}


def entity_abbreviation(entity_type: str) -> str:
    """A short name of an entity type for narrow tables: `EMAIL_ADDRESS` -> `email`, `US_SSN` -> `us_ssn`."""
    if entity_type in ENTITY_ABBREVIATIONS:
        return ENTITY_ABBREVIATIONS[entity_type]
    name = entity_type.lower()
    for suffix in ("_address", "_number", "_code"):
        name = name.removesuffix(suffix)
    return name or entity_type


def spans_by_type(value: Any) -> list[tuple[str, int]]:
    """`spans_by_type` of a domain row (`TYPE=count, ...` in the JSON, or the list of structs) as
    (entity type, spans), most spans first."""
    if isinstance(value, list):
        items = [item for item in value if isinstance(item, dict)]
        pairs = [(str(item.get("entity_type")), int(item.get("count") or 0)) for item in items]
    elif isinstance(value, str) and value:
        pairs = []
        for part in value.split(", "):
            name, _, count = part.partition("=")
            pairs.append((name, int(count) if count.isdigit() else 0))
    else:
        pairs = []
    return sorted(pairs, key=lambda pair: (-pair[1], pair[0]))


def compact_spans(value: Any) -> str:
    """`spans_by_type` in a few characters: `email:3 phone:1` (a pair never wraps); `-` for none."""
    pairs = spans_by_type(value)
    return " ".join(f"{entity_abbreviation(name)}:{count}" for name, count in pairs) if pairs else "-"


def reason_label(value: Any) -> str:
    """A decision's reason as the terminal shows it, `min docs` for `min_docs` (it wraps at the
    space); `-` for none (older outputs' keeps)."""
    return "-" if value in (None, "") else str(value).replace("_", " ")


def decisions_by_reason(domains: dict) -> list[tuple[str, int, list[tuple[Any, int]]]]:
    """Each decision with its count of domains and the counts per reason that made it."""
    reasons = domains.get("reasons") or []
    return [
        (decision, count, [(r["reason"], r["domains"]) for r in reasons if r["decision"] == decision])
        for decision, count in sorted(domains["decisions"].items())
    ]


def _reason_summary(domains: dict) -> str:
    """`keep 268 (min_docs 200, below_thresholds 68); drop 1 (thresholds 1)`."""
    parts = []
    for decision, count, reasons in decisions_by_reason(domains):
        detail = ", ".join(f"{reason_label(reason or 'no reason')} {number(n)}" for reason, n in reasons)
        parts.append(f"{decision} {number(count)}" + (f" ({detail})" if detail else ""))
    return "; ".join(parts)


def pii_domains_table(stats: dict, limit: int | None = None) -> Table | None:
    """The most PII-dense domains in six narrow columns that fit 80 columns with a domain of up to
    32 characters on one line: domain; decision with the rule that decided it below; documents;
    spans per 1,000 words; share of documents with PII; spans by type. Shows `limit` rows (all: the
    JSON holds `--top`)."""
    domains = stats.get("pii_domains")
    if not domains or not domains["top"]:
        return None
    rows = domains["top"][:limit]
    table = Table(
        title="Most PII-dense domains (by spans per 1,000 words)",
        title_justify="left",
        show_edge=False,
        pad_edge=False,
        header_style="bold",
    )
    cells = [
        [
            label(row.get("domain")),
            number(row.get("documents")),
            number(row.get("spans_per_kword"), 2),
            number(row.get("share_docs_with_pii"), 2),
            compact_spans(row.get("spans_by_type")),
        ]
        for row in rows
    ]

    def widest(index: int, least: int) -> int:
        return max(least, *(len(cell[index]) for cell in cells))

    # Every column but the last is as narrow as its content; the spans wrap (a type:count pair
    # never splits); a domain is never cut, only folded onto a second line when longer than 32.
    table.add_column("domain", no_wrap=True, min_width=min(widest(0, 6), 32), overflow="fold")
    table.add_column("decision / reason", min_width=10, max_width=16)
    for index, header in ((1, "docs"), (2, "spans /1k words"), (3, "share with PII")):
        width = widest(index, 4 if index == 1 else 5)
        table.add_column(header, justify="right", min_width=width, max_width=width)
    table.add_column("spans by type", min_width=9)
    for row, shown in zip(rows, cells, strict=True):
        decision = label(row.get("decision"))
        style = "bold red" if decision == "drop" else ""
        verdict = Text.assemble((decision, style), "\n", (reason_label(row.get("reason")), "dim"))
        table.add_row(Text(shown[0], style=style), verdict, *shown[1:])
    caption = f"{number(domains['domains'])} domain(s) scored: {_reason_summary(domains)}"
    policy = domains.get("policy") or {}
    if policy.get("min_docs") is not None and policy.get("max_spans_per_kword") is not None:
        caption += (
            f". Dropped: at least {policy['min_docs']} documents, more than {policy['max_spans_per_kword']:g} spans "
            f"per 1k words and more than {policy.get('max_share_docs_with_pii')} of documents with PII"
        )
    table.caption = caption
    return table


def rejected_table(stats: dict) -> Table | None:
    rejected = stats.get("rejected")
    if not rejected or not rejected["records"]:
        return None
    table = _table("Rejected records (unparseable input)", "error", "records")
    for row in rejected["top_errors"]:
        table.add_row(row["error"], number(row["records"]))
    return table


def report_tables(stats: dict) -> list[Table]:
    """Every table of a single-corpus report, in reading order (sections without data left out)."""
    domains = stats.get("domains") or {}
    by_documents, by_tokens = domains.get("top_by_documents") or [], domains.get("top_by_tokens") or []
    candidates = [
        overview_table(stats),
        lengths_table(stats),
        histograms_table(stats),
        shares_table("Languages", stats.get("languages"), "language"),
        shares_table("Sources", stats.get("sources"), "source"),
        shares_table(  # the domain lists hold --top rows: every one is shown
            f"Top domains by documents ({len(by_documents)} of {number(domains.get('distinct'))} distinct)",
            by_documents,
            "domain",
            None,
        ),
        shares_table(f"Top domains by tokens ({len(by_tokens)})", by_tokens, "domain", None),
        redactions_table(stats),
        funnel_table(stats),
        duplicates_table(stats),
        pii_domains_table(stats),
        rejected_table(stats),
        *safety_tables(stats),
    ]
    return [table for table in candidates if table is not None]


def _pts(value: Any) -> str:
    return "-" if not isinstance(value, (int, float)) else f"{100 * value:+.1f} pts"


def pronouns_table(safety: dict) -> Table:
    pronouns = safety["pronouns"]
    languages = list(pronouns["by_language"])
    table = _table("Safety: pronouns (share of documents)", "group", "all covered", *languages)
    for group in ("she", "he", "they", "first_person", "second_person"):
        cells = [percent(pronouns["by_language"][code].get(group)) for code in languages]
        table.add_row(group.replace("_", " "), percent(pronouns.get(group)), *cells)
    table.add_row(
        "documents",
        number(pronouns["documents"]),
        *(number(pronouns["by_language"][c]["documents"]) for c in languages),
    )
    caption = (
        f"{pronouns['note']}; {number(pronouns['documents_not_covered'])} document(s) in other languages not counted"
    )
    if len(languages) > 1 or (languages and languages[0] != "en"):
        caption += ". Grammatical gender (il/elle, él/ella) makes non-English shares not comparable to English ones"
    table.caption = caption
    return table


def identities_table(safety: dict) -> Table:
    identities = safety["identity_axes"]
    table = _table(
        f"Safety: identity terms ({number(identities['documents'])} English documents)",
        "axis / term",
        "documents",
        "share",
        "unambiguous",
        "share of axis",
    )
    for axis, detail in identities["axes"].items():
        table.add_row(
            axis.replace("_", " "),
            number(detail["documents"]),
            percent(detail["share_documents"]),
            percent(detail["share_documents_unambiguous"]),
            "",
            style="bold",
        )
        for row in detail["top"]:
            term = row["term"] + (" *" if row["ambiguous"] else "")
            cells = (number(row["documents"]), percent(row["share_documents"]), "", percent(row["share_of_axis"]))
            table.add_row(f"  {term}", *cells)
    table.caption = (
        "* ambiguous term (also a colour, a direction, ...), counted anyway; unambiguous: the axis without them"
    )
    return table


def toxicity_table(safety: dict) -> Table | None:
    toxicity = safety.get("toxicity")
    if not toxicity:
        return None
    table = _table("Safety: toxicity (per-line scores averaged per document)", "", "")
    table.show_header = False
    table.add_row("documents scored", number(toxicity["documents"]))
    table.add_row(
        f"share at or above {toxicity['threshold']}",
        f"{percent(toxicity['share_at_or_above_0_5'])} ({number(toxicity['toxic_documents'])})",
    )
    table.add_row("mean score", "-" if toxicity["mean"] is None else f"{toxicity['mean']:.3f}")
    table.add_row("histogram 0 .. 1", sparkline(toxicity["histogram"]))
    for rank, row in enumerate(toxicity["most_toxic"][:10], 1):
        name = row["id"] if row["id"] is not None else f"position {row['position']}"
        table.add_row(f"most toxic #{rank}", f"{name} ({row['score']:.3f})")
    table.columns[1].justify = "left"
    return table


def safety_languages_table(safety: dict) -> Table | None:
    shares = safety.get("languages")
    if not shares:
        return None
    detail = safety["language_identification"]
    table = _table(f"Safety: languages (score >= {detail['threshold']})", "language", "documents", "share")
    for code, share in list(shares.items())[:TOP_ROWS]:
        table.add_row(code, number(detail["documents"].get(code)), percent(share))
    more = len(shares) - TOP_ROWS
    table.caption = f"from the {detail['source']}" + (
        "" if detail["threshold_applied"] else " (no scores: threshold not applied)"
    )
    if more > 0:
        table.caption += f"; {more} more not shown"
    return table


def personal_data_table(safety: dict) -> Table | None:
    data = safety.get("personal_data") or {}
    by_type = data.get("spans_per_1k_words_by_type")
    dropped = data.get("dropped_domains")
    if by_type is None and not dropped:
        return None
    table = _table("Safety: personal data redacted (spans per 1,000 words)", "entity type", "per 1k words")
    for name, value in (by_type or {}).items():
        table.add_row(name, number(value, 3))
    if by_type is not None:
        table.add_row("all", number(data.get("spans_per_1k_words") or 0.0, 3), style="bold")
    if dropped:
        listed = ", ".join(str(row["domain"]) for row in dropped["listed"][:5])
        more = " ..." if (dropped["domains"] or 0) > 5 else ""
        table.caption = (
            f"dropped for personal data: {number(dropped['domains'])} domain(s), "
            f"{number(dropped['documents'])} document(s)" + (f": {listed}{more}" if listed else "")
        )
    return table


def safety_tables(stats: dict) -> list[Table]:
    """The tables of the `safety` section (`--safety`); none without it."""
    safety = stats.get("safety")
    if not safety:
        return []
    tables = [
        pronouns_table(safety),
        identities_table(safety),
        toxicity_table(safety),
        safety_languages_table(safety),
        personal_data_table(safety),
    ]
    return [table for table in tables if table is not None]


def safety_shift_tables(shift: dict, names: tuple[str, str]) -> list[Table]:
    """How curation shifted each safety measure: A, B and the change (B - A)."""
    shares = _table("Safety shift: pronouns, identity axes, toxicity (share of documents)", "measure", *names, "change")
    for group, row in shift["pronouns"].items():
        shares.add_row(f"pronoun {group.replace('_', ' ')}", percent(row["a"]), percent(row["b"]), _pts(row["change"]))
    for axis, row in shift["identities"].items():
        shares.add_row(f"mentions {axis.replace('_', ' ')}", percent(row["a"]), percent(row["b"]), _pts(row["change"]))
    toxic, mean = shift["toxicity"]["share_at_or_above_0_5"], shift["toxicity"]["mean"]
    shares.add_row("toxicity >= 0.5", percent(toxic["a"]), percent(toxic["b"]), _pts(toxic["change"]))

    def score(value: Any) -> str:
        return "-" if value is None else f"{value:.3f}"

    change = mean["change"]
    shares.add_row("toxicity mean", score(mean["a"]), score(mean["b"]), "-" if change is None else f"{change:+.3f}")
    pii = shift["personal_data"]["spans_per_1k_words"]
    shares.add_row(
        "PII spans / 1k words",
        score(pii["a"]),
        score(pii["b"]),
        "-" if pii["change"] is None else f"{pii['change']:+.3f}",
    )
    terms = _table(
        "Safety shift: identity terms that moved most (share of English documents)", "axis / term", *names, "change"
    )
    for axis, row in shift["identities"].items():
        for moved in row["terms_moved_most"][:3]:
            if moved["change"]:
                terms.add_row(
                    f"{axis.replace('_', ' ')}: {moved['term']}",
                    percent(moved["a"]),
                    percent(moved["b"]),
                    _pts(moved["change"]),
                )
    languages = _table("Safety shift: languages (share of documents)", "language", *names, "change")
    for code, row in list(shift["languages"].items())[:TOP_ROWS]:
        languages.add_row(code, percent(row["a"]), percent(row["b"]), _pts(row["change"]))
    return [shares, terms, languages]


def print_report(stats: dict, console: Console) -> None:
    """Print the statistics of one corpus as tables."""
    for table in report_tables(stats):
        console.print(table)
        console.print()


def print_sample(rows: list[dict], console: Console, max_chars: int = SAMPLE_CHARS) -> None:
    """Print sampled documents, each in a panel: its fields, then the start of its text."""
    for index, row in enumerate(rows, 1):
        fields = "  ".join(f"{key}: {label(value)}" for key, value in row.items() if key != "text")
        text = row.get("text") or ""
        shown = text
        if len(text) > max_chars:
            shown = text[:max_chars] + f" [... {len(text) - max_chars:,} more characters]"
        body = Group(Text(fields, style="dim"), Text(shown))
        console.print(Panel(body, title=f"sample {index} of {len(rows)}", title_align="left"))


def _ratio(a: Any, b: Any) -> str:
    if not isinstance(a, (int, float)) or not isinstance(b, (int, float)) or not a:
        return "-"
    return f"{b / a:.2f}x"


def comparison_tables(a: dict, b: dict, names: tuple[str, str]) -> list[Table]:
    """Tables that put two corpora's statistics side by side."""
    totals = _table("Corpora compared", "", *names, "B / A")
    for key in ("documents", "tokens", "text_bytes", "characters", "words", "bytes_on_disk"):
        totals.add_row(key.replace("_", " "), number(a.get(key)), number(b.get(key)), _ratio(a.get(key), b.get(key)))
    totals.add_row("tokenizer", label(a.get("tokenizer")), label(b.get("tokenizer")), "")
    lengths = _table("Lengths per document (p5 / p50 / p95)", "", *names, "median B / A")
    for name in ("characters", "words", "tokens"):
        sa, sb = a["lengths"].get(name), b["lengths"].get(name)

        def cell(summary: dict | None) -> str:
            if not summary or not summary["count"]:
                return "-"
            return " / ".join(number(summary["percentiles"][p]) for p in ("p5", "p50", "p95"))

        median = _ratio(*(s["percentiles"]["p50"] if s and s["count"] else None for s in (sa, sb)))
        lengths.add_row(name, cell(sa), cell(sb), median)
    tables: list[Table | None] = [totals, lengths]
    for title, key, field in (("Languages", "language", "languages"), ("Sources", "source", "sources")):
        tables.append(_side_by_side(title, key, a.get(field), b.get(field), names))
    top_a, top_b = ((s.get("domains") or {}).get("top_by_documents") for s in (a, b))
    tables.append(_side_by_side("Top domains by documents", "domain", top_a, top_b, names))
    if a.get("safety") and b.get("safety"):
        from curation.stats.safety import safety_shift

        shift = safety_shift(a["safety"], b["safety"])
        tables.extend(safety_shift_tables(shift, names) if shift else [])
    return [table for table in tables if table is not None]


def _side_by_side(
    title: str, key: str, rows_a: list | None, rows_b: list | None, names: tuple[str, str]
) -> Table | None:
    if not rows_a and not rows_b:
        return None
    shares_a = {row[key]: row["share_documents"] for row in rows_a or []}
    shares_b = {row[key]: row["share_documents"] for row in rows_b or []}
    keys = sorted(set(shares_a) | set(shares_b), key=lambda k: -max(shares_a.get(k, 0), shares_b.get(k, 0)))
    table = _table(f"{title} (share of documents)", key, *names, "difference")
    for name in keys[:TOP_ROWS]:
        share_a, share_b = shares_a.get(name), shares_b.get(name)
        difference = f"{100 * ((share_b or 0) - (share_a or 0)):+.1f} pts"
        table.add_row(label(name), percent(share_a), percent(share_b), difference)
    table.caption = "-: not among that corpus's listed rows"
    return table


def print_comparison(a: dict, b: dict, names: tuple[str, str], console: Console) -> None:
    """Print two corpora's statistics side by side."""
    for table in comparison_tables(a, b, names):
        console.print(table)
        console.print()

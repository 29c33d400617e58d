"""The HTML report: one self-contained file, plots drawn by matplotlib and embedded as base64 PNG.

Nothing is loaded from the network when the file is opened: styles are inline and every image
is a `data:` URI. Two corpora (`--compare`) are drawn in the same plots, in two colours.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from typing import Any

from curation.stats.report import (
    SHOWN_PERCENTILES,
    decisions_by_reason,
    label,
    number,
    percent,
    size,
    spans_by_type,
)
from curation.stats.safety import AXES, UNKNOWN
from curation.stats.scan import POLICY_KEYS

COLOURS = ("#3b6ea8", "#d0743c")
TOP_BARS = 15
STYLE = """
body { font-family: -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; margin: 0; color: #1d2330;
       background: #f6f7f9; }
header { background: #1d2330; color: #fff; padding: 18px 32px; }
header h1 { margin: 0 0 4px; font-size: 22px; }
header p { margin: 0; color: #c3c9d4; font-size: 13px; }
nav { padding: 8px 32px; background: #e9ecf1; font-size: 13px; }
nav a { margin-right: 14px; color: #3b6ea8; text-decoration: none; }
main { padding: 8px 32px 40px; max-width: 1200px; }
section { background: #fff; border: 1px solid #dde1e8; border-radius: 6px; margin: 16px 0; padding: 12px 20px; }
h2 { font-size: 17px; margin: 4px 0 10px; }
table { border-collapse: collapse; font-size: 13px; margin: 6px 0 10px; }
th, td { padding: 3px 10px; border-bottom: 1px solid #eceef2; text-align: right; }
th { background: #f1f3f6; }
td:first-child, th:first-child { text-align: left; }
tr.sub td:first-child { padding-left: 26px; color: #555; }
tr.total td { font-weight: 600; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; }
.card { background: #f1f3f6; border-radius: 6px; padding: 8px 14px; min-width: 130px; }
.card b { display: block; font-size: 20px; }
.card span { font-size: 12px; color: #555; }
.ok { color: #1a7f37; } .bad { color: #c0392b; font-weight: 600; }
img { max-width: 100%; display: block; margin: 6px 0; }
.note { color: #555; font-size: 12px; }
section { min-width: 0; }
.wide { overflow-x: auto; max-width: 100%; }
td { white-space: nowrap; }
td.wrap { white-space: normal; min-width: 14em; max-width: 28em; text-align: left; }
td[title] { text-decoration: underline dotted #8a93a3; cursor: help; }
h3 { font-size: 14px; margin: 14px 0 4px; }
code { font-size: 12px; }
.legend span { display: inline-block; padding: 1px 8px; border-radius: 3px; color: #fff; margin-right: 8px; }
"""


def _figure_png(
    draw: Callable[[Any], None], width: float = 10.0, height: float = 3.4, columns: int = 1, rows: int = 1
) -> str:
    """Draw with `draw(axes)` on a new figure and return an `<img>` with the PNG inlined; `axes` is
    the grid's axes row by row."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(rows, columns, figsize=(width, height), dpi=110, squeeze=False)
    try:
        draw([ax for row in axes for ax in row])
        figure.tight_layout()
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png")
    finally:
        plt.close(figure)
    encoded = base64.b64encode(buffer.getvalue()).decode("ascii")
    return f'<img alt="plot" src="data:image/png;base64,{encoded}">'


@dataclass(frozen=True)
class Cell:
    """A table cell with a tooltip (`title`, shown on hover) and a CSS class; both optional."""

    text: Any
    title: str | None = None
    css: str | None = None

    def html(self) -> str:
        title = f' title="{escape(self.title, quote=True)}"' if self.title else ""
        css = f' class="{escape(self.css, quote=True)}"' if self.css else ""
        return f"<td{css}{title}>{escape(str(self.text))}</td>"


def _table(headers: list[str], rows: list[list[Any]], classes: list[str] | None = None, css: str = "") -> str:
    """A table in a box that scrolls sideways when the table is wider than its section; a cell is
    a value or a `Cell`."""
    head = "".join(f"<th>{escape(str(h))}</th>" for h in headers)
    body = []
    for index, row in enumerate(rows):
        row_css = f' class="{classes[index]}"' if classes and classes[index] else ""
        cells = "".join(cell.html() if isinstance(cell, Cell) else f"<td>{escape(str(cell))}</td>" for cell in row)
        body.append(f"<tr{row_css}>{cells}</tr>")
    table_css = f' class="{css}"' if css else ""
    return (
        f'<div class="wide"><table{table_css}><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table></div>"
    )


def _section(anchor: str, title: str, *parts: str) -> str:
    return f'<section id="{anchor}"><h2>{escape(title)}</h2>{"".join(parts)}</section>'


def _cards(stats: dict) -> str:
    items = [
        ("documents", number(stats["documents"])),
        (
            "tokens " + (f"({stats['tokenizer']})" if stats.get("tokenizer") else "(not counted: --count-tokens)"),
            number(stats["tokens"]),
        ),
        ("text (UTF-8)", size(stats["text_bytes"])),
        ("words", number(stats["words"])),
        ("characters", number(stats["characters"])),
        ("files on disk", f"{stats['files']} / {size(stats['bytes_on_disk'])}"),
    ]
    if stats.get("rejected_records") is not None:
        items.append(("records rejected (unparseable)", number(stats["rejected_records"])))
    if (stats.get("domains") or {}).get("distinct") is not None:
        items.append(("distinct domains", number(stats["domains"]["distinct"])))
    html = "".join(
        f'<div class="card"><b>{escape(value)}</b><span>{escape(name)}</span></div>' for name, value in items
    )
    return f'<div class="cards">{html}</div>'


def _checks(stats: dict) -> str:
    checks = stats.get("checks") or {}
    parts = []
    for name, ok in checks.items():
        if ok is not None:
            css, word = ("ok", "yes") if ok else ("bad", "NO")
            parts.append(f'{escape(name.replace("_", " "))}: <span class="{css}">{word}</span>')
    return f'<p class="note">{" &middot; ".join(parts)}</p>' if parts else ""


def _log_bins(histogram: dict) -> tuple[list[float], list[float]]:
    """Left edges and widths of histogram bars on a log axis (the bin of 0 drawn from 0.5 to 1)."""
    lower = [max(edge, 0.5) for edge in histogram["lower"]]
    upper = [edge if edge < 2**62 else low * 1.26 for low, edge in zip(lower, histogram["upper"], strict=True)]
    return lower, [high - low for low, high in zip(lower, upper, strict=True)]


def _length_plots(results: list[tuple[str, dict]]) -> str:
    names = [name for name in ("characters", "words", "tokens") if any(s["lengths"].get(name) for _, s in results)]

    def draw(axes: list) -> None:
        for ax, name in zip(axes, names, strict=True):
            for index, (corpus, stats) in enumerate(results):
                summary = stats["lengths"].get(name)
                if not summary or not summary["count"]:
                    continue
                lower, widths = _log_bins(summary["histogram"])
                shares = [count / summary["count"] for count in summary["histogram"]["counts"]]
                ax.bar(
                    lower,
                    shares,
                    width=widths,
                    align="edge",
                    color=COLOURS[index],
                    alpha=0.6 if len(results) > 1 else 0.9,
                    label=corpus,
                    edgecolor="white",
                    linewidth=0.3,
                )
                median = summary["percentiles"]["p50"]
                ax.axvline(max(median, 0.5), color=COLOURS[index], linestyle="--", linewidth=1)
            ax.set_xscale("log")
            ax.set_title(f"{name} per document (dashed: median)", fontsize=10)
            ax.set_ylabel("share of documents", fontsize=9)
            ax.tick_params(labelsize=8)
            if len(results) > 1:
                ax.legend(fontsize=8)

    return _figure_png(draw, width=12, height=3.4, columns=len(names)) if names else ""


def _percentile_table(results: list[tuple[str, dict]]) -> str:
    headers = ["corpus", "measure", "min", *SHOWN_PERCENTILES, "max", "mean"]
    rows = []
    for corpus, stats in results:
        for name, summary in stats["lengths"].items():
            if summary and summary["count"]:
                percentiles = [number(summary["percentiles"][p]) for p in SHOWN_PERCENTILES]
                rows.append(
                    [
                        corpus,
                        name,
                        number(summary["min"]),
                        *percentiles,
                        number(summary["max"]),
                        number(summary["mean"], 1),
                    ]
                )
    if len(results) == 1:
        headers, rows = headers[1:], [row[1:] for row in rows]
    return _table(headers, rows)


def _identity(value: float) -> float:
    return value


@dataclass(frozen=True)
class BarPanel:
    """One horizontal bar chart: `value` per `key` of the rows `rows_of(stats)` gives."""

    rows_of: Callable[[dict], list[dict] | None]
    key: str
    value: str
    title: str
    scale: Callable[[float], float] = _identity


def _panel_keys(results: list[tuple[str, dict]], panel: BarPanel) -> tuple[list, list[dict]]:
    per_corpus = [
        {row[panel.key]: row[panel.value] for row in (panel.rows_of(stats) or []) if row[panel.value] is not None}
        for _, stats in results
    ]
    ranked = [sorted(values, key=lambda k: -values[k]) for values in per_corpus]  # sorted calls it at once
    keys: list = []
    for rank in range(max(map(len, ranked), default=0)):  # alternate, so each corpus shows its largest
        keys += [order[rank] for order in ranked if rank < len(order) and order[rank] not in keys]
    return keys[:TOP_BARS], per_corpus


def _draw_panel(ax: Any, results: list[tuple[str, dict]], panel: BarPanel) -> None:
    keys, per_corpus = _panel_keys(results, panel)
    height = 0.8 / len(results)
    for index, ((corpus, _), values) in enumerate(zip(results, per_corpus, strict=True)):
        positions = [i + index * height for i in range(len(keys))]
        widths = [panel.scale(values.get(k, 0)) for k in keys]
        ax.barh(positions, widths, height=height, color=COLOURS[index], label=corpus)
    ax.set_yticks([i + 0.4 - height / 2 for i in range(len(keys))])
    ax.set_yticklabels([label(k) for k in keys], fontsize=8)
    ax.invert_yaxis()
    ax.set_title(panel.title, fontsize=10)
    ax.tick_params(axis="x", labelsize=8)
    if len(results) > 1:
        ax.legend(fontsize=8)


def _bars(results: list[tuple[str, dict]], *panels: BarPanel) -> str:
    """Horizontal bar charts side by side; two corpora get paired bars in two colours."""
    panels = tuple(panel for panel in panels if _panel_keys(results, panel)[0])
    if not panels:
        return ""
    rows = max(len(_panel_keys(results, panel)[0]) for panel in panels) * len(results)

    def draw(axes: list) -> None:
        for ax, panel in zip(axes, panels, strict=True):
            _draw_panel(ax, results, panel)

    width = 6.0 if len(panels) == 1 else 11.0
    return _figure_png(draw, width=width, height=0.9 + 0.2 * rows, columns=len(panels))


def _shares_table(rows: list[dict] | None, key: str, limit: int | None = TOP_BARS) -> str:
    """Rows of `{key, documents, share_documents, tokens, characters}`; `limit` None shows them all."""
    if not rows:
        return ""
    limit = len(rows) if limit is None else limit
    body = [
        [
            label(r[key]),
            number(r["documents"]),
            percent(r["share_documents"]),
            number(r["tokens"]),
            number(r["characters"]),
        ]
        for r in rows[:limit]
    ]
    note = f'<p class="note">{len(rows) - limit} more not shown</p>' if len(rows) > limit else ""
    return _table([key, "documents", "share", "tokens", "characters"], body) + note


def _funnel(stats: dict) -> str:
    funnel = stats.get("funnel")
    if not funnel:
        return ""
    rows, classes = [["input", "", "", number(funnel["input_documents"])]], ["total"]
    for stage in funnel["stages"]:
        rows.append([stage["stage"], number(stage["dropped"]), "", number(stage["remaining"])])
        classes.append("")
        for reason in stage["reasons"]:
            rows.append([reason["reason"], number(reason["manifest"]), number(reason["ledger"]), ""])
            classes.append("sub")
    rows.append(["output", "", "", number(funnel["output_documents"])])
    classes.append("total")
    table = _table(["stage / reason", "dropped (manifest)", "ledger", "remaining"], rows, classes)
    plot = ""
    if funnel["input_documents"] is not None and funnel["stages"]:
        labels = ["input", *(stage["stage"] for stage in funnel["stages"])]
        values = [funnel["input_documents"], *(stage["remaining"] for stage in funnel["stages"])]
        drops = [0, *(stage["dropped"] for stage in funnel["stages"])]

        def draw(axes: list) -> None:
            ax = axes[0]
            ax.barh(labels, values, color=COLOURS[0], label="remaining")
            ax.barh(labels, drops, left=values, color="#c0392b", alpha=0.7, label="dropped at this stage")
            ax.invert_yaxis()
            ax.set_xlim(0, funnel["input_documents"] or 1)  # every bar ends at its stage's input
            ax.set_xlabel("documents", fontsize=9)
            ax.set_title("documents remaining after each stage", fontsize=10)
            ax.tick_params(labelsize=8)
            ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0)

        plot = _figure_png(draw, width=10, height=0.8 + 0.35 * len(labels))
    rejected = funnel.get("rejected_records")
    note = f'<p class="note">{number(rejected)} unparseable record(s) rejected, counted apart.</p>' if rejected else ""
    return _section("funnel", "Drop funnel", plot, table, note)


def _duplicates(stats: dict) -> str:
    duplicates = stats.get("duplicates")
    if not duplicates or not duplicates["by_stage"]:
        return ""
    rows = [
        [
            s["stage"],
            s["ledger_stage"],
            number(s["documents_removed"]),
            number(s["clusters"]),
            percent(s["rate"]),
            number(s["largest_cluster"]),
        ]
        for s in duplicates["by_stage"]
    ]
    table = _table(["stage", "ledger stage", "documents removed", "clusters", "rate", "largest cluster"], rows)

    sizes = sorted({row["size"] for stage in duplicates["by_stage"] for row in stage["cluster_sizes"]})

    def draw(axes: list) -> None:
        ax = axes[0]
        width = 0.8 / len(duplicates["by_stage"])
        for index, stage in enumerate(duplicates["by_stage"]):
            counts = {row["size"]: row["clusters"] for row in stage["cluster_sizes"]}
            positions = [i + index * width for i in range(len(sizes))]
            heights = [counts.get(size, 0) for size in sizes]
            ax.bar(positions, heights, width=width, color=COLOURS[index % 2], label=stage["stage"])
        ax.set_xticks([i + 0.4 - width / 2 for i in range(len(sizes))])
        ax.set_xticklabels([str(size) for size in sizes], fontsize=8)
        ax.set_yscale("log")
        ax.set_ylim(bottom=0.7)
        ax.set_xlabel("documents per cluster (kept copy included)", fontsize=9)
        ax.set_ylabel("clusters (log scale)", fontsize=9)
        ax.set_title("duplicate cluster sizes", fontsize=10)
        ax.tick_params(axis="y", labelsize=8)
        ax.legend(fontsize=8)

    return _section("duplicates", "Duplicates", table, _figure_png(draw, width=8, height=3.0))


def _redactions(stats: dict) -> str:
    redactions = stats.get("pii_redactions")
    if redactions is None:
        return ""
    fields = ", ".join(f"{escape(str(r['field']))} {number(r['spans'])}" for r in redactions.get("by_field") or [])
    note = (
        f'<p class="note">{number(redactions["documents_with_redactions"])} document(s) with at least one '
        f"anonymized span; {number(redactions['spans'])} span(s) in all{'; by field: ' + fields if fields else ''}.</p>"
    )
    if not redactions["by_type"]:
        return _section("pii", "Personal data anonymized", note)
    rows = [[r["entity_type"], number(r["spans"]), number(r["documents"])] for r in redactions["by_type"]]
    panel = BarPanel(lambda s: s["pii_redactions"]["by_type"], "entity_type", "spans", "anonymized spans by type")
    plot = _bars([("spans", stats)], panel)
    return _section("pii", "Personal data anonymized", note, plot, _table(["entity type", "spans", "documents"], rows))


def _pii_columns(domains: dict) -> list[str]:
    """Domain, decision, reason and score first, then the other numbers, then the rest (the free-text
    `detail` is the reason's tooltip, not a column)."""
    present = [c for c in domains["top"][0] if c != "detail"]
    wanted = (domains["domain_column"], domains["decision_column"], "reason", domains["score_column"])
    first = [c for c in wanted if c and c in present]
    numbers = [c for c in domains["numeric_columns"] if c in present and c not in first]
    return first + numbers + [c for c in present if c not in first and c not in numbers]


def _pii_cell(value: Any) -> str:
    if isinstance(value, float):
        return number(value, 2)
    if isinstance(value, int) and not isinstance(value, bool):
        return number(value)
    return label(value)


def _pii_row(row: dict, columns: list[str]) -> list[Any]:
    cells: list[Any] = []
    for column in columns:
        if column == "reason":  # every domain's rule, `-` in older outputs' keeps; `detail` on hover
            cells.append(Cell(_reason(row.get(column)), title=row.get("detail") or None))
        elif column == "spans_by_type":
            cells.append(Cell(_pii_cell(row.get(column)) or "-", css="wrap"))
        else:
            cells.append(_pii_cell(row.get(column)))
    return cells


def _pii_chart(domains: dict) -> tuple[str, str]:
    """Stacked bars of spans per 1,000 words by entity type, for the domains the thresholds judge
    (at least the run's `min_docs` documents; all when it is unknown), with the drop threshold.
    Returns the plot and a note."""
    policy = domains.get("policy") or {}
    min_docs, threshold = policy.get("min_docs"), policy.get("max_spans_per_kword")
    judged = domains.get("top_judged")
    rows = (judged if judged is not None else domains["top"])[:TOP_BARS]
    who = f"domains with at least {min_docs} documents (min_docs)" if judged is not None else "domains"
    if not rows:
        return "", f'<p class="note">No domain has at least {escape(str(min_docs))} documents: none was judged.</p>'
    score = domains["score_column"]
    types = sorted({name for row in rows for name, _ in spans_by_type(row.get("spans_by_type"))})

    def draw(axes: list) -> None:
        import matplotlib

        ax = axes[0]
        names = [label(row.get(domains["domain_column"])) for row in rows]
        positions = list(range(len(rows)))
        palette = matplotlib.colormaps["tab10"]
        scores = [float(row.get(score) or 0) for row in rows]
        shares = [_type_shares(row.get("spans_by_type")) for row in rows]
        left = [0.0] * len(rows)
        for index, kind in enumerate(types):  # each domain's score split by its spans' types
            widths = [value * share.get(kind, 0.0) for value, share in zip(scores, shares, strict=True)]
            ax.barh(positions, widths, left=left, color=palette(index % 10), label=kind)
            left = [a + b for a, b in zip(left, widths, strict=True)]
        rest = [value - done for value, done in zip(scores, left, strict=True)]
        if any(width > 1e-9 for width in rest):  # domains whose spans have no types listed
            ax.barh(positions, rest, left=left, color="#9aa3b1", label="type not recorded")
        if threshold is not None:
            ax.axvline(threshold, color="#c0392b", linestyle="--", linewidth=1.2, label=f"drop threshold {threshold:g}")
        ax.set_yticks(positions)
        ax.set_yticklabels(names, fontsize=8)
        for tick, row in zip(ax.get_yticklabels(), rows, strict=True):
            if str(row.get(domains["decision_column"])).lower() in ("drop", "true"):
                tick.set_color("#c0392b")
        ax.invert_yaxis()
        ax.set_xlabel("spans per 1,000 words", fontsize=9)
        ax.set_title(f"most PII-dense {who}, by entity type (red names: dropped)", fontsize=10)
        ax.tick_params(labelsize=8)
        ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0)

    return _figure_png(draw, width=10, height=1.0 + 0.28 * len(rows)), ""


def _type_shares(value: Any) -> dict[str, float]:
    pairs = spans_by_type(value)
    total = sum(count for _, count in pairs)
    return {name: count / total for name, count in pairs} if total else {}


def _reason(value: Any) -> str:
    """A domain decision's reason code; `-` when there is none (older outputs' keeps)."""
    return "-" if value in (None, "") else str(value)


def _pii_policy_note(domains: dict) -> str:
    policy = domains.get("policy") or {}
    if policy.get("min_docs") is None or policy.get("max_spans_per_kword") is None:
        return ""
    names = POLICY_KEYS
    min_docs, spans, share = (_g(policy.get(name)) for name in names)
    return (
        f" A domain is dropped when it has at least {min_docs} documents, more than {spans} spans per 1,000 words "
        f"and more than {share} of its documents with personal data, or is on the block list (the allow list "
        "keeps it); hover over a reason for the numbers."
    )


def _g(value: Any) -> str:
    return escape(f"{value:g}" if isinstance(value, float) else str(value))


def _reasons_note(domains: dict) -> str:
    parts = []
    for decision, count, reasons in decisions_by_reason(domains):
        detail = ", ".join(f"{escape(_reason(reason))} {number(n)}" for reason, n in reasons)
        parts.append(f"{escape(str(decision))}: {number(count)}" + (f" ({detail})" if detail else ""))
    return "; ".join(parts)


def _pii_domains(stats: dict) -> str:
    domains = stats.get("pii_domains")
    if not domains:
        return ""
    note = (
        f'<p class="note">{number(domains["domains"])} domain(s) scored ({_reasons_note(domains)}).'
        f"{_pii_policy_note(domains)}</p>"
    )
    if not domains["top"]:
        return _section("pii-domains", "PII-dense domains", note)
    columns = _pii_columns(domains)
    rows = [_pii_row(row, columns) for row in domains["top"]]
    plot, chart_note = _pii_chart(domains) if domains["score_column"] and domains["domain_column"] else ("", "")
    score = domains["score_column"]
    title = f"PII-dense domains (by {score})" if score else "PII-dense domains"
    return _section("pii-domains", title, note, plot, chart_note, _table(columns, rows, css="pii"))


def _rejected(stats: dict) -> str:
    rejected = stats.get("rejected")
    if not rejected or not rejected["records"]:
        return ""
    rows = [[row["error"], number(row["records"])] for row in rejected["top_errors"]]
    return _section("rejected", f"Rejected records ({number(rejected['records'])})", _table(["error", "records"], rows))


LANGUAGE_SHARES = BarPanel(
    lambda s: s.get("languages"), "language", "share_documents", "% of documents by language", lambda v: 100 * v
)
DOMAIN_SHARES = BarPanel(
    lambda s: (s.get("domains") or {}).get("top_by_documents"),
    "domain",
    "share_documents",
    "% of documents by domain",
    lambda v: 100 * v,
)
DOMAIN_DOCUMENTS = BarPanel(
    lambda s: (s.get("domains") or {}).get("top_by_documents"), "domain", "documents", "top domains by documents"
)
DOMAIN_TOKENS = BarPanel(
    lambda s: (s.get("domains") or {}).get("top_by_tokens"), "domain", "tokens", "top domains by tokens"
)


def _domains(stats: dict) -> str:
    domains = stats.get("domains") or {}
    if not domains.get("top_by_documents"):
        return ""
    approximate = "" if domains["exact"] else " (approximate: too many domains to count exactly)"
    note = (
        f'<p class="note">{number(domains["distinct"])} distinct domains{approximate}; '
        f"{number(domains['without_domain'])} document(s) without one.</p>"
    )
    plot = _bars([("corpus", stats)], DOMAIN_DOCUMENTS, DOMAIN_TOKENS)
    table = _shares_table(domains["top_by_documents"], "domain", None)  # --top rows, every one shown
    return _section("domains", "Domains", note, plot, table)


PRONOUN_LABELS = (
    ("she", "she"),
    ("he", "he"),
    ("they", "they\n(unspecified)"),
    ("first_person", "1st person\n(English)"),
    ("second_person", "2nd person\n(English)"),
)
AMBIGUOUS_COLOUR = "#a9c1de"
GREY = "#9aa3b1"
TOXIC_COLOUR = "#c0392b"
SHOWN_TOXIC = 10
SHOWN_LANGUAGES = 12
SHOWN_MOVED = 15


def _note(text: str) -> str:
    return f'<p class="note">{text}</p>'


def _share_axis(ax: Any, axis: str = "y") -> None:
    from matplotlib.ticker import PercentFormatter

    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(PercentFormatter(1.0))
    if axis == "y":  # no tick above 100%, where the headroom for bar labels is
        ax.set_yticks([tick for tick in ax.get_yticks() if 0 <= tick <= min(1.0, ax.get_ylim()[1])])


def _axis_name(axis: str) -> str:
    return axis.replace("_", " ")


def _languages_named(codes: list[str]) -> str:
    return ", ".join(escape(code) for code in codes) or "none"


def _safety_pronouns(safety: dict) -> str:
    pronouns = safety["pronouns"]
    if not pronouns["documents"]:
        return "<h3>Pronouns</h3>" + _note(
            f"No document in a language with pronoun lists ({escape(str(pronouns['note']))}): nothing counted."
        )
    groups = [(key, name) for key, name in PRONOUN_LABELS if pronouns.get(key) is not None]

    def draw(axes: list) -> None:
        ax = axes[0]
        values = [pronouns[key] for key, _ in groups]
        colours = [COLOURS[0] if key in ("she", "he", "they") else GREY for key, _ in groups]
        bars = ax.bar([name for _, name in groups], values, color=colours)
        ax.bar_label(bars, labels=[percent(v) for v in values], fontsize=8, padding=2)
        ax.set_ylim(0, max(values, default=0) * 1.15 or 1.0)
        _share_axis(ax)
        ax.set_ylabel("share of documents", fontsize=9)
        ax.set_title("documents with at least one pronoun of the group", fontsize=10)
        ax.tick_params(labelsize=8)

    plot = _figure_png(draw, width=7, height=3.0)
    by_language = pronouns.get("by_language") or {}
    rows = [
        [code, number(row["documents"]), *(percent(row.get(group)) for group in ("she", "he", "they"))]
        for code, row in by_language.items()
    ]
    table = _table(["language", "documents", "she", "he", "they"], rows) if len(rows) > 1 else ""
    caption = _note(
        f"Share of the {number(pronouns['documents'])} documents in a language with pronoun lists "
        f"({_languages_named(pronouns['languages_covered'])}) that use at least one form of each group, as Llama 2's "
        f"Table 9a; {number(pronouns['documents_not_covered'])} document(s) in other languages are not counted; "
        f"{escape(pronouns['note'])}. They counts singular they. French and Spanish shares (per language below) "
        "are not comparable to English ones: grammatical gender makes il/elle, él/ella stand for nouns too."
    )
    return f"<h3>Pronouns</h3>{caption}{plot}{table}"


def _safety_identities(safety: dict) -> str:
    axes = safety["identity_axes"]["axes"]
    documents = safety["identity_axes"]["documents"]
    longest = max((len(spec["top"]) for spec in axes.values()), default=0)
    if not documents:
        return "<h3>Identity terms</h3>" + _note("No English document: identity terms were not searched.")

    def draw(panels: list) -> None:
        from matplotlib.patches import Patch

        for ax, axis in zip(panels, AXES, strict=False):
            spec = axes[axis]
            rows = spec["top"]
            title = (
                f"{_axis_name(axis)}: {percent(spec['share_documents'])} of documents "
                f"({percent(spec['share_documents_unambiguous'])} unambiguous)"
            )
            ax.set_title(title, fontsize=9)
            ax.tick_params(labelsize=8)
            if not rows:
                ax.text(0.5, 0.5, "no term found", ha="center", va="center", fontsize=9, color="#555")
                ax.set_xticks([])
                ax.set_yticks([])
                continue
            positions = list(range(len(rows)))
            ax.barh(
                positions,
                [row["share_documents"] for row in rows],
                color=[AMBIGUOUS_COLOUR if row["ambiguous"] else COLOURS[0] for row in rows],
                hatch=["//" if row["ambiguous"] else "" for row in rows],
                edgecolor="white",
            )
            ax.set_yticks(positions)
            ax.set_yticklabels([row["term"] for row in rows], fontsize=8)
            ax.set_ylim(longest - 0.5, -0.5)  # one bar height in every panel, the largest on top
            _share_axis(ax, "x")
            ax.tick_params(axis="x", labelsize=7)
        legend = panels[len(AXES)]
        legend.axis("off")
        handles = [
            Patch(color=COLOURS[0], label="term"),
            Patch(facecolor=AMBIGUOUS_COLOUR, hatch="//", edgecolor="white", label="ambiguous term (other senses)"),
        ]
        legend.legend(handles=handles, loc="center", fontsize=9, title="share of English documents", title_fontsize=9)

    plot = _figure_png(draw, width=10, height=3 * (0.9 + 0.2 * max(longest, 2)), columns=2, rows=3)
    ambiguous = safety.get("word_lists", {}).get("ambiguous_terms") or {}
    examples = ", ".join(term for axis in AXES for term in (ambiguous.get(axis) or [])[:2])
    caption = _note(
        f"Share of the {number(documents)} English documents mentioning each HolisticBias descriptor (whole words, "
        "case-insensitive, the longest term at a place winning), the most frequent per axis; a panel's title gives "
        "the share mentioning any term of the axis, and without the ambiguous terms. Ambiguous terms "
        f"({escape(examples)}, ...) also have senses that are not identities, so their bars overstate mentions."
    )
    return f"<h3>Identity terms</h3>{caption}{plot}"


def _safety_toxicity(safety: dict) -> str:
    toxicity = safety.get("toxicity")
    if not toxicity:
        return "<h3>Toxicity</h3>" + _note("Not scored (run with the toxicity scorer to measure it).")
    histogram, threshold = toxicity["histogram"], toxicity["threshold"]
    share = toxicity["share_at_or_above_0_5"]

    def draw(axes: list) -> None:
        ax = axes[0]
        lower = histogram["lower"]
        widths = [high - low for low, high in zip(lower, histogram["upper"], strict=True)]
        colours = [TOXIC_COLOUR if low >= threshold else COLOURS[0] for low in lower]
        ax.bar(lower, histogram["counts"], width=widths, align="edge", color=colours, edgecolor="white", linewidth=0.5)
        ax.set_yscale("log")
        ax.set_ylim(bottom=0.7, top=max(max(histogram["counts"], default=1), 1) * 3)
        ax.set_xlim(0, 1)
        ax.axvline(threshold, color=TOXIC_COLOUR, linestyle="--", linewidth=1.2)
        ax.text(
            threshold + 0.01,
            0.95,
            f"{percent(share)} of documents >= {threshold:g} ({number(toxicity['toxic_documents'])})",
            transform=ax.get_xaxis_transform(),
            ha="left",
            va="top",
            fontsize=9,
            color=TOXIC_COLOUR,
        )
        ax.set_xlabel("toxicity score", fontsize=9)
        ax.set_ylabel("documents (log scale)", fontsize=9)
        mean = toxicity["mean"]
        ax.set_title(
            f"toxicity per document ({number(toxicity['documents'])} scored"
            + (f", mean {mean:.3f})" if mean is not None else ")"),
            fontsize=10,
        )
        ax.tick_params(labelsize=8)

    plot = _figure_png(draw, width=8, height=3.0)
    rows = [
        [
            label(row["id"]) if row["id"] is not None else f"(no id) document {row['position']}",
            number(row["position"]),
            f"{row['score']:.3f}",
        ]
        for row in toxicity["most_toxic"][:SHOWN_TOXIC]
    ]
    table = _table(["document id", "position", "score"], rows) if rows else ""
    caption = _note(
        f"Scores of {escape(toxicity['scorer'])}: a bag-of-words profanity classifier, which flags swear words and "
        "misses toxicity said politely; Llama 2 scored with a HateBERT classifier fine-tuned on ToxiGen, so the shares "
        f"are not comparable to its 0.2%. The {min(SHOWN_TOXIC, len(rows))} highest-scoring documents are listed by id "
        "and position (from 1, in reading order) only, never their text."
    )
    return f"<h3>Toxicity</h3>{caption}{plot}{table}"


def _safety_languages(safety: dict) -> str:
    shares = safety.get("languages")
    identification = safety.get("language_identification") or {}
    if not shares:
        error = identification.get("error")
        return "<h3>Languages</h3>" + _note(
            "Languages unknown" + (f": {escape(error)}" if error else ": no language column and no identifier") + "."
        )
    ranked = sorted(shares.items(), key=lambda kv: -kv[1])
    shown = ranked[:SHOWN_LANGUAGES]
    rest = sum(value for _, value in ranked[SHOWN_LANGUAGES:])
    if rest:
        shown.append((f"{len(ranked) - SHOWN_LANGUAGES} others", rest))

    def draw(axes: list) -> None:
        ax = axes[0]
        names = [code for code, _ in shown]
        values = [value for _, value in shown]
        colours = [GREY if code == UNKNOWN or code.endswith("others") else COLOURS[0] for code in names]
        bars = ax.bar(names, values, color=colours)
        ax.bar_label(bars, labels=[percent(v) for v in values], fontsize=7, padding=2)
        ax.set_ylim(0, min(1.0, max(values) * 1.2))
        _share_axis(ax)
        ax.set_ylabel("share of documents", fontsize=9)
        ax.set_title("documents by language (grey: unknown, below the confidence threshold)", fontsize=10)
        ax.tick_params(labelsize=8)

    plot = _figure_png(draw, width=8, height=3.0)
    applied = identification.get("threshold_applied")
    threshold = identification.get("threshold")
    how = (
        f"confidence below {threshold:g} counts as unknown"
        if applied and threshold is not None
        else "no confidence score: no threshold applied"
    )
    caption = _note(f"Language from the {escape(str(identification.get('source')))}; {how}.")
    return f"<h3>Languages</h3>{caption}{plot}"


def _safety_personal_data(safety: dict) -> str:
    data = safety.get("personal_data") or {}
    by_type = data.get("spans_per_1k_words_by_type")
    parts = []
    if data.get("spans_per_1k_words") is not None:
        parts.append(
            f"{number(data['spans'])} anonymized span(s) in {number(data['words'])} words: "
            f"{data['spans_per_1k_words']:.3f} per 1,000 words, in {number(data['documents_with_redactions'])} "
            "document(s)"
        )
    else:
        parts.append("No record of anonymized spans (no pii_redactions column)")
    dropped = data.get("dropped_domains")
    if dropped is not None:
        domains = "-" if dropped.get("domains") is None else number(dropped["domains"])
        parts.append(
            f"{domains} domain(s) dropped for personal data, with {number(dropped.get('documents'))} document(s)"
        )
    plot = ""
    if by_type:
        ranked = sorted(by_type.items(), key=lambda kv: -kv[1])

        def draw(axes: list) -> None:
            ax = axes[0]
            positions = list(range(len(ranked)))
            bars = ax.barh(positions, [value for _, value in ranked], color=COLOURS[0])
            ax.bar_label(bars, labels=[f"{value:.3f}" for _, value in ranked], fontsize=7, padding=2)
            ax.set_yticks(positions)
            ax.set_yticklabels([name for name, _ in ranked], fontsize=8)
            ax.invert_yaxis()
            ax.set_xlim(0, max(value for _, value in ranked) * 1.2 or 1)
            ax.set_xlabel("anonymized spans per 1,000 words", fontsize=9)
            ax.set_title("personal data by entity type", fontsize=10)
            ax.tick_params(labelsize=8)

        plot = _figure_png(draw, width=7, height=0.9 + 0.28 * len(ranked))
    caption = _note(
        "; ".join(parts) + ". Spans are what the anonymizer found and replaced: personal data it missed is not counted."
    )
    return f"<h3>Personal data</h3>{caption}{plot}"


def _safety_caveats(safety: dict) -> str:
    lists = safety.get("word_lists") or {}
    items = [
        f"Word lists: <code>{escape(str(lists.get('pronouns')))}</code> and "
        f"<code>{escape(str(lists.get('identities')))}</code>; pronouns applied to "
        f"{_languages_named(safety['pronouns']['languages_covered'])}, identity terms to English only.",
    ]
    for code, why in (lists.get("pronoun_languages_not_covered") or {}).items():
        items.append(f"{escape(code)} not covered: {escape(why)}.")
    if lists.get("comparability"):
        items.append(escape(lists["comparability"]))
    ambiguous = lists.get("ambiguous_terms") or {}
    if ambiguous:
        listed = "; ".join(
            f"{escape(_axis_name(axis))}: {escape(', '.join(terms))}" for axis, terms in ambiguous.items()
        )
        items.append(f"Ambiguous terms (counted, marked in the plots): {listed}.")
    return "<h3>Caveats</h3>" + "".join(_note(item) for item in items)


def _safety(stats: dict) -> str:
    safety = stats.get("safety")
    if not safety:
        return ""
    intro = _note(
        f"The pretraining-data measures of Llama 2 (Touvron et al. 2023, section 4.1) over "
        f"{number(safety['documents'])} documents: who the text talks about (pronouns, identity terms), how toxic it "
        "is, which languages it is in and how much personal data it carries."
    )
    return _section(
        "safety",
        "Safety (Llama 2 section 4.1 measures)",
        intro,
        _safety_pronouns(safety),
        _safety_identities(safety),
        _safety_toxicity(safety),
        _safety_languages(safety),
        _safety_personal_data(safety),
        _safety_caveats(safety),
    )


def _grouped(
    ax: Any, names: list[str], pairs: list[tuple[Any, Any]], corpora: list[str], text: Callable | list | None
) -> None:
    """Bars of A and B side by side per name, labelled by `text` (one function, one per name, or
    None: no labels); a missing value draws no bar."""
    width = 0.38
    texts = text if isinstance(text, list) else [text] * len(names)
    for index, corpus in enumerate(corpora):
        values = [pair[index] for pair in pairs]
        positions = [i + (index - 0.5) * width for i in range(len(names))]
        bars = ax.bar(positions, [v or 0 for v in values], width=width, color=COLOURS[index], label=corpus)
        if text is not None:
            labels = [show(v) for show, v in zip(texts, values, strict=True)]
            ax.bar_label(bars, labels=labels, fontsize=6, padding=1)
    ax.set_xticks(list(range(len(names))))
    ax.set_xticklabels(names, fontsize=7)
    ax.tick_params(axis="y", labelsize=7)
    top = max((v for pair in pairs for v in pair if isinstance(v, (int, float))), default=0)
    ax.set_ylim(0, top * 1.15 or 1)


def _safety_shift(results: list[tuple[str, dict]]) -> str:
    from curation.stats.safety import safety_shift

    (name_a, a), (name_b, b) = results
    shift = safety_shift(a.get("safety"), b.get("safety"))
    if not shift:
        return ""
    corpora = [name_a, name_b]
    pronouns = [(n, shift["pronouns"][k]) for k, n in PRONOUN_LABELS if k in shift["pronouns"]]
    pronouns = [(n, row) for n, row in pronouns if row["a"] is not None or row["b"] is not None]
    axes = [(_axis_name(axis).replace(" ", "\n", 1), row) for axis, row in shift["identities"].items()]
    toxicity = shift["toxicity"]
    languages = list(shift["languages"].items())[:8]

    def draw(panels: list) -> None:
        ax = panels[0]
        _grouped(ax, [n for n, _ in pronouns], [(r["a"], r["b"]) for _, r in pronouns], corpora, percent)
        _share_axis(ax)
        ax.set_title("pronouns: share of documents", fontsize=9)
        ax.legend(fontsize=7)
        ax = panels[1]
        _grouped(ax, [n for n, _ in axes], [(r["a"], r["b"]) for _, r in axes], corpora, percent)
        _share_axis(ax)
        ax.set_title("identity axes: share of English documents mentioning one", fontsize=9)
        ax = panels[2]
        share, mean = toxicity["share_at_or_above_0_5"], toxicity["mean"]
        if share["a"] is None and share["b"] is None:
            ax.text(0.5, 0.5, "toxicity not scored", ha="center", va="center", fontsize=9, color="#555")
            ax.set_xticks([])
            ax.set_yticks([])
        else:
            _grouped(
                ax,
                ["share >= 0.5", "mean score"],
                [(share["a"], share["b"]), (mean["a"], mean["b"])],
                corpora,
                [percent, lambda v: "-" if v is None else f"{v:.3f}"],
            )
        ax.set_title("toxicity: share at or above 0.5, mean score", fontsize=9)
        ax = panels[3]
        _grouped(ax, [code for code, _ in languages], [(r["a"], r["b"]) for _, r in languages], corpora, None)
        _share_axis(ax)
        ax.set_title("languages: share of documents", fontsize=9)

    plot = _figure_png(draw, width=10, height=6.4, columns=2, rows=2)
    moved = [
        (axis, row) for axis, spec in shift["identities"].items() for row in spec["terms_moved_most"] if row["change"]
    ]
    moved.sort(key=lambda item: -abs(item[1]["change"]))
    rows = [
        [f"{_axis_name(axis)}: {row['term']}", percent(row["a"]), percent(row["b"]), f"{100 * row['change']:+.2f} pts"]
        for axis, row in moved[:SHOWN_MOVED]
    ]
    table = _table(["axis: term", name_a, name_b, "change"], rows) if rows else _note("No identity term moved.")
    pii = shift["personal_data"]["spans_per_1k_words"]

    def score(value: Any) -> str:
        return "-" if value is None else f"{value:.3f}"

    caption = _note(
        f"Each measure of the Safety section for {escape(name_a)} (A) and {escape(name_b)} (B); change = B - A. "
        f"Personal data: {score(pii['a'])} -> {score(pii['b'])} anonymized spans per 1,000 words."
    )
    return _section(
        "safety-shift",
        "Safety: before and after",
        caption,
        plot,
        "<h3>Identity terms that moved most (share of English documents)</h3>",
        table,
    )


def _single(stats: dict) -> list[str]:
    results = [("corpus", stats)]
    parts = [
        _section("overview", "Overview", _cards(stats), _checks(stats)),
        _section("lengths", "Document lengths", _length_plots(results), _percentile_table(results)),
    ]
    if stats.get("languages"):
        plot = _bars(results, LANGUAGE_SHARES)
        parts.append(_section("languages", "Languages", plot, _shares_table(stats["languages"], "language")))
    parts.append(_domains(stats))
    if stats.get("sources"):
        parts.append(_section("sources", "Sources", _shares_table(stats["sources"], "source")))
    parts += [_redactions(stats), _funnel(stats), _duplicates(stats), _pii_domains(stats), _rejected(stats)]
    parts.append(_safety(stats))
    return [part for part in parts if part]


def _compared(results: list[tuple[str, dict]]) -> list[str]:
    legend = "".join(
        f'<span style="background:{COLOURS[i]}">{escape(name)}</span>' for i, (name, _) in enumerate(results)
    )
    keys = ("documents", "tokens", "text_bytes", "words", "characters", "files", "bytes_on_disk")
    rows = [[key.replace("_", " "), *(number(s.get(key)) for _, s in results)] for key in keys]
    rows.append(["tokenizer", *(label(s.get("tokenizer")) for _, s in results)])
    overview = _table(["", *(name for name, _ in results)], rows)
    parts = [
        _section("overview", "Corpora compared", f'<p class="legend">{legend}</p>', overview),
        _section("lengths", "Document lengths", _length_plots(results), _percentile_table(results)),
        _section("shares", "Languages and domains", _bars(results, LANGUAGE_SHARES, DOMAIN_SHARES)),
        _safety_shift(results),
    ]
    return [part for part in parts if part]


def render_html(results: list[tuple[str, dict]]) -> str:
    """The report of one corpus `[(name, stats)]`, or of two side by side, as one HTML document."""
    if len(results) == 1:
        title = f"Corpus statistics: {results[0][0]}"
        sections = _single(results[0][1])
    else:
        title = f"Corpora compared: {results[0][0]} vs {results[1][0]}"
        sections = _compared(results)
    anchors = [
        (part.split('id="', 1)[1].split('"', 1)[0], part.split("<h2>", 1)[1].split("</h2>", 1)[0]) for part in sections
    ]
    nav = "".join(f'<a href="#{anchor}">{heading}</a>' for anchor, heading in anchors)
    kinds = ", ".join(sorted({stats["kind"] for _, stats in results}))
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title><style>{STYLE}</style></head><body>"
        f"<header><h1>{escape(title)}</h1><p>curation stats &middot; input kind: {escape(kinds)} &middot; "
        "percentiles from log-spaced histograms (within 2.4%)</p></header>"
        f"<nav>{nav}</nav><main>{''.join(sections)}</main></body></html>\n"
    )

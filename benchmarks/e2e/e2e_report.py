"""Reading both systems' outputs and printing the end-to-end comparison (used by `run.py`)."""

from __future__ import annotations

import gzip
import json
from collections import Counter, defaultdict
from pathlib import Path

import pyarrow.parquet as pq

# Our drop-ledger stages and datatrove's exclusion-writer folders, named alike
STAGES = ("language", "gopher_repetition", "gopher_quality", "minhash")
OURS_STAGE = {"minhash_dedup": "minhash"}


# Why the two sides disagree, by category (read from both sources; paths are datatrove 0.10.1's)
NOTES = (
    (
        "gopher_below_alpha_threshold",
        "alpha-word ratio: datatrove's words are spaCy tokens, punctuation split off as tokens of its own, "
        "so fewer of its 'words' hold a letter (datatrove/pipeline/filters/gopher_quality_filter.py:113-119); "
        "ours counts whitespace words, as the Gopher paper (filters/gopher.py, GopherQualityFilter docstring)",
    ),
    (
        "_n_grams",
        "repeated n-grams: datatrove divides the repeated characters by len(text), spaces and punctuation "
        "included, and jumps n words past each repeat (gopher_repetition_filter.py:57-70, 139-141), so its "
        "fractions are lower; ours divides by the characters of the words",
    ),
    (
        "/dup_line",
        "line rules: datatrove splits the raw text on \\n+ (gopher_repetition_filter.py:107, 122), so lines "
        "holding only spaces count, and repeat; ours reads normalized text and skips blank lines",
    ),
    (
        "/top_",
        "top n-grams: same denominator difference (len(text) in datatrove, gopher_repetition_filter.py:131-136)",
    ),
    (
        "same cluster",
        "same near-duplicate cluster, a different copy kept: datatrove keeps the union-find root "
        "(union by size, dedup/minhash.py:556, 579), ours the smallest id hash (minhash.keep)",
    ),
    (
        "near-duplicate",
        "near-duplicate found by one side only: 16 x 8 bands on both, but other shingles and hashes "
        "(datatrove: xxhash64 of spaCy-token 5-grams of simplified text, 64-bit permutations; ours: "
        "whitespace 5-grams of folded text, 32-bit permutations) give other candidates near the threshold, "
        "and the documents that reach the stage differ by the filter disagreements above",
    ),
    ("language/", "language: datatrove keeps a score > 0.65, ours >= 0.65, and ours reads normalized text"),
    ("reader/", "datatrove's JsonlReader skips documents with empty text silently (readers/base.py:99-106)"),
)


def parquet_ids(folder: Path) -> list[str]:
    ids: list[str] = []
    for path in sorted(Path(folder).rglob("*.parquet")):
        ids.extend(pq.read_table(path, columns=["id"]).column("id").to_pylist())
    return ids


def input_records(input_dir: Path) -> dict[str, dict]:
    """id -> {'kind': ..., 'empty': bool} for every input line."""
    records = {}
    for path in sorted(input_dir.glob("*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            for line in handle:
                row = json.loads(line)
                records[str(row["id"])] = {"kind": row.get("kind"), "empty": not (row.get("text") or "")}
    return records


def ours_drops(output: Path) -> tuple[dict[str, tuple[str, str]], dict[str, str]]:
    """(id -> (stage, reason) from the drop ledger, duplicate id -> kept id from duplicates.parquet)."""
    drops = {}
    for path in sorted((output / "dropped").glob("*.parquet")):
        for row in pq.read_table(path, columns=["id", "stage", "reason"]).to_pylist():
            drops[row["id"]] = (OURS_STAGE.get(row["stage"], row["stage"]), row["reason"])
    kept_of = {}
    for path in sorted((output / "duplicates.parquet").glob("*.parquet")):
        for row in pq.read_table(path, columns=["id", "kept_id"]).to_pylist():
            kept_of[row["id"]] = row["kept_id"]
    return drops, kept_of


def datatrove_drops(work: Path) -> dict[str, tuple[str, str]]:
    """id -> (stage, reason) from the exclusion writers (one folder per stage)."""
    drops = {}
    for stage in STAGES:
        for path in sorted((work / "removed" / stage).glob("*.jsonl.gz")):
            with gzip.open(path, "rt", encoding="utf-8") as handle:
                for line in handle:
                    row = json.loads(line)
                    reason = row.get("reason") or ("not_en_or_score_le_0.65" if stage == "language" else "-")
                    drops[str(row["id"])] = (stage, reason)
    return drops


# --------------------------------------------------------------------------------------------
# datatrove's own stats


def _step_name(raw: str) -> str:
    text = raw.split(":", 1)[-1]
    return " ".join("".join(ch for ch in text if ch.isascii()).split())


def datatrove_step_times(stats: dict) -> list[tuple[str, str, float, float | None]]:
    """(executor, step, seconds summed over tasks, seconds exclusive of the steps before it, or None).

    datatrove's blocks time themselves with `track_time`; MinhashDedupSignature wraps its whole
    loop, so its time includes pulling the documents through every block before it; for it the
    exclusive time is its total minus theirs.
    """
    rows = []
    for executor, steps in stats.items():
        upstream = 0.0
        for step in steps or []:
            name, total = _step_name(step["name"]), step.get("time_stats", {}).get("total", 0.0)
            exclusive = max(total - upstream, 0.0) if name == "MinHash stage 1" else None
            rows.append((executor, name, total, exclusive))
            upstream += total if exclusive is None else exclusive
    return rows


# --------------------------------------------------------------------------------------------
# Printing


def _table(headers: list[str], rows: list[list], aligns: str) -> None:
    cells = [[str(cell) for cell in row] for row in rows]
    widths = [max(len(headers[i]), *(len(row[i]) for row in cells)) for i in range(len(headers))]

    def fmt(row):
        return "  ".join(
            cell.ljust(widths[i]) if aligns[i] == "l" else cell.rjust(widths[i]) for i, cell in enumerate(row)
        )

    print("  " + fmt(headers))
    print("  " + "  ".join("-" * width for width in widths))
    for row in cells:
        print("  " + fmt(row))


def _top(counter: Counter, limit: int = 8) -> str:
    items = counter.most_common(limit)
    rest = sum(counter.values()) - sum(n for _, n in items)
    text = ", ".join(f"{key} {n:,}" for key, n in items)
    return text + (f", other {rest:,}" if rest else "")


def print_corpus_report(name: str, docs: int, results: dict, labels: dict, input_dir: Path) -> None:
    print(f"\n-- {name} corpus: {docs:,} input documents; median of {next(iter(results.values()))['repeats']} run(s)")
    rows = []
    for key, result in results.items():
        rows.append(
            [
                labels[key],
                f"{result['seconds']:.1f}",
                f"{docs / result['seconds']:,.1f}",
                f"{result['peak_mb']:,.0f}",
                f"{result['kept']:,}",
            ]
        )
    _table(["run", "wall s", "docs/s", "peak MB", "kept"], rows, "lrrrr")
    if "datatrove" in results:
        ratio = results["datatrove"]["seconds"] / results["like_for_like"]["seconds"]
        print(f"  like for like, ours / datatrove in documents/s: {ratio:.2f}")

    records = input_records(input_dir)
    ours = results["like_for_like"]
    our_drops, kept_of = ours_drops(Path(ours["output"]))
    funnel = defaultdict(lambda: [0, 0])
    funnel["reader (empty text)"][0] = ours["manifest"]["rejected_records"]  # ours: rejected/, counted apart
    for stage, _ in our_drops.values():
        funnel[stage][0] += 1
    theirs = results.get("datatrove")
    if theirs:
        their_drops = datatrove_drops(Path(theirs["work"]))
        dt_kept = set(parquet_ids(Path(theirs["output"])))
        for stage, _ in their_drops.values():
            funnel[stage][1] += 1
        skipped = {i for i in records if i not in dt_kept and i not in their_drops}
        for i in skipped:
            their_drops[i] = ("reader", "empty text, skipped by JsonlReader" if records[i]["empty"] else "missing")
        funnel["reader (empty text)"][1] += len(skipped)
    print("\n  documents dropped per stage (like for like)")
    order = ["reader (empty text)", *STAGES, *sorted(set(funnel) - set(STAGES) - {"reader (empty text)"})]
    _table(
        ["stage", "ours", "datatrove" if theirs else "-"],
        [[stage, f"{funnel[stage][0]:,}", f"{funnel[stage][1]:,}" if theirs else "-"] for stage in order],
        "lrr",
    )

    print("\n  time per stage")
    for key in ("like_for_like", "pii_default", "pii_ner"):
        if key not in results:
            continue
        stages = results[key].get("stages") or {}
        total = sum(stages.values()) or 1.0
        shown = ", ".join(f"{stage} {spent:.1f}" for stage, spent in stages.items() if spent >= 0.01 * total)
        print(
            f"    {labels[key]}: {results[key]['seconds']:.1f} s wall; processing s per stage (Beam's "
            f"monitoring infos, summed over workers): {shown}"
        )
    if theirs:
        print(
            "    datatrove, wall per executor: " + ", ".join(f"{k} {v:.1f} s" for k, v in theirs["executors"].items())
        )
        print("    datatrove, per block (its stats.json, seconds summed over tasks):")
        for executor, step, total, exclusive in datatrove_step_times(theirs["stats"]):
            note = f" (includes the blocks before it; alone {exclusive:.1f} s)" if exclusive is not None else ""
            print(f"      {executor:<26} {step:<20} {total:8.1f}{note}")

    if not theirs:
        return
    ours_kept = set(parquet_ids(Path(ours["output"]) / "data"))
    both, only_ours, only_dt = ours_kept & dt_kept, ours_kept - dt_kept, dt_kept - ours_kept
    neither = len(records) - len(ours_kept | dt_kept)
    print("\n  agreement of the like-for-like outputs (by id)")
    print(
        f"    kept by both {len(both):,}; only ours {len(only_ours):,}; only datatrove {len(only_dt):,}; "
        f"dropped by both {neither:,}; same decision {len(both) + neither:,}/{len(records):,} "
        f"({100 * (len(both) + neither) / max(len(records), 1):.1f}%)"
    )
    members = defaultdict(list)
    for dup, kept in kept_of.items():
        members[kept].append(dup)

    why_ours = Counter()
    for i in only_ours:
        stage, reason = their_drops.get(i, ("?", "not found in datatrove's outputs"))
        if stage == "minhash":
            if any(m in dt_kept for m in members.get(i, ())):
                why_ours["minhash: same cluster, datatrove kept another copy"] += 1
            else:
                why_ours["minhash: datatrove removed it as a near-duplicate; ours paired it with nothing kept"] += 1
        else:
            why_ours[f"{stage}/{reason}"] += 1
    why_dt = Counter()
    for i in only_dt:
        stage, reason = our_drops.get(i, ("?", "not found in our ledger"))
        if stage == "minhash":
            kept = kept_of.get(i)
            if kept in dt_kept:
                why_dt["minhash: ours removed it as a near-duplicate of a copy datatrove kept too"] += 1
            elif their_drops.get(kept, ("",))[0] == "minhash":
                why_dt["minhash: same cluster, ours kept another copy"] += 1
            else:
                why_dt["minhash: ours kept a copy that datatrove dropped by " + their_drops.get(kept, ("?",))[0]] += 1
        else:
            why_dt[f"{stage}/{reason}"] += 1
    print(f"    kept only by ours ({len(only_ours):,}), where datatrove dropped them: {_top(why_ours) or '-'}")
    print(f"    kept only by datatrove ({len(only_dt):,}), where ours dropped them: {_top(why_dt) or '-'}")
    seen = " ".join([*why_ours, *why_dt])
    for marker, note in NOTES:
        if marker in seen:
            print(f"    - {note}")
    if any(record["kind"] for record in records.values()):
        kinds_ours = Counter(records[i]["kind"] for i in only_ours)
        kinds_dt = Counter(records[i]["kind"] for i in only_dt)
        print(f"    ground-truth kind (curation.synth) of those kept only by ours: {_top(kinds_ours) or '-'}")
        print(f"    ground-truth kind (curation.synth) of those kept only by datatrove: {_top(kinds_dt) or '-'}")

"""Accuracy of near-duplicate removal against brute-force exact Jaccard, and on labelled pairs.

Part 1: real pages from `../shared/data/web/` (wcxb and trafilatura_eval) plus near-duplicates made
from some of them by controlled word edits (substitutions, insertions, deletions, a changed
header or footer line) aimed at word-5-gram Jaccard values spread from 0.5 to 1.0, some of them
edits of edits (chains). The exact Jaccard of every pair of documents (same normalization and
shingles as the stage) is the ground truth. `RemoveNearDuplicates` runs on the DirectRunner with
verification off, estimated and exact, and is scored on:
- duplicate pairs: pairs of documents put in one cluster against pairs with J >= threshold, and
  against pairs in one connected component of that graph (what transitive merging may add);
- dropped documents: against the documents a brute-force run drops (the same components and keep
  rule), and the share of drops that have at least one true near-duplicate;
- recall of the edited pairs by their exact Jaccard (the S-curve).

Part 2: labelled pairs in `../shared/data/dedup/`: the Clough & Stevenson short answers (cut, light,
heavy, non) and the wcxb pages with identical HTML (identical or independently re-annotated text).

    python benchmarks/eval_dedup.py [--threshold 0.8] [--edits 400] [--verify off estimated exact]
                                    [--bands B --rows R]
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import shutil
import statistics
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = ROOT.parent / "shared" / "data"

from curation.dedup import MinHasher  # noqa: E402
from curation.dedup.components import id_hash, union_find_components  # noqa: E402
from curation.document import Document  # noqa: E402

BUCKETS = [(0.5, 0.6), (0.6, 0.7), (0.7, 0.75), (0.75, 0.8), (0.8, 0.85), (0.85, 0.9), (0.9, 0.95), (0.95, 1.01)]


# ------------------------------------------------------------------------------------------------
# Data
# ------------------------------------------------------------------------------------------------


def read_jsonl(path: Path) -> list[dict]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def real_documents() -> list[Document]:
    docs = []
    for name in ("wcxb", "trafilatura_eval"):
        path = DATA / "web" / f"{name}.jsonl.gz"
        if path.exists():
            docs += [Document(id=r["id"], text=r.get("text") or "", source=name) for r in read_jsonl(path)]
    return docs


class Editor:
    """Word edits towards a target word-5-gram Jaccard, checked exactly after each step."""

    def __init__(self, hasher: MinHasher, rng: random.Random, vocabulary: list[str]):
        self.hasher = hasher
        self.rng = rng
        self.vocabulary = vocabulary

    def jaccard(self, a: str, b: str) -> float:
        ha, hb = self.hasher.shingle_hashes([a, b])
        if not len(ha) and not len(hb):
            return 1.0
        common = len(np.intersect1d(ha, hb, assume_unique=True))
        return common / (len(ha) + len(hb) - common)

    def edit(self, text: str, target: float) -> tuple[str, float]:
        rng = self.rng
        lines = text.split("\n")
        if rng.random() < 0.3:  # a changed header or footer line
            extra = " ".join(rng.choices(self.vocabulary, k=rng.randint(4, 12)))
            lines = [extra, *lines] if rng.random() < 0.5 else [*lines, extra]
        words = "\n".join(lines).split(" ")
        current, similarity = words, self.jaccard(text, " ".join(words))
        step = max(1, len(words) // 200)
        while similarity > target and len(current) > 10:
            candidate = list(current)
            for _ in range(step):
                position = rng.randrange(len(candidate))
                r = rng.random()
                if r < 0.6:
                    candidate[position] = rng.choice(self.vocabulary)
                elif r < 0.8:
                    candidate.insert(position, rng.choice(self.vocabulary))
                elif len(candidate) > 10:
                    del candidate[position]
            new_similarity = self.jaccard(text, " ".join(candidate))
            if new_similarity < target - 0.02 and step > 1:
                step = max(1, step // 2)  # overshot: smaller steps
                continue
            current, similarity = candidate, new_similarity
        return " ".join(current), similarity


def make_edits(docs: list[Document], n_edits: int, seed: int, hasher: MinHasher) -> list[tuple[Document, str, float]]:
    rng = random.Random(seed)
    sources = [d for d in docs if len(d.text.split()) >= 80]
    vocabulary = sorted({w for d in rng.sample(sources, min(200, len(sources))) for w in d.text.split()[:300]})
    editor = Editor(hasher, rng, vocabulary)
    edits, made = [], []
    for i in range(n_edits):
        chained = made and rng.random() < 0.2
        source = rng.choice(made) if chained else rng.choice(sources)
        target = rng.uniform(0.5, 1.0)
        text, similarity = editor.edit(source.text, target)
        edited = Document(id=f"edit-{i:04d}", text=text, source="edits")
        made.append(edited)
        edits.append((edited, source.id, similarity))
    return edits


# ------------------------------------------------------------------------------------------------
# Ground truth and the stage
# ------------------------------------------------------------------------------------------------


def exact_pairs(docs: list[Document], hasher: MinHasher, threshold: float) -> dict[tuple[str, str], float]:
    """Every pair with exact Jaccard >= threshold (brute force over all pairs, as a sparse product)."""
    from scipy import sparse

    hashes = []
    for start in range(0, len(docs), 256):
        batch = docs[start : start + 256]
        hashes += hasher.shingle_hashes([d.text for d in batch], [d.language for d in batch])
    sizes = np.array([len(h) for h in hashes])
    values = np.concatenate(hashes)
    _, columns = np.unique(values, return_inverse=True)
    rows = np.repeat(np.arange(len(docs)), sizes)
    matrix = sparse.csr_matrix((np.ones(len(values), dtype=np.float32), (rows, columns)))
    common = (matrix @ matrix.T).tocoo()
    keep = common.row < common.col
    i, j, inter = common.row[keep], common.col[keep], common.data[keep].astype(np.int64)
    similarity = inter / (sizes[i] + sizes[j] - inter)
    pairs = {}
    hit = similarity >= threshold
    for a, b, s in zip(i[hit], j[hit], similarity[hit], strict=True):
        x, y = sorted((docs[a].id, docs[b].id))
        pairs[(x, y)] = float(s)
    return pairs


def run_stage(docs: list[Document], threshold: float, verify: str, bands=None, rows=None) -> dict[str, tuple[str, str]]:
    """`{dropped id: (cluster id, kept id)}` from RemoveNearDuplicates on the in-memory DirectRunner."""
    import apache_beam as beam
    from apache_beam.options.pipeline_options import PipelineOptions

    from beam_jobs.minhash import RemoveNearDuplicates
    from beam_jobs.tags import DUPLICATES
    from curation.config import MinHashConfig

    out_dir = Path(tempfile.mkdtemp(prefix="eval-dedup-"))
    try:
        options = PipelineOptions(["--runner=DirectRunner", "--direct_running_mode=in_memory"])
        with beam.Pipeline(options=options) as pipeline:
            out = (
                pipeline
                | beam.Create(docs, reshuffle=False)
                | RemoveNearDuplicates(
                    MinHashConfig(enabled=True, threshold=threshold, verify=verify, bands=bands, rows=rows)
                )
            )
            (out[DUPLICATES] | beam.Map(lambda row: json.dumps(row)) | beam.io.WriteToText(str(out_dir / "duplicates")))
        rows = [json.loads(line) for part in out_dir.glob("duplicates-*") for line in part.read_text().splitlines()]
    finally:
        shutil.rmtree(out_dir, ignore_errors=True)
    return {row["id"]: (row["cluster_id"], row["kept_id"]) for row in rows}


def clusters_of(dropped: dict[str, tuple[str, str]]) -> dict[str, str]:
    """Document id -> cluster id, for every document in a cluster (kept ones included)."""
    member = {}
    for doc_id, (cluster, kept) in dropped.items():
        member[doc_id] = cluster
        member[kept] = cluster
    return member


def pairs_of(member: dict[str, str]) -> set[tuple[str, str]]:
    groups = defaultdict(list)
    for doc_id, cluster in member.items():
        groups[cluster].append(doc_id)
    return {(a, b) for group in groups.values() for i, a in enumerate(sorted(group)) for b in sorted(group)[i + 1 :]}


def together(member: dict[str, str], a: str, b: str) -> bool:
    return a in member and member[a] == member.get(b)


def ratio(numerator: int, denominator: int) -> str:
    return f"{numerator / denominator:.3f}" if denominator else "  n/a"


# ------------------------------------------------------------------------------------------------
# Part 1
# ------------------------------------------------------------------------------------------------


def part_real_and_edits(args, hasher: MinHasher) -> dict[str, dict[str, tuple[str, str]]]:
    docs = real_documents()
    if not docs:
        print("no real pages under ../shared/data/web; skipping part 1")
        return {}
    edits = make_edits(docs, args.edits, args.seed, hasher)
    corpus = docs + [edited for edited, _, _ in edits]
    from curation.dedup import lsh_params

    bands, rows = lsh_params(hasher.num_perm, args.threshold, args.bands, args.rows)
    print(
        f"part 1: {len(docs)} real pages + {len(edits)} controlled edits; threshold {args.threshold}, "
        f"{hasher.num_perm} permutations, {bands} bands x {rows} rows"
    )
    truth = exact_pairs(corpus, hasher, args.threshold)
    true_pairs = set(truth)
    components = union_find_components(true_pairs)
    true_component_pairs = pairs_of(components)
    # The brute-force drops: every member of a true component but its smallest id hash.
    groups = defaultdict(list)
    for doc_id, root in components.items():
        groups[root].append(doc_id)
    true_dropped = {d for g in groups.values() for d in sorted(g, key=lambda i: (id_hash(i), i))[1:]}
    has_duplicate = {d for pair in true_pairs for d in pair}
    print(
        f"ground truth: {len(true_pairs)} pairs with J >= {args.threshold}, {len(groups)} components, "
        f"{len(true_dropped)} documents to drop\n"
    )
    header = (
        f"{'verify':<10}{'pairs P':>9}{'pairs R':>9}{'P (comp)':>10}{'R (comp)':>10}"
        f"{'drops':>7}{'drop P':>8}{'drop R':>8}{'justified':>11}"
    )
    print(header)
    print("-" * len(header))
    results = {}
    for verify in args.verify:
        dropped = run_stage(corpus, args.threshold, verify, args.bands, args.rows)
        results[verify] = dropped
        predicted = pairs_of(clusters_of(dropped))
        hits, comp_hits = len(predicted & true_pairs), len(predicted & true_component_pairs)
        drops = set(dropped)
        dropped_true, justified = len(drops & true_dropped), len(drops & has_duplicate)
        print(
            f"{verify:<10}{ratio(hits, len(predicted)):>9}{ratio(hits, len(true_pairs)):>9}"
            f"{ratio(comp_hits, len(predicted)):>10}{ratio(comp_hits, len(true_component_pairs)):>10}"
            f"{len(drops):>7}{ratio(dropped_true, len(drops)):>8}"
            f"{ratio(dropped_true, len(true_dropped)):>8}{ratio(justified, len(drops)):>11}"
        )
    print(
        "\npairs P/R: clustered pairs against pairs with exact J >= threshold; (comp): against pairs in one"
        "\nconnected component of that graph. drop P/R: against the brute-force drops (same components and"
        "\nkeep rule). justified: dropped documents that have at least one true near-duplicate.\n"
    )
    print("recall of the edited pairs (edit, its source) by exact Jaccard:")
    print(f"{'J':<12}" + "".join(f"{v:>11}" for v in args.verify) + f"{'pairs':>8}")
    for lo, hi in BUCKETS:
        inside = [(e.id, s) for e, s, j in edits if lo <= j < hi]
        cells = []
        for verify in args.verify:
            member = clusters_of(results[verify])
            count = sum(together(member, a, b) for a, b in inside)
            cells.append(f"{ratio(count, len(inside)):>11}")
        print(f"{f'{lo:.2f}-{min(hi, 1.0):.2f}':<12}{''.join(cells)}{len(inside):>8}")
    return results


# ------------------------------------------------------------------------------------------------
# Part 2
# ------------------------------------------------------------------------------------------------


def part_labelled(args, hasher: MinHasher, wcxb_results: dict[str, dict[str, tuple[str, str]]]) -> None:
    clough = DATA / "dedup" / "clough_stevenson_2009"
    if (clough / "docs.jsonl").exists():
        records = read_jsonl(clough / "docs.jsonl")
        docs = [Document(id=r["id"], text=r["text"], source="clough") for r in records]
        texts = {d.id: d.text for d in docs}
        pairs = read_jsonl(clough / "pairs.jsonl")
        print(f"\npart 2a: Clough & Stevenson, {len(docs)} short answers, {len(pairs)} labelled pairs")
        runs = {
            verify: clusters_of(run_stage(docs, args.threshold, verify, args.bands, args.rows))
            for verify in args.verify
        }
        header = f"{'label':<8}{'pairs':>6}{'mean J':>8}{'min J':>7}{'max J':>7}" + "".join(
            f"{'together (' + v + ')':>22}" for v in args.verify
        )
        print(header)
        print("-" * len(header))
        by_label = defaultdict(list)
        for pair in pairs:
            a, b = pair["doc_a"], pair["doc_b"]
            sa, sb = hasher.shingle_hashes([texts[a], texts[b]])
            common = len(np.intersect1d(sa, sb, assume_unique=True))
            by_label[pair["label"]].append((a, b, common / max(1, len(sa) + len(sb) - common)))
        for label in ("cut", "light", "heavy", "non"):
            rows = by_label.get(label, [])
            if not rows:
                continue
            js = [j for _, _, j in rows]
            cells = []
            for verify in args.verify:
                member = runs[verify]
                count = sum(together(member, a, b) for a, b, _ in rows)
                cells.append(f"{ratio(count, len(rows)):>22}")
            print(f"{label:<8}{len(rows):>6}{statistics.fmean(js):>8.3f}{min(js):>7.3f}{max(js):>7.3f}{''.join(cells)}")
        for positives in (("cut",), ("cut", "light")):
            for verify in args.verify:
                member = runs[verify]
                flagged = {(p["doc_a"], p["doc_b"]) for p in pairs if together(member, p["doc_a"], p["doc_b"])}
                gold = {(p["doc_a"], p["doc_b"]) for p in pairs if p["label"] in positives}
                print(
                    f"positives {'+'.join(positives):<10} verify {verify:<10} precision "
                    f"{ratio(len(flagged & gold), len(flagged))}  recall {ratio(len(flagged & gold), len(gold))}"
                )
    html = DATA / "dedup" / "wcxb_html_identical" / "pairs.jsonl"
    if html.exists() and wcxb_results:
        pairs = read_jsonl(html)
        texts = {r["id"]: r.get("text") or "" for r in read_jsonl(DATA / "web" / "wcxb.jsonl.gz")}
        print(f"\npart 2b: wcxb pages with identical HTML, {len(pairs)} pairs (from the part 1 runs)")
        groups = {
            "identical text": [p for p in pairs if p["text_identical"] and texts.get(p["doc_a"])],
            f"near, J >= {args.threshold}": [],
            f"near, J < {args.threshold}": [],
        }
        empty = 0
        for p in pairs:
            if p["text_identical"]:
                empty += not texts.get(p["doc_a"])
                continue
            ta, tb = texts.get(p["doc_a"], ""), texts.get(p["doc_b"], "")
            if not ta or not tb:
                empty += 1
                continue
            sa, sb = hasher.shingle_hashes([ta, tb])
            common = len(np.intersect1d(sa, sb, assume_unique=True))
            j = common / max(1, len(sa) + len(sb) - common)
            groups[f"near, J >= {args.threshold}" if j >= args.threshold else f"near, J < {args.threshold}"].append(p)
        print(f"{'pairs':<22}{'n':>5}" + "".join(f"{'together (' + v + ')':>22}" for v in wcxb_results))
        for name, rows in groups.items():
            cells = []
            for dropped in wcxb_results.values():
                member = clusters_of(dropped)
                count = sum(together(member, p["doc_a"], p["doc_b"]) for p in rows)
                cells.append(f"{ratio(count, len(rows)):>22}")
            print(f"{name:<22}{len(rows):>5}{''.join(cells)}")
        print(f"({empty} pairs with an empty text left out: no shingles, never clustered)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--threshold", type=float, default=0.8)
    parser.add_argument("--edits", type=int, default=400)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--verify", nargs="*", default=["off", "estimated", "exact"])
    parser.add_argument("--bands", type=int, help="LSH bands (with --rows); default: chosen from the threshold")
    parser.add_argument("--rows", type=int)
    args = parser.parse_args()
    hasher = MinHasher()
    results = part_real_and_edits(args, hasher)
    part_labelled(args, hasher, results)


if __name__ == "__main__":
    main()

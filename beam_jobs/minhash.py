"""Near-duplicate removal: MinHash signatures, LSH buckets, distributed connected components.

The graph: signatures are computed in batches; each document emits one `(scope, band, band hash)`
key per LSH band; a `GroupByKey` over those keys gives the buckets; each bucket offers candidate
edges (optionally verified by estimated or exact Jaccard: a join on the node brings each pair
the payloads of its two documents, a group by pair compares them); then
alternating large-star / small-star rounds, unrolled in the graph, turn every connected component
into a star around its smallest node. Every step groups by one node (or one bucket), so no worker
needs all the edges. After each large-star step a global count of unsettled nodes decides whether
the edges are final (they leave the loop) or go on to the next round; after `max_rounds` rounds
the stage fails unless one more check finds the graph converged. Finally the documents are joined
with their cluster's root: the root (the smallest node under the keep rule) is kept, the others
go to the ledger and to `duplicates`.
"""

from __future__ import annotations

from collections.abc import Iterator

import apache_beam as beam
from apache_beam.pvalue import AsList, DoOutputsTuple, PCollection, TaggedOutput
from apache_beam.transforms.window import GlobalWindow
from apache_beam.utils.timestamp import MIN_TIMESTAMP
from apache_beam.utils.windowed_value import WindowedValue

from beam_jobs.stage import CurationStage, StageCounters, batched
from beam_jobs.tags import DROPPED, DUPLICATES
from curation.catalog import MINHASH_DEDUP
from curation.config import MinHashConfig
from curation.dedup.components import (
    bucket_pairs,
    cluster_id,
    estimated_jaccard,
    exact_jaccard,
    large_star,
    node_id,
    node_key,
    small_star,
)
from curation.dedup.lsh import band_hashes, lsh_params
from curation.dedup.minhash import MinHasher
from curation.document import Document, Drop

STAGE = MINHASH_DEDUP.name
REASON = "near_duplicate"

_BANDS = "bands"
_PAYLOADS = "payloads"
_UNSETTLED = "unsettled"
_DONE = "done"


class _SignatureFn(beam.DoFn):
    """Batches of documents in; their signatures computed together; per document out:

    - main: `(node, document)`;
    - `bands`: `(bucket key, node)` for every LSH band (documents without shingles emit none);
    - `payloads`: `(node, bytes)` for verification: the signature, or the shingle hashes.
    """

    def __init__(self, config: MinHashConfig):
        self._config = config
        self._bands, self._rows = lsh_params(config.num_perm, config.threshold, config.bands, config.rows)
        self._counters = StageCounters(MINHASH_DEDUP.name)

    def setup(self):
        config = self._config
        self._hasher = MinHasher(config.num_perm, config.ngram_size, config.seed)

    def process(self, docs: list[Document]) -> Iterator[tuple | TaggedOutput]:
        config = self._config
        want_hashes = config.verify == "exact"
        signatures, hashes = self._hasher.signatures_and_shingle_hashes(
            [doc.text for doc in docs], [doc.language for doc in docs], with_hashes=want_hashes
        )
        empty = (signatures == self._hasher.max_hash).all(axis=1)
        bands = band_hashes(signatures, self._bands, self._rows).tolist()
        self._counters.inc("documents", len(docs))
        self._counters.inc("documents_without_shingles", int(empty.sum()))
        band_prefixes = [band.to_bytes(2, "big") for band in range(self._bands)]
        for i, doc in enumerate(docs):
            node = node_key(doc.id, config.keep, len(doc.text), doc.source_order)
            yield node, doc
            if empty[i]:
                continue
            scope = doc.source.encode("utf-8", "surrogatepass") if config.scope == "source" else b""
            for prefix, value in zip(band_prefixes, bands[i], strict=True):
                yield TaggedOutput(_BANDS, (prefix + value.to_bytes(8, "big") + scope, node))
            if config.verify == "estimated":
                yield TaggedOutput(_PAYLOADS, (node, signatures[i].tobytes()))
            elif want_hashes:
                yield TaggedOutput(_PAYLOADS, (node, hashes[i].tobytes()))


class _BucketEdgesFn(beam.DoFn):
    def __init__(self, all_pairs: bool):
        self._all_pairs = all_pairs
        self._counters = StageCounters(STAGE)

    def process(self, element) -> Iterator[tuple[str, str]]:
        _, members = element
        nodes = set(members)
        if len(nodes) > 1:
            pairs = bucket_pairs(nodes, self._all_pairs)
            self._counters.inc("buckets_shared")
            self._counters.inc("candidates", len(pairs))
            self._counters.update("bucket_size", len(nodes))
            yield from pairs


class _Verify(beam.PTransform):
    """Keep the candidate pairs whose estimated or exact Jaccard reaches the threshold.

    One join brings each pair the payloads of both its nodes (payloads of documents without a
    candidate pair meet no pair and stop there); a `GroupByKey` on the pair then compares them.
    """

    def __init__(self, payloads, mode: str, threshold: float):
        super().__init__()
        self._payloads = payloads
        self._mode = mode
        self._threshold = threshold

    def expand(self, pairs: PCollection) -> PCollection:
        similarity_of = estimated_jaccard if self._mode == "estimated" else exact_jaccard
        threshold = self._threshold
        counters = StageCounters(STAGE)

        def attach(element):
            _, joined = element
            payloads = list(joined["payload"])
            if payloads:
                for pair in joined["pairs"]:
                    yield pair, payloads[0]

        def compare(element):
            pair, payloads = element
            payloads = list(payloads)
            if len(payloads) != 2:
                return
            similarity = similarity_of(*payloads)
            counters.inc("pairs_verified")
            if similarity >= threshold:
                counters.inc("pairs_accepted")
                yield pair

        ends = pairs | "KeyByBothEnds" >> beam.FlatMap(lambda pair: [(pair[0], pair), (pair[1], pair)])
        joined = {"payload": self._payloads, "pairs": ends} | "JoinPayloads" >> beam.CoGroupByKey()
        return (
            joined
            | "AttachPayloads" >> beam.FlatMap(attach)
            | "GroupByPair" >> beam.GroupByKey()
            | "Similarity" >> beam.FlatMap(compare)
        )


class _LargeStarFn(beam.DoFn):
    """Large-star step per node; a tagged count per unsettled node, summed per bundle downstream."""

    def __init__(self):
        self._counters = StageCounters(STAGE)

    def process(self, element):
        node, neighbours = element
        edges, unsettled = large_star(node, neighbours)
        if unsettled:
            self._counters.inc("unsettled_nodes", unsettled)
            yield TaggedOutput(_UNSETTLED, unsettled)
        yield from edges


class _SumPerBundleFn(beam.DoFn):
    """One sum per bundle (fused with its producer, so no shuffle): a few small side-input elements."""

    def start_bundle(self):
        self._total = 0

    def process(self, count: int):
        self._total += count

    def finish_bundle(self):
        if self._total:
            yield WindowedValue(self._total, MIN_TIMESTAMP, [GlobalWindow()])


class _GateFn(beam.DoFn):
    """Edges of a settled graph are final; otherwise they go on to the small-star step."""

    def process(self, edge, unsettled: list[int]):
        if any(unsettled):
            yield edge
        else:
            yield TaggedOutput(_DONE, edge)


def _small_star(element):
    node, smaller = element
    return small_star(node, smaller)


class ComponentsDidNotConverge(RuntimeError):
    """The graph had unsettled nodes after `minhash.max_rounds` rounds; names the setting to raise."""


class _CheckConvergence(beam.DoFn):
    """Once per stage: counts the rounds that changed the graph and fails if the last check did not
    find it settled."""

    def __init__(self, max_rounds: int):
        self._max_rounds = max_rounds
        self._counters = StageCounters(STAGE)

    def process(self, _, *unsettled_per_round: list[int]):
        *rounds, final = (sum(counts) for counts in unsettled_per_round)
        if final:
            raise ComponentsDidNotConverge(
                f"{STAGE}: connected components did not converge in {self._max_rounds} rounds "
                f"({final} nodes unsettled); raise minhash.max_rounds"
            )
        self._counters.inc("rounds", sum(1 for count in rounds if count))
        self._counters.inc("converged")
        yield len(rounds)


def _both_ways(edge):
    a, b = edge
    return [(a, b), (b, a)]


class ConnectedComponents(beam.PTransform):
    """Edges `(a, b)` to `(node, root)` for every non-root node; root = the smallest node of its component.

    Large-star / small-star rounds unrolled up to `max_rounds`. Each large-star step counts its
    unsettled nodes (one sum per bundle, read as a side input): when there are none, the
    edges are final and leave the loop, and later rounds see no input. One more large-star step
    checks the graph after the last round; a single-element step then counts the rounds that
    changed the graph (the `rounds` counter), and fails the pipeline unless that check found it
    settled (otherwise the `converged` counter is 1).
    """

    def __init__(self, max_rounds: int):
        super().__init__()
        self._max_rounds = max_rounds

    def expand(self, edges: PCollection) -> PCollection:
        final_edges, counts = [], []
        current = edges
        for k in range(1, self._max_rounds + 2):
            final = k == self._max_rounds + 1
            large = (
                current
                | f"Round{k}BothWays" >> beam.FlatMap(_both_ways)
                | f"Round{k}GroupNeighbours" >> beam.GroupByKey()
                | f"Round{k}LargeStar" >> beam.ParDo(_LargeStarFn()).with_outputs(_UNSETTLED, main="edges")
            )
            unsettled = large[_UNSETTLED] | f"Round{k}CountUnsettled" >> beam.ParDo(_SumPerBundleFn())
            counts.append(unsettled)
            if final:
                final_edges.append(large.edges)
                break
            gated = large.edges | f"Round{k}Gate" >> beam.ParDo(_GateFn(), AsList(unsettled)).with_outputs(
                _DONE, main="next"
            )
            final_edges.append(gated[_DONE])
            current = (
                gated.next
                | f"Round{k}GroupSmaller" >> beam.GroupByKey()
                | f"Round{k}SmallStar" >> beam.FlatMap(_small_star)
            )
        _ = (
            edges.pipeline
            | "ConvergenceCheck" >> beam.Create([None])
            | "CheckConverged" >> beam.ParDo(_CheckConvergence(self._max_rounds), *(AsList(c) for c in counts))
        )
        return tuple(final_edges) | "FinalEdges" >> beam.Flatten()


class _EmitFn(beam.DoFn):
    def __init__(self):
        self._counters = StageCounters(STAGE)

    def process(self, element) -> Iterator[Document | TaggedOutput]:
        _, joined = element
        roots = sorted(set(joined["root"]))
        docs = joined["doc"]
        if not roots:
            if joined["is_root"]:
                self._counters.inc("clusters")
            yield from docs
            return
        root = roots[0]  # a converged graph gives one root per node
        kept, cluster = node_id(root), cluster_id(root)
        for doc in docs:
            self._counters.inc(REASON)
            yield TaggedOutput(DROPPED, Drop.of(doc, STAGE, REASON, detail=f"kept {kept} cluster {cluster}"))
            yield TaggedOutput(DUPLICATES, {"id": doc.id, "cluster_id": cluster, "kept_id": kept, "stage": "near"})


class RemoveNearDuplicates(CurationStage):
    """Keep one document per cluster of near-duplicates; the others go to the ledger and `duplicates`.

    Outputs (as `.with_outputs(DROPPED, DUPLICATES, main="documents")`): `documents`, `DROPPED`
    (`Drop` rows, reason `near_duplicate`, detail `kept ID cluster CLUSTER`), `DUPLICATES`
    (`{"id", "cluster_id", "kept_id", "stage": "near"}`).
    """

    NAME = MINHASH_DEDUP
    SIDE_OUTPUTS = (DUPLICATES,)

    def __init__(self, config: MinHashConfig, batch_size: int = 256):
        super().__init__()
        self._config = config
        self._batch_size = batch_size

    def expand(self, docs: PCollection[Document]) -> DoOutputsTuple:
        config = self._config
        signed = docs | batched("Batch", self._batch_size, self._batch_size) | "Signatures" >> beam.ParDo(
            _SignatureFn(config)
        ).with_outputs(
            _BANDS, _PAYLOADS, main="keyed"
        )
        candidates = (
            signed[_BANDS]
            | "GroupBuckets" >> beam.GroupByKey()
            | "BucketEdges" >> beam.ParDo(_BucketEdgesFn(all_pairs=config.verify != "off"))
            | "DistinctCandidates" >> beam.Distinct()
        )
        if config.verify == "off":
            edges = candidates
        else:
            edges = candidates | "Verify" >> _Verify(signed[_PAYLOADS], config.verify, config.threshold)
        counters = StageCounters(STAGE)

        def count_edge(edge):
            counters.inc("edges")
            return edge

        edges = edges | "CountEdges" >> beam.Map(count_edge)
        assignments = edges | "Components" >> ConnectedComponents(config.max_rounds)
        roots = (
            assignments
            | "RootOf" >> beam.Map(lambda pair: pair[1])
            | "DistinctRoots" >> beam.Distinct()
            | "MarkRoot" >> beam.Map(lambda root: (root, True))
        )
        joined = {"doc": signed.keyed, "root": assignments, "is_root": roots} | "JoinClusters" >> beam.CoGroupByKey()
        return joined | "KeepOnePerCluster" >> beam.ParDo(_EmitFn()).with_outputs(
            DROPPED, DUPLICATES, main="documents"
        )


__all__ = ["STAGE", "ConnectedComponents", "RemoveNearDuplicates"]

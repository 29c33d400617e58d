"""Clusters of near-duplicates: node keys, candidate pairs from LSH buckets, similarity checks and
the large-star / small-star steps of distributed connected components (Kiveris et al., "Connected
Components in MapReduce and Beyond", SoCC 2014).

A node is a string that sorts documents by the keep rule, so that the smallest node of a
component is the document that is kept. Each star step looks at one node and its neighbours
only; a runner can spread the nodes over any number of workers. Alternating the two steps turns
every component into a star around its smallest node in O(log^2 n) rounds; `large_star`
reports whether its node is already settled, so a round with no unsettled node proves the graph
converged.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Iterable, Iterator

import numpy as np

__all__ = [
    "KEEP_RULES",
    "VERIFY_MODES",
    "bucket_pairs",
    "cluster_id",
    "connected_components",
    "estimated_jaccard",
    "exact_jaccard",
    "id_hash",
    "large_star",
    "node_id",
    "node_key",
    "small_star",
    "union_find_components",
]

KEEP_RULES = ("smallest_id_hash", "longest", "first")
VERIFY_MODES = ("off", "estimated", "exact")

ALL_PAIRS_MAX = 12
"""Buckets of at most this many documents offer every pair for verification; larger ones a star
around the smallest node plus the chain of neighbours in node order."""

_SEP = "\x00"
_MAX_LENGTH = 10**15 - 1


def id_hash(doc_id: str) -> str:
    """A 64-bit hash of a document id, as 16 hex digits (sorts like the number)."""
    return hashlib.blake2b(doc_id.encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()


def node_key(doc_id: str, keep: str, text_length: int = 0, source_order: str = "") -> str:
    """The node of a document: sorting nodes sorts documents by the keep rule, ties by id.

    `smallest_id_hash`: the smallest hash of the id first; `longest`: the longest text first;
    `first`: the smallest `source_order` (the read order) first.
    """
    if keep == "smallest_id_hash":
        prefix = id_hash(doc_id)
    elif keep == "longest":
        prefix = f"{_MAX_LENGTH - min(text_length, _MAX_LENGTH):015d}"
    elif keep == "first":
        prefix = source_order.replace(_SEP, "")
    else:
        raise ValueError(f"keep must be one of {', '.join(KEEP_RULES)}, got {keep!r}")
    return f"{prefix}{_SEP}{doc_id}"


def node_id(node: str) -> str:
    """The document id inside a node."""
    return node.split(_SEP, 1)[1]


def cluster_id(root: str) -> str:
    """A stable name for the cluster whose smallest node is `root`."""
    return "near-" + hashlib.blake2b(root.encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()


def bucket_pairs(members: Iterable[str], all_pairs: bool) -> list[tuple[str, str]]:
    """Candidate edges `(smaller, larger)` among the nodes of one LSH bucket.

    Without verification a star around the smallest node connects the bucket (every pair in it is
    a candidate, so nothing is lost). With verification (`all_pairs`), small buckets offer every
    pair and large ones the star plus the chain in node order, so that one dissimilar smallest
    node does not hide the similar pairs behind it.
    """
    nodes = sorted(set(members))
    if len(nodes) < 2:
        return []
    root = nodes[0]
    if not all_pairs:
        return [(root, node) for node in nodes[1:]]
    if len(nodes) <= ALL_PAIRS_MAX:
        return [(a, b) for i, a in enumerate(nodes) for b in nodes[i + 1 :]]
    pairs = {(root, node) for node in nodes[1:]}
    pairs.update(itertools.pairwise(nodes[1:]))
    return sorted(pairs)


def estimated_jaccard(signature_a: bytes | np.ndarray, signature_b: bytes | np.ndarray, dtype=np.uint32) -> float:
    """The share of equal MinHash values: the estimate of the Jaccard similarity."""
    a = np.frombuffer(signature_a, dtype=dtype) if isinstance(signature_a, bytes) else signature_a
    b = np.frombuffer(signature_b, dtype=dtype) if isinstance(signature_b, bytes) else signature_b
    if not len(a):
        return 0.0
    return float(np.count_nonzero(a == b)) / len(a)


def exact_jaccard(hashes_a: bytes | np.ndarray, hashes_b: bytes | np.ndarray) -> float:
    """Jaccard similarity of two sets of 64-bit shingle hashes (sorted, distinct)."""
    a = np.frombuffer(hashes_a, dtype=np.uint64) if isinstance(hashes_a, bytes) else hashes_a
    b = np.frombuffer(hashes_b, dtype=np.uint64) if isinstance(hashes_b, bytes) else hashes_b
    if not len(a) and not len(b):
        return 1.0
    common = len(np.intersect1d(a, b, assume_unique=True))
    return common / (len(a) + len(b) - common)


def large_star(node: str, neighbours: Iterable[str]) -> tuple[list[tuple[str, str]], bool]:
    """One node's large-star step: link each larger neighbour to the smallest of node and neighbours.

    Returns the edges `(larger, smaller)` and whether the node is unsettled: it has a smaller
    neighbour and more than one neighbour. A graph without unsettled nodes is a set of stars,
    each around the smallest node of its component (the fixed point of both steps).
    """
    seen = set(neighbours)
    seen.discard(node)
    if not seen:
        return [], False
    smallest = min(seen)
    low = min(smallest, node)
    edges = [(other, low) for other in seen if other > node]
    return edges, smallest < node and len(seen) > 1


def small_star(node: str, smaller: Iterable[str]) -> list[tuple[str, str]]:
    """One node's small-star step: link the node and its smaller neighbours to the smallest of them."""
    seen = {other for other in smaller if other < node}
    if not seen:
        return []
    low = min(seen)
    seen.discard(low)
    seen.add(node)
    return [(other, low) for other in seen]


def connected_components(edges: Iterable[tuple[str, str]], max_rounds: int = 100) -> tuple[dict[str, str], int]:
    """Large-star / small-star rounds in memory, as the Beam transform runs them.

    Returns `{node: smallest node of its component}` for every node with an edge (roots map to
    themselves) and the number of rounds that changed the graph.
    """
    current = {(max(a, b), min(a, b)) for a, b in edges if a != b}
    for rounds in range(max_rounds + 1):
        neighbours: dict[str, list[str]] = {}
        for a, b in current:
            neighbours.setdefault(a, []).append(b)
            neighbours.setdefault(b, []).append(a)
        large, unsettled = set(), 0
        for node, others in neighbours.items():
            out, node_unsettled = large_star(node, others)
            large.update(out)
            unsettled += node_unsettled
        if not unsettled:
            roots = {node: root for node, root in large}
            roots.update({root: root for root in roots.values()})
            return roots, rounds
        if rounds == max_rounds:
            break
        smaller: dict[str, list[str]] = {}
        for a, b in large:
            smaller.setdefault(a, []).append(b)
        current = {edge for node, others in smaller.items() for edge in small_star(node, others)}
    raise RuntimeError(f"connected components did not converge in {max_rounds} rounds")


def union_find_components(edges: Iterable[tuple[str, str]]) -> dict[str, str]:
    """The same mapping by a single-process union-find (a reference for tests and evaluation)."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in edges:
        ra, rb = find(a), find(b)
        if ra != rb:
            if rb < ra:
                ra, rb = rb, ra
            parent[rb] = ra
    return {node: find(node) for node in list(parent)}


def pairs_in_clusters(roots: dict[str, str]) -> Iterator[tuple[str, str]]:
    """Every pair of nodes that share a root (for pairwise precision and recall)."""
    members: dict[str, list[str]] = {}
    for node, root in roots.items():
        members.setdefault(root, []).append(node)
    for group in members.values():
        group.sort()
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                yield a, b

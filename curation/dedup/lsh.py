"""LSH banding for MinHash signatures: choosing bands and rows, and hashing each band.

`optimal_param` picks (bands, rows) the way datasketch's `MinHashLSH` does: the pair with
`bands * rows <= num_perm` that minimises the weighted false-positive and false-negative areas
under the S-curve `1 - (1 - s^rows)^bands` around the threshold. The integrands are polynomials of
degree at most `num_perm`, so Gauss-Legendre quadrature with enough nodes integrates them exactly
(up to rounding), vectorised over every pair instead of one adaptive integral per pair.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

__all__ = ["band_hashes", "lsh_params", "optimal_param", "probability_candidate"]


@lru_cache(maxsize=64)
def optimal_param(
    threshold: float,
    num_perm: int,
    false_positive_weight: float = 0.5,
    false_negative_weight: float = 0.5,
) -> tuple[int, int]:
    """(bands, rows) minimising the weighted false positive and negative probabilities."""
    if not 0.0 <= threshold <= 1.0:
        raise ValueError("threshold must be in [0.0, 1.0]")
    if num_perm < 1:
        raise ValueError("num_perm must be positive")
    pairs = np.array([(b, r) for b in range(1, num_perm + 1) for r in range(1, num_perm // b + 1)], dtype=np.float64)
    bands, rows = pairs[:, :1], pairs[:, 1:]
    nodes, weights = np.polynomial.legendre.leggauss(min(num_perm // 2 + 2, 400))

    def integral(lo: float, hi: float, false_positive: bool) -> np.ndarray:
        s = (hi - lo) / 2 * nodes + (hi + lo) / 2
        miss = (1.0 - s[None, :] ** rows) ** bands  # probability a pair with similarity s is not a candidate
        values = 1.0 - miss if false_positive else miss
        return (values * weights[None, :]).sum(axis=1) * (hi - lo) / 2

    error = integral(0.0, threshold, True) * false_positive_weight
    error += integral(threshold, 1.0, False) * false_negative_weight
    best = int(np.argmin(error))
    return int(pairs[best, 0]), int(pairs[best, 1])


def lsh_params(num_perm: int, threshold: float, bands: int | None = None, rows: int | None = None) -> tuple[int, int]:
    """Bands and rows: as given, or chosen from the threshold by `optimal_param`."""
    if bands is None and rows is None:
        return optimal_param(float(threshold), int(num_perm))
    if bands is None or rows is None:
        raise ValueError("give both bands and rows, or neither")
    if bands < 1 or rows < 1 or bands * rows > num_perm:
        raise ValueError("bands and rows must be positive with bands * rows <= num_perm")
    return int(bands), int(rows)


def probability_candidate(similarity: float, bands: int, rows: int) -> float:
    """The probability that two sets of this Jaccard similarity share at least one band."""
    return 1.0 - (1.0 - similarity**rows) ** bands


_MIX1 = np.uint64(0xFF51AFD7ED558CCD)
_MIX2 = np.uint64(0xC4CEB9FE1A85EC53)
_STEP = np.uint64(0x9E3779B97F4A7C15)
_S33 = np.uint64(33)


def band_hashes(signatures: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """A 64-bit hash of every band of every signature: shape (n, bands), dtype uint64.

    Band `i` covers values `i * rows` to `(i + 1) * rows - 1`, as in datasketch's `MinHashLSH`.
    """
    signatures = np.asarray(signatures)
    if signatures.ndim == 1:
        signatures = signatures[None, :]
    if bands * rows > signatures.shape[1]:
        raise ValueError("bands * rows exceeds the signature length")
    values = signatures[:, : bands * rows].astype(np.uint64).reshape(len(signatures), bands, rows)
    h = np.full((len(signatures), bands), np.uint64(rows), dtype=np.uint64)
    for j in range(rows):
        h = (h ^ values[:, :, j]) * _MIX1 + _STEP
        h ^= h >> _S33
    h *= _MIX2
    h ^= h >> _S33
    return h

"""Near-duplicate detection without Beam: MinHash signatures, LSH banding, connected components."""

from curation.dedup.lsh import band_hashes, lsh_params, optimal_param, probability_candidate
from curation.dedup.minhash import (
    SCHEMES,
    MinHasher,
    normalize_for_shingles,
    shingle_hash32,
    shingle_hash64,
)

__all__ = [
    "SCHEMES",
    "MinHasher",
    "band_hashes",
    "lsh_params",
    "normalize_for_shingles",
    "optimal_param",
    "probability_candidate",
    "shingle_hash32",
    "shingle_hash64",
]

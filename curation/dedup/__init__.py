"""Near-duplicate detection without Beam: MinHash signatures, LSH banding, connected components."""

from curation.dedup.lsh import band_hashes, lsh_params, optimal_param, probability_candidate
from curation.dedup.minhash import (
    NO_SPACE_LANGUAGES,
    SCHEMES,
    MinHasher,
    is_char_language,
    normalize_for_shingles,
    shingle_hash32,
    shingle_hash64,
)

__all__ = [
    "NO_SPACE_LANGUAGES",
    "SCHEMES",
    "MinHasher",
    "band_hashes",
    "is_char_language",
    "lsh_params",
    "normalize_for_shingles",
    "optimal_param",
    "probability_candidate",
    "shingle_hash32",
    "shingle_hash64",
]

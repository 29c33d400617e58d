"""MinHash signatures of documents, vectorised with numpy and bit-identical to datasketch 2.x.

Text is normalized (NFKC, lower case, punctuation, symbols and whitespace folded to single spaces,
format characters removed) and cut into shingles: word n-grams, or character n-grams (spaces
removed) for languages written without spaces. `shingle_hash64` hashes each word of a shingle by a
polynomial hash of its UTF-8 bytes and combines the words' hashes with a second polynomial. For a
batch of documents, every word's hash comes from prefix sums over the concatenated bytes, and
every n-gram window's from prefix sums over the words, so no Python code runs per word or per
shingle; the 32-bit schemes use its low 32 bits. The permutations are datasketch's (`affine32`
by default, `affine64`, `legacy`), so `datasketch.MinHash(num_perm, seed, hashfunc=hasher.hashfunc,
scheme=hasher.scheme)` updated with `hasher.shingles(text)` has exactly `hasher.signature(text)` as
its hash values.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from typing import Literal, overload

import numpy as np

from curation.scripts import code_point_ranges, is_unspaced_language

__all__ = [
    "SCHEMES",
    "MinHasher",
    "normalize_for_shingles",
    "shingle_hash32",
    "shingle_hash64",
]

SCHEMES = ("affine32", "affine64", "legacy")

CHAR_SHARE = 0.3
"""Without a language, a text is shingled by characters when at least this share of its
non-space characters belong to scripts written without spaces (`curation.scripts`)."""
_CHAR_PERCENT = round(CHAR_SHARE * 100)

_MASK64 = (1 << 64) - 1
_MASK32 = (1 << 32) - 1
_MERSENNE = np.uint64((1 << 61) - 1)

# Shingle hash: each space-separated word w_k of the shingle gets the polynomial hash
# sum_j bytes[j] * P^j mod 2^64 (no shingle holds a zero byte); the shingle hashes to
# fmix64(sum_k hash(w_k) * Q^k mod 2^64), the 64-bit MurmurHash3 finalizer of their combination.
# A character shingle has no space: it is hashed as one word.
_BASE = 0x9E3779B97F4A7C15 | 1
_BASE_INV = pow(_BASE, -1, 1 << 64)
_WORD_BASE = 0xC2B2AE3D27D4EB4F | 1
_WORD_BASE_INV = pow(_WORD_BASE, -1, 1 << 64)

# Character classes of the normalization: 0 word character, 1 separator, 2 removed.
_WORD, _SEP, _DEL = 0, 1, 2


def _char_class(category: str) -> int:
    if category in ("Cf", "Cs"):
        return _DEL  # soft hyphens, zero-width joiners, lone surrogates: removed inside words
    if category[0] in "PSZ" or category in ("Cc", "Co"):
        return _SEP
    return _WORD  # letters, marks, numbers, unassigned


@lru_cache(maxsize=1)
def _tables() -> tuple[np.ndarray, np.ndarray, re.Pattern, re.Pattern, re.Pattern]:
    """Per code point: class, no-space-script flag; and the regexes of the reference path."""
    classes = np.fromiter(
        (_char_class(unicodedata.category(chr(cp))) for cp in range(0x110000)), dtype=np.uint8, count=0x110000
    )
    no_space = np.zeros(0x110000, dtype=bool)
    for lo, hi in code_point_ranges():
        no_space[lo : hi + 1] = True
    no_space &= classes == _WORD  # `regex` may know a newer Unicode than `unicodedata`: word characters only

    def pattern(mask: np.ndarray) -> re.Pattern:
        edges = np.flatnonzero(np.diff(np.concatenate(([0], mask.view(np.int8), [0]))))
        ranges = "".join(
            re.escape(chr(lo)) if lo == hi - 1 else f"{re.escape(chr(lo))}-{re.escape(chr(hi - 1))}"
            for lo, hi in zip(edges[::2], edges[1::2], strict=True)
        )
        return re.compile(f"[{ranges}]+")

    return classes, no_space, pattern(classes == _SEP), pattern(classes == _DEL), pattern(no_space)


def normalize_for_shingles(text: str) -> str:
    """NFKC, lower case, format characters removed, punctuation/symbols/whitespace as single spaces."""
    _, _, sep, delete, _ = _tables()
    text = unicodedata.normalize("NFKC", text).lower()
    text = sep.sub(" ", delete.sub("", text))
    return " ".join(word for word in text.split(" ") if word)


def _detect_char_mode(normalized: str) -> bool:
    if normalized.isascii():
        return False
    non_space = len(normalized) - normalized.count(" ")
    no_space_chars = sum(len(run) for run in _tables()[4].findall(normalized))
    return non_space > 0 and no_space_chars * 100 >= non_space * _CHAR_PERCENT


def _prepare(text: str) -> bytes:
    """NFKC and lower case (nothing to do for NFKC on ASCII), as UTF-8."""
    if text.isascii():
        return text.lower().encode("ascii")
    # The two characters that most often make web text fail the NFKC check, replaced by their
    # NFKC forms (the same result as normalizing); checking is much faster than normalizing.
    text = text.replace("\xa0", " ").replace("\u2026", "...")
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    return text.lower().encode("utf-8", "surrogatepass")


def _fmix64_int(h: int) -> int:
    h ^= h >> 33
    h = (h * 0xFF51AFD7ED558CCD) & _MASK64
    h ^= h >> 33
    h = (h * 0xC4CEB9FE1A85EC53) & _MASK64
    return h ^ (h >> 33)


def shingle_hash64(shingle: str | bytes) -> int:
    """The 64-bit hash of a shingle (its UTF-8 bytes), as the vectorised path computes it."""
    data = shingle if isinstance(shingle, bytes) else shingle.encode("utf-8", "surrogatepass")
    h, scale = 0, 1
    for word in data.split(b" "):
        word_hash = 0
        for byte in reversed(word):
            word_hash = (word_hash * _BASE + byte) & _MASK64
        h = (h + word_hash * scale) & _MASK64
        scale = (scale * _WORD_BASE) & _MASK64
    return _fmix64_int(h)


def shingle_hash32(shingle: str | bytes) -> int:
    """The low 32 bits of `shingle_hash64`: the hash function of the 32-bit schemes."""
    return shingle_hash64(shingle) & _MASK32


_FMIX32 = (np.uint32(16), np.uint32(0x85EBCA6B), np.uint32(13), np.uint32(0xC2B2AE35), np.uint32(16))
_FMIX64 = (np.uint64(33), np.uint64(0xFF51AFD7ED558CCD), np.uint64(33), np.uint64(0xC4CEB9FE1A85EC53), np.uint64(33))


def _fmix(h: np.ndarray, constants) -> np.ndarray:
    s1, m1, s2, m2, s3 = constants
    h = h ^ (h >> s1)
    h *= m1
    h ^= h >> s2
    h *= m2
    h ^= h >> s3
    return h


def _permutations(num_perm: int, seed: int, scheme: str) -> tuple[np.ndarray, np.ndarray]:
    """datasketch's permutation parameters (a, b) for `scheme`, generated the same way."""
    gen = np.random.RandomState(seed)
    if scheme == "legacy":
        pairs = [
            (gen.randint(1, _MERSENNE, dtype=np.uint64), gen.randint(0, _MERSENNE, dtype=np.uint64))
            for _ in range(num_perm)
        ]
        a, b = np.array(pairs, dtype=np.uint64).T
        return np.ascontiguousarray(a), np.ascontiguousarray(b)
    width, dtype = (32, np.uint32) if scheme == "affine32" else (64, np.uint64)
    a = gen.randint(0, 1 << (width - 1), num_perm, dtype=dtype) * dtype(2) + dtype(1)
    b = gen.randint(0, 1 << width, num_perm, dtype=dtype)
    return a, b


def _power_table(base: int, n: int) -> np.ndarray:
    return np.cumprod(np.concatenate(([np.uint64(1)], np.full(n - 1, base, dtype=np.uint64))))


class _Powers:
    """P^j, P^-j, Q^j and Q^-j mod 2^64 for j < n, grown on demand."""

    def __init__(self) -> None:
        self.up = self.down = self.word_up = self.word_down = np.ones(1, dtype=np.uint64)

    def ensure(self, n: int) -> None:
        if n <= len(self.up):
            return
        n = max(n, len(self.up) * 5 // 4, MinHasher.CHUNK_BYTES + (1 << 16))
        self.up, self.down = _power_table(_BASE, n), _power_table(_BASE_INV, n)
        self.word_up, self.word_down = _power_table(_WORD_BASE, n), _power_table(_WORD_BASE_INV, n)


class MinHasher:
    """Shingling and MinHash signatures, bit-identical to datasketch's `MinHash`.

    `signature(text)` equals `datasketch.MinHash(num_perm, seed, hashfunc=self.hashfunc,
    scheme=self.scheme)` after `update_batch(self.shingles(text))`. A text without any shingle
    (empty after normalization) has the empty signature (every value the scheme's maximum).
    `language` (a `Document.language` code) chooses character n-grams for languages written
    without spaces; without it, the script of the text decides.
    """

    CHUNK_BYTES = 1 << 18
    """Texts are hashed in chunks of about this many bytes."""
    CHUNK_ELEMENTS = 1 << 19
    """Permuted values computed at once (a num_perm x shingles block; 2 MiB for affine32)."""

    def __init__(self, num_perm: int = 128, ngram_size: int = 5, seed: int = 1, scheme: str = "affine32") -> None:
        if num_perm < 1:
            raise ValueError("num_perm must be positive")
        if ngram_size < 1:
            raise ValueError("ngram_size must be positive")
        if scheme not in SCHEMES:
            raise ValueError(f"scheme must be one of {', '.join(SCHEMES)}, got {scheme!r}")
        self.num_perm = num_perm
        self.ngram_size = ngram_size
        self.seed = seed
        self.scheme = scheme
        self.dtype = np.uint32 if scheme == "affine32" else np.uint64
        self.max_hash = np.uint32(_MASK32) if scheme != "affine64" else np.uint64(_MASK64)
        self.a, self.b = _permutations(num_perm, seed, scheme)
        self._powers = _Powers()

    def __repr__(self) -> str:
        return (
            f"MinHasher(num_perm={self.num_perm}, ngram_size={self.ngram_size}, seed={self.seed}, "
            f"scheme={self.scheme!r})"
        )

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        state["_powers"] = None
        return state

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self._powers = _Powers()

    @property
    def hashfunc(self):
        """Shingle string to integer: 32 bits for `affine32` and `legacy`, 64 for `affine64`."""
        return shingle_hash64 if self.scheme == "affine64" else shingle_hash32

    # ---------------------------------------------------------------- reference (per shingle)

    def char_mode(self, text: str, language: str | None = None) -> bool:
        """Whether `text` is shingled by characters (True) or by words (False)."""
        by_language = is_unspaced_language(language)
        if by_language is not None:
            return by_language
        return _detect_char_mode(normalize_for_shingles(text))

    def shingles(self, text: str, language: str | None = None) -> set[str]:
        """The set of shingle strings of `text` that its signature hashes."""
        normalized = normalize_for_shingles(text)
        if not normalized:
            return set()
        by_language = is_unspaced_language(language)
        n = self.ngram_size
        if by_language if by_language is not None else _detect_char_mode(normalized):
            chars = normalized.replace(" ", "")
            if len(chars) <= n:
                return {chars}
            return {chars[i : i + n] for i in range(len(chars) - n + 1)}
        words = normalized.split(" ")
        if len(words) <= n:
            return {normalized}
        return {" ".join(words[i : i + n]) for i in range(len(words) - n + 1)}

    # ---------------------------------------------------------------- vectorised path

    def signature(self, text: str, language: str | None = None) -> np.ndarray:
        """The MinHash signature of one text: `num_perm` values of the scheme's dtype."""
        return self.signatures([text], None if language is None else [language])[0]

    def signatures(self, texts: Sequence[str], languages: Sequence[str | None] | None = None) -> np.ndarray:
        """Signatures of many texts at once: an array of shape (len(texts), num_perm)."""
        return self.signatures_and_shingle_hashes(texts, languages, with_hashes=False)[0]

    def shingle_hashes(self, texts: Sequence[str], languages: Sequence[str | None] | None = None) -> list[np.ndarray]:
        """Per text, the sorted distinct 64-bit hashes of its shingles (for exact Jaccard)."""
        return self.signatures_and_shingle_hashes(texts, languages, with_hashes=True)[1]

    @overload
    def signatures_and_shingle_hashes(
        self,
        texts: Sequence[str],
        languages: Sequence[str | None] | None = None,
        with_hashes: Literal[True] = True,
    ) -> tuple[np.ndarray, list[np.ndarray]]: ...

    @overload
    def signatures_and_shingle_hashes(
        self, texts: Sequence[str], languages: Sequence[str | None] | None = None, *, with_hashes: Literal[False]
    ) -> tuple[np.ndarray, None]: ...

    @overload
    def signatures_and_shingle_hashes(
        self, texts: Sequence[str], languages: Sequence[str | None] | None = None, with_hashes: bool = True
    ) -> tuple[np.ndarray, list[np.ndarray] | None]: ...

    def signatures_and_shingle_hashes(
        self,
        texts: Sequence[str],
        languages: Sequence[str | None] | None = None,
        with_hashes: bool = True,
    ) -> tuple[np.ndarray, list[np.ndarray] | None]:
        """Signatures, and (when `with_hashes`) each text's sorted distinct 64-bit shingle hashes."""
        n_docs = len(texts)
        if languages is not None and len(languages) != n_docs:
            raise ValueError("languages must be as long as texts")
        out = np.full((n_docs, self.num_perm), self.max_hash, dtype=self.dtype)
        hashes: list[np.ndarray] | None = [] if with_hashes else None
        encoded = [_prepare(text) for text in texts]
        modes: list[bool | None] = (
            [is_unspaced_language(language) for language in languages] if languages is not None else [None] * n_docs
        )
        start = 0
        while start < n_docs:
            stop, size = start, 0
            while stop < n_docs and (stop == start or size + len(encoded[stop]) <= self.CHUNK_BYTES):
                size += len(encoded[stop])
                stop += 1
            shingle_doc, shingle_hash = self._hash_chunk(encoded[start:stop], modes[start:stop])
            self._permute(shingle_doc, shingle_hash, out[start:stop])
            if hashes is not None:
                hashes.extend(self._distinct_per_doc(shingle_doc, shingle_hash, stop - start))
            start = stop
        return out, hashes

    def _hash_chunk(self, encoded: list[bytes], modes: list[bool | None]) -> tuple[np.ndarray, np.ndarray]:
        """(document index, 64-bit hash) of every shingle window of the chunk, ordered by document."""
        n_docs = len(encoded)
        # Documents joined by 0xFF, a byte that never occurs in UTF-8: the document boundary.
        data = np.frombuffer(b"\xff".join(encoded) + b"\xff", dtype=np.uint8)
        classes, no_space_cp, _, _, _ = _tables()
        # Class of every byte: ASCII letters and digits are word bytes, other ASCII separators
        # (after lower(), no upper case is left; ASCII has no format characters).
        folded = data | np.uint8(0x20)
        folded -= np.uint8(97)
        ascii_word = folded < 26
        digits = data - np.uint8(48)
        ascii_word |= digits < 10
        byte_class = (~ascii_word).view(np.uint8)  # _SEP (1) or _WORD (0)
        char_mode = np.fromiter((bool(m) for m in modes), dtype=bool, count=n_docs)
        high = np.flatnonzero(data >= 0x80)  # never empty: the data ends with a boundary
        # Multi-byte characters (and the boundaries): the class of their code point, on every byte.
        lead_bytes = data[high]
        is_lead = (lead_bytes & 0xC0) != 0x80
        is_lead &= lead_bytes != 0xFF
        leads = high[is_lead]
        cps = _decode(data, leads)
        owner = np.where(is_lead, np.arange(len(high)), 0)
        np.maximum.accumulate(owner, out=owner)
        high_class = np.zeros(len(high), dtype=np.uint8)
        high_class[is_lead] = classes[cps]
        high_class = high_class[owner]
        high_class[lead_bytes == 0xFF] = _BOUNDARY
        byte_class[high] = high_class
        undecided = np.fromiter((m is None for m in modes), dtype=bool, count=n_docs)
        hits = leads[no_space_cp[cps]]
        if len(hits) and undecided.any():
            boundaries = np.flatnonzero(data == 0xFF)
            word_chars = np.flatnonzero((byte_class == _WORD) & ((data & 0xC0) != 0x80))
            non_space = np.diff(np.searchsorted(word_chars, boundaries), prepend=0)
            no_space = np.diff(np.searchsorted(hits, boundaries), prepend=0)
            detected = (non_space > 0) & (no_space * 10 >= non_space * round(CHAR_SHARE * 10))
            char_mode = np.where(undecided, detected, char_mode)

        # Removed characters go; so do the separators of character-mode documents.
        bounds = None
        drop = byte_class == _DEL
        if char_mode.any():
            bounds = np.flatnonzero(data == 0xFF)
            char_byte = np.repeat(char_mode, np.diff(bounds, prepend=-1))
            drop |= char_byte & (byte_class == _SEP)
        if drop.any():
            keep = ~drop
            data, byte_class = data[keep], byte_class[keep]
            bounds = None
        n = len(data)
        if bounds is None:
            bounds = np.flatnonzero(data == 0xFF)
        if char_mode.any():
            char_byte = np.repeat(char_mode, np.diff(bounds, prepend=-1))

        # Units: words (maximal runs of word bytes), or characters in character-mode documents.
        word = byte_class == _WORD
        prev_word = np.empty(n, dtype=bool)
        prev_word[0] = False
        prev_word[1:] = word[:-1]
        next_word = np.empty(n, dtype=bool)
        next_word[-1] = False
        next_word[:-1] = word[1:]
        word_start = word & ~prev_word
        word_end = word & ~next_word
        if char_mode.any():
            lead = word & ((data & 0xC0) != 0x80)
            next_lead = np.empty(n, dtype=bool)
            next_lead[-1] = False
            next_lead[:-1] = lead[1:]
            word_start = np.where(char_byte, lead, word_start)
            word_end = np.where(char_byte, word & (next_lead | ~next_word), word_end)
        starts = np.flatnonzero(word_start)
        ends = np.flatnonzero(word_end) + 1
        units_per_doc = np.diff(np.searchsorted(starts, bounds), prepend=0)
        k = self.ngram_size
        first_unit = np.cumsum(units_per_doc) - units_per_doc
        # Window i covers units i..i+k-1 of its document; a document of fewer than k units has one.
        windows = np.maximum(units_per_doc - k + 1, np.minimum(units_per_doc, 1))
        w_doc = np.repeat(np.arange(n_docs, dtype=np.int64), windows)
        w_first = np.arange(len(w_doc), dtype=np.int64)
        w_first += np.repeat(first_unit - (np.cumsum(windows) - windows), windows)
        w_stop = np.minimum(w_first + k, (first_unit + units_per_doc)[w_doc])

        # Byte prefix sums give every unit's polynomial hash; unit prefix sums combine k of them.
        self._powers.ensure(max(n, len(starts)) + 1)
        up, down = self._powers.up, self._powers.down
        prefix = np.empty(n + 1, dtype=np.uint64)
        prefix[0] = 0
        np.cumsum(np.multiply(data, up[:n], dtype=np.uint64), out=prefix[1:])
        unit_hash = prefix[ends] - prefix[starts]
        unit_hash *= down[starts]
        unit_hash *= self._powers.word_up[: len(starts)]
        unit_prefix = np.empty(len(starts) + 1, dtype=np.uint64)
        unit_prefix[0] = 0
        np.cumsum(unit_hash, out=unit_prefix[1:])
        h = unit_prefix[w_stop] - unit_prefix[w_first]
        h *= self._powers.word_down[w_first]
        if char_mode.any():
            # A character shingle has no space: it is one unit, hashed over all its bytes.
            char_window = char_mode[w_doc]
            s, e = starts[w_first[char_window]], ends[w_stop[char_window] - 1]
            h[char_window] = (prefix[e] - prefix[s]) * down[s]
        return w_doc, _fmix(h, _FMIX64)

    def _permute(self, shingle_doc: np.ndarray, shingle_hash: np.ndarray, out: np.ndarray) -> None:
        """Minimum over each document's shingles of every permutation, into `out` (in place).

        The permuted values are laid out permutations x shingles, so that both the affine map and
        the per-document minimum run along contiguous memory.
        """
        if not len(shingle_hash):
            return
        if self.scheme == "affine32":
            hv = _fmix(shingle_hash.astype(np.uint32), _FMIX32)
        elif self.scheme == "affine64":
            hv = _fmix(shingle_hash.copy(), _FMIX64)
        else:
            hv = shingle_hash & np.uint64(_MASK32)
        a, b = self.a[:, None], self.b[:, None]
        doc_first = np.flatnonzero(np.concatenate(([True], shingle_doc[1:] != shingle_doc[:-1])))
        cols = max(256, self.CHUNK_ELEMENTS // self.num_perm)
        buffer = np.empty((self.num_perm, min(cols, len(hv))), dtype=self.dtype)
        for lo in range(0, len(hv), cols):
            part = hv[lo : lo + cols]
            phv = buffer[:, : len(part)]
            np.multiply(a, part[None, :], out=phv)
            np.add(phv, b, out=phv)
            if self.scheme == "legacy":
                np.remainder(phv, _MERSENNE, out=phv)
                np.bitwise_and(phv, np.uint64(_MASK32), out=phv)
            # Documents of this block: those whose first shingle is in it, and the one before.
            first = np.searchsorted(doc_first, lo, side="right") - 1
            last = np.searchsorted(doc_first, lo + len(part), side="left")
            targets = np.arange(first, last)
            seg = np.maximum(doc_first[targets] - lo, 0)
            reduced = np.minimum.reduceat(phv, seg, axis=1)
            targets = shingle_doc[seg + lo]
            out[targets] = np.minimum(out[targets], reduced.T)

    @staticmethod
    def _distinct_per_doc(shingle_doc: np.ndarray, shingle_hash: np.ndarray, n_docs: int) -> list[np.ndarray]:
        order = np.lexsort((shingle_hash, shingle_doc))
        docs, values = shingle_doc[order], shingle_hash[order]
        fresh = np.ones(len(values), dtype=bool)
        fresh[1:] = (values[1:] != values[:-1]) | (docs[1:] != docs[:-1])
        docs, values = docs[fresh], values[fresh]
        bounds = np.searchsorted(docs, np.arange(n_docs + 1))
        return [values[bounds[i] : bounds[i + 1]] for i in range(n_docs)]


_BOUNDARY = 3


def _decode(data: np.ndarray, leads: np.ndarray) -> np.ndarray:
    """Code points of the multi-byte UTF-8 sequences starting at `leads`."""
    last = len(data) - 1
    b0 = data[leads].astype(np.int64)
    b1 = data[np.minimum(leads + 1, last)].astype(np.int64) & 0x3F
    b2 = data[np.minimum(leads + 2, last)].astype(np.int64) & 0x3F
    b3 = data[np.minimum(leads + 3, last)].astype(np.int64) & 0x3F
    two = ((b0 & 0x1F) << 6) | b1
    three = ((b0 & 0x0F) << 12) | (b1 << 6) | b2
    four = ((b0 & 0x07) << 18) | (b1 << 12) | (b2 << 6) | b3
    cps = np.where(b0 < 0xE0, two, np.where(b0 < 0xF0, three, four))
    return np.minimum(cps, 0x10FFFF)

"""A toxicity score per document, offline: alt-profanity-check's linear model, scored per line and
averaged per document, as Llama 2 scored its pretraining corpus (section 4.1: "we score each line
of a document separately and average them to assign a document score").

The model (a TF-IDF vectorizer and a calibrated linear SVM trained on about 200,000 labelled
comments) ships inside the `alt-profanity-check` wheel; nothing is downloaded.

The shipped model is scikit-learn's `TfidfVectorizer(stop_words="english", min_df=0.0001)`
(15,442 words, l2-normalised TF-IDF) and a `CalibratedClassifierCV` of five `LinearSVC` folds,
each with a sigmoid calibration; its probability is the mean of the five calibrated folds. Its
`vectorizer.transform` is a Python loop over every token of every line and costs 98% of the time
(about 12 MB/s). `ToxicityScorer` computes the same numbers with array operations over the UTF-8
bytes of a whole batch (`_FastModel`): a token is a run of word characters (the vectorizer's
`\\b\\w\\w+\\b` on the lowercased line); an ASCII token is looked up by its packed bytes in a hash
table (exactly: the bytes are compared), a token holding one of the characters of the
vocabulary's 17 non-ASCII words (or the Kelvin sign, whose lowercase is `k`) is lowercased and
looked up by Python, once per distinct token, and any other token holding a non-ASCII character
cannot be in the vocabulary; the five folds' weights are one matrix, so a batch's decision values
are one sparse product.
Stop words are not in the vocabulary, so they need no removal. A line without any vocabulary word
has a constant score (the model's intercept), computed once. Lines holding the two characters
whose lowercase depends on their neighbours or splits a word (`Σ`, `İ`) are scored by the
vectorizer's own analyzer. The scores equal the plain `model.predict_proba(vectorizer.transform
(lines))[:, 1]` to rounding (max abs difference below 1e-12 on the real pages of
../shared/data/web; `benchmarks/bench_toxicity.py` checks it).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import numpy as np

TOXIC_THRESHOLD = 0.5
"""The score at or above which a document counts as toxic (Llama 2's cut)."""

BATCH_BYTES = 4_000_000
"""Documents are scored in chunks of about this many bytes of text (the arrays stay small)."""


class ToxicityModelError(RuntimeError):
    """The classifier is not installed or cannot be loaded; the message says how to install it."""


@lru_cache(maxsize=1)
def _model() -> tuple[Any, Any]:
    try:
        import profanity_check.profanity_check as shipped
    except ImportError as error:
        raise ToxicityModelError(
            f"the toxicity classifier needs the alt-profanity-check package ({error}); "
            "install it with `pip install alt-profanity-check`"
        ) from None
    return shipped.vectorizer, shipped.model


def non_blank_lines(text: str) -> list[str]:
    """The lines a document is scored by (`str.splitlines`, blank ones left out)."""
    return [line for line in text.splitlines() if line.strip()]


def plain_line_scores(lines: Sequence[str]) -> list[float]:
    """The shipped model's own probabilities, `model.predict_proba(vectorizer.transform(lines))`
    (the slow reference the fast path is checked against)."""
    if not lines:
        return []
    vectorizer, model = _model()
    return [float(p) for p in model.predict_proba(vectorizer.transform(list(lines)))[:, 1]]


def plain_scores(texts: Sequence[str], line_scores=plain_line_scores) -> list[float]:
    """Documents scored the slow, plain way: `line_scores` over every non-blank line, averaged
    per document (the reference for `ToxicityScorer.scores`)."""
    per_document = [non_blank_lines(text) for text in texts]
    flat = list(line_scores([line for lines in per_document for line in lines]))
    out, start = [], 0
    for lines in per_document:
        chunk = flat[start : start + len(lines)]
        start += len(lines)
        out.append(float(sum(chunk) / len(chunk)) if chunk else 0.0)
    return out


# --------------------------------------------------------------------------------------------
# The fast path

_WORD = re.compile(r"\w")
_ASCII_SPACE = np.array([chr(b).isspace() if b < 128 else False for b in range(256)])
_ASCII_BREAK = np.array([len(("a" + chr(b) + "a").splitlines()) == 2 if b < 128 else False for b in range(256)])
_HARD = frozenset({0x03A3, 0x0130})  # Σ (final or not by its neighbours), İ (lowercases to i + U+0307)
_KELVIN = 0x212A  # K, the one other character whose lowercase is ASCII (k)

# classes of the non-ASCII characters, as bits: word, space, line break, hard, relevant
_W, _S, _B, _H, _R = 1, 2, 4, 8, 16
_UNKNOWN = 255

_KEY_WORDS = 3  # an ASCII vocabulary word is at most 24 bytes (the longest is 21)
_MASKS = np.array(
    [[(1 << (8 * min(max(n - 8 * k, 0), 8))) - 1 for k in range(_KEY_WORDS)] for n in range(8 * _KEY_WORDS + 1)],
    dtype=np.uint64,
)
# Setting bit 0x20 of every byte of an ASCII word lowercases A-Z and keeps a-z and 0-9 (it turns
# `_` into 0x7F, which no other word character becomes, so words still compare exactly).
_CASE_ALL = np.uint64(0x2020202020202020)
_MASK0 = np.ascontiguousarray(_MASKS[:, 0])
_MIX = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9], dtype=np.uint64)
_TABLE_BITS = 18


def _packed(buf: bytes, starts: np.ndarray, lengths: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each ASCII token's bytes, lowercased, as `_KEY_WORDS` little-endian words (zero-padded: no
    word byte is zero, so the words also give the length), and a hash of them. `buf` must have
    8 * _KEY_WORDS + 8 bytes after the last token.

    For a token of at most 8 bytes the hash is a bijection of its one word (the multiplier is
    odd), so equal hashes are equal tokens; longer tokens need their words compared."""
    view = np.ndarray(shape=(len(buf) - 8,), dtype="<u8", buffer=buf, offset=0, strides=(1,))
    keys = np.zeros((len(starts), _KEY_WORDS), dtype=np.uint64)
    first = (view[starts] | _CASE_ALL) & _MASK0[lengths]
    keys[:, 0] = first
    mixed = first * _MIX[0]
    for k in range(1, _KEY_WORDS):
        longer = np.flatnonzero(lengths > 8 * k)
        if not len(longer):
            break
        at = lengths[longer]
        word = (view[starts[longer] + 8 * k] | _CASE_ALL) & _MASKS[at, k]
        keys[longer, k] = word
        mixed[longer] ^= word * _MIX[k]
    return keys, mixed


class _FastModel:
    """The shipped model as arrays: the vocabulary, idf, the five folds' weights and calibrations."""

    def __init__(self, vectorizer: Any, model: Any):
        self.vectorizer = vectorizer
        self.vocabulary: dict[str, int] = vectorizer.vocabulary_
        self.n_terms = len(self.vocabulary)
        self.idf = np.asarray(vectorizer.idf_, dtype=np.float64)
        self._check(vectorizer, model)
        folds = model.calibrated_classifiers_
        self.weights = np.column_stack([np.ravel(f.estimator.coef_) for f in folds])  # (terms, folds)
        self.intercepts = np.array([float(np.ravel(f.estimator.intercept_)[0]) for f in folds])
        self.a = np.array([float(f.calibrators[0].a_) for f in folds])
        self.b = np.array([float(f.calibrators[0].b_) for f in folds])
        self.empty_score = float(self._calibrate(self.intercepts[None, :])[0])
        self.analyzer = vectorizer.build_analyzer()
        # the non-ASCII characters of the vocabulary: a token without one (or K) cannot be in it
        self.relevant = {ch for w in self.vocabulary if not w.isascii() for ch in w if not ch.isascii()}
        self.classes: dict[int, int] = {}
        self.bmp_classes = np.full(0x10000, _UNKNOWN, dtype=np.uint8)
        self.other: dict[bytes, int] = {}
        # ASCII words by their packed bytes, in an open-addressing table
        ascii_words = [(w, i) for w, i in self.vocabulary.items() if w.isascii()]
        raw = b"".join(w.encode() for w, _ in ascii_words) + bytes(8 * _KEY_WORDS + 8)
        lengths = np.array([len(w) for w, _ in ascii_words], dtype=np.int64)
        starts = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64)
        keys, mixed = _packed(raw, starts, lengths)
        size = 1 << _TABLE_BITS
        self.table_hash = np.zeros(size, dtype=np.uint64)
        self.table_term = np.full(size, -1, dtype=np.int64)
        self.term_keys = np.zeros((self.n_terms, _KEY_WORDS), dtype=np.uint64)
        self.term_long = np.zeros(self.n_terms, dtype=bool)
        self.probes = 1
        for row, (h, (_, term)) in enumerate(zip(mixed.tolist(), ascii_words, strict=True)):
            slot, probe = h >> (64 - _TABLE_BITS), 1
            while self.table_term[slot] >= 0:
                slot, probe = (slot + 1) % size, probe + 1
            self.probes = max(self.probes, probe)
            self.table_hash[slot], self.table_term[slot] = h, term
            self.term_keys[term], self.term_long[term] = keys[row], lengths[row] > 8
        self.max_ascii = int(lengths.max())
        self.max_chars = max(map(len, self.vocabulary))

    @staticmethod
    def _check(vectorizer: Any, model: Any) -> None:
        """The fast path reproduces exactly this configuration; anything else is refused."""
        expected = {
            "analyzer": "word",
            "ngram_range": (1, 1),
            "lowercase": True,
            "strip_accents": None,
            "preprocessor": None,
            "tokenizer": None,
            "token_pattern": r"(?u)\b\w\w+\b",
            "norm": "l2",
            "use_idf": True,
            "sublinear_tf": False,
            "binary": False,
        }
        got = {name: getattr(vectorizer, name, None) for name in expected}
        if got != expected or list(getattr(model, "classes_", [])) != [0, 1]:
            raise ToxicityModelError(f"unexpected toxicity model configuration: {got}")
        for fold in model.calibrated_classifiers_:
            if fold.method != "sigmoid" or len(fold.calibrators) != 1:
                raise ToxicityModelError("unexpected toxicity model calibration")
        if any(len(w) < 2 for w in vectorizer.vocabulary_):
            raise ToxicityModelError("unexpected toxicity vocabulary")

    def _calibrate(self, decisions: np.ndarray) -> np.ndarray:
        """The mean over folds of each fold's sigmoid calibration of its decision value."""
        return np.mean(1.0 / (1.0 + np.exp(self.a * decisions + self.b)), axis=1)

    def char_class(self, cp: int) -> int:
        value = self.classes.get(cp)
        if value is None:
            ch = chr(cp)
            value = (
                (_W if _WORD.match(ch) else 0)
                | (_S if ch.isspace() else 0)
                | (_B if len(("a" + ch + "a").splitlines()) == 2 else 0)
                | (_H if cp in _HARD else 0)
                | (_R if cp == _KELVIN or ch.lower() in self.relevant else 0)
            )
            self.classes[cp] = value
        return value

    def _other_term(self, token: bytes) -> int:
        term = self.other.get(token)
        if term is None:
            if len(self.other) > 100_000:
                self.other.clear()
            term = self.vocabulary.get(token.decode("utf-8", "surrogatepass").lower(), -1)
            self.other[token] = term
        return term

    def _other_tokens(self, buf: bytes, word: np.ndarray, relevant: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(start, vocabulary index) of the vocabulary words among the tokens holding a relevant
        byte; a token is found by walking its word bytes (at most the longest word's bytes)."""
        limit = 4 * self.max_chars
        starts: list[int] = []
        terms: list[int] = []
        size = len(word)
        last_end = -1
        for p in relevant.tolist():
            if p < last_end:
                continue  # the token already seen
            s = p
            while s > 0 and word[s - 1] and p - s <= limit:
                s -= 1
            e = p + 1
            while e < size and word[e] and e - s <= limit:
                e += 1
            last_end = e
            if e - s > limit:
                continue
            term = self._other_term(buf[s:e])
            if term >= 0:
                starts.append(s)
                terms.append(term)
        return np.array(starts, dtype=np.int64), np.array(terms, dtype=np.int64)

    def _lookup(self, keys: np.ndarray, mixed: np.ndarray) -> np.ndarray:
        """The vocabulary index of each packed ASCII token, or -1."""
        mask = (1 << _TABLE_BITS) - 1
        slots = (mixed >> np.uint64(64 - _TABLE_BITS)).astype(np.int64)
        held = self.table_term[slots]
        same = self.table_hash[slots] == mixed
        terms = np.where(same, held, -1)
        todo = np.flatnonzero(~same & (held >= 0))
        slots = slots[todo]
        for _ in range(self.probes - 1):
            if not len(todo):
                break
            slots = (slots + 1) & mask
            held = self.table_term[slots]
            same = self.table_hash[slots] == mixed[todo]
            terms[todo[same]] = held[same]
            go_on = ~same & (held >= 0)
            todo, slots = todo[go_on], slots[go_on]
        # equal hashes are equal words when both are at most 8 bytes; compare the others
        check = np.flatnonzero(terms >= 0)
        check = check[(keys[check, 1] != 0) | self.term_long[terms[check]]]
        if len(check):
            wrong = (self.term_keys[terms[check]] != keys[check]).any(axis=1)
            terms[check[wrong]] = -1
        return terms

    def segment_scores(
        self, buf: bytes, seg_starts: np.ndarray, want_nonblank: bool = False
    ) -> tuple[np.ndarray, np.ndarray | None]:
        """(score, non-blank or None) of each segment buf[seg_starts[i]:seg_starts[i + 1]] (the last
        runs to the padding). Each segment ends with a line break or newline; `buf` is UTF-8
        followed by 8 * _KEY_WORDS + 8 zero bytes."""
        n = len(seg_starts)
        size = len(buf) - 8 * _KEY_WORDS - 8
        data = np.frombuffer(buf, dtype=np.uint8)[:size]
        lower = data | 0x20
        ascii_word = ((lower >= 0x61) & (lower <= 0x7A)) | ((data >= 0x30) & (data <= 0x39)) | (data == 0x5F)
        word = ascii_word
        nonspace = (data > 0x20) if want_nonblank else None
        hard_segments = np.zeros(n, dtype=bool)
        high = np.flatnonzero(data >= 0x80)
        relevant = high[:0]
        if len(high):
            padded = np.frombuffer(buf, dtype=np.uint8)
            is_lead = data[high] >= 0xC0
            lead = high[is_lead]
            b0 = data[lead].astype(np.int64)
            b1, b2, b3 = (padded[lead + k].astype(np.int64) & 0x3F for k in (1, 2, 3))
            cps = np.where(
                b0 < 0xE0,
                ((b0 & 0x1F) << 6) | b1,
                np.where(
                    b0 < 0xF0, ((b0 & 0x0F) << 12) | (b1 << 6) | b2, ((b0 & 0x07) << 18) | (b1 << 12) | (b2 << 6) | b3
                ),
            )
            classes = self.bmp_classes[np.minimum(cps, 0xFFFF)]
            unknown = np.flatnonzero((classes == _UNKNOWN) | (cps > 0xFFFF))
            if len(unknown):
                for cp in np.unique(cps[unknown]).tolist():
                    value = self.char_class(cp)
                    if cp <= 0xFFFF:
                        self.bmp_classes[cp] = value
                classes = self.bmp_classes[np.minimum(cps, 0xFFFF)]
                astral = np.flatnonzero(cps > 0xFFFF)
                if len(astral):
                    classes[astral] = [self.char_class(cp) for cp in cps[astral].tolist()]
            per_byte = classes[np.cumsum(is_lead) - 1]
            word = ascii_word.copy()
            word[high] = (per_byte & _W) != 0
            if nonspace is not None:
                nonspace[high] = (per_byte & _S) == 0
            relevant = high[(per_byte & _R) != 0]
            hard = lead[(classes & _H) != 0]
            if len(hard):
                hard_segments[np.searchsorted(seg_starts, hard, side="right") - 1] = True
        nonblank = None
        if nonspace is not None:
            controls = np.flatnonzero(data < 0x20)
            nonspace[controls] = ~_ASCII_SPACE[data[controls]]
            nonblank = np.logical_or.reduceat(nonspace, seg_starts) if n else np.zeros(0, dtype=bool)

        # ASCII tokens: runs of ASCII word bytes not touching another word character, looked up
        # by their packed bytes
        edges = np.flatnonzero(ascii_word[1:] != ascii_word[:-1]) + 1
        if size and ascii_word[0]:
            edges = np.concatenate([[0], edges])
        starts, ends = edges[0::2], edges[1::2]
        lengths = ends - starts
        whole = (lengths >= 2) & (lengths <= self.max_ascii)
        if len(high):  # a run touching a non-ASCII word character is part of a longer token
            whole &= ~word[np.maximum(starts - 1, 0)] | (starts == 0)
            whole &= ~word[ends]
        pick = np.flatnonzero(whole)
        starts = starts[pick]
        keys, mixed = _packed(buf, starts, lengths[pick])
        terms = self._lookup(keys, mixed)
        found = terms >= 0
        token_starts = [starts[found]]
        columns = [terms[found]]
        # tokens with a character of the vocabulary's non-ASCII words (or K): lowercased by Python
        if len(relevant):
            other_starts, other_terms = self._other_tokens(buf, word, relevant)
            token_starts.append(other_starts)
            columns.append(other_terms)
        rows = np.searchsorted(seg_starts, np.concatenate(token_starts), side="right") - 1
        cols = np.concatenate(columns)
        # segments with Σ or İ: the vectorizer's own analyzer
        if hard_segments.any():
            keep = ~hard_segments[rows]
            rows_list, cols_list = [rows[keep]], [cols[keep]]
            bounds = np.concatenate([seg_starts, [size]])
            for seg in np.flatnonzero(hard_segments).tolist():
                text = buf[bounds[seg] : bounds[seg + 1]].decode("utf-8", "surrogatepass")
                found_list = [t for t in (self.vocabulary.get(tok, -1) for tok in self.analyzer(text)) if t >= 0]
                rows_list.append(np.full(len(found_list), seg, dtype=np.int64))
                cols_list.append(np.array(found_list, dtype=np.int64))
            rows, cols = np.concatenate(rows_list), np.concatenate(cols_list)
        return self._scores(n, rows, cols), nonblank

    def _scores(self, n: int, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        from scipy.sparse import coo_matrix

        matrix = coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, self.n_terms)).tocsr()
        matrix.sum_duplicates()
        matrix.data *= self.idf[matrix.indices]
        norms = np.sqrt(np.bincount(np.repeat(np.arange(n), np.diff(matrix.indptr)), matrix.data**2, minlength=n))
        scores = np.full(n, self.empty_score)
        hit = norms > 0
        if hit.any():
            decisions = np.asarray(matrix[hit] @ self.weights) / norms[hit, None] + self.intercepts
            scores[hit] = self._calibrate(decisions)
        return scores


@lru_cache(maxsize=1)
def _fast_model() -> _FastModel:
    return _FastModel(*_model())


_PAD = bytes(8 * _KEY_WORDS + 8)


def _encoded(texts: Sequence[str]) -> tuple[bytes, np.ndarray]:
    """The texts' UTF-8 joined by newlines, a newline after the last and padding; each text's start."""
    encoded = [t.encode("utf-8", "surrogatepass") for t in texts]
    starts = np.concatenate([[0], np.cumsum([len(e) + 1 for e in encoded])]).astype(np.int64)
    return b"\n".join(encoded) + b"\n" + _PAD, starts


def _chunks(texts: Sequence[str]) -> list[tuple[int, int]]:
    out, start, size = [], 0, 0
    for i, text in enumerate(texts):
        size += len(text)
        if size >= BATCH_BYTES:
            out.append((start, i + 1))
            start, size = i + 1, 0
    if start < len(texts):
        out.append((start, len(texts)))
    return out


class ToxicityScorer:
    """Scores documents in batches: every line of every document in one pass of array operations."""

    def line_scores(self, lines: Sequence[str]) -> list[float]:
        """The probability that each line is toxic (0 to 1); each string is scored whole."""
        model = _fast_model() if lines else None
        out: list[float] = []
        for first, last in _chunks(lines):
            buf, starts = _encoded(lines[first:last])
            scores, _ = model.segment_scores(buf, starts[:-1])  # type: ignore[union-attr]
            out.extend(scores.tolist())
        return out

    def scores(self, texts: Sequence[str]) -> list[float]:
        """Each document's score: the mean of its non-blank lines' scores (0 for a blank document)."""
        model = _fast_model() if texts else None
        out: list[float] = []
        for first, last in _chunks(texts):
            buf, doc_starts = _encoded(texts[first:last])
            data = np.frombuffer(buf, dtype=np.uint8)[: len(buf) - len(_PAD)]
            controls = np.flatnonzero(data < 0x1F)
            breaks = controls[_ASCII_BREAK[data[controls]]]
            unicode_breaks = self._unicode_breaks(data)  # U+0085, U+2028 and U+2029 end lines too
            if len(unicode_breaks):
                breaks = np.union1d(breaks, unicode_breaks)
            seg_starts = np.concatenate([[0], breaks[:-1] + 1])
            scores, nonblank = model.segment_scores(buf, seg_starts, want_nonblank=True)  # type: ignore[union-attr]
            assert nonblank is not None
            docs = np.searchsorted(doc_starts, seg_starts, side="right") - 1
            n = last - first
            totals = np.bincount(docs[nonblank], scores[nonblank], minlength=n)
            counts = np.bincount(docs[nonblank], minlength=n)
            out.extend(float(t / c) if c else 0.0 for t, c in zip(totals.tolist(), counts.tolist(), strict=True))
        return out

    @staticmethod
    def _unicode_breaks(data: np.ndarray) -> np.ndarray:
        """The last byte of each U+0085 (C2 85), U+2028 (E2 80 A8) and U+2029 (E2 80 A9)."""
        at = np.flatnonzero(data[:-1] == 0xC2)
        nel = at[data[at + 1] == 0x85] + 1
        at = np.flatnonzero(data[:-2] == 0xE2)
        at = at[(data[at + 1] == 0x80) & ((data[at + 2] == 0xA8) | (data[at + 2] == 0xA9))] + 2
        return np.concatenate([nel, at])

    def score(self, text: str) -> float:
        return self.scores([text])[0]

"""`curation stats --safety`: the pretraining-data analysis of Llama 2 (Touvron et al. 2023, section
4.1 "Safety in Pretraining"), computed in the same single pass as the other statistics.

- pronouns: share of documents with a she, he or they (gender unspecified) pronoun, plus 1st and
  2nd person for English; word lists in `data/pronouns.json` (English, French, Spanish), each
  applied to the documents of its language only (English to all when the language is unknown).
- identities: per HolisticBias axis (religion, gender_and_sex, nationality, race_and_ethnicity,
  sexual_orientation), the share of documents mentioning each descriptor (`data/identities.json`),
  English documents only.
- toxicity: the per-document score of `curation.toxicity.ToxicityScorer` (per-line scores averaged),
  its histogram, mean, share at or above `TOXIC_THRESHOLD` and the highest-scoring document ids.
- languages: share of documents per language at a confidence threshold (`unknown` below it), from
  the `language`/`language_score` columns, or identified with fastText's lid.176 as the pipeline does.
- personal_data: redacted spans per 1,000 words by entity type, and the domains dropped for personal
  data (output directories).

Word matching is vectorised over the UTF-8 bytes of each batch: the lowercased text is cut into
words (maximal runs of letters, digits, marks and `_`; every non-ASCII character counts as a letter
but the punctuation and symbols of U+0080-U+00BF, U+2000-U+2FFF, U+3000-U+303F and the
fullwidth forms, the multiplication and division signs and the BOM), each word of up to 16 bytes
becomes two 64-bit integers (its bytes), and those are looked up in a collision-free hash table
of the listed words with a few array operations per batch; multi-word terms
are matched as runs of listed words, the longest at a place winning. No per-term pass, no
per-document regular expression.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from curation.stats.measures import _string_buffers

AXES = ("religion", "gender_and_sex", "nationality", "race_and_ethnicity", "sexual_orientation")
PRONOUN_GROUPS = ("she", "he", "they", "first_person", "second_person")
IDENTITY_LANGUAGE = "en"
HISTOGRAM_BINS = 20
MOST_TOXIC = 20
MAX_WORD_BYTES = 16
MAX_TERM_WORDS = 4
DEFAULT_LID_THRESHOLD = 0.5
UNKNOWN = "unknown"

_WIDE_PUNCTUATION = np.zeros(128, dtype=bool)  # U+FF00 + index
for _low, _high in ((0x00, 0x0F), (0x1A, 0x20), (0x3B, 0x40), (0x5B, 0x65)):
    _WIDE_PUNCTUATION[_low : _high + 1] = True
_LOW_MASKS = np.array([(1 << (8 * n)) - 1 if n < 8 else (1 << 64) - 1 for n in range(9)], dtype=np.uint64)


def _load(name: str) -> dict:
    return json.loads(resources.files("curation.stats").joinpath("data", name).read_text(encoding="utf-8"))


# --- words --------------------------------------------------------------------------------------


def word_mask(data: np.ndarray) -> np.ndarray:
    """True on every byte of a word character (see the module docstring)."""
    # ASCII letters (either case), digits and `_` by wrapping uint8 comparisons; every byte >= 0x80
    letter = (data | np.uint8(0x20)) - np.uint8(0x61) < np.uint8(26)
    word = letter | (data >= np.uint8(0x80))
    word |= data - np.uint8(0x30) < np.uint8(10)
    word |= data == np.uint8(0x5F)
    if data.size < 2:
        return word
    lead = np.flatnonzero(data >= 0xC2)  # lead bytes of multi-byte characters: few in most text
    if not lead.size:
        return word
    first, second, third = data[lead], np.zeros(lead.size, np.uint8), np.zeros(lead.size, np.uint8)
    for after, following in ((1, second), (2, third)):  # 0 past the end
        inside = int(np.searchsorted(lead, data.size - after))
        following[:inside] = data[lead[:inside] + after]
    two = (first == 0xC2) | ((first == 0xC3) & ((second == 0x97) | (second == 0xB7)))  # U+0080-00BF, x, division
    three = (
        (first == 0xE2) | ((first == 0xE3) & (second == 0x80)) | ((first == 0xEF) & (second == 0xBB) & (third == 0xBF))
    )
    wide = (first == 0xEF) & ((second == 0xBC) | (second == 0xBD))
    if wide.any():  # fullwidth punctuation (U+FF01-FF0F, FF1A-FF20, FF3B-FF40, FF5B-FF65), not its letters
        code = (second.astype(np.int32) - 0xBC) * 64 + (third.astype(np.int32) - 0x80)
        three |= wide & _WIDE_PUNCTUATION[np.clip(code, 0, 127)]
    for at, width in ((lead[two], 2), (lead[three], 3)):
        for k in range(width):
            word[np.minimum(at + k, data.size - 1)] = False
    return word


class Words:
    """The words of a batch: first byte and length in bytes of each, and its row (computed when
    first asked for: most words are not listed and never need one)."""

    def __init__(self, starts: np.ndarray, lengths: np.ndarray, offsets: np.ndarray, data: np.ndarray):
        self.starts = starts
        self.lengths = lengths
        self.offsets = offsets
        self.data = data
        self._rows: np.ndarray | None = None
        self._padded: np.ndarray | None = None

    @classmethod
    def of(cls, offsets: np.ndarray, data: np.ndarray) -> Words:
        size = data.size
        if size == 0:
            empty = np.empty(0, np.int64)
            return cls(empty, empty, offsets, data)
        word = word_mask(data)
        framed = np.zeros(size + 2, dtype=bool)
        framed[1:-1] = word
        edges = np.flatnonzero(framed[1:] != framed[:-1])  # alternately a word's first byte and its end
        starts, ends = edges[0::2], edges[1::2]
        inner = offsets[1:-1]
        inner = inner[(inner > 0) & (inner < size)]
        cross = np.unique(inner[word[inner - 1] & word[inner]])  # no word runs over into the next document
        if cross.size:
            starts = np.insert(starts, np.searchsorted(starts, cross), cross)  # both sorted: merged
            ends = np.insert(ends, np.searchsorted(ends, cross), cross)
        return cls(starts, ends - starts, offsets, data)

    @property
    def rows(self) -> np.ndarray:
        """Each word's row."""
        if self._rows is None:
            self._rows = self.rows_of(self.starts)
        return self._rows

    def rows_of(self, starts: np.ndarray) -> np.ndarray:
        """The rows of the words (or bytes) at `starts`."""
        return np.searchsorted(self.offsets, starts, side="right") - 1

    def keys(self, index: np.ndarray | slice, part: int) -> np.ndarray:
        """Bytes 8*part .. 8*part+7 of the words at `index` as little-endian integers (0-padded)."""
        if self._padded is None:
            self._padded = np.concatenate((self.data, np.zeros(MAX_WORD_BYTES, np.uint8)))
        padded = self._padded
        # every byte position read as the start of an unaligned little-endian uint64
        windows = np.ndarray((max(self.data.size, 1),), dtype="<u8", buffer=padded, offset=0, strides=(1,))
        raw = windows[self.starts[index] + 8 * part]
        remaining = np.clip(self.lengths[index] - 8 * part, 0, 8)
        return raw & _LOW_MASKS[remaining]


def words_of_text(text: str) -> list[str]:
    """The words of one (lowercased) string, as `Words` cuts them (for word lists and tests)."""
    data = np.frombuffer(text.encode("utf-8"), dtype=np.uint8)
    words = Words.of(np.array([0, data.size], np.int64), data)
    raw = data.tobytes()
    return [raw[s : s + n].decode("utf-8") for s, n in zip(words.starts.tolist(), words.lengths.tolist(), strict=True)]


# --- word lists ---------------------------------------------------------------------------------


@dataclass
class Lexicon:
    """One language's listed terms: each an entry (a pronoun group, or an identity axis and term)
    made of one or more words; words are numbered, terms looked up by their words' numbers."""

    language: str
    entries: list[tuple[str, str, str]] = field(default_factory=list)
    """(kind, group or axis, term): kind `pronoun` or `identity`."""
    ambiguous: set[int] = field(default_factory=set)
    _word_ids: dict[str, int] = field(default_factory=dict)
    _terms: dict[tuple[int, ...], int] = field(default_factory=dict)

    def add(self, form: str, entry: tuple[str, str, str], ambiguous: bool = False) -> None:
        words = words_of_text(form.lower())
        if not words or len(words) > MAX_TERM_WORDS or any(len(w.encode()) > MAX_WORD_BYTES for w in words):
            raise ValueError(f"term {form!r}: 1 to {MAX_TERM_WORDS} words of at most {MAX_WORD_BYTES} bytes")
        if entry not in self.entries:
            self.entries.append(entry)
        index = self.entries.index(entry)
        if ambiguous:
            self.ambiguous.add(index)
        ids = tuple(self._word_ids.setdefault(word, len(self._word_ids)) for word in words)
        previous = self._terms.setdefault(ids, index)
        if previous != index:
            raise ValueError(f"term {form!r} is listed twice: {self.entries[previous]} and {entry}")

    def compile(self) -> None:
        """Sorted lookup arrays for `match`."""
        words = list(self._word_ids)
        encoded = [w.encode() for w in words]
        lo = np.array([int.from_bytes(b[:8].ljust(8, b"\0"), "little") for b in encoded], np.uint64)
        hi = np.array([int.from_bytes(b[8:16].ljust(8, b"\0"), "little") for b in encoded], np.uint64)
        short = np.array([len(b) <= 8 for b in encoded])
        ids = np.array([self._word_ids[w] for w in words], np.int64)
        self._table_keys, self._table_ids, self._multiplier = _hash_table(lo[short], ids[short])
        self._long = {(int(a), int(b)): int(i) for a, b, i in zip(lo[~short], hi[~short], ids[~short], strict=True)}
        self._long_lo = np.unique(lo[~short]) if (~short).any() else np.empty(0, np.uint64)
        self._long_keys, _, self._long_multiplier = _hash_table(self._long_lo, np.arange(self._long_lo.size))
        count = len(words)
        self._single = np.full(count, -1, np.int64)
        self._first = np.zeros(count, dtype=bool)
        self._multi: dict[int, dict[int, int]] = {}
        for term, entry in self._terms.items():
            if len(term) == 1:
                self._single[term[0]] = entry
            else:
                self._first[term[0]] = True
                self._multi.setdefault(len(term), {})[_ngram_key(term, count)] = entry
        self._count = count

    def word_ids(self, words: Words) -> np.ndarray:
        """Each word's number in the list, -1 for a word not listed."""
        ids = np.full(words.starts.size, -1, np.int64)
        at, found = self.listed(words)
        ids[at] = found
        return ids

    def listed(self, words: Words) -> tuple[np.ndarray, np.ndarray]:
        """(index, number in the list) of the listed words, in order."""
        index: list[np.ndarray] = []
        numbers: list[np.ndarray] = []
        if words.starts.size and self._table_ids.size:
            keys = words.keys(slice(None), 0)  # first 8 bytes of every word: only words of <= 8 can hit
            with np.errstate(over="ignore"):
                slot = (keys * self._multiplier) >> np.uint64(64 - HASH_BITS)
            hit = np.flatnonzero((self._table_keys[slot] == keys) & (words.lengths <= 8))
            index.append(hit)
            numbers.append(self._table_ids[slot[hit]])
        if self._long_lo.size:
            longer = np.flatnonzero((words.lengths > 8) & (words.lengths <= MAX_WORD_BYTES))
            if longer.size:
                lo = words.keys(longer, 0)
                with np.errstate(over="ignore"):
                    slot = (lo * self._long_multiplier) >> np.uint64(64 - HASH_BITS)
                maybe = longer[self._long_keys[slot] == lo]  # as np.isin(lo, self._long_lo)
                if maybe.size:
                    pairs = zip(words.keys(maybe, 0).tolist(), words.keys(maybe, 1).tolist(), strict=True)
                    found = np.array([self._long.get(pair, -1) for pair in pairs], np.int64)
                    index.append(maybe[found >= 0])
                    numbers.append(found[found >= 0])
        if not index:
            return np.empty(0, np.int64), np.empty(0, np.int64)
        at, number = np.concatenate(index), np.concatenate(numbers)
        if len(index) > 1:
            order = np.argsort(at, kind="stable")
            at, number = at[order], number[order]
        return at.astype(np.int64), number.astype(np.int64)

    def match(self, words: Words) -> tuple[np.ndarray, np.ndarray]:
        """(row, entry) of every term found, one pair per row and entry at most.

        Scanning each document from the left, the longest term starting at a word wins and the
        words it covers start no other term (as a regular expression's leftmost-longest match)."""
        at, ids = self.listed(words)
        total = words.starts.size
        multi_at: list[np.ndarray] = []
        multi_len: list[np.ndarray] = []
        multi_entry: list[np.ndarray] = []
        candidates = at[self._first[ids]] if self._multi else np.empty(0, np.int64)
        for n, table in self._multi.items():
            starts = candidates[candidates + n - 1 < total]
            if not starts.size:
                continue
            same = words.rows_of(words.starts[starts + n - 1]) == words.rows_of(words.starts[starts])
            parts = []
            for k in range(n):
                place = np.minimum(np.searchsorted(at, starts + k), at.size - 1)
                parts.append(np.where(at[place] == starts + k, ids[place], -1))
            valid = same & np.all(np.stack(parts) >= 0, axis=0)
            starts = starts[valid]
            if not starts.size:
                continue
            keys = _ngram_key([part[valid] for part in parts], self._count)
            found = np.array([table.get(int(key), -1) for key in keys.tolist()], np.int64)
            hit = found >= 0
            multi_at.append(starts[hit])
            multi_len.append(np.full(int(hit.sum()), n))
            multi_entry.append(found[hit])
        rows = [words.rows_of(words.starts[at])]
        entries = [self._single[ids]]
        if multi_at:
            begin, length, entry = (np.concatenate(parts) for parts in (multi_at, multi_len, multi_entry))
            covered: list[int] = []
            kept_at, kept_entry = [], []
            end = -1
            for start, n, found_entry in sorted(
                zip(begin.tolist(), length.tolist(), entry.tolist(), strict=True), key=lambda item: (item[0], -item[1])
            ):
                if start < end:
                    continue
                end = start + n
                covered.extend(range(start, end))
                kept_at.append(start)
                kept_entry.append(found_entry)
            keep = ~np.isin(at, np.array(covered, np.int64))
            rows = [rows[0][keep], words.rows_of(words.starts[np.array(kept_at, np.int64)])]
            entries = [entries[0][keep], np.array(kept_entry, np.int64)]
        row, found_entry = np.concatenate(rows), np.concatenate(entries)
        present = found_entry >= 0
        pairs = np.unique(row[present] * len(self.entries) + found_entry[present])
        return pairs // len(self.entries), pairs % len(self.entries)


HASH_BITS = 16


def _hash_table(keys: np.ndarray, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.uint64]:
    """Slots of 2**HASH_BITS holding each key (and its id) at `(key * multiplier) >> (64 - bits)`,
    the multiplier chosen so that no two keys share a slot; empty slots hold a key no word has (0)."""
    rng = np.random.default_rng(0)
    for _ in range(1000):
        multiplier = np.uint64(int(rng.integers(1, 2**63)) * 2 + 1)
        with np.errstate(over="ignore"):
            slots = (keys * multiplier) >> np.uint64(64 - HASH_BITS)
        if np.unique(slots).size == keys.size:
            table_keys = np.zeros(2**HASH_BITS, np.uint64)
            table_ids = np.full(2**HASH_BITS, -1, np.int64)
            table_keys[slots], table_ids[slots] = keys, ids
            return table_keys, table_ids, multiplier
    raise ValueError("no collision-free hash table for the word list")


def _ngram_key(parts: Any, count: int) -> Any:
    """One integer per run of word numbers (a tuple, or arrays of the k-th word of each run)."""
    key: Any = 0
    for part in parts:
        key = key * (count + 1) + (part + 1)
    return key


@lru_cache(maxsize=1)
def load_lexicons() -> tuple[dict[str, Lexicon], dict, dict]:
    """The lexicons per language, and the two data files (pronouns, identities) as loaded (once per
    process: treat them as read-only)."""
    pronouns, identities = _load("pronouns.json"), _load("identities.json")
    lexicons: dict[str, Lexicon] = {}
    for language, groups in pronouns["languages"].items():
        lexicon = lexicons.setdefault(language, Lexicon(language))
        for group, forms in groups.items():
            for form in forms:
                lexicon.add(form, ("pronoun", group, group))
    lexicon = lexicons.setdefault(identities["language"], Lexicon(identities["language"]))
    for axis in AXES:
        spec = identities["axes"][axis]
        for term, forms in spec["terms"].items():
            for form in (term, *forms):
                lexicon.add(form, ("identity", axis, term), ambiguous=term in spec.get("ambiguous", {}))
    for lexicon in lexicons.values():
        lexicon.compile()
    return lexicons, pronouns, identities


# --- the accumulator ----------------------------------------------------------------------------


@dataclass
class _Top:
    """The highest toxicity scores seen, ties by position (earliest first)."""

    size: int
    rows: list[tuple[float, int, Any]] = field(default_factory=list)

    def add(self, scores: np.ndarray, positions: np.ndarray, ids: list | None) -> None:
        if not scores.size:
            return
        order = np.lexsort((positions, -scores))[: self.size]
        rows = [(float(scores[i]), int(positions[i]), ids[i] if ids is not None else None) for i in order.tolist()]
        self.rows = sorted(self.rows + rows, key=lambda row: (-row[0], row[1]))[: self.size]


class SafetyStats:
    """The `safety` section, folded in batch by batch (state bounded by the word lists and languages)."""

    def __init__(self, top: int = 10, lid_threshold: float = DEFAULT_LID_THRESHOLD, toxicity: bool = True):
        self.top = top
        self.lid_threshold = lid_threshold
        self.lexicons, self._pronoun_data, self._identity_data = load_lexicons()
        self.documents = 0
        self.language_source: str | None = None
        self.threshold_applied = True
        self.language_counts: Counter[str] = Counter()
        self.covered: Counter[str] = Counter()  # documents per language a lexicon was applied to
        self.pronoun_counts: Counter[tuple[str, str]] = Counter()  # (language, group) -> documents
        self.term_counts: Counter[tuple[str, str]] = Counter()  # (axis, term) -> documents
        self.axis_counts: Counter[str] = Counter()
        self.axis_unambiguous: Counter[str] = Counter()
        self.toxicity = toxicity
        self._scorer: Any = None
        self.histogram = np.zeros(HISTOGRAM_BINS, np.int64)
        self.toxic = 0
        self.score_sum = 0.0
        self.most_toxic = _Top(MOST_TOXIC)
        self._lid: Any = None
        self._lid_error: str | None = None

    # languages
    def _languages(self, batch: pa.RecordBatch, texts: list[str]) -> tuple[pa.Array | None, pa.Array | None]:
        """(top language of each document or null, its score or null); None when unknown."""
        names = batch.schema.names
        if "language" in names:
            self.language_source = "language column"
            language = batch.column("language").cast(pa.string())
            if "language_score" in names:
                return language, batch.column("language_score").cast(pa.float64())
            self.threshold_applied = False
            return language, None
        if self._lid is None and self._lid_error is None:
            try:
                from filters.language import LanguageFilter

                self._lid = LanguageFilter(min_score=0.0)
                self._lid.prepare()
            except Exception as error:  # noqa: BLE001 - ParameterError or ModelError: no model, no languages
                self._lid_error = f"{type(error).__name__}: {error}"
        if self._lid is None:
            self.language_source = None
            return None, None
        self.language_source = "fastText lid.176 (filters.language)"
        predicted = [self._lid.predict(text) for text in texts]
        return pa.array([p[0] for p in predicted], pa.string()), pa.array([p[1] for p in predicted], pa.float64())

    def add(self, batch: pa.RecordBatch, text_key: str = "text", first_position: int = 1) -> None:
        """Measure one batch; `first_position` is the 1-based position of its first document."""
        text = batch.column(text_key)
        text = text.combine_chunks() if isinstance(text, pa.ChunkedArray) else text
        text = pc.fill_null(text, "")
        rows = batch.num_rows
        self.documents += rows
        texts = text.to_pylist() if (self.toxicity or "language" not in batch.schema.names) else []
        language, score = self._languages(batch, texts)
        if language is not None:
            labels = pc.fill_null(language, UNKNOWN)
            if score is not None:
                sure = pc.fill_null(pc.greater_equal(score, self.lid_threshold), False)
                labels = pc.if_else(sure, labels, UNKNOWN)
            counts = pc.value_counts(labels)
            for value, count in zip(
                counts.field("values").to_pylist(), counts.field("counts").to_pylist(), strict=True
            ):
                self.language_counts[value] += count
        self._match(text, language)
        if self.toxicity:
            self._score(texts, batch, first_position)

    def _match(self, text: pa.Array, language: pa.Array | None) -> None:
        for code, lexicon in self.lexicons.items():
            if language is None:
                if code != "en":
                    continue
                subset = text
            else:
                mask = pc.fill_null(pc.equal(language, code), False)
                subset = text.filter(mask)
            if not len(subset):
                continue
            subset = pc.utf8_lower(subset)  # lowered after the filter: only the documents matched
            self.covered[code] += len(subset)
            offsets, data = _string_buffers(subset)
            rows, entries = lexicon.match(Words.of(offsets, data))
            self._fold(lexicon, code, rows, entries)

    def _fold(self, lexicon: Lexicon, code: str, rows: np.ndarray, entries: np.ndarray) -> None:
        kinds = lexicon.entries
        per_entry = np.bincount(entries, minlength=len(kinds))
        axis_rows: dict[str, set[int]] = {}
        unambiguous_rows: dict[str, set[int]] = {}
        for index in np.flatnonzero(per_entry).tolist():
            kind, group, term = kinds[index]
            if kind == "pronoun":
                self.pronoun_counts[(code, group)] += int(per_entry[index])
            else:
                self.term_counts[(group, term)] += int(per_entry[index])
                found = set(rows[entries == index].tolist())
                axis_rows.setdefault(group, set()).update(found)
                if index not in lexicon.ambiguous:
                    unambiguous_rows.setdefault(group, set()).update(found)
        for axis, found in axis_rows.items():
            self.axis_counts[axis] += len(found)
        for axis, found in unambiguous_rows.items():
            self.axis_unambiguous[axis] += len(found)

    def _score(self, texts: list[str], batch: pa.RecordBatch, first_position: int) -> None:
        if self._scorer is None:
            from curation.toxicity import ToxicityScorer

            self._scorer = ToxicityScorer()
        scores = np.asarray(self._scorer.scores(texts), dtype=np.float64)
        if not scores.size:
            return
        from curation.toxicity import TOXIC_THRESHOLD

        self.histogram += np.histogram(scores, bins=HISTOGRAM_BINS, range=(0.0, 1.0))[0]
        self.toxic += int((scores >= TOXIC_THRESHOLD).sum())
        self.score_sum += float(scores.sum())
        positions = np.arange(first_position, first_position + scores.size)
        ids = batch.column("id").to_pylist() if "id" in batch.schema.names else None
        self.most_toxic.add(scores, positions, ids)

    # the JSON section
    def to_dict(self) -> dict[str, Any]:
        """The `safety` section, less `personal_data` (see `personal_data`)."""
        return {
            "documents": self.documents,
            "pronouns": self._pronouns(),
            "identities": {
                axis: {row["term"]: row["share_documents"] for row in rows[: self.top]}
                for axis, rows in self._identity_rows().items()
            },
            "identity_axes": self._identity_axes(),
            "toxicity": self._toxicity(),
            "languages": self._language_shares(),
            "language_identification": {
                "source": self.language_source,
                "threshold": self.lid_threshold,
                "threshold_applied": self.threshold_applied and self.language_source is not None,
                "documents": dict(sorted(self.language_counts.items(), key=lambda kv: (-kv[1], kv[0]))),
                "error": self._lid_error,
            },
            "word_lists": {
                "pronouns": "curation/stats/data/pronouns.json",
                "identities": "curation/stats/data/identities.json",
                "pronoun_sources": self._pronoun_data["sources"],
                "identity_sources": self._identity_data["sources"],
                "comparability": self._pronoun_data["comparability"],
                "pronoun_languages_not_covered": self._pronoun_data.get("not_covered", {}),
                "ambiguous_terms": {
                    axis: sorted(self._identity_data["axes"][axis].get("ambiguous", {})) for axis in AXES
                },
            },
        }

    def _language_note(self) -> str:
        if self.language_source is None:
            return "language unknown: English lists applied to every document"
        return f"each language's lists applied to its documents (language from the {self.language_source})"

    def _pronouns(self) -> dict[str, Any]:
        covered = sum(self.covered.values())
        totals: Counter[str] = Counter()
        for (_, group), count in self.pronoun_counts.items():
            totals[group] += count
        languages = sorted(self.covered, key=lambda code: (-self.covered[code], code))
        by_language = {}
        for code in languages:
            groups = self._pronoun_data["languages"][code]
            documents = self.covered[code]
            by_language[code] = {
                "documents": documents,
                "counts": {group: self.pronoun_counts[(code, group)] for group in groups},
                **{group: self.pronoun_counts[(code, group)] / documents for group in groups},
            }
        english = self.covered.get("en", 0)
        result: dict[str, Any] = {
            group: (totals[group] / covered if covered else 0.0) for group in ("she", "he", "they")
        }
        for group in ("first_person", "second_person"):  # English only
            result[group] = self.pronoun_counts[("en", group)] / english if english else None
        result.update(
            documents=covered,
            documents_not_covered=self.documents - covered,
            counts={group: totals[group] for group in PRONOUN_GROUPS},
            languages_covered=languages,
            language_source=self.language_source,
            note=self._language_note(),
            by_language=by_language,
        )
        return result

    def _identity_rows(self) -> dict[str, list[dict]]:
        documents = self.covered.get(IDENTITY_LANGUAGE, 0)
        out = {}
        for axis in AXES:
            spec = self._identity_data["axes"][axis]
            rows = [
                {
                    "term": term,
                    "documents": self.term_counts[(axis, term)],
                    "share_documents": self.term_counts[(axis, term)] / documents if documents else 0.0,
                    "share_of_axis": self.term_counts[(axis, term)] / self.axis_counts[axis]
                    if self.axis_counts[axis]
                    else 0.0,
                    "ambiguous": term in spec.get("ambiguous", {}),
                }
                for term in spec["terms"]
                if self.term_counts[(axis, term)]
            ]
            out[axis] = sorted(rows, key=lambda row: (-row["documents"], row["term"]))
        return out

    def _identity_axes(self) -> dict[str, Any]:
        documents = self.covered.get(IDENTITY_LANGUAGE, 0)
        axes: dict[str, Any] = {}
        for axis, rows in self._identity_rows().items():
            axes[axis] = {
                "documents": self.axis_counts[axis],
                "share_documents": self.axis_counts[axis] / documents if documents else 0.0,
                "documents_unambiguous": self.axis_unambiguous[axis],
                "share_documents_unambiguous": self.axis_unambiguous[axis] / documents if documents else 0.0,
                "top": rows[: self.top],
                "terms": {row["term"]: row["documents"] for row in rows},
            }
        return {
            "documents": documents,
            "languages_covered": [IDENTITY_LANGUAGE] if documents else [],
            "language_source": self.language_source,
            "axes": axes,
        }

    def _toxicity(self) -> dict[str, Any] | None:
        if not self.toxicity:
            return None
        from curation.toxicity import TOXIC_THRESHOLD

        scored = int(self.histogram.sum())
        edges = np.linspace(0.0, 1.0, HISTOGRAM_BINS + 1)
        return {
            "documents": scored,
            "threshold": TOXIC_THRESHOLD,
            "toxic_documents": self.toxic,
            "share_at_or_above_0_5": self.toxic / scored if scored else 0.0,
            "mean": self.score_sum / scored if scored else None,
            "histogram": {
                "lower": [round(float(x), 2) for x in edges[:-1]],
                "upper": [round(float(x), 2) for x in edges[1:]],
                "counts": self.histogram.tolist(),
            },
            "most_toxic": [{"id": i, "position": p, "score": round(s, 6)} for s, p, i in self.most_toxic.rows],
            "scorer": "curation.toxicity.ToxicityScorer (alt-profanity-check, per-line scores averaged per document)",
        }

    def _language_shares(self) -> dict[str, float] | None:
        total = sum(self.language_counts.values())
        if not total:
            return None
        ordered = sorted(self.language_counts.items(), key=lambda kv: (-kv[1], kv[0]))
        return {code: count / total for code, count in ordered}


def personal_data(stats: dict[str, Any], dropped_domains: dict | None) -> dict[str, Any]:
    """Spans per 1,000 words by entity type (from the statistics' `pii_redactions`) and the
    domains dropped for personal data (`dropped_domains`: output directories only)."""
    redactions = stats.get("pii_redactions")
    words = stats.get("words") or 0
    per_kword = None
    if redactions is not None:
        per_kword = {row["entity_type"]: 1000 * row["spans"] / words if words else 0.0 for row in redactions["by_type"]}
    return {
        "words": words,
        "spans": redactions["spans"] if redactions else None,
        "spans_per_1k_words": 1000 * redactions["spans"] / words if redactions and words else None,
        "spans_per_1k_words_by_type": per_kword,
        "documents_with_redactions": redactions["documents_with_redactions"] if redactions else None,
        "dropped_domains": dropped_domains,
    }


# --- before and after ---------------------------------------------------------------------------


def _change(a: Any, b: Any) -> dict[str, Any]:
    number = (int, float)
    change = b - a if isinstance(a, number) and isinstance(b, number) else None
    return {"a": a, "b": b, "change": change}


def safety_shift(a: dict | None, b: dict | None, top: int = 10) -> dict[str, Any] | None:
    """How each measure moved from corpus A's `safety` section to B's (change = B - A, in shares);
    None unless both have one. The terms that moved most are ranked by the absolute change."""
    if not a or not b:
        return None
    pronouns = {group: _change(a["pronouns"].get(group), b["pronouns"].get(group)) for group in PRONOUN_GROUPS}
    identities = {}
    for axis in AXES:
        axis_a, axis_b = a["identity_axes"]["axes"][axis], b["identity_axes"]["axes"][axis]
        docs_a, docs_b = a["identity_axes"]["documents"], b["identity_axes"]["documents"]
        moved = []
        for term in sorted(set(axis_a["terms"]) | set(axis_b["terms"])):
            share_a = axis_a["terms"].get(term, 0) / docs_a if docs_a else 0.0
            share_b = axis_b["terms"].get(term, 0) / docs_b if docs_b else 0.0
            moved.append({"term": term, "a": share_a, "b": share_b, "change": share_b - share_a})
        moved.sort(key=lambda row: (-abs(row["change"]), row["term"]))
        identities[axis] = {
            **_change(axis_a["share_documents"], axis_b["share_documents"]),
            "terms_moved_most": moved[:top],
        }
    tox_a, tox_b = a.get("toxicity") or {}, b.get("toxicity") or {}
    toxicity = {key: _change(tox_a.get(key), tox_b.get(key)) for key in ("share_at_or_above_0_5", "mean")}
    lang_a, lang_b = a.get("languages") or {}, b.get("languages") or {}
    codes = sorted(set(lang_a) | set(lang_b), key=lambda code: (-max(lang_a.get(code, 0), lang_b.get(code, 0)), code))
    languages = {code: _change(lang_a.get(code, 0.0), lang_b.get(code, 0.0)) for code in codes}
    pd_a, pd_b = a.get("personal_data") or {}, b.get("personal_data") or {}
    return {
        "pronouns": pronouns,
        "identities": identities,
        "toxicity": toxicity,
        "languages": languages,
        "personal_data": {
            "spans_per_1k_words": _change(pd_a.get("spans_per_1k_words"), pd_b.get("spans_per_1k_words"))
        },
    }

"""Mergeable, vectorised building blocks of the statistics: text measures, histograms, keyed sums.

Length distributions are kept in a fixed log-spaced histogram (`LogHistogram`): bin edges are
``floor(10 ** (k / 100))`` for ``k = 0 .. 1000`` with duplicates removed, plus a bin for 0. Values
below 44 get one bin each, so their percentiles are exact; above, a bin spans at most 2.33% of its
lower edge. Percentiles interpolate between order statistics like `numpy.percentile`; each
order statistic is estimated inside its bin, so a percentile is within 2.4% of the exact value.
Histograms of two batches add, so the state never grows with the corpus and results do not
depend on batch boundaries.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

PERCENTILES = (1, 5, 10, 25, 50, 75, 90, 95, 99)
_FINE_EDGES = np.concatenate(([0], np.unique(np.floor(np.logspace(0, 10, 1001)).astype(np.int64))))
"""Lower edges of the histogram bins; the last bin is open above."""
_COARSE_PER_DECADE = 10

# Three-byte UTF-8 sequences of characters Python's `str.isspace()` accepts, indexed by
# ((lead - 0xE1) << 16 | second << 8 | third); the two-byte ones are C2 85 and C2 A0.
_THREE_BYTE_SPACES = np.zeros(3 << 16, dtype=bool)
for _lead, _second, _third in [(0xE1, 0x9A, 0x80), (0xE2, 0x81, 0x9F), (0xE3, 0x80, 0x80)] + [
    (0xE2, 0x80, third) for third in (*range(0x80, 0x8B), 0xA8, 0xA9, 0xAF)
]:
    _THREE_BYTE_SPACES[((_lead - 0xE1) << 16) | (_second << 8) | _third] = True


_CHUNK_BYTES = 1 << 18
"""Bytes measured at a time: small enough that the temporaries stay in the CPU cache."""


def _string_buffers(array: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """(offsets rebased to 0, UTF-8 bytes) of a string array, without copying the bytes."""
    offset_type: type[np.int32] | type[np.int64]
    if pa.types.is_large_string(array.type):
        offset_type = np.int64
    elif pa.types.is_string(array.type):
        offset_type = np.int32
    else:
        array = array.cast(pa.large_string())
        offset_type = np.int64
    _, offsets_buffer, data_buffer = array.buffers()
    offsets = np.frombuffer(offsets_buffer, dtype=offset_type)[array.offset : array.offset + len(array) + 1]
    data = np.frombuffer(data_buffer, dtype=np.uint8) if data_buffer is not None else np.empty(0, np.uint8)
    data = data[offsets[0] : offsets[-1]]
    return (offsets - offsets[0]).astype(np.int64), data


def _whitespace_mask(data: np.ndarray) -> np.ndarray:
    """True on every byte of a whitespace character (Python's `str.isspace()` set)."""
    mask = data == 32
    mask |= (data - np.uint8(9)) <= 4  # \t \n \v \f \r (uint8 arithmetic wraps below 9)
    mask |= (data - np.uint8(28)) <= 3  # \x1c-\x1f
    two = np.flatnonzero(data[:-1] == 0xC2)
    if two.size:
        second = data[two + 1]
        hits = two[(second == 0x85) | (second == 0xA0)]
        mask[hits] = mask[hits + 1] = True
    three = np.flatnonzero((data[:-2] - np.uint8(0xE1)) <= 2)
    if three.size:
        code = ((data[three].astype(np.int32) - 0xE1) << 16) | (data[three + 1].astype(np.int32) << 8) | data[three + 2]
        hits = three[_THREE_BYTE_SPACES[code]]
        mask[hits] = mask[hits + 1] = mask[hits + 2] = True
    return mask


def word_counts(text: pa.Array) -> np.ndarray:
    """Words per row: maximal runs of non-whitespace, as Python's `len(text.split())` (null: 0).

    Vectorised over the UTF-8 bytes, in cache-sized chunks: a word starts at a non-space byte
    that follows a space (or opens a row); starts are counted per row by binary search.
    """
    if isinstance(text, pa.ChunkedArray):
        text = text.combine_chunks()
    offsets, data = _string_buffers(text)
    if data.size == 0:
        return np.zeros(len(text), np.int64)
    space = np.empty(data.size, dtype=bool)
    positions = []
    for begin in range(0, data.size, _CHUNK_BYTES):
        end = min(begin + _CHUNK_BYTES, data.size)
        # Two bytes of context on each side, for three-byte spaces cut by the chunk's edges.
        low, high = max(begin - 2, 0), min(end + 2, data.size)
        chunk_space = _whitespace_mask(data[low:high])[begin - low : end - low]
        space[begin:end] = chunk_space
        starts = ~chunk_space
        starts[1:] &= chunk_space[:-1]
        if begin:
            starts[0] &= space[begin - 1]
        positions.append(np.flatnonzero(starts) + begin)
    counts = np.diff(np.searchsorted(np.concatenate(positions), offsets))
    # A row opening with a non-space right after a row that ended with one starts a word too.
    row_starts = offsets[:-1]
    opens = (row_starts > 0) & (row_starts < offsets[1:])
    candidates = row_starts[opens]
    missed = ~space[candidates] & ~space[candidates - 1]
    counts[np.flatnonzero(opens)[missed]] += 1
    return counts.astype(np.int64)


def text_measures(text: pa.Array) -> dict[str, np.ndarray]:
    """UTF-8 bytes, characters and words of every row (nulls count as empty)."""
    text = text.combine_chunks() if isinstance(text, pa.ChunkedArray) else text
    return {
        "bytes": _as_int64(pc.binary_length(text)),
        "characters": _as_int64(pc.utf8_length(text)),
        "words": word_counts(text),
    }


def _as_int64(array: pa.Array) -> np.ndarray:
    return pc.fill_null(array, 0).cast(pa.int64()).to_numpy(zero_copy_only=False)


@dataclass
class LogHistogram:
    """Counts of non-negative integers in fixed log-spaced bins, with exact count, sum, min, max."""

    counts: np.ndarray = field(default_factory=lambda: np.zeros(len(_FINE_EDGES), np.int64))
    count: int = 0
    total: int = 0
    minimum: int | None = None
    maximum: int | None = None

    def add(self, values: np.ndarray) -> None:
        """Add a batch of values (negative values are clipped to 0)."""
        if values.size == 0:
            return
        values = np.clip(values.astype(np.int64, copy=False), 0, None)
        bins = np.searchsorted(_FINE_EDGES, values, side="right") - 1
        self.counts += np.bincount(bins, minlength=len(_FINE_EDGES))
        self.count += int(values.size)
        self.total += int(values.sum())
        low, high = int(values.min()), int(values.max())
        self.minimum = low if self.minimum is None else min(self.minimum, low)
        self.maximum = high if self.maximum is None else max(self.maximum, high)

    def merge(self, other: LogHistogram) -> None:
        """Add another histogram's counts into this one."""
        self.counts += other.counts
        self.count += other.count
        self.total += other.total
        for value in (other.minimum, other.maximum):
            if value is not None:
                self.minimum = value if self.minimum is None else min(self.minimum, value)
                self.maximum = value if self.maximum is None else max(self.maximum, value)

    def percentile(self, q: float) -> float:
        """The q-th percentile (0-100), interpolated between order statistics as `numpy.percentile` does.

        Each order statistic is placed inside its bin by its rank there, so it is off by less than
        the bin's width; the percentile is off by less than 2.4% of its exact value.
        """
        if self.count == 0:
            return float("nan")
        cumulative = np.cumsum(self.counts)
        rank = q / 100 * (self.count - 1)
        low = int(np.floor(rank))
        high = min(low + 1, self.count - 1)
        below, above = self._order_statistic(low, cumulative), self._order_statistic(high, cumulative)
        return float(below + (rank - low) * (above - below))

    def _order_statistic(self, k: int, cumulative: np.ndarray) -> float:
        """The estimated k-th smallest value (0-based)."""
        if self.minimum is None or self.maximum is None:
            raise ValueError("an empty histogram has no order statistics")
        index = int(np.searchsorted(cumulative, k, side="right"))
        before = int(cumulative[index - 1]) if index else 0
        lower = max(float(_FINE_EDGES[index]), float(self.minimum))
        upper = float(_FINE_EDGES[index + 1]) - 1 if index + 1 < len(_FINE_EDGES) else float(self.maximum)
        upper = min(upper, float(self.maximum))
        return lower + (k - before + 0.5) / int(self.counts[index]) * max(upper - lower, 0.0)

    def coarse(self) -> dict[str, list[int]]:
        """Bins of 10 per decade, from the first to the last non-empty one: `lower`, `upper` (exclusive), `counts`."""
        coarse_edges = np.unique(np.floor(np.logspace(0, 10, 10 * _COARSE_PER_DECADE + 1)).astype(np.int64))
        coarse_edges = np.concatenate(([0], coarse_edges))
        target = np.searchsorted(coarse_edges, _FINE_EDGES, side="right") - 1
        sums = np.bincount(target, weights=self.counts, minlength=len(coarse_edges)).astype(np.int64)
        uppers = np.append(coarse_edges[1:], np.iinfo(np.int64).max)
        filled = np.flatnonzero(sums)
        keep = np.arange(filled[0], filled[-1] + 1) if filled.size else filled
        return {
            "lower": coarse_edges[keep].tolist(),
            "upper": uppers[keep].tolist(),
            "counts": sums[keep].tolist(),
        }

    def summary(self) -> dict:
        """The JSON form: count, sum, min, max, mean, percentiles `p1`..`p99` and a coarse histogram."""
        return {
            "count": self.count,
            "sum": self.total,
            "min": self.minimum,
            "max": self.maximum,
            "mean": self.total / self.count if self.count else None,
            "percentiles": {f"p{q}": round(self.percentile(q), 1) if self.count else None for q in PERCENTILES},
            "histogram": self.coarse(),
        }


class KeyedSums:
    """Documents and summed values per key (one or more columns), aggregated in Arrow.

    Batches are grouped as they arrive; partial groups are merged when they hold more than
    `compact_rows` rows and twice the keys merged so far.
    When more than `max_keys` keys remain, only the `max_keys` largest by documents are kept and
    `exact` becomes False (counts of the keys kept stay lower bounds).
    """

    def __init__(
        self, keys: Sequence[str], values: Sequence[str] = (), max_keys: int = 2_000_000, compact_rows: int = 262_144
    ):
        self.keys, self.values = list(keys), list(values)
        self.max_keys = max_keys
        self.exact = True
        self._parts: list[pa.Table] = []
        self._pending_rows = 0
        self._min_compact_rows = self._compact_rows = compact_rows

    def add(self, table: pa.Table) -> None:
        """Group a batch holding the key and value columns."""
        if table.num_rows == 0:
            return
        grouped = table.group_by(self.keys, use_threads=False).aggregate(
            [([], "count_all")] + [(value, "sum") for value in self.values]
        )
        self._append(self._named(grouped, "count_all"))

    def _named(self, grouped: pa.Table, documents: str) -> pa.Table:
        """The aggregate's columns as keys, `documents`, values (names differ across pyarrow versions)."""
        columns = {key: grouped.column(key) for key in self.keys}
        columns["documents"] = grouped.column(documents)
        columns.update({value: grouped.column(f"{value}_sum") for value in self.values})
        return pa.table(columns)

    def _append(self, grouped: pa.Table) -> None:
        self._parts.append(grouped)
        self._pending_rows += grouped.num_rows
        if self._pending_rows > self._compact_rows:
            self._compact()

    def _compact(self) -> pa.Table:
        if not self._parts:
            schema_fields = [pa.field(key, pa.string()) for key in self.keys]
            schema_fields += [pa.field(name, pa.int64()) for name in ("documents", *self.values)]
            return pa.table({f.name: pa.array([], f.type) for f in schema_fields})
        merged = pa.concat_tables(self._parts, promote_options="permissive")
        if len(self._parts) > 1:
            merged = merged.group_by(self.keys, use_threads=False).aggregate(
                [(name, "sum") for name in ("documents", *self.values)]
            )
            merged = self._named(merged, "documents_sum")
        if merged.num_rows > self.max_keys:
            self.exact = False
            merged = merged.sort_by([("documents", "descending")]).slice(0, self.max_keys)
        self._parts, self._pending_rows = [merged], merged.num_rows
        # Merge again once the partial groups outnumber the merged ones: memory stays within
        # about three times the key table, and each row is re-aggregated a bounded number of times.
        self._compact_rows = max(2 * merged.num_rows, self._min_compact_rows)
        return merged

    def table(self) -> pa.Table:
        """Every key with `documents` and the summed values."""
        return self._compact()

    def top(self, n: int, by: str = "documents") -> list[dict]:
        """The `n` largest keys by a column (ties by key), as rows."""
        table = self.table()
        order = [(by, "descending")] + [(key, "ascending") for key in self.keys]
        return table.sort_by(order).slice(0, n).to_pylist()

    def merge(self, other: KeyedSums) -> None:
        """Add another accumulator's groups into this one."""
        self.exact = self.exact and other.exact
        self._append(other.table())

"""The vectorised measures behind `curation stats`: word counts, histograms, keyed sums, the reservoir."""

from __future__ import annotations

from unittest.mock import patch

import numpy as np
import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from curation.stats import measures
from curation.stats.measures import KeyedSums, LogHistogram, word_counts
from curation.stats.scan import Reservoir

SPACES = " \t\n\r\x0b\x0c\x1c\x1f\x85\xa0\u1680\u2000\u2007\u200a\u2028\u2029\u202f\u205f\u3000\u200b"
texts = st.lists(st.one_of(st.none(), st.text(alphabet=st.sampled_from(list(SPACES) + list("ab日é🙂")))), max_size=30)


@settings(max_examples=200, deadline=None)
@given(texts, st.integers(0, 5))
def test_word_counts_match_python_split(values, offset):
    array = pa.array(values, pa.string()).slice(min(offset, len(values)))
    expected = [len(v.split()) if v is not None else 0 for v in values[min(offset, len(values)) :]]
    assert word_counts(array).tolist() == expected
    assert word_counts(array.cast(pa.large_string())).tolist() == expected
    with patch.object(measures, "_CHUNK_BYTES", 3):  # words and spaces cut by chunk edges
        assert word_counts(array).tolist() == expected


def test_histogram_percentiles_within_one_bin():
    values = np.random.default_rng(1).lognormal(6, 2, 50_000).astype(np.int64)
    histogram = LogHistogram()
    for chunk in np.array_split(values, 7):
        histogram.add(chunk)
    for q in (1, 5, 10, 25, 50, 75, 90, 95, 99):
        exact = float(np.percentile(values, q))
        assert abs(histogram.percentile(q) - exact) <= max(0.024 * exact, 1.0), q
    small = LogHistogram()
    small.add(np.arange(44))
    assert [small.percentile(q) for q in (0, 50, 100)] == [0.0, 21.5, 43.0]


def test_histogram_merge_is_independent_of_batches():
    values = np.random.default_rng(2).integers(0, 10**7, 10_000)
    whole, parts = LogHistogram(), LogHistogram()
    whole.add(values)
    for chunk in np.array_split(values, 13):
        part = LogHistogram()
        part.add(chunk)
        parts.merge(part)
    assert whole.summary() == parts.summary()
    assert sum(whole.coarse()["counts"]) == len(values)


def test_keyed_sums_across_batches_and_cap():
    sums = KeyedSums(["domain"], ["tokens"], compact_rows=60)  # merges many times on the way
    rng = np.random.default_rng(3)
    keys = rng.integers(0, 50, 5_000)
    tokens = rng.integers(0, 100, 5_000)
    for start in range(0, 5_000, 700):
        chunk = slice(start, start + 700)
        sums.add(pa.table({"domain": [f"d{k}" for k in keys[chunk]], "tokens": tokens[chunk]}))
    got = {row["domain"]: (row["documents"], row["tokens"]) for row in sums.table().to_pylist()}
    expected = {f"d{k}": (int((keys == k).sum()), int(tokens[keys == k].sum())) for k in np.unique(keys)}
    assert got == expected and sums.exact
    capped = KeyedSums(["domain"], max_keys=3)
    capped.add(pa.table({"domain": ["a"] * 5 + ["b"] * 4 + ["c"] * 3 + ["d"] * 2 + ["e"]}))
    assert [row["domain"] for row in capped.top(10)] == ["a", "b", "c"] and not capped.exact


def test_reservoir_is_uniform_and_deterministic():
    batches = [pa.record_batch({"id": list(range(start, start + 4))}) for start in (0, 4, 8)]
    counts = np.zeros(12, int)
    for seed in range(2_400):
        reservoir = Reservoir(2, seed)
        for batch in batches:
            reservoir.add(batch)
        chosen = [row["id"] for row in reservoir.rows()]
        assert len(set(chosen)) == 2
        counts[chosen] += 1
    assert counts.min() > 300 and counts.max() < 500  # 400 expected for each id
    again = Reservoir(2, 7)
    for batch in batches:
        again.add(batch)
    first = Reservoir(2, 7)
    for batch in batches:
        first.add(batch)
    assert again.rows() == first.rows()

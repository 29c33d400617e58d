"""Output shards sized by tokens: a global order by id hash, cut every `tokens_per_shard` tokens.

Only small (key, tokens) records are grouped to find where each shard starts; the documents
themselves are shuffled once, to a sorted run of their shard, and each shard is its runs
concatenated. The same input and config give the same shards.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator

import apache_beam as beam
from apache_beam.pvalue import PCollection

from beam_jobs.write import ROW_BYTES, WriteSortedParts
from curation.catalog import SHARDS
from curation.document import Document
from curation.shards import (
    BUCKETS_PER_SHARD,
    RUN_BYTES,
    bucket_of,
    bucket_offsets,
    first_keys_by_shard,
    order_key,
    part_count,
)


class _ShardStarts(beam.DoFn):
    def process(self, element, offsets: dict[int, int], tokens_per_shard: int) -> Iterator[tuple[int, tuple]]:
        bucket, entries = element
        yield from first_keys_by_shard(list(entries), offsets[bucket], tokens_per_shard).items()


def _shard_index(first_keys: list[tuple], key: tuple) -> int:
    return bisect.bisect_right(first_keys, key) - 1


class WriteShards(beam.PTransform):
    """Write documents as Parquet shards of about `tokens_per_shard` tokens under `data/`.

    Documents are ordered by a hash of their id (salted with `shuffle_seed`); a document goes
    to shard `floor(tokens before it / tokens_per_shard)`. A shard is written as sorted runs of
    about `run_bytes` each, then concatenated, so no worker gathers a whole shard. The output is
    each shard's `PartInfo`.
    """

    def __init__(
        self,
        output_dir: str,
        tokens_per_shard: int,
        row_group_size: int,
        shuffle_seed: int | None = None,
        run_bytes: int = RUN_BYTES,
    ):
        super().__init__()
        self._output_dir = output_dir
        self._tokens_per_shard = tokens_per_shard
        self._row_group_size = row_group_size
        self._seed = shuffle_seed
        self._run_bytes = run_bytes

    def expand(self, docs: PCollection[Document]) -> PCollection:
        seed, per_shard = self._seed, self._tokens_per_shard
        keyed = docs | "OrderKey" >> beam.Map(lambda doc: (order_key(doc.id, seed), doc))
        buckets = beam.pvalue.AsSingleton(
            keyed
            | "Tokens" >> beam.Map(lambda item: item[1].token_count)
            | "TotalTokens" >> beam.CombineGlobally(sum)
            | "BucketCount" >> beam.Map(lambda total: BUCKETS_PER_SHARD * part_count(total, per_shard))
        )
        entries = keyed | "Bucket" >> beam.Map(
            lambda item, n: (bucket_of(item[0], n), (item[0], item[1].token_count)), buckets
        )
        offsets = beam.pvalue.AsSingleton(
            entries
            | "BucketTokens" >> beam.Map(lambda entry: (entry[0], entry[1][1]))
            | "SumPerBucket" >> beam.CombinePerKey(sum)
            | "AllBuckets" >> beam.combiners.ToDict()
            | "Offsets" >> beam.Map(bucket_offsets)
        )
        start_keys = (
            entries
            | "GroupBuckets" >> beam.GroupByKey()
            | "ShardStarts" >> beam.ParDo(_ShardStarts(), offsets, per_shard)
            | "FirstKeyPerShard" >> beam.CombinePerKey(min)
            | "SortedStarts" >> beam.combiners.ToList()
            | "StartKeys" >> beam.Map(lambda starts: [key for _, key in sorted(starts)])
        )
        first_keys = beam.pvalue.AsSingleton(start_keys)
        shard_count = beam.pvalue.AsSingleton(start_keys | "ShardCount" >> beam.Map(len))
        return (
            keyed
            | "AssignShard"
            >> beam.Map(
                lambda item, firsts: (
                    _shard_index(firsts, item[0]),
                    item[0],
                    ROW_BYTES + len(item[1].text),
                    item[1].token_count,
                    item[1].to_row(),
                ),
                first_keys,
            )
            | "Write"
            >> WriteSortedParts(
                self._output_dir, SHARDS.name, SHARDS.schema, shard_count, self._row_group_size, self._run_bytes
            )
        )

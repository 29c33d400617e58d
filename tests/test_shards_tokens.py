"""Token counting and the shard planning functions, without Beam."""

import pytest

from curation.shards import bucket_of, bucket_offsets, first_keys_by_shard, order_key, part_count
from curation.tokens import TokenCounter, TokenizerError, token_counter


def test_tiktoken_encodings_load_offline_and_count():
    counter = token_counter("o200k_base")
    assert counter.count("Hello world") == 2
    assert counter.count_batch(["Hello world", "", "<|endoftext|>"]) == [2, 0, counter.count("<|endoftext|>")]
    assert counter.count("<|endoftext|>") > 1  # special tokens are ordinary text here
    assert token_counter("cl100k_base").identity["library"] == "tiktoken"


def test_unknown_or_missing_tokenizer_is_a_clear_error(tmp_path):
    with pytest.raises(TokenizerError, match="unknown tokenizer 'gpt9'"):
        TokenCounter("gpt9")
    with pytest.raises(TokenizerError, match="tokenizer file not found"):
        TokenCounter(str(tmp_path / "missing" / "tokenizer.json"))
    bad = tmp_path / "tokenizer.json"
    bad.write_text("{not a tokenizer")
    with pytest.raises(TokenizerError, match=r"not a usable tokenizer\.json"):
        TokenCounter(str(bad))


def test_hugging_face_tokenizer_json(tmp_path):
    from tokenizers import Tokenizer
    from tokenizers.models import WordLevel
    from tokenizers.pre_tokenizers import Whitespace

    tokenizer = Tokenizer(WordLevel({"[UNK]": 0, "hello": 1, "world": 2}, unk_token="[UNK]"))
    tokenizer.pre_tokenizer = Whitespace()
    path = tmp_path / "tokenizer.json"
    tokenizer.save(str(path))
    counter = TokenCounter(str(path))
    assert counter.count_batch(["hello world", "hello there big world"]) == [2, 4]
    assert counter.identity["library"] == "tokenizers" and len(counter.identity["sha256"]) == 64


def test_order_keys_are_stable_and_seeded():
    assert order_key("doc-1") == order_key("doc-1")
    assert order_key("doc-1", 5) != order_key("doc-1")
    assert order_key("doc-1")[1] == "doc-1"


def test_buckets_are_ranges_of_the_order():
    keys = sorted(order_key(f"d{i}") for i in range(1000))
    buckets = [bucket_of(key, 8) for key in keys]
    assert buckets == sorted(buckets) and set(buckets) == set(range(8))


def test_first_keys_cut_every_budget():
    entries = [((i, f"d{i}"), 10) for i in range(10)]  # ten documents of ten tokens
    assert first_keys_by_shard(entries, offset=0, tokens_per_shard=30) == {
        0: (0, "d0"),
        1: (3, "d3"),
        2: (6, "d6"),
        3: (9, "d9"),
    }
    # the same documents in a later bucket: positions continue from the offset
    assert first_keys_by_shard(entries[:2], offset=25, tokens_per_shard=30) == {0: (0, "d0"), 1: (1, "d1")}


def test_bucket_offsets_and_part_count():
    assert bucket_offsets({2: 5, 0: 3, 7: 1}) == {0: 0, 2: 3, 7: 8}
    assert part_count(0, 10) == 1 and part_count(10, 10) == 1 and part_count(11, 10) == 2

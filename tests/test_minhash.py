"""MinHash signatures against datasketch, shingling, LSH parameters and connected components."""

import random
import unicodedata

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from curation.dedup import (
    MinHasher,
    band_hashes,
    lsh_params,
    normalize_for_shingles,
    optimal_param,
    shingle_hash32,
    shingle_hash64,
)
from curation.dedup.components import (
    bucket_pairs,
    cluster_id,
    connected_components,
    estimated_jaccard,
    exact_jaccard,
    id_hash,
    large_star,
    node_id,
    node_key,
    small_star,
    union_find_components,
)

try:
    import datasketch
except ImportError:  # the bit-identity checks need it: `pip install -e '.[test]'` brings it
    datasketch = None

needs_datasketch = pytest.mark.skipif(datasketch is None, reason="datasketch 2.0 is not installed")

ODD_CHARS = (
    "\u00e9\u00ad\u200d\u200b\u2014\u201c\u201d\u2019\u4e2d\u6587\u5b57\u3042\u30ab\u0e01\u0e32\u0915\u093f\u0301"
    "\ufb01\u00b2\u2163\u0130\u1e9e\u00df\u0660\uff21\uff0c\u3002\u00a0\u3000\t\n\r\x00\x1f\x7f\u0085\ud800"
    "\U0001f600\U0001f1e6\U00020000\ue000\u0378\u05d0\u0627\u064b\u0410\u0439"
)


def random_text(rng: random.Random, length: int) -> str:
    pieces = []
    for _ in range(length):
        r = rng.random()
        if r < 0.45:
            pieces.append(rng.choice("abcdefgh"))
        elif r < 0.65:
            pieces.append(" ")
        elif r < 0.8:
            pieces.append(rng.choice(".,;:!?-_'\"()[]/&%$#@*+=<>|~`^"))
        else:
            pieces.append(rng.choice(ODD_CHARS))
    return "".join(pieces)


def reference(hasher: MinHasher, text: str, language=None, per_shingle: bool = False) -> np.ndarray:
    minhash = datasketch.MinHash(
        num_perm=hasher.num_perm, seed=hasher.seed, hashfunc=hasher.hashfunc, scheme=hasher.scheme
    )
    shingles = sorted(hasher.shingles(text, language))
    if per_shingle:
        for shingle in shingles:
            minhash.update(shingle)
    else:
        minhash.update_batch(shingles)
    return minhash.hashvalues


@needs_datasketch
@pytest.mark.parametrize("scheme", ["affine32", "affine64", "legacy"])
def test_signatures_bit_identical_to_datasketch_on_random_texts(scheme):
    rng = random.Random(scheme)
    hasher = MinHasher(num_perm=64, ngram_size=3, seed=7, scheme=scheme)
    texts = [random_text(rng, rng.choice([0, 1, 2, 5, 12, 40, 200, 1500])) for _ in range(300)]
    texts += [
        "",
        " ",
        "!!!",
        "a",
        "a b",
        "one two three",
        "\u00ad",
        "中",
        "中文",
        "\uff21\uff22\uff23 \uff44\uff45\uff46",
    ]
    languages = [rng.choice([None, None, None, "en", "zh", "ja-JP", "th", "und", "de_DE"]) for _ in texts]
    signatures = hasher.signatures(texts, languages)
    assert signatures.shape == (len(texts), 64)
    assert signatures.dtype == (np.uint32 if scheme == "affine32" else np.uint64)
    for i, (text, language) in enumerate(zip(texts, languages, strict=True)):
        expected = reference(hasher, text, language, per_shingle=i % 10 == 0)
        assert expected.dtype == signatures.dtype
        assert np.array_equal(signatures[i], expected), (text, language)


@needs_datasketch
def test_default_hasher_matches_datasketch_defaults_and_loads_into_lean_minhash_and_lsh():
    hasher = MinHasher()
    assert (hasher.num_perm, hasher.ngram_size, hasher.seed, hasher.scheme) == (128, 5, 1, "affine32")
    rng = random.Random(0)
    words = [f"w{i}" for i in range(300)]
    base = [rng.choice(words) for _ in range(400)]
    edited = list(base)
    for _ in range(4):
        edited[rng.randrange(len(edited))] = "changed"
    texts = [" ".join(base), " ".join(edited), " ".join(rng.choice(words) for _ in range(400))]
    signatures = hasher.signatures(texts)
    lsh = datasketch.MinHashLSH(threshold=0.8, num_perm=128)
    for i, text in enumerate(texts):
        minhash = datasketch.MinHash(num_perm=128, hashfunc=hasher.hashfunc)  # datasketch's defaults otherwise
        minhash.update_batch(hasher.shingles(text))
        assert np.array_equal(minhash.hashvalues, signatures[i])
        lean = datasketch.LeanMinHash(seed=1, hashvalues=signatures[i], scheme=hasher.scheme)
        assert lean.jaccard(datasketch.LeanMinHash(minhash)) == 1.0
        lsh.insert(str(i), lean)
    query = datasketch.LeanMinHash(seed=1, hashvalues=signatures[0], scheme="affine32")
    assert sorted(lsh.query(query)) == ["0", "1"]


@needs_datasketch
@settings(max_examples=150, deadline=None)
@given(st.lists(st.text(max_size=60), min_size=1, max_size=6), st.integers(1, 4))
def test_any_unicode_text_matches_datasketch(texts, ngram_size):
    hasher = MinHasher(num_perm=16, ngram_size=ngram_size)
    signatures, hashes = hasher.signatures_and_shingle_hashes(texts)
    for text, signature, distinct in zip(texts, signatures, hashes, strict=True):
        assert np.array_equal(signature, reference(hasher, text))
        expected = sorted({shingle_hash64(s) for s in hasher.shingles(text)})
        assert distinct.tolist() == expected


def test_single_signature_equals_batch_and_batches_are_independent():
    hasher = MinHasher(num_perm=32)
    hasher.CHUNK_BYTES = 64  # many chunks
    texts = [f"document number {i} " + "word " * (i % 17) + "end" for i in range(40)]
    batch = hasher.signatures(texts)
    for text, row in zip(texts, batch, strict=True):
        assert np.array_equal(hasher.signature(text), row)
    assert np.array_equal(MinHasher(num_perm=32).signatures(texts[::-1])[::-1], batch)


@needs_datasketch
def test_documents_straddling_permutation_blocks():
    hasher = MinHasher(num_perm=128, ngram_size=1)
    hasher.CHUNK_ELEMENTS = 256 * 128  # 256 shingles per block
    texts = [" ".join(f"w{i}x{j}" for j in range(n)) for i, n in enumerate([256, 256, 1, 255, 2, 600, 0, 3, 1000])]
    signatures = hasher.signatures(texts)
    for text, row in zip(texts, signatures, strict=True):
        assert np.array_equal(row, reference(hasher, text))


def test_normalization_folds_case_punctuation_width_and_format_characters():
    assert normalize_for_shingles("  Hello,   WORLD!! ") == "hello world"
    assert normalize_for_shingles("\ufb01ne \uff21\uff22\uff23 co\u00adop\u200bera\u200dtion") == "fine abc cooperation"
    assert normalize_for_shingles("don't — stop…now_ok") == "don t stop now ok"
    assert normalize_for_shingles("e\u0301l\u00e8ve") == unicodedata.normalize("NFKC", "e\u0301l\u00e8ve")
    assert normalize_for_shingles("!!! ...") == ""


def test_ascii_word_characters_are_letters_and_digits():
    for code in range(128):
        expected = f"a{chr(code)}b".lower() if chr(code).isalnum() else "a b"
        assert normalize_for_shingles(f"a{chr(code)}b") == expected


def test_word_and_character_shingles():
    hasher = MinHasher(ngram_size=3)
    assert hasher.shingles("") == set()
    assert hasher.shingles("One, two!") == {"one two"}  # fewer words than n: one shingle of all
    assert hasher.shingles("a b c d") == {"a b c", "b c d"}
    assert hasher.shingles("中文文本\uff0c没有空格") == {"中文文", "文文本", "文本没", "本没有", "没有空", "有空格"}
    assert hasher.char_mode("日本語のテキストです")
    assert not hasher.char_mode("plain english words")
    # The document's language decides when it is set.
    assert hasher.shingles("ab cd", language="zh") == {"abc", "bcd"}
    assert hasher.shingles("中文 文本", language="en") == {"中文 文本"}
    assert hasher.shingles("中文 文本", language="zh-Hans") == {"中文文", "文文本"}
    assert hasher.shingles("中文 文本", language="und") == {"中文文", "文文本"}


def test_hashfunc_is_the_vectorised_shingle_hash():
    hasher = MinHasher(ngram_size=2)
    text = "Alpha beta, GAMMA delta 中文"
    shingles = hasher.shingles(text)
    assert hasher.shingle_hashes([text])[0].tolist() == sorted(shingle_hash64(s) for s in shingles)
    assert hasher.hashfunc is shingle_hash32
    assert MinHasher(scheme="affine64").hashfunc is shingle_hash64
    assert all(0 <= shingle_hash32(s) < 2**32 for s in shingles)


def test_hasher_pickles_and_rejects_bad_arguments():
    import pickle

    hasher = MinHasher(num_perm=8)
    hasher.signature("warm up the powers " * 20)
    clone = pickle.loads(pickle.dumps(hasher))
    assert np.array_equal(clone.signature("some words here ok"), hasher.signature("some words here ok"))
    with pytest.raises(ValueError):
        MinHasher(scheme="nope")
    with pytest.raises(ValueError):
        MinHasher(num_perm=0)
    with pytest.raises(ValueError):
        hasher.signatures(["a"], ["en", "de"])


@needs_datasketch
@pytest.mark.parametrize("num_perm", [16, 64, 128, 256])
def test_lsh_params_match_datasketch(num_perm):
    from datasketch.lsh import _optimal_param

    for threshold in (0.3, 0.5, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95):
        assert optimal_param(threshold, num_perm) == _optimal_param(threshold, num_perm, 0.5, 0.5)
    assert optimal_param(0.8, num_perm, 0.3, 0.7) == _optimal_param(0.8, num_perm, 0.3, 0.7)
    lsh = datasketch.MinHashLSH(threshold=0.8, num_perm=num_perm)
    assert lsh_params(num_perm, 0.8) == (lsh.b, lsh.r)


def test_lsh_params_explicit_and_invalid():
    assert lsh_params(128, 0.8, bands=16, rows=8) == (16, 8)
    with pytest.raises(ValueError):
        lsh_params(128, 0.8, bands=16)
    with pytest.raises(ValueError):
        lsh_params(128, 0.8, bands=20, rows=8)


def test_band_hashes_equal_exactly_when_bands_equal():
    rng = np.random.default_rng(0)
    signatures = rng.integers(0, 2**32, (5, 12), dtype=np.uint64).astype(np.uint32)
    signatures[1, :4] = signatures[0, :4]  # band 0 shared
    signatures[2, 8:] = signatures[0, 8:]  # band 2 shared
    hashes = band_hashes(signatures, 3, 4)
    assert hashes.shape == (5, 3) and hashes.dtype == np.uint64
    assert hashes[1, 0] == hashes[0, 0] and hashes[1, 1] != hashes[0, 1]
    assert hashes[2, 2] == hashes[0, 2] and hashes[2, 0] != hashes[0, 0]
    assert len(set(hashes[:, 0].tolist())) == 4


def test_similarities():
    hasher = MinHasher(num_perm=256, ngram_size=1)
    a = " ".join(f"t{i}" for i in range(100))
    b = " ".join(f"t{i}" for i in range(20, 120))  # exact Jaccard 80 / 120
    (sa, sb), (ha, hb) = hasher.signatures_and_shingle_hashes([a, b])
    assert exact_jaccard(ha, hb) == pytest.approx(80 / 120)
    assert exact_jaccard(ha.tobytes(), hb.tobytes()) == pytest.approx(80 / 120)
    assert abs(estimated_jaccard(sa.tobytes(), sb.tobytes()) - 80 / 120) < 0.1
    assert estimated_jaccard(sa, sa) == 1.0


def test_node_keys_sort_by_keep_rule():
    ids = ["b", "a", "c"]
    by_hash = sorted(ids, key=lambda i: node_key(i, "smallest_id_hash"))
    assert by_hash == sorted(ids, key=id_hash)
    lengths = {"a": 5, "b": 9, "c": 9}
    assert [node_id(n) for n in sorted(node_key(i, "longest", lengths[i]) for i in ids)] == ["b", "c", "a"]
    order = {"a": "f2\x1f000001", "b": "f1\x1f000009", "c": "f1\x1f000010"}
    assert [node_id(n) for n in sorted(node_key(i, "first", 0, order[i]) for i in ids)] == ["b", "c", "a"]
    assert node_id(node_key("x\x00y", "first", 0, "")) == "x\x00y"
    assert cluster_id("n1") == cluster_id("n1") != cluster_id("n2")
    with pytest.raises(ValueError):
        node_key("a", "random")


def test_bucket_pairs():
    assert bucket_pairs(["c", "a", "b", "a"], all_pairs=False) == [("a", "b"), ("a", "c")]
    assert bucket_pairs(["c", "a", "b"], all_pairs=True) == [("a", "b"), ("a", "c"), ("b", "c")]
    assert bucket_pairs(["a"], all_pairs=True) == []
    many = [f"n{i:02d}" for i in range(30)]
    pairs = bucket_pairs(many, all_pairs=True)
    assert len(pairs) == 29 + 28 and all(a < b for a, b in pairs)


def test_star_steps():
    # Large-star: links larger neighbours to the smallest around the node.
    edges, unsettled = large_star("c", ["b", "d", "e", "d"])
    assert sorted(edges) == [("d", "b"), ("e", "b")] and unsettled
    edges, unsettled = large_star("a", ["b", "c"])
    assert sorted(edges) == [("b", "a"), ("c", "a")] and not unsettled
    assert large_star("b", ["a"]) == ([], False)
    # Small-star: the node and its smaller neighbours to the smallest of them.
    assert sorted(small_star("d", ["b", "c"])) == [("c", "b"), ("d", "b")]
    assert small_star("a", []) == []


def test_chain_components_need_several_rounds_and_match_union_find():
    rng = random.Random(5)
    nodes = [id_hash(str(i)) for i in range(300)]
    chain = [(nodes[i], nodes[i + 1]) for i in range(len(nodes) - 1)]
    roots, rounds = connected_components(chain)
    assert rounds >= 4
    assert set(roots.values()) == {min(nodes)}
    assert roots == union_find_components(chain)
    graph = [(rng.choice(nodes), rng.choice(nodes)) for _ in range(250)]
    assert connected_components(graph)[0] == {
        node: root
        for node, root in union_find_components(graph).items()
        if any(node in e for e in graph if e[0] != e[1])
    }
    with pytest.raises(RuntimeError, match="did not converge"):
        connected_components(chain, max_rounds=2)

"""The synthetic corpus: determinism, the mix of kinds and languages, duplicates, sites and planted PII."""

from __future__ import annotations

import gzip
import json
import re
from collections import Counter
from urllib.parse import urlsplit

import pytest

from curation.synth import KINDS, generate, write_corpus

N_DOCS = 2000
FIELDS = {"id", "url", "text", "lang", "kind", "crawl"}
CJK = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PHONE = re.compile(r"(?:\+1[-. ]?|001-)?\(?\d{3}\)?[-. ]?\d{3}[-. ]\d{4}")
CARD = re.compile(r"(?<![\w-])(?:\d{4}([ -]?)\d{4}\1\d{4}\1\d{4}|3[47]\d{2}([ -]?)\d{6}\2\d{5})(?![\w-])")
MULTI_PART_SUFFIXES = {
    "co.uk",
    "org.uk",
    "com.au",
    "co.nz",
    "com.mx",
    "com.ar",
    "com.pl",
    "com.cn",
    "com.tw",
    "co.jp",
    "ne.jp",
}


@pytest.fixture(scope="module")
def corpus() -> list[dict]:
    return list(generate(N_DOCS, seed=0))


def by_kind(docs: list[dict], kind: str) -> list[dict]:
    return [d for d in docs if d["kind"] == kind]


def tokens(doc: dict) -> list[str]:
    """Words, or characters for the languages written without spaces."""
    if doc["lang"] in ("zh", "ja"):
        return [c for c in doc["text"] if not c.isspace()]
    return doc["text"].split()


def shingles(doc: dict) -> set[tuple[str, ...]]:
    words = tokens(doc)
    return {tuple(words[k : k + 5]) for k in range(max(1, len(words) - 4))}


def registered(host: str) -> str:
    labels = host.split(".")
    size = 3 if ".".join(labels[-2:]) in MULTI_PART_SUFFIXES else 2
    return ".".join(labels[-size:])


def luhn_ok(number: str) -> bool:
    digits = [int(c) for c in number if c.isdigit()][::-1]
    total = sum(d if k % 2 == 0 else (2 * d - 9 if d > 4 else 2 * d) for k, d in enumerate(digits))
    return total % 10 == 0


def test_count_ids_and_fields():
    docs = list(generate(120, seed=4))
    assert len(docs) == 120
    assert [d["id"] for d in docs] == [f"synth-{i:06d}" for i in range(120)]
    for doc in docs:
        assert set(doc) == FIELDS
        assert all(isinstance(v, str) for v in doc.values())
        assert doc["kind"] in KINDS
        assert re.fullmatch(r"CC-MAIN-20\d\d-\d\d", doc["crawl"])
        assert urlsplit(doc["url"]).scheme in ("http", "https")
        assert doc["text"].strip()


def test_zero_and_negative_counts():
    assert list(generate(0)) == []
    with pytest.raises(ValueError):
        list(generate(-1))


def test_same_seed_same_records_other_seed_other_records():
    first = list(generate(300, seed=3))
    assert first == list(generate(300, seed=3))
    other = list(generate(300, seed=4))
    assert first != other
    assert len({d["text"] for d in first} & {d["text"] for d in other}) < 10


def test_write_corpus_is_byte_identical(tmp_path):
    a, b, plain = tmp_path / "a.jsonl.gz", tmp_path / "b.jsonl.gz", tmp_path / "c.jsonl"
    assert write_corpus(a, 250, seed=9) == 250
    assert write_corpus(str(b), 250, seed=9) == 250
    assert write_corpus(plain, 250, seed=9) == 250
    assert a.read_bytes() == b.read_bytes()
    assert a.read_bytes()[:2] == b"\x1f\x8b"
    assert gzip.decompress(a.read_bytes()) == plain.read_bytes()
    rows = [json.loads(line) for line in plain.read_text(encoding="utf-8").splitlines()]
    assert rows == list(generate(250, seed=9))


def test_kind_mix(corpus):
    share = {k: v / N_DOCS for k, v in Counter(d["kind"] for d in corpus).items()}
    assert set(share) == set(KINDS)
    assert 0.60 < share["article"] < 0.76
    assert 0.05 < share["forum"] < 0.12
    assert 0.03 < share["exact_duplicate"] < 0.075
    assert 0.03 < share["near_duplicate"] < 0.075
    assert 0.05 < share["boilerplate"] + share["junk"] < 0.13
    assert 0.005 < share["people_search"] < 0.03


def test_exact_duplicates_copy_an_earlier_document(corpus):
    first_seen: dict[str, int] = {}
    for i, doc in enumerate(corpus):
        first_seen.setdefault(doc["text"], i)
    dups = by_kind(corpus, "exact_duplicate")
    assert dups
    for doc in dups:
        source = corpus[first_seen[doc["text"]]]
        assert source["id"] < doc["id"]
        assert source["kind"] in ("article", "forum")
        assert source["lang"] == doc["lang"]
    assert sum(corpus[first_seen[d["text"]]]["url"] != d["url"] for d in dups) > len(dups) / 2


def test_near_duplicates_are_close_to_an_earlier_document(corpus):
    sets = [shingles(d) for d in corpus]
    first_doc: dict[tuple[str, ...], int] = {}
    for i, s in enumerate(sets):
        for shingle in s:
            first_doc.setdefault(shingle, i)
    scores = []
    for i, doc in enumerate(corpus):
        if doc["kind"] != "near_duplicate":
            continue
        votes = Counter(first_doc[x] for x in sets[i] if first_doc[x] < i)
        assert votes, doc["id"]
        j = votes.most_common(1)[0][0]
        scores.append(len(sets[i] & sets[j]) / len(sets[i] | sets[j]))
        assert corpus[j]["text"] != doc["text"]
    assert scores and all(0.5 < s < 1.0 for s in scores)
    assert sum(0.7 <= s <= 0.95 for s in scores) > 0.8 * len(scores)


def test_languages(corpus):
    langs = Counter(d["lang"] for d in corpus)
    assert 0.62 < langs["en"] / N_DOCS < 0.78
    assert {"de", "fr", "es"} <= set(langs)
    assert len(set(langs) - {"en", "la", "und"}) >= 7
    cjk = [d for d in corpus if d["lang"] in ("zh", "ja") and d["kind"] == "article"]
    assert cjk
    for doc in cjk:
        body = doc["text"].split("\n", 1)[1]
        assert len(CJK.findall(body)) > 0.5 * len(body)


def test_many_domains_with_realistic_urls(corpus):
    urls = [urlsplit(d["url"]) for d in corpus]
    hosts = [u.hostname for u in urls]
    domains = Counter(registered(h) for h in hosts)
    assert len(domains) > 50
    assert all(re.fullmatch(r"[a-z0-9-]+(\.[a-z0-9-]+)+", h) for h in hosts)
    assert any(registered(h).count(".") == 2 for h in hosts)
    assert any(h.startswith("www.") for h in hosts)
    assert any(h.count(".") >= 2 and not h.startswith("www.") for h in hosts)
    assert sum(bool(u.query) for u in urls) > 0.02 * N_DOCS
    assert sum(v >= 3 for v in domains.values()) > 30


def test_people_search_pages_are_dense_with_personal_data(corpus):
    pages = by_kind(corpus, "people_search")
    assert pages
    assert 1 <= len({registered(urlsplit(d["url"]).hostname) for d in pages}) <= 5
    for doc in pages:
        assert len(EMAIL.findall(doc["text"])) >= 5
        assert len(PHONE.findall(doc["text"])) >= 5
        assert doc["lang"] == "en"


def test_planted_card_numbers_pass_luhn(corpus):
    cards = [m.group(0) for d in corpus if d["kind"] in ("article", "forum") for m in CARD.finditer(d["text"])]
    assert len(cards) >= 3
    assert all(luhn_ok(c) for c in cards)


def test_personal_data_is_planted_in_normal_pages(corpus):
    normal = [d["text"] for d in corpus if d["kind"] in ("article", "forum")]
    with_email = sum(bool(EMAIL.search(t)) for t in normal)
    assert 0.005 < with_email / len(normal) < 0.1
    assert any(re.search(r"\b[A-Z]{2}\d{2}[A-Z0-9]{10,30}\b", t) for t in normal)  # IBAN
    assert any(re.search(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])", t) for t in normal)  # IPv4
    assert any(re.search(r"\b[0-9a-f]{1,4}(?::[0-9a-f]{1,4}){7}\b", t) for t in normal)  # IPv6


def test_forums_have_users_dates_and_quotes(corpus):
    forums = by_kind(corpus, "forum")
    assert any("\n> " in d["text"] and "wrote:" in d["text"] for d in forums)
    assert all(re.search(r"\d{2}:\d{2}", d["text"]) for d in forums)


def test_boilerplate_and_junk(corpus):
    boiler = by_kind(corpus, "boilerplate")
    assert all(len(d["text"].splitlines()) >= 4 for d in boiler)
    assert any("©" in d["text"] for d in boiler)
    junk = by_kind(corpus, "junk")
    assert any(len(d["text"].split()) <= 3 for d in junk)
    assert any(d["text"].startswith("Lorem ipsum") and d["lang"] == "la" for d in junk)
    assert any("JavaScript" in d["text"] for d in junk)


def test_article_lengths_are_heavy_tailed(corpus):
    words = sorted(len(d["text"].split()) for d in by_kind(corpus, "article") if d["lang"] not in ("zh", "ja"))
    assert 150 < words[len(words) // 2] < 700
    assert words[0] < 80
    assert words[-1] > 2500


def test_the_quickstarts_people_search_pages_pass_its_quality_filters():
    """So the demo drops them for personal data (`pii_domains`), the stage it exists to show."""
    from pathlib import Path

    import yaml

    from filters import apply_chain, build_chain

    config = yaml.safe_load((Path(__file__).resolve().parents[1] / "configs" / "quickstart.yaml").read_text())
    spec = config["input"]["synthetic"]
    pages = [r for r in generate(spec["docs"], seed=spec["seed"]) if r["kind"] == "people_search"]
    chain = build_chain(config["filters"]["steps"])
    outcomes = [apply_chain(chain, page["text"]) for page in pages]
    assert len(pages) >= 20
    assert [(outcome.stage, outcome.reason) for outcome in outcomes if outcome.doc is None] == []

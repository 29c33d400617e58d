"""The corpus: which kind each document is, where duplicates come from, and the JSON Lines writer."""

from __future__ import annotations

import bisect
import gzip
import json
import os
import random
from collections import OrderedDict
from collections.abc import Callable, Iterator
from typing import BinaryIO

from curation.synth import pages
from curation.synth._util import cumulative, pick, weighted
from curation.synth.languages import SHOP_LANGUAGES, TEXT_LANGUAGES, word_count
from curation.synth.near_duplicates import near_duplicate
from curation.synth.sites import Site, build_people_sites, build_sites, url

KINDS = (
    "article",
    "forum",
    "product",
    "exact_duplicate",
    "near_duplicate",
    "boilerplate",
    "junk",
    "people_search",
)
"""Every value of a record's ``kind``."""
CRAWLS = ("CC-MAIN-2023-14", "CC-MAIN-2023-50", "CC-MAIN-2024-10", "CC-MAIN-2024-18", "CC-MAIN-2024-33")
"""The fake crawl dumps a record can come from."""

_KIND_WEIGHTS = (0.675, 0.08, 0.04, 0.05, 0.05, 0.045, 0.045, 0.015)
_KIND_CUM = tuple(sum(_KIND_WEIGHTS[: k + 1]) / sum(_KIND_WEIGHTS) for k in range(len(KINDS)))
_BASE_KINDS = frozenset({"article", "forum"})  # what duplicates are made from
_ZIPF_S = 0.55  # how unevenly documents spread over a language's sites
_MAKERS: dict[str, Callable[[random.Random, str, Site], tuple[str, str]]] = {
    "article": pages.article,
    "forum": pages.forum,
    "product": pages.product,
    "boilerplate": pages.boilerplate,
}

Record = dict[str, str]


def _stream(seed: int, i: int, salt: int) -> random.Random:
    """The random stream number `salt` of document `i` (str seeds are hashed with SHA-512)."""
    return random.Random(f"synth:{seed}:{i}:{salt}")


def _planned_kind(seed: int, i: int) -> str:
    """The kind drawn for document `i`, before any fallback (cheap: used to pick sources)."""
    return KINDS[min(bisect.bisect_right(_KIND_CUM, _stream(seed, i, 0).random()), len(KINDS) - 1)]


class _Corpus:
    """Everything shared by the documents of one (n_docs, seed) corpus."""

    def __init__(self, n_docs: int, seed: int) -> None:
        self.seed = seed
        rng = random.Random(f"synth:{seed}:sites")
        self.sites = build_sites(rng, n_docs)
        self.cum = {lang: cumulative([(k + 1) ** -_ZIPF_S for k in range(len(s))]) for lang, s in self.sites.items()}
        self.people_sites = build_people_sites(rng, n_docs)
        self.all_sites = [s for sites in self.sites.values() for s in sites]
        self._cache: OrderedDict[int, Record] = OrderedDict()

    def site(self, rng: random.Random, lang: str) -> Site:
        return pick(rng, self.sites[lang], self.cum[lang])

    def doc(self, i: int) -> Record:
        cached = self._cache.get(i)
        if cached is not None:
            return cached
        kind = _planned_kind(self.seed, i)
        rng = _stream(self.seed, i, 1)
        if kind == "exact_duplicate":
            record = self._exact_duplicate(rng, i)
        elif kind == "near_duplicate":
            record = self._near_duplicate(rng, i)
        else:
            record = self._original(rng, i, kind)
        if record["kind"] in _BASE_KINDS:
            self._cache[i] = record
            if len(self._cache) > 4096:
                self._cache.popitem(last=False)
        return record

    def _record(self, rng: random.Random, i: int, url: str, text: str, lang: str, kind: str) -> Record:
        crawl = rng.choice(CRAWLS)
        return {"id": f"synth-{i:06d}", "url": url, "text": text, "lang": lang, "kind": kind, "crawl": crawl}

    def _original(self, rng: random.Random, i: int, kind: str) -> Record:
        if kind == "people_search":
            site = rng.choice(self.people_sites)
            text, title = pages.people_search(rng, site)
            lang = "en"
        elif kind == "junk":
            site = rng.choice(self.all_sites)
            maker = weighted(rng, pages.JUNK_MAKERS)
            text, lang = maker(rng, site)
            title = text[:40]
        else:
            lang = weighted(rng, SHOP_LANGUAGES if kind in ("product", "boilerplate") else TEXT_LANGUAGES)
            site = self.site(rng, lang)
            text, title = _MAKERS[kind](rng, lang, site)
        return self._record(rng, i, url(rng, site, kind, title), text, lang, kind)

    def _source(self, rng: random.Random, i: int, min_words: int) -> Record | None:
        """An earlier article or forum page (at least `min_words` long), or None."""
        for _ in range(12 if i > 0 else 0):
            j = rng.randrange(i)
            if _planned_kind(self.seed, j) in _BASE_KINDS:
                src = self.doc(j)
                if word_count(src["text"], src["lang"]) >= min_words:
                    return src
        return None

    def _other_url(self, rng: random.Random, src: Record) -> str:
        site = self.site(rng, src["lang"])
        return url(rng, site, "article", src["text"].split("\n", 1)[0])

    def _exact_duplicate(self, rng: random.Random, i: int) -> Record:
        src = self._source(rng, i, 0)
        if src is None:
            return self._original(rng, i, "article")
        r = rng.random()
        if r < 0.25:
            address = src["url"]
        elif r < 0.55:
            variant = rng.choice(("amp=1", "utm_source=facebook&utm_medium=social", "print=1", "replytocom=1"))
            address = f"{src['url']}{'&' if '?' in src['url'] else '?'}{variant}"
        else:
            address = self._other_url(rng, src)
        record = self._record(rng, i, address, src["text"], src["lang"], "exact_duplicate")
        if address == src["url"] and record["crawl"] == src["crawl"]:
            record["crawl"] = CRAWLS[(CRAWLS.index(src["crawl"]) + 1) % len(CRAWLS)]
        return record

    def _near_duplicate(self, rng: random.Random, i: int) -> Record:
        src = self._source(rng, i, 60)
        if src is None:
            return self._original(rng, i, "article")
        address = self._other_url(rng, src)
        domain = src["url"].split("/")[2].removeprefix("www.")
        text = near_duplicate(rng, src["text"], src["lang"], domain)
        return self._record(rng, i, address, text, src["lang"], "near_duplicate")


def generate(n_docs: int, seed: int = 0) -> Iterator[Record]:
    """Yield n_docs records, deterministic for (n_docs, seed).

    Each record is ``{"id", "url", "text", "lang", "kind", "crawl"}``; see `curation.synth` for the
    kinds. The site pool grows with ``n_docs``, so a smaller corpus is not a prefix of a larger one
    with the same seed.
    """
    if n_docs < 0:
        raise ValueError(f"n_docs must be >= 0, got {n_docs}")
    corpus = _Corpus(n_docs, seed)
    for i in range(n_docs):
        yield dict(corpus.doc(i))


def _open_binary(path: str | os.PathLike[str]) -> BinaryIO:
    text = os.fspath(path)
    if "://" in text:
        import fsspec  # only for remote URLs; fsspec comes with the pipeline's dependencies

        return fsspec.open(text, "wb").open()
    return open(text, "wb")


def write_corpus(path: str | os.PathLike[str], n_docs: int, seed: int = 0) -> int:
    """Write generate(n_docs, seed) as JSON Lines; gzip when path ends with .gz.

    The gzip header has no file name and mtime 0, so the bytes are identical across runs.
    Returns the number of records written.
    """
    count = 0
    with _open_binary(path) as raw:
        compressed = os.fspath(path).endswith(".gz")
        out = gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=6) if compressed else raw
        try:
            batch: list[str] = []
            for record in generate(n_docs, seed):
                batch.append(json.dumps(record, ensure_ascii=False))
                count += 1
                if len(batch) >= 512:
                    out.write(("\n".join(batch) + "\n").encode("utf-8"))
                    batch.clear()
            if batch:
                out.write(("\n".join(batch) + "\n").encode("utf-8"))
        finally:
            if compressed:
                out.close()
    return count

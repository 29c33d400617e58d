"""Web sites and URLs: per-language domains with realistic suffixes, people-search sites, paths."""

from __future__ import annotations

import math
import random
import re
from dataclasses import dataclass
from urllib.parse import quote

from curation.synth._data import load
from curation.synth._util import cap, fold, weighted
from curation.synth.english import ADJECTIVES, TOPICS
from curation.synth.languages import CJK, TEXT_LANGUAGES, pool

_DATA = load("sites")
_TLDS: dict[str, tuple[tuple[str, float], ...]] = _DATA["tlds"]
_SITE_SUFFIXES: tuple[str, ...] = _DATA["site_suffixes"]
_PS_PREFIXES: tuple[str, ...] = _DATA["people_search_prefixes"]
_PS_SUFFIXES: tuple[str, ...] = _DATA["people_search_suffixes"]
_SECTIONS: tuple[str, ...] = _DATA["sections"]
_EN_SITE_WORDS = sorted(
    w for w in (fold(x) for x in {n.split()[-1] for t in TOPICS for n in t.nouns} | set(ADJECTIVES)) if 3 <= len(w) <= 9
)
"""English words for domain names besides Faker's: topic nouns and adjectives."""


@dataclass(frozen=True, slots=True)
class Site:
    """A web site: its registered domain, language, brand name and URL conventions."""

    domain: str
    lang: str
    brand: str
    www: bool
    style: int  # which article path layout the site uses


def _site_name(rng: random.Random, lang: str) -> tuple[str, str]:
    """A domain label and the matching brand."""
    vocabulary = pool(lang)
    words = vocabulary.ascii_words
    if lang == "en":
        words = words + _EN_SITE_WORDS
    a, b = rng.choice(words), rng.choice(words)
    style = rng.random()
    if style < 0.3:
        parts = [a, b]
    elif style < 0.55:
        parts = [a, rng.choice(_SITE_SUFFIXES)]
    elif style < 0.7 and lang == "en":
        parts = [rng.choice(("the", "my", "get", "go")), a, b]
    elif style < 0.82 and lang not in CJK and lang != "ru":
        parts = [fold(rng.choice(vocabulary.last)) or a, rng.choice(_SITE_SUFFIXES)]
    else:
        parts = [a, b, str(rng.randint(1, 99))] if rng.random() < 0.3 else [a]
    joiner = "-" if rng.random() < 0.25 else ""
    return joiner.join(parts)[:30].strip("-"), " ".join(cap(p) for p in parts)


def build_sites(rng: random.Random, n_docs: int) -> dict[str, list[Site]]:
    """The sites of each text language; about `n_docs ** 0.7` in all, shared as the languages are."""
    total = max(12, int(n_docs**0.7))
    used: set[str] = set()
    sites: dict[str, list[Site]] = {}
    for lang, share in TEXT_LANGUAGES:
        found: list[Site] = []
        while len(found) < max(2, round(total * share)):
            label, brand = _site_name(rng, lang)
            domain = f"{label}.{weighted(rng, _TLDS[lang])}"
            if label and domain not in used:
                used.add(domain)
                found.append(Site(domain, lang, brand, rng.random() < 0.7, rng.randrange(8)))
        sites[lang] = found
    return sites


def build_people_sites(rng: random.Random, n_docs: int) -> list[Site]:
    """A few people-search sites (4 for 10,000 documents)."""
    count = max(1, round(4 * math.sqrt(n_docs / 10_000)))
    out: dict[str, Site] = {}
    while len(out) < count:
        prefix, suffix = rng.choice(_PS_PREFIXES), rng.choice(_PS_SUFFIXES)
        if suffix in prefix:
            continue
        label = f"{prefix}{rng.choice(('', '-'))}{suffix}"
        if len(out) >= len(_PS_PREFIXES) * len(_PS_SUFFIXES):
            label += str(len(out))
        domain = f"{label}.{rng.choice(('com', 'com', 'net', 'org', 'info', 'us'))}"
        out.setdefault(domain, Site(domain, "en", f"{cap(prefix)} {cap(suffix)}", True, rng.randrange(3)))
    return list(out.values())


def _slug(text: str, lang: str, rng: random.Random) -> str:
    """A URL slug for a title; numeric for CJK, percent-encoded for Cyrillic."""
    if lang in CJK:
        return str(rng.randint(10_000, 9_999_999))
    words = re.findall(r"\w+", text.lower())[:8]
    if lang == "ru":
        return quote("-".join(words))
    return "-".join(w for w in (fold(x) for x in words) if w) or str(rng.randint(100, 99_999))


def _host(rng: random.Random, site: Site, kind: str) -> str:
    r = rng.random()
    if kind == "forum" and r < 0.45:
        return f"{rng.choice(('forum', 'forums', 'community', 'boards'))}.{site.domain}"
    if kind == "product" and r < 0.3:
        return f"shop.{site.domain}"
    if r > 0.93:
        return f"{rng.choice(('blog', 'news', 'm', 'en', 'www2', 'amp'))}.{site.domain}"
    return f"www.{site.domain}" if site.www else site.domain


def _article_path(rng: random.Random, site: Site, slug: str) -> str:
    y, m, d, n = rng.randint(2014, 2024), rng.randint(1, 12), rng.randint(1, 28), rng.randint(100, 999_999)
    section = rng.choice(_SECTIONS)
    paths = (
        f"/blog/{y}/{m:02d}/{slug}",
        f"/{y}/{m:02d}/{d:02d}/{slug}/",
        f"/news/{section}/{slug}-{n}.html",
        f"/articles/{slug}",
        f"/{slug}/",
        f"/index.php?option=com_content&view=article&id={n}",
        f"/p/{n}",
        f"/{section}/{slug}",
    )
    return paths[site.style]


def _path(rng: random.Random, site: Site, kind: str, slug: str) -> str:
    n = rng.randint(100, 999_999)
    word = rng.choice(pool(site.lang).ascii_words)
    if kind == "forum":
        return rng.choice(
            (
                f"/forum/viewtopic.php?f={rng.randint(1, 40)}&t={n}",
                f"/threads/{slug}.{n}/",
                f"/t/{slug}/{n}",
                f"/showthread.php?tid={n}",
                f"/community/questions/{n}/{slug}",
            )
        )
    if kind == "product":
        return rng.choice(
            (
                f"/product/{slug}/",
                f"/shop/{word}/{slug}-p{n}.html",
                f"/products/{slug}?variant={n}",
                f"/item.php?id={n}",
                f"/dp/B0{n:08d}",
            )
        )
    if kind == "people_search":
        first, last = slug.split("-")[0], slug.split("-")[-1]
        return rng.choice(
            (f"/name/{slug}/", f"/people/{last}/{first}", f"/search?fn={first}&ln={last}&state=all", f"/{slug}-{n}")
        )
    if kind == "boilerplate":
        return rng.choice(
            (
                "/",
                "/about/",
                "/contact",
                "/privacy-policy/",
                "/cookie-policy",
                "/login?next=%2Faccount",
                "/cart",
                f"/category/{word}/page/{rng.randint(2, 30)}/",
                f"/tag/{word}/",
            )
        )
    if kind == "junk":
        return rng.choice(
            (
                f"/?p={n}",
                f"/{n:x}.html",
                f"/search?q={word}+{slug[:20]}",
                f"/tag/{word}-{n}/",
                "/index.html",
                f"/wp-content/uploads/{rng.randint(2015, 2024)}/{n:x}.txt",
            )
        )
    path = _article_path(rng, site, slug)
    if rng.random() < 0.07 and "?" not in path:
        path += rng.choice(("?utm_source=newsletter&utm_medium=email", "?ref=homepage", "?page=2", "?amp=1"))
    return path


def url(rng: random.Random, site: Site, kind: str, title: str) -> str:
    """A URL on `site` for a page of `kind` titled `title`."""
    scheme = "https" if rng.random() < 0.9 else "http"
    slug = _slug(title, site.lang, rng)
    return f"{scheme}://{_host(rng, site, kind)}{_path(rng, site, kind, slug)}"

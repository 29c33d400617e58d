"""The languages of the corpus: Faker locales, cached vocabularies, person names, dates and word counts.

Faker instances are cached per locale and re-seeded from the document's stream before every use;
the vocabularies are drawn once from a fixed seed.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass

from faker import Faker

from curation.synth._data import load
from curation.synth._util import fold

_DATA = load("languages")

LOCALES: dict[str, str] = _DATA["locales"]
"""The Faker locale of each language."""
CJK = frozenset({"zh", "ja"})
"""Languages written without spaces: word counts, slugs and separators differ."""
TEXT_LANGUAGES = (
    ("en", 0.69),
    ("de", 0.07),
    ("fr", 0.06),
    ("es", 0.06),
    ("it", 0.032),
    ("nl", 0.022),
    ("pl", 0.022),
    ("ru", 0.018),
    ("zh", 0.015),
    ("ja", 0.011),
)
"""Languages of articles and forums; products and boilerplate (`SHOP_LANGUAGES`) and junk are more
English, which brings the corpus as a whole to about 70% English."""
SHOP_LANGUAGES = (("en", 0.8), ("de", 0.06), ("fr", 0.05), ("es", 0.05), ("it", 0.02), ("nl", 0.02))

_FUNCTION_WORDS: dict[str, tuple[str, ...]] = _DATA["function_words"]
_SYLLABLES: dict[str, tuple[str, ...]] = _DATA["syllables"]
_MONTHS: dict[str, tuple[str, ...]] = _DATA["months"]
_DATE_FORMATS: dict[str, tuple[str, ...]] = _DATA["date_formats"]
_POOL_SEED = 20_240_601

_FAKERS: dict[str, Faker] = {}
"""Per locale, the generator `Faker(locale)[locale]`; Faker's stubs type it as `Faker`, with the provider methods."""


@dataclass(slots=True)
class LangPool:
    """The cached vocabulary of one language."""

    words: list[str]
    mixed: list[str]  # words with function words mixed in, for running text
    first: list[str]
    last: list[str]
    users: list[str]
    ascii_words: list[str]  # for domains, paths and user names


_POOLS: dict[str, LangPool] = {}


def faker(locale: str) -> Faker:
    """The cached Faker generator of `locale`."""
    fake = _FAKERS.get(locale)
    if fake is None:
        fake = _FAKERS[locale] = Faker(locale)[locale]
    return fake


def seeded_faker(rng: random.Random, locale: str) -> Faker:
    """The cached Faker of `locale`, re-seeded from the document's stream."""
    fake = faker(locale)
    fake.seed_instance(rng.getrandbits(63))
    return fake


def _unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(v for v in values if v))


def pool(lang: str) -> LangPool:
    """The vocabulary of `lang`, built on first use."""
    found = _POOLS.get(lang)
    if found is None:
        found = _POOLS[lang] = _build_pool(lang)
    return found


def _build_pool(lang: str) -> LangPool:
    fake = faker(LOCALES[lang])
    fake.seed_instance(_POOL_SEED)
    words = _unique(w for w in fake.get_words_list() if w.isalpha())
    function = list(_FUNCTION_WORDS.get(lang, ()))
    repeat = round(0.55 * len(words) / len(function)) if function else 0
    first = _unique(fake.first_name() for _ in range(300))
    last = _unique(fake.last_name() for _ in range(300))
    users = _unique(fold(fake.user_name()) for _ in range(300))
    if lang in _SYLLABLES:
        syllables = _SYLLABLES[lang]
        srng = random.Random(f"synth-syllables:{lang}")
        ascii_words = _unique("".join(srng.choices(syllables, k=srng.randint(2, 3))) for _ in range(200))
    else:
        ascii_words = _unique(w for w in (fold(x) for x in words) if 3 <= len(w) <= 9)
    return LangPool(words, words + function * repeat, first, last, users, ascii_words)


def person(rng: random.Random, lang: str) -> str:
    """A person's full name in the order `lang` writes it."""
    names = pool(lang)
    first, last = rng.choice(names.first), rng.choice(names.last)
    if lang == "zh":
        return last + first
    if lang == "ja":
        return f"{last} {first}"
    return f"{first} {last}"


def month_names(lang: str) -> tuple[str, ...]:
    """January to December in `lang` (English where the data has none)."""
    return _MONTHS.get(lang, _MONTHS["en"])


def date(rng: random.Random, lang: str, with_time: bool = False) -> str:
    """A date between 2014 and 2024 in one of the formats of `lang`, with a time of day if asked."""
    y, m, d = rng.randint(2014, 2024), rng.randint(1, 12), rng.randint(1, 28)
    text = rng.choice(_DATE_FORMATS[lang]).format(y=y, m=m, d=d, M=month_names(lang)[m - 1])
    return f"{text} {rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}" if with_time else text


def word_count(text: str, lang: str) -> int:
    """Words in `text`, counting two characters as a word in CJK."""
    return len(text) // 2 if lang in CJK else text.count(" ") + 1

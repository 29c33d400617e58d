"""English prose from topic templates: titles, headings, list items, sentences and footers."""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass

from curation.synth._data import load
from curation.synth._util import cap, fix_articles, title_case
from curation.synth.languages import month_names

_DATA = load("english")


@dataclass(frozen=True, slots=True)
class Topic:
    """The vocabulary of one topic (Cooking, Travel, ...)."""

    name: str
    nouns: tuple[str, ...]
    plurals: tuple[str, ...]
    verbs: tuple[tuple[str, str, str], ...]  # base, past, gerund
    people: tuple[str, ...]
    places: tuple[str, ...]


_IRREGULAR: dict[str, str] = _DATA["irregular_plurals"]


def _plural(noun: str) -> str:
    head, _, last = noun.rpartition(" ")
    if last in _IRREGULAR:
        plural = _IRREGULAR[last]
    elif last.endswith(("s", "sh", "ch", "x")):
        plural = last + "es"
    elif last.endswith("y") and last[-2:-1] not in "aeiou":
        plural = last[:-1] + "ies"
    else:
        plural = last + "s"
    return f"{head} {plural}" if head else plural


TOPICS = tuple(
    Topic(t["name"], t["nouns"], tuple(_plural(n) for n in t["nouns"]), t["verbs"], t["people"], t["places"])
    for t in _DATA["topics"]
)
"""Every topic, in the data file's order."""
ADJECTIVES: tuple[str, ...] = _DATA["adjectives"]
_VERBS: tuple[tuple[str, str, str], ...] = _DATA["verbs"]
_MONTHS = month_names("en")
_OPENERS: tuple[str, ...] = _DATA["openers"]
_FOOTERS: tuple[str, ...] = _DATA["footers"]


def _verb(rng: random.Random, topic: Topic) -> tuple[str, str, str]:
    return rng.choice(topic.verbs if rng.random() < 0.5 else _VERBS)


_SLOTS: dict[str, Callable[[random.Random, Topic], str]] = {
    "adj": lambda r, t: r.choice(ADJECTIVES),
    "noun": lambda r, t: r.choice(t.nouns),
    "nouns": lambda r, t: r.choice(t.plurals),
    "verb": lambda r, t: _verb(r, t)[0],
    "verbed": lambda r, t: _verb(r, t)[1],
    "verbing": lambda r, t: _verb(r, t)[2],
    "people": lambda r, t: r.choice(t.people),
    "place": lambda r, t: r.choice(t.places),
    "num": lambda r, t: str(r.randint(2, 12)),
    "big": lambda r, t: str(r.randint(15, 400)),
    "pct": lambda r, t: str(r.randint(5, 95)),
    "year": lambda r, t: str(r.randint(2012, 2024)),
    "price": lambda r, t: f"${r.randint(5, 900)}.{r.choice(('00', '49', '95', '99'))}",
    "month": lambda r, t: r.choice(_MONTHS),
    "period": lambda r, t: r.choice(("day", "week", "month", "year")),
    "periods": lambda r, t: r.choice(("days", "weeks", "months", "years")),
    "topic": lambda r, t: t.name.lower(),
}
"""How each template slot is filled; a digit suffix (`noun2`) draws another value of the same slot."""

_FIELD = re.compile(r"\{(\w+)\}")

Template = tuple[str, ...]
"""Literal text at even positions, slot names at odd positions."""


def _compile(lines: tuple[str, ...]) -> tuple[Template, ...]:
    return tuple(tuple(_FIELD.split(line)) for line in lines)


ARTICLE, CASUAL, TITLE, HEADING, LIST_ITEM = (
    _compile(_DATA["templates"][name]) for name in ("article", "casual", "title", "heading", "list_item")
)


def render(rng: random.Random, parts: Template, topic: Topic, title: bool = False) -> str:
    """Fill a template; a capitalized slot is title-cased in titles, capitalized in sentences."""
    out = []
    for k, part in enumerate(parts):
        if not k & 1:
            out.append(part)
            continue
        name = part.rstrip("0123456789")
        value = _SLOTS[name.lower()](rng, topic)
        if name[0].isupper():
            value = title_case(value) if title else cap(value)
        out.append(value)
    return fix_articles("".join(out))


def sentence(rng: random.Random, topic: Topic, casual: bool = False) -> str:
    """An article sentence, or (mostly, when `casual`) a forum one."""
    templates = CASUAL if casual and rng.random() < 0.6 else ARTICLE
    text = render(rng, rng.choice(templates), topic)
    if rng.random() < 0.12 and not text.startswith(("I ", "I'")):
        text = rng.choice(_OPENERS) + text[0].lower() + text[1:]
    return text


def footer(rng: random.Random, topic: Topic) -> str:
    """A blog footer line: share buttons, tags, a comment count."""
    tags = ", ".join(rng.sample(topic.nouns, 3))
    return rng.choice(_FOOTERS).format(tags=tags, topic=topic.name, num=rng.randint(0, 80))

"""Planted personal data: the values, the sentences that carry them, and their templates.

The public API for code that plants or measures planted data (`curation.pii.planted`):
`LANGUAGES`, `PII_KINDS`, `PII_TEMPLATES` / `pii_templates(language)`, `person(rng, language)` and
`pii_value(rng, kind, language, name)`. A template is a `str.format` string with the fields
`{name}`, `{expiry}` (card templates) and the kind's own (`{email}`, `{phone}`, ...).
Every value is drawn from `rng` alone, so the same stream gives the same value.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from types import MappingProxyType

from curation.synth._data import load
from curation.synth._util import fold, weighted
from curation.synth.languages import CJK, LOCALES, person, pool, seeded_faker

__all__ = ["LANGUAGES", "PII_KINDS", "PII_TEMPLATES", "person", "pii_templates", "pii_value"]

_DATA = load("pii")

_KIND_WEIGHTS = (
    ("name", 0.16),
    ("email", 0.2),
    ("phone", 0.2),
    ("card", 0.1),
    ("iban", 0.08),
    ("ipv4", 0.08),
    ("ipv6", 0.05),
    ("address", 0.13),
)
PII_KINDS: tuple[str, ...] = tuple(kind for kind, _ in _KIND_WEIGHTS)
"""Every kind of planted value."""
PII_TEMPLATES: Mapping[str, Mapping[str, tuple[str, ...]]] = MappingProxyType(
    {lang: MappingProxyType(kinds) for lang, kinds in _DATA["templates"].items()}
)
"""Sentence templates by language, then by kind."""
LANGUAGES: tuple[str, ...] = tuple(PII_TEMPLATES)
"""Languages with templates for every kind."""

_PHONE_LOCALES: dict[str, tuple[tuple[str, float], ...]] = _DATA["phone_locales"]
_IBAN_LOCALES: dict[str, str] = _DATA["iban_locales"]
_FREE_MAIL: dict[str, tuple[str, ...]] = _DATA["free_mail"]
_CARD_TYPES: tuple[str, ...] = _DATA["card_types"]


def pii_templates(language: str) -> Mapping[str, tuple[str, ...]]:
    """The templates of `language`, by kind."""
    try:
        return PII_TEMPLATES[language]
    except KeyError:
        known = ", ".join(LANGUAGES)
        raise ValueError(f"no personal data templates for language {language!r}; known: {known}") from None


def email(rng: random.Random, lang: str, name: str) -> str:
    """An e-mail address, usually made from `name`, at a free-mail provider of `lang`."""
    parts = [p for p in (fold(p) for p in name.split()) if p]
    if not parts or lang in CJK or lang == "ru":
        local = rng.choice(pool(lang).users)
    elif rng.random() < 0.5 and len(parts) > 1:
        local = f"{parts[0]}{rng.choice('._')}{parts[-1]}"
    else:
        local = f"{parts[0][:1]}{parts[-1]}{rng.randint(1, 99) if rng.random() < 0.5 else ''}"
    return f"{local}@{rng.choice(_FREE_MAIL[lang])}"


def _phone(rng: random.Random, lang: str) -> str:
    locales = _PHONE_LOCALES.get(lang)
    locale = weighted(rng, locales) if locales else LOCALES[lang]
    if rng.random() < 0.07:
        locale = rng.choice(("en_GB", "de_DE", "fr_FR", "es_ES", "it_IT"))
    return seeded_faker(rng, locale).phone_number()


def _card(rng: random.Random) -> str:
    kind = rng.choice(_CARD_TYPES)
    digits = seeded_faker(rng, "en_US").credit_card_number(card_type=kind)
    style = rng.random()
    if style < 0.45:
        return digits
    sep = " " if style < 0.8 else "-"
    if len(digits) == 15:
        return sep.join((digits[:4], digits[4:10], digits[10:]))
    return sep.join(digits[k : k + 4] for k in range(0, len(digits), 4))


def pii_value(rng: random.Random, kind: str, language: str, name: str) -> str:
    """A value of `kind` (one of `PII_KINDS`) in the style of `language`; `name` for the kind
    "name", and the person an e-mail address is made from."""
    if kind == "name":
        return name
    if kind == "email":
        return email(rng, language, name)
    if kind == "phone":
        return _phone(rng, language)
    if kind == "card":
        return _card(rng)
    if kind == "iban":
        return seeded_faker(rng, _IBAN_LOCALES.get(language, LOCALES[language])).iban()
    if kind == "ipv4":
        return seeded_faker(rng, "en_US").ipv4_public()
    if kind == "ipv6":
        return seeded_faker(rng, "en_US").ipv6()
    if kind == "address":
        return seeded_faker(rng, LOCALES[language]).address().replace("\n", ", ")
    raise ValueError(f"unknown personal data kind {kind!r}; known: {', '.join(PII_KINDS)}")


def pii_sentence(rng: random.Random, lang: str) -> str:
    """A natural sentence in `lang` carrying one planted value of a random kind."""
    kind = weighted(rng, _KIND_WEIGHTS)
    template = rng.choice(PII_TEMPLATES[lang][kind])
    values = {"name": person(rng, lang), "expiry": f"{rng.randint(1, 12):02d}/{rng.randint(25, 31)}"}
    values[kind] = pii_value(rng, kind, lang, values["name"])
    return template.format(**values)


def plant(rng: random.Random, lang: str, lines: list[str], slots: list[int]) -> None:
    """Append 1-3 personal data sentences to random paragraph lines (indices in `slots`)."""
    if not slots:
        return
    sep = "" if lang in CJK else " "
    for _ in range(rng.choice((1, 1, 1, 2, 2, 3))):
        k = rng.choice(slots)
        lines[k] = lines[k] + sep + pii_sentence(rng, lang)

"""Writing systems: which characters and languages are written without spaces between words.

Filters count word units, MinHash shingles by characters, the PII recognizers end an address
and domain scoring counts words by this one definition.

**Unspaced scripts** (`UNSPACED_SCRIPTS`): Han, Hiragana, Katakana, Bopomofo, Thai, Lao, Khmer,
Myanmar and Tibetan. A character is *unspaced* when it is a letter, mark or digit (`\\p{L}`,
`\\p{M}`, `\\p{N}`) whose Unicode Script_Extensions are among these scripts: so the prolonged
sound mark `ー`, the kana voiced marks and the ideographic tone marks count, while characters
shared with Latin (the Bopomofo tone letters U+02C7 and U+02C9-U+02CB, the combining tilde) and punctuation
(`、。`) do not. The Unicode data is the `regex` package's, read once per process.

**Word units** (`split_units`): each unspaced letter with the combining marks after it is one unit,
each run of other non-space characters (numbers included, in any digits) one more; on spaced text
that is `text.split()`.

**Hangul** is written with spaces, but Korean particles attach to whatever precedes them, an
address included ("wang@naver.com으로"): `ADDRESS_BREAKING_SCRIPTS` adds it for the recognizers.

**Languages** (`UNSPACED_LANGUAGES`): ISO 639-1 codes, or 639-3 where there is none; `base_language`
maps tags (`zh-Hans`, `zho_Hans`, `ZH`) and the 639-2/3 aliases to them. Min Nan, Hakka and Min Dong
are left out: much of their web text is romanized (with spaces), and Han text is found by its script.
"""

from __future__ import annotations

import re
from functools import lru_cache

import regex

UNSPACED_SCRIPTS: tuple[str, ...] = (
    "Han", "Hiragana", "Katakana", "Bopomofo", "Thai", "Lao", "Khmer", "Myanmar", "Tibetan"
)  # fmt: skip
"""Scripts written without spaces between words (Unicode script names, as `regex` spells them)."""

ADDRESS_BREAKING_SCRIPTS: tuple[str, ...] = (*UNSPACED_SCRIPTS, "Hangul")
"""Scripts whose text runs into an e-mail address or host name without a space."""

UNSPACED_LANGUAGES: frozenset[str] = frozenset(
    {"zh", "ja", "th", "lo", "km", "my", "bo", "dz", "yue", "wuu", "gan", "lzh", "cjy", "hsn"}
)
"""Languages written without spaces between words (ISO 639-1, or 639-3 where there is no -1 code)."""

_ALIASES = {
    "zho": "zh", "chi": "zh", "cmn": "zh", "jpn": "ja", "tha": "th", "lao": "lo", "khm": "km", "mya": "my",
    "bur": "my", "bod": "bo", "tib": "bo", "dzo": "dz",
}  # fmt: skip
_UNDETERMINED = frozenset({"und", "unknown", "xx"})
_SPACING_SOUND_MARKS = "\uff9e\uff9f"  # halfwidth (semi-)voiced sound marks: Lm, but NFKC makes them combining


def base_language(language: str | None) -> str | None:
    """`zh-Hans`, `zho_Hans`, `ZH` -> `zh`; None and empty -> None."""
    if not language:
        return None
    code = re.split(r"[-_]", language.strip().lower(), maxsplit=1)[0]
    return _ALIASES.get(code, code) or None


def is_unspaced_language(language: str | None) -> bool | None:
    """True for a language written without spaces, False for another, None when none (or `und`) is given."""
    code = base_language(language)
    return None if code is None or code in _UNDETERMINED else code in UNSPACED_LANGUAGES


# --------------------------------------------------------------------------------------------
# Character sets, as code point ranges and as `re` character classes


@lru_cache(maxsize=1)
def _all_code_points() -> str:
    return "".join(map(chr, range(0x110000)))


@lru_cache(maxsize=16)
def _ranges_of(pattern: str) -> tuple[tuple[int, int], ...]:
    """Inclusive code point ranges of the characters a `regex` (V1) set expression matches."""
    found = regex.compile(f"{pattern}+", regex.V1).finditer(_all_code_points())
    return tuple((m.start(), m.end() - 1) for m in found)


def _script_set(scripts: tuple[str, ...], categories: tuple[str, ...]) -> str:
    union = "".join(rf"\p{{scx={name}}}" for name in scripts)
    kinds = "".join(rf"\p{{{c}}}" for c in categories)
    return rf"[[{union}]&&[{kinds}]--\p{{scx=Latin}}]"


def code_point_ranges(scripts: tuple[str, ...] = UNSPACED_SCRIPTS) -> tuple[tuple[int, int], ...]:
    """Inclusive code point ranges of the letters, marks and digits of `scripts`."""
    return _ranges_of(_script_set(scripts, ("L", "M", "N")))


@lru_cache(maxsize=1)
def _unit_base_ranges() -> tuple[tuple[int, int], ...]:
    """Unspaced letters (and letter numbers such as U+3007, ideographic zero), which start a word unit each."""
    ranges = _ranges_of(_script_set(UNSPACED_SCRIPTS, ("L", "Nl")))
    return tuple(r for lo, hi in ranges for r in _without(lo, hi, _SPACING_SOUND_MARKS))


def _without(lo: int, hi: int, chars: str) -> list[tuple[int, int]]:
    pieces, start = [], lo
    for cp in sorted(ord(c) for c in chars if lo <= ord(c) <= hi):
        if start < cp:
            pieces.append((start, cp - 1))
        start = cp + 1
    return [*pieces, (start, hi)] if start <= hi else pieces


def class_body(ranges: tuple[tuple[int, int], ...]) -> str:
    """The inside of an `re` character class (`[...]`) holding exactly `ranges`."""
    return "".join(re.escape(chr(lo)) + ("" if lo == hi else "-" + re.escape(chr(hi))) for lo, hi in ranges)


def char_class(scripts: tuple[str, ...] = UNSPACED_SCRIPTS) -> str:
    """`re` character class body of the letters, marks and digits of `scripts`."""
    return class_body(code_point_ranges(scripts))


@lru_cache(maxsize=1)
def _mark_class() -> str:
    return class_body(_ranges_of(r"\p{M}")) + _SPACING_SOUND_MARKS


@lru_cache(maxsize=8)
def _chars(scripts: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(f"[{char_class(scripts)}]")


@lru_cache(maxsize=1)
def _unit() -> re.Pattern[str]:
    base = class_body(_unit_base_ranges())
    return re.compile(f"[{base}][{_mark_class()}]*|[^\\s{base}]+")


# --------------------------------------------------------------------------------------------
# Text


def is_unspaced(char: str) -> bool:
    """The character is a letter, mark or digit of a script written without spaces."""
    return _chars(UNSPACED_SCRIPTS).match(char) is not None


def count_chars(text: str, scripts: tuple[str, ...] = UNSPACED_SCRIPTS) -> int:
    """Characters of `text` that are letters, marks or digits of `scripts`."""
    return len(_chars(scripts).findall(text))


def split_units(text: str) -> list[str]:
    """Word units: each unspaced letter with its marks, and each run of other non-space text."""
    return _unit().findall(text)


def count_units(text: str) -> int:
    """`len(split_units(text))`: whitespace words, with each unspaced character counting as one."""
    return len(_unit().findall(text))

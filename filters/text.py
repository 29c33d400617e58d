"""Text measurements the filters share: words, lines, sentence ends, and writing systems.

**Words.** The published rules (Gopher, C4, FineWeb) count whitespace-separated words, so
`words(text)` is `text.split()`.

**Languages written without spaces** (Chinese, Japanese, Thai, Lao, Khmer, Burmese, Tibetan;
defined once in `curation.scripts`): whitespace words there are phrases or whole lines, so a rule
such as "at least 50 words" or "at least 3 words per line" would drop nearly every document. For
those documents the filters count *word units* instead (`units(text)`): every letter or digit of
those scripts is one unit (with its combining marks), and runs of other non-space characters are
one unit each. For Chinese a unit is about two thirds of a word and for Thai about half, so
minimum counts become more lenient, never stricter. A document is *unspaced* (`Profile.unspaced`)
when its language (as recorded by `LanguageFilter` earlier in the chain, or by the input) is one
of `UNSPACED_LANGUAGES`, or, whatever the language says, when at least 30% of its non-space
characters belong to those scripts. Each filter's docstring says which of its rules use units
and which it skips for such documents.

**Sentence ends.** `TERMINAL_PUNCTUATION` is the Unicode `Sentence_Terminal` property (`.`, `!`,
`?`, the ideographic full stop, the danda...) plus the Tibetan shad. Thai and Lao end sentences with a space,
not a mark (`Profile.unpunctuated`), so the rules that require terminal punctuation are skipped
for them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from curation.scripts import UNSPACED_LANGUAGES, base_language, count_chars, count_units, split_units

# The Unicode Sentence_Terminal property (generated with `regex`'s \p{Sentence_Terminal}, Unicode
# 15/16), as code point ranges, plus the Tibetan shad and nyis shad.
_STERM_RANGES = (
    (0x21, 0x21), (0x2E, 0x2E), (0x3F, 0x3F), (0x589, 0x589), (0x61D, 0x61F), (0x6D4, 0x6D4),
    (0x700, 0x702), (0x7F9, 0x7F9), (0x837, 0x837), (0x839, 0x839), (0x83D, 0x83E), (0x964, 0x965),
    (0x104A, 0x104B), (0x1362, 0x1362), (0x1367, 0x1368), (0x166E, 0x166E), (0x1735, 0x1736),
    (0x17D4, 0x17D5), (0x1803, 0x1803), (0x1809, 0x1809), (0x1944, 0x1945), (0x1AA8, 0x1AAB),
    (0x1B4E, 0x1B4F), (0x1B5A, 0x1B5B), (0x1B5E, 0x1B5F), (0x1B7D, 0x1B7F), (0x1C3B, 0x1C3C),
    (0x1C7E, 0x1C7F), (0x2024, 0x2024), (0x203C, 0x203D), (0x2047, 0x2049), (0x2CF9, 0x2CFB),
    (0x2E2E, 0x2E2E), (0x2E3C, 0x2E3C), (0x2E53, 0x2E54), (0x2E60, 0x2E61), (0x3002, 0x3002),
    (0xA4FF, 0xA4FF), (0xA60E, 0xA60F), (0xA6F3, 0xA6F3), (0xA6F7, 0xA6F7), (0xA876, 0xA877),
    (0xA8CE, 0xA8CF), (0xA92F, 0xA92F), (0xA9C8, 0xA9C9), (0xAA5D, 0xAA5F), (0xAAF0, 0xAAF1),
    (0xABEB, 0xABEB), (0xFE12, 0xFE12), (0xFE15, 0xFE16), (0xFE52, 0xFE52), (0xFE56, 0xFE57),
    (0xFF01, 0xFF01), (0xFF0E, 0xFF0E), (0xFF1F, 0xFF1F), (0xFF61, 0xFF61), (0x10A56, 0x10A57),
    (0x10F55, 0x10F59), (0x10F86, 0x10F89), (0x11047, 0x11048), (0x110BE, 0x110C1),
    (0x11141, 0x11143), (0x111C5, 0x111C6), (0x111CD, 0x111CD), (0x111DE, 0x111DF),
    (0x11238, 0x11239), (0x1123B, 0x1123C), (0x112A9, 0x112A9), (0x113D4, 0x113D5),
    (0x1144B, 0x1144C), (0x115C2, 0x115C3), (0x115C9, 0x115D7), (0x11641, 0x11642),
    (0x1173C, 0x1173E), (0x11944, 0x11944), (0x11946, 0x11946), (0x11A42, 0x11A43),
    (0x11A9B, 0x11A9C), (0x11C41, 0x11C42), (0x11EF7, 0x11EF8), (0x11F43, 0x11F44),
    (0x16A6E, 0x16A6F), (0x16AF5, 0x16AF5), (0x16B37, 0x16B38), (0x16B44, 0x16B44),
    (0x16D6E, 0x16D6F), (0x16E98, 0x16E98), (0x1BC9F, 0x1BC9F), (0x1DA88, 0x1DA88),
    (0xF0D, 0xF0E),
)  # fmt: skip

TERMINAL_PUNCTUATION: frozenset[str] = frozenset(chr(c) for a, b in _STERM_RANGES for c in range(a, b + 1))
"""Characters that end a sentence in some script (Unicode Sentence_Terminal, plus Tibetan shad)."""

CLOSING_QUOTES: frozenset[str] = frozenset("\"'\u201d\u2019\u00bb\u300d\u300f")
"""C4 counts a line ending in a quote as ending a sentence (`"` and `'`; their typographic kin)."""

SENTENCE_END: frozenset[str] = TERMINAL_PUNCTUATION | CLOSING_QUOTES

UNPUNCTUATED_LANGUAGES: frozenset[str] = frozenset({"th", "lo"})
"""Languages that end sentences with a space rather than a mark."""

_THAI_LAO = ("Thai", "Lao")

UNSPACED_SHARE = 0.3
"""Share of non-space characters in unspaced scripts from which a document counts as unspaced."""
_SAMPLE = 20_000


@dataclass(frozen=True)
class Profile:
    """How a document is written, as far as the rules care."""

    unspaced: bool
    """Written without spaces between words: count word units, skip word-length rules."""
    unpunctuated: bool
    """Thai or Lao: sentences end without a mark, so terminal-punctuation rules are skipped."""


_SPACED = Profile(False, False)


@lru_cache(maxsize=32)
def profile(text: str, language: str | None = None) -> Profile:
    """The writing-system profile of a text, from its language and the scripts it uses."""
    lang = base_language(language)
    lang_unspaced = lang in UNSPACED_LANGUAGES
    lang_unpunctuated = lang in UNPUNCTUATED_LANGUAGES
    if text.isascii():
        return Profile(lang_unspaced, lang_unpunctuated) if lang_unspaced else _SPACED
    sample = text[:_SAMPLE]
    nonspace = len(sample) - sample.count(" ") - sample.count("\n") - sample.count("\t")
    if nonspace <= 0:
        return Profile(lang_unspaced, lang_unpunctuated)
    share_unspaced = count_chars(sample) / nonspace >= UNSPACED_SHARE
    unpunctuated = lang_unpunctuated
    if share_unspaced and not unpunctuated:
        unpunctuated = count_chars(sample, _THAI_LAO) / nonspace >= UNSPACED_SHARE
    return Profile(lang_unspaced or share_unspaced, unpunctuated)


@lru_cache(maxsize=16)
def words(text: str) -> list[str]:
    """Whitespace-separated words, as Gopher and C4 count them."""
    return text.split()


@lru_cache(maxsize=16)
def units(text: str) -> list[str]:
    """Word units (`curation.scripts.units`), cached for the filters that share a document."""
    return split_units(text)


def word_list(text: str, unspaced: bool) -> list[str]:
    """`units(text)` for unspaced documents, `words(text)` otherwise."""
    return units(text) if unspaced else words(text)


def count_words(text: str, unspaced: bool) -> int:
    """`count_units(text)` for unspaced documents, whitespace words otherwise."""
    return count_units(text) if unspaced else len(text.split())


def ends_with_terminal(line: str) -> bool:
    """The (right-stripped) line ends with a sentence-terminal mark."""
    line = line.rstrip()
    return bool(line) and line[-1] in TERMINAL_PUNCTUATION


_TERMINAL_CLASS = "[" + re.escape("".join(sorted(TERMINAL_PUNCTUATION))) + "]"
# The lookbehind starts a break only at the first mark of a run, so a long run of marks not followed
# by a space is scanned once (without it, each mark of the run rescans the rest: quadratic).
_SENTENCE_BREAK = re.compile(
    f"(?<!{_TERMINAL_CLASS})(?:{_TERMINAL_CLASS}+[\"'\u201d\u2019\u00bb\u300d\u300f)\\]]*)(?:\\s+|$)"
    "|(?<=[\u3002\uff01\uff1f\uff61])"
)


def count_sentences(line: str) -> int:
    """Sentences in a line: pieces between terminal marks followed by a space (or CJK marks).

    A regex stand-in for the NLTK Punkt splitter C4 used; it overcounts after abbreviations
    ("Dr. Smith"), which only matters for the 5-sentence minimum of short pages.
    """
    count = 0
    for piece in _SENTENCE_BREAK.split(line):
        if piece and not piece.isspace():
            count += 1
    return count

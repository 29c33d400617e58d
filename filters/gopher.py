"""Gopher's quality and repetition rules (Rae et al. 2021, "Scaling Language Models: Methods,
Analysis & Insights from Training Gopher", appendix A: MassiveText quality filters, Table A1)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from itertools import compress, count
from operator import add, ne
from typing import Any

from filters.base import (
    BaseFilter,
    DocumentLike,
    FilterResult,
    ParameterError,
    check_number,
    check_ratio,
    check_str_list,
    doc_language,
    doc_text,
    fmt,
)
from filters.text import base_language, profile, units, words

STOP_WORDS = ("the", "be", "to", "of", "and", "that", "have", "with")
"""Gopher's stop words: a document must contain at least two of them."""

BULLETS = ("•", "●", "◦", "▪", "‣", "·", "-", "*")

_CORE = re.compile(r"\w(?:\S*\w)?")  # a whitespace word from its first to its last word character
# One match per whitespace word holding a letter. The lookbehind starts a match only where a word
# starts, so a long word without a letter is scanned once (without it, every character of the word
# rescans the rest: quadratic, 21 s for 40,000 `=`).
_ALPHA_WORD = re.compile(r"(?<!\S)\S*?[^\W\d_]\S*")
_WORD_CHAR = re.compile(r"\w")
_LETTER = re.compile(r"[^\W\d_]")


class GopherQualityFilter(BaseFilter):
    """Gopher's quality rules (Rae et al. 2021, appendix A.1.1), with the paper's thresholds.

    A document is dropped, first rule first, when:

    1. it has fewer than `min_doc_words` (50) or more than `max_doc_words` (100,000) words
       (words holding at least one letter or digit) — `gopher_short_doc`, `gopher_long_doc`;
    2. its mean word length is outside [`min_avg_word_length`, `max_avg_word_length`] = [3, 10]
       characters (punctuation around a word is not counted) — `gopher_below_avg_threshold`,
       `gopher_above_avg_threshold`;
    3. the ratio of `#` or of ellipses (`...`, `…`) to words is above `max_symbol_word_ratio`
       (0.1) — `gopher_too_many_hashes`, `gopher_too_many_ellipsis`;
    4. more than `max_bullet_lines_ratio` (90%) of lines start with a bullet, or more than
       `max_ellipsis_lines_ratio` (30%) end with an ellipsis — `gopher_too_many_bullets`,
       `gopher_too_many_end_ellipsis`;
    5. fewer than `min_alpha_words_ratio` (80%) of words contain an alphabetic character —
       `gopher_below_alpha_threshold`;
    6. it contains fewer than `min_stop_words` (2) distinct words of `stop_words` (the, be, to, of,
       and, that, have, with; any letter case) — `gopher_too_few_stop_words` (datatrove calls it
       `gopher_enough_stop_words`).

    A threshold set to None turns its rule off. Words are whitespace-separated, as in the paper;
    datatrove splits punctuation off into tokens of their own (spaCy or NLTK), which lowers its
    alphabetic-word ratio: on the project's real English pages it drops about 6% more documents
    with rule 5 than this filter does.

    Languages without spaces (see `filters.text`): rules 1, 3 and 5 count word units (each
    Chinese, Japanese, Thai... character is one unit), which is more lenient than words; rule 2
    (mean word length) is skipped. The stop-word rule applies only to documents whose language
    is in `stop_words_languages` (default English) or unknown and written with spaces: the list is
    English, and a German or Chinese page cannot contain it.

    Signals: `words`, `mean_word_length`, `hash_ratio`, `ellipsis_ratio`, `bullet_lines_ratio`,
    `ellipsis_lines_ratio`, `alpha_words_ratio`, `stop_words` (the last two only where measured).
    """

    name = "gopher_quality"

    def __init__(
        self,
        min_doc_words: int | None = 50,
        max_doc_words: int | None = 100_000,
        min_avg_word_length: float | None = 3,
        max_avg_word_length: float | None = 10,
        max_symbol_word_ratio: float | None = 0.1,
        max_bullet_lines_ratio: float | None = 0.9,
        max_ellipsis_lines_ratio: float | None = 0.3,
        min_alpha_words_ratio: float | None = 0.8,
        min_stop_words: int | None = 2,
        stop_words: list[str] | None = None,
        stop_words_languages: Sequence[str] | None = ("en",),
    ):
        self.min_doc_words = check_number("min_doc_words", min_doc_words, minimum=0, integer=True, optional=True)
        self.max_doc_words = check_number("max_doc_words", max_doc_words, minimum=0, integer=True, optional=True)
        self.min_avg_word_length = check_number("min_avg_word_length", min_avg_word_length, minimum=0, optional=True)
        self.max_avg_word_length = check_number("max_avg_word_length", max_avg_word_length, minimum=0, optional=True)
        self.max_symbol_word_ratio = check_number(
            "max_symbol_word_ratio", max_symbol_word_ratio, minimum=0, optional=True
        )
        self.max_bullet_lines_ratio = check_ratio("max_bullet_lines_ratio", max_bullet_lines_ratio)
        self.max_ellipsis_lines_ratio = check_ratio("max_ellipsis_lines_ratio", max_ellipsis_lines_ratio)
        self.min_alpha_words_ratio = check_ratio("min_alpha_words_ratio", min_alpha_words_ratio)
        self.min_stop_words = check_number("min_stop_words", min_stop_words, minimum=0, integer=True, optional=True)
        self.stop_words = tuple(w.lower() for w in (check_str_list("stop_words", stop_words) or STOP_WORDS))
        languages = check_str_list("stop_words_languages", stop_words_languages)
        self.stop_words_languages = tuple(base_language(lang) for lang in languages) if languages else None
        if (
            self.min_doc_words is not None
            and self.max_doc_words is not None
            and self.min_doc_words > self.max_doc_words
        ):
            raise ParameterError("max_doc_words", "must not be below min_doc_words")
        self._stop = frozenset(self.stop_words)
        self._stop_forms = frozenset(f for w in self.stop_words for f in (w, w.capitalize(), w.upper()))

    def _stop_words_apply(self, language: str | None, unspaced: bool) -> bool:
        if self.min_stop_words is None:
            return False
        lang = base_language(language)
        if lang is None:
            return not unspaced
        return self.stop_words_languages is None or lang in self.stop_words_languages

    def filter(self, doc: DocumentLike) -> FilterResult:
        text = doc_text(doc)
        language = doc_language(doc)
        unspaced = profile(text, language).unspaced
        if unspaced:
            tokens = units(text)
            n_tokens = len(tokens)
            n_words = sum(1 for t in tokens if _WORD_CHAR.search(t))
            n_alpha = sum(1 for t in tokens if _LETTER.search(t))
            cores = None
        else:
            n_tokens = len(words(text))
            cores = _CORE.findall(text)
            n_words = len(cores)
            n_alpha = len(_ALPHA_WORD.findall(text))
        signals: dict[str, Any] = {"words": n_words}

        if self.min_doc_words is not None and n_words < self.min_doc_words:
            return FilterResult.dropped("gopher_short_doc", signals, f"words={n_words} < {self.min_doc_words}")
        if self.max_doc_words is not None and n_words > self.max_doc_words:
            return FilterResult.dropped("gopher_long_doc", signals, f"words={n_words} > {self.max_doc_words}")

        if cores:
            mean_length = sum(map(len, cores)) / len(cores)
            signals["mean_word_length"] = mean_length
            if self.min_avg_word_length is not None and mean_length < self.min_avg_word_length:
                return FilterResult.dropped(
                    "gopher_below_avg_threshold",
                    signals,
                    f"mean_word_length={fmt(mean_length)} < {fmt(self.min_avg_word_length)}",
                )
            if self.max_avg_word_length is not None and mean_length > self.max_avg_word_length:
                return FilterResult.dropped(
                    "gopher_above_avg_threshold",
                    signals,
                    f"mean_word_length={fmt(mean_length)} > {fmt(self.max_avg_word_length)}",
                )

        denominator = max(n_tokens, 1)
        hash_ratio = text.count("#") / denominator
        ellipsis_ratio = (text.count("...") + text.count("…")) / denominator
        signals["hash_ratio"] = hash_ratio
        signals["ellipsis_ratio"] = ellipsis_ratio
        if self.max_symbol_word_ratio is not None:
            if hash_ratio > self.max_symbol_word_ratio:
                return FilterResult.dropped(
                    "gopher_too_many_hashes",
                    signals,
                    f"hash_ratio={fmt(hash_ratio)} > {fmt(self.max_symbol_word_ratio)}",
                )
            if ellipsis_ratio > self.max_symbol_word_ratio:
                return FilterResult.dropped(
                    "gopher_too_many_ellipsis",
                    signals,
                    f"ellipsis_ratio={fmt(ellipsis_ratio)} > {fmt(self.max_symbol_word_ratio)}",
                )

        lines = text.splitlines() or [""]
        bullet_ratio = sum(1 for line in lines if line.lstrip().startswith(BULLETS)) / len(lines)
        end_ellipsis_ratio = sum(1 for line in lines if line.rstrip().endswith(("...", "…"))) / len(lines)
        signals["bullet_lines_ratio"] = bullet_ratio
        signals["ellipsis_lines_ratio"] = end_ellipsis_ratio
        if self.max_bullet_lines_ratio is not None and bullet_ratio > self.max_bullet_lines_ratio:
            return FilterResult.dropped(
                "gopher_too_many_bullets",
                signals,
                f"bullet_lines_ratio={fmt(bullet_ratio)} > {fmt(self.max_bullet_lines_ratio)}",
            )
        if self.max_ellipsis_lines_ratio is not None and end_ellipsis_ratio > self.max_ellipsis_lines_ratio:
            return FilterResult.dropped(
                "gopher_too_many_end_ellipsis",
                signals,
                f"ellipsis_lines_ratio={fmt(end_ellipsis_ratio)} > {fmt(self.max_ellipsis_lines_ratio)}",
            )

        alpha_ratio = n_alpha / denominator if n_tokens else 0.0
        signals["alpha_words_ratio"] = alpha_ratio
        if self.min_alpha_words_ratio is not None and alpha_ratio < self.min_alpha_words_ratio:
            return FilterResult.dropped(
                "gopher_below_alpha_threshold",
                signals,
                f"alpha_words_ratio={fmt(alpha_ratio)} < {fmt(self.min_alpha_words_ratio)}",
            )

        if cores is not None and self._stop_words_apply(language, unspaced):
            present = self._stop_forms.intersection(cores)
            n_stop = len({w.lower() for w in present}) if present else 0
            signals["stop_words"] = n_stop
            if n_stop < self.min_stop_words:
                return FilterResult.dropped(
                    "gopher_too_few_stop_words", signals, f"stop_words={n_stop} < {self.min_stop_words}"
                )
        return FilterResult.kept(signals)


# --------------------------------------------------------------------------------------------
# Repetition


def _duplicates(items: list[str]) -> tuple[int, int]:
    """How many items repeat an earlier one, and their characters."""
    seen: set[str] = set()
    n_dup = chars = 0
    for item in items:
        if item in seen:
            n_dup += 1
            chars += len(item)
        else:
            seen.add(item)
    return n_dup, chars


def _ngrams(tokens: list[str], n: int) -> list[tuple[str, ...]]:
    return list(zip(*(tokens[i:] for i in range(n)), strict=False))


def top_ngram_char_fraction(tokens: list[str], n: int, total_chars: int) -> float:
    """Characters in the occurrences of the most frequent word n-gram, over all word characters.

    Only an n-gram that occurs at least twice counts (a document too short to repeat anything
    scores 0).
    """
    if len(tokens) < n or total_chars <= 0:
        return 0.0
    grams = Counter(_ngrams(tokens, n))
    gram, occurrences = grams.most_common(1)[0]
    if occurrences < 2:
        return 0.0
    return occurrences * sum(map(len, gram)) / total_chars


def duplicate_ngram_char_fraction(tokens: list[str], lengths: list[int], n: int, total_chars: int) -> float:
    """Characters of the words covered by repeated n-grams, overlaps counted once, over all word
    characters. An occurrence counts as repeated when the same n-gram occurred earlier."""
    if len(tokens) < n or total_chars <= 0:
        return 0.0
    grams = _ngrams(tokens, n)
    first = dict(zip(reversed(grams), range(len(grams) - 1, -1, -1), strict=True))
    repeats = list(compress(count(), map(ne, map(first.__getitem__, grams), count())))
    if not repeats:
        return 0.0
    covered: set[int] = set()
    for offset in range(n):
        covered.update(map(add, repeats, [offset] * len(repeats)))
    return sum(map(lengths.__getitem__, covered)) / total_chars


def _ngram_thresholds(param: str, value: Any) -> tuple[tuple[int, float], ...]:
    """`[[2, 0.2], [3, 0.18]]` or `{2: 0.2, 3: 0.18}` -> ((2, 0.2), (3, 0.18)), checked."""
    if value is None:
        return ()
    items = list(value.items()) if isinstance(value, Mapping) else value
    try:
        pairs = [(item[0], item[1]) for item in items]
        if any(len(item) != 2 for item in items):
            raise TypeError
    except (TypeError, IndexError, KeyError):
        raise ParameterError(param, f"expected a list of [n, fraction] pairs, got {value!r}") from None
    checked = []
    for n, frac in pairs:
        if isinstance(n, str) and n.isdigit():
            n = int(n)
        n = check_number(param, n, minimum=1, integer=True)
        checked.append((n, check_ratio(param, frac, optional=False)))
    return tuple(sorted(checked))


class GopherRepetitionFilter(BaseFilter):
    """Gopher's repetition rules (Rae et al. 2021, appendix A.1.1, Table A1), with its thresholds.

    A document is dropped, first rule first, when:

    - more than `dup_para_frac` (0.30) of its paragraphs (split on blank lines) repeat an earlier
      paragraph, or those repeats hold more than `dup_para_char_frac` (0.20) of its characters —
      `dup_para_frac`, `dup_para_char_frac`;
    - the same for non-empty lines: `dup_line_frac` (0.30), `dup_line_char_frac` (0.20) —
      `dup_line_frac`, `dup_line_char_frac`;
    - the most frequent word 2-, 3-, 4-gram covers more than 0.20, 0.18, 0.16 of the word
      characters (`top_n_grams`) — `top_<n>_gram`;
    - repeated word 5- to 10-grams cover more than 0.15, 0.14, 0.13, 0.12, 0.11, 0.10 of the word
      characters, overlapping n-grams counted once (`dup_n_grams`) — `duplicated_<n>_n_grams`.

    Character fractions of n-grams are over the characters of whitespace words (the paper's
    "fraction of characters"); a "repeat" is an occurrence after the first. The reasons are
    datatrove's. A threshold set to None (or an empty list) turns its rule off.

    Languages without spaces (see `filters.text`): the n-gram rules run on word units, and since a
    unit is about half a word there, on n-grams of `unspaced_ngram_scale` (2) times n units; the
    paragraph and line rules need no words and apply unchanged.

    Signals: the fractions measured, named like the rules (`dup_para_frac`, ..., `top_2_gram`,
    `duplicated_5_n_grams`, ...); measuring stops at the first rule that drops.
    """

    name = "gopher_repetition"

    def __init__(
        self,
        dup_line_frac: float | None = 0.3,
        dup_para_frac: float | None = 0.3,
        dup_line_char_frac: float | None = 0.2,
        dup_para_char_frac: float | None = 0.2,
        top_n_grams: Any = ((2, 0.2), (3, 0.18), (4, 0.16)),
        dup_n_grams: Any = ((5, 0.15), (6, 0.14), (7, 0.13), (8, 0.12), (9, 0.11), (10, 0.10)),
        unspaced_ngram_scale: int = 2,
    ):
        self.dup_line_frac = check_ratio("dup_line_frac", dup_line_frac)
        self.dup_para_frac = check_ratio("dup_para_frac", dup_para_frac)
        self.dup_line_char_frac = check_ratio("dup_line_char_frac", dup_line_char_frac)
        self.dup_para_char_frac = check_ratio("dup_para_char_frac", dup_para_char_frac)
        self.top_n_grams = _ngram_thresholds("top_n_grams", top_n_grams)
        self.dup_n_grams = _ngram_thresholds("dup_n_grams", dup_n_grams)
        self.unspaced_ngram_scale = check_number("unspaced_ngram_scale", unspaced_ngram_scale, minimum=1, integer=True)

    def filter(self, doc: DocumentLike) -> FilterResult:
        text = doc_text(doc)
        signals: dict[str, Any] = {}
        if not text.strip():
            return FilterResult.kept(signals)
        n_chars = len(text)

        paragraphs = [p for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]
        n_dup, dup_chars = _duplicates(paragraphs)
        frac, char_frac = n_dup / len(paragraphs), dup_chars / n_chars
        signals["dup_para_frac"], signals["dup_para_char_frac"] = frac, char_frac
        if self.dup_para_frac is not None and frac > self.dup_para_frac:
            return FilterResult.dropped("dup_para_frac", signals, f"{fmt(frac)} > {fmt(self.dup_para_frac)}")
        if self.dup_para_char_frac is not None and char_frac > self.dup_para_char_frac:
            return FilterResult.dropped(
                "dup_para_char_frac", signals, f"{fmt(char_frac)} > {fmt(self.dup_para_char_frac)}"
            )

        lines = [line for line in text.splitlines() if line.strip()]
        n_dup, dup_chars = _duplicates(lines)
        frac, char_frac = n_dup / len(lines), dup_chars / n_chars
        signals["dup_line_frac"], signals["dup_line_char_frac"] = frac, char_frac
        if self.dup_line_frac is not None and frac > self.dup_line_frac:
            return FilterResult.dropped("dup_line_frac", signals, f"{fmt(frac)} > {fmt(self.dup_line_frac)}")
        if self.dup_line_char_frac is not None and char_frac > self.dup_line_char_frac:
            return FilterResult.dropped(
                "dup_line_char_frac", signals, f"{fmt(char_frac)} > {fmt(self.dup_line_char_frac)}"
            )

        if not self.top_n_grams and not self.dup_n_grams:
            return FilterResult.kept(signals)
        unspaced = profile(text, doc_language(doc)).unspaced
        tokens = units(text) if unspaced else words(text)
        scale = self.unspaced_ngram_scale if unspaced else 1
        lengths = list(map(len, tokens))
        total = sum(lengths)

        for n, threshold in self.top_n_grams:
            frac = top_ngram_char_fraction(tokens, n * scale, total)
            signals[f"top_{n}_gram"] = frac
            if frac > threshold:
                return FilterResult.dropped(f"top_{n}_gram", signals, f"{fmt(frac)} > {fmt(threshold)}")

        # Repeated (n+1)-grams cover a subset of what repeated n-grams cover, so once the fraction
        # is at or below every remaining threshold, no larger n can drop the document.
        previous = None
        for index, (n, threshold) in enumerate(self.dup_n_grams):
            if previous is not None and previous <= min(t for _, t in self.dup_n_grams[index:]):
                break
            frac = duplicate_ngram_char_fraction(tokens, lengths, n * scale, total)
            signals[f"duplicated_{n}_n_grams"] = frac
            if frac > threshold:
                return FilterResult.dropped(f"duplicated_{n}_n_grams", signals, f"{fmt(frac)} > {fmt(threshold)}")
            previous = frac
        return FilterResult.kept(signals)

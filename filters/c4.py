"""C4's cleaning rules (Raffel et al. 2020, "Exploring the Limits of Transfer Learning with a
Unified Text-to-Text Transformer", section 2.2; reference code: TensorFlow Datasets `c4_utils`).

C4 walks a page line by line: some rules remove a line, others discard the whole page. Here the
two halves are separate: `C4LineFilter` (registered as `c4_lines`) is a transformer that removes
lines, and `C4QualityFilter` (`c4_quality`) makes the page-level decisions on the lines C4 would
keep. Put `c4_lines` before `c4_quality` to get C4's behaviour (the page decisions then see the
cleaned text, and the line rules, run again, change nothing).
"""

from __future__ import annotations

import re
from collections import OrderedDict
from dataclasses import dataclass
from threading import Lock
from typing import Any

from filters.base import (
    BaseFilter,
    BaseTransformer,
    DocumentLike,
    FilterResult,
    TransformResult,
    check_bool,
    check_number,
    doc_language,
    doc_text,
)
from filters.text import SENTENCE_END, count_sentences, profile, split_units

CITATION = re.compile(r"\[\d*]|\[edit]|\[citation needed]")
POLICY_SUBSTRINGS = ("terms of use", "privacy policy", "cookie policy", "uses cookies", "use of cookies", "use cookies")
ELLIPSIS = "..."


@dataclass(frozen=True)
class _LineRules:
    remove_citations: bool
    filter_no_terminal_punct: bool
    min_words_per_line: int | None
    max_word_length: int | None
    filter_javascript: bool
    filter_policy: bool


@dataclass
class _Scan:
    kept: list[str]
    sentences: int
    lorem_at: int | None
    """Position (in lines read) of the first line C4 would judge that says "lorem ipsum"."""
    curly_at: int | None
    """Position of the first such line holding `{` (after the javascript rule, as in C4)."""
    removed: dict[str, int]
    lines: int


def _line_words(line: str, unspaced: bool) -> list[str]:
    return split_units(line) if unspaced else line.split()


def _scan(text: str, rules: _LineRules, unspaced: bool, unpunctuated: bool) -> _Scan:
    """C4's line loop, run to the end: the page-level findings are recorded, not acted on."""
    kept: list[str] = []
    removed = {"too_long_word": 0, "no_terminal_punct": 0, "too_few_words": 0, "javascript": 0, "policy": 0}
    sentences = 0
    lorem_at = curly_at = None
    n_lines = 0
    punct_rule = rules.filter_no_terminal_punct and not unpunctuated
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        n_lines += 1
        tokens = _line_words(line, unspaced)
        if rules.max_word_length is not None and any(len(t) > rules.max_word_length for t in tokens):
            removed["too_long_word"] += 1
            continue
        if rules.remove_citations and "[" in line:
            cleaned = CITATION.sub("", line).strip()
            if cleaned != line:
                line = cleaned
                tokens = _line_words(line, unspaced)
        if punct_rule and (not line or line[-1] not in SENTENCE_END or line.endswith(ELLIPSIS)):
            removed["no_terminal_punct"] += 1
            continue
        if rules.min_words_per_line is not None and len(tokens) < rules.min_words_per_line:
            removed["too_few_words"] += 1
            continue
        lowered = line.lower()
        if lorem_at is None and "lorem ipsum" in lowered:
            lorem_at = n_lines
        if rules.filter_javascript and "javascript" in lowered:
            removed["javascript"] += 1
            continue
        if curly_at is None and "{" in line:
            curly_at = n_lines
        if rules.filter_policy and any(p in lowered for p in POLICY_SUBSTRINGS):
            removed["policy"] += 1
            continue
        sentences += count_sentences(line)
        kept.append(line)
    return _Scan(kept, sentences, lorem_at, curly_at, removed, n_lines)


# What `c4_lines` measured on the text it produced: (text, rules, profile) -> (sentences,
# lorem_at, curly_at). `c4_quality` right after it looks its text up here instead of scanning
# it again (the line rules change nothing on lines they kept, and the order of findings stays).
_SEEN: OrderedDict[tuple, tuple[int, int | None, int | None]] = OrderedDict()
_SEEN_LOCK = Lock()
_SEEN_MAX = 64


def _remember(key: tuple, value: tuple[int, int | None, int | None]) -> None:
    with _SEEN_LOCK:
        _SEEN[key] = value
        _SEEN.move_to_end(key)
        while len(_SEEN) > _SEEN_MAX:
            _SEEN.popitem(last=False)


def _recall(key: tuple) -> tuple[int, int | None, int | None] | None:
    with _SEEN_LOCK:
        return _SEEN.get(key)


class _C4Lines:
    """The line-rule parameters shared by the filter and the transformer."""

    def _init_line_rules(
        self,
        remove_citations: bool,
        filter_no_terminal_punct: bool,
        min_words_per_line: int | None,
        max_word_length: int | None,
        filter_javascript: bool,
        filter_policy: bool,
    ) -> None:
        self.remove_citations = check_bool("remove_citations", remove_citations)
        self.filter_no_terminal_punct = check_bool("filter_no_terminal_punct", filter_no_terminal_punct)
        self.min_words_per_line = _off_at_minus_one(
            "min_words_per_line",
            check_number("min_words_per_line", min_words_per_line, minimum=-1, integer=True, optional=True),
        )
        self.max_word_length = _off_at_minus_one(
            "max_word_length", check_number("max_word_length", max_word_length, minimum=-1, integer=True, optional=True)
        )
        self.filter_javascript = check_bool("filter_javascript", filter_javascript)
        self.filter_policy = check_bool("filter_policy", filter_policy)
        self._rules = _LineRules(
            self.remove_citations,
            self.filter_no_terminal_punct,
            self.min_words_per_line,
            self.max_word_length,
            self.filter_javascript,
            self.filter_policy,
        )


def _off_at_minus_one(param: str, value: int | None) -> int | None:
    """datatrove's convention: -1 turns a rule off, like None."""
    return None if value is None or value == -1 else value


class C4QualityFilter(BaseFilter, _C4Lines):
    """C4's page-level rules, decided on the lines C4 keeps (Raffel et al. 2020, section 2.2).

    C4 keeps only lines that end in terminal punctuation (`.`, `!`, `?`, `"`, `'`; not `...`),
    have at least `min_words_per_line` (3) words and no word over `max_word_length` (1000)
    characters, do not mention "javascript", and hold no cookie or terms-of-use notice
    (`POLICY_SUBSTRINGS`, from the reference code); it removes Wikipedia citation marks first.
    Among those lines, a page is dropped when:

    - a line contains "lorem ipsum" — `lorem_ipsum`;
    - a line contains a curly bracket `{` — `curly_bracket`;
    - the kept lines hold fewer than `min_num_sentences` (5) sentences — `too_few_sentences`.

    The reasons are datatrove's. This filter does not edit the text: `C4LineFilter` does.
    FineWeb (Penedo et al. 2024) uses these rules with `filter_no_terminal_punct=False`, because
    the terminal-punctuation rule alone removes about 30% of tokens. C4's bad-words list is not
    applied. `min_num_sentences`, `min_words_per_line` and `max_word_length` accept None or -1
    (off).

    Sentences are counted with a regex (terminal marks followed by a space, or CJK full stops)
    instead of NLTK's Punkt. Terminal punctuation includes every Unicode sentence terminal (the
    ideographic full stop, the Devanagari danda, the Arabic question mark...) and typographic
    closing quotes. Languages without spaces (see `filters.text`): words per line are counted in
    word units, and long words are looked for among units. Thai and Lao end sentences without a
    mark: the terminal-punctuation rule is skipped for them.

    Signals: `sentences`, `lines`, `lines_kept`, and lines removed by each line rule.
    """

    name = "c4_quality"

    def __init__(
        self,
        remove_citations: bool = True,
        filter_no_terminal_punct: bool = True,
        min_num_sentences: int | None = 5,
        min_words_per_line: int | None = 3,
        max_word_length: int | None = 1000,
        filter_lorem_ipsum: bool = True,
        filter_javascript: bool = True,
        filter_curly_bracket: bool = True,
        filter_policy: bool = True,
    ):
        self._init_line_rules(
            remove_citations,
            filter_no_terminal_punct,
            min_words_per_line,
            max_word_length,
            filter_javascript,
            filter_policy,
        )
        self.min_num_sentences = _off_at_minus_one(
            "min_num_sentences",
            check_number("min_num_sentences", min_num_sentences, minimum=-1, integer=True, optional=True),
        )
        self.filter_lorem_ipsum = check_bool("filter_lorem_ipsum", filter_lorem_ipsum)
        self.filter_curly_bracket = check_bool("filter_curly_bracket", filter_curly_bracket)

    def filter(self, doc: DocumentLike) -> FilterResult:
        text = doc_text(doc)
        prof = profile(text, doc_language(doc))
        seen = _recall((text, self._rules, prof))
        if seen is not None:
            sentences, lorem_at, curly_at = seen
            signals: dict[str, Any] = {"sentences": sentences}
        else:
            scan = _scan(text, self._rules, prof.unspaced, prof.unpunctuated)
            sentences, lorem_at, curly_at = scan.sentences, scan.lorem_at, scan.curly_at
            signals = {"sentences": sentences, "lines": scan.lines, "lines_kept": len(scan.kept)}
            signals.update({f"lines_{k}": v for k, v in scan.removed.items()})
        findings = []
        if self.filter_lorem_ipsum and lorem_at is not None:
            findings.append((lorem_at, 0, "lorem_ipsum", "lorem ipsum"))
        if self.filter_curly_bracket and curly_at is not None:
            findings.append((curly_at, 1, "curly_bracket", "{"))
        if findings:
            _, _, reason, detail = min(findings)
            return FilterResult.dropped(reason, signals, detail)
        if self.min_num_sentences is not None and sentences < self.min_num_sentences:
            return FilterResult.dropped(
                "too_few_sentences", signals, f"sentences={sentences} < {self.min_num_sentences}"
            )
        return FilterResult.kept(signals)


class C4LineFilter(BaseTransformer, _C4Lines):
    """C4's line cleaning as a transformer: removes the lines C4 removes, keeps the rest.

    The line rules and their defaults are `C4QualityFilter`'s (Raffel et al. 2020, section 2.2):
    a line is removed when, after Wikipedia citation marks are taken out, it does not end in
    terminal punctuation (or ends in `...`), has fewer than `min_words_per_line` (3) words, has a
    word over `max_word_length` (1000) characters, mentions "javascript", or holds a cookie or
    terms-of-use notice. Kept lines are stripped and joined with single newlines (blank lines
    go), as C4 does. Lines that trigger C4's page-level rules (lorem ipsum, `{`) are kept for
    `c4_quality` to judge. In a chain, a page left empty is dropped as `empty_after_c4_lines`.
    The same adaptations for other writing systems apply (see `C4QualityFilter`).

    Signals: `lines`, `lines_kept`, `lines_<rule>` for each line rule, `chars_removed`.
    """

    name = "c4_lines"

    def __init__(
        self,
        remove_citations: bool = True,
        filter_no_terminal_punct: bool = True,
        min_words_per_line: int | None = 3,
        max_word_length: int | None = 1000,
        filter_javascript: bool = True,
        filter_policy: bool = True,
    ):
        self._init_line_rules(
            remove_citations,
            filter_no_terminal_punct,
            min_words_per_line,
            max_word_length,
            filter_javascript,
            filter_policy,
        )

    def transform(self, doc: DocumentLike) -> TransformResult:
        text = doc_text(doc)
        language = doc_language(doc)
        prof = profile(text, language)
        scan = _scan(text, self._rules, prof.unspaced, prof.unpunctuated)
        new_text = "\n".join(scan.kept)
        if new_text and profile(new_text, language) == prof:
            _remember((new_text, self._rules, prof), (scan.sentences, scan.lorem_at, scan.curly_at))
        signals: dict[str, Any] = {"lines": scan.lines, "lines_kept": len(scan.kept)}
        signals.update({f"lines_{k}": v for k, v in scan.removed.items()})
        signals["chars_removed"] = len(text) - len(new_text)
        return TransformResult(new_text, signals)

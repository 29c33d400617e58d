"""Pattern recognizers as data, and the one recognizer that runs them.

A `RecognizerSpec` is what Presidio's `PatternRecognizer` is, patterns plus context words plus a
validator, with a `trigger`: a cheap regex the engine's pre-screen runs once over the whole
document, so the patterns only ever see short windows around candidates. `WebRecognizer(spec)`
runs one as a `presidio_analyzer.LocalRecognizer`; nothing logs the text it looks at.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from presidio_analyzer import LocalRecognizer, RecognizerResult


def _context_regex(words: str) -> re.Pattern[str]:
    """Any of the `|`-separated words; a Latin-script word must start a word ("tel" not in "hotel").

    The words are compiled as a prefix tree (one branch per next character) behind a test of the
    first character, so each position costs a few character tests rather than one try per word:
    with sixty words, a document of a million short digit groups spent over ten seconds here.
    """
    unique = list(dict.fromkeys(words.split("|")))
    latin = [w for w in unique if w[:1].isalpha() and w[:1].isascii()]
    other = [w for w in unique if w not in latin]
    parts = [r"(?<![^\W\d_])" + prefix_tree(latin)] if latin else []
    parts += [prefix_tree(other)] if other else []
    # A cheap first test at each position: the character must be one a word can start with.
    firsts = "".join(sorted({re.escape(w[0]) for w in unique}))
    return re.compile(f"(?=[{firsts}])(?:{'|'.join(parts)})", re.IGNORECASE)


def prefix_tree(words: list[str]) -> str:
    """Regex source matching exactly `words`, factored by common prefixes (``tel(?:efon)?|...``)."""
    tree: dict[str, dict] = {}
    for word in words:
        node = tree
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    return _tree_source(tree)


def _tree_source(node: dict[str, dict]) -> str:
    branches = [re.escape(char) + _tree_source(child) for char, child in node.items() if char]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if "" in node else body


def _before(text: str, start: int, reach: int) -> str:
    """Up to `reach` characters before `start`, on the same line."""
    window = text[max(0, start - reach) : start]
    return window.rsplit("\n", 1)[-1]


DIGIT_RUN_TRIGGER = r"(?:\+|\(\d|\d)[\d ().\-/]{5,40}\d"
"""A run of seven or more digits and separators: the pre-screen of phone numbers and of every
digit-led identifier (recognizers with the same trigger and reach share one scan of the text)."""
DIGIT_RUN_REACH = 64

MatchScore = Callable[[str, "re.Match[str]", "str | None"], float]
"""A score computed from the whole text, the match (context on either side) and the document's
region (an ISO 3166 code from its language, or None); 0 or less rejects."""


@dataclass(frozen=True)
class WebPattern:
    """One regex of a recognizer: the span is `group` of each match, scored `score` (a number, or
    a function of the text and the match), kept only when `validate` accepts the span's text.
    When it does not and `retry_before_last` is set, the span cut before its last such separator
    is tried once (an IBAN's short last group may be the next word)."""

    regex: re.Pattern[str]
    score: float | MatchScore
    group: int = 0
    validate: Callable[[str], bool] | None = None
    retry_before_last: str | None = None


@dataclass(frozen=True)
class RecognizerSpec:
    """A pattern recognizer as data.

    `trigger` is the pre-screen's regex: windows of `reach` characters around its matches are
    all the patterns see. `max_match` is the longest match the patterns can produce: a match that
    starts inside a window is read up to this far past its end, so a lookahead never passes at an
    artificial edge and a long token is neither cut short nor missed. `context` words within
    `context_reach` characters before a span, on its line, add `context_boost` to its score.
    `languages`, when given, are the document languages the recognizer runs on by default (a
    country's identifier on pages in its languages; documents of unknown language too); named
    in `pii.entities`, its entity is looked for in every document.
    """

    name: str
    entity: str
    trigger: str
    patterns: tuple[WebPattern, ...]
    reach: int = 80
    max_match: int = 1024
    context: re.Pattern[str] | None = None
    context_reach: int = 48
    context_boost: float = 0.0
    languages: tuple[str, ...] = ()


class WebRecognizer(LocalRecognizer):
    """Runs a `RecognizerSpec`; results carry no explanation and nothing is logged."""

    def __init__(self, spec: RecognizerSpec, supported_language: str = "en"):
        self.spec = spec
        super().__init__(supported_entities=[spec.entity], supported_language=supported_language, name=spec.name)

    def load(self) -> None:
        """Nothing to load: patterns are compiled at import."""

    def analyze(self, text, entities, nlp_artifacts=None) -> list[RecognizerResult]:
        """Presidio's entry point: `find` over the whole text."""
        return self.find(text)

    def find(
        self, text: str, pos: int = 0, endpos: int | None = None, region: str | None = None
    ) -> list[RecognizerResult]:
        """Results that start in `text[pos:endpos]`, with offsets into `text`; context outside the window
        counts. `region` is the document's likely country (phone numbers in its national layout)."""
        spec = self.spec
        endpos = len(text) if endpos is None else endpos
        results = []
        for pattern in spec.patterns:
            for match in self._matches(pattern.regex, text, pos, endpos):
                start, matched_end = match.span(pattern.group)
                end = _validated_end(pattern, text, start, matched_end)
                if end is None:
                    continue
                score = pattern.score if isinstance(pattern.score, float) else pattern.score(text, match, region)
                if score <= 0:
                    continue
                if spec.context is not None and spec.context.search(_before(text, start, spec.context_reach)):
                    score += spec.context_boost
                results.append(RecognizerResult(spec.entity, start, end, round(min(score, 1.0), 4)))
        return results

    def _matches(self, pattern: re.Pattern[str], text: str, pos: int, endpos: int) -> Iterator[re.Match[str]]:
        """Matches of `pattern` that start in `text[pos:endpos]`, read in full even past `endpos`."""
        for match in pattern.finditer(text, pos, min(len(text), endpos + self.spec.max_match)):
            if match.start() >= endpos:
                return
            yield match


def _validated_end(pattern: WebPattern, text: str, start: int, end: int) -> int | None:
    """The end of the span `pattern.validate` accepts (the whole, or cut before its last separator), or None."""
    if pattern.validate is None or pattern.validate(text[start:end]):
        return end
    if pattern.retry_before_last is not None:
        cut = text.rfind(pattern.retry_before_last, start, end)
        if cut > start and pattern.validate(text[start:cut]):
            return cut
    return None


def luhn_valid(digits: str) -> bool:
    """Whether a digit string passes the Luhn checksum."""
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = ord(char) - 48
        if index % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0

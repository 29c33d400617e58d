"""The text the pattern recognizers read: hidden and spelled-out forms undone, spans mapped back.

Personal data hides behind what a reader does not see or reads past: invisible characters inside
a number or an address (zero-width space, joiner, word joiner, soft hyphen, byte-order mark),
fullwidth forms (an address or a phone number typed in U+FF01-U+FF5E), digits of other scripts
(Arabic-Indic, Persian, Devanagari, Bengali), and e-mail addresses spelled out to fool scrapers
(``name [at] example [dot] com``, ``name(at)example.com``, ``name at example dot com``,
``john%40example.com``, ``john&#64;example.com``). `detection_view` gives the text with all of that
undone, and maps each span found in it back to the original text, widened over what was hidden
inside it, so anonymization leaves nothing of the value behind.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]+")
"""Soft hyphen, zero-width space, non-joiner and joiner, word joiner, byte-order mark. (Joiners
carry meaning in Persian, Indic scripts and emoji; they are removed only from this view.)"""

_DIGIT_BLOCKS = (0x0660, 0x06F0, 0x0966, 0x09E6, 0xFF10)
"""Zero of the Arabic-Indic, Persian, Devanagari, Bengali and fullwidth digits."""
_FOLD = str.maketrans(
    {chr(code): chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)}  # fullwidth ASCII forms
    | {chr(zero + digit): str(digit) for zero in _DIGIT_BLOCKS for digit in range(10)}
    | {"\u3000": " "}
)
"""One character for one, so offsets do not move."""
_FOLDABLE = re.compile("[\uff01-\uff5e\u3000" + "".join(f"{chr(z)}-{chr(z + 9)}" for z in _DIGIT_BLOCKS[:-1]) + "]+")


def _fold(text: str) -> str:
    """Fullwidth forms and other scripts' digits as ASCII (only where there are any: `translate` on
    every page would cost more than all the recognizers)."""
    return _FOLDABLE.sub(lambda run: run.group().translate(_FOLD), text)


_TOKEN = r"[^\W_](?:[\w\-]{0,61}[^\W_])?"
_LOCAL = r"(?<![\w.+%\-])[\w+\-](?:[\w.+\-]{0,62}[\w+\-])?"
_BRACKETED_AT = r"\s{0,3}[\[({<]\s{0,2}(?:at|@)\s{0,2}[\])}>]\s{0,3}"
_ENCODED_AT = r"%40|&#0{0,3}64;|&#[xX]0{0,3}40;"
_BRACKETED_DOT = r"\s{0,3}[\[({<]\s{0,2}(?:dot|\.)\s{0,2}[\])}>]\s{0,3}"
_SPACED_AT = r"\s{1,3}at\s{1,3}"
_SPACED_DOT = r"\s{1,3}dot\s{1,3}"
_SPELLED_EMAIL = re.compile(
    # A bracketed or encoded "@" with plain or spelled dots; or a spaced " at " whose dots are all
    # spelled too ("write to name at example dot com"), never "look at example.com".
    rf"{_LOCAL}(?:(?:{_BRACKETED_AT}|{_ENCODED_AT}){_TOKEN}(?:(?:{_BRACKETED_DOT}|{_SPACED_DOT}|\.){_TOKEN}){{1,8}}"
    rf"|{_SPACED_AT}{_TOKEN}(?:(?:{_BRACKETED_DOT}|{_SPACED_DOT}){_TOKEN}){{1,8}})(?![\w@])",
    re.IGNORECASE,
)
_SPELLED_HINTS = (
    *("%40", "&#", "@]", "@)", "@ "),
    *("at]", "at)", "at}", "at>", "AT]", "AT)", "At]", "At)"),
    *("dot ", "DOT", "Dot "),
)
"""Substrings every spelled-out address has one of (a substring test is far cheaper than a regex)."""
_SPELLED_PART = re.compile(
    rf"(?P<at>{_BRACKETED_AT}|{_ENCODED_AT}|{_SPACED_AT})|(?P<dot>{_BRACKETED_DOT}|{_SPACED_DOT})", re.IGNORECASE
)


@dataclass(frozen=True)
class _Edits:
    """`view` is `source` with `source[a:b]` replaced by `r` for each edit (a, b, r), in order."""

    view: str
    view_starts: list[int]
    view_ends: list[int]
    source_starts: list[int]
    source_ends: list[int]

    @classmethod
    def apply(cls, source: str, edits: list[tuple[int, int, str]]) -> _Edits:
        pieces: list[str] = []
        view_starts, view_ends, source_starts, source_ends = [], [], [], []
        cursor = length = 0
        for start, end, replacement in edits:
            pieces.append(source[cursor:start])
            length += start - cursor
            view_starts.append(length)
            pieces.append(replacement)
            length += len(replacement)
            view_ends.append(length)
            source_starts.append(start)
            source_ends.append(end)
            cursor = end
        pieces.append(source[cursor:])
        return cls("".join(pieces), view_starts, view_ends, source_starts, source_ends)

    def _at(self, position: int, end: bool) -> int:
        index = bisect.bisect_right(self.view_starts, position) - 1
        if index >= 0 and position < self.view_ends[index]:  # inside a replacement: all of what it replaced
            return self.source_ends[index] if end else self.source_starts[index]
        shift = self.source_ends[index] - self.view_ends[index] if index >= 0 else 0
        return position + shift + (1 if end else 0)

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """The source span of the view's `[start, end)`, widened over what was removed inside it."""
        if end <= start:
            return self._at(start, False), self._at(start, False)
        return self._at(start, False), self._at(end - 1, True)


@dataclass(frozen=True)
class TextView:
    """The text recognizers read (`text`) and the way back to the original's offsets."""

    text: str
    _steps: tuple[_Edits, ...]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The span of the original text that `text[start:end]` was made from."""
        for step in reversed(self._steps):
            start, end = step.source_span(start, end)
        return start, end


def _hint_windows(text: str) -> list[tuple[int, int]]:
    """Merged windows around every hint: an address starts at most 64 characters before its "at"."""
    windows = []
    for hint in _SPELLED_HINTS:
        position = text.find(hint)
        while position >= 0:
            windows.append((max(0, position - 80), min(len(text), position + 400)))
            position = text.find(hint, position + 1)
    merged: list[tuple[int, int]] = []
    for start, end in sorted(windows):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _spelled_out_edits(text: str) -> list[tuple[int, int, str]]:
    edits: list[tuple[int, int, str]] = []
    for start, end in _hint_windows(text):
        for address in _SPELLED_EMAIL.finditer(text, start, end):
            if edits and address.start() < edits[-1][1]:
                continue
            for part in _SPELLED_PART.finditer(text, address.start(), address.end()):
                edits.append((part.start(), part.end(), "@" if part.lastgroup == "at" else "."))
    return edits


def detection_view(text: str) -> TextView | None:
    """The view of `text` the pattern recognizers read, or None when it is `text` itself."""
    ascii_only = text.isascii()
    folded = text if ascii_only else _fold(text)
    steps = []
    if not ascii_only:
        removals = [(m.start(), m.end(), "") for m in _INVISIBLE.finditer(folded)]
        if removals:
            steps.append(_Edits.apply(folded, removals))
            folded = steps[-1].view
    spelled = _spelled_out_edits(folded)
    if spelled:
        steps.append(_Edits.apply(folded, spelled))
        folded = steps[-1].view
    if folded == text:
        return None
    return TextView(folded, tuple(steps))

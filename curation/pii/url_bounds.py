"""Presidio's URL recognizer in linear time: its patterns are tried only where a URL can start.

Presidio's URL patterns read up to 253 host characters from every position of the text and, at
each dot they pass, try its ~675 top-level domains: a page of ``a.a.a.a.`` costs about 15 s per
20,000 characters (and Presidio gives up on a pattern after 60 s, losing its matches). Every match
of those patterns holds a dot followed by a top-level domain (a *TLD dot*) at most `reach`
characters after its start, with only host characters ``[a-z0-9.-]`` before it apart from a
leading quote and ``https://``. `CandidateFinder` finds the TLD dots once per text and tries the
pattern only at the starts that can reach one, in order: its matches are exactly the ones
`finditer` returns over the whole text.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

import regex

from curation.pii.patterns import prefix_tree

_HOST_PART = regex.compile(r"\[a-z0-9\.\\-\]\{1,(\d+)\}\[\.\]\(")
"""The host and its last dot in Presidio's URL patterns, just before the TLD group."""
_INLINE_FLAGS = regex.compile(r"\(\?[a-zA-Z]+\)")
_PLAIN_ALTERNATIVE = regex.compile(r"\(\?:([A-Za-z0-9\-]+)\)")
_TOKEN = regex.compile(r"\S+")
_PREFIX = len("'https://")
"""Characters a match can hold before its first host character."""
_WWW = len("www999.")


def _group_at(source: str, start: int) -> str | None:
    """The parenthesized group that opens at `source[start]`, or None when it does not close."""
    depth = 0
    index = start
    while index < len(source):
        char = source[index]
        if char == "\\":
            index += 2
            continue
        if char == "[":
            index = source.find("]", index + 2)
            if index < 0:
                return None
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return source[start : index + 1]
        index += 1
    return None


class _TldDots:
    """The TLD dots of the last text seen, each with the first position a match through it can start."""

    def __init__(self, head: str, tlds: str, flags: int, reach: int):
        self._dot = regex.compile(rf"{head}[.](?={_as_prefix_tree(tlds)})", flags)
        self._host = regex.compile(rf"{head}[a-z0-9.\-]+", flags)
        self._reach = reach
        self._last: tuple[str | None, list[tuple[int, int]]] = (None, [])

    def of(self, text: str) -> list[tuple[int, int]]:
        """(lowest start, dot position) for each TLD dot of `text`, in order."""
        last_text, found = self._last
        if last_text is not text:
            found = self._find(text)
            self._last = (text, found)
        return found

    def _find(self, text: str) -> list[tuple[int, int]]:
        dots = [m.start() for m in self._dot.finditer(text)]
        if not dots:
            return []
        hosts = [m.start() for m in self._host.finditer(text)]
        tokens = [m.start() for m in _TOKEN.finditer(text)]
        found = []
        for dot in dots:
            host = hosts[bisect.bisect_right(hosts, dot) - 1]
            token = tokens[bisect.bisect_right(tokens, dot) - 1]
            found.append((max(dot - self._reach, host - _PREFIX, token), dot))
        return found


def _as_prefix_tree(group: str) -> str:
    """`(?:(?:com)|(?:co)|...)` as a prefix tree (the same strings, tried in a few steps); any
    other group as it is."""
    words = [_PLAIN_ALTERNATIVE.fullmatch(alt) for alt in group[3:-1].split("|")] if group.startswith("(?:") else []
    if not words or not all(words):
        return group
    return "(?:" + prefix_tree([word.group(1) for word in words]) + ")"


class CandidateFinder:
    """A stand-in for one compiled Presidio URL pattern with the same `finditer`, trying only
    the starts from which a TLD dot can be reached and where the pattern's head (a quote,
    ``https://``) and a host character follow."""

    def __init__(self, compiled: Any, starts: Any, dots: _TldDots):
        self._regex = compiled
        self._starts = starts
        self._dots = dots

    def finditer(self, text: str, timeout: float | None = None) -> Iterator[Any]:
        """The pattern's matches in `text`, as `compiled.finditer(text)` gives them."""
        cursor = previous_dot = 0
        for low, dot in self._dots.of(text):
            # The head holds no dot, so a match starting before `dot` shows its head and first
            # host character by `dot + 1`.
            for start in self._starts.finditer(text, max(cursor, low, previous_dot), dot + 1):
                position = start.start()
                if position >= dot:
                    break
                if position < cursor:
                    continue
                match = self._regex.match(text, position, timeout=timeout)
                if match is not None:
                    yield match
                    cursor = match.end()
            previous_dot = dot


def _start_filter(source: str, head_start: int, host_start: int, flags: int) -> Any:
    """A zero-width regex that holds where the pattern's head and one host character follow."""
    head = source[head_start:host_start]
    unclosed = _depth(head)
    return regex.compile(rf"{source[:head_start]}(?={head}{')' * unclosed}[a-z0-9.\-])", flags)


def _depth(source: str) -> int:
    """Groups left open at the end of `source`."""
    depth = index = 0
    while index < len(source):
        char = source[index]
        if char == "\\":
            index += 1
        elif char == "[":
            index = source.find("]", index + 2)
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        index += 1
    return depth


@lru_cache(maxsize=8)
def _tld_dots(head: str, tlds: str, flags: int, reach: int) -> _TldDots:
    """One finder per TLD group, shared by the patterns and languages, so a text is scanned once."""
    return _TldDots(head, tlds, flags, reach)


def bound_url_recognizer(recognizer: Any) -> int:
    """Swap in a `CandidateFinder` for each pattern of a Presidio `UrlRecognizer` whose layout
    is the known one (host ``[a-z0-9.-]{1,N}``, a dot, a TLD group); returns how many were swapped."""
    flags = recognizer.global_regex_flags
    swapped = 0
    for pattern in recognizer.patterns:
        host = _HOST_PART.search(pattern.regex)
        tlds = _group_at(pattern.regex, host.end() - 1) if host else None
        if tlds is None:
            continue
        lead = _INLINE_FLAGS.match(pattern.regex)
        head_start = lead.end() if lead else 0
        dots = _tld_dots(pattern.regex[:head_start], tlds, flags, _PREFIX + _WWW + int(host.group(1)))
        starts = _start_filter(pattern.regex, head_start, host.start(), flags)
        pattern.compiled_regex = CandidateFinder(regex.compile(pattern.regex, flags), starts, dots)
        pattern.compiled_with_flags = flags
        swapped += 1
    return swapped

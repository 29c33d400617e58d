"""Every filter and PII recognizer finishes in linear time on pathological text.

Each call gets about a megabyte of one bad shape (one long run of a punctuation mark, digits,
letters, e-mail, IP, phone and URL look-alikes, many short lines, one giant line...) and must
finish within `LIMIT_S`. A linear pass takes well under a second; a quadratic one on a megabyte
takes hours (the old Gopher alphabetic-word regex took 21 s on 40,000 `=`). The rewritten
regexes are also checked against the old ones on ordinary text.
"""

from __future__ import annotations

import random
import re
import signal
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest

from curation.config import PiiConfig
from curation.pii import PiiEngine
from curation.pii.ner import spacy_model_installed
from curation.pii.recognizers import _context_regex
from filters.c4 import C4LineFilter, C4QualityFilter
from filters.gopher import _ALPHA_WORD
from filters.registry import REGISTRY
from filters.text import _SENTENCE_BREAK, TERMINAL_PUNCTUATION, count_sentences
from filters.urls import _parents

SIZE = 1_000_000
LIMIT_S = 5.0
URL_CHARS = 100_000
"""URL length given to every filter: Python's IDNA codec alone takes ~3 µs per non-ASCII character."""
NER_SIZE = 16_000
"""spaCy reads about 60 µs of text per character of "a a a ...": linear, but a megabyte is a minute."""


def _repeat(unit: str, size: int = SIZE) -> str:
    return (unit * (size // len(unit) + 1))[:size]


SHAPES: dict[str, str] = {
    "equals": "=" * SIZE,
    "digits": "7" * SIZE,
    "letters": "a" * SIZE,
    "email": _repeat("a@"),
    "email_dots": _repeat("a.a@"),
    "ip": _repeat("1."),
    "dashes": "-" * SIZE,
    "phone": _repeat("+1 ("),
    "phone_groups": _repeat("1 "),
    "url": "http://" + "a" * SIZE,
    "url_dots": _repeat("a."),
    "words": _repeat("a "),
    "ellipsis_lines": _repeat("...\n"),
    "bullets": _repeat("• item\n"),
    "short_lines": _repeat("One two three.\n"),
    "hashes": "#" * SIZE,
    "newlines": "\n" * SIZE,
    "spaces": " " * SIZE,
    "mixed": _repeat("=a="),
    # One line ending in a full stop, so that C4 counts its sentences.
    "mark_runs": _repeat("." * 999 + "a ") + " b c.",
    "marks_then_letter": "." * SIZE + "a b c.",
    "citations": _repeat("[1"),
    "cjk": _repeat("中文="),
    "key_block": _repeat("-----BEGIN PRIVATE KEY-----\n"),
}

FILTER_ARGS: dict[str, dict[str, Any]] = {
    "url": {"block_domains": ["example.com"], "allow_domains": ["ok.example.org"], "banned_words": ["casino"]},
    "domain": {"block_domains": ["example.com"], "allow_domains": ["ok.example.org"]},
}
FILTERS: dict[str, Callable[[Any], Any]] = {
    name: cls(**FILTER_ARGS.get(name, {})) for name, cls in REGISTRY.items() if name != "fasttext_classifier"
}
# C4 without its 1,000-character word limit reads every mark run into its sentence counter.
FILTERS["c4_quality_no_word_limit"] = C4QualityFilter(max_word_length=None)
FILTERS["c4_lines_no_word_limit"] = C4LineFilter(max_word_length=None)


class _TooSlow(Exception):
    pass


def _interrupt(signum: int, frame: Any) -> None:
    raise _TooSlow


def _seconds(call: Callable[[], Any]) -> float:
    """Seconds `call` took; a call still running at twice the limit is stopped (a quadratic one
    would run for hours) and reported as infinitely slow."""
    use_alarm = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGALRM, _interrupt) if use_alarm else None
    if use_alarm:
        signal.setitimer(signal.ITIMER_REAL, 2 * LIMIT_S)
    start = time.perf_counter()
    try:
        call()
    except _TooSlow:
        return float("inf")
    finally:
        if use_alarm:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
    return time.perf_counter() - start


@pytest.fixture(scope="module")
def engine() -> PiiEngine:
    return PiiEngine()


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("name", FILTERS)
def test_filters_are_linear(name: str, shape: str) -> None:
    text = SHAPES[shape]
    doc = {"text": text, "url": "http://" + text[:URL_CHARS]}
    elapsed = _seconds(lambda: FILTERS[name](doc))
    assert elapsed < LIMIT_S, f"{name} took {elapsed:.1f} s on {shape}"


@pytest.mark.parametrize("shape", ["ip", "url_dots", "digits"])
@pytest.mark.parametrize("name", ["url", "domain"])
def test_url_filters_are_linear_on_a_huge_host(name: str, shape: str) -> None:
    """A megabyte host of dots: its parent domains were joined label by label (quadratic memory)."""
    doc = {"text": "x", "url": "http://" + SHAPES[shape]}
    elapsed = _seconds(lambda: FILTERS[name](doc))
    assert elapsed < LIMIT_S, f"{name} took {elapsed:.1f} s on {shape}"


@pytest.mark.parametrize("shape", SHAPES)
def test_pii_default_tier_is_linear(engine: PiiEngine, shape: str) -> None:
    elapsed = _seconds(lambda: engine.scrub(SHAPES[shape]))
    assert elapsed < LIMIT_S, f"PII took {elapsed:.1f} s on {shape}"


@pytest.fixture(scope="module")
def url_engine() -> PiiEngine:
    return PiiEngine(entities=["EMAIL_ADDRESS", "URL"])


@pytest.mark.parametrize("shape", ["url_dots", "url", "email_dots", "equals", "words", "ip"])
def test_presidio_url_recognizer_is_linear(url_engine: PiiEngine, shape: str) -> None:
    """Presidio's own URL patterns take ~15 s on 20,000 characters of ``a.a.a.``."""
    elapsed = _seconds(lambda: url_engine.detect(SHAPES[shape], "en"))
    assert elapsed < LIMIT_S, f"URL took {elapsed:.1f} s on {shape}"


NER_SHAPES = ["equals", "letters", "newlines", "short_lines", "marks_then_letter", "cjk", "words", "mixed"]


@pytest.mark.skipif(not spacy_model_installed(PiiConfig().ner_model), reason="the spaCy model is not installed")
@pytest.mark.parametrize("shape", NER_SHAPES)
def test_pii_ner_tier_is_linear(shape: str) -> None:
    engine = _ner_engine()
    text = SHAPES[shape]
    # Shapes that hold names-to-be go through spaCy itself: a smaller piece of them.
    text = text if shape in ("equals", "newlines", "marks_then_letter", "cjk") else text[:NER_SIZE]
    elapsed = _seconds(lambda: engine.detect(text))
    assert elapsed < LIMIT_S, f"NER took {elapsed:.1f} s on {shape}"


_NER: list[PiiEngine] = []


def _ner_engine() -> PiiEngine:
    if not _NER:
        _NER.append(PiiEngine(ner=True))
    return _NER[0]


# ---------------------------------------------------------------------------------------------
# The rewritten regexes give what the old ones gave


NORMAL_TEXTS = [
    "The quick brown fox jumps over the lazy dog. It was 2024 -- and 3.5% of 12 (x1) agreed!",
    "naïve café «quoted» 中文 text, e.g. https://example.com/a?b=1 and user@example.org",
    "  leading\tand trailing  \n\n  lines ... • bullets\n- dashes 123 456 ## hashes",
    "Ünïcödé wörds, Ελληνικά λέξεις, русские слова, عربي, हिन्दी, 한국어 단어, ½ ² ³ Ⅻ",
    "=a= == ==b 1a 1 2 3 _ __ _x_ 'quoted' \"double\" (paren) [1] [edit] ... … ‽",
]
_OLD_ALPHA_WORD = re.compile(r"\S*?[^\W\d_]\S*")
_OLD_SENTENCE_BREAK = re.compile(
    "(?:[" + re.escape("".join(sorted(TERMINAL_PUNCTUATION))) + "]+[\"'\u201d\u2019\u00bb\u300d\u300f)\\]]*)(?:\\s+|$)"
    "|(?<=[\u3002\uff01\uff1f\uff61])"
)


def _random_texts(alphabet: list[str], count: int, seed: int, longest: int = 16) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, longest))) for _ in range(count)]


def test_gopher_alpha_words_equal_the_old_regex() -> None:
    alphabet = ["a", "É", "中", "1", "½", "_", "=", " ", "\n", "\t", "\u00a0", "\u3000", ".", "ab1", "'"]
    texts = NORMAL_TEXTS + _random_texts(alphabet, 3000, seed=1)
    for text in texts:
        assert len(_ALPHA_WORD.findall(text)) == len(_OLD_ALPHA_WORD.findall(text)), repr(text)
    assert sum(len(_ALPHA_WORD.findall(t)) for t in NORMAL_TEXTS) > 50


def test_gopher_filter_on_a_page_with_a_huge_run_of_equals() -> None:
    page = " ".join(["Their house stood beside another quiet river, and that was all."] * 20) + " " + "=" * 100_000
    result = REGISTRY["gopher_quality"]()(page)
    assert result.keep
    assert result.signals["alpha_words_ratio"] == pytest.approx(220 / 221)


def test_sentence_breaks_equal_the_old_regex() -> None:
    alphabet = [*".!?。\uff01\uff1f｡\u0964 \naB'\"\u201d)]中"]
    for text in NORMAL_TEXTS + _random_texts(alphabet, 5000, seed=2):
        assert _SENTENCE_BREAK.split(text) == _OLD_SENTENCE_BREAK.split(text), repr(text)
    assert count_sentences("One. Two! Three? 四。五。 Six...") == 6


def _old_context_regex(words: str) -> re.Pattern[str]:
    alternatives = [
        (r"(?<![^\W\d_])" if w[:1].isalpha() and w[:1].isascii() else "") + re.escape(w) for w in words.split("|")
    ]
    return re.compile("|".join(alternatives), re.IGNORECASE)


def test_context_words_match_where_the_old_regex_matched() -> None:
    words = "phone|tel|tel.|telefon|téléphone|call|al |ph:|text us|ssn|ss #|номер|电话|携帯|カード"
    new, old = _context_regex(words), _old_context_regex(words)
    alphabet = [*words.split("|"), "a", "É", "1", " ", ".", ":", "#", "ho", "TEL", "Phone", "\u017fsn", "\u212a"]
    texts = [*NORMAL_TEXTS, "Call me", "hotel 555", "HOTEL", "my ph: 555", "tel.555"]
    for text in texts + _random_texts(alphabet, 5000, seed=3, longest=5):
        assert bool(new.search(text)) == bool(old.search(text)), repr(text)


def test_parent_domains_as_before() -> None:
    def old(host: str) -> list[str]:
        labels = host.split(".")
        return [".".join(labels[i:]) for i in range(len(labels))]

    for host in ["a.b.example.com", "example.com", "com", "", ".", "a..b.", *_random_texts(["a", "b", "."], 500, 4)]:
        assert _parents(host) == old(host)
        assert _parents(host, 5) == [parent for parent in old(host) if len(parent) <= 5]


def test_bounded_url_recognizer_finds_what_presidio_finds() -> None:
    """The bounded URL patterns match exactly where Presidio's own do, on ordinary and odd text."""
    import regex
    from presidio_analyzer.predefined_recognizers import UrlRecognizer

    from curation.pii.url_bounds import bound_url_recognizer

    stock, bounded = UrlRecognizer(), UrlRecognizer()
    assert bound_url_recognizer(bounded) == len(bounded.patterns) == 4
    pieces = ["a", "co", "com", ".", "-", "/", ":", "https://", "www1.", "1", " ", '"', "'", "x", "(", "OM", ".co.uk"]
    texts = [
        *NORMAL_TEXTS,
        "See https://www.example.com/path?q=1, 'http://docs.python.org' or www.bbc.co.uk/news today.",
        "Mail me: user@mail.example.org; site: example.com. Also http://.co.uk and 'www.a.com'.",
        "x" * 300 + ".com " + "a." * 200 + "org " + "h" * 260 + ".example.net/p",
        *_random_texts(pieces, 2000, seed=5, longest=30),
    ]
    found = 0
    for stock_pattern, bounded_pattern in zip(stock.patterns, bounded.patterns, strict=True):
        plain = regex.compile(stock_pattern.regex, stock.global_regex_flags)
        for text in texts:
            expected = [m.span() for m in plain.finditer(text)]
            assert [m.span() for m in bounded_pattern.compiled_regex.finditer(text)] == expected, repr(text)
            found += len(expected)
    assert found > 500
    sentence = "Docs at https://docs.python.org/3/ and www.example.com."
    assert [(r.start, r.end) for r in bounded.analyze(sentence, ["URL"])] == [
        (r.start, r.end) for r in stock.analyze(sentence, ["URL"])
    ]

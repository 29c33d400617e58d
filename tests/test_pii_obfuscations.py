# ruff: noqa: RUF001 - the inputs are fullwidth and other scripts on purpose
"""Personal data behind invisible characters, fullwidth forms, other scripts' digits and spelled-out e-mails."""

from __future__ import annotations

import time

import pytest

from curation.pii import PiiEngine
from curation.pii.views import detection_view

ZWSP, WJ, SHY, ZWJ = "\u200b", "\u2060", "\u00ad", "\u200d"


def _fullwidth(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


@pytest.fixture(scope="module")
def engine() -> PiiEngine:
    return PiiEngine()


@pytest.mark.parametrize(
    ("text", "value", "entity"),
    [
        ("write to jane.roe [at] example [dot] com today", "jane.roe [at] example [dot] com", "EMAIL_ADDRESS"),
        ("mail jane.roe(at)example.com now", "jane.roe(at)example.com", "EMAIL_ADDRESS"),
        ("reach me: jane.roe at example dot com.", "jane.roe at example dot com", "EMAIL_ADDRESS"),
        ("contact: jane.roe AT example DOT co DOT uk", "jane.roe AT example DOT co DOT uk", "EMAIL_ADDRESS"),
        ("bugs [@] example-site.de please", "bugs [@] example-site.de", "EMAIL_ADDRESS"),
        ("?email=jane.roe%40example.com&x=1", "jane.roe%40example.com", "EMAIL_ADDRESS"),
        ("<a>jane.roe&#64;example.com</a>", "jane.roe&#64;example.com", "EMAIL_ADDRESS"),
        ("<a>jane.roe&#x40;example.com</a>", "jane.roe&#x40;example.com", "EMAIL_ADDRESS"),
        (f"mail {_fullwidth('jane.roe@example.com')} now", _fullwidth("jane.roe@example.com"), "EMAIL_ADDRESS"),
        (f"mail ja{ZWSP}ne.roe@example.com now", f"ja{ZWSP}ne.roe@example.com", "EMAIL_ADDRESS"),
        (f"mail ja{SHY}ne.roe@exam{SHY}ple.com now", f"ja{SHY}ne.roe@exam{SHY}ple.com", "EMAIL_ADDRESS"),
        (f"call +1 780{ZWSP}-563-{ZWJ}6083 now", f"+1 780{ZWSP}-563-{ZWJ}6083", "PHONE_NUMBER"),
        (f"电话：{_fullwidth('+86 138 0013 8000')}", _fullwidth("+86 138 0013 8000"), "PHONE_NUMBER"),
        ("هاتف: +٩٦٦ ٥٠ ١٢٣ ٤٥٦٧ للتواصل", "+٩٦٦ ٥٠ ١٢٣ ٤٥٦٧", "PHONE_NUMBER"),
        ("फ़ोन: +९१ ९८७६५ ४३२१० पर", "+९१ ९८७६५ ४३२१०", "PHONE_NUMBER"),
        (f"ssn 219-09-{WJ}9999 on file", f"219-09-{WJ}9999", "US_SSN"),
        (f"ssn {_fullwidth('219-09-9999')} on file", _fullwidth("219-09-9999"), "US_SSN"),
        (f"card 4111{ZWSP}1111{ZWSP}1111{ZWSP}1111 ok", f"4111{ZWSP}1111{ZWSP}1111{ZWSP}1111", "CREDIT_CARD"),
        (f"from 203.0.{ZWSP}113.42 yesterday", f"203.0.{ZWSP}113.42", "IP_ADDRESS"),
    ],
)
def test_hidden_and_spelled_out_values_are_anonymized_whole(engine, text, value, entity):
    scrubbed, counts = engine.scrub(text)
    assert counts == {entity: 1}, scrubbed
    assert scrubbed == text.replace(value, f"<{entity}>")


@pytest.mark.parametrize(
    "text",
    [
        "look at example.com and visit us at google.com",
        "the talk at 10 dot 30 was short",
        "we met at the cafe (at noon) near example.org",
        "polka dot dress at example.com",
        "a zero-width space\u200bin prose and ＡＢＣ in fullwidth",
    ],
)
def test_prose_is_not_an_address(engine, text):
    assert engine.scrub(text) == (text, {})


def test_plain_text_needs_no_view():
    assert detection_view("mail jane.roe@example.com or call 555-0100") is None
    assert detection_view("") is None


def test_spans_map_back_over_what_was_hidden():
    text = f"x ja{ZWSP}{ZWSP}ne [at] exa{SHY}mple [dot] com y"
    view = detection_view(text)
    assert view is not None and view.text == "x jane@example.com y"
    start = view.text.index("jane")
    assert text[slice(*view.original_span(start, start + len("jane@example.com")))] == (
        f"ja{ZWSP}{ZWSP}ne [at] exa{SHY}mple [dot] com"
    )
    assert view.original_span(0, 1) == (0, 1) and view.original_span(len(view.text) - 1, len(view.text)) == (
        len(text) - 1,
        len(text),
    )


def test_views_stay_linear_on_hostile_input(engine):
    hostile = [ZWSP * 200_000, "a [at] " * 50_000, "x dot " * 50_000, "%40" * 100_000, _fullwidth("1-") * 100_000]
    for text in hostile:
        started = time.perf_counter()
        engine.detect(text)
        assert time.perf_counter() - started < 5, text[:10]

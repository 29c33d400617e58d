"""Phone numbers in their country's national layout, with the page's language as the region hint."""

from __future__ import annotations

import pytest

from curation.pii import PiiDetector


@pytest.fixture(scope="module")
def detector() -> PiiDetector:
    return PiiDetector()


@pytest.mark.parametrize(
    ("language", "text", "number"),
    [
        ("zh", "请联系 138 0013 8000 谢谢", "138 0013 8000"),
        ("hi", "मेरा नंबर 98765 43210 है", "98765 43210"),
        ("es", "Escríbeme, mi móvil es el 612 34 56 78 si quieres", "612 34 56 78"),
        ("it", "Per informazioni 347 123 4567 dopo le 18", "347 123 4567"),
        ("pl", "Kod 512 345 678 z ogłoszenia", "512 345 678"),
    ],
)
def test_a_mobile_number_of_the_pages_country_is_found_without_a_context_word(detector, language, text, number):
    assert [text[s.start : s.end] for s in detector.detect(text, language)] == [number]


def test_without_the_hint_a_bare_national_mobile_is_too_weak_alone(detector):
    assert detector.detect("Per informazioni 347 123 4567 dopo le 18", None) == []


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("de", "Die Jahre 2019 2020 2021 im Vergleich"),  # Germany's plan accepts most runs as a fixed line
        ("de", "Bestellnummer 4711 0815 12"),
        ("pt", "10 Chase Elliott 2275 3 4 11 15"),  # a results table: single-digit groups
        ("en", "We shipped 612 34 56 78 items"),  # English names no country: layout alone
    ],
)
def test_digit_runs_that_are_not_mobiles_stay(detector, language, text):
    assert detector.detect(text, language) == []


def test_the_domains_country_code_is_the_first_hint():
    from curation.pii.recognizers import region_hint

    assert region_hint("tienda.es", "en") == "ES" and region_hint("news.bbc.co.uk", "fr") == "GB"
    assert region_hint("startup.io", "it") == "IT"  # .io, .tv, .me... are used worldwide: the language decides
    assert region_hint("example.com", None) is None and region_hint(None, "en") is None


def test_regions_given_with_the_texts_override_the_languages(detector):
    text = "We shipped to 612 34 56 78 today"
    assert detector.detect_batch([text], ["en"]) == [[]]
    spans = detector.detect_batch([text], ["en"], ["ES"])[0]
    assert [text[s.start : s.end] for s in spans] == ["612 34 56 78"]


@pytest.mark.parametrize(
    ("region", "text"),
    [
        ("NZ", "https://news.example.co.nz/2022/04/20/10-mistakes"),
        ("NZ", "Reply #1 on: 2014-05-16 02:15"),
        ("DE", "Antwort #3 am: 16.09.2014 18:55"),
        ("ES", "pedido 612345678 enviado"),  # one bare run: an order or product number as often as a phone
        ("DE", "Mo Di Mi Do Fr Sa So 01 02 03 04 05 06 07 08 09 10 11 12 13 14"),  # a calendar
        ("IT", "90135 Palermo - P.I. : 06659860826 Testata"),  # a VAT number: a fixed line in the plan
    ],
)
def test_dates_and_bare_runs_are_not_mobiles(detector, region, text):
    assert detector.detect_batch([text], [None], [region]) == [[]]

"""National identifiers (curation.pii.national): valid ones are found with their entity and span,
an altered check digit or letter is not, nor a run inside a longer number."""

from __future__ import annotations

import time

import pytest

from curation.pii import PiiDetector, national
from curation.pii.recognizers import DEFAULT_ENTITIES, REGISTRY


@pytest.fixture(scope="module")
def detector():
    return PiiDetector(entities=list(national.NATIONAL_ENTITIES))


def test_national_identifiers_are_in_the_default_tier_scoped_by_language():
    assert set(national.NATIONAL_ENTITIES) <= set(DEFAULT_ENTITIES)
    assert all(REGISTRY[spec.name] is spec for spec in national.NATIONAL)
    text = "Meine Steuer-ID lautet 86095742719."
    default = PiiDetector()
    assert [s.entity_type for s in default.detect(text, "de")] == ["DE_TAX_ID"]
    assert default.detect(text, "en") == []  # a German identifier is looked for on German pages
    assert [s.entity_type for s in default.detect(text)] == ["DE_TAX_ID"]  # and where the language is unknown
    named = PiiDetector(entities=["DE_TAX_ID"])
    assert [s.entity_type for s in named.detect(text, "en")] == ["DE_TAX_ID"]  # named: on every page


def _nir(body: str) -> str:
    """A NIR with its key, computed here from INSEE's rule: 97 - (n mod 97), 2A/2B counted as 19/18."""
    number = int(body.replace("2A", "19").replace("2B", "18"))
    return f"{body}{97 - number % 97:02d}"


# (entity, sentence with the identifier, the identifier, the same with its check altered)
VALID = [
    # HMRC National Insurance Manual NIM39110 (allocated prefixes; suffix A-D): constructed.
    ("UK_NINO", "My National Insurance number is {}.", "AB 12 34 56 C", "AB 12 34 56 E"),
    ("UK_NINO", "NI number: {}", "JG103759A", "GB103759A"),
    # INSEE's key rule, computed by `_nir` (mainland, and a Corsica-born 2A).
    ("FR_NIR", "Mon numéro de sécurité sociale est le {}.", _nir("1850578006084"), "185057800608492"),
    ("FR_NIR", "N° de sécu : {}", "2 55 02 2A 004 001 " + _nir("255022A004001")[-2:], "2 55 02 2A 004 001 00"),
    # Ministerio del Interior's check-letter table; 12345678Z and X1234567L are its usual worked examples.
    ("ES_NIF", "Mi DNI es {}.", "12345678Z", "12345678A"),
    ("ES_NIF", "NIF: {}", "12.345.678-Z", "12.345.678-T"),
    ("ES_NIE", "Mi NIE es {}.", "X1234567L", "X1234567M"),
    ("ES_NIE", "NIE: {}", "Y-1234567-X", "Y-1234567-T"),
    # The usual example of the codice fiscale (Mario Rossi, man, born 10 December 1985, town A562), as on
    # Wikipedia (it); the second is its omocode (the last digit written N), check letter recomputed.
    ("IT_FISCAL_CODE", "Il mio codice fiscale è {}.", "RSSMRA85T10A562S", "RSSMRA85T10A562T"),
    ("IT_FISCAL_CODE", "C.F. {} (omocodia)", "RSSMRA85T10A56NH", "RSSMRA85T10A56NA"),
    # The CPF used in Receita Federal's and most libraries' documentation.
    ("BR_CPF", "Meu CPF é {}.", "529.982.247-25", "529.982.247-26"),
    ("BR_CPF", "CPF: {}", "52998224725", "52998224752"),
    # The CURP of Wikipedia's "Clave Única de Registro de Población" article.
    ("MX_CURP", "Mi CURP es {}.", "HEGG560427MVZRRL04", "HEGG560427MVZRRL05"),
    # Verhoeff-valid, constructed (UIDAI publishes no sample number).
    ("IN_AADHAAR", "मेरा आधार नंबर {} है।", "2341 2341 2346", "2341 2341 2345"),
    # The check digit of the Cabinet Office ordinance (2014 no. 155), constructed.
    ("JP_MY_NUMBER", "マイナンバーは{}です。", "123456789018", "123456789017"),
    # GB 11643-1999, its own examples.
    ("CN_RESIDENT_ID", "我的身份证号是{}。", "11010519491231002X", "110105194912310021"),
    ("CN_RESIDENT_ID", "身份证\uff1a{}", "440524188001010014", "440524188001010015"),
    # The check digit of the pre-2020 numbers, constructed.
    ("KR_RRN", "제 주민등록번호는 {}입니다.", "800101-1234560", "800101-1234561"),
    # 111222333 is the test BSN of the Dutch government's (DigiD, Logius) documentation.
    ("NL_BSN", "Mijn BSN is {}.", "111222333", "111222334"),
    ("NL_BSN", "Burgerservicenummer: {}", "1234.56.782", "1234.56.783"),
    # Wikipedia's (pl) "PESEL" examples.
    ("PL_PESEL", "Mój numer PESEL to {}.", "44051401359", "44051401358"),
    ("PL_PESEL", "PESEL: {}", "02070803628", "02070803627"),
    # The fictitious example of Presidio's DeTaxIdRecognizer, and the same in the 2-3-3-3 layout.
    ("DE_TAX_ID", "Meine Steuer-ID ist {}.", "86095742719", "86095742718"),
    ("DE_TAX_ID", "Steueridentifikationsnummer: {}", "86 095 742 719", "86 095 742 710"),
    # Luhn-valid, constructed (Service Canada's 046 454 286 starts with 0: never issued to a person).
    ("CA_SIN", "My SIN is {}.", "130 692 544", "130 692 545"),
    ("CA_SIN", "Numéro d'assurance sociale : {}", "130-692-544", "130-692-543"),
    # Valid under the ATO's weights 1,4,3,7,5,8,6,9,10, constructed.
    ("AU_TFN", "My tax file number is {}.", "876 543 210", "876 543 211"),
    ("AU_TFN", "TFN: {}", "123456782", "123456783"),
]


@pytest.mark.parametrize(("entity", "template", "value", "altered"), VALID)
def test_valid_identifiers_are_found_with_their_type_and_span(detector, entity, template, value, altered):
    text = template.format(value)
    start = text.index(value)
    spans = [(s.entity_type, s.start, s.end) for s in detector.detect(text)]
    assert spans == [(entity, start, start + len(value))]


@pytest.mark.parametrize(("entity", "template", "value", "altered"), VALID)
def test_an_altered_check_is_not_found(detector, entity, template, value, altered):
    assert detector.detect(template.format(altered)) == []


@pytest.mark.parametrize(("entity", "template", "value", "altered"), VALID)
def test_a_run_inside_a_longer_number_or_word_is_not_found(detector, entity, template, value, altered):
    joined = f"12 {value}" if value[0].isdigit() else f"12-{value}"  # a number may stand before a code
    for longer in (f"9{value}", f"{value}7", f"A{value}", f"{value}B", joined, f"{value}-4", f"{value}/B"):
        assert detector.detect(template.format(longer)) == [], "a longer run was taken apart"


@pytest.mark.parametrize(
    ("entity", "sentence"),
    [
        ("IN_AADHAAR", "Reference 2341 2341 2346 was added."),
        ("JP_MY_NUMBER", "受付番号123456789018で登録しました。"),
        ("NL_BSN", "Dossier 111222333 is afgehandeld."),
        ("PL_PESEL", "Sprawa 44051401359 została zamknięta."),
        ("DE_TAX_ID", "Vorgang 86095742719 wurde abgeschlossen."),
        ("CA_SIN", "File 130 692 544 was closed."),
        ("AU_TFN", "Reference 876 543 210 was added."),
        ("BR_CPF", "O protocolo 52998224725 foi registrado."),
    ],
)
def test_weak_checks_need_a_context_word(detector, entity, sentence):
    assert detector.detect(sentence) == []


def test_strong_checks_and_distinctive_layouts_stand_alone(detector):
    text = "Ref RSSMRA85T10A562S, HEGG560427MVZRRL04, 11010519491231002X, 529.982.247-25 and 800101-1234560."
    found = [(s.entity_type, text[s.start : s.end]) for s in detector.detect(text)]
    assert found == [
        ("IT_FISCAL_CODE", "RSSMRA85T10A562S"),
        ("MX_CURP", "HEGG560427MVZRRL04"),
        ("CN_RESIDENT_ID", "11010519491231002X"),
        ("BR_CPF", "529.982.247-25"),
        ("KR_RRN", "800101-1234560"),
    ]


def test_acronym_context_counts_only_in_upper_case(detector):
    assert [s.entity_type for s in detector.detect("My SIN is 130 692 544")] == ["CA_SIN"]
    assert detector.detect("sin 130 692 544") == []  # Spanish "sin" (without) is no context


def test_invalid_dates_are_not_found(detector):
    assert detector.detect("PESEL: 44053201354") == []  # 32 May
    assert detector.detect("제 주민등록번호는 801301-1234563입니다.") == []  # month 13


def test_every_national_entity_has_one_spec():
    assert len(national.NATIONAL_ENTITIES) == len(set(national.NATIONAL_ENTITIES)) == 16
    assert len({spec.name for spec in national.NATIONAL}) == 16


def test_validators_reject_other_shapes_without_raising():
    for validate in (national.nie_valid, national.curp_valid, national.pesel_valid, national.rrn_valid):
        assert validate("") is False
        assert validate("QQ-ÄÖ") is False


def test_long_digit_runs_stay_fast(detector):
    text = " ".join(["1234 5678 9012 3456 7890"] * 4000) + " " + "9" * 50_000
    began = time.perf_counter()
    detector.detect(text)
    assert time.perf_counter() - began < 10

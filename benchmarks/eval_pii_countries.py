"""Recall and false positives of the national-identifier recognizers on a planted set, per country.

    python benchmarks/eval_pii_countries.py [--per-entity 200] [--seed 16]

For each identifier of `curation.pii.national`, builds deterministically (fixed seed, offline)
sentences in the country's language with one valid identifier planted in each (most after a
context word, a fifth without one), and as many negatives: the same sentences holding the
identifier with an altered check digit or letter, random runs of the same length and layout that
fail the check, dates, order numbers and phone-like numbers. Valid identifiers come from Faker
where its locale generates valid ones (checked here), else from this script: random digits
completed with the check digit that Presidio's own validator (an independent implementation)
accepts, or, for Japan and the UK, with the published rule written out below.

Prints, per country and entity: recall (exact span and type), recall with and without a context
word, false positives on the negatives (any national entity), and Presidio's predefined recognizer
for the entity where it has one: its recall and false positives at our threshold (0.5) and at any
score. Presidio's recognizers run on their own (`analyze` without NLP artifacts), so its context
words raise no score, as with the no-op NLP engine `PiiDetector` uses for Presidio's extras.
"""

from __future__ import annotations

import argparse
import os
import random
import string
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from faker import Faker
from presidio_analyzer.predefined_recognizers import (
    AuTfnRecognizer,
    CaSinRecognizer,
    DeTaxIdRecognizer,
    EsNieRecognizer,
    EsNifRecognizer,
    InAadhaarRecognizer,
    ItFiscalCodeRecognizer,
    KrRrnRecognizer,
    PlPeselRecognizer,
    UkNinoRecognizer,
)

from curation.pii import PiiDetector, national

THRESHOLD = 0.5
CONTEXT_SHARE = 0.8
"""Share of planted sentences whose template has a context word before the identifier."""


@dataclass
class Country:
    """One identifier: how to make valid ones, how to spoil them, and sentences to hold them."""

    country: str
    entity: str
    source: str
    valid: Callable[[random.Random], str]
    spoil: Callable[[random.Random, str], str]
    with_context: list[str]
    without_context: list[str]
    neutral: list[str]
    """Sentences for the dates, order numbers and phone-like numbers."""
    phone: Callable[[random.Random], str]
    presidio: Callable[[], Any] | None = None
    layouts: list[Callable[[str], str]] = field(default_factory=lambda: [lambda value: value])


def _digits(rng: random.Random, count: int, first: str = string.digits) -> str:
    return rng.choice(first) + "".join(rng.choice(string.digits) for _ in range(count - 1))


def _complete(rng: random.Random, body: Callable[[], str], checks: str, valid: Callable[[str], bool]) -> str:
    """A body completed with the check character that `valid` accepts (a fresh body when none does)."""
    while True:
        start = body()
        for check in checks:
            if valid(start + check):
                return start + check


def _spoil_last(alphabet: str, invalid: Callable[[str], bool]) -> Callable[[random.Random, str], str]:
    """Replace the last character (the check) with another of `alphabet` that `invalid` rejects."""

    def spoil(rng: random.Random, value: str) -> str:
        choices = [c for c in alphabet if c != value[-1] and invalid(value[:-1] + c)]
        return value[:-1] + rng.choice(choices)

    return spoil


def _faker(locale: str, method: str, seed: int) -> Callable[[random.Random], str]:
    fake = Faker(locale)
    fake.seed_instance(seed)
    return lambda rng: str(getattr(fake, method)())


def _presidio_valid(recognizer: Any) -> Callable[[str], bool]:
    return lambda value: bool(recognizer.validate_result(value))


# ---------------------------------------------------------------------------------------------
# Generators for the identifiers Faker does not make valid
# ---------------------------------------------------------------------------------------------

_NINO_FIRST = "ABCEGHJKLMNOPRSTWXYZ"
_NINO_SECOND = "ABCEGHJKLMNPRSTWXYZ"
_NINO_BAD = {"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"}


def uk_nino(rng: random.Random) -> str:
    """HMRC NIM39110: first letter not D F I Q U V, second not D F I O Q U V, not the unallocated pairs."""
    while (prefix := rng.choice(_NINO_FIRST) + rng.choice(_NINO_SECOND)) in _NINO_BAD:
        pass
    return prefix + _digits(rng, 6) + rng.choice("ABCD")


def uk_nino_spoil(rng: random.Random, value: str) -> str:
    if rng.random() < 0.5:
        return rng.choice(["QQ", "BG", "GB", "NK", "TN", "ZZ", "DA", "FA", "AO", "AV"]) + value[2:]
    return value[:-1] + rng.choice("EFGHJKMNPRSTWXYZ")


def my_number_check(body: str) -> str:
    """The published rule, written independently of curation.pii.national."""
    total = 0
    for n in range(1, 12):
        weight = n + 1 if n <= 6 else n - 5
        total += int(body[11 - n]) * weight
    remainder = total % 11
    return str(0 if remainder <= 1 else 11 - remainder)


def jp_my_number(rng: random.Random) -> str:
    body = _digits(rng, 11)
    return body + my_number_check(body)


def kr_rrn(rng: random.Random, validate: Callable[[str], bool]) -> str:
    """Born 1940-2019 (before numbers ended in random digits), with the check digit Presidio accepts."""

    def body() -> str:
        year = rng.randint(1940, 2019)
        sex = rng.choice("12" if year < 2000 else "34")
        return f"{year % 100:02d}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}-{sex}{_digits(rng, 5)}"

    return _complete(rng, body, string.digits, validate)


def de_tax_id(rng: random.Random, validate: Callable[[str], bool]) -> str:
    """Ten digits of which exactly one appears twice (or three times, never in a row), then the check."""

    def body() -> str:
        while True:
            digits = _digits(rng, 10, "123456789")
            counts = sorted((digits.count(d) for d in set(digits)), reverse=True)
            if counts[0] in (2, 3) and counts[1] == 1 and not any(d * 3 in digits for d in string.digits):
                return digits

    return _complete(rng, body, string.digits, validate)


def _group(value: str, sizes: tuple[int, ...], separator: str) -> str:
    parts, start = [], 0
    for size in sizes:
        parts.append(value[start : start + size])
        start += size
    return separator.join(parts)


# ---------------------------------------------------------------------------------------------
# The countries
# ---------------------------------------------------------------------------------------------


def countries(seed: int) -> list[Country]:
    aadhaar = InAadhaarRecognizer()
    rrn = KrRrnRecognizer()
    tax_id = DeTaxIdRecognizer()
    tfn = AuTfnRecognizer()

    make_curp = _faker("es_MX", "curp", seed)

    def curp(rng: random.Random) -> str:
        # Faker's es_MX writes Querétaro "QO" (RENAPO's catalogue has QT) and any letter where
        # RENAPO puts the names' first internal consonants: those are drawn again.
        while (value := make_curp(rng))[11:13] == "QO" or any(c in "AEIOU" for c in value[13:16]):
            pass
        return value

    def fr_phone(rng):
        return "0" + rng.choice("1234567") + "".join(f" {rng.randint(0, 99):02d}" for _ in range(4))

    return [
        Country(
            "United Kingdom",
            national.UK_NINO,
            "own (HMRC rules)",
            uk_nino,
            uk_nino_spoil,
            [
                "My National Insurance number is {id}.",
                "NI number: {id}",
                "Please quote your NINO {id} on the form.",
                "National Insurance no. {id} (employee)",
            ],
            ["Reference {id} was added to the payroll file.", "Use {id} when you call."],
            ["Order {n} was dispatched on {date}.", "Call us on {phone} or write to us."],
            lambda rng: f"020 {_digits(rng, 4)} {_digits(rng, 4)}",
            UkNinoRecognizer,
            [lambda v: v, lambda v: f"{v[:2]} {v[2:4]} {v[4:6]} {v[6:8]} {v[8]}"],
        ),
        Country(
            "France",
            national.FR_NIR,
            "Faker fr_FR ssn()",
            _faker("fr_FR", "ssn", seed),
            _spoil_last(string.digits, lambda v: not national.nir_valid(v)),
            [
                "Mon numéro de sécurité sociale est le {id}.",
                "N° de sécu : {id}",
                "NIR {id} (assuré social)",
                "Indiquez votre numéro de sécurité sociale {id} sur la feuille de soins.",
            ],
            ["Le dossier {id} a été transmis à la caisse.", "Référence : {id}"],
            ["Commande n° {n} expédiée le {date}.", "Appelez le {phone} du lundi au vendredi."],
            fr_phone,
            None,
            [lambda v: v, lambda v: f"{v[0]} {v[1:3]} {v[3:5]} {v[5:7]} {v[7:10]} {v[10:13]} {v[13:]}"],
        ),
        Country(
            "Spain",
            national.ES_NIF,
            "Faker es_ES nif()",
            _faker("es_ES", "nif", seed),
            _spoil_last("TRWAGMYFPDXBNJZSQVHLCKE", lambda v: not national.dni_valid(v)),
            [
                "Mi DNI es {id}.",
                "NIF: {id}",
                "Documento nacional de identidad {id}, expedido en Madrid.",
                "Adjunte copia del DNI {id} a la solicitud.",
            ],
            ["El expediente {id} está pendiente.", "Código {id}"],
            ["Pedido n.º {n} enviado el {date}.", "Llame al {phone} para más información."],
            lambda rng: f"91 {_digits(rng, 3)} {_digits(rng, 2)} {_digits(rng, 2)}",
            EsNifRecognizer,
            [lambda v: v, lambda v: f"{v[:8]}-{v[8]}", lambda v: f"{v[:2]}.{v[2:5]}.{v[5:8]}-{v[8]}"],
        ),
        Country(
            "Spain",
            national.ES_NIE,
            "Faker es_ES nie()",
            _faker("es_ES", "nie", seed),
            _spoil_last("TRWAGMYFPDXBNJZSQVHLCKE", lambda v: not national.nie_valid(v)),
            [
                "Mi NIE es {id}.",
                "NIE: {id}",
                "Número de identidad de extranjero {id}.",
                "Tarjeta de residencia con NIE {id} en vigor.",
            ],
            ["El expediente {id} está pendiente.", "Código {id}"],
            ["Pedido n.º {n} enviado el {date}.", "Llame al {phone} para más información."],
            lambda rng: f"91 {_digits(rng, 3)} {_digits(rng, 2)} {_digits(rng, 2)}",
            EsNieRecognizer,
            [lambda v: v, lambda v: f"{v[0]}-{v[1:8]}-{v[8]}"],
        ),
        Country(
            "Italy",
            national.IT_FISCAL_CODE,
            "Faker it_IT ssn()",
            _faker("it_IT", "ssn", seed),
            _spoil_last(string.ascii_uppercase, lambda v: not national.fiscal_code_valid(v)),
            [
                "Il mio codice fiscale è {id}.",
                "C.F. {id}",
                "Codice fiscale: {id}",
                "Inserire il codice fiscale {id} nel modulo.",
            ],
            ["La pratica {id} è stata chiusa.", "Rif. {id}"],
            ["Ordine n. {n} spedito il {date}.", "Chiamare il numero {phone} per assistenza."],
            lambda rng: f"06 {_digits(rng, 4)} {_digits(rng, 4)}",
            ItFiscalCodeRecognizer,
        ),
        Country(
            "Brazil",
            national.BR_CPF,
            "Faker pt_BR cpf()",
            _faker("pt_BR", "cpf", seed),
            _spoil_last(string.digits, lambda v: not national.cpf_valid(v)),
            ["Meu CPF é {id}.", "CPF: {id}", "Informe o CPF {id} no cadastro.", "Cadastro de Pessoas Físicas {id}"],
            ["O protocolo {id} foi registrado.", "Código {id}"],
            ["Pedido nº {n} enviado em {date}.", "Ligue para {phone} de segunda a sexta."],
            lambda rng: f"(11) 9{_digits(rng, 4)}-{_digits(rng, 4)}",
            None,
            [lambda v: v, lambda v: v, lambda v: v.replace(".", "").replace("-", "")],
        ),
        Country(
            "Mexico",
            national.MX_CURP,
            "Faker es_MX curp() (RENAPO-conforming)",
            curp,
            _spoil_last(string.digits, lambda v: not national.curp_valid(v)),
            [
                "Mi CURP es {id}.",
                "CURP: {id}",
                "Clave Única de Registro de Población {id}",
                "Presente su CURP {id} en la ventanilla.",
            ],
            ["El folio {id} fue registrado.", "Clave {id}"],
            ["Pedido núm. {n} enviado el {date}.", "Llame al {phone} para más información."],
            lambda rng: f"55 {_digits(rng, 4)} {_digits(rng, 4)}",
            None,
        ),
        Country(
            "India",
            national.IN_AADHAAR,
            "own (Verhoeff, Presidio's validator)",
            lambda rng: _complete(rng, lambda: _digits(rng, 11, "23456789"), string.digits, _presidio_valid(aadhaar)),
            _spoil_last(string.digits, lambda v: not national.aadhaar_valid(v)),
            [
                "मेरा आधार नंबर {id} है।",
                "आधार: {id}",
                "Aadhaar number {id} is linked to the account.",
                "कृपया अपना आधार {id} दर्ज करें।",
            ],
            ["संदर्भ संख्या {id} दर्ज की गई।", "Reference {id}"],
            ["ऑर्डर संख्या {n} {date} को भेजा गया।", "हमें {phone} पर कॉल करें।"],
            lambda rng: f"+91 {_digits(rng, 5, '6789')} {_digits(rng, 5)}",
            InAadhaarRecognizer,
            [lambda v: _group(v, (4, 4, 4), " "), lambda v: v, lambda v: _group(v, (4, 4, 4), "-")],
        ),
        Country(
            "Japan",
            national.JP_MY_NUMBER,
            "own (published check digit)",
            jp_my_number,
            _spoil_last(string.digits, lambda v: not national.my_number_valid(v)),
            [
                "マイナンバーは{id}です。",
                "個人番号\uff1a{id}",
                "私のマイナンバー {id} を記入してください。",
                "個人番号 {id}",
            ],
            ["受付番号{id}で登録しました。", "番号 {id}"],
            ["注文番号{n}は{date}に発送されました。", "お電話は{phone}までどうぞ。"],
            lambda rng: f"03-{_digits(rng, 4)}-{_digits(rng, 4)}",
            None,
            [lambda v: v, lambda v: _group(v, (4, 4, 4), " "), lambda v: _group(v, (4, 4, 4), "-")],
        ),
        Country(
            "China",
            national.CN_RESIDENT_ID,
            "Faker zh_CN ssn()",
            _faker("zh_CN", "ssn", seed),
            _spoil_last(string.digits + "X", lambda v: not national.cn_resident_id_valid(v)),
            ["我的身份证号是{id}。", "身份证\uff1a{id}", "公民身份号码 {id}", "请填写身份证号码{id}"],
            ["订单编号{id}已登记。", "编号 {id}"],
            ["订单号{n}已于{date}发货。", "请拨打{phone}咨询。"],
            lambda rng: f"138{_digits(rng, 8)}",
            None,
        ),
        Country(
            "Korea",
            national.KR_RRN,
            "own (check digit Presidio accepts)",
            lambda rng: kr_rrn(rng, _presidio_valid(rrn)),
            _spoil_last(string.digits, lambda v: not national.rrn_valid(v)),
            ["제 주민등록번호는 {id}입니다.", "주민번호: {id}", "주민등록번호 {id} 확인 바랍니다.", "RRN {id}"],
            ["접수번호 {id} 처리 완료.", "번호 {id}"],
            ["주문번호 {n} 은 {date}에 발송되었습니다.", "{phone}로 전화 주세요."],
            lambda rng: f"010-{_digits(rng, 4)}-{_digits(rng, 4)}",
            KrRrnRecognizer,
            [lambda v: v, lambda v: v, lambda v: v.replace("-", "")],
        ),
        Country(
            "Netherlands",
            national.NL_BSN,
            "Faker nl_NL ssn()",
            _faker("nl_NL", "ssn", seed),
            _spoil_last(string.digits, lambda v: not national.bsn_valid(v)),
            [
                "Mijn BSN is {id}.",
                "Burgerservicenummer: {id}",
                "Vul uw BSN {id} in op het formulier.",
                "sofinummer {id}",
            ],
            ["Dossier {id} is afgehandeld.", "Kenmerk {id}"],
            ["Bestelling {n} is op {date} verzonden.", "Bel ons op {phone}."],
            lambda rng: f"020-{_digits(rng, 7)}",
            None,
            [lambda v: v, lambda v: f"{v[:4]}.{v[4:6]}.{v[6:]}"],
        ),
        Country(
            "Poland",
            national.PL_PESEL,
            "Faker pl_PL pesel()",
            _faker("pl_PL", "pesel", seed),
            _spoil_last(string.digits, lambda v: not national.pesel_valid(v)),
            ["Mój numer PESEL to {id}.", "PESEL: {id}", "Proszę podać PESEL {id} we wniosku.", "nr PESEL {id}"],
            ["Sprawa {id} została zamknięta.", "Numer {id}"],
            ["Zamówienie nr {n} wysłano {date}.", "Zadzwoń pod numer {phone}."],
            lambda rng: f"+48 {_digits(rng, 3)} {_digits(rng, 3)} {_digits(rng, 3)}",
            PlPeselRecognizer,
        ),
        Country(
            "Germany",
            national.DE_TAX_ID,
            "own (rules; Presidio's check digit)",
            lambda rng: de_tax_id(rng, _presidio_valid(tax_id)),
            _spoil_last(string.digits, lambda v: not national.de_tax_id_valid(v)),
            [
                "Meine Steuer-ID ist {id}.",
                "Steueridentifikationsnummer: {id}",
                "IdNr. {id}",
                "Bitte geben Sie Ihre Steuer-ID {id} an.",
            ],
            ["Vorgang {id} wurde abgeschlossen.", "Aktenzeichen {id}"],
            ["Bestellung Nr. {n} wurde am {date} versandt.", "Rufen Sie uns unter {phone} an."],
            lambda rng: f"030 {_digits(rng, 8)}",
            DeTaxIdRecognizer,
            [lambda v: v, lambda v: f"{v[:2]} {v[2:5]} {v[5:8]} {v[8:]}"],
        ),
        Country(
            "Canada",
            national.CA_SIN,
            "Faker en_CA ssn()",
            _faker("en_CA", "ssn", seed),
            _spoil_last(string.digits, lambda v: not national.sin_valid(v)),
            ["My SIN is {id}.", "Social Insurance Number: {id}", "Numéro d'assurance sociale : {id}", "NAS {id}"],
            ["File {id} was closed.", "Référence {id}"],
            ["Order {n} shipped on {date}.", "Call us at {phone}."],
            lambda rng: f"({_digits(rng, 3, '23456789')}) {_digits(rng, 3)}-{_digits(rng, 4)}",
            CaSinRecognizer,
            [lambda v: v, lambda v: v.replace(" ", "-"), lambda v: v.replace(" ", "")],
        ),
        Country(
            "Australia",
            national.AU_TFN,
            "own (Presidio's check)",
            lambda rng: _complete(rng, lambda: _digits(rng, 8), string.digits, _presidio_valid(tfn)),
            _spoil_last(string.digits, lambda v: not national.tfn_valid(v)),
            ["My TFN is {id}.", "Tax file number: {id}", "Please provide your tax file number {id}.", "TFN {id}"],
            ["File {id} was closed.", "Reference {id}"],
            ["Order {n} shipped on {date}.", "Call us on {phone}."],
            lambda rng: f"04{_digits(rng, 2)} {_digits(rng, 3)} {_digits(rng, 3)}",
            AuTfnRecognizer,
            [lambda v: _group(v, (3, 3, 3), " "), lambda v: v, lambda v: _group(v, (3, 3, 3), "-")],
        ),
    ]


# ---------------------------------------------------------------------------------------------
# Building the planted set
# ---------------------------------------------------------------------------------------------


def _random_like(rng: random.Random, value: str, invalid: Callable[[str], bool]) -> str:
    """A random value of the same layout (digits for digits, letters for letters) that fails the check."""
    while True:
        candidate = "".join(
            rng.choice(string.digits) if c.isdigit() else rng.choice(string.ascii_uppercase) if c.isalpha() else c
            for c in value
        )
        if invalid(candidate):
            return candidate


def _date(rng: random.Random) -> str:
    day, month, year = rng.randint(1, 28), rng.randint(1, 12), rng.randint(1950, 2030)
    return rng.choice(
        [f"{day:02d}.{month:02d}.{year}", f"{year}-{month:02d}-{day:02d}", f"{day:02d}/{month:02d}/{year}"]
    )


def build(country: Country, count: int, rng: random.Random, validate: Callable[[str], bool]):
    """(sentence, (start, end) of the planted identifier, has context) positives, and negative sentences."""
    positives = []
    for index in range(count):
        value = rng.choice(country.layouts)(country.valid(rng))
        contextual = index < count * CONTEXT_SHARE
        template = rng.choice(country.with_context if contextual else country.without_context)
        start = template.index("{id}")
        sentence = template.replace("{id}", value)
        positives.append((sentence, (start, start + len(value)), contextual))
    negatives = []
    for index in range(count):
        kind = index * 10 // count
        if kind < 4:  # the identifier with its check spoilt, after a context word
            value = rng.choice(country.layouts)(country.spoil(rng, country.valid(rng)))
        elif kind < 6:  # a random run of the same layout that fails the check
            value = _random_like(rng, rng.choice(country.layouts)(country.valid(rng)), lambda v: not validate(v))
        else:
            value = ""
        if value:
            negatives.append(rng.choice(country.with_context).replace("{id}", value))
            continue
        template = country.neutral[0] if kind < 9 else country.neutral[1]
        negatives.append(
            template.replace("{n}", _digits(rng, rng.randint(6, 12), "123456789"))
            .replace("{date}", _date(rng))
            .replace("{phone}", country.phone(rng))
        )
    return positives, negatives


VALIDATORS: dict[str, Callable[[str], bool]] = {
    national.UK_NINO: lambda v: bool(national._NINO.fullmatch(v)),
    national.FR_NIR: national.nir_valid,
    national.ES_NIF: national.dni_valid,
    national.ES_NIE: national.nie_valid,
    national.IT_FISCAL_CODE: national.fiscal_code_valid,
    national.BR_CPF: national.cpf_valid,
    national.MX_CURP: national.curp_valid,
    national.IN_AADHAAR: national.aadhaar_valid,
    national.JP_MY_NUMBER: national.my_number_valid,
    national.CN_RESIDENT_ID: national.cn_resident_id_valid,
    national.KR_RRN: national.rrn_valid,
    national.NL_BSN: national.bsn_valid,
    national.PL_PESEL: national.pesel_valid,
    national.DE_TAX_ID: national.de_tax_id_valid,
    national.CA_SIN: national.sin_valid,
    national.AU_TFN: national.tfn_valid,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-entity", type=int, default=200)
    parser.add_argument("--seed", type=int, default=16)
    args = parser.parse_args(argv)
    began = time.perf_counter()
    detector = PiiDetector(entities=list(national.NATIONAL_ENTITIES))
    default_tier = PiiDetector()  # as a run uses it: each identifier on pages in its languages
    languages = {spec.entity: spec.languages[0] for spec in national.NATIONAL}
    rows = []
    for country in countries(args.seed):
        rng = random.Random(f"{args.seed}:{country.entity}")
        validate = VALIDATORS[country.entity]
        positives, negatives = build(country, args.per_entity, rng, validate)
        if not all(validate(s[a:b]) for s, (a, b), _ in positives):
            raise SystemExit(f"{country.entity}: a generated identifier is not valid ({country.source})")
        found = [
            any((sp.start, sp.end) == span and sp.entity_type == country.entity for sp in detector.detect(s))
            for s, span, _ in positives
        ]
        false = sum(bool(detector.detect(s)) for s in negatives)
        language = languages[country.entity]
        in_default = [
            any(
                (sp.start, sp.end) == span and sp.entity_type == country.entity
                for sp in default_tier.detect(s, language)
            )
            for s, span, _ in positives
        ]
        row = {
            "country": country.country,
            "entity": country.entity,
            "recall": sum(found) / len(found),
            "default": sum(in_default) / len(in_default),
            "language": language,
            "ctx": _share([f for f, p in zip(found, positives, strict=True) if p[2]]),
            "noctx": _share([f for f, p in zip(found, positives, strict=True) if not p[2]]),
            "fp": false,
            "n_neg": len(negatives),
            "source": country.source,
        }
        if country.presidio is not None:
            row |= _presidio(country, positives, negatives)
        rows.append(row)
    _print(rows, args.per_entity, time.perf_counter() - began)
    return 0


def _share(flags: list[bool]) -> float:
    return sum(flags) / len(flags) if flags else float("nan")


def _presidio(country: Country, positives, negatives) -> dict[str, float | int]:
    assert country.presidio is not None
    recognizer = country.presidio()

    def scores(sentence: str, span: tuple[int, int] | None) -> list[float]:
        results = recognizer.analyze(sentence, [country.entity], None)
        return [r.score for r in results if span is None or (r.start < span[1] and span[0] < r.end)]

    hits = [scores(s, span) for s, span, _ in positives]
    noise = [scores(s, None) for s in negatives]
    return {
        "p_recall": sum(any(x >= THRESHOLD for x in h) for h in hits) / len(hits),
        "p_recall_any": sum(bool(h) for h in hits) / len(hits),
        "p_fp": sum(any(x >= THRESHOLD for x in n) for n in noise),
        "p_fp_any": sum(bool(n) for n in noise),
    }


def _print(rows: list[dict], count: int, seconds: float) -> None:
    print(f"Planted national identifiers: {count} positives and {count} negatives per entity, threshold {THRESHOLD}")
    print(f"(positives: {CONTEXT_SHARE:.0%} after a context word; negatives: 40% spoilt check, 20% random runs of")
    print(" the same layout failing the check, both after context words; 30% order numbers and dates; 10% phones)")
    header = (
        f"{'country':<15}{'entity':<16}{'recall':>7}{'ctx':>7}{'no ctx':>8}{'FP':>6}{'default tier':>14}"
        f"  | {'Presidio':>8}{'(any)':>7}{'FP':>5}{'(any)':>7}  source"
    )
    print(header)
    print("-" * len(header))
    for row in rows:
        presidio = (
            f"{row['p_recall']:>8.2f}{row['p_recall_any']:>7.2f}{row['p_fp']:>5d}{row['p_fp_any']:>7d}"
            if "p_recall" in row
            else f"{'-':>8}{'-':>7}{'-':>5}{'-':>7}"
        )
        print(
            f"{row['country']:<15}{row['entity']:<16}{row['recall']:>7.2f}{row['ctx']:>7.2f}{row['noctx']:>8.2f}"
            f"{row['fp']:>3d}/{row['n_neg']:<3d}{row['default']:>7.2f} ({row['language']})"
            f"  | {presidio}  {row['source']}"
        )
    print(f"\n{seconds:.1f} s")


if __name__ == "__main__":
    sys.exit(main())

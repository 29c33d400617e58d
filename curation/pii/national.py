"""National identifiers as `RecognizerSpec`s, each with its check digit (or check letter) validated.

One entity type per identifier, named as Presidio names it where Presidio has a recognizer for it
(UK_NINO, ES_NIF, ES_NIE, IT_FISCAL_CODE, IN_AADHAAR, KR_RRN, PL_PESEL, DE_TAX_ID, CA_SIN, AU_TFN)
and otherwise FR_NIR, BR_CPF, MX_CURP, JP_MY_NUMBER, CN_RESIDENT_ID, NL_BSN.

Scores follow how often a random run of the same shape would pass: a strong check or a layout
that hardly occurs otherwise (the codice fiscale, the CURP, a Chinese id with its birth date and
MOD 11-2 check, a French NIR with its mod-97 key) stands alone at 0.6-0.85; a weak one (a 1-in-10
or 1-in-11 check on 9-12 digits: Aadhaar, My Number, BSN, PESEL, Steuer-ID, SIN, TFN, an
unformatted CPF) scores below the 0.5 threshold and needs a context word in front, in the
country's language(s) or in English. Every pattern is linear (bounded quantifiers, no nesting)
and looks around so that a match is never part of a longer run of digits or Latin letters (digits
grouped by the same separators included); CJK characters may touch an identifier, as they do.
Nothing here logs or reports the text.

They are part of the default tier, each on pages in its country's languages (`languages`; and on
pages of unknown language); named in `pii.entities`, an identifier is looked for on every page.
"""

from __future__ import annotations

import datetime
import functools
import re
from collections import Counter
from collections.abc import Callable

from curation.pii.patterns import (
    DIGIT_RUN_REACH,
    DIGIT_RUN_TRIGGER,
    MatchScore,
    RecognizerSpec,
    WebPattern,
    _context_regex,
    luhn_valid,
)

UK_NINO = "UK_NINO"
FR_NIR = "FR_NIR"
ES_NIF = "ES_NIF"
ES_NIE = "ES_NIE"
IT_FISCAL_CODE = "IT_FISCAL_CODE"
BR_CPF = "BR_CPF"
MX_CURP = "MX_CURP"
IN_AADHAAR = "IN_AADHAAR"
JP_MY_NUMBER = "JP_MY_NUMBER"
CN_RESIDENT_ID = "CN_RESIDENT_ID"
KR_RRN = "KR_RRN"
NL_BSN = "NL_BSN"
PL_PESEL = "PL_PESEL"
DE_TAX_ID = "DE_TAX_ID"
CA_SIN = "CA_SIN"
AU_TFN = "AU_TFN"

# Not inside a longer run: no digit, Latin letter or underscore touches the match, nor a digit
# grouped onto it ("030 123456782", "123456782.5"). CJK text may touch it.
_LATIN = "0-9A-Za-z_\u00c0-\u024f"
_START = rf"(?<![{_LATIN}])(?<![0-9][ .,\-/])"
_END = rf"(?![{_LATIN}])(?![ .,\-/][0-9])(?![\-/][A-Za-z])"
# The same for identifiers that start or end with a letter: a number may stand before or after
# them, but not joined by a dash or slash ("12-RSSMRA85T10A562S", "12345678Z-4").
_WORD_START = rf"(?<![{_LATIN}])(?<![0-9A-Za-z][\-/])"
_WORD_END = rf"(?![{_LATIN}])(?![\-/][0-9A-Za-z])"
_NON_DIGIT = re.compile(r"[^0-9A-Za-z]")


def _compact(span: str) -> str:
    """The span without its separators, upper case."""
    return _NON_DIGIT.sub("", span).upper()


def _context(words: str, acronyms: str = "") -> re.Pattern[str]:
    """Context words (any case, as `_context_regex`) and acronyms that count only in upper case
    ("SIN", not Spanish "sin"; "NIE", not Polish "nie")."""
    general = _context_regex(words)
    if not acronyms:
        return general
    return re.compile(rf"{general.pattern}|(?-i:(?<![A-Za-z])(?:{acronyms})(?![a-z]))", re.IGNORECASE)


def _safe(validate: Callable[[str], bool]) -> Callable[[str], bool]:
    """`validate`, answering False (never raising) for text of another shape than its pattern's."""

    @functools.wraps(validate)
    def checked(span: str) -> bool:
        try:
            return validate(span)
        except (ValueError, IndexError, KeyError):
            return False

    return checked


def _date_ok(year: int, month: int, day: int) -> bool:
    try:
        datetime.date(year, month, day)
    except ValueError:
        return False
    return True


def _spaced(high: float, low: float) -> MatchScore:
    """`high` for a match written with separators, `low` for a compact one."""

    def score(text: str, match: re.Match[str], region: str | None = None) -> float:
        return high if _NON_DIGIT.search(match.group(0)) else low

    return score


def _upper(high: float, low: float) -> MatchScore:
    """`high` for a match in upper case (as these are written), `low` otherwise."""

    def score(text: str, match: re.Match[str], region: str | None = None) -> float:
        span = match.group(0)
        return high if span == span.upper() else low

    return score


# ---------------------------------------------------------------------------------------------
# UK National Insurance number: two prefix letters, six digits, a suffix A-D (HMRC NIM39110)
# ---------------------------------------------------------------------------------------------

_NINO = re.compile(
    rf"{_WORD_START}(?!(?i:BG|GB|KN|NK|NT|TN|ZZ))"
    r"(?i:[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z])( ?)[0-9]{2}\1[0-9]{2}\1[0-9]{2}\1(?i:[A-D])"
    rf"{_WORD_END}"
)

UK_NINO_SPEC = RecognizerSpec(
    name="national_uk_nino",
    languages=("en",),
    entity=UK_NINO,
    trigger=r"[0-9]{2} ?[0-9]{2} ?[0-9]{2} ?[A-Da-d]",
    reach=24,
    max_match=24,
    # No check character: the layout (HMRC's allocated prefixes) is the whole test.
    patterns=(WebPattern(_NINO, _upper(0.6, 0.3)),),
    context=_context("national insurance|ni number|ni no|nino|nat ins|insurance number", "NI|NINO"),
    context_boost=0.3,
)


# ---------------------------------------------------------------------------------------------
# France: NIR (numéro de sécurité sociale), 13 characters and a key 97 - (n mod 97)
# ---------------------------------------------------------------------------------------------

_NIR = re.compile(
    rf"{_START}[1-478]( ?)[0-9]{{2}}\1[0-9]{{2}}\1(?:[0-9]{{2}}|2[ABab])\1[0-9]{{3}}\1[0-9]{{3}}"
    rf"(?: ?- ?|\1)[0-9]{{2}}{_END}"
)


@_safe
def nir_valid(span: str) -> bool:
    """Sex 1/2 (3, 4, 7, 8: foreign-born or provisional), a month 01-12 or INSEE's 20, 30-42,
    50-99 for an unknown one, a department (2A/2B for Corsica, counted as 19/18), an order number
    above 000, and the key 97 - (n mod 97) over the first 13 characters."""
    nir = _compact(span)
    if len(nir) != 15:
        return False
    month = int(nir[3:5])
    if not (1 <= month <= 12 or month == 20 or 30 <= month <= 42 or month >= 50):
        return False
    department = nir[5:7]
    if department == "00" or nir[10:13] == "000":
        return False
    body = nir[:5] + {"2A": "19", "2B": "18"}.get(department, department) + nir[7:13]
    if not body.isdigit():
        return False
    return 97 - int(body) % 97 == int(nir[13:])


FR_NIR_SPEC = RecognizerSpec(
    name="national_fr_nir",
    languages=("fr",),
    entity=FR_NIR,
    trigger=DIGIT_RUN_TRIGGER,
    reach=DIGIT_RUN_REACH,
    max_match=40,
    patterns=(WebPattern(_NIR, _spaced(0.75, 0.65), validate=nir_valid),),
    context=_context(
        "sécurité sociale|securite sociale|sécu|secu|numéro de sécurité|carte vitale|assuré social|"
        "immatriculation|insee|social security",
        "NIR|NSS",
    ),
    context_boost=0.25,
)


# ---------------------------------------------------------------------------------------------
# Spain: DNI/NIF and NIE, a check letter over the number mod 23
# ---------------------------------------------------------------------------------------------

_DNI_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE"
_DNI = re.compile(
    rf"{_START}(?:[0-9]{{2}}\.[0-9]{{3}}\.[0-9]{{3}}|[0-9]{{8}}|(?i:[KLM])[0-9]{{7}})[ \-]?[A-Za-z]{_WORD_END}"
)
_NIE = re.compile(rf"{_WORD_START}(?i:[XYZ])([ \-.]?)[0-9]{{7}}\1[A-Za-z]{_WORD_END}")


@_safe
def dni_valid(span: str) -> bool:
    """The check letter TRWAGMYFPDXBNJZSQVHLCKE[number mod 23] (Real Decreto 1553/2005; a NIF of
    the K, L, M series checks its seven digits the same way)."""
    nif = _compact(span)
    number = nif[1:-1] if nif[0] in "KLM" else nif[:-1]
    return number.isdigit() and int(number) > 0 and _DNI_LETTERS[int(number) % 23] == nif[-1]


@_safe
def nie_valid(span: str) -> bool:
    """X, Y, Z stand for 0, 1, 2 in front of the seven digits; then the DNI's check letter."""
    nie = _compact(span)
    number = str("XYZ".index(nie[0])) + nie[1:-1]
    return number.isdigit() and _DNI_LETTERS[int(number) % 23] == nie[-1]


_ES_CONTEXT = _context(
    "documento nacional de identidad|dni|nif|d.n.i|n.i.f|identificación fiscal|identificacion fiscal|"
    "número de identificación|numero de identificacion|id card|identity card|national id"
)

ES_NIF_SPEC = RecognizerSpec(
    name="national_es_nif",
    languages=("es", "ca", "gl", "eu"),
    entity=ES_NIF,
    trigger=DIGIT_RUN_TRIGGER,
    reach=DIGIT_RUN_REACH,
    max_match=24,
    patterns=(WebPattern(_DNI, _upper(0.65, 0.4), validate=dni_valid),),
    context=_ES_CONTEXT,
    context_boost=0.3,
)

ES_NIE_SPEC = RecognizerSpec(
    name="national_es_nie",
    languages=("es", "ca", "gl", "eu"),
    entity=ES_NIE,
    trigger=DIGIT_RUN_TRIGGER,
    reach=DIGIT_RUN_REACH,
    max_match=24,
    patterns=(WebPattern(_NIE, _upper(0.7, 0.4), validate=nie_valid),),
    context=_context(
        "número de identidad de extranjero|numero de identidad de extranjero|identificación de extranjero|"
        "identificacion de extranjero|tarjeta de residencia|extranjero|foreigner|residence card",
        "NIE|N.I.E",
    ),
    context_boost=0.25,
)


# ---------------------------------------------------------------------------------------------
# Italy: codice fiscale (DM 23/12/1976), 16 characters with a check letter
# ---------------------------------------------------------------------------------------------

_OMOCODE = "0-9LMNP-Vlmnp-v"  # a digit, or the letter standing for it in an omocode
_FISCAL_CODE = re.compile(
    rf"{_WORD_START}[A-Za-z]{{6}}[{_OMOCODE}]{{2}}[A-EHLMPR-Ta-ehlmpr-t][{_OMOCODE}]{{2}}"
    rf"[A-Za-z][{_OMOCODE}]{{3}}[A-Za-z]{_WORD_END}"
)
_CF_ODD = dict(zip("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", (
    1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 1, 0, 5, 7, 9, 13, 15, 17, 19, 21,
    2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23,
), strict=True))  # fmt: skip
_CF_EVEN = {char: (int(char) if char.isdigit() else ord(char) - 65) for char in "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"}
_OMOCODE_DIGITS = str.maketrans("LMNPQRSTUV", "0123456789")
_NAME_CODE = re.compile(r"[B-DF-HJ-NP-TV-Z]{0,3}[AEIOU]{0,3}X{0,2}")


@_safe
def fiscal_code_valid(span: str) -> bool:
    """Surname and name codes (consonants, then vowels, then X), a day 01-31 (41-71 for women),
    and the check letter: odd-position values plus even-position values mod 26."""
    code = span.upper()
    if not (_NAME_CODE.fullmatch(code[:3]) and _NAME_CODE.fullmatch(code[3:6])):
        return False
    day = int(code[9:11].translate(_OMOCODE_DIGITS))
    if not (1 <= day <= 31 or 41 <= day <= 71):
        return False
    total = sum(_CF_ODD[c] for c in code[0:15:2]) + sum(_CF_EVEN[c] for c in code[1:15:2])
    return chr(65 + total % 26) == code[15]


IT_FISCAL_CODE_SPEC = RecognizerSpec(
    name="national_it_fiscal_code",
    languages=("it",),
    entity=IT_FISCAL_CODE,
    # Year, month letter, day, the town code's letter: the omocodes replace from the right first.
    trigger=r"[A-Za-z][0-9LMNP-V]{2}[A-EHLMPR-Ta-ehlmpr-t][0-9LMNP-V]{2}[A-Za-z]",
    reach=24,
    max_match=24,
    patterns=(WebPattern(_FISCAL_CODE, _upper(0.85, 0.6), validate=fiscal_code_valid),),
    context=_context("codice fiscale|cod. fiscale|cod fiscale|c.f.|tax code|fiscal code", "CF"),
    context_boost=0.15,
)


# ---------------------------------------------------------------------------------------------
# Brazil: CPF, nine digits and two mod-11 check digits
# ---------------------------------------------------------------------------------------------

_CPF = re.compile(rf"{_START}[0-9]{{3}}([. ]?)[0-9]{{3}}\1[0-9]{{3}}[\-./ ]?[0-9]{{2}}{_END}")
_CPF_FORMATTED = re.compile(r"[0-9]{3}\.[0-9]{3}\.[0-9]{3}-[0-9]{2}")


@_safe
def cpf_valid(span: str) -> bool:
    """Both check digits (weights 10..2, then 11..2; 10 counts as 0), not one repeated digit."""
    cpf = _compact(span)
    if len(cpf) != 11 or not cpf.isdigit() or len(set(cpf)) == 1:
        return False
    digits = [int(d) for d in cpf]
    first = sum(d * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True)) * 10 % 11 % 10
    second = sum(d * w for d, w in zip(digits[:10], range(11, 1, -1), strict=True)) * 10 % 11 % 10
    return digits[9] == first and digits[10] == second


def _cpf_score(text: str, match: re.Match[str], region: str | None = None) -> float:
    return 0.8 if _CPF_FORMATTED.fullmatch(match.group(0)) else 0.4


BR_CPF_SPEC = RecognizerSpec(
    name="national_br_cpf",
    languages=("pt",),
    entity=BR_CPF,
    trigger=DIGIT_RUN_TRIGGER,
    reach=DIGIT_RUN_REACH,
    max_match=24,
    patterns=(WebPattern(_CPF, _cpf_score, validate=cpf_valid),),
    context=_context("cpf|c.p.f|cadastro de pessoas|cadastro de pessoa|contribuinte|taxpayer"),
    context_boost=0.4,
)


# ---------------------------------------------------------------------------------------------
# Mexico: CURP (RENAPO), 18 characters with a check digit
# ---------------------------------------------------------------------------------------------

_CURP = re.compile(
    rf"{_WORD_START}(?i:[A-Z][AEIOUX][A-Z]{{2}}[0-9]{{6}}[HMX][A-Z]{{2}}[B-DF-HJ-NP-TV-Z]{{3}}[0-9A-Z])[0-9]{_END}"
)
_CURP_STATES = frozenset(
    "AS BC BS CC CL CM CS CH DF DG GT GR HG JC MC MN MS NT NL OC PL QT QR SP SL SR TC TS TL VZ YN ZS NE".split()  # noqa: SIM905
)
_CURP_VALUES = {char: index for index, char in enumerate("0123456789ABCDEFGHIJKLMNÑOPQRSTUVWXYZ")}


@_safe
def curp_valid(span: str) -> bool:
    """A birth date (homoclave digit: born before 2000, letter: from 2000), a state code (NE:
    born abroad), and the check digit 10 - (sum of value x (18 - position) mod 10)."""
    curp = span.upper()
    if curp[11:13] not in _CURP_STATES:
        return False
    century = 1900 if curp[16].isdigit() else 2000
    if not _date_ok(century + int(curp[4:6]), int(curp[6:8]), int(curp[8:10])):
        return False
    total = sum(_CURP_VALUES[char] * (18 - index) for index, char in enumerate(curp[:17]))
    return (10 - total % 10) % 10 == int(curp[17])


MX_CURP_SPEC = RecognizerSpec(
    name="national_mx_curp",
    languages=("es",),
    entity=MX_CURP,
    trigger=r"[0-9]{6}[HMXhmx][A-Za-z]{2}",
    reach=24,
    max_match=24,
    patterns=(WebPattern(_CURP, _upper(0.85, 0.6), validate=curp_valid),),
    context=_context("curp|clave única de registro|clave unica de registro|registro de población|renapo"),
    context_boost=0.15,
)


# ---------------------------------------------------------------------------------------------
# India: Aadhaar (UIDAI), 12 digits, the first not 0 or 1, a Verhoeff check digit
# ---------------------------------------------------------------------------------------------

_VERHOEFF_D = (
    (0, 1, 2, 3, 4, 5, 6, 7, 8, 9),
    (1, 2, 3, 4, 0, 6, 7, 8, 9, 5),
    (2, 3, 4, 0, 1, 7, 8, 9, 5, 6),
    (3, 4, 0, 1, 2, 8, 9, 5, 6, 7),
    (4, 0, 1, 2, 3, 9, 5, 6, 7, 8),
    (5, 9, 8, 7, 6, 0, 4, 3, 2, 1),
    (6, 5, 9, 8, 7, 1, 0, 4, 3, 2),
    (7, 6, 5, 9, 8, 2, 1, 0, 4, 3),
    (8, 7, 6, 5, 9, 3, 2, 1, 0, 4),
    (9, 8, 7, 6, 5, 4, 3, 2, 1, 0),
)
_VERHOEFF_P = (
    (0, 1, 2, 3, 4, 5, 6, 7, 8, 9),
    (1, 5, 7, 6, 2, 8, 3, 0, 9, 4),
    (5, 8, 0, 3, 7, 9, 6, 1, 4, 2),
    (8, 9, 1, 6, 0, 4, 3, 5, 2, 7),
    (9, 4, 5, 3, 1, 2, 6, 8, 7, 0),
    (4, 2, 8, 6, 5, 7, 3, 9, 0, 1),
    (2, 7, 9, 3, 8, 0, 6, 4, 1, 5),
    (7, 0, 4, 6, 9, 1, 3, 2, 5, 8),
)


def verhoeff_valid(digits: str) -> bool:
    """Whether a digit string passes the Verhoeff check."""
    check = 0
    for index, char in enumerate(reversed(digits)):
        check = _VERHOEFF_D[check][_VERHOEFF_P[index % 8][ord(char) - 48]]
    return check == 0


_TWELVE = re.compile(rf"{_START}[0-9]{{4}}([ \-]?)[0-9]{{4}}\1[0-9]{{4}}{_END}")
_TWELVE_TRIGGER = r"[0-9]{4}[ \-]?[0-9]{4}[ \-]?[0-9]{4}"


@_safe
def aadhaar_valid(span: str) -> bool:
    """Twelve digits, the first 2-9, Verhoeff-valid, not a palindrome (as Presidio's)."""
    number = _compact(span)
    return number[0] not in "01" and number != number[::-1] and verhoeff_valid(number)


IN_AADHAAR_SPEC = RecognizerSpec(
    name="national_in_aadhaar",
    languages=("en", "hi", "bn", "ta", "te", "mr", "gu", "kn", "ml", "pa", "ur"),
    entity=IN_AADHAAR,
    trigger=DIGIT_RUN_TRIGGER,
    reach=DIGIT_RUN_REACH,
    max_match=24,
    patterns=(WebPattern(_TWELVE, _spaced(0.4, 0.3), validate=aadhaar_valid),),
    context=_context("aadhaar|aadhar|adhaar|uidai|uid no|uid number|आधार|ஆதார்|আধার|ఆధార్", "UID"),
    context_boost=0.4,
)


# ---------------------------------------------------------------------------------------------
# Japan: My Number (個人番号), 12 digits, a mod-11 check digit
# ---------------------------------------------------------------------------------------------


@_safe
def my_number_valid(span: str) -> bool:
    """The check digit of 行政手続における特定の個人を識別するための番号の利用等に関する法律施行令
    (Ministry of Internal Affairs ordinance no. 85, 2014): P_n the n-th digit from the right before
    it, Q_n = n + 1 for n <= 6 and n - 5 above; 11 - (sum P_n Q_n mod 11), 0 when that is 10 or 11."""
    number = _compact(span)
    total = sum(int(char) * (n + 1 if n <= 6 else n - 5) for n, char in enumerate(reversed(number[:11]), start=1))
    remainder = total % 11
    return int(number[11]) == (0 if remainder <= 1 else 11 - remainder)


JP_MY_NUMBER_SPEC = RecognizerSpec(
    name="national_jp_my_number",
    languages=("ja",),
    entity=JP_MY_NUMBER,
    trigger=DIGIT_RUN_TRIGGER,
    reach=DIGIT_RUN_REACH,
    max_match=24,
    patterns=(WebPattern(_TWELVE, _spaced(0.4, 0.3), validate=my_number_valid),),
    context=_context("マイナンバー|個人番号|my number|mynumber|individual number|通知カード"),
    context_boost=0.4,
)


# ---------------------------------------------------------------------------------------------
# China: resident identity card number (GB 11643-1999), 18 characters, ISO 7064 MOD 11-2
# ---------------------------------------------------------------------------------------------

_CN_ID = re.compile(rf"{_START}[1-8][0-9]{{5}}( ?)(?:18|19|20)[0-9]{{6}}\1[0-9]{{3}}[0-9Xx]{_END}")
_CN_PROVINCES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65 71 81 82 83".split()  # noqa: SIM905
)
_CN_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


@_safe
def cn_resident_id_valid(span: str) -> bool:
    """A province code, a real birth date, and the ISO 7064 MOD 11-2 check character (X for 10)."""
    number = _compact(span)
    if number[:2] not in _CN_PROVINCES or not _date_ok(int(number[6:10]), int(number[10:12]), int(number[12:14])):
        return False
    check = (12 - sum(int(d) * w for d, w in zip(number[:17], _CN_WEIGHTS, strict=True)) % 11) % 11
    return number[17] == ("X" if check == 10 else str(check))


CN_RESIDENT_ID_SPEC = RecognizerSpec(
    name="national_cn_resident_id",
    languages=("zh",),
    entity=CN_RESIDENT_ID,
    trigger=DIGIT_RUN_TRIGGER,
    reach=DIGIT_RUN_REACH,
    max_match=32,
    patterns=(WebPattern(_CN_ID, 0.8, validate=cn_resident_id_valid),),
    context=_context("身份证|身份號|身份号|公民身份|证件号|證件號|居民身份|id card|identity card|resident id"),
    context_boost=0.15,
)


# ---------------------------------------------------------------------------------------------
# Korea: resident registration number (주민등록번호), YYMMDD-SXXXXXX
# ---------------------------------------------------------------------------------------------

_RRN = re.compile(rf"{_START}[0-9]{{2}}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])([ \-]?)[0-9]{{7}}{_END}")
_RRN_WEIGHTS = (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5)
_RRN_CENTURY = {"9": 1800, "0": 1800, "1": 1900, "2": 1900, "5": 1900, "6": 1900}
_RANDOM_SINCE = datetime.date(2020, 10, 1)


def _rrn_parts(span: str) -> tuple[str, datetime.date | None]:
    number = _compact(span)
    year = _RRN_CENTURY.get(number[6], 2000) + int(number[:2])
    try:
        return number, datetime.date(year, int(number[2:4]), int(number[4:6]))
    except ValueError:
        return number, None


def rrn_check_valid(number: str) -> bool:
    """(11 - (sum of the first 12 digits x 2,3,4,5,6,7,8,9,2,3,4,5) mod 11) mod 10."""
    total = sum(int(d) * w for d, w in zip(number[:12], _RRN_WEIGHTS, strict=True))
    return (11 - total % 11) % 10 == int(number[12])


@_safe
def rrn_valid(span: str) -> bool:
    """A real birth date (the century from the seventh digit) and the check digit; numbers given
    since October 2020 end in random digits, so for those born since then the date alone."""
    number, born = _rrn_parts(span)
    return born is not None and (rrn_check_valid(number) or born >= _RANDOM_SINCE)


def _rrn_score(text: str, match: re.Match[str], region: str | None = None) -> float:
    if not rrn_check_valid(_compact(match.group(0))):
        return 0.35  # a post-2020 number, without a check digit: needs a context word
    return 0.7 if "-" in match.group(0) else 0.45


KR_RRN_SPEC = RecognizerSpec(
    name="national_kr_rrn",
    languages=("ko",),
    entity=KR_RRN,
    trigger=DIGIT_RUN_TRIGGER,
    reach=DIGIT_RUN_REACH,
    max_match=24,
    patterns=(WebPattern(_RRN, _rrn_score, validate=rrn_valid),),
    context=_context("주민등록번호|주민번호|주민등록|등록번호|resident registration", "RRN"),
    context_boost=0.3,
)


# ---------------------------------------------------------------------------------------------
# Netherlands: burgerservicenummer, nine digits passing the 11-proof
# ---------------------------------------------------------------------------------------------

_BSN = re.compile(rf"{_START}(?:[0-9]{{4}}\.[0-9]{{2}}\.[0-9]{{3}}|[0-9]{{3}}([ .\-]?)[0-9]{{3}}\1[0-9]{{3}}){_END}")


@_safe
def bsn_valid(span: str) -> bool:
    """The 11-proof: 9a + 8b + ... + 2h - i divisible by 11 (not all zeros)."""
    number = _compact(span)
    total = sum(int(d) * w for d, w in zip(number, (9, 8, 7, 6, 5, 4, 3, 2, -1), strict=True))
    return total % 11 == 0 and number != "000000000"


NL_BSN_SPEC = RecognizerSpec(
    name="national_nl_bsn",
    languages=("nl",),
    entity=NL_BSN,
    trigger=DIGIT_RUN_TRIGGER,
    reach=DIGIT_RUN_REACH,
    max_match=24,
    patterns=(WebPattern(_BSN, 0.35, validate=bsn_valid),),
    context=_context("burgerservicenummer|bsn|sofinummer|sofi-nummer|sofi nummer|citizen service number"),
    context_boost=0.4,
)


# ---------------------------------------------------------------------------------------------
# Poland: PESEL, YYMMDD (the century in the month), serial, check digit
# ---------------------------------------------------------------------------------------------

_PESEL = re.compile(rf"{_START}[0-9]{{11}}{_END}")
_PESEL_WEIGHTS = (1, 3, 7, 9, 1, 3, 7, 9, 1, 3)


@_safe
def pesel_valid(span: str) -> bool:
    """A real birth date (months +80: 1800s, +0: 1900s, +20: 2000s, +40, +60) and the check digit
    (10 - (sum of digits x 1,3,7,9,... mod 10)) mod 10."""
    number = _compact(span)
    month = int(number[2:4])
    century = (1900, 2000, 2100, 2200, 1800)[month // 20]
    if not _date_ok(century + int(number[:2]), month % 20, int(number[4:6])):
        return False
    total = sum(int(d) * w for d, w in zip(number[:10], _PESEL_WEIGHTS, strict=True))
    return (10 - total % 10) % 10 == int(number[10])


PL_PESEL_SPEC = RecognizerSpec(
    name="national_pl_pesel",
    languages=("pl",),
    entity=PL_PESEL,
    trigger=DIGIT_RUN_TRIGGER,
    reach=DIGIT_RUN_REACH,
    max_match=24,
    patterns=(WebPattern(_PESEL, 0.45, validate=pesel_valid),),
    context=_context("pesel|nr ewidencyjny|numer ewidencyjny|national identification number"),
    context_boost=0.4,
)


# ---------------------------------------------------------------------------------------------
# Germany: steuerliche Identifikationsnummer (§ 139b AO), 11 digits, ISO 7064 MOD 11,10
# ---------------------------------------------------------------------------------------------

_TAX_ID = re.compile(rf"{_START}[1-9][0-9]([ /]?)[0-9]{{3}}\1[0-9]{{3}}\1[0-9]{{3}}{_END}")


@_safe
def de_tax_id_valid(span: str) -> bool:
    """First digit not 0; in the first ten digits exactly one digit appears twice or three times
    (three times never in a row) and every other at most once; the ISO 7064 MOD 11,10 check digit."""
    number = _compact(span)
    counts = Counter(number[:10])
    repeated = [digit for digit, count in counts.items() if count > 1]
    if number[0] == "0" or len(repeated) != 1 or counts[repeated[0]] > 3:
        return False
    if counts[repeated[0]] == 3 and repeated[0] * 3 in number[:10]:
        return False
    product = 10
    for char in number[:10]:
        total = (int(char) + product) % 10 or 10
        product = total * 2 % 11
    return (11 - product) % 10 == int(number[10])


DE_TAX_ID_SPEC = RecognizerSpec(
    name="national_de_tax_id",
    languages=("de",),
    entity=DE_TAX_ID,
    trigger=DIGIT_RUN_TRIGGER,
    reach=DIGIT_RUN_REACH,
    max_match=24,
    patterns=(WebPattern(_TAX_ID, 0.45, validate=de_tax_id_valid),),
    context=_context(
        "steuer-id|steuerid|steuer id|steuer-idnr|steueridentifikationsnummer|identifikationsnummer|"
        "steuerliche identifikation|steuerliche id|idnr|id-nr|tax id|tax identification|tin",
        "IdNr",
    ),
    context_boost=0.4,
)


# ---------------------------------------------------------------------------------------------
# Canada: social insurance number, nine digits, Luhn
# ---------------------------------------------------------------------------------------------

_NINE = re.compile(rf"{_START}[0-9]{{3}}([ \-]?)[0-9]{{3}}\1[0-9]{{3}}{_END}")
_NINE_TRIGGER = r"[0-9]{3}[ \-]?[0-9]{3}[ \-]?[0-9]{3}"


@_safe
def sin_valid(span: str) -> bool:
    """First digit not 0 or 8 (not issued to people), and the Luhn check."""
    number = _compact(span)
    return number[0] not in "08" and luhn_valid(number)


CA_SIN_SPEC = RecognizerSpec(
    name="national_ca_sin",
    languages=("en", "fr"),
    entity=CA_SIN,
    trigger=DIGIT_RUN_TRIGGER,
    reach=DIGIT_RUN_REACH,
    max_match=24,
    patterns=(WebPattern(_NINE, 0.4, validate=sin_valid),),
    context=_context("social insurance|assurance sociale|numéro d'assurance|numero d'assurance|n.a.s", "SIN|NAS|S.I.N"),
    context_boost=0.4,
)


# ---------------------------------------------------------------------------------------------
# Australia: tax file number, nine digits, weighted mod 11
# ---------------------------------------------------------------------------------------------

_TFN_WEIGHTS = (1, 4, 3, 7, 5, 8, 6, 9, 10)


@_safe
def tfn_valid(span: str) -> bool:
    """Digits x 1,4,3,7,5,8,6,9,10 sum to a multiple of 11 (not all zeros)."""
    number = _compact(span)
    total = sum(int(d) * w for d, w in zip(number, _TFN_WEIGHTS, strict=True))
    return total % 11 == 0 and number != "000000000"


AU_TFN_SPEC = RecognizerSpec(
    name="national_au_tfn",
    languages=("en",),
    entity=AU_TFN,
    trigger=DIGIT_RUN_TRIGGER,
    reach=DIGIT_RUN_REACH,
    max_match=24,
    patterns=(WebPattern(_NINE, 0.4, validate=tfn_valid),),
    context=_context("tax file number|tax file no|tax file #", "TFN"),
    context_boost=0.4,
)


NATIONAL: tuple[RecognizerSpec, ...] = (
    UK_NINO_SPEC,
    FR_NIR_SPEC,
    ES_NIF_SPEC,
    ES_NIE_SPEC,
    IT_FISCAL_CODE_SPEC,
    BR_CPF_SPEC,
    MX_CURP_SPEC,
    IN_AADHAAR_SPEC,
    JP_MY_NUMBER_SPEC,
    CN_RESIDENT_ID_SPEC,
    KR_RRN_SPEC,
    NL_BSN_SPEC,
    PL_PESEL_SPEC,
    DE_TAX_ID_SPEC,
    CA_SIN_SPEC,
    AU_TFN_SPEC,
)
"""The national-identifier recognizers, one entity type each."""

NATIONAL_ENTITIES: tuple[str, ...] = tuple(spec.entity for spec in NATIONAL)
"""Their entity types."""

"""The default tier's recognizers as data: e-mails, phones, cards, IBANs, IPs, US SSNs, secrets,
and (from `curation.pii.national`) sixteen countries' national identifiers.

Each is a `RecognizerSpec` (`curation.pii.patterns`): linear-time patterns (every quantifier
bounded, no ambiguous nesting), each with a score or a scoring function and an optional validator
of the matched text, context words that raise the score, and a cheap `trigger` for the engine's
pre-screen. `register_recognizer` adds yours, as `filters.register` adds a filter.
"""

from __future__ import annotations

import ipaddress
import re

import phonenumbers
from presidio_analyzer.predefined_recognizers.generic.iban_patterns import regex_per_country

from curation.pii.national import NATIONAL
from curation.pii.patterns import (
    DIGIT_RUN_REACH,
    DIGIT_RUN_TRIGGER,
    RecognizerSpec,
    WebPattern,
    WebRecognizer,
    _before,
    _context_regex,
    luhn_valid,
)
from curation.scripts import ADDRESS_BREAKING_SCRIPTS, char_class
from curation.suffixes import has_public_suffix

EMAIL = "EMAIL_ADDRESS"
PHONE = "PHONE_NUMBER"
CARD = "CREDIT_CARD"
IBAN = "IBAN_CODE"
IP = "IP_ADDRESS"
SSN = "US_SSN"
SECRET = "SECRET"


# ---------------------------------------------------------------------------------------------
# E-mail addresses
# ---------------------------------------------------------------------------------------------

# Letters of any script count in an address (josé.garcía@gmail.com, jürgen@münchen.de), but those of
# scripts whose text runs into an address do not: "请发邮件至wang@qq.com。" holds only wang@qq.com.
_BREAKING = char_class(ADDRESS_BREAKING_SCRIPTS)
_E_WORD = rf"[^\W{_BREAKING}]"
_E_ALNUM = rf"[^\W_{_BREAKING}]"
_E_LETTER = rf"[^\W\d_{_BREAKING}]"
_EMAIL = re.compile(
    rf"(?<!{_E_WORD})(?<![.%+\-])((?:{_E_WORD}|[%+\-])(?:(?:{_E_WORD}|[.%+\-]){{0,62}}(?:{_E_WORD}|[%+\-]))?)@"
    rf"((?:{_E_ALNUM}(?:(?:{_E_WORD}|-){{0,61}}{_E_ALNUM})?\.){{1,8}}(?:{_E_LETTER}{{2,24}}|xn--[a-z0-9\-]{{2,59}}))"
    rf"(?!{_E_ALNUM}|[.\-_]{_E_ALNUM})"
)


WEB_EMAIL = RecognizerSpec(
    name="web_email",
    entity=EMAIL,
    trigger=r"@",
    reach=96,
    patterns=(WebPattern(_EMAIL, 0.9, validate=lambda span: has_public_suffix(span.rsplit("@", 1)[1].lower())),),
)
"""E-mail addresses whose domain ends in a public suffix (checked offline)."""


# ---------------------------------------------------------------------------------------------
# Phone numbers
# ---------------------------------------------------------------------------------------------

_PHONE = re.compile(
    r"(?<![A-Za-z0-9_+\-.,/])"
    r"(\+ ?)?"
    r"(?:\(\d{1,5}\)[ .\-]?|\d{1,3} ?\(\d{1,4}\)[ .\-]?)?"
    r"\d{1,12}(?:(?:[./]| ?- ?| )\d{1,12}){0,6}"
    r"(?: ?(?:x|ext\.?|#) ?\d{1,6})?"
    r"(?![A-Za-z0-9_]|-[\d\-]|[.,/]\d)"
)
_EXTENSION = re.compile(r" ?(?:x|ext\.?|#) ?\d{1,6}$")
_NANP = re.compile(r"(?:\+?1[ .\-])?(?:\(\d{3}\)\s?|\d{3}[.\-])\d{3}[.\-]\d{4}")
_TWO_DIGIT_GROUPS = re.compile(r"0\d(?:[ .]\d\d){4}")
_TRUNK_GROUPS = re.compile(r"\(?0\d{1,4}\)?[ \-/]\d{2,8}(?:[ \-]\d{2,8}){0,3}")
_SSN_SHAPE = re.compile(r"\d{3}-\d{2}-\d{4}")
_YEAR = re.compile(r"(?:19|20)\d\d")
_PAREN_YEAR = re.compile(r"\((?:19|20)\d\d\)")
_PHONE_CONTEXT = _context_regex(
    "phone|tel|call|mobile|cell|fax|contact|whatsapp|sms|hotline|dial|number|reach|text us|"
    "erreichen|erreichbar|kontakt|joindre|joignable|llamar|contacto|contatto|chiamare|"
    "telefon|handy|rufnummer|anrufen|ruf|téléphone|tél|appel|portable|numéro|"
    "teléfono|llame|llámenos|móvil|telefono|chiama|cellulare|numero|al |"
    "bel |bellen|telefoon|zadzwoń|numer|tel.|телефон|звоните|номер|тел|"
    "电话|電話|手机|联系|携帯|お電話|番号|desk|mob|ph:|ph.|móvil|cel"
)
_PHONE_AFTER = re.compile(r"[\s\-,(]{0,3}(?:office|fax|mobile|cell|home|work|tel|phone|direct|desk)", re.IGNORECASE)
_STREET_AFTER = re.compile(
    r" (?:[A-Z][\w.]*\.? ){1,3}(?:St|Street|Ave|Avenue|Rd|Road|Dr|Drive|Ln|Lane|Blvd|Boulevard|Way|Ct|Court|Pl|Place)\b"
)
_NOT_PHONE_CONTEXT = _context_regex(
    "license|licence|account|acct|order|invoice|isbn|issn|serial|passport|ssn|social security|tax|"
    "routing|iban|card|policy|tracking|reference|ref.|id:|id no|item|model|part|sku|ean|upc|zip|postal|plz"
)


_DIGIT_RUN = re.compile(r"\d+")
_DIGIT_OR_PLUS = re.compile(r"[\d+]")


def _phone_groups(candidate: str) -> list[str]:
    return _DIGIT_RUN.findall(candidate)


def _looks_like_date_or_range(groups: list[str], separators: str) -> bool:
    if len(groups) == 2 and all(_YEAR.fullmatch(g) for g in groups):
        return True
    if len(groups) != 3 or "(" in separators:
        return False
    lengths = sorted(len(g) for g in groups)
    has_year = any(_YEAR.fullmatch(g) or len(g) <= 2 for g in (groups[0], groups[-1]))
    return lengths in ([1, 1, 4], [1, 2, 4], [2, 2, 4], [2, 2, 2], [1, 1, 2], [1, 2, 2]) and has_year


def _looks_like_ipv4(candidate: str) -> bool:
    parts = candidate.split(".")
    return len(parts) == 4 and all(p.isdigit() and len(p) <= 3 and int(p) <= 255 for p in parts)


def _is_isbn(digits: str) -> bool:
    if len(digits) == 13 and digits[:3] in ("978", "979"):
        total = sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(digits))
        return total % 10 == 0
    return False


def _phone_shape_score(candidate: str, digits: str, n_groups: int) -> float:
    """How much the layout alone says "phone number" (before any context words)."""
    compact = candidate.replace(" ", "")
    if compact.startswith("+"):
        try:
            possible = phonenumbers.is_possible_number(phonenumbers.parse(candidate))
        except phonenumbers.NumberParseException:
            possible = False
        return 0.8 if possible else 0.6
    if digits.startswith("00") and len(digits) >= 10:
        return 0.55
    if _NANP.fullmatch(candidate) or _TWO_DIGIT_GROUPS.fullmatch(candidate):
        return 0.7
    if "(" in candidate and len(digits) >= 8 and not _PAREN_YEAR.search(candidate):
        return 0.65
    if _TRUNK_GROUPS.fullmatch(candidate) and len(digits) >= 9:
        return 0.55
    if n_groups >= 3 and 9 <= len(digits) <= 13:
        return 0.45
    if n_groups == 1 and len(digits) in (10, 11):
        return 0.3
    return 0.2


def _phone_score(text: str, match: re.Match[str], region: str | None = None) -> float:
    """Candidates of 7-15 digits, scored by their layout (a `+` prefix checked with `phonenumbers`,
    parentheses, typical groupings; a number valid in the document's `region`, as `phonenumbers`
    knows that country's plan) and raised by a context word in front or a label after; dates, year
    ranges, IPv4 addresses, SSN and ISBN shapes, and postcodes before a street are 0."""
    candidate = _EXTENSION.sub("", match.group(0))
    groups = _phone_groups(candidate)
    digits = "".join(groups)
    if not 7 <= len(digits) <= 15:
        return 0.0
    separators = _DIGIT_OR_PLUS.sub("", candidate)
    if _looks_like_date_or_range(groups, separators) or _looks_like_ipv4(candidate):
        return 0.0
    if _SSN_SHAPE.fullmatch(candidate) or _is_isbn(digits):
        return 0.0
    before = _before(text, match.start(), _PHONE_CONTEXT_REACH)
    if "isbn" in before.lower():
        return 0.0
    score = _phone_shape_score(candidate, digits, len(groups))
    if region is not None and score < _VALID_IN_REGION and _grouped_like_a_phone(groups) and candidate[0] != "+":
        score = max(score, _region_score(candidate, region))
    if _STREET_AFTER.match(text, match.end(), match.end() + 64):
        return 0.0  # a postcode and house number, as in "03262 2437 Main St"
    if _NOT_PHONE_CONTEXT.search(before[-32:]):
        return score - 0.2
    if _PHONE_CONTEXT.search(before) or _PHONE_AFTER.match(text, match.end(), match.end() + 24):
        score += 0.35
    return score


_PHONE_CONTEXT_REACH = 64
_VALID_IN_REGION = 0.6
REGION_OF_LANGUAGE = {
    "de": "DE", "fr": "FR", "es": "ES", "it": "IT", "nl": "NL", "pl": "PL", "pt": "BR", "ja": "JP",
    "zh": "CN", "ko": "KR", "hi": "IN", "ru": "RU", "tr": "TR", "sv": "SE", "da": "DK", "fi": "FI",
    "nb": "NO", "no": "NO", "cs": "CZ", "el": "GR", "hu": "HU", "ro": "RO", "uk": "UA", "vi": "VN",
    "th": "TH", "id": "ID", "he": "IL", "fa": "IR", "bn": "BD", "ur": "PK", "ms": "MY", "bg": "BG",
}
"""The country whose phone plan a page's language most likely means (English, Arabic and other
languages of many countries have none: their numbers are scored by layout alone)."""
_GENERIC_CCTLDS = frozenset({"ac", "ai", "am", "cc", "co", "eu", "fm", "gg", "io", "ly", "me", "nu", "sh", "su", "tk"})
_GENERIC_CCTLDS |= frozenset({"to", "tv", "ws"})
"""Country-code domains used worldwide (`.io`, `.tv`, `.me`): they say nothing of a page's country."""


def region_hint(domain: str | None, language: str | None) -> str | None:
    """The country (ISO 3166) a page's phone numbers most likely belong to: its domain's country-code
    top-level domain (`.de`, `.co.uk`), else its language's (`REGION_OF_LANGUAGE`), else None."""
    if domain:
        suffix = domain.rsplit(".", 1)[-1].lower()
        region = "GB" if suffix == "uk" else suffix.upper()
        if len(suffix) == 2 and suffix not in _GENERIC_CCTLDS and region in phonenumbers.SUPPORTED_REGIONS:
            return region
    return REGION_OF_LANGUAGE.get(language.split("-")[0]) if language else None


_MOBILE = (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE)


def _grouped_like_a_phone(groups: list[str]) -> bool:
    """Two groups or more, none of one digit and none a year, or one run of ten digits or more:
    "2022/04/20/10" in a url, "2014-05-16 02:15" and "1 7 18 10" in a table are valid numbers in
    some plans, but they are dates and figures, and a shorter bare run is as often an order number."""
    if any(_YEAR.fullmatch(group) for group in groups):
        return False
    return len(groups[0]) >= 10 if len(groups) == 1 else min(map(len, groups)) >= 2


def _region_score(candidate: str, region: str) -> float:
    """0.6 for a mobile number of `region`'s plan (`phonenumbers`: right length and prefixes), else 0.

    Mobile only: many plans (Germany's, Italy's) accept most digit runs as a fixed line, even with
    the trunk prefix (a calendar's "08 09 10 11 12", an Italian VAT number); mobile ranges are
    narrow enough alone. Fixed lines are found by their layout and context words."""
    try:
        number = phonenumbers.parse(candidate, region)
    except phonenumbers.NumberParseException:
        return 0.0
    if not phonenumbers.is_valid_number_for_region(number, region):
        return 0.0
    return _VALID_IN_REGION if phonenumbers.number_type(number) in _MOBILE else 0.0


WEB_PHONE = RecognizerSpec(
    name="web_phone",
    entity=PHONE,
    trigger=DIGIT_RUN_TRIGGER,
    reach=DIGIT_RUN_REACH,
    patterns=(WebPattern(_PHONE, _phone_score),),
)
"""Phone numbers in international and national layouts (not only the US)."""


# ---------------------------------------------------------------------------------------------
# Payment cards
# ---------------------------------------------------------------------------------------------

_CARD = re.compile(r"(?<![A-Za-z0-9_\-.+/])\d{4}(?:[ \-]?\d){8,15}(?![A-Za-z0-9_\-]|[.,/]\d)")
_CARD_CONTEXT = _context_regex(
    "card|visa|mastercard|amex|american express|discover|jcb|diners|maestro|unionpay|cc|"
    "karte|carte|tarjeta|carta|kaart|kartą|карт|卡|カード"
)
# (first digits, lengths): current issuer ranges of the major networks.
_CARD_RANGES: tuple[tuple[range, int, tuple[int, ...]], ...] = (
    (range(4, 5), 1, (13, 16, 19)),  # Visa
    (range(51, 56), 2, (16,)),  # Mastercard
    (range(2221, 2721), 4, (16,)),  # Mastercard 2-series
    (range(2200, 2205), 4, (16, 17, 18, 19)),  # Mir
    (range(34, 35), 2, (15,)),  # American Express
    (range(37, 38), 2, (15,)),
    (range(6011, 6012), 4, (16, 17, 18, 19)),  # Discover
    (range(644, 650), 3, (16, 17, 18, 19)),
    (range(65, 66), 2, (16, 17, 18, 19)),
    (range(35, 36), 2, (16, 17, 18, 19)),  # JCB (3528-3589 issued; Faker and test sets use all of 35)
    (range(2131, 2132), 4, (15,)),
    (range(1800, 1801), 4, (15,)),
    (range(300, 306), 3, (14, 15, 16, 17, 18, 19)),  # Diners Club
    (range(36, 37), 2, (14, 15, 16, 17, 18, 19)),
    (range(38, 40), 2, (14, 15, 16, 17, 18, 19)),
    (range(62, 63), 2, (16, 17, 18, 19)),  # UnionPay
    (range(50, 51), 2, (12, 13, 14, 15, 16, 17, 18, 19)),  # Maestro
    (range(56, 70), 2, (12, 13, 14, 15, 16, 17, 18, 19)),
)


def card_network_known(digits: str) -> bool:
    """Whether the number's prefix and length belong to a current card network."""
    return any(int(digits[:width]) in prefixes and len(digits) in lengths for prefixes, width, lengths in _CARD_RANGES)


def _card_grouping_ok(candidate: str) -> bool:
    groups = re.split(r"[ \-]", candidate)
    if len(groups) == 1:
        return True
    return len(set(re.findall(r"[ \-]", candidate))) == 1 and all(3 <= len(g) <= 6 for g in groups[:-1])


def card_valid(candidate: str) -> bool:
    """Consistent grouping, a current network's prefix and length, and the Luhn checksum."""
    digits = re.sub(r"\D", "", candidate)
    return _card_grouping_ok(candidate) and card_network_known(digits) and luhn_valid(digits)


WEB_CARD = RecognizerSpec(
    name="web_card",
    entity=CARD,
    trigger=r"\d{4}[ \-]?\d{4}",
    reach=40,
    patterns=(WebPattern(_CARD, 0.85, validate=card_valid),),
    context=_CARD_CONTEXT,
    context_boost=0.15,
)
"""Card numbers of 12-19 digits: every current network's prefix and length, Luhn-valid."""


# ---------------------------------------------------------------------------------------------
# IBANs
# ---------------------------------------------------------------------------------------------

_IBAN = re.compile(
    r"(?<![A-Za-z0-9_])([A-Za-z]{2}\d{2}(?:[ \-]?[A-Za-z0-9]{4}){2,7}(?:[ \-]?[A-Za-z0-9]{1,3})?)(?![A-Za-z0-9_])"
)
_IBAN_FORMATS = {country: re.compile(pattern) for country, pattern in regex_per_country.items()}


def iban_valid(candidate: str) -> bool:
    """ISO 13616: the country's layout and the mod-97 check digits."""
    compact = re.sub(r"[ \-]", "", candidate).upper()
    layout = _IBAN_FORMATS.get(compact[:2])
    if layout is None or not layout.fullmatch(compact):
        return False
    rearranged = compact[4:] + compact[:4]
    return int("".join(str(int(char, 36)) for char in rearranged)) % 97 == 1


WEB_IBAN = RecognizerSpec(
    name="web_iban",
    entity=IBAN,
    trigger=r"(?<![A-Za-z0-9_])[A-Za-z]{2}\d{2}[ \-]?[A-Za-z0-9]{4}",
    reach=48,
    patterns=(WebPattern(_IBAN, 1.0, validate=iban_valid, retry_before_last=" "),),
)
"""IBANs with a valid country layout and mod-97 checksum, compact or grouped by four."""


# ---------------------------------------------------------------------------------------------
# IP addresses
# ---------------------------------------------------------------------------------------------

_OCTET = r"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"
_IPV4 = re.compile(rf"(?<![A-Za-z0-9_.\-]){_OCTET}(?:\.{_OCTET}){{3}}(?![A-Za-z0-9_\-]|\.\d)")
_IPV6 = re.compile(r"(?<![A-Za-z0-9_:.])[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?![A-Za-z0-9_:])")
_VERSION_CONTEXT = re.compile(r"(?:version|ver\.|release|build|v)\s*$", re.IGNORECASE)


def _ipv4_score(text: str, match: re.Match[str], region: str | None = None) -> float:
    return 0.0 if _VERSION_CONTEXT.search(_before(text, match.start(), 16)) else 0.7


def ipv6_valid(candidate: str) -> bool:
    """At least three non-empty groups, and an address `ipaddress` accepts."""
    if sum(1 for part in candidate.split(":") if part) < 3:
        return False
    try:
        ipaddress.IPv6Address(candidate)
    except ValueError:
        return False
    return True


WEB_IP = RecognizerSpec(
    name="web_ip",
    entity=IP,
    trigger=r"\d{1,3}\.\d{1,3}\.\d{1,3}\.\d|[0-9A-Fa-f]{0,4}:[0-9A-Fa-f]{0,4}:[0-9A-Fa-f]{0,4}:",
    reach=48,
    patterns=(WebPattern(_IPV4, _ipv4_score), WebPattern(_IPV6, 0.7, validate=ipv6_valid)),
)
"""IPv4 (not version numbers) and IPv6 addresses, validated with `ipaddress`."""


# ---------------------------------------------------------------------------------------------
# US social security numbers
# ---------------------------------------------------------------------------------------------

_SSN_DASHED = re.compile(r"(?<![A-Za-z0-9_\-.])\d{3}-\d{2}-\d{4}(?![A-Za-z0-9_\-]|[.,]\d)")
_SSN_SPACED = re.compile(r"(?<![A-Za-z0-9_\-.])\d{3}([ .])\d{2}\1\d{4}(?![A-Za-z0-9_\-]|[.,]\d)")
_SSN_CONTEXT = _context_regex("ssn|social security|social sec|ss#|ss #|taxpayer")


def ssn_valid(candidate: str) -> bool:
    """Not a never-issued area (000, 666, 9xx), group (00) or serial (0000), nor a repeated or sequential one."""
    area, group, serial = re.split(r"[- .]", candidate)
    if area in ("000", "666") or area[0] == "9" or group == "00" or serial == "0000":
        return False
    return len(set(area + group + serial)) > 1 and area + group + serial != "123456789"


WEB_SSN = RecognizerSpec(
    name="web_ssn",
    entity=SSN,
    trigger=r"\d{3}[- .]\d{2}[- .]\d{4}",
    reach=48,
    patterns=(WebPattern(_SSN_DASHED, 0.6, validate=ssn_valid), WebPattern(_SSN_SPACED, 0.4, validate=ssn_valid)),
    context=_SSN_CONTEXT,
    context_boost=0.35,
)
"""US social security numbers (AAA-GG-SSSS)."""


# ---------------------------------------------------------------------------------------------
# Secrets: API keys, private-key blocks, credentials in URLs
# ---------------------------------------------------------------------------------------------

_PEM_SEPARATOR = r"(?:[\s\"'>,]|\\[nr])"
"""Between lines of a key: line breaks, also escaped (JSON) or quoted (e-mail, string concatenation)."""
_PRIVATE_KEY = re.compile(
    r"-----BEGIN (?:[A-Z0-9]{1,12} ){0,3}PRIVATE KEY(?: BLOCK)?-----"
    r"(?:"
    r"(?:[A-Za-z0-9+/=\s:,.\\\"'>]|-(?!----)){0,16384}"
    r"-----END (?:[A-Z0-9]{1,12} ){0,3}PRIVATE KEY(?: BLOCK)?-----"
    # A truncated block (no END line): its header lines and base64 lines, not the prose after them.
    rf"|(?:{_PEM_SEPARATOR}{{1,8}}"
    r"(?:[A-Za-z0-9+/]{16,80}={0,2}|(?:Proc-Type|DEK-Info): ?[A-Za-z0-9,\-]{1,80})){0,160}"
    r")"
)
_API_KEYS = re.compile(
    r"(?<![\w\-])(?:"
    r"(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA)[0-9A-Z]{16}"  # AWS access key ids
    r"|gh[pousr]_[A-Za-z0-9]{36,251}"  # GitHub tokens
    r"|github_pat_[A-Za-z0-9_]{50,255}"
    r"|glpat-[A-Za-z0-9_\-]{20,64}"  # GitLab
    r"|xox[abposr]-[A-Za-z0-9\-]{10,250}"  # Slack
    r"|AIza[0-9A-Za-z_\-]{35}"  # Google API keys
    r"|(?:sk|rk|pk)_(?:live|test)_[0-9A-Za-z]{16,247}"  # Stripe
    r"|sk-(?:proj-|ant-api03-)?[A-Za-z0-9_\-]{32,200}"  # OpenAI, Anthropic
    r"|hf_[A-Za-z]{34}"  # Hugging Face
    r"|SG\.[A-Za-z0-9_\-]{22}\.[A-Za-z0-9_\-]{43}"  # SendGrid
    r"|npm_[A-Za-z0-9]{36}"  # npm
    r"|eyJ[A-Za-z0-9_\-]{8,2048}\.eyJ[A-Za-z0-9_\-]{8,8192}\.[A-Za-z0-9_\-]{8,2048}"  # JSON web tokens
    r")(?![\w\-])"
)
_URL_CREDENTIALS = re.compile(r"(?<=://)([^\s:/@?#\[\]\"'<>]{1,128}:[^\s/@?#\"'<>]{1,256})@(?=[\w\-.\[\]]{1,253})")
_ASSIGNED_SECRET = re.compile(
    # Not `\b`: a name is often the end of a longer one ("DB_PASSWORD", "aws_secret_access_key").
    r"(?i:(?<![A-Za-z0-9])(?:api[_\-]?key|secret[_\-]?(?:access[_\-]?)?key|access[_\-]?token|auth[_\-]?token"
    r"|client[_\-]?secret|password|passwd))"
    r"\s{0,3}[:=]\s{0,3}[\"']?([A-Za-z0-9_\-+/=.]{16,256})[\"']?(?![\w\-+/=])"
)


def _entropy_ok(value: str) -> bool:
    """A credential-like value: mixes letters and digits, not a plain word or placeholder."""
    return bool(re.search(r"\d", value) and re.search(r"[A-Za-z]", value)) and len(set(value)) >= 8


WEB_PRIVATE_KEY = RecognizerSpec(
    name="web_private_key",
    entity=SECRET,
    trigger=r"-----BEGIN ",
    reach=17_000,
    max_match=16_500,
    patterns=(WebPattern(_PRIVATE_KEY, 1.0),),
)
"""PEM private-key blocks, from the BEGIN line to the END line (or, when the block is cut short,
to its last base64 line)."""

WEB_SECRETS = RecognizerSpec(
    name="web_secrets",
    entity=SECRET,
    trigger=(
        r"AKIA|ASIA|AGPA|AIDA|AROA|ANPA|gh[pousr]_|github_pat_|glpat-|xox[abposr]-|AIza|"
        r"[srp]k_(?:live|test)_|sk-|hf_|SG\.|npm_|eyJ|://[^\s/@]{1,128}:[^\s/@]{1,256}@|"
        r"(?i:key|token|secret|passw)"
    ),
    reach=300,
    max_match=12_400,  # a JSON web token of the longest parts `_API_KEYS` allows (12,296 characters) fits
    patterns=(
        WebPattern(_API_KEYS, 0.95),
        WebPattern(_URL_CREDENTIALS, 0.95, group=1),
        WebPattern(_ASSIGNED_SECRET, 0.7, group=1, validate=_entropy_ok),
    ),
)
"""API keys with known prefixes, JSON web tokens, credentials in URLs, and long random values
assigned to `api_key`, `password` and similar names."""

WEB: tuple[RecognizerSpec, ...] = (
    WEB_EMAIL,
    WEB_PHONE,
    WEB_CARD,
    WEB_IBAN,
    WEB_IP,
    WEB_SSN,
    WEB_PRIVATE_KEY,
    WEB_SECRETS,
)
"""The web tier: what every page is scanned for."""
BUILT_IN: tuple[RecognizerSpec, ...] = WEB + NATIONAL
"""The default tier: the web tier, and the national identifiers on pages of their countries' languages."""

DEFAULT_ENTITIES: tuple[str, ...] = tuple(dict.fromkeys(spec.entity for spec in BUILT_IN))
"""Entity types of the default tier; all anonymized by default."""

REGISTRY: dict[str, RecognizerSpec] = {spec.name: spec for spec in BUILT_IN}
"""Every pattern recognizer by name: the default tier and those registered."""


def register_recognizer(spec: RecognizerSpec) -> None:
    """Add a pattern recognizer (yours). It runs whenever its entity is detected: by default when
    the entity is one of `DEFAULT_ENTITIES`, else when `pii.entities` names it. Register it at import
    of a module the workers import too (as with `filters.register`)."""
    if not isinstance(spec, RecognizerSpec):
        raise TypeError("register_recognizer() takes a RecognizerSpec")
    for pattern in spec.patterns:
        if not isinstance(pattern.regex, re.Pattern):
            raise TypeError(f"recognizer '{spec.name}': patterns need compiled regexes")
    re.compile(spec.trigger)
    REGISTRY[spec.name] = spec


def pattern_entities() -> frozenset[str]:
    """Entity types some registered pattern recognizer finds."""
    return frozenset(spec.entity for spec in REGISTRY.values())


def recognizers_for(entities: set[str] | frozenset[str]) -> list[WebRecognizer]:
    """One `WebRecognizer` per registered spec whose entity is in `entities`, in registration order."""
    return [WebRecognizer(spec) for spec in REGISTRY.values() if spec.entity in entities]

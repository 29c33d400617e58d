"""The default tier's recognizers as data: e-mails, phones, cards, IBANs, IPs, US SSNs, secrets.

Each recognizer is a `RecognizerSpec`, as Presidio's `PatternRecognizer` is patterns plus
context words plus a validator: linear-time patterns (every quantifier bounded, no ambiguous
nesting), each with a score or a scoring function and an optional validator of the matched text,
context words that raise the score, and a `trigger`, a cheap regex the engine's pre-screen runs
once over the whole document, so the patterns only ever see short windows around candidates.
`WebRecognizer(spec)` runs one as a `presidio_analyzer.LocalRecognizer`; nothing logs the text.
`register_recognizer` adds yours, as `filters.register` adds a filter.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import phonenumbers
from presidio_analyzer import LocalRecognizer, RecognizerResult
from presidio_analyzer.predefined_recognizers.generic.iban_patterns import regex_per_country

from curation.scripts import ADDRESS_BREAKING_SCRIPTS, char_class
from curation.suffixes import has_public_suffix

EMAIL = "EMAIL_ADDRESS"
PHONE = "PHONE_NUMBER"
CARD = "CREDIT_CARD"
IBAN = "IBAN_CODE"
IP = "IP_ADDRESS"
SSN = "US_SSN"
SECRET = "SECRET"


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


MatchScore = Callable[[str, "re.Match[str]"], float]
"""A score computed from the whole text and the match (context on either side); 0 or less rejects."""


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

    def find(self, text: str, pos: int = 0, endpos: int | None = None) -> list[RecognizerResult]:
        """Results that start in `text[pos:endpos]`, with offsets into `text`; context outside the window counts."""
        spec = self.spec
        endpos = len(text) if endpos is None else endpos
        results = []
        for pattern in spec.patterns:
            for match in self._matches(pattern.regex, text, pos, endpos):
                start, matched_end = match.span(pattern.group)
                end = _validated_end(pattern, text, start, matched_end)
                if end is None:
                    continue
                score = pattern.score if isinstance(pattern.score, float) else pattern.score(text, match)
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


def _phone_score(text: str, match: re.Match[str]) -> float:
    """Candidates of 7-15 digits, scored by their layout (a `+` prefix checked with `phonenumbers`,
    parentheses, typical groupings) and raised by a context word in front or a label after;
    dates, year ranges, IPv4 addresses, SSN and ISBN shapes, and postcodes before a street are 0."""
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
    if _STREET_AFTER.match(text, match.end(), match.end() + 64):
        return 0.0  # a postcode and house number, as in "03262 2437 Main St"
    if _NOT_PHONE_CONTEXT.search(before[-32:]):
        return score - 0.2
    if _PHONE_CONTEXT.search(before) or _PHONE_AFTER.match(text, match.end(), match.end() + 24):
        score += 0.35
    return score


_PHONE_CONTEXT_REACH = 64
WEB_PHONE = RecognizerSpec(
    name="web_phone",
    entity=PHONE,
    trigger=r"(?:\+|\(\d|\d)[\d ().\-/]{5,40}\d",
    reach=64,
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


def luhn_valid(digits: str) -> bool:
    """Whether a digit string passes the Luhn checksum."""
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = ord(char) - 48
        if index % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


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


def _ipv4_score(text: str, match: re.Match[str]) -> float:
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

BUILT_IN: tuple[RecognizerSpec, ...] = (
    WEB_EMAIL,
    WEB_PHONE,
    WEB_CARD,
    WEB_IBAN,
    WEB_IP,
    WEB_SSN,
    WEB_PRIVATE_KEY,
    WEB_SECRETS,
)
"""The default tier."""

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

"""Presidio recognizers for the default tier: e-mails, phones, cards, IBANs, IPs, US SSNs, secrets.

Each recognizer is a `presidio_analyzer.LocalRecognizer` with linear-time patterns (every
quantifier bounded, no ambiguous nesting) and a validator; none logs the text it looks at.
Each also declares a `TRIGGER`: a cheap regex the engine's pre-screen runs once over the whole
document, so that the recognizer only ever sees short windows around candidates.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator

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


class _Recognizer(LocalRecognizer):
    """A recognizer with a pre-screen trigger; results carry no explanation and nothing is logged."""

    ENTITY = ""
    TRIGGER = ""
    """Regex source for the pre-screen; windows around its matches are handed to `analyze`."""
    REACH = 80
    """Characters of context kept on each side of a trigger match."""
    MAX_MATCH = 1024
    """Longest match the recognizer's patterns can produce. A match that starts inside a window is
    read up to this far past the window's end, so a lookahead never passes at an artificial edge
    and a long token is neither cut short nor missed."""

    def __init__(self, supported_language: str = "en", name: str | None = None):
        super().__init__(
            supported_entities=[self.ENTITY], supported_language=supported_language, name=name or type(self).__name__
        )

    def load(self) -> None:
        """Nothing to load: patterns are compiled at import."""

    def analyze(self, text, entities, nlp_artifacts=None) -> list[RecognizerResult]:
        """Presidio's entry point: `find` over the whole text."""
        return self.find(text)

    def find(self, text: str, pos: int = 0, endpos: int | None = None) -> list[RecognizerResult]:
        """Results in `text[pos:endpos]` with offsets into `text`; context outside the window counts."""
        raise NotImplementedError

    def _matches(self, pattern: re.Pattern[str], text: str, pos: int, endpos: int) -> Iterator[re.Match[str]]:
        """Matches of `pattern` that start in `text[pos:endpos]`, read in full even past `endpos`."""
        for match in pattern.finditer(text, pos, min(len(text), endpos + self.MAX_MATCH)):
            if match.start() >= endpos:
                return
            yield match

    def _result(self, start: int, end: int, score: float) -> RecognizerResult:
        return RecognizerResult(self.ENTITY, start, end, round(min(score, 1.0), 4))


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


class WebEmailRecognizer(_Recognizer):
    """E-mail addresses whose domain ends in a public suffix (checked offline)."""

    ENTITY = EMAIL
    TRIGGER = r"@"
    REACH = 96

    def find(self, text: str, pos: int = 0, endpos: int | None = None) -> list[RecognizerResult]:
        endpos = len(text) if endpos is None else endpos
        results = []
        for match in self._matches(_EMAIL, text, pos, endpos):
            if has_public_suffix(match.group(2).lower()):
                results.append(self._result(match.start(), match.end(), 0.9))
        return results


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


class WebPhoneRecognizer(_Recognizer):
    """Phone numbers in international and national layouts (not only the US).

    Candidates of 7-15 digits are scored by their layout (a `+` prefix checked with
    `phonenumbers`, parentheses, typical groupings) and raised by a context word in front;
    dates, year ranges, IPv4 addresses, SSN and ISBN shapes are rejected.
    """

    ENTITY = PHONE
    TRIGGER = r"(?:\+|\(\d|\d)[\d ().\-/]{5,40}\d"
    REACH = 64
    CONTEXT_REACH = 64

    def find(self, text: str, pos: int = 0, endpos: int | None = None) -> list[RecognizerResult]:
        endpos = len(text) if endpos is None else endpos
        results = []
        for match in self._matches(_PHONE, text, pos, endpos):
            score = self._score(text, match)
            if score > 0:
                results.append(self._result(match.start(), match.end(), score))
        return results

    def _score(self, text: str, match: re.Match[str]) -> float:
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
        before = _before(text, match.start(), self.CONTEXT_REACH)
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


class WebCardRecognizer(_Recognizer):
    """Card numbers of 12-19 digits: every current network's prefix and length, Luhn-valid."""

    ENTITY = CARD
    TRIGGER = r"\d{4}[ \-]?\d{4}"
    REACH = 40

    def find(self, text: str, pos: int = 0, endpos: int | None = None) -> list[RecognizerResult]:
        endpos = len(text) if endpos is None else endpos
        results = []
        for match in self._matches(_CARD, text, pos, endpos):
            candidate = match.group(0)
            digits = re.sub(r"\D", "", candidate)
            if not (_card_grouping_ok(candidate) and card_network_known(digits) and luhn_valid(digits)):
                continue
            context = _CARD_CONTEXT.search(_before(text, match.start(), 48))
            results.append(self._result(match.start(), match.end(), 1.0 if context else 0.85))
        return results


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


class WebIbanRecognizer(_Recognizer):
    """IBANs with a valid country layout and mod-97 checksum, compact or grouped by four."""

    ENTITY = IBAN
    TRIGGER = r"(?<![A-Za-z0-9_])[A-Za-z]{2}\d{2}[ \-]?[A-Za-z0-9]{4}"
    REACH = 48

    def find(self, text: str, pos: int = 0, endpos: int | None = None) -> list[RecognizerResult]:
        endpos = len(text) if endpos is None else endpos
        results = []
        for match in self._matches(_IBAN, text, pos, endpos):
            candidate = match.group(1)
            # A trailing short group may belong to the next word: retry without it.
            for end in (match.end(1), match.start(1) + candidate.rfind(" ")):
                if end > match.start(1) and iban_valid(text[match.start(1) : end]):
                    results.append(self._result(match.start(1), end, 1.0))
                    break
        return results


# ---------------------------------------------------------------------------------------------
# IP addresses
# ---------------------------------------------------------------------------------------------

_OCTET = r"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"
_IPV4 = re.compile(rf"(?<![A-Za-z0-9_.\-]){_OCTET}(?:\.{_OCTET}){{3}}(?![A-Za-z0-9_\-]|\.\d)")
_IPV6 = re.compile(r"(?<![A-Za-z0-9_:.])[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?![A-Za-z0-9_:])")
_VERSION_CONTEXT = re.compile(r"(?:version|ver\.|release|build|v)\s*$", re.IGNORECASE)


class WebIpRecognizer(_Recognizer):
    """IPv4 (not version numbers) and IPv6 addresses, validated with `ipaddress`."""

    ENTITY = IP
    TRIGGER = r"\d{1,3}\.\d{1,3}\.\d{1,3}\.\d|[0-9A-Fa-f]{0,4}:[0-9A-Fa-f]{0,4}:[0-9A-Fa-f]{0,4}:"
    REACH = 48

    def find(self, text: str, pos: int = 0, endpos: int | None = None) -> list[RecognizerResult]:
        endpos = len(text) if endpos is None else endpos
        results = []
        for match in self._matches(_IPV4, text, pos, endpos):
            if not _VERSION_CONTEXT.search(_before(text, match.start(), 16)):
                results.append(self._result(match.start(), match.end(), 0.7))
        for match in self._matches(_IPV6, text, pos, endpos):
            candidate = match.group(0)
            if sum(1 for part in candidate.split(":") if part) < 3:
                continue
            try:
                ipaddress.IPv6Address(candidate)
            except ValueError:
                continue
            results.append(self._result(match.start(), match.end(), 0.7))
        return results


# ---------------------------------------------------------------------------------------------
# US social security numbers
# ---------------------------------------------------------------------------------------------

_SSN = re.compile(r"(?<![A-Za-z0-9_\-.])(\d{3})([- .])(\d{2})\2(\d{4})(?![A-Za-z0-9_\-]|[.,]\d)")
_SSN_CONTEXT = _context_regex("ssn|social security|social sec|ss#|ss #|taxpayer")


class WebSsnRecognizer(_Recognizer):
    """US social security numbers (AAA-GG-SSSS), without the never-issued area and group numbers."""

    ENTITY = SSN
    TRIGGER = r"\d{3}[- .]\d{2}[- .]\d{4}"
    REACH = 48

    def find(self, text: str, pos: int = 0, endpos: int | None = None) -> list[RecognizerResult]:
        endpos = len(text) if endpos is None else endpos
        results = []
        for match in self._matches(_SSN, text, pos, endpos):
            area, separator, group, serial = match.groups()
            if area in ("000", "666") or area[0] == "9" or group == "00" or serial == "0000":
                continue
            if len(set(area + group + serial)) == 1 or area + group + serial == "123456789":
                continue
            score = 0.6 if separator == "-" else 0.4
            if _SSN_CONTEXT.search(_before(text, match.start(), 48)):
                score += 0.35
            results.append(self._result(match.start(), match.end(), score))
        return results


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
_URL_CREDENTIALS = re.compile(r"(?<=://)([^\s:/@?#\[\]\"'<>]{1,128}):([^\s/@?#\"'<>]{1,256})@(?=[\w\-.\[\]]{1,253})")
_ASSIGNED_SECRET = re.compile(
    # Not `\b`: a name is often the end of a longer one ("DB_PASSWORD", "aws_secret_access_key").
    r"(?i:(?<![A-Za-z0-9])(?:api[_\-]?key|secret[_\-]?(?:access[_\-]?)?key|access[_\-]?token|auth[_\-]?token"
    r"|client[_\-]?secret|password|passwd))"
    r"\s{0,3}[:=]\s{0,3}[\"']?([A-Za-z0-9_\-+/=.]{16,256})[\"']?(?![\w\-+/=])"
)


def _entropy_ok(value: str) -> bool:
    """A credential-like value: mixes letters and digits, not a plain word or placeholder."""
    return bool(re.search(r"\d", value) and re.search(r"[A-Za-z]", value)) and len(set(value)) >= 8


class PrivateKeyRecognizer(_Recognizer):
    """PEM private-key blocks, from the BEGIN line to the END line (or, when the block is cut
    short, to its last base64 line)."""

    ENTITY = SECRET
    TRIGGER = r"-----BEGIN "
    REACH = 17_000
    MAX_MATCH = 16_500

    def find(self, text: str, pos: int = 0, endpos: int | None = None) -> list[RecognizerResult]:
        endpos = len(text) if endpos is None else endpos
        return [self._result(m.start(), m.end(), 1.0) for m in self._matches(_PRIVATE_KEY, text, pos, endpos)]


class SecretsRecognizer(_Recognizer):
    """API keys with known prefixes, JSON web tokens, credentials in URLs, and long random
    values assigned to `api_key`, `password` and similar names."""

    ENTITY = SECRET
    TRIGGER = (
        r"AKIA|ASIA|AGPA|AIDA|AROA|ANPA|gh[pousr]_|github_pat_|glpat-|xox[abposr]-|AIza|"
        r"[srp]k_(?:live|test)_|sk-|hf_|SG\.|npm_|eyJ|://[^\s/@]{1,128}:[^\s/@]{1,256}@|"
        r"(?i:key|token|secret|passw)"
    )
    REACH = 300
    MAX_MATCH = 12_400
    """A JSON web token of the longest parts `_API_KEYS` allows (12,296 characters) fits."""

    def find(self, text: str, pos: int = 0, endpos: int | None = None) -> list[RecognizerResult]:
        endpos = len(text) if endpos is None else endpos
        results = [self._result(m.start(), m.end(), 0.95) for m in self._matches(_API_KEYS, text, pos, endpos)]
        results += [
            self._result(m.start(1), m.end(2), 0.95) for m in self._matches(_URL_CREDENTIALS, text, pos, endpos)
        ]
        results += [
            self._result(m.start(1), m.end(1), 0.7)
            for m in self._matches(_ASSIGNED_SECRET, text, pos, endpos)
            if _entropy_ok(m.group(1))
        ]
        return results


DEFAULT_RECOGNIZERS: tuple[type[_Recognizer], ...] = (
    WebEmailRecognizer,
    WebPhoneRecognizer,
    WebCardRecognizer,
    WebIbanRecognizer,
    WebIpRecognizer,
    WebSsnRecognizer,
    PrivateKeyRecognizer,
    SecretsRecognizer,
)
"""The default tier, one recognizer per entity type."""

DEFAULT_ENTITIES: tuple[str, ...] = tuple(dict.fromkeys(recognizer.ENTITY for recognizer in DEFAULT_RECOGNIZERS))
"""Entity types of the default tier; all anonymized by default."""

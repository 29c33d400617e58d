"""Block and allow lists of domains and URLs, read from plain-text files (no network)."""

from __future__ import annotations

import contextlib
import ipaddress
import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from curation.document import Document, registered_domain
from filters.base import BaseFilter, DocumentLike, FilterResult, ParameterError, check_bool, check_str_list, doc_url


def normalize_host(value: str) -> str | None:
    """A host name from a list entry or a URL: lower case, IDNA (punycode), no `*.`, no dots at
    the ends, no port; None when there is none."""
    value = value.strip()
    if not value:
        return None
    if "://" in value or value.startswith("//"):
        try:
            value = urlsplit(value if "://" in value else f"http:{value}").hostname or ""
        except ValueError:
            return None
    else:
        value = value.split("/", 1)[0]
        if value.count(":") == 1:  # host:port (IPv6 addresses keep their colons)
            value = value.split(":", 1)[0]
    value = value.lower().removeprefix("*.").strip(".")
    if not value:
        return None
    if not value.isascii():
        with contextlib.suppress(UnicodeError):
            value = value.encode("idna").decode("ascii")
    return value


def _hosts_line(line: str) -> str | None:
    """The domain on one list line: `example.com`, `*.example.com`, `https://example.com/x`,
    `0.0.0.0 example.com` (hosts-file format); `#` starts a comment."""
    line = line.split("#", 1)[0].strip()
    if not line:
        return None
    fields = line.split()
    if len(fields) >= 2:
        try:
            ipaddress.ip_address(fields[0])
            return normalize_host(fields[1])
        except ValueError:
            pass
    return normalize_host(fields[0])


def read_list(paths: Iterable[str], parse=_hosts_line) -> set[str]:
    """The entries of plain-text list files (local or any fsspec URL), one per line."""
    import fsspec

    entries: set[str] = set()
    for path in paths:
        with fsspec.open(path, "rt", encoding="utf-8", errors="replace") as handle:
            for line in handle:
                entry = parse(line)
                if entry:
                    entries.add(entry)
    return entries


def _host_of(url: str) -> str | None:
    try:
        host = urlsplit(url if "//" in url else f"//{url}").hostname
    except ValueError:
        return None
    return normalize_host(host) if host else None


def _parents(host: str, longest: int | None = None) -> list[str]:
    """`a.b.example.com` -> [`a.b.example.com`, `b.example.com`, `example.com`, `com`], leaving
    out those longer than `longest` (no list entry can equal them). Each is a slice of `host`, so
    a host of a million dots costs one pass, not a join per label (quadratic)."""
    starts = [0] + [i + 1 for i, char in enumerate(host) if char == "."]
    limit = len(host) if longest is None else longest
    return [host[start:] for start in starts if len(host) - start <= limit]


def _load(param: str, paths: Any, inline: Any, inline_param: str) -> frozenset[str]:
    files = check_str_list(param, paths) or ()
    try:
        entries = read_list(files)
    except (OSError, ValueError) as error:
        raise ParameterError(param, f"cannot read the list ({error})") from None
    for item in check_str_list(inline_param, inline) or ():
        host = normalize_host(item)
        if host is None:
            raise ParameterError(inline_param, f"not a domain: {item!r}")
        entries.add(host)
    return frozenset(entries)


class DomainFilter(BaseFilter):
    """Drop documents from blocked domains; optionally keep only allowed ones.

    Lists are plain-text files (local paths or fsspec URLs), one domain per line: `example.com`,
    `*.example.com`, a URL, or hosts-file lines (`0.0.0.0 example.com`); `#` starts a comment.
    `block_domains` / `allow_domains` give entries inline.

    Subdomains are handled: an entry covers its host and every subdomain (`example.com` blocks
    `news.example.com`; `news.example.com` blocks `a.news.example.com` but not `example.com`).
    The most specific matching entry decides, and on a tie the allow list wins, so an allow entry
    is an exception carved out of a blocked domain. With `only_allowed`, a document whose host
    no allow entry covers is dropped. Registered domains come from the public-suffix list that
    `tldextract` ships (no network).

    Drop reasons: `blocked_domain` (the entry is the registered domain or a suffix of it),
    `blocked_subdomain` (the entry is a subdomain), `domain_not_allowed` (with `only_allowed`),
    `no_url` (a document without a usable URL, only with `drop_without_url`).
    Signals: `domain` (the registered domain), and `matched` (the deciding entry) when one did.
    """

    name = "domain"

    def __init__(
        self,
        block_list: str | list[str] | None = None,
        allow_list: str | list[str] | None = None,
        block_domains: list[str] | None = None,
        allow_domains: list[str] | None = None,
        only_allowed: bool = False,
        drop_without_url: bool = False,
    ):
        self.block_list = check_str_list("block_list", block_list)
        self.allow_list = check_str_list("allow_list", allow_list)
        self.only_allowed = check_bool("only_allowed", only_allowed)
        self.drop_without_url = check_bool("drop_without_url", drop_without_url)
        self._blocked = _load("block_list", block_list, block_domains, "block_domains")
        self._allowed = _load("allow_list", allow_list, allow_domains, "allow_domains")
        if self.only_allowed and not self._allowed:
            raise ParameterError("only_allowed", "needs an allow_list or allow_domains")
        self._longest = max(map(len, self._blocked | self._allowed), default=0)

    def _domain_signal(self, doc: DocumentLike, host: str) -> str | None:
        if isinstance(doc, Document) and doc.domain:
            return doc.domain
        return registered_domain(f"//{host}")

    def filter(self, doc: DocumentLike) -> FilterResult:
        url = doc_url(doc)
        host = _host_of(url) if url else None
        if url is None or host is None:
            if self.drop_without_url:
                return FilterResult.dropped("no_url", {"domain": None}, "no url")
            return FilterResult.kept({"domain": None})
        domain = self._domain_signal(doc, host)
        signals: dict[str, Any] = {"domain": domain}
        for candidate in _parents(host, self._longest):
            if candidate in self._allowed:
                signals["matched"] = candidate
                return self._check_more(doc, url, signals)
            if candidate in self._blocked:
                signals["matched"] = candidate
                deeper = domain is not None and len(candidate) > len(domain) and candidate.endswith("." + domain)
                reason = "blocked_subdomain" if deeper else "blocked_domain"
                return FilterResult.dropped(reason, signals, candidate)
        if self.only_allowed:
            return FilterResult.dropped("domain_not_allowed", signals, host)
        return self._check_more(doc, url, signals)

    def _check_more(self, doc: DocumentLike, url: str, signals: dict[str, Any]) -> FilterResult:
        return FilterResult.kept(signals)


_URL_WORD = re.compile(r"[^a-z0-9]+")


def normalize_url(url: str) -> str:
    """A URL for exact matching: scheme and host in lower case, no fragment, no trailing slash."""
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    host = normalize_host(parts.netloc) if parts.netloc else ""
    path = parts.path.rstrip("/")
    query = f"?{parts.query}" if parts.query else ""
    return f"{parts.scheme.lower()}://{host}{path}{query}" if parts.scheme else f"{host}{path}{query}"


class UrlFilter(DomainFilter):
    """`DomainFilter` plus exact URL lists and banned words in URLs.

    Everything `DomainFilter` does, and: a document whose URL (normalized: lower-case scheme and
    host, no fragment, no trailing slash) appears in the `url_list` files (one URL per line, `#`
    comments) is dropped as `blocked_url`; one whose URL contains a word of `banned_words` (URL
    split on anything but letters and digits, lower case) as `banned_url_word`. Other reasons and
    signals are `DomainFilter`'s.
    """

    name = "url"

    def __init__(
        self,
        block_list: str | list[str] | None = None,
        allow_list: str | list[str] | None = None,
        block_domains: list[str] | None = None,
        allow_domains: list[str] | None = None,
        only_allowed: bool = False,
        drop_without_url: bool = False,
        url_list: str | list[str] | None = None,
        banned_words: list[str] | None = None,
    ):
        super().__init__(block_list, allow_list, block_domains, allow_domains, only_allowed, drop_without_url)
        self.url_list = check_str_list("url_list", url_list)
        try:
            self._urls = frozenset(read_list(self.url_list or (), parse=_url_line))
        except (OSError, ValueError) as error:
            raise ParameterError("url_list", f"cannot read the list ({error})") from None
        words = check_str_list("banned_words", banned_words) or ()
        self.banned_words = tuple(w.lower() for w in words)
        self._banned = frozenset(self.banned_words)

    def _check_more(self, doc: DocumentLike, url: str, signals: dict[str, Any]) -> FilterResult:
        if self._urls and normalize_url(url) in self._urls:
            return FilterResult.dropped("blocked_url", signals, "url listed")
        if self._banned:
            hit = self._banned.intersection(_URL_WORD.split(url.lower()))
            if hit:
                return FilterResult.dropped("banned_url_word", signals, min(hit))
        return FilterResult.kept(signals)


def _url_line(line: str) -> str | None:
    line = line.strip()
    if not line or line.startswith("#"):
        return None
    return normalize_url(line.split()[0])

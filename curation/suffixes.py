"""The public-suffix list, offline: the snapshot bundled with `tldextract`, no network, no cache directory.

`tldextract`'s default fetches the list on first use with no timeout; here it never does. The
list is read with its private section, so a site on a shared platform is its own domain
(`alice.github.io`, `bob.blogspot.com`), as browsers treat it for cookies; the platform's own
name (`github.io`) stays a domain under its ICANN suffix. Host names are split once per process
and remembered.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import tldextract


@lru_cache(maxsize=1)
def extractor() -> tldextract.TLDExtract:
    """The one offline `TLDExtract` every caller shares (imported on first use), private section included."""
    import tldextract

    return tldextract.TLDExtract(
        cache_dir=None, suffix_list_urls=(), fallback_to_snapshot=True, include_psl_private_domains=True
    )


@lru_cache(maxsize=1 << 17)
def _split(host: str) -> tuple[str, str]:
    parts = extractor()(host)
    if not parts.domain and parts.is_private:
        # The host is a private suffix itself (`github.io`, `blogspot.com`): the platform's own site.
        parts = extractor()(host, include_psl_private_domains=False)
    return parts.domain, parts.suffix


def registered_domain(host: str) -> str | None:
    """`news.bbc.co.uk` -> `bbc.co.uk`, `alice.github.io` -> `alice.github.io`, `github.io` as it
    is; an IP address or local name as it is; None for none (`com`, `co.uk`)."""
    domain, suffix = _split(host)
    if domain and suffix:
        return f"{domain}.{suffix}"
    return domain or None


def has_public_suffix(host: str) -> bool:
    """The host is a name under a public suffix (`qq.com`, `bbc.co.uk`, `x.github.io`, and
    `github.io`, a name under `io`; not `localhost`, not `com`)."""
    domain, suffix = _split(host)
    return bool(domain and suffix)

"""The public-suffix list, offline: the snapshot bundled with `tldextract`, no network, no cache directory.

`tldextract`'s default fetches the list on first use with no timeout; here it never does. Host
names are split once per process and remembered.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import tldextract


@lru_cache(maxsize=1)
def extractor() -> tldextract.TLDExtract:
    """The one offline `TLDExtract` every caller shares (imported on first use)."""
    import tldextract

    return tldextract.TLDExtract(cache_dir=None, suffix_list_urls=(), fallback_to_snapshot=True)


@lru_cache(maxsize=1 << 17)
def _split(host: str) -> tuple[str, str]:
    parts = extractor()(host)
    return parts.domain, parts.suffix


def registered_domain(host: str) -> str | None:
    """`news.bbc.co.uk` -> `bbc.co.uk`; an IP address or local name as it is; None for none."""
    domain, suffix = _split(host)
    if domain and suffix:
        return f"{domain}.{suffix}"
    return domain or None


def has_public_suffix(host: str) -> bool:
    """The host is a name under a public suffix (`qq.com`, `bbc.co.uk`; not `localhost`, not `com`)."""
    domain, suffix = _split(host)
    return bool(domain and suffix)

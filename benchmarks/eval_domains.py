"""Documents' domains before and after the public-suffix list's private section and the strict
URL parsing (a script, not a test; no network, seconds).

    python benchmarks/eval_domains.py [--data ../shared/data/web] [--top 15]

For every record with a `url` in the `*.jsonl.gz` files under the data folder (the project's
shared real pages), the domain as it was (ICANN section only, lenient parsing: the rule below,
kept here to compare against) and as `curation.document.registered_domain` gives it now. Prints
how many documents change domain, how many lose it (None after, a domain before), how many gain
one, the most common (before -> after) changes, and the changes grouped by the domain before.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from curation.document import registered_domain  # noqa: E402
from curation.suffixes import extractor  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "web"

_OLD_HOST = re.compile(r"[\w.-]+")


def old_registered_domain(url: str | None) -> str | None:
    """The rule before: `urlsplit` after a `//` when the URL has none, any host of word
    characters, the ICANN section only (the same offline extractor, private section off)."""
    if not url:
        return None
    try:
        host = urlsplit(url if "//" in url else f"//{url}").hostname
    except ValueError:
        return None
    if not host or not _OLD_HOST.fullmatch(host):
        return None
    parts = extractor()(host.rstrip(".").lower(), include_psl_private_domains=False)
    if parts.domain and parts.suffix:
        return f"{parts.domain}.{parts.suffix}"
    return parts.domain or None


def read_urls(data: Path) -> tuple[list[str], int]:
    urls, records = [], 0
    for path in sorted(data.glob("*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            for line in handle:
                records += 1
                url = json.loads(line).get("url")
                if url:
                    urls.append(url)
    return urls, records


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--top", type=int, default=15)
    args = parser.parse_args()
    if not any(args.data.glob("*.jsonl.gz")):
        sys.exit(f"error: no *.jsonl.gz under {args.data}")
    start = time.perf_counter()
    urls, records = read_urls(args.data)
    changes: Counter[tuple[str | None, str | None]] = Counter()
    lost = gained = 0
    for url in urls:
        before, after = old_registered_domain(url), registered_domain(url)
        if before != after:
            changes[(before, after)] += 1
            lost += before is not None and after is None
            gained += before is None and after is not None
    changed = sum(changes.values())
    before_domains = {old_registered_domain(url) for url in urls} - {None}
    after_domains = {registered_domain(url) for url in urls} - {None}
    print(f"{records:,} records, {len(urls):,} with a url ({args.data})")
    print(f"distinct domains: {len(before_domains):,} before, {len(after_domains):,} after")
    print(
        f"documents without a domain: {sum(old_registered_domain(u) is None for u in urls):,} before, "
        f"{sum(registered_domain(u) is None for u in urls):,} after"
    )
    print(f"documents whose domain changes: {changed:,} ({changed / max(len(urls), 1):.2%})")
    print(f"  of which lose it (None after): {lost:,}; gain one: {gained:,}")
    print(f"the {args.top} most common changes (documents: before -> after):")
    for (before, after), count in changes.most_common(args.top):
        print(f"  {count:5,}  {before} -> {after}")
    split: Counter[str | None] = Counter()
    sites: dict[str | None, set[str | None]] = {}
    for (before, after), count in changes.items():
        split[before] += count
        sites.setdefault(before, set()).add(after)
    print("by the domain before (documents, distinct domains after):")
    for before, count in split.most_common(args.top):
        print(f"  {count:5,}  {before} -> {len(sites[before]):,}")
    print(f"({time.perf_counter() - start:.1f} s)")


if __name__ == "__main__":
    main()

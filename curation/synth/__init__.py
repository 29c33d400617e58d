"""A deterministic synthetic web corpus for the quickstart, the tests and the benchmarks.

Each record looks like text extracted from a Common Crawl page, with its ground truth in `kind`:

- ``article``: web prose (English from topic templates, other languages from Faker's localized word
  lists), headings, bylines, tags; about 10% carry 1-3 planted personal data items;
- ``forum``: threads with usernames, dates and quoted replies (PII planted like in articles);
- ``product``: shop pages with prices, specifications and short reviews;
- ``exact_duplicate``: the text of an earlier article or forum page, usually at another URL;
- ``near_duplicate``: an earlier page edited (words substituted, inserted or deleted, a header or
  footer line changed, a year changed) so that its word-5-gram Jaccard is mostly 0.7-0.95;
- ``boilerplate``: navigation, cookie banners, footers and other short lines;
- ``junk``: keyword spam, repeated lines, lorem ipsum, 1-3 word pages, symbols, JavaScript notices;
- ``people_search``: listings dense with names, ages, addresses, phones, e-mails and relatives.

``lang`` is the language of the text: ``la`` for lorem ipsum and ``und`` for pages of symbols.
Records depend only on ``(n_docs, seed)`` and the installed Faker version: every document is
built from its own ``random.Random`` and Faker instances are re-seeded before every use.

The public API is this module (`generate`, `write_corpus`, `KINDS`, `CRAWLS`) and
`curation.synth.pii` (planting personal data). The words, templates and per-language tables are
JSON files in ``data/``; the other modules are the generators that draw from them.
"""

from curation.synth.corpus import CRAWLS, KINDS, generate, write_corpus

__all__ = ["CRAWLS", "KINDS", "generate", "write_corpus"]

"""Page generators: articles, forum threads, shop pages, boilerplate, junk and people-search listings.

Each takes the document's random stream and returns the page text and what its URL slug is made
from (a title), except the junk makers, which return the text and its language.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable

from faker.providers.lorem.la import Provider as LatinLorem

from curation.synth import english, pii
from curation.synth._data import load
from curation.synth._util import cap, title_case
from curation.synth.english import TOPICS, Topic
from curation.synth.languages import date, person, pool, seeded_faker, word_count
from curation.synth.sites import Site
from curation.synth.text import heading, paragraph, sentence, short_phrase, title

_DATA = load("pages")
_BYLINES: dict[str, tuple[str, ...]] = _DATA["bylines"]
_FORUM: dict[str, dict] = _DATA["forum"]
_SHOP: dict[str, dict] = _DATA["shop"]
_BOILERPLATE: dict[str, tuple[str, ...]] = _DATA["boilerplate"]
_JUNK = load("junk")


def _doc_words(rng: random.Random) -> int:
    """Heavy-tailed length: median ~330 words, 6% short pages, 0.5% long reads."""
    r = rng.random()
    if r < 0.06:
        return rng.randint(15, 80)
    if r < 0.995:
        return int(min(4000.0, rng.lognormvariate(math.log(330), 0.75)))
    return rng.randint(3500, 7000)


def _byline(rng: random.Random, lang: str) -> str:
    return rng.choice(_BYLINES[lang]).format(date=date(rng, lang), author=person(rng, lang), num=rng.randint(2, 15))


def _body(rng: random.Random, lang: str, topic: Topic, target: int, lines: list[str]) -> list[int]:
    """Append paragraphs, headings and lists up to `target` words; returns paragraph line indices."""
    noise = rng.random() ** 3 * 0.4
    count = 0
    slots: list[int] = []
    while count < target:
        r = rng.random()
        if r < 0.1 and len(slots) > 1:
            line = heading(rng, lang, topic)
        elif r < 0.14 and lang == "en" and slots:
            items = [english.render(rng, t, topic) for t in rng.sample(english.LIST_ITEM, rng.randint(3, 6))]
            line = "\n".join(f"{k + 1}. {x}" if r < 0.12 else f"- {x}" for k, x in enumerate(items))
        else:
            line = paragraph(rng, lang, topic, rng.randint(1, 7), noise=noise)
            slots.append(len(lines))
        lines.append(line)
        count += word_count(line, lang)
    return slots


def article(rng: random.Random, lang: str, site: Site) -> tuple[str, str]:
    """A blog or news article: title, byline, paragraphs, headings and lists, sometimes personal data."""
    topic = rng.choice(TOPICS)
    page_title = title(rng, lang, topic)
    lines = []
    if lang in _BOILERPLATE and rng.random() < 0.1:
        lines.append(rng.choice(_BOILERPLATE[lang]).format(year=rng.randint(2018, 2024), brand=site.brand, num=9))
    lines.append(page_title)
    if rng.random() < 0.5:
        lines.append(_byline(rng, lang))
    slots = _body(rng, lang, topic, _doc_words(rng), lines)
    if rng.random() < 0.1:
        pii.plant(rng, lang, lines, slots)
    if lang == "en" and rng.random() < 0.3:
        lines.append(english.footer(rng, topic))
    return "\n".join(lines), page_title


def _username(rng: random.Random, lang: str) -> str:
    vocabulary = pool(lang)
    r = rng.random()
    if r < 0.4:
        return rng.choice(vocabulary.users)
    word = rng.choice(vocabulary.ascii_words)
    if r < 0.6:
        return f"{word}{rng.randint(1, 2024)}"
    if r < 0.75:
        return f"{word}_{rng.choice(vocabulary.ascii_words)}"
    if r < 0.85:
        return f"the_{word}" if lang == "en" else f"{word}{rng.choice(('_', '.', '-'))}{rng.randint(10, 99)}"
    return cap(word) + cap(rng.choice(vocabulary.ascii_words))


def forum(rng: random.Random, lang: str, site: Site) -> tuple[str, str]:
    """A forum thread: users, dates, quoted replies, sometimes personal data."""
    topic = rng.choice(TOPICS)
    words = _FORUM[lang]
    page_title = title(rng, lang, topic)
    lines = [page_title, f"{site.brand} » {rng.choice(words['sections'])} » {page_title}"]
    users = [_username(rng, lang) for _ in range(rng.randint(2, 8))]
    posts: list[tuple[str, str]] = []
    slots = []
    for n in range(2 + min(38, int(rng.paretovariate(1.0) * 1.5))):
        user = rng.choice(users)
        lines.append(words["posted" if n == 0 else "reply"].format(user=user, date=date(rng, lang, True), n=n))
        if posts and rng.random() < 0.35:
            author, quoted = rng.choice(posts)
            lines.append(words["wrote"].format(user=author))
            lines.append("> " + quoted[:300])
        body = paragraph(rng, lang, topic, rng.randint(1, 5), casual=True)
        slots.append(len(lines))
        lines.append(body)
        posts.append((user, body))
    if rng.random() < 0.1:
        pii.plant(rng, lang, lines, slots)
    return "\n".join(lines), page_title


def _price(rng: random.Random, lang: str) -> str:
    euros, cents = rng.randint(3, 1500), rng.choice((0, 49, 90, 95, 99))
    return f"${euros}.{cents:02d}" if lang == "en" else f"{euros},{cents:02d} €"


def product(rng: random.Random, lang: str, site: Site) -> tuple[str, str]:
    """A shop page: price, stock, description, specifications and short reviews."""
    words = _SHOP[lang]
    topic = rng.choice(TOPICS)
    threshold = rng.choice((25, 35, 49, 50, 75, 99))
    if lang == "en":
        name = title_case(f"{rng.choice(english.ADJECTIVES)} {rng.choice(topic.nouns)}")
    else:
        name = short_phrase(rng, lang, 1, 2)
    page_title = f"{site.brand} {name} {rng.choice('XSMRT')}{rng.randint(10, 990)}"
    lines = [
        page_title,
        words["stars"].format(r=rng.choice(("3.9", "4.2", "4.5", "4.7", "4.8")), n=rng.randint(3, 4000)),
        f"{words['price']}: {_price(rng, lang)}",
        words["in_stock"] if rng.random() < 0.7 else words["few_left"].format(n=rng.randint(1, 9)),
        words["add_to_cart"],
        words["shipping"].format(price=f"${threshold}" if lang == "en" else f"{threshold} €"),
        words["description"],
    ]
    lines += [paragraph(rng, lang, topic, rng.randint(2, 5)) for _ in range(rng.randint(1, 3))]
    lines += [
        words["specifications"],
        f"{words['weight']}: {rng.randint(1, 99) / 10} kg",
        f"{words['dimensions']}: {rng.randint(5, 90)} x {rng.randint(5, 90)} x {rng.randint(1, 40)} cm",
        f"{words['color']}: {rng.choice(words['colors'])}",
        f"SKU: {rng.choice('ABCDEFGH')}{rng.randint(10**5, 10**6)}",
        words["reviews"],
    ]
    for _ in range(rng.randint(0, 6)):
        score = rng.randint(1, 5)
        lines += [
            f"{'★' * score}{'☆' * (5 - score)} {heading(rng, lang, topic)}",
            f"{person(rng, lang).split()[0]} · {date(rng, lang)} · {words['verified']}",
            paragraph(rng, lang, topic, rng.randint(1, 3), casual=True),
        ]
    return "\n".join(lines), page_title


def boilerplate(rng: random.Random, lang: str, site: Site) -> tuple[str, str]:
    """Navigation, cookie banners, listings of titles and a footer: no content of its own."""
    phrases = _BOILERPLATE[lang]
    fill = {"year": rng.randint(2016, 2024), "brand": site.brand, "num": rng.randint(2, 60)}
    head = [p.format(**fill) for p in rng.sample(phrases[:8], rng.randint(1, 4))]
    middle = [p.format(**fill) for p in rng.sample(phrases, rng.randint(3, min(14, len(phrases))))]
    topic = rng.choice(TOPICS)
    titles = [title(rng, lang, topic) for _ in range(rng.randint(0, 6))]
    more = next(p for p in phrases if p.endswith(" »") and "|" not in p)
    listing = [x for t in titles for x in (t, date(rng, lang), more)]
    foot = [p.format(**fill) for p in phrases if "©" in p][:1]
    lines = [site.brand, *head, *listing, *middle, *foot]
    return "\n".join(lines), lines[1]


def _junk_spam(rng: random.Random, site: Site) -> tuple[str, str]:
    nouns = [n for t in rng.sample(TOPICS, 2) for n in t.nouns]
    kws = [f"{rng.choice(_JUNK['keywords'])} {rng.choice(nouns)}" for _ in range(rng.randint(20, 120))]
    lines = [" ".join(kws[k : k + 8]) for k in range(0, len(kws), 8)]
    if rng.random() < 0.5:
        lines.append(", ".join(kws))
    return "\n".join(lines), "en"


def _junk_repeat(rng: random.Random, site: Site) -> tuple[str, str]:
    lang = site.lang
    topic = rng.choice(TOPICS)
    lines = [sentence(rng, lang, topic) for _ in range(rng.randint(1, 3))]
    return "\n".join(rng.choice(lines) for _ in range(rng.randint(10, 80))), lang


def _junk_lorem(rng: random.Random, site: Site) -> tuple[str, str]:
    words = LatinLorem.word_list
    lines = [_JUNK["lorem"]]
    for _ in range(rng.randint(1, 12)):
        sentences = [cap(" ".join(rng.choices(words, k=rng.randint(5, 14)))) + "." for _ in range(rng.randint(2, 6))]
        lines.append(" ".join(sentences))
    return "\n".join(lines), "la"


def _junk_short(rng: random.Random, site: Site) -> tuple[str, str]:
    return rng.choice(_JUNK["short_pages"]), "en"


def _junk_symbols(rng: random.Random, site: Site) -> tuple[str, str]:
    rows = []
    for _ in range(rng.randint(3, 40)):
        r = rng.random()
        if r < 0.4:
            rows.append(" ".join(str(rng.randint(0, 99_999)) for _ in range(rng.randint(3, 12))))
        elif r < 0.7:
            rows.append("".join(rng.choices("|#*=-_~+<>/\\[]{}()^%$@!", k=rng.randint(5, 60))))
        else:
            rows.append(" ".join(f"0x{rng.getrandbits(16):04x}" for _ in range(rng.randint(4, 16))))
    return "\n".join(rows), "und"


def _junk_js(rng: random.Random, site: Site) -> tuple[str, str]:
    return rng.choice(_JUNK["javascript_pages"]).format(domain=site.domain, ray=f"{rng.getrandbits(64):016x}"), "en"


JUNK_MAKERS: tuple[tuple[Callable[[random.Random, Site], tuple[str, str]], float], ...] = (
    (_junk_spam, 0.27),
    (_junk_repeat, 0.16),
    (_junk_lorem, 0.15),
    (_junk_short, 0.15),
    (_junk_symbols, 0.12),
    (_junk_js, 0.15),
)
"""Junk page makers (keyword spam, repeated lines, lorem ipsum, tiny pages, symbols, JavaScript
notices) and their shares; each returns the text and its language."""


def _people_entry(rng: random.Random, last: str, style: int) -> str:
    first = rng.choice(pool("en").first)
    name = f"{first} {rng.choice('ABCDEFGHJKLMNPRSTW')}. {last}" if rng.random() < 0.6 else f"{first} {last}"
    fake = seeded_faker(rng, "en_US")
    addresses = [fake.address().replace("\n", ", ") for _ in range(rng.randint(1, 3))]
    phones = [fake.phone_number().split("x")[0] for _ in range(rng.randint(1, 3))]
    emails = [pii.email(rng, "en", f"{first} {last}") for _ in range(rng.randint(1, 3))]
    relatives = [
        person(rng, "en") if rng.random() < 0.4 else f"{rng.choice(pool('en').first)} {last}"
        for _ in range(rng.randint(2, 6))
    ]
    age = rng.randint(19, 94)
    if style == 1:
        return (
            f"{name} ({age}) | {addresses[0]} | {' | '.join(phones)} | {', '.join(emails)} | "
            f"Related to: {', '.join(relatives)}"
        )
    if style == 0:  # a header and a paragraph of sentences, as listing pages written for search engines are
        previous = f" Previous addresses: {'; '.join(addresses[1:])}." if len(addresses) > 1 else ""
        return (
            f"{name}, Age {age}\n{name} lives at {addresses[0]}. Phone numbers: {', '.join(phones)}. Email "
            f"addresses: {', '.join(emails)}. Possible relatives: {', '.join(relatives)}.{previous}\nView Full Report »"
        )
    lines = [
        f"{name}, Age {age}",
        f"Lives in: {addresses[0]}",
        f"Phone numbers: {', '.join(phones)}",
        f"Email addresses: {', '.join(emails)}",
        f"Possible relatives: {', '.join(relatives)}",
    ]
    if len(addresses) > 1:
        lines.append(f"Previous addresses: {'; '.join(addresses[1:])}")
    lines.append("See phone, address & background report")
    return "\n".join(lines)


def people_search(rng: random.Random, site: Site) -> tuple[str, str]:
    """A people-search listing, dense with names, ages, addresses, phones, e-mails and relatives."""
    last = rng.choice(pool("en").last)
    first = rng.choice(pool("en").first)
    n = rng.randint(5, 25)
    page_title = f"{first} {last} - Phone Number, Address, Email & Public Records | {site.brand}"
    lines = [
        page_title,
        f"We found {n + rng.randint(0, 200)} people named {first} {last} in {rng.randint(2, 48)} states.",
        "Search by name, phone number or address. Results may include current and past addresses, phone "
        "numbers, email addresses, relatives, associates and court records.",
    ]
    lines += [_people_entry(rng, last, site.style) for _ in range(n)]
    lines += [
        "Opt Out | Do Not Sell My Personal Information | FCRA Disclaimer | Contact Us",
        f"{site.brand} is not a consumer reporting agency as defined by the FCRA. Information may not be used "
        "for employment, credit, tenant screening or any other FCRA-regulated purpose.",
    ]
    return "\n".join(lines), f"{first} {last}"

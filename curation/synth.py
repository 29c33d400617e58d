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
"""

from __future__ import annotations

import bisect
import gzip
import io
import json
import math
import os
import random
import re
import unicodedata
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from faker import Faker
from faker.generator import Generator as FakerGenerator
from faker.providers.lorem.la import Provider as _LatinLorem

__all__ = ["CRAWLS", "KINDS", "generate", "write_corpus"]

KINDS = (
    "article",
    "forum",
    "product",
    "exact_duplicate",
    "near_duplicate",
    "boilerplate",
    "junk",
    "people_search",
)
"""Every value of a record's ``kind``."""

_KIND_WEIGHTS = (0.675, 0.08, 0.04, 0.05, 0.05, 0.045, 0.045, 0.015)
_KIND_CUM = tuple(sum(_KIND_WEIGHTS[: k + 1]) / sum(_KIND_WEIGHTS) for k in range(len(KINDS)))
_BASE_KINDS = frozenset({"article", "forum"})

CRAWLS = ("CC-MAIN-2023-14", "CC-MAIN-2023-50", "CC-MAIN-2024-10", "CC-MAIN-2024-18", "CC-MAIN-2024-33")
"""The fake crawl dumps a record can come from."""

_LOCALE = {
    "en": "en_US",
    "de": "de_DE",
    "fr": "fr_FR",
    "es": "es_ES",
    "it": "it_IT",
    "nl": "nl_NL",
    "pl": "pl_PL",
    "ru": "ru_RU",
    "zh": "zh_CN",
    "ja": "ja_JP",
}
_CJK = frozenset({"zh", "ja"})
# Languages of articles and forums; products, boilerplate and junk are more English, which
# brings the corpus as a whole to about 70% English.
_TEXT_LANGS = (
    ("en", 0.69),
    ("de", 0.07),
    ("fr", 0.06),
    ("es", 0.06),
    ("it", 0.032),
    ("nl", 0.022),
    ("pl", 0.022),
    ("ru", 0.018),
    ("zh", 0.015),
    ("ja", 0.011),
)
_SHOP_LANGS = (("en", 0.8), ("de", 0.06), ("fr", 0.05), ("es", 0.05), ("it", 0.02), ("nl", 0.02))

# --------------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------------


def _rng(seed: int, i: int, salt: int) -> random.Random:
    """The random stream number `salt` of document `i` (str seeds are hashed with SHA-512)."""
    return random.Random(f"synth:{seed}:{i}:{salt}")


def _split(text: str) -> tuple[str, ...]:
    """Whitespace-separated words of a vocabulary literal."""
    return tuple(text.split())


def _cumulative(weights: Sequence[float]) -> list[float]:
    total, out = 0.0, []
    for w in weights:
        total += w
        out.append(total)
    return out


def _pick(rng: random.Random, items: Sequence[Any], cum: Sequence[float]) -> Any:
    """A weighted choice given cumulative weights."""
    return items[min(bisect.bisect_right(cum, rng.random() * cum[-1]), len(items) - 1)]


def _weighted(rng: random.Random, pairs: Sequence[tuple[Any, float]]) -> Any:
    return rng.choices([p[0] for p in pairs], [p[1] for p in pairs])[0]


def _fold(text: str) -> str:
    """Lower-case ASCII letters and digits of `text` (accents dropped)."""
    decomposed = unicodedata.normalize("NFKD", text.replace("ß", "ss").replace("ł", "l"))
    return re.sub(r"[^a-z0-9]+", "", decomposed.encode("ascii", "ignore").decode().lower())


def _slug(text: str, lang: str, rng: random.Random) -> str:
    """A URL slug for a title; numeric for CJK, percent-encoded for Cyrillic."""
    if lang in _CJK:
        return str(rng.randint(10_000, 9_999_999))
    words = re.findall(r"\w+", text.lower())[:8]
    if lang == "ru":
        return quote("-".join(words))
    return "-".join(w for w in (_fold(x) for x in words) if w) or str(rng.randint(100, 99_999))


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _title_case(text: str) -> str:
    small = {"a", "an", "the", "of", "to", "in", "on", "for", "and", "or", "vs.", "with"}
    words = text.split(" ")
    return " ".join(w if (k and w in small) else _cap(w) for k, w in enumerate(words))


_A_AN = re.compile(r"\b(a) (?=[aeiou])(?!(?:us|uni|eu|one))", re.IGNORECASE)


def _fix_articles(text: str) -> str:
    return _A_AN.sub(r"\1n ", text)


# --------------------------------------------------------------------------------------------
# Faker instances and per-language pools (built once, with a fixed seed, then cached)
# --------------------------------------------------------------------------------------------

_FAKERS: dict[str, FakerGenerator] = {}
_POOLS: dict[str, _LangPool] = {}
_POOL_SEED = 20_240_601

_FUNCTION_WORDS = {
    "de": "der die das und ist nicht ein eine zu mit auf für von im den dem es sich auch wie bei nach aus wenn "
    "noch werden wird sind hat",
    "fr": "le la les de des et est un une pour dans que qui pas sur avec au du ce il elle nous plus par se sont mais",
    "es": "el la los las de y en que un una es por con para no se del al lo como más pero sus muy",
    "it": "il la le di e che un una per non in con del della sono è si lo gli anche come più ma",
    "nl": "de het een en van in is dat op te met voor niet zijn die er aan ook als maar om",
    "pl": "w i na z do nie się to jest że o jak ale po co tak za od przez",
    "ru": "и в не на что по это как к из за от но же для она так был все уже",
    "zh": "的 是 了 在 和 有 我 也 不 就 这 都 人 他 要 我们 一个 可以 没有 因为 所以",
    "ja": "の は が を に で と も た です ます から まで これ それ この その そして しかし",
}
_SYLLABLES = {
    "ru": "ka ro no vo sta mi ra te li sko po da ve ko za gor ov ni mir dom",
    "zh": "bai du xin hua wang tian zhong guo jia ming le shu tao qi long hai ke ji you mei",
    "ja": "ya ma to ka wa sa ki no shi ta na ri ko mi su hi ra ku yo mo",
}


@dataclass(slots=True)
class _LangPool:
    """Cached vocabulary of one language."""

    words: list[str]
    mixed: list[str]
    first: list[str]
    last: list[str]
    users: list[str]
    ascii_words: list[str]


def _faker(locale: str) -> FakerGenerator:
    fake = _FAKERS.get(locale)
    if fake is None:
        fake = _FAKERS[locale] = Faker(locale)[locale]
    return fake


def _seeded_faker(rng: random.Random, locale: str) -> FakerGenerator:
    """The cached Faker for `locale`, re-seeded from the document's stream."""
    fake = _faker(locale)
    fake.seed_instance(rng.getrandbits(63))
    return fake


def _unique(values: Iterator[str]) -> list[str]:
    return list(dict.fromkeys(v for v in values if v))


def _pool(lang: str) -> _LangPool:
    pool = _POOLS.get(lang)
    if pool is None:
        pool = _POOLS[lang] = _build_pool(lang)
    return pool


def _build_pool(lang: str) -> _LangPool:
    fake = _faker(_LOCALE[lang])
    fake.seed_instance(_POOL_SEED)
    words = _unique(w for w in fake.get_words_list() if w.isalpha())
    function = _FUNCTION_WORDS.get(lang, "").split()
    repeat = round(0.55 * len(words) / len(function)) if function else 0
    first = _unique(fake.first_name() for _ in range(300))
    last = _unique(fake.last_name() for _ in range(300))
    users = _unique(_fold(fake.user_name()) for _ in range(300))
    if lang in _SYLLABLES:
        syl = _SYLLABLES[lang].split()
        srng = random.Random(f"synth-syllables:{lang}")
        ascii_words = _unique("".join(srng.choices(syl, k=srng.randint(2, 3))) for _ in range(200))
    else:
        ascii_words = _unique(w for w in (_fold(x) for x in words) if 3 <= len(w) <= 9)
    return _LangPool(words, words + function * repeat, first, last, users, ascii_words)


def _person(rng: random.Random, lang: str) -> str:
    pool = _pool(lang)
    first, last = rng.choice(pool.first), rng.choice(pool.last)
    if lang == "zh":
        return last + first
    if lang == "ja":
        return f"{last} {first}"
    return f"{first} {last}"


# --------------------------------------------------------------------------------------------
# English prose from topic templates
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Topic:
    name: str
    nouns: tuple[str, ...]
    plurals: tuple[str, ...]
    verbs: tuple[tuple[str, str, str], ...]
    people: tuple[str, ...]
    places: tuple[str, ...]


_IRREGULAR = {
    "knife": "knives",
    "leaf": "leaves",
    "child": "children",
    "person": "people",
    "tomato": "tomatoes",
    "potato": "potatoes",
}


def _plural(noun: str) -> str:
    head, _, last = noun.rpartition(" ")
    if last in _IRREGULAR:
        plural = _IRREGULAR[last]
    elif last.endswith(("s", "sh", "ch", "x")):
        plural = last + "es"
    elif last.endswith("y") and last[-2:-1] not in "aeiou":
        plural = last[:-1] + "ies"
    else:
        plural = last + "s"
    return f"{head} {plural}" if head else plural


def _verbs(spec: str) -> tuple[tuple[str, str, str], ...]:
    """Parse "base:past:gerund" triples (underscores stand for spaces)."""
    triples = (v.replace("_", " ").split(":") for v in spec.split())
    return tuple((base, past, gerund) for base, past, gerund in triples)


_TOPIC_SPECS = {
    "Cooking": (
        "recipe,skillet,sauce,dough,oven,spice blend,marinade,cutting board,stock pot,sourdough starter,"
        "cast iron pan,meal plan,casserole,salad dressing,stir fry,slow cooker,pie crust,spice rack,kitchen scale",
        "cook:cooked:cooking bake:baked:baking season:seasoned:seasoning chop:chopped:chopping "
        "simmer:simmered:simmering",
        "home cooks,busy parents,beginners,food bloggers",
        "in the kitchen,on busy weeknights,at dinner parties,for meal prep",
    ),
    "Travel": (
        "passport,itinerary,backpack,hostel,flight,carry-on bag,travel insurance plan,train pass,city tour,"
        "beach town,road trip,hotel room,suitcase,travel adapter,rental car,museum pass,guidebook,hiking trail",
        "book:booked:booking pack:packed:packing visit:visited:visiting explore:explored:exploring "
        "reserve:reserved:reserving",
        "travelers,backpackers,families,digital nomads",
        "on the road,abroad,at the airport,in the off season",
    ),
    "Technology": (
        "laptop,router,password manager,browser extension,database,server,smartphone,cloud backup,keyboard,"
        "monitor,operating system,code editor,firewall,software update,graphics card,hard drive,smart speaker,app",
        "install:installed:installing configure:configured:configuring update:updated:updating "
        "debug:debugged:debugging deploy:deployed:deploying",
        "developers,users,system administrators,small businesses",
        "in production,at the office,on older hardware,at home",
    ),
    "Money": (
        "budget,savings account,credit score,index fund,mortgage,retirement plan,tax return,emergency fund,"
        "credit card,loan,paycheck,pension,stock portfolio,insurance policy,bank fee,dividend,side hustle",
        "save:saved:saving invest:invested:investing pay_off:paid_off:paying_off "
        "refinance:refinanced:refinancing budget:budgeted:budgeting",
        "investors,families,freelancers,retirees,students",
        "in your portfolio,at the end of the month,in retirement,during a recession",
    ),
    "Gardening": (
        "tomato plant,raised bed,compost pile,seed tray,herb garden,lawn,hedge,garden hose,fertilizer,"
        "rose bush,greenhouse,watering can,flower bed,seedling,vegetable patch,fruit tree,soil test,shovel",
        "plant:planted:planting water:watered:watering prune:pruned:pruning weed:weeded:weeding "
        "harvest:harvested:harvesting",
        "gardeners,beginners,allotment holders,homeowners",
        "in the garden,in early spring,on the balcony,after the first frost",
    ),
    "Fitness": (
        "workout,running shoe,protein shake,training plan,yoga mat,treadmill,rest day,stretching routine,"
        "heart rate monitor,marathon,gym membership,kettlebell,warm-up,sleep schedule,diet,bike ride",
        "train:trained:training stretch:stretched:stretching lift:lifted:lifting run:ran:running "
        "schedule:scheduled:scheduling",
        "runners,beginners,athletes,office workers",
        "at the gym,before breakfast,on rest days,at home",
    ),
    "Home": (
        "drill,paint job,kitchen cabinet,bathroom tile,floor,roof,window frame,water heater,light fixture,"
        "thermostat,ceiling fan,door hinge,insulation panel,power outlet,garage door,deck,fence,toolbox",
        "paint:painted:painting repair:repaired:repairing install:installed:installing seal:sealed:sealing "
        "sand:sanded:sanding",
        "homeowners,renters,DIY enthusiasts,landlords",
        "around the house,in older homes,on the weekend,in the basement",
    ),
    "Pets": (
        "dog,cat,puppy,leash,litter box,dog bed,chew toy,vet visit,cat tree,aquarium,food bowl,grooming brush,"
        "collar,crate,treat,flea treatment,harness,scratching post",
        "feed:fed:feeding train:trained:training walk:walked:walking groom:groomed:grooming adopt:adopted:adopting",
        "pet owners,dog owners,cat people,first-time owners",
        "at the vet,at the dog park,at home,on long walks",
    ),
    "Cars": (
        "engine,tire,brake pad,oil change,car battery,dashboard camera,windshield wiper,electric car,"
        "charging station,spark plug,used car,lease,transmission,headlight,parking sensor,roof rack",
        "drive:drove:driving service:serviced:servicing wash:washed:washing charge:charged:charging "
        "inspect:inspected:inspecting",
        "drivers,commuters,new drivers,mechanics",
        "on the highway,in winter,in city traffic,on long trips",
    ),
    "Parenting": (
        "toddler,bedtime routine,stroller,school lunch,playdate,baby monitor,diaper bag,homework routine,"
        "car seat,birthday party,board game,screen time rule,summer camp,allowance,reading list,high chair",
        "teach:taught:teaching pack:packed:packing read:read:reading organize:organized:organizing "
        "celebrate:celebrated:celebrating",
        "parents,new parents,grandparents,teachers",
        "at home,at school,during the holidays,at bedtime",
    ),
    "Photography": (
        "camera,lens,tripod,memory card,photo editor,flash,portrait,landscape shot,camera bag,lens filter,"
        "light meter,drone,photo print,backdrop,raw file,shutter release,reflector,zoom lens",
        "shoot:shot:shooting edit:edited:editing frame:framed:framing focus:focused:focusing print:printed:printing",
        "photographers,hobbyists,wedding photographers,beginners",
        "in low light,at golden hour,in the studio,on location",
    ),
    "Music": (
        "guitar,piano,amplifier,drum kit,microphone,song,album,chord progression,metronome,vinyl record,"
        "concert ticket,playlist,recording studio,guitar string,ukulele,synthesizer,practice routine,speaker",
        "play:played:playing record:recorded:recording tune:tuned:tuning practice:practiced:practicing "
        "mix:mixed:mixing",
        "musicians,beginners,music teachers,producers",
        "on stage,in the studio,at home,during rehearsals",
    ),
}


def _make_topics() -> tuple[_Topic, ...]:
    topics = []
    for name, (nouns, verbs, people, places) in _TOPIC_SPECS.items():
        ns = tuple(nouns.split(","))
        topics.append(
            _Topic(
                name,
                ns,
                tuple(_plural(n) for n in ns),
                _verbs(verbs),
                tuple(people.split(",")),
                tuple(places.split(",")),
            )
        )
    return tuple(topics)


_TOPICS = _make_topics()

_EN_ADJ = _split(
    "good simple cheap expensive reliable popular common practical important difficult easy quick small large "
    "modern traditional basic advanced affordable durable healthy safe new old local fresh light heavy quiet "
    "efficient flexible obvious surprising solid decent noisy fragile compact portable classic premium "
    "budget-friendly well-made overpriced underrated beginner-friendly versatile sturdy"
)
_EN_VERBS = _verbs(
    "use:used:using choose:chose:choosing compare:compared:comparing check:checked:checking buy:bought:buying "
    "replace:replaced:replacing clean:cleaned:cleaning store:stored:storing test:tested:testing "
    "prepare:prepared:preparing improve:improved:improving plan:planned:planning measure:measured:measuring "
    "fix:fixed:fixing review:reviewed:reviewing track:tracked:tracking build:built:building try:tried:trying "
    "keep:kept:keeping find:found:finding change:changed:changing avoid:avoided:avoiding handle:handled:handling "
    "upgrade:upgraded:upgrading protect:protected:protecting adjust:adjusted:adjusting share:shared:sharing "
    "recommend:recommended:recommending maintain:maintained:maintaining"
)
_EN_MONTHS = _split("January February March April May June July August September October November December")


def _en_verb(rng: random.Random, topic: _Topic) -> tuple[str, str, str]:
    return rng.choice(topic.verbs if rng.random() < 0.5 else _EN_VERBS)


_EN_SLOTS: dict[str, Callable[[random.Random, _Topic], str]] = {
    "adj": lambda r, t: r.choice(_EN_ADJ),
    "noun": lambda r, t: r.choice(t.nouns),
    "nouns": lambda r, t: r.choice(t.plurals),
    "verb": lambda r, t: _en_verb(r, t)[0],
    "verbed": lambda r, t: _en_verb(r, t)[1],
    "verbing": lambda r, t: _en_verb(r, t)[2],
    "people": lambda r, t: r.choice(t.people),
    "place": lambda r, t: r.choice(t.places),
    "num": lambda r, t: str(r.randint(2, 12)),
    "big": lambda r, t: str(r.randint(15, 400)),
    "pct": lambda r, t: str(r.randint(5, 95)),
    "year": lambda r, t: str(r.randint(2012, 2024)),
    "price": lambda r, t: f"${r.randint(5, 900)}.{r.choice(('00', '49', '95', '99'))}",
    "month": lambda r, t: r.choice(_EN_MONTHS),
    "period": lambda r, t: r.choice(("day", "week", "month", "year")),
    "periods": lambda r, t: r.choice(("days", "weeks", "months", "years")),
    "topic": lambda r, t: t.name.lower(),
}

_EN_ARTICLE = """\
The {adj} {noun} is one of the most {adj2} things you can {verb} this year.
Most {people} {verb} their {nouns} without thinking much about the {noun2}.
If you want to {verb} a {adj} {noun}, start with the {noun2}.
According to a {year} survey, {pct} percent of {people} {verbed} a {noun} in the past year.
We {verbed} the {noun} for {num} weeks, and the results were {adj}.
There is no single {adj} way to {verb} {nouns}, but a few rules help.
In my experience, the {noun} matters more than the {noun2}.
{Nouns} can be {adj} when you {verb} them too often.
Here is what I learned after {num} years of {verbing} {nouns}.
The {noun} should be {adj}, not {adj2}.
One of the biggest mistakes is to {verb} the {noun} before the {noun2} is ready.
You can {verb} a {noun} in about {num} minutes if you have the right {noun2}.
This is why many {people} prefer {nouns} over {nouns2}.
It costs around {price}, which is {adj} for a {noun} of this quality.
Keep in mind that a {adj} {noun} will not fix a {adj2} {noun2}.
Before you {verb} anything, take a close look at the {noun}.
The good news is that {nouns} are much more {adj} than they were in {year}.
I {verbed} a {adj} {noun} last {month} and I have not looked back since.
Experts recommend that {people} {verb} their {noun} at least once a {period}.
A {adj} {noun} makes a big difference {place}.
We tested {big} {nouns} and only {num} of them were worth the money.
Do not {verb} the {noun} unless you know exactly what you are doing.
Some {people} swear by {nouns}, while others find them {adj}.
The {noun} comes with a {adj} {noun2} and a warranty of {num} years.
As a rule of thumb, {verb} the {noun} every {num} {periods}.
What surprised me most was how {adj} the {noun} turned out to be.
If the {noun} feels {adj}, try {verbing} the {noun2} instead.
Prices for {nouns} have gone up by about {pct} percent since {year}.
It is worth {verbing} the {noun} {place}, especially if you are on a budget.
Many readers asked us how to {verb} a {noun} without a {noun2}.
The difference between a {adj} {noun} and a {adj2} one is bigger than you think.
Start small: {verb} one {noun} and see how it goes.
That is not to say that {nouns} are always {adj}.
Our team spent {num} days {verbing} {nouns} {place}.
When it comes to {nouns}, {adj} usually beats {adj2}.
The {noun} is easy to {verb} and does not take up much space.
Check the {noun} regularly, because a {adj} {noun2} can cause problems later.
Personally, I would {verb} a {adj} {noun} over a {adj2} {noun2} any day.
Most {nouns} on the market today are {adj} enough for {people}.
You will need a {noun}, a {noun2} and about {num} hours of free time."""

_EN_CASUAL = """\
Has anyone here tried {verbing} {nouns} {place}?
I've had my {noun} for {num} years and never had this problem.
Thanks, that fixed it for me!
Same issue here. Did you ever find a solution?
Try {verbing} the {noun} first, that usually helps.
+1 for the {adj} {noun}.
Not sure why you would {verb} a {noun} like that lol
Update: I {verbed} the {noun} and it works now.
IMO the {noun} is overrated.
Any recommendations for a {adj} {noun} under {price}?
Following this thread, I have the exact same {noun}.
My {noun} started acting up after I {verbed} the {noun2}.
Honestly just {verb} a new {noun}, it's not worth the hassle.
Did you check the {noun}? That was the problem in my case.
Good point, I never thought about the {noun2}."""

_EN_TITLES = """\
How to {Verb} a {Adj} {Noun}
{num} {Adj} {Nouns} Worth {Verbing} in {year}
The Complete Guide to {Nouns}
Why {People} Are {Verbing} Their {Nouns}
What Nobody Tells You About {Nouns}
Is a {Adj} {Noun} Worth It?
{Adj} {Nouns}: What We Learned After {num} Months
Review: The {Adj} {Noun}
{Verbing} {Nouns} on a Budget
Beginner's Guide to {Verbing} {Nouns}
{num} Mistakes {People} Make With {Nouns}
{Adj} vs. {Adj2} {Nouns}: Which Is Better?"""

_EN_HEADINGS = """\
Why It Matters
Getting Started
What You Need
Step {num}: {Verb} the {Noun}
Common Mistakes
Final Thoughts
Frequently Asked Questions
{Adj} {Nouns}
Pros and Cons
The Bottom Line
How We Tested
Before You Buy
Tips for {People}"""

_EN_LIST_ITEMS = """\
{Verb} the {noun} every {period}.
Use a {adj} {noun}.
Avoid {adj} {nouns}.
Check the {noun2} before you start.
{Adj} {nouns} for {people}
Budget: about {price}
Time needed: {num} hours
Keep the {noun} {place}.
Do not {verb} the {noun} too often."""

_EN_OPENERS = (
    "However, ",
    "In fact, ",
    "Of course, ",
    "On the other hand, ",
    "For example, ",
    "Honestly, ",
    "Still, ",
    "Overall, ",
    "As a result, ",
    "Meanwhile, ",
)

_FIELD = re.compile(r"\{(\w+)\}")


def _compile(block: str) -> tuple[tuple[str, ...], ...]:
    """Templates split into literal text (even positions) and slot names (odd positions)."""
    return tuple(tuple(_FIELD.split(line)) for line in block.splitlines())


_T_ARTICLE = _compile(_EN_ARTICLE)
_T_CASUAL = _compile(_EN_CASUAL)
_T_TITLE = _compile(_EN_TITLES)
_T_HEADING = _compile(_EN_HEADINGS)
_T_LIST = _compile(_EN_LIST_ITEMS)


def _render(rng: random.Random, parts: tuple[str, ...], topic: _Topic, title: bool = False) -> str:
    """Fill a template; a capitalized slot is title-cased in titles, capitalized in sentences."""
    out = []
    for k, part in enumerate(parts):
        if not k & 1:
            out.append(part)
            continue
        name = part.rstrip("0123456789")
        value = _EN_SLOTS[name.lower()](rng, topic)
        if name[0].isupper():
            value = _title_case(value) if title else _cap(value)
        out.append(value)
    return _fix_articles("".join(out))


def _en_sentence(rng: random.Random, topic: _Topic, casual: bool = False) -> str:
    templates = _T_CASUAL if casual and rng.random() < 0.6 else _T_ARTICLE
    text = _render(rng, rng.choice(templates), topic)
    if rng.random() < 0.12 and not text.startswith(("I ", "I'")):
        text = rng.choice(_EN_OPENERS) + text[0].lower() + text[1:]
    return text


def _lorem_sentence(rng: random.Random, lang: str) -> str:
    """A sentence of random words of `lang` (with function words mixed in)."""
    pool = _pool(lang)
    words = rng.choices(pool.mixed if lang != "en" else pool.words, k=rng.randint(5, 15))
    if lang in _CJK:
        if len(words) > 7 and rng.random() < 0.5:
            words[rng.randrange(2, len(words) - 2)] += "、" if lang == "ja" else "\uff0c"
        return "".join(words) + ("。" if rng.random() < 0.9 else "\uff01")
    if len(words) > 8 and rng.random() < 0.4:
        words[rng.randrange(2, len(words) - 3)] += ","
    end = "." if rng.random() < 0.88 else rng.choice("?!")
    return _cap(" ".join(words)) + end


# --------------------------------------------------------------------------------------------
# Language-generic text pieces
# --------------------------------------------------------------------------------------------


def _sentence(rng: random.Random, lang: str, topic: _Topic, casual: bool = False, noise: float = 0.0) -> str:
    if lang == "en" and rng.random() >= noise:
        return _en_sentence(rng, topic, casual)
    return _lorem_sentence(rng, lang)


def _words(text: str, lang: str) -> int:
    return len(text) // 2 if lang in _CJK else text.count(" ") + 1


def _paragraph(rng: random.Random, lang: str, topic: _Topic, n: int, casual: bool = False, noise: float = 0.0) -> str:
    sep = "" if lang in _CJK else " "
    return sep.join(_sentence(rng, lang, topic, casual, noise) for _ in range(n))


def _short_phrase(rng: random.Random, lang: str, lo: int, hi: int) -> str:
    words = rng.choices(_pool(lang).words, k=rng.randint(lo, hi))
    return "".join(words) if lang in _CJK else _cap(" ".join(words))


def _title(rng: random.Random, lang: str, topic: _Topic) -> str:
    if lang == "en":
        return _render(rng, rng.choice(_T_TITLE), topic, title=True)
    return _short_phrase(rng, lang, 3, 7)


def _heading(rng: random.Random, lang: str, topic: _Topic) -> str:
    if lang == "en":
        return _render(rng, rng.choice(_T_HEADING), topic, title=True)
    return _short_phrase(rng, lang, 1, 4)


_MONTHS = {
    "en": _EN_MONTHS,
    "de": _split("Januar Februar März April Mai Juni Juli August September Oktober November Dezember"),
    "fr": _split("janvier février mars avril mai juin juillet août septembre octobre novembre décembre"),
    "es": _split("enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre"),
    "it": _split("gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre"),
    "nl": _split("januari februari maart april mei juni juli augustus september oktober november december"),
}
_DATE_FORMATS = {
    "en": ("{M} {d}, {y}", "{y}-{m:02d}-{d:02d}", "{m:02d}/{d:02d}/{y}", "{d} {M} {y}"),
    "de": ("{d:02d}.{m:02d}.{y}", "{d}. {M} {y}"),
    "fr": ("{d:02d}/{m:02d}/{y}", "{d} {M} {y}"),
    "es": ("{d:02d}/{m:02d}/{y}", "{d} de {M} de {y}"),
    "it": ("{d:02d}/{m:02d}/{y}", "{d} {M} {y}"),
    "nl": ("{d:02d}-{m:02d}-{y}", "{d} {M} {y}"),
    "pl": ("{d:02d}.{m:02d}.{y}",),
    "ru": ("{d:02d}.{m:02d}.{y}",),
    "zh": ("{y}-{m:02d}-{d:02d}", "{y}年{m}月{d}日"),
    "ja": ("{y}/{m:02d}/{d:02d}", "{y}年{m}月{d}日"),
}


def _date(rng: random.Random, lang: str, with_time: bool = False) -> str:
    y, m, d = rng.randint(2014, 2024), rng.randint(1, 12), rng.randint(1, 28)
    months = _MONTHS.get(lang, _EN_MONTHS)
    text = rng.choice(_DATE_FORMATS[lang]).format(y=y, m=m, d=d, M=months[m - 1])
    return f"{text} {rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}" if with_time else text


# --------------------------------------------------------------------------------------------
# Planted personal data
# --------------------------------------------------------------------------------------------

_PII_KINDS = (
    ("name", 0.16),
    ("email", 0.2),
    ("phone", 0.2),
    ("card", 0.1),
    ("iban", 0.08),
    ("ipv4", 0.08),
    ("ipv6", 0.05),
    ("address", 0.13),
)
_PII_TEMPLATES: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {
        "name": (
            "Special thanks to {name} for the photos in this post.",
            "I spoke with {name} from the front office and she confirmed the schedule.",
            "{name} wrote to us last week with a great question.",
        ),
        "email": (
            "For questions, email {name} at {email}.",
            "You can send your photos to {email} and we will feature the best ones.",
            "Contact me directly at {email} if you want the full spreadsheet.",
        ),
        "phone": (
            "Call us at {phone} if you have any questions.",
            "You can reach {name} on {phone} between 9am and 5pm.",
            "Our hotline {phone} is open seven days a week.",
        ),
        "card": (
            "I paid with my card {card} and never received the order.",
            "The test payment went through with card number {card}, expiry {expiry}.",
        ),
        "iban": (
            "Please transfer the deposit to IBAN {iban} and include your booking number.",
            "Donations can be sent to our account {iban}.",
        ),
        "ipv4": (
            "The server at {ipv4} stopped responding after the update.",
            "My router keeps assigning {ipv4} to two devices at once.",
        ),
        "ipv6": ("Pinging {ipv6} works, but the site still does not load.",),
        "address": ("Visit our shop at {address}.", "{name} now lives at {address} and is happy to receive letters."),
    },
    "de": {
        "name": ("Vielen Dank an {name} für die Unterstützung.",),
        "email": ("Fragen bitte per E-Mail an {email}.", "Schreiben Sie {name} unter {email}."),
        "phone": ("Sie erreichen uns telefonisch unter {phone}.", "Rufen Sie {name} unter {phone} an."),
        "card": ("Ich habe mit der Karte {card} bezahlt, aber die Bestellung kam nie an.",),
        "iban": ("Bitte überweisen Sie den Betrag auf das Konto {iban}.",),
        "ipv4": ("Der Server unter {ipv4} ist seit gestern nicht erreichbar.",),
        "ipv6": ("Die Adresse {ipv6} antwortet nicht auf Ping.",),
        "address": ("Unser Büro befindet sich in {address}.",),
    },
    "fr": {
        "name": ("Merci à {name} pour son aide précieuse.",),
        "email": ("Pour toute question, écrivez à {email}.", "Contactez {name} à l'adresse {email}."),
        "phone": ("Vous pouvez nous joindre au {phone}.", "Appelez {name} au {phone}."),
        "card": ("J'ai payé avec la carte {card} mais je n'ai jamais reçu la commande.",),
        "iban": ("Merci de verser l'acompte sur le compte {iban}.",),
        "ipv4": ("Le serveur {ipv4} ne répond plus depuis la mise à jour.",),
        "ipv6": ("L'adresse {ipv6} ne répond pas au ping.",),
        "address": ("Notre boutique se trouve au {address}.",),
    },
    "es": {
        "name": ("Gracias a {name} por su ayuda.",),
        "email": ("Para más información, escriba a {email}.", "Puede contactar con {name} en {email}."),
        "phone": ("Llámenos al {phone}.", "Puede llamar a {name} al {phone}."),
        "card": ("Pagué con la tarjeta {card} y nunca recibí el pedido.",),
        "iban": ("Por favor, haga la transferencia a la cuenta {iban}.",),
        "ipv4": ("El servidor {ipv4} dejó de responder ayer.",),
        "ipv6": ("La dirección {ipv6} no responde.",),
        "address": ("Nuestra tienda está en {address}.",),
    },
    "it": {
        "name": ("Grazie a {name} per l'aiuto.",),
        "email": ("Per informazioni scrivete a {email}.",),
        "phone": ("Potete chiamarci al numero {phone}.", "Chiamate {name} al {phone}."),
        "card": ("Ho pagato con la carta {card} ma l'ordine non è mai arrivato.",),
        "iban": ("Effettuare il bonifico sul conto {iban}.",),
        "ipv4": ("Il server {ipv4} non risponde da ieri.",),
        "ipv6": ("L'indirizzo {ipv6} non risponde al ping.",),
        "address": ("Il nostro negozio si trova in {address}.",),
    },
    "nl": {
        "name": ("Met dank aan {name} voor de hulp.",),
        "email": ("Vragen kunt u mailen naar {email}.",),
        "phone": ("U kunt ons bellen op {phone}.", "Bel {name} op {phone}."),
        "card": ("Ik heb betaald met kaart {card} maar de bestelling kwam nooit aan.",),
        "iban": ("Maak het bedrag over naar rekening {iban}.",),
        "ipv4": ("De server op {ipv4} reageert niet meer.",),
        "ipv6": ("Het adres {ipv6} reageert niet op ping.",),
        "address": ("Ons kantoor is gevestigd op {address}.",),
    },
    "pl": {
        "name": ("Dziękujemy, {name}, za pomoc.",),
        "email": ("Pytania prosimy kierować na adres {email}.",),
        "phone": ("Zadzwoń do nas pod numer {phone}.",),
        "card": ("Zapłaciłem kartą {card}, ale zamówienie nie dotarło.",),
        "iban": ("Wpłaty prosimy kierować na konto {iban}.",),
        "ipv4": ("Serwer {ipv4} przestał odpowiadać.",),
        "ipv6": ("Adres {ipv6} nie odpowiada na ping.",),
        "address": ("Nasze biuro mieści się pod adresem {address}.",),
    },
    "ru": {
        "name": ("Спасибо, {name}, за помощь.",),
        "email": ("Вопросы присылайте на {email}.",),
        "phone": ("Звоните нам по телефону {phone}.",),
        "card": ("Я оплатил картой {card}, но заказ так и не пришёл.",),
        "iban": ("Переведите оплату на счёт {iban}.",),
        "ipv4": ("Сервер {ipv4} перестал отвечать.",),
        "ipv6": ("Адрес {ipv6} не отвечает на ping.",),
        "address": ("Наш офис находится по адресу: {address}.",),
    },
    "zh": {
        "name": ("感谢{name}的帮助。",),
        "email": ("如有问题请发邮件至{email}。",),
        "phone": ("联系电话\uff1a{phone}。",),
        "card": ("我用卡号{card}付款了\uff0c但是一直没有收到货。",),
        "iban": ("请将款项汇入账户{iban}。",),
        "ipv4": ("服务器{ipv4}从昨天开始无法访问。",),
        "ipv6": ("地址{ipv6}无法ping通。",),
        "address": ("我们的地址是{address}。",),
    },
    "ja": {
        "name": ("{name}さん、ご協力ありがとうございました。",),
        "email": ("お問い合わせは{email}までお願いします。",),
        "phone": ("お電話は{phone}までお願いします。",),
        "card": ("カード番号{card}で支払いましたが、商品が届きません。",),
        "iban": ("口座{iban}にお振込みください。",),
        "ipv4": ("サーバー{ipv4}が昨日から応答しません。",),
        "ipv6": ("アドレス{ipv6}にpingが通りません。",),
        "address": ("住所は{address}です。",),
    },
}
_PHONE_LOCALES = {
    "en": (("en_US", 0.55), ("en_GB", 0.3), ("de_DE", 0.05), ("fr_FR", 0.05), ("en_AU", 0.05)),
}
_IBAN_LOCALE = {"en": "en_GB", "ru": "de_DE", "zh": "en_GB", "ja": "en_GB"}
_FREE_MAIL = {
    "en": "gmail.com yahoo.com outlook.com hotmail.com aol.com icloud.com protonmail.com",
    "de": "gmx.de web.de t-online.de gmail.com posteo.de",
    "fr": "orange.fr free.fr laposte.net gmail.com sfr.fr",
    "es": "gmail.com hotmail.es yahoo.es telefonica.net",
    "it": "libero.it virgilio.it gmail.com tiscali.it",
    "nl": "ziggo.nl kpnmail.nl gmail.com hotmail.nl",
    "pl": "wp.pl onet.pl o2.pl gmail.com interia.pl",
    "ru": "mail.ru yandex.ru gmail.com rambler.ru",
    "zh": "qq.com 163.com 126.com sina.com",
    "ja": "yahoo.co.jp docomo.ne.jp gmail.com softbank.ne.jp",
}
_CARD_TYPES = ("visa16", "visa16", "mastercard", "mastercard", "amex", "discover")


def _email(rng: random.Random, lang: str, name: str, site: str | None = None) -> str:
    parts = [_fold(p) for p in name.split()]
    parts = [p for p in parts if p]
    if not parts or lang in _CJK or lang == "ru":
        local = rng.choice(_pool(lang).users)
    elif rng.random() < 0.5 and len(parts) > 1:
        local = f"{parts[0]}{rng.choice('._')}{parts[-1]}"
    else:
        local = f"{parts[0][:1]}{parts[-1]}{rng.randint(1, 99) if rng.random() < 0.5 else ''}"
    domain = site if site and rng.random() < 0.3 else rng.choice(_FREE_MAIL[lang].split())
    return f"{local}@{domain}"


def _phone(rng: random.Random, lang: str) -> str:
    locale = _weighted(rng, _PHONE_LOCALES["en"]) if lang == "en" else _LOCALE[lang]
    if rng.random() < 0.07:
        locale = rng.choice(("en_GB", "de_DE", "fr_FR", "es_ES", "it_IT"))
    return _seeded_faker(rng, locale).phone_number()


def _card(rng: random.Random) -> str:
    kind = rng.choice(_CARD_TYPES)
    digits = _seeded_faker(rng, "en_US").credit_card_number(card_type=kind)
    style = rng.random()
    if style < 0.45:
        return digits
    sep = " " if style < 0.8 else "-"
    if len(digits) == 15:
        return sep.join((digits[:4], digits[4:10], digits[10:]))
    return sep.join(digits[k : k + 4] for k in range(0, len(digits), 4))


def _address(rng: random.Random, lang: str) -> str:
    return _seeded_faker(rng, _LOCALE[lang]).address().replace("\n", ", ")


def _pii_value(rng: random.Random, kind: str, lang: str, name: str) -> str:
    if kind == "email":
        return _email(rng, lang, name)
    if kind == "phone":
        return _phone(rng, lang)
    if kind == "card":
        return _card(rng)
    if kind == "iban":
        return _seeded_faker(rng, _IBAN_LOCALE.get(lang, _LOCALE[lang])).iban()
    if kind == "ipv4":
        return _seeded_faker(rng, "en_US").ipv4_public()
    if kind == "ipv6":
        return _seeded_faker(rng, "en_US").ipv6()
    if kind == "address":
        return _address(rng, lang)
    return name


def _pii_sentence(rng: random.Random, lang: str) -> str:
    """A natural sentence in `lang` carrying one planted personal data item."""
    kind = _weighted(rng, _PII_KINDS)
    template = rng.choice(_PII_TEMPLATES[lang][kind])
    values = {"name": _person(rng, lang), "expiry": f"{rng.randint(1, 12):02d}/{rng.randint(25, 31)}"}
    values[kind] = _pii_value(rng, kind, lang, values["name"])
    return template.format(**values)


def _plant_pii(rng: random.Random, lang: str, lines: list[str], slots: list[int]) -> None:
    """Append 1-3 PII sentences to random paragraph lines (indices in `slots`)."""
    if not slots:
        return
    sep = "" if lang in _CJK else " "
    for _ in range(rng.choice((1, 1, 1, 2, 2, 3))):
        k = rng.choice(slots)
        lines[k] = lines[k] + sep + _pii_sentence(rng, lang)


# --------------------------------------------------------------------------------------------
# Sites and URLs
# --------------------------------------------------------------------------------------------

_TLDS = {
    "en": (
        ("com", 0.55),
        ("net", 0.07),
        ("org", 0.07),
        ("co.uk", 0.08),
        ("com.au", 0.04),
        ("io", 0.03),
        ("ca", 0.03),
        ("us", 0.02),
        ("info", 0.02),
        ("blog", 0.02),
        ("co.nz", 0.02),
        ("ie", 0.02),
        ("co", 0.02),
        ("org.uk", 0.01),
    ),
    "de": (("de", 0.7), ("at", 0.1), ("ch", 0.08), ("com", 0.07), ("net", 0.05)),
    "fr": (("fr", 0.65), ("be", 0.1), ("ca", 0.07), ("ch", 0.05), ("com", 0.1), ("net", 0.03)),
    "es": (("es", 0.45), ("com.mx", 0.15), ("com.ar", 0.1), ("cl", 0.05), ("co", 0.05), ("com", 0.15), ("pe", 0.05)),
    "it": (("it", 0.85), ("com", 0.1), ("eu", 0.05)),
    "nl": (("nl", 0.8), ("be", 0.15), ("com", 0.05)),
    "pl": (("pl", 0.75), ("com.pl", 0.15), ("eu", 0.1)),
    "ru": (("ru", 0.8), ("com", 0.1), ("su", 0.05), ("net", 0.05)),
    "zh": (("cn", 0.35), ("com.cn", 0.25), ("com", 0.2), ("com.tw", 0.1), ("hk", 0.1)),
    "ja": (("jp", 0.45), ("co.jp", 0.3), ("ne.jp", 0.1), ("com", 0.15)),
}
_SITE_SUFFIXES = _split(
    "hub daily guide world zone place central online lab spot times post journal review insider tips "
    "life pro news blog club corner"
)
_PS_PREFIXES = _split(
    "findpeople peoplefinder whitepages truerecords publicrecords personlookup namesearch "
    "backgroundcheck phonebook addresssearch peoplelookup peoplesearch fastpeople recordsfinder"
)
_PS_SUFFIXES = _split("records lookup search finder directory check now pro hq data info")
_SECTIONS = _split("news lifestyle tech travel food money health home sports culture opinion local")
_ZIPF_S = 0.55


@dataclass(frozen=True, slots=True)
class _Site:
    domain: str
    lang: str
    brand: str
    www: bool
    style: int


def _en_site_words() -> list[str]:
    nouns = {n.split()[-1] for t in _TOPICS for n in t.nouns}
    return sorted(w for w in (_fold(x) for x in nouns | set(_EN_ADJ)) if 3 <= len(w) <= 9)


def _site_name(rng: random.Random, lang: str) -> tuple[str, str]:
    """A domain label and the matching brand."""
    pool = _pool(lang)
    words = pool.ascii_words
    if lang == "en":
        words = words + _en_site_words()
    a, b = rng.choice(words), rng.choice(words)
    style = rng.random()
    if style < 0.3:
        parts = [a, b]
    elif style < 0.55:
        parts = [a, rng.choice(_SITE_SUFFIXES)]
    elif style < 0.7 and lang == "en":
        parts = [rng.choice(("the", "my", "get", "go")), a, b]
    elif style < 0.82 and lang not in _CJK and lang != "ru":
        parts = [_fold(rng.choice(pool.last)) or a, rng.choice(_SITE_SUFFIXES)]
    else:
        parts = [a, b, str(rng.randint(1, 99))] if rng.random() < 0.3 else [a]
    joiner = "-" if rng.random() < 0.25 else ""
    return joiner.join(parts)[:30].strip("-"), " ".join(_cap(p) for p in parts)


def _build_sites(rng: random.Random, n_docs: int) -> dict[str, list[_Site]]:
    total = max(12, int(n_docs**0.7))
    used: set[str] = set()
    sites: dict[str, list[_Site]] = {}
    for lang, share in _TEXT_LANGS:
        pool = []
        while len(pool) < max(2, round(total * share)):
            label, brand = _site_name(rng, lang)
            domain = f"{label}.{_weighted(rng, _TLDS[lang])}"
            if label and domain not in used:
                used.add(domain)
                pool.append(_Site(domain, lang, brand, rng.random() < 0.7, rng.randrange(8)))
        sites[lang] = pool
    return sites


def _build_people_sites(rng: random.Random, n_docs: int) -> list[_Site]:
    count = max(1, round(4 * math.sqrt(n_docs / 10_000)))
    out: dict[str, _Site] = {}
    while len(out) < count:
        prefix, suffix = rng.choice(_PS_PREFIXES), rng.choice(_PS_SUFFIXES)
        if suffix in prefix:
            continue
        label = f"{prefix}{rng.choice(('', '-'))}{suffix}"
        if len(out) >= len(_PS_PREFIXES) * len(_PS_SUFFIXES):
            label += str(len(out))
        domain = f"{label}.{rng.choice(('com', 'com', 'net', 'org', 'info', 'us'))}"
        out.setdefault(domain, _Site(domain, "en", f"{_cap(prefix)} {_cap(suffix)}", True, rng.randrange(3)))
    return list(out.values())


def _host(rng: random.Random, site: _Site, kind: str) -> str:
    r = rng.random()
    if kind == "forum" and r < 0.45:
        return f"{rng.choice(('forum', 'forums', 'community', 'boards'))}.{site.domain}"
    if kind == "product" and r < 0.3:
        return f"shop.{site.domain}"
    if r > 0.93:
        return f"{rng.choice(('blog', 'news', 'm', 'en', 'www2', 'amp'))}.{site.domain}"
    return f"www.{site.domain}" if site.www else site.domain


def _article_path(rng: random.Random, site: _Site, slug: str) -> str:
    y, m, d, n = rng.randint(2014, 2024), rng.randint(1, 12), rng.randint(1, 28), rng.randint(100, 999_999)
    section = rng.choice(_SECTIONS)
    paths = (
        f"/blog/{y}/{m:02d}/{slug}",
        f"/{y}/{m:02d}/{d:02d}/{slug}/",
        f"/news/{section}/{slug}-{n}.html",
        f"/articles/{slug}",
        f"/{slug}/",
        f"/index.php?option=com_content&view=article&id={n}",
        f"/p/{n}",
        f"/{section}/{slug}",
    )
    return paths[site.style]


def _path(rng: random.Random, site: _Site, kind: str, slug: str) -> str:
    n = rng.randint(100, 999_999)
    word = rng.choice(_pool(site.lang).ascii_words)
    if kind == "forum":
        return rng.choice(
            (
                f"/forum/viewtopic.php?f={rng.randint(1, 40)}&t={n}",
                f"/threads/{slug}.{n}/",
                f"/t/{slug}/{n}",
                f"/showthread.php?tid={n}",
                f"/community/questions/{n}/{slug}",
            )
        )
    if kind == "product":
        return rng.choice(
            (
                f"/product/{slug}/",
                f"/shop/{word}/{slug}-p{n}.html",
                f"/products/{slug}?variant={n}",
                f"/item.php?id={n}",
                f"/dp/B0{n:08d}",
            )
        )
    if kind == "people_search":
        first, last = slug.split("-")[0], slug.split("-")[-1]
        return rng.choice(
            (f"/name/{slug}/", f"/people/{last}/{first}", f"/search?fn={first}&ln={last}&state=all", f"/{slug}-{n}")
        )
    if kind == "boilerplate":
        return rng.choice(
            (
                "/",
                "/about/",
                "/contact",
                "/privacy-policy/",
                "/cookie-policy",
                "/login?next=%2Faccount",
                "/cart",
                f"/category/{word}/page/{rng.randint(2, 30)}/",
                f"/tag/{word}/",
            )
        )
    if kind == "junk":
        return rng.choice(
            (
                f"/?p={n}",
                f"/{n:x}.html",
                f"/search?q={word}+{slug[:20]}",
                f"/tag/{word}-{n}/",
                "/index.html",
                f"/wp-content/uploads/{rng.randint(2015, 2024)}/{n:x}.txt",
            )
        )
    path = _article_path(rng, site, slug)
    if rng.random() < 0.07 and "?" not in path:
        path += rng.choice(("?utm_source=newsletter&utm_medium=email", "?ref=homepage", "?page=2", "?amp=1"))
    return path


def _url(rng: random.Random, site: _Site, kind: str, title: str) -> str:
    scheme = "https" if rng.random() < 0.9 else "http"
    slug = _slug(title, site.lang, rng)
    return f"{scheme}://{_host(rng, site, kind)}{_path(rng, site, kind, slug)}"


# --------------------------------------------------------------------------------------------
# Page kinds
# --------------------------------------------------------------------------------------------

_BYLINES = {
    "en": (
        "Posted on {date} by {author}",
        "By {author} | {date}",
        "{author} · {num} min read",
        "Last updated: {date}",
        "Published {date}",
    ),
    "de": ("Veröffentlicht am {date} von {author}", "Von {author} | {date}"),
    "fr": ("Publié le {date} par {author}", "Par {author} | {date}"),
    "es": ("Publicado el {date} por {author}", "Por {author} | {date}"),
    "it": ("Pubblicato il {date} da {author}", "Di {author} | {date}"),
    "nl": ("Geplaatst op {date} door {author}", "Door {author} | {date}"),
    "pl": ("Opublikowano {date} przez {author}",),
    "ru": ("Опубликовано {date}, автор: {author}",),
    "zh": ("{author} 发布于 {date}",),
    "ja": ("{date} 投稿者\uff1a{author}",),
}
_EN_FOOTERS = (
    "Share this: Facebook Twitter Pinterest Email",
    "Tags: {tags}",
    "Related posts:",
    "Filed under: {topic}",
    "Leave a comment",
    "{num} comments",
)


def _doc_words(rng: random.Random) -> int:
    """Heavy-tailed length: median ~330 words, 6% short pages, 0.5% long reads."""
    r = rng.random()
    if r < 0.06:
        return rng.randint(15, 80)
    if r < 0.995:
        return int(min(4000.0, rng.lognormvariate(math.log(330), 0.75)))
    return rng.randint(3500, 7000)


def _byline(rng: random.Random, lang: str) -> str:
    return rng.choice(_BYLINES[lang]).format(date=_date(rng, lang), author=_person(rng, lang), num=rng.randint(2, 15))


def _en_footer(rng: random.Random, topic: _Topic) -> str:
    tags = ", ".join(rng.sample(topic.nouns, 3))
    return rng.choice(_EN_FOOTERS).format(tags=tags, topic=topic.name, num=rng.randint(0, 80))


def _body(rng: random.Random, lang: str, topic: _Topic, target: int, lines: list[str]) -> list[int]:
    """Append paragraphs, headings and lists up to `target` words; returns paragraph line indices."""
    noise = rng.random() ** 3 * 0.4
    count, slots = 0, []
    while count < target:
        r = rng.random()
        if r < 0.1 and len(slots) > 1:
            line = _heading(rng, lang, topic)
        elif r < 0.14 and lang == "en" and slots:
            items = [_render(rng, t, topic) for t in rng.sample(_T_LIST, rng.randint(3, 6))]
            line = "\n".join(f"{k + 1}. {x}" if r < 0.12 else f"- {x}" for k, x in enumerate(items))
        else:
            line = _paragraph(rng, lang, topic, rng.randint(1, 7), noise=noise)
            slots.append(len(lines))
        lines.append(line)
        count += _words(line, lang)
    return slots


def _article(rng: random.Random, lang: str, site: _Site) -> tuple[str, str]:
    topic = rng.choice(_TOPICS)
    title = _title(rng, lang, topic)
    lines = []
    if lang in _BOILERPLATE and rng.random() < 0.1:
        lines.append(rng.choice(_BOILERPLATE[lang]).format(year=rng.randint(2018, 2024), brand=site.brand, num=9))
    lines.append(title)
    if rng.random() < 0.5:
        lines.append(_byline(rng, lang))
    slots = _body(rng, lang, topic, _doc_words(rng), lines)
    if rng.random() < 0.1:
        _plant_pii(rng, lang, lines, slots)
    if lang == "en" and rng.random() < 0.3:
        lines.append(_en_footer(rng, topic))
    return "\n".join(lines), title


_FORUM = {
    "en": (
        "Posted by {user} on {date}",
        "{user} wrote:",
        "Reply #{n} on: {date}",
        "General Discussion|Help & Support|Off Topic|Buying Advice|Show and Tell",
    ),
    "de": (
        "Beitrag von {user} » {date}",
        "{user} schrieb:",
        "Antwort #{n} am: {date}",
        "Allgemeines|Hilfe & Support|Off-Topic|Kaufberatung",
    ),
    "fr": (
        "Message par {user} » {date}",
        "{user} a écrit :",
        "Réponse #{n} le : {date}",
        "Discussion générale|Aide|Hors sujet|Conseils d'achat",
    ),
    "es": (
        "Publicado por {user} el {date}",
        "{user} escribió:",
        "Respuesta #{n} el: {date}",
        "General|Ayuda|Off-topic|Consejos de compra",
    ),
    "it": (
        "Inviato da {user} il {date}",
        "{user} ha scritto:",
        "Risposta #{n} il: {date}",
        "Discussioni generali|Aiuto|Off topic|Consigli per gli acquisti",
    ),
    "nl": (
        "Geplaatst door {user} op {date}",
        "{user} schreef:",
        "Reactie #{n} op: {date}",
        "Algemeen|Hulp|Off-topic|Koopadvies",
    ),
    "pl": (
        "Post autorstwa {user} » {date}",
        "{user} napisał(a):",
        "Odpowiedź #{n} dnia: {date}",
        "Ogólne|Pomoc|Hydepark|Porady zakupowe",
    ),
    "ru": (
        "Сообщение {user} » {date}",
        "{user} писал(\u0430):",
        "Ответ #{n}: {date}",
        "Общие вопросы|Помощь|Флейм|Выбор и покупка",
    ),
    "zh": ("{user} 发表于 {date}", "{user} 写道\uff1a", "#{n}楼 {date}", "综合讨论|求助问答|灌水区|购买建议"),
    "ja": (
        "投稿者\uff1a{user} 投稿日\uff1a{date}",
        "{user} さんの書き込み\uff1a",
        "返信 #{n}\uff1a{date}",
        "雑談|質問・相談|その他|購入相談",
    ),
}


def _username(rng: random.Random, lang: str) -> str:
    pool = _pool(lang)
    r = rng.random()
    if r < 0.4:
        return rng.choice(pool.users)
    word = rng.choice(pool.ascii_words)
    if r < 0.6:
        return f"{word}{rng.randint(1, 2024)}"
    if r < 0.75:
        return f"{word}_{rng.choice(pool.ascii_words)}"
    if r < 0.85:
        return f"the_{word}" if lang == "en" else f"{word}{rng.choice(('_', '.', '-'))}{rng.randint(10, 99)}"
    return _cap(word) + _cap(rng.choice(pool.ascii_words))


def _forum(rng: random.Random, lang: str, site: _Site) -> tuple[str, str]:
    topic = rng.choice(_TOPICS)
    posted, wrote, reply, sections = _FORUM[lang]
    title = _title(rng, lang, topic)
    lines = [title, f"{site.brand} » {rng.choice(sections.split('|'))} » {title}"]
    users = [_username(rng, lang) for _ in range(rng.randint(2, 8))]
    posts: list[tuple[str, str]] = []
    slots = []
    for n in range(2 + min(38, int(rng.paretovariate(1.0) * 1.5))):
        user = rng.choice(users)
        lines.append((posted if n == 0 else reply).format(user=user, date=_date(rng, lang, True), n=n))
        if posts and rng.random() < 0.35:
            author, quoted = rng.choice(posts)
            lines.append(wrote.format(user=author))
            lines.append("> " + quoted[:300])
        body = _paragraph(rng, lang, topic, rng.randint(1, 5), casual=True)
        slots.append(len(lines))
        lines.append(body)
        posts.append((user, body))
    if rng.random() < 0.1:
        _plant_pii(rng, lang, lines, slots)
    return "\n".join(lines), title


_SHOP = {
    "en": (
        "Price",
        "Add to cart",
        "In stock",
        "Only {n} left in stock",
        "Description",
        "Specifications",
        "Customer reviews",
        "Weight",
        "Dimensions",
        "Color",
        "{r} out of 5 stars ({n} reviews)",
        "Verified purchase",
        "Free shipping on orders over {price}",
        "black|white|silver|blue|red|green",
    ),
    "de": (
        "Preis",
        "In den Warenkorb",
        "Auf Lager",
        "Nur noch {n} auf Lager",
        "Beschreibung",
        "Technische Daten",
        "Kundenbewertungen",
        "Gewicht",
        "Abmessungen",
        "Farbe",
        "{r} von 5 Sternen ({n} Bewertungen)",
        "Verifizierter Kauf",
        "Kostenloser Versand ab {price}",
        "schwarz|weiß|silber|blau|rot|grün",
    ),
    "fr": (
        "Prix",
        "Ajouter au panier",
        "En stock",
        "Plus que {n} en stock",
        "Description",
        "Caractéristiques",
        "Avis clients",
        "Poids",
        "Dimensions",
        "Couleur",
        "{r} sur 5 étoiles ({n} avis)",
        "Achat vérifié",
        "Livraison gratuite dès {price}",
        "noir|blanc|argent|bleu|rouge|vert",
    ),
    "es": (
        "Precio",
        "Añadir al carrito",
        "En stock",
        "Solo quedan {n} en stock",
        "Descripción",
        "Especificaciones",
        "Opiniones de clientes",
        "Peso",
        "Dimensiones",
        "Color",
        "{r} de 5 estrellas ({n} opiniones)",
        "Compra verificada",
        "Envío gratis a partir de {price}",
        "negro|blanco|plata|azul|rojo|verde",
    ),
    "it": (
        "Prezzo",
        "Aggiungi al carrello",
        "Disponibile",
        "Solo {n} rimasti",
        "Descrizione",
        "Specifiche",
        "Recensioni dei clienti",
        "Peso",
        "Dimensioni",
        "Colore",
        "{r} su 5 stelle ({n} recensioni)",
        "Acquisto verificato",
        "Spedizione gratuita sopra {price}",
        "nero|bianco|argento|blu|rosso|verde",
    ),
    "nl": (
        "Prijs",
        "In winkelwagen",
        "Op voorraad",
        "Nog {n} op voorraad",
        "Omschrijving",
        "Specificaties",
        "Klantbeoordelingen",
        "Gewicht",
        "Afmetingen",
        "Kleur",
        "{r} van 5 sterren ({n} beoordelingen)",
        "Geverifieerde aankoop",
        "Gratis verzending vanaf {price}",
        "zwart|wit|zilver|blauw|rood|groen",
    ),
}


def _price(rng: random.Random, lang: str) -> str:
    euros, cents = rng.randint(3, 1500), rng.choice((0, 49, 90, 95, 99))
    return f"${euros}.{cents:02d}" if lang == "en" else f"{euros},{cents:02d} €"


def _product(rng: random.Random, lang: str, site: _Site) -> tuple[str, str]:
    (price, add, stock, left, desc, specs, reviews, weight, dims, color, stars, verified, ship, colors) = _SHOP[lang]
    topic = rng.choice(_TOPICS)
    threshold = rng.choice((25, 35, 49, 50, 75, 99))
    if lang == "en":
        name = _title_case(f"{rng.choice(_EN_ADJ)} {rng.choice(topic.nouns)}")
    else:
        name = _short_phrase(rng, lang, 1, 2)
    title = f"{site.brand} {name} {rng.choice('XSMRT')}{rng.randint(10, 990)}"
    lines = [
        title,
        stars.format(r=rng.choice(("3.9", "4.2", "4.5", "4.7", "4.8")), n=rng.randint(3, 4000)),
        f"{price}: {_price(rng, lang)}",
        stock if rng.random() < 0.7 else left.format(n=rng.randint(1, 9)),
        add,
        ship.format(price=f"${threshold}" if lang == "en" else f"{threshold} €"),
        desc,
    ]
    lines += [_paragraph(rng, lang, topic, rng.randint(2, 5)) for _ in range(rng.randint(1, 3))]
    lines += [
        specs,
        f"{weight}: {rng.randint(1, 99) / 10} kg",
        f"{dims}: {rng.randint(5, 90)} x {rng.randint(5, 90)} x {rng.randint(1, 40)} cm",
        f"{color}: {rng.choice(colors.split('|'))}",
        f"SKU: {rng.choice('ABCDEFGH')}{rng.randint(10**5, 10**6)}",
        reviews,
    ]
    for _ in range(rng.randint(0, 6)):
        score = rng.randint(1, 5)
        lines += [
            f"{'★' * score}{'☆' * (5 - score)} {_heading(rng, lang, topic)}",
            f"{_person(rng, lang).split()[0]} · {_date(rng, lang)} · {verified}",
            _paragraph(rng, lang, topic, rng.randint(1, 3), casual=True),
        ]
    return "\n".join(lines), title


_BOILERPLATE = {
    "en": (
        "Skip to content",
        "Skip to main content",
        "Menu",
        "Search for:",
        "We use cookies to improve your experience on our website. By continuing to browse, you agree to our use "
        "of cookies.",
        "Accept all cookies",
        "Manage preferences",
        "Reject",
        "Learn more",
        "This website uses cookies to ensure you get the best experience.",
        "Subscribe to our newsletter",
        "Enter your email address",
        "Follow us",
        "Facebook",
        "Twitter",
        "Instagram",
        "LinkedIn",
        "YouTube",
        "Privacy Policy | Terms of Service | Sitemap",
        "Back to top",
        "Loading...",
        "Read more »",
        "Recent Posts",
        "Categories",
        "Archives",
        "Uncategorized",
        "Powered by WordPress",
        "Page 1 of {num}",
        "Next »",
        "« Previous",
        "Log in | Register",
        "Your cart is empty",
        "Continue shopping",
        "Sign up for our newsletter and get 10% off your first order!",
        "Copyright © {year} {brand}. All rights reserved.",
        "© {year} {brand} · All Rights Reserved",
        "Home | About | Contact",
        "Home | About Us | Blog | Shop | Contact",
        "Home | Services | FAQ | Careers",
    ),
    "de": (
        "Zum Inhalt springen",
        "Startseite | Über uns | Kontakt | Impressum | Datenschutz",
        "Diese Website verwendet Cookies. Wenn Sie die Website weiter nutzen, stimmen Sie der Verwendung von "
        "Cookies zu.",
        "Alle akzeptieren",
        "Einstellungen",
        "Ablehnen",
        "Newsletter abonnieren",
        "Folgen Sie uns",
        "© {year} {brand}. Alle Rechte vorbehalten.",
        "Impressum | Datenschutzerklärung | AGB",
        "Nach oben",
        "Weiterlesen »",
        "Neueste Beiträge",
        "Kategorien",
        "Warenkorb",
        "Anmelden | Registrieren",
        "Suche",
        "Seite 1 von {num}",
        "Weiter »",
    ),
    "fr": (
        "Aller au contenu",
        "Accueil | À propos | Contact | Mentions légales",
        "Ce site utilise des cookies pour améliorer votre expérience. En poursuivant votre navigation, vous "
        "acceptez leur utilisation.",
        "Tout accepter",
        "Paramétrer",
        "Refuser",
        "Inscrivez-vous à notre newsletter",
        "Suivez-nous",
        "© {year} {brand}. Tous droits réservés.",
        "Mentions légales | Politique de confidentialité | CGV",
        "Haut de page",
        "Lire la suite »",
        "Articles récents",
        "Catégories",
        "Panier",
        "Connexion | Inscription",
        "Rechercher",
        "Page 1 sur {num}",
        "Suivant »",
    ),
    "es": (
        "Ir al contenido",
        "Inicio | Quiénes somos | Contacto | Aviso legal",
        "Utilizamos cookies para mejorar su experiencia. Si continúa navegando, consideramos que acepta su uso.",
        "Aceptar todas",
        "Configurar",
        "Rechazar",
        "Suscríbete a nuestro boletín",
        "Síguenos",
        "© {year} {brand}. Todos los derechos reservados.",
        "Aviso legal | Política de privacidad | Política de cookies",
        "Volver arriba",
        "Leer más »",
        "Entradas recientes",
        "Categorías",
        "Carrito",
        "Iniciar sesión | Registrarse",
        "Buscar",
        "Página 1 de {num}",
        "Siguiente »",
    ),
    "it": (
        "Vai al contenuto",
        "Home | Chi siamo | Contatti | Privacy",
        "Questo sito utilizza cookie per migliorare la tua esperienza. Continuando la navigazione accetti l'uso "
        "dei cookie.",
        "Accetta tutti",
        "Personalizza",
        "Rifiuta",
        "Iscriviti alla newsletter",
        "Seguici",
        "© {year} {brand}. Tutti i diritti riservati.",
        "Privacy Policy | Cookie Policy | Note legali",
        "Torna su",
        "Leggi tutto »",
        "Articoli recenti",
        "Categorie",
        "Carrello",
        "Accedi | Registrati",
        "Cerca",
        "Pagina 1 di {num}",
        "Successivo »",
    ),
    "nl": (
        "Ga naar inhoud",
        "Home | Over ons | Contact | Privacy",
        "Deze website maakt gebruik van cookies om uw ervaring te verbeteren. Door verder te gaan gaat u "
        "akkoord met het gebruik van cookies.",
        "Alles accepteren",
        "Instellingen",
        "Weigeren",
        "Schrijf je in voor de nieuwsbrief",
        "Volg ons",
        "© {year} {brand}. Alle rechten voorbehouden.",
        "Privacybeleid | Algemene voorwaarden | Sitemap",
        "Terug naar boven",
        "Lees meer »",
        "Recente berichten",
        "Categorieën",
        "Winkelwagen",
        "Inloggen | Registreren",
        "Zoeken",
        "Pagina 1 van {num}",
        "Volgende »",
    ),
}


def _boilerplate(rng: random.Random, lang: str, site: _Site) -> tuple[str, str]:
    phrases = _BOILERPLATE[lang]
    fill = {"year": rng.randint(2016, 2024), "brand": site.brand, "num": rng.randint(2, 60)}
    head = [p.format(**fill) for p in rng.sample(phrases[:8], rng.randint(1, 4))]
    middle = [p.format(**fill) for p in rng.sample(phrases, rng.randint(3, min(14, len(phrases))))]
    topic = rng.choice(_TOPICS)
    titles = [_title(rng, lang, topic) for _ in range(rng.randint(0, 6))]
    more = next(p for p in phrases if p.endswith(" »") and "|" not in p)
    listing = [x for t in titles for x in (t, _date(rng, lang), more)]
    foot = [p.format(**fill) for p in phrases if "©" in p][:1]
    lines = [site.brand, *head, *listing, *middle, *foot]
    return "\n".join(lines), lines[1]


_JUNK_KEYWORDS = (
    "cheap",
    "best",
    "buy",
    "online",
    "free",
    "discount",
    "sale",
    "top",
    "deals",
    "review",
    "near me",
    "coupon",
    "promo code",
    "fast shipping",
    "wholesale",
    "replica",
    "download",
    "crack",
    "full version",
    "casino",
    "bonus",
    "loans",
    "insurance quotes",
    "weight loss",
    "pills",
    "2024",
    "official",
)
_SHORT_PAGES = (
    "Loading...",
    "Coming soon",
    "Under construction",
    "404 Not Found",
    "Access denied",
    "Hello world!",
    "test",
    "Page not found",
    "Forbidden",
    "Maintenance mode",
    "Redirecting...",
    "Index of /",
    "OK",
    "It works!",
)
_JS_PAGES = (
    "You need to enable JavaScript to run this app.",
    "Please enable JavaScript to view this page.",
    "JavaScript is disabled in your browser.\nPlease enable JavaScript to continue.",
    "Checking your browser before accessing {domain}.\nThis process is automatic. Your browser will redirect to "
    "your requested content shortly.\nPlease allow up to 5 seconds...\nDDoS protection by Cloudflare\nRay ID: {ray}",
    "This site requires JavaScript and cookies to be enabled. Please change your browser settings or upgrade your "
    "browser.",
    "We're sorry but this app doesn't work properly without JavaScript enabled. Please enable it to continue.",
)
_LOREM = (
    "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et "
    "dolore magna aliqua."
)


def _junk_spam(rng: random.Random, site: _Site) -> tuple[str, str]:
    nouns = [n for t in rng.sample(_TOPICS, 2) for n in t.nouns]
    kws = [f"{rng.choice(_JUNK_KEYWORDS)} {rng.choice(nouns)}" for _ in range(rng.randint(20, 120))]
    lines = [" ".join(kws[k : k + 8]) for k in range(0, len(kws), 8)]
    if rng.random() < 0.5:
        lines.append(", ".join(kws))
    return "\n".join(lines), "en"


def _junk_repeat(rng: random.Random, site: _Site) -> tuple[str, str]:
    lang = site.lang
    topic = rng.choice(_TOPICS)
    lines = [_sentence(rng, lang, topic) for _ in range(rng.randint(1, 3))]
    return "\n".join(rng.choice(lines) for _ in range(rng.randint(10, 80))), lang


def _junk_lorem(rng: random.Random, site: _Site) -> tuple[str, str]:
    words = _LatinLorem.word_list
    lines = [_LOREM]
    for _ in range(rng.randint(1, 12)):
        sentences = [_cap(" ".join(rng.choices(words, k=rng.randint(5, 14)))) + "." for _ in range(rng.randint(2, 6))]
        lines.append(" ".join(sentences))
    return "\n".join(lines), "la"


def _junk_short(rng: random.Random, site: _Site) -> tuple[str, str]:
    return rng.choice(_SHORT_PAGES), "en"


def _junk_symbols(rng: random.Random, site: _Site) -> tuple[str, str]:
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


def _junk_js(rng: random.Random, site: _Site) -> tuple[str, str]:
    return rng.choice(_JS_PAGES).format(domain=site.domain, ray=f"{rng.getrandbits(64):016x}"), "en"


_JUNK_MAKERS = (
    (_junk_spam, 0.27),
    (_junk_repeat, 0.16),
    (_junk_lorem, 0.15),
    (_junk_short, 0.15),
    (_junk_symbols, 0.12),
    (_junk_js, 0.15),
)


def _people_entry(rng: random.Random, last: str, style: int) -> str:
    first = rng.choice(_pool("en").first)
    name = f"{first} {rng.choice('ABCDEFGHJKLMNPRSTW')}. {last}" if rng.random() < 0.6 else f"{first} {last}"
    fake = _seeded_faker(rng, "en_US")
    addresses = [fake.address().replace("\n", ", ") for _ in range(rng.randint(1, 3))]
    phones = [fake.phone_number().split("x")[0] for _ in range(rng.randint(1, 3))]
    emails = [_email(rng, "en", f"{first} {last}") for _ in range(rng.randint(1, 3))]
    relatives = [
        _person(rng, "en") if rng.random() < 0.4 else f"{rng.choice(_pool('en').first)} {last}"
        for _ in range(rng.randint(2, 6))
    ]
    age = rng.randint(19, 94)
    if style == 1:
        return (
            f"{name} ({age}) | {addresses[0]} | {' | '.join(phones)} | {', '.join(emails)} | "
            f"Related to: {', '.join(relatives)}"
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
    lines.append("View Full Report »" if style == 0 else "See phone, address & background report")
    return "\n".join(lines)


def _people_search(rng: random.Random, site: _Site) -> tuple[str, str]:
    last = rng.choice(_pool("en").last)
    first = rng.choice(_pool("en").first)
    n = rng.randint(5, 25)
    title = f"{first} {last} - Phone Number, Address, Email & Public Records | {site.brand}"
    lines = [
        title,
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


# --------------------------------------------------------------------------------------------
# Near duplicates
# --------------------------------------------------------------------------------------------

_YEAR = re.compile(r"(?<!\d)(20[12]\d)(?!\d)")
_SOURCE_LINE = {
    "en": "Originally published on {d} - {date}",
    "de": "Quelle: {d} ({date})",
    "fr": "Source : {d} ({date})",
    "es": "Fuente: {d} ({date})",
    "it": "Fonte: {d} ({date})",
    "nl": "Bron: {d} ({date})",
    "pl": "Źródło: {d} ({date})",
    "ru": "Источник: {d} ({date})",
    "zh": "来源\uff1a{d} {date}",
    "ja": "出典\uff1a{d} {date}",
}


def _edit_tokens(rng: random.Random, tokens: list[str], lang: str, budget: float) -> None:
    """Substitute, insert or delete single tokens until `budget` 5-gram shingles are spent."""
    words = _pool(lang).words
    for _ in range(10_000):
        if budget <= 0 or len(tokens) <= 10:
            return
        p = rng.randrange(len(tokens))
        if "\n" in tokens[p]:
            continue
        r = rng.random()
        new = rng.choice(words)
        if lang in _CJK:
            new = new[:1]
        if r < 0.55:
            tail = "" if lang in _CJK else tokens[p][len(tokens[p].rstrip(".,!?;:")) :]
            if new + tail == tokens[p]:
                continue
            tokens[p] = new + tail
        elif r < 0.8:
            tokens.insert(p, new)
        else:
            del tokens[p]
        budget -= 5


def _near_duplicate(rng: random.Random, text: str, lang: str, domain: str) -> str:
    """Edit `text` so that its word-5-gram Jaccard with the original is about 0.72-0.95."""
    cjk = lang in _CJK
    size = len(text) if cjk else text.count(" ") + text.count("\n") + 1
    target = rng.uniform(0.72, 0.95)
    budget = max(5.0, size * (1 - target) / (1 + target))
    if rng.random() < 0.5:
        line = _SOURCE_LINE[lang].format(d=domain, date=_date(rng, lang))
        text = f"{line}\n{text}" if rng.random() < 0.4 else f"{text}\n{line}"
        budget -= _words(line, lang) + 4
    if rng.random() < 0.5 and _YEAR.search(text):
        text = _YEAR.sub(lambda m: str(int(m.group(1)) + rng.choice((-2, -1, 1))), text, count=1)
        budget -= 5
    tokens = list(text) if cjk else text.split(" ")
    before = len(tokens)
    _edit_tokens(rng, tokens, lang, max(budget, 5.0 if before > 10 else 0.0))
    return ("" if cjk else " ").join(tokens)


# --------------------------------------------------------------------------------------------
# The corpus
# --------------------------------------------------------------------------------------------


def _planned_kind(seed: int, i: int) -> str:
    """The kind drawn for document `i`, before any fallback (cheap: used to pick sources)."""
    return KINDS[min(bisect.bisect_right(_KIND_CUM, _rng(seed, i, 0).random()), len(KINDS) - 1)]


class _Corpus:
    """Everything shared by the documents of one (n_docs, seed) corpus."""

    def __init__(self, n_docs: int, seed: int) -> None:
        self.seed = seed
        rng = random.Random(f"synth:{seed}:sites")
        self.sites = _build_sites(rng, n_docs)
        self.cum = {lang: _cumulative([(k + 1) ** -_ZIPF_S for k in range(len(s))]) for lang, s in self.sites.items()}
        self.people_sites = _build_people_sites(rng, n_docs)
        self.all_sites = [s for pool in self.sites.values() for s in pool]
        self._cache: OrderedDict[int, dict[str, str]] = OrderedDict()

    def site(self, rng: random.Random, lang: str) -> _Site:
        return _pick(rng, self.sites[lang], self.cum[lang])

    def doc(self, i: int) -> dict[str, str]:
        cached = self._cache.get(i)
        if cached is not None:
            return cached
        kind = _planned_kind(self.seed, i)
        rng = _rng(self.seed, i, 1)
        if kind == "exact_duplicate":
            record = self._exact_duplicate(rng, i)
        elif kind == "near_duplicate":
            record = self._near_duplicate(rng, i)
        else:
            record = self._original(rng, i, kind)
        if record["kind"] in _BASE_KINDS:
            self._cache[i] = record
            if len(self._cache) > 4096:
                self._cache.popitem(last=False)
        return record

    def _record(self, rng: random.Random, i: int, url: str, text: str, lang: str, kind: str) -> dict[str, str]:
        return {
            "id": f"synth-{i:06d}",
            "url": url,
            "text": text,
            "lang": lang,
            "kind": kind,
            "crawl": rng.choice(CRAWLS),
        }

    def _original(self, rng: random.Random, i: int, kind: str) -> dict[str, str]:
        if kind == "people_search":
            site = rng.choice(self.people_sites)
            text, title = _people_search(rng, site)
            lang = "en"
        elif kind == "junk":
            site = rng.choice(self.all_sites)
            maker = _weighted(rng, _JUNK_MAKERS)
            text, lang = maker(rng, site)
            title = text[:40]
        else:
            lang = _weighted(rng, _SHOP_LANGS if kind in ("product", "boilerplate") else _TEXT_LANGS)
            site = self.site(rng, lang)
            maker = {"article": _article, "forum": _forum, "product": _product, "boilerplate": _boilerplate}[kind]
            text, title = maker(rng, lang, site)
        return self._record(rng, i, _url(rng, site, kind, title), text, lang, kind)

    def _source(self, rng: random.Random, i: int, min_words: int) -> dict[str, str] | None:
        """An earlier article or forum page (at least `min_words` long), or None."""
        for _ in range(12 if i > 0 else 0):
            j = rng.randrange(i)
            if _planned_kind(self.seed, j) in _BASE_KINDS:
                src = self.doc(j)
                if _words(src["text"], src["lang"]) >= min_words:
                    return src
        return None

    def _other_url(self, rng: random.Random, src: dict[str, str]) -> str:
        site = self.site(rng, src["lang"])
        return _url(rng, site, "article", src["text"].split("\n", 1)[0])

    def _exact_duplicate(self, rng: random.Random, i: int) -> dict[str, str]:
        src = self._source(rng, i, 0)
        if src is None:
            return self._original(rng, i, "article")
        r = rng.random()
        if r < 0.25:
            url = src["url"]
        elif r < 0.55:
            variant = rng.choice(("amp=1", "utm_source=facebook&utm_medium=social", "print=1", "replytocom=1"))
            url = f"{src['url']}{'&' if '?' in src['url'] else '?'}{variant}"
        else:
            url = self._other_url(rng, src)
        record = self._record(rng, i, url, src["text"], src["lang"], "exact_duplicate")
        if url == src["url"] and record["crawl"] == src["crawl"]:
            record["crawl"] = CRAWLS[(CRAWLS.index(src["crawl"]) + 1) % len(CRAWLS)]
        return record

    def _near_duplicate(self, rng: random.Random, i: int) -> dict[str, str]:
        src = self._source(rng, i, 60)
        if src is None:
            return self._original(rng, i, "article")
        url = self._other_url(rng, src)
        domain = src["url"].split("/")[2].removeprefix("www.")
        text = _near_duplicate(rng, src["text"], src["lang"], domain)
        return self._record(rng, i, url, text, src["lang"], "near_duplicate")


def generate(n_docs: int, seed: int = 0) -> Iterator[dict]:
    """Yield n_docs records, deterministic for (n_docs, seed).

    Each record is ``{"id", "url", "text", "lang", "kind", "crawl"}``; see the module docstring
    for the kinds. The site pool grows with ``n_docs``, so a smaller corpus is not a prefix of a
    larger one with the same seed.
    """
    if n_docs < 0:
        raise ValueError(f"n_docs must be >= 0, got {n_docs}")
    corpus = _Corpus(n_docs, seed)
    for i in range(n_docs):
        yield dict(corpus.doc(i))


def _open_binary(path: str | os.PathLike) -> io.BufferedIOBase:
    text = os.fspath(path)
    if "://" in text:
        import fsspec  # only for remote URLs; fsspec comes with the pipeline's dependencies

        return fsspec.open(text, "wb").open()
    return open(text, "wb")


def write_corpus(path: str | os.PathLike, n_docs: int, seed: int = 0) -> int:
    """Write generate(n_docs, seed) as JSON Lines; gzip when path ends with .gz.

    The gzip header has no file name and mtime 0, so the bytes are identical across runs.
    Returns the number of records written.
    """
    count = 0
    with _open_binary(path) as raw:
        compressed = os.fspath(path).endswith(".gz")
        out = gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=6) if compressed else raw
        try:
            batch: list[str] = []
            for record in generate(n_docs, seed):
                batch.append(json.dumps(record, ensure_ascii=False))
                count += 1
                if len(batch) >= 512:
                    out.write(("\n".join(batch) + "\n").encode("utf-8"))
                    batch.clear()
            if batch:
                out.write(("\n".join(batch) + "\n").encode("utf-8"))
        finally:
            if compressed:
                out.close()
    return count

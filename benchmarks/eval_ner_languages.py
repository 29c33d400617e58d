"""PERSON recall per language: the English spaCy model alone against the per-language models.

    python benchmarks/eval_ner_languages.py [--per-language 200] [--seed 16] [--map es=/path/to/model] [--no-wnut]

The labelled set is built here, deterministically, with no download. For each of nine Faker
locales (en_US, fr_FR, es_ES, de_DE, it_IT, pt_BR, nl_NL, pl_PL, ja_JP) and each of
`--per-language` sentences (200 by default), one `random.Random(seed)` picks one of that
language's six hand-written templates (natural sentences of that language; the name stands
first, in the middle or last, and after a preposition or a title in some of them), and
`Faker(locale)`, seeded once per locale with the same seed, gives one full name:
``first_name() + " " + last_name()`` (for ja_JP: ``last_name() + first_name()``, family name first
and without a space, as Japanese running text writes it). The name is planted into the template,
and its character span is the one gold PERSON span of the sentence.

Each language's sentences are read, with their language code, by two `PiiDetector`s detecting
PERSON only: one whose `pii.ner_models` is empty (the English `pii.ner_model` reads everything)
and one with the default `pii.ner_models` (the models of the `ner` extra that are installed,
plus any `--map code=model`). A gold span is found when a PERSON span overlaps it; "extra" counts
PERSON spans that overlap no gold span, per 100 sentences. Documents/s is the time of one
`detect_batch` over the language's sentences, models already loaded.

With WNUT-17's test split (``../shared/data/pii/wnut17_test.jsonl.gz``, English tweets, gold
``person`` spans) present, it prints PERSON recall and precision there too, as a sanity check
that the English path is unchanged (both detectors read it with the English model).
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import os
import random
import sys
import time
import warnings
from pathlib import Path

os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
WNUT = DATA / "pii" / "wnut17_test.jsonl.gz"

TEMPLATES: dict[str, list[str]] = {
    "en_US": [
        "{name} will present the quarterly results at the meeting on Thursday.",
        "Yesterday I had lunch with {name} near the old train station.",
        "The award for best volunteer of the year went to {name}.",
        "According to {name}, the new bridge will open in the spring.",
        "Please send the signed contract to {name} before Friday.",
        "Our neighbour, {name}, has lived on this street for twenty years.",
    ],
    "fr_FR": [
        "{name} présentera les résultats du trimestre lors de la réunion de jeudi.",
        "Hier, j'ai déjeuné avec {name} près de l'ancienne gare.",
        "Le prix du bénévole de l'année a été remis à {name}.",
        "Selon {name}, le nouveau pont ouvrira au printemps.",
        "Merci d'envoyer le contrat signé à {name} avant vendredi.",
        "Notre voisine, {name}, habite dans cette rue depuis vingt ans.",
    ],
    "es_ES": [
        "{name} presentará los resultados del trimestre en la reunión del jueves.",
        "Ayer comí con {name} cerca de la antigua estación de tren.",
        "El premio al voluntario del año fue para {name}.",
        "Según {name}, el nuevo puente se abrirá en primavera.",
        "Por favor, envíe el contrato firmado a {name} antes del viernes.",
        "Nuestra vecina, {name}, vive en esta calle desde hace veinte años.",
    ],
    "de_DE": [
        "{name} wird die Quartalsergebnisse bei der Sitzung am Donnerstag vorstellen.",
        "Gestern habe ich mit {name} in der Nähe des alten Bahnhofs zu Mittag gegessen.",
        "Der Preis für den Freiwilligen des Jahres ging an {name}.",
        "Laut {name} wird die neue Brücke im Frühjahr eröffnet.",
        "Bitte schicken Sie den unterschriebenen Vertrag vor Freitag an {name}.",
        "Unsere Nachbarin, {name}, wohnt seit zwanzig Jahren in dieser Straße.",
    ],
    "it_IT": [
        "{name} presenterà i risultati del trimestre alla riunione di giovedì.",
        "Ieri ho pranzato con {name} vicino alla vecchia stazione.",
        "Il premio per il volontario dell'anno è andato a {name}.",
        "Secondo {name}, il nuovo ponte aprirà in primavera.",
        "Si prega di inviare il contratto firmato a {name} entro venerdì.",
        "La nostra vicina, {name}, abita in questa via da vent'anni.",
    ],
    "pt_BR": [
        "{name} vai apresentar os resultados do trimestre na reunião de quinta-feira.",
        "Ontem almocei com {name} perto da antiga estação de trem.",
        "O prêmio de voluntário do ano foi para {name}.",
        "Segundo {name}, a nova ponte será inaugurada na primavera.",
        "Por favor, envie o contrato assinado para {name} antes de sexta-feira.",
        "Nossa vizinha, {name}, mora nesta rua há vinte anos.",
    ],
    "nl_NL": [
        "{name} presenteert donderdag de kwartaalcijfers tijdens de vergadering.",
        "Gisteren heb ik met {name} geluncht bij het oude station.",
        "De prijs voor vrijwilliger van het jaar ging naar {name}.",
        "Volgens {name} gaat de nieuwe brug in het voorjaar open.",
        "Stuur het ondertekende contract vóór vrijdag naar {name}.",
        "Onze buurvrouw, {name}, woont al twintig jaar in deze straat.",
    ],
    "pl_PL": [
        "{name} przedstawi wyniki kwartalne na czwartkowym zebraniu.",
        "Wczoraj jadłem obiad z {name} niedaleko starego dworca.",
        "Nagrodę dla wolontariusza roku otrzymał(a) {name}.",
        "Według {name} nowy most zostanie otwarty wiosną.",
        "Proszę wysłać podpisaną umowę do {name} przed piątkiem.",
        "Nasza sąsiadka, {name}, mieszka przy tej ulicy od dwudziestu lat.",
    ],
    "ja_JP": [
        "{name}さんは木曜日の会議で四半期の業績を発表します。",
        "昨日、古い駅の近くで{name}さんと昼食をとりました。",
        "今年の最優秀ボランティア賞は{name}さんに贈られました。",
        "{name}氏によると、新しい橋は春に開通する予定です。",
        "署名済みの契約書を金曜日までに{name}様宛てに送ってください。",
        "隣に住む{name}さんは、この通りに二十年住んでいます。",
    ],
}
"""Six sentences per locale, one `{name}` each."""
LOCALES = tuple(TEMPLATES)


def language(locale: str) -> str:
    return locale.split("_")[0]


def build_set(locale: str, count: int, seed: int) -> list[tuple[str, tuple[int, int]]]:
    """`count` (sentence, gold name span) pairs for one locale, the same for the same seed."""
    from faker import Faker

    fake = Faker(locale)
    fake.seed_instance(seed)
    rng = random.Random(f"{seed}:{locale}")
    examples = []
    for _ in range(count):
        template = rng.choice(TEMPLATES[locale])
        japanese = locale == "ja_JP"
        name = fake.last_name() + fake.first_name() if japanese else f"{fake.first_name()} {fake.last_name()}"
        start = template.index("{name}")
        examples.append((template.replace("{name}", name), (start, start + len(name))))
    return examples


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def evaluate(detector, texts: list[str], gold: list[list[tuple[int, int]]], languages: list[str | None]):
    """(recall, extra spans per 100 texts, precision, documents/s)."""
    started = time.perf_counter()
    found = detector.detect_batch(texts, languages)
    seconds = time.perf_counter() - started
    hits = extra = predicted = 0
    for spans, golds in zip(found, gold, strict=True):
        persons = [(s.start, s.end) for s in spans if s.entity_type == "PERSON"]
        predicted += len(persons)
        hits += sum(any(overlaps(g, p) for p in persons) for g in golds)
        extra += sum(not any(overlaps(p, g) for g in golds) for p in persons)
    total = sum(len(g) for g in gold)
    precision = (predicted - extra) / predicted if predicted else 0.0
    return hits / max(total, 1), 100 * extra / max(len(texts), 1), precision, len(texts) / max(seconds, 1e-9)


def wnut() -> tuple[list[str], list[list[tuple[int, int]]]] | None:
    if not WNUT.exists():
        return None
    texts, gold = [], []
    with gzip.open(WNUT, "rt", encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            texts.append(record["text"])
            gold.append([(s["start"], s["end"]) for s in record["spans"] if s["label"].lower() == "person"])
    return texts, gold


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--per-language", type=int, default=200)
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--map", action="append", default=[], help="extra language=model mapping (code=name or dir)")
    parser.add_argument("--no-wnut", action="store_true", help="skip the WNUT-17 sanity check")
    args = parser.parse_args(argv)
    logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)
    warnings.filterwarnings("ignore", message=r".*\[W095\]")  # an older model's version warning

    from curation.config import PiiConfig
    from curation.pii import PiiDetector
    from curation.pii.ner import default_ner_models, ner_model_plan

    mapping = default_ner_models() | dict(item.split("=", 1) for item in args.map)
    english = PiiDetector(PiiConfig(entities=["PERSON"], ner_models={}))
    mapped_config = PiiConfig(entities=["PERSON"], ner_models=mapping)
    if args.map:  # a mapping of one's own must be installed whole: keep only what is
        from curation.pii.ner import spacy_model_installed

        mapping = {code: model for code, model in mapping.items() if spacy_model_installed(model)}
        mapped_config = PiiConfig(entities=["PERSON"], ner_models=mapping)
    mapped = PiiDetector(mapped_config)
    plan = ner_model_plan(mapped_config)
    print(f"English model: {mapped_config.ner_model}; per-language models used: {plan or 'none installed'}")
    print(f"{args.per_language} sentences per language, seed {args.seed}; recall = gold names overlapped by PERSON")
    print()
    header = f"{'lang':<5} {'model (mapped)':<24} {'recall en':>9} {'recall map':>10} {'extra/100 en':>12} "
    print(header + f"{'extra/100 map':>13} {'docs/s en':>9} {'docs/s map':>10}")
    for locale in LOCALES:
        code = language(locale)
        examples = build_set(locale, args.per_language, args.seed)
        texts = [text for text, _ in examples]
        gold = [[span] for _, span in examples]
        languages: list[str | None] = [code] * len(texts)
        mapped.detect_batch(texts[:1], languages[:1])  # load the language's model outside the timing
        r_en, x_en, _, speed_en = evaluate(english, texts, gold, languages)
        r_map, x_map, _, speed_map = evaluate(mapped, texts, gold, languages)
        model = plan.get(code, "(English)")
        print(
            f"{code:<5} {Path(model).name[:24]:<24} {r_en:>9.3f} {r_map:>10.3f} {x_en:>12.1f} "
            f"{x_map:>13.1f} {speed_en:>9.0f} {speed_map:>10.0f}"
        )
    data = None if args.no_wnut else wnut()
    if data is not None:
        texts, gold = data
        print()
        for name, detector in (("English only", english), ("mapped", mapped)):
            recall, _, precision, speed = evaluate(detector, texts, gold, ["en"] * len(texts))
            print(
                f"WNUT-17 test ({len(texts)} tweets), {name}: PERSON recall {recall:.3f}, "
                f"precision {precision:.3f}, {speed:.0f} docs/s"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())

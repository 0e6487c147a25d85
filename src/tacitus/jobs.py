"""Whole jobs behind the CLI commands: read inputs, analyse them, write records or store them.

Each job is one library call that the CLI (and later the web layer) wraps; it returns a :class:`RunReport`
saying what was done and what was skipped, and why, so a batch never dies on one bad article.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from tacitus.errors import StoreUnavailable
from tacitus.ingest import IngestReport, read_articles, validate_date
from tacitus.ingest.feeds import LINK_ONLY
from tacitus.model import Article


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


def _articles(
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
    from tacitus.pipeline import clip_article

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


def _in_languages(
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


def _on_error(report: RunReport, gate: Any = None) -> Callable[[Article, Exception], None]:
    def record(article: Article, exc: Exception) -> None:
        if gate is not None:
            gate.failed(article)  # its duplicates, if any, are reported with it
        report.skip(article.origin or article.id or "<article>", f"analysis failed: {exc}")

    return record


def extract(
    sources: Iterable[str | Path],
    out: IO[str],
    *,
    input_format: str = "auto",
    published: str | None = None,
    title: bool = True,
    n_process: int = 1,
    stdin: IO | None = None,
    progress: Progress | None = None,
    encoding: str | None = None,
    report: RunReport | None = None,
    max_bytes: int | None = None,
    actors_file: str | Path | None = None,
    patterns_file: str | Path | None = None,
    quote_types: Iterable[str] | None = None,
    languages: Iterable[str] | None = None,
    any_language: bool = False,
    dedup: bool = True,
    learn_boilerplate: bool = True,
    clean_text: bool = False,
    engine: str = "local",
    scheduler: str | None = None,
) -> RunReport:
    """Analyse the inputs and write one JSON record per line to ``out``, in input order.

    Pass your own ``report`` to follow skips and warnings as they happen (see :class:`RunReport`), or to
    know how far the run got when it is interrupted. ``max_bytes`` caps one page, JSONL line, feed or crawl
    record (default :data:`tacitus.ingest.DEFAULT_MAX_BYTES`). ``actors_file`` is a user's YAML actor file
    (:mod:`tacitus.kb.user`), checked before anything is read; ``patterns_file`` a user's verb pattern file
    (:func:`tacitus.components.events.load_patterns`: YAML, or JSON from ``tacitus patterns import``) that
    replaces ours, checked likewise; ``quote_types`` the quote types records keep (default
    :data:`tacitus.model.DEFAULT_QUOTE_TYPES`), checked likewise. Articles are analysed when a model is
    installed for their language (English is built in), or when their language is among ``languages``
    (ISO 639-1 codes; those without a model of their own go through the English one), or always with
    ``any_language``; the others are counted in ``report.languages_skipped``.

    Lines a source prints under many of the batch's articles are learned and removed from its pages
    (``learn_boilerplate``; from JSONL ``text`` fields too with ``clean_text``), and an article that
    repeats an earlier one of the batch is not analysed (``dedup``): its line says which it duplicates
    (``docs/record.md``), counted in ``report.duplicates``.

    ``engine`` is where analysis runs (:mod:`tacitus.engines`): ``local`` (``n_process`` processes here) or
    ``dask`` (a local Dask cluster of ``n_process`` workers, or the cluster of ``scheduler``,
    ``tcp://host:8786``); reading, languages, duplicates, boilerplate and the report are the same on both.
    """
    from tacitus.batch import Gate, make_preparer, write_lines
    from tacitus.engines import analyze_pairs_on, check_engine
    from tacitus.ingest.language import check_languages
    from tacitus.model import check_quote_types

    check_engine(engine, scheduler)
    wanted = check_languages(languages)
    actors_file = _check_actors_file(actors_file)
    patterns_file = _check_patterns_file(patterns_file)
    quote_types = check_quote_types(quote_types)
    report = report if report is not None else RunReport()
    articles = _articles(
        sources,
        report,
        input_format=input_format,
        published=published,
        title=title,
        stdin=stdin,
        encoding=encoding,
        max_bytes=max_bytes,
    )
    gate = Gate(
        make_preparer(dedup=dedup, learn=learn_boilerplate, clean_text=clean_text),
        on_dropped=lambda article, reason: report.skip(article.origin or str(article.id), reason),
    )

    for article, record in analyze_pairs_on(
        engine,
        gate.articles(_in_languages(articles, report, wanted, any_language)),
        n_process=n_process,
        scheduler=scheduler,
        on_error=_on_error(report, gate),
        actors_file=actors_file,
        patterns_file=patterns_file,
        quote_types=quote_types,
        on_warning=lambda message: report.warn(engine, message),
    ):
        write_lines(gate.done(article, record), out, report, progress)
    write_lines(gate.finish(), out, report, progress)
    return report


def process(
    sources: Iterable[str | Path],
    db: str | Path,
    *,
    input_format: str = "auto",
    published: str | None = None,
    title: bool = True,
    reprocess: bool = False,
    n_process: int = 1,
    stdin: IO | None = None,
    progress: Progress | None = None,
    articles: Iterable[Article] | None = None,
    encoding: str | None = None,
    report: RunReport | None = None,
    max_bytes: int | None = None,
    actors_file: str | Path | None = None,
    patterns_file: str | Path | None = None,
    quote_types: Iterable[str] | None = None,
    languages: Iterable[str] | None = None,
    any_language: bool = False,
    dedup: bool = True,
    learn_boilerplate: bool = True,
    clean_text: bool = False,
    engine: str = "local",
    scheduler: str | None = None,
) -> RunReport:
    """Analyse the inputs and store each article's records (one transaction per article).

    An article already stored (the same publication: text as read, id, URL, source, title, date) is
    counted ``unchanged`` *before* analysis, so rerunning a finished or interrupted corpus costs a hash and
    a lookup per article; ``reprocess`` analyses and replaces them instead. An article that repeats one of
    the batch or of the store (``dedup``) is not analysed but stored as another publication of it, counted
    ``duplicate``; boilerplate is learned over the batch and the store (``learn_boilerplate``). ``report``,
    ``max_bytes``, ``actors_file``, ``patterns_file``, ``quote_types``, ``languages``, ``any_language`` and
    ``clean_text``, ``engine`` and ``scheduler`` as in :func:`extract`; on ``dask`` the records still come
    back to this process and are stored here, one writer, on SQLite; on PostgreSQL the workers store
    their partitions themselves (:mod:`tacitus.engines.writers`) and this process the duplicates.
    """
    from tacitus.batch import Gate, make_preparer, remember_learned, store_outputs
    from tacitus.engines import analyze_pairs_on, check_engine
    from tacitus.engines.writers import worker_writes
    from tacitus.ingest.language import check_languages
    from tacitus.model import check_quote_types
    from tacitus.pipeline import clip_article
    from tacitus.store import open_store

    check_engine(engine, scheduler)
    wanted = check_languages(languages)
    actors_file = _check_actors_file(actors_file)
    patterns_file = _check_patterns_file(patterns_file)
    quote_types = check_quote_types(quote_types)
    store = open_store(db)  # fails fast, before any analysis, when the database cannot be opened
    report = report if report is not None else RunReport()
    report.database = store.url  # a URL's password is masked
    with store:
        if articles is None:
            articles = _articles(
                sources,
                report,
                input_format=input_format,
                published=published,
                title=title,
                stdin=stdin,
                encoding=encoding,
                max_bytes=max_bytes,
            )
        else:
            articles = (clip_article(a) for a in articles)
        articles = _in_languages(articles, report, wanted, any_language)

        def known(article: Article, status: str) -> None:
            report.count("unchanged")
            if progress:
                progress(1)

        preparer = make_preparer(
            dedup=dedup, learn=learn_boilerplate, clean_text=clean_text, store=store, reprocess=reprocess
        )
        gate = Gate(
            preparer,
            on_known=known,
            on_dropped=lambda article, reason: report.skip(article.origin or str(article.id), reason),
        )

        def emit(outputs: list) -> None:
            store_outputs(outputs, store, report, reprocess=reprocess, progress=progress)

        learned = _learned(store, actors_file)
        for article, record in analyze_pairs_on(
            engine,
            gate.articles(articles),
            n_process=n_process,
            scheduler=scheduler,
            on_error=_on_error(report, gate),
            actors_file=actors_file,
            learned=learned,
            patterns_file=patterns_file,
            quote_types=quote_types,
            on_warning=lambda message: report.warn(engine, message),
            **worker_writes(engine, store, gate, reprocess),
        ):
            emit(gate.done(article, record))
        emit(gate.finish())
        if learn_boilerplate:
            remember_learned(preparer, store)
    return report


def feed_links(
    sources: Iterable[str | Path],
    *,
    input_format: str = "auto",
    stdin: IO | None = None,
    max_bytes: int | None = None,
    report: RunReport | None = None,
) -> list[str]:
    """The links of the feed entries that carry no full text, in input order, each once, to fetch.

    Feeds with only teasers are not analysed (nothing is fetched); this is the list of pages to crawl, e.g.
    with ``wget --warc-file=news -i links.txt``, before giving Tacitus the WARC. Inputs that are not feeds
    are read like any other and their problems reported in ``report``.
    """
    report = report if report is not None else RunReport()
    ingest = IngestReport(skipped=[])
    extra = {} if max_bytes is None else {"max_bytes": max_bytes}
    for _ in read_articles(sources, input_format=input_format, report=ingest, stdin=stdin, **extra):
        report.read += 1
    for item in ingest.skipped:
        if LINK_ONLY not in item.reason:  # "N entries only link to their pages": what this lists
            report.skip(item.origin, item.reason)
    return list(dict.fromkeys(ingest.links))


def _learned(store: Any, actors_file: str | None) -> list[dict[str, Any]]:
    """The people earlier articles in the store named with their title, as knowledge-base entries."""
    from tacitus.kb import load_kb
    from tacitus.kb.learned import learned_entries

    return learned_entries(store.learned_actors(), load_kb(actors_file))


def _check_actors_file(path: str | Path | None) -> str | None:
    """Read a user's actor file once, up front: a mistake fails the run in a second, with file and line."""
    if path is None:
        return None
    from tacitus.kb import load_kb

    load_kb(str(path))  # cached: the actor tagger reuses what this read
    return str(Path(path).resolve())  # workers run elsewhere: give them an absolute path


def _check_patterns_file(path: str | Path | None) -> str | None:
    """Read a user's verb pattern file once, up front, like :func:`_check_actors_file`."""
    if path is None:
        return None
    from tacitus.components.events import load_patterns

    resolved = str(Path(path).resolve())  # workers run elsewhere: give them an absolute path
    load_patterns(resolved)
    return resolved


def sample_dir() -> Path:
    """Where the bundled sample articles are: inside the installed package, or the source tree's samples/."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "samples", here.parents[1] / "samples"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("the bundled samples are missing from this installation; reinstall tacitus")


def sample_articles() -> list[Article]:
    """The bundled samples as articles, with the publication dates and sources of ``published.tsv``."""
    folder = sample_dir()
    sidecar: dict[str, tuple[str, str]] = {}
    table = folder / "published.tsv"
    if table.exists():
        for row in csv.reader(io.StringIO(table.read_text(encoding="utf-8")), delimiter="\t"):
            if len(row) >= 2 and not row[0].startswith("#"):
                sidecar[row[0]] = (row[1], row[2] if len(row) > 2 else "")
    ingest = IngestReport(skipped=[])
    articles = []
    for article in read_articles([folder], report=ingest):
        name = Path(str(article.origin).split(":")[0]).name
        if name in sidecar:
            article.published = article.published or sidecar[name][0]
            article.source = article.source or sidecar[name][1] or None
        articles.append(article)
    return articles


def demo(db: str | Path, progress: Progress | None = None) -> RunReport:
    """Process the bundled samples into ``db`` (replacing earlier demo results) and report."""
    return process([], db, reprocess=True, articles=sample_articles(), progress=progress)


def query(db: str | Path, what: str, **filters: Any) -> list[dict]:
    """Rows of ``events``, ``quotes`` or ``actors`` from a database, filtered by actor code and dates.

    A query never creates a database: a missing SQLite file (a path or a ``sqlite:///`` URL) raises
    :class:`StoreUnavailable` naming it, since a typo in ``--db`` would otherwise answer "no events".
    """
    from tacitus.store import open_store, sqlite_file

    path = sqlite_file(db)
    if path is not None and not path.exists():
        raise StoreUnavailable(f"{db}: no such database; create it with `tacitus process FILES --db {db}`")
    for key in ("since", "until"):
        if filters.get(key):
            filters[key] = validate_date(filters[key], f"--{key}")
    with open_store(db) as store:
        return getattr(store, what)(**filters)


def query_columns(what: str) -> list[str]:
    """The columns :func:`query` returns for ``what``, in order, even when there are no rows."""
    from tacitus.store.queries import column_names

    return column_names(what)


LOOKUP_COLUMNS = ["name", "code", "kind", "country", "id", "reason"]


def lookup_actor(text: str, *, on: str | None = None, actors_file: str | Path | None = None) -> list[dict]:
    """What the knowledge base makes of ``text`` on day ``on``: each candidate with its code and why.

    Candidates, best first: the entry the form names (a name, a synonym, a capital or city, a demonym); a
    person written with other initials, middle names or a suffix; a role word and the sector it gives.
    ``actors_file`` is a user's actor file (``--actors``) laid over ours. Raises :class:`InvalidDate` for a
    bad ``on`` and :class:`InvalidRuleFile` for a mistake in the actor file.
    """
    from tacitus.kb import load_kb

    day = validate_date(on, "--on") if on else None
    kb = load_kb(str(actors_file) if actors_file else None)
    when = f"on {day}" if day else "latest"
    rows: list[dict] = []

    def add(entry, reason: str) -> None:
        if entry is not None and all(r["id"] != entry.id for r in rows):
            rows.append(
                {"name": entry.name, "code": entry.code, "kind": entry.kind, "country": entry.country,
                 "id": entry.id, "reason": reason}
            )  # fmt: skip

    exact = kb.lookup(text, on=day)
    if exact is not None:
        if exact.via == "capital":
            reason = (
                f"{text!r} is the capital of {exact.country}: {exact.code} as a place, {exact.country}GOV when "
                "it acts or speaks"
            )
        elif exact.via in ("city", "region"):
            reason = f"{text!r} is a {exact.via} of {exact.country}"
        else:
            reason = f"{text!r} is a name of {exact.name} ({exact.kind}); code {when}"
        add(exact, reason)
    add(
        kb.lookup_person(text, on=day),
        f"a person with this surname and these given names or initials; code {when}",
    )
    role = kb.role(text)
    if role is not None:
        sector, phrase = role
        rows.append(
            {"name": phrase, "code": "---" + sector, "kind": "role", "country": None, "id": None,
             "reason": f"role word {phrase!r}: sector {sector}; the country comes from the words around it "
             "or the article"}
        )  # fmt: skip
    return rows


def summary(db: str | Path) -> dict:
    """Counts of what a database holds (articles, actors, quotes, events, top event codes)."""
    from tacitus.store import open_store

    with open_store(db) as store:
        return store.summary()


def rows_to_csv(rows: list[dict], columns: list[str] | None = None) -> str:
    """Rows as CSV text with a header (nested values as JSON); the header alone when there are no rows."""
    fieldnames = columns or (list(rows[0]) if rows else [])
    if not fieldnames:
        return ""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=fieldnames, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: json.dumps(v) if isinstance(v, list | dict) else v for k, v in row.items()})
    return buf.getvalue()


EVALUATIONS = ("quotes", "events", "actors", "time", "ingest", "duplicates", "clusters")


def evaluate(
    which: str, data: str | Path, *, split: str = "dev", limit: int | None = None, n_process: int = 1
) -> list:
    """Run the named scorer(s) on the evaluation data under ``data`` and return their results.

    ``data`` is the folder that holds the evaluation sets (``quotes/polnear``, ``events/plover-gsr``), as in
    the project's ``../shared/eval``; the package itself never assumes where that is. ``events`` gives three
    results: the PLOVER GSR, the CAMEO codebook examples (``events/cameo-codebook``) and PETRARCH's
    validation suite (``events/petrarch-unit-tests``), ``limit`` applying to each. ``time`` gives two:
    TempEval-3's training TimeML (``time/tempeval3-training``) and MEANTIME (``time/meantime-en``). ``actors`` gives two
    results: actor codes on the PLOVER GSR, and the speakers of PolNeAR attributions (``split``). ``ingest``
    gives two: HTML body extraction on the Scrapinghub benchmark (``ingest/scrapinghub``) and title, byline,
    date and body on Mozilla Readability's test pages (``ingest/mozilla-readability``). ``duplicates`` gives
    two: duplicate detection on the labelled AllSides pairs (read from ``corpora/`` beside ``data``), the
    dev half the thresholds were tuned on and the held-out test half. ``clusters`` gives three: merge precision
    and recall of event clustering on labelled AllSides pairs (dev, test) and BASIL's stories (corpora/).
    """
    from tacitus.errors import NoInputs

    root = Path(data)
    if not root.is_dir():
        raise NoInputs(
            f"{root}: no such folder; pass --data the folder holding quotes/polnear and events/plover-gsr"
        )
    names = EVALUATIONS if which == "all" else (which,)
    results = []
    quotes = None
    for name in names:
        if name == "quotes" or (name == "actors" and quotes is None):
            from tacitus.evaluate.polnear import evaluate_polnear

            quotes = evaluate_polnear(
                root / "quotes" / "polnear" / "data", split=split, limit=limit, n_process=n_process
            )
            if name == "quotes":
                results.append(quotes)
                continue
        if name == "ingest":
            from tacitus.evaluate.ingest import evaluate_ingest

            # HTML bodies on the Scrapinghub benchmark (with its 32 tools side by side), then title, byline,
            # date and body on Mozilla Readability's test pages
            results.extend(evaluate_ingest(root, limit=limit))
            continue
        if name == "duplicates":
            from tacitus.evaluate.duplicates import evaluate_duplicates

            results.extend(evaluate_duplicates(root, split=half) for half in ("dev", "test"))
            continue
        if name == "clusters":
            from tacitus.evaluate.clusters import evaluate_clusters

            # merges on the labelled AllSides event pairs (dev, then held-out test), then BASIL's stories
            results.extend(evaluate_clusters(root, n_process=n_process))
            continue
        if name == "time":
            from tacitus.evaluate.timex import evaluate_time

            for sub in ("tempeval3-training", "meantime-en"):
                folder = root / "time" / sub
                if not folder.is_dir():
                    raise NoInputs(f"{folder}: missing; pass --data the folder holding time/{sub}")
                results.append(evaluate_time(folder, f"time/{sub}", limit=limit, n_process=n_process))
            continue
        if name in ("events", "actors"):
            from tacitus.evaluate.actors import evaluate_gsr_actors
            from tacitus.evaluate.events import evaluate_plover_gsr

            gsr = root / "events" / "plover-gsr" / "PLOVER_GSR_CAMEO.txt"
            if not gsr.exists():
                raise NoInputs(f"{gsr}: missing; pass --data the folder holding events/plover-gsr")
            scorer = evaluate_plover_gsr if name == "events" else evaluate_gsr_actors
            results.append(scorer(gsr, limit=limit, n_process=n_process))
            if name == "events":
                from tacitus.evaluate.codebook import evaluate_codebook
                from tacitus.evaluate.petrarch_suite import RECORDS_FILE, evaluate_petrarch_suite

                codebook = root / "events" / "cameo-codebook" / "cameo-codes.csv"
                suite = root / "events" / "petrarch-unit-tests"
                for needed in (codebook, suite / RECORDS_FILE):
                    if not needed.exists():
                        raise NoInputs(f"{needed}: missing; pass --data the folder holding events/")
                results.append(evaluate_codebook(codebook, limit=limit, n_process=n_process))
                results.append(evaluate_petrarch_suite(suite, limit=limit, n_process=n_process))
            if name == "actors":
                from tacitus.evaluate.actors import speaker_result

                # the second actor measure: speakers of PolNeAR attributions linked to coded actors
                results.append(speaker_result(quotes))
        else:
            raise ValueError(f"unknown evaluation {name!r}; choose from {', '.join(EVALUATIONS)} or all")
    return results

"""Whole jobs behind the CLI commands: read inputs, analyse them, write records or store them.

Each job is one library call that the CLI (and later the web layer) wraps; it returns a :class:`RunReport`
saying what was done and what was skipped, and why, so a batch never dies on one bad article. What the
analysis runs share (their options, their report, reading and languages) is :mod:`tacitus.runs`.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

from tacitus.errors import StoreUnavailable
from tacitus.ingest import IngestReport, read_articles, validate_date
from tacitus.ingest.feeds import LINK_ONLY
from tacitus.model import Article
from tacitus.runs import Progress, RunOptions, RunReport


def extract(
    sources: Iterable[str | Path],
    out: IO[str],
    *,
    stdin: IO | None = None,
    progress: Progress | None = None,
    report: RunReport | None = None,
    **options: Any,
) -> RunReport:
    """Analyse the inputs and write one JSON record per line to ``out``, in input order.

    ``options`` are :class:`~tacitus.runs.RunOptions`' fields (``input_format``, ``n_process``,
    ``languages``, ``engine``...), checked before anything is read. Pass your own ``report`` to follow skips
    and warnings as they happen (see :class:`RunReport`), or to know how far the run got when it is
    interrupted.

    Lines a source prints under many of the batch's articles are learned and removed from its pages
    (``learn_boilerplate``; from JSONL ``text`` fields too with ``clean_text``), and an article that
    repeats an earlier one of the batch is not analysed (``dedup``): its line says which it duplicates
    (``docs/record.md``), counted in ``report.duplicates``.
    """
    from tacitus.batch import Gate, write_lines

    run = RunOptions(**options).checked()
    report = report if report is not None else RunReport()
    articles = run.read(sources, report, stdin)
    gate = Gate(
        run.preparer(),
        on_dropped=lambda article, reason: report.skip(article.origin or str(article.id), reason),
    )
    for article, record in run.analyse(articles, report, gate):
        write_lines(gate.done(article, record), out, report, progress)
    write_lines(gate.finish(), out, report, progress)
    return report


def process(
    sources: Iterable[str | Path],
    db: str | Path,
    *,
    reprocess: bool = False,
    stdin: IO | None = None,
    progress: Progress | None = None,
    articles: Iterable[Article] | None = None,
    report: RunReport | None = None,
    **options: Any,
) -> RunReport:
    """Analyse the inputs and store each article's records (one transaction per article).

    An article already stored (the same publication: text as read, id, URL, source, title, date) is
    counted ``unchanged`` *before* analysis, so rerunning a finished or interrupted corpus costs a hash and
    a lookup per article; ``reprocess`` analyses and replaces them instead. An article that repeats one of
    the batch or of the store (``dedup``) is not analysed but stored as another publication of it, counted
    ``duplicate``; boilerplate is learned over the batch and the store (``learn_boilerplate``). ``articles``
    are analysed instead of reading ``sources``. ``report`` and ``options`` as in :func:`extract`; on
    ``dask`` the records still come back to this process and are stored here, one writer, on SQLite; on
    PostgreSQL the workers store their partitions themselves (:mod:`tacitus.engines.writers`) and this
    process the duplicates.
    """
    from tacitus.batch import Gate, remember_learned, store_outputs
    from tacitus.clip import clip_article
    from tacitus.engines.writers import worker_writes
    from tacitus.store import open_store

    run = RunOptions(**options).checked()
    store = open_store(db)  # fails fast, before any analysis, when the database cannot be opened
    report = report if report is not None else RunReport()
    report.database = store.url  # a URL's password is masked
    with store:
        if articles is None:
            articles = run.read(sources, report, stdin)
        else:
            articles = (clip_article(a) for a in articles)

        def known(article: Article, status: str) -> None:
            report.count("unchanged")
            if progress:
                progress(1)

        preparer = run.preparer(store=store, reprocess=reprocess)
        gate = Gate(
            preparer,
            on_known=known,
            on_dropped=lambda article, reason: report.skip(article.origin or str(article.id), reason),
        )

        def emit(outputs: list) -> None:
            store_outputs(outputs, store, report, reprocess=reprocess, progress=progress)

        learned = _learned(store, run.actors_file)
        for article, record in run.analyse(
            articles, report, gate, learned=learned, **worker_writes(run.engine, store, gate, reprocess)
        ):
            emit(gate.done(article, record))
        emit(gate.finish())
        if run.learn_boilerplate:
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

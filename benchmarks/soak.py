"""Soak: every real article we have through ``tacitus process``, into SQLite and PostgreSQL, at -j 1 and -j 2.

Usage (``make soak`` runs the whole of it, then the fuzz tests at soak strength)::

    .venv/bin/python benchmarks/soak.py                               # everything: long (see benchmarks/soak.md)
    .venv/bin/python benchmarks/soak.py --out /tmp/soak-run.md        # the report where you want it
    .venv/bin/python benchmarks/soak.py --only bbc,basil --limit 20   # a slice, to develop on
    .venv/bin/python benchmarks/soak.py --engines sqlite --procs 2    # what the README's figures ran
    .venv/bin/python benchmarks/soak.py --only allsides --engines sqlite --digests /tmp/d   # then, later:
    .venv/bin/python benchmarks/soak.py --only allsides --engines postgresql --digests /tmp/d

``--digests DIR`` keeps each run's record hashes in ``DIR`` and compares a run with the runs of the same
corpus and limit that earlier invocations left there: the whole of AllSides takes hours for four runs, so
they can be made in separate sittings (or by two versions of the code) and still be compared record for
record.

The corpora (``../shared``, see its README): all 5,720 AllSides articles (JSONL), the 417 BBC politics
texts, BASIL's 300 articles (JSON files, which Tacitus does not read: turned into one JSONL of the fields
``tacitus eval clusters`` reads), and every page under ``eval/ingest`` (Scrapinghub's 181 ``.html.gz``,
Mozilla Readability's 130 ``source.html``; the expected outputs beside them are not pages to read).

Each (corpus, database, processes) is one ``tacitus process`` run in a fresh database. The checks, any of
which failing makes the script exit 1:

- the run exits 0 or 1 (1: some inputs skipped, reported), never a crash or a traceback;
- every stored record validates (:func:`tacitus.schema.validate_record`: schema, spans inside ``text``)
  and every span also lies on character boundaries (the slice encodes to UTF-8);
- inputs == stored + duplicates + reported skips, by the run's own report and by the database's rows;
- the runs of one corpus and database at -j 1 and -j 2 store the same records (canonical JSON, minus
  nothing: a record holds no run-specific field), and SQLite and PostgreSQL store the same records too.

It prints a table (inputs, stored, duplicates, skipped by reason, wall and CPU time, peak memory) and writes
it with the command line and the machine's load to ``--out``, after every run (a soak stopped midway keeps
what it measured). Without ``--out`` that is a new temporary file, named when the soak starts and ends: the
committed ``benchmarks/soak.md`` is a curated record of many runs (each table under a section saying what ran
and what it showed), which ``--out`` would overwrite whole, so a run's table is copied into it by hand.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
TACITUS = ROOT / ".venv" / "bin" / "tacitus"
CORPORA = ("allsides", "bbc", "basil", "html")
PG_SERVER = os.environ.get("TACITUS_TEST_PG_SERVER", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
# How often the process tree's memory is sampled: a run lasts minutes, a peak lasts seconds at least
# (loading the model, a long article), so twice a second catches it at a negligible cost.
SAMPLE_SECONDS = 0.5
# Skip reasons grouped for the table: (label, pattern on the reason). The first that matches wins; a reason
# none matches is shown by its first words, so a new kind of skip is visible rather than hidden in "other".
SKIP_CLASSES = (
    ("time budget", re.compile(r"time budget|took longer than", re.I)),
    ("worker died", re.compile(r"worker process .* died", re.I)),
    ("dup of failed", re.compile(r"duplicate of an earlier article that could not be analysed", re.I)),
    ("analysis failed", re.compile(r"analysis failed", re.I)),
    ("not stored", re.compile(r"could not be stored", re.I)),
    ("no text", re.compile(r"no (article )?text|empty|nothing to analyse|no body", re.I)),
    ("too large", re.compile(r"larger than|too large|max.bytes", re.I)),
    ("unreadable", re.compile(r"could not be (read|decoded)|not valid|unreadable", re.I)),
)
_SKIP_LINE = re.compile(r"^skipped (?P<rest>.*)$")
_LANG_LINE = re.compile(r"^skipped (?P<n>[\d,]+) article\(s\): (?P<reason>.*)$")
_READ_LINE = re.compile(r"^(?P<read>[\d,]+) article\(s\) read; (?P<stored>.*?); database: ")


@dataclass
class Run:
    """One ``tacitus process`` run and what the soak found of it."""

    corpus: str
    engine: str
    procs: int
    inputs: int
    exit_code: int = 0
    read: int = 0
    stored: dict[str, int] = field(default_factory=dict)
    skips: Counter = field(default_factory=Counter)
    cut: int = 0
    wall: float = 0.0
    cpu: float = 0.0
    peak_tree_mb: float = 0.0
    peak_process_mb: float = 0.0
    db_articles: int = 0
    db_publications: int = 0
    invalid: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    digest: dict[str, str] = field(default_factory=dict)  # record key -> canonical JSON hash


# -- the inputs --------------------------------------------------------------------------------------------


def prepare_inputs(corpus: str, work: Path, limit: int | None) -> tuple[list[str], int]:
    """The paths to give ``tacitus process`` for ``corpus`` and how many articles they hold."""
    work.mkdir(parents=True, exist_ok=True)
    if corpus == "allsides":
        source = SHARED / "corpora" / "allsides-intl.jsonl.gz"
        if limit is None:
            with gzip.open(source, "rt", encoding="utf-8") as handle:
                return [str(source)], sum(1 for line in handle if line.strip())
        target = work / "allsides.jsonl"
        with gzip.open(source, "rt", encoding="utf-8") as handle, open(target, "w", encoding="utf-8") as out:
            n = 0
            for line in handle:
                if line.strip() and n < limit:
                    out.write(line)
                    n += 1
        return [str(target)], n
    if corpus == "bbc":
        files = sorted((SHARED / "corpora" / "bbc-politics").glob("*.txt"))[:limit]
        return _linked(files, work / "bbc", lambda p: p.name)
    if corpus == "basil":
        from tacitus.evaluate.clusters import load_basil

        docs = load_basil(SHARED / "corpora" / "basil" / "articles")[:limit]
        target = work / "basil.jsonl"
        with open(target, "w", encoding="utf-8") as out:
            for doc in docs:
                row = {k: doc[k] for k in ("id", "title", "date", "url", "source", "text")}
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
        return [str(target)], len(docs)
    if corpus == "html":
        ingest = SHARED / "eval" / "ingest"
        pages = sorted((ingest / "scrapinghub" / "html").glob("*.html.gz"))
        pages += sorted((ingest / "mozilla-readability").rglob("source.html"))
        if limit is not None:  # a slice of each benchmark, not only the first one's
            half = max(1, limit // 2)
            pages = pages[:half] + [p for p in pages if p.name == "source.html"][: limit - half]
        return _linked(pages, work / "html", _page_name)
    raise SystemExit(f"unknown corpus {corpus!r}; choose from {', '.join(CORPORA)}")


def _page_name(path: Path) -> str:
    return (
        f"readability-{path.parent.name}.html" if path.name == "source.html" else f"scrapinghub-{path.name}"
    )


def _linked(files: list[Path], folder: Path, name: Any) -> tuple[list[str], int]:
    folder.mkdir(parents=True, exist_ok=True)
    for path in files:
        (folder / name(path)).symlink_to(path)
    return [str(folder)], len(files)


# -- databases ---------------------------------------------------------------------------------------------


def fresh_database(engine: str, work: Path, tag: str) -> str | None:
    """A new empty database for one run: a SQLite file, or a PostgreSQL database (None: no server)."""
    if engine == "sqlite":
        return str(work / f"{tag}.db")
    import sqlalchemy as sa

    name = f"tacitus_soak_{tag}_{os.getpid()}"
    admin = sa.create_engine(PG_SERVER, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3})
    try:
        with admin.connect() as connection:
            connection.execute(sa.text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            connection.execute(sa.text(f"CREATE DATABASE {name}"))
    except sa.exc.OperationalError:
        return None
    finally:
        admin.dispose()
    return PG_SERVER.rsplit("/", 1)[0] + "/" + name


def drop_database(url: str) -> None:
    if not url.startswith("postgresql"):
        return
    import sqlalchemy as sa

    admin = sa.create_engine(PG_SERVER, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f"DROP DATABASE IF EXISTS {url.rsplit('/', 1)[1]} WITH (FORCE)"))
    admin.dispose()


# -- one run -----------------------------------------------------------------------------------------------


def _tree_rss_mb(root: int) -> tuple[float, float]:
    """Resident memory of ``root`` and every descendant, and of the largest of them, from /proc."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue
        ppid = int(re.search(r"^PPid:\s+(\d+)", status, re.M).group(1))
        found = re.search(r"^VmRSS:\s+(\d+) kB", status, re.M)
        children.setdefault(ppid, []).append(int(entry.name))
        rss[int(entry.name)] = int(found.group(1)) if found else 0
    total, largest, stack = 0, 0, [root]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        largest = max(largest, rss.get(pid, 0))
        stack.extend(children.get(pid, []))
    return total / 1024, largest / 1024


def run_process(run: Run, paths: list[str], db: str, stderr_file: Path) -> None:
    """Run ``tacitus process`` and fill in what its exit, its stderr and its resource use say."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    command = [str(TACITUS), "process", *paths, "--db", db, "-j", str(run.procs)]
    started = time.perf_counter()
    with open(stderr_file, "w", encoding="utf-8") as err:
        env = {**os.environ, "COLUMNS": "100000", "NO_COLOR": "1", "TERM": "dumb"}
        child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=err, env=env)
        peak = [0.0, 0.0]
        done = threading.Event()

        def sample() -> None:
            while not done.wait(SAMPLE_SECONDS):
                tree, largest = _tree_rss_mb(child.pid)
                peak[0], peak[1] = max(peak[0], tree), max(peak[1], largest)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        run.exit_code = child.wait()
        done.set()
        sampler.join()
    run.wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    run.cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    run.peak_tree_mb = peak[0]
    run.peak_process_mb = peak[1]
    read_report(run, stderr_file.read_text(encoding="utf-8", errors="replace"))


def classify(reason: str) -> str:
    """The table's label for one skip reason (SKIP_CLASSES, else its first words without names)."""
    for label, pattern in SKIP_CLASSES:
        if pattern.search(reason):
            return label
    words = re.sub(r"\S*[/\\:]\S*|\d[\d,.]*", "", reason).split()
    return " ".join(words[:4]) or "other"


def read_report(run: Run, stderr: str) -> None:
    """Fill the run's counts from what ``tacitus process`` printed: skips, cut texts, the summary line."""
    if "Traceback (most recent call last)" in stderr:
        run.problems.append("a traceback was printed (a crash)")
    for line in stderr.splitlines():
        lang = _LANG_LINE.match(line)
        if lang:
            code = re.search(r"\((\w+)\)", lang["reason"])
            run.skips[f"language {code.group(1) if code else '?'}"] += int(lang["n"].replace(",", ""))
            continue
        skipped = _SKIP_LINE.match(line)
        if skipped and "(further articles in" in line:
            continue  # the first article of a language not analysed: counted by the language's own line
        if skipped:
            run.skips[classify(skipped["rest"])] += 1
            continue
        if line.startswith("warning:") and "text cut to its first" in line:
            run.cut += 1
        summary = _READ_LINE.match(line)
        if summary:
            run.read = int(summary["read"].replace(",", ""))
            for part in summary["stored"].split(", "):
                n, _, status = part.partition(" ")
                if n.replace(",", "").isdigit():
                    run.stored[status] = int(n.replace(",", ""))


# -- the checks --------------------------------------------------------------------------------------------


def span_boundary_problems(data: dict[str, Any]) -> list[str]:
    """Spans whose slice of ``text`` is not whole characters (a lone surrogate cannot be encoded)."""
    from tacitus.schema import _spans  # the validator's own list of span fields

    text = data["text"]
    problems = []
    for path, span in _spans(data):
        try:
            text[span[0] : span[1]].encode("utf-8")
        except UnicodeEncodeError:
            problems.append(f"{path}: span {span} cuts a character")
    return problems


def canonical(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True)


def check_store(run: Run, db: str) -> None:
    """Validate every stored record, count rows, and note each record's canonical hash."""
    import sqlalchemy as sa

    from tacitus.schema import validate_record
    from tacitus.store import open_store
    from tacitus.store.schema import articles, publications

    with open_store(db) as store:
        for record in store.records():
            data = record.to_dict()
            problems = validate_record(data) + span_boundary_problems(data)
            if problems:
                run.invalid.append(f"{record.id}: {'; '.join(problems[:3])}")
            key = f"{record.id}|{hashlib.sha1(record.text.encode()).hexdigest()}"
            if key in run.digest:
                run.problems.append(f"{record.id}: stored twice")
            run.digest[key] = hashlib.sha1(canonical(data).encode()).hexdigest()
        with store.engine.connect() as connection:
            run.db_articles = connection.execute(
                sa.select(sa.func.count()).select_from(articles)
            ).scalar_one()
            run.db_publications = connection.execute(
                sa.select(sa.func.count()).select_from(publications)
            ).scalar_one()


def check_counts(run: Run) -> None:
    """inputs == inserted + duplicates + skips, by the report; and the database holds what it reported."""
    if run.exit_code not in (0, 1):
        run.problems.append(f"exit code {run.exit_code}")
    inserted, duplicate = run.stored.get("inserted", 0), run.stored.get("duplicate", 0)
    accounted = inserted + duplicate + run.stored.get("unchanged", 0) + sum(run.skips.values())
    if accounted != run.inputs:
        run.problems.append(
            f"{run.inputs} inputs but {accounted} accounted for (stored {run.stored}, skipped {dict(run.skips)})"
        )
    if run.db_articles != inserted:
        run.problems.append(f"the report says {inserted} inserted, the database holds {run.db_articles}")
    if run.db_publications and run.db_publications != inserted + duplicate:
        run.problems.append(
            f"{run.db_publications} publications stored for {inserted} inserted + {duplicate} duplicates"
        )


def compare(a: Run, b: Run) -> list[str]:
    """Where two runs of one corpus stored different records (missing on one side, or different JSON)."""
    problems = []
    for key in sorted(set(a.digest) | set(b.digest)):
        if a.digest.get(key) != b.digest.get(key):
            problems.append(key.split("|")[0])
    if not problems:
        return []
    label = f"{a.engine} -j {a.procs} vs {b.engine} -j {b.procs} on {a.corpus}"
    return [f"{label}: {len(problems)} record(s) differ, e.g. {', '.join(problems[:5])}"]


# -- the table ---------------------------------------------------------------------------------------------


def save_digests(folder: Path, run: Run, limit: int | None) -> None:
    """Keep ``run``'s record hashes for later invocations (``--digests``)."""
    folder.mkdir(parents=True, exist_ok=True)
    rev = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=False
    ).stdout.strip()
    name = f"{run.corpus}_{limit or 'all'}_{run.engine}_{run.procs}.json"
    meta = {"corpus": run.corpus, "limit": limit, "engine": run.engine, "procs": run.procs, "rev": rev}
    (folder / name).write_text(json.dumps({"meta": meta, "digest": run.digest}), encoding="utf-8")


def earlier_runs(folder: Path, corpus: str, limit: int | None, done: list[Run]) -> list[tuple[Run, str]]:
    """The runs of ``corpus`` at ``limit`` that other invocations left in ``folder`` (``--digests``), with
    the code revision each ran; not those of this invocation (``done``)."""
    here = {(r.engine, r.procs) for r in done}
    found = []
    for path in sorted(folder.glob(f"{corpus}_{limit or 'all'}_*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        meta = data["meta"]
        if (meta["engine"], meta["procs"]) in here:
            continue
        run = Run(corpus, meta["engine"], meta["procs"], 0)
        run.digest = data["digest"]
        found.append((run, meta.get("rev", "?")))
    return found


def table(runs: list[Run]) -> str:
    head = (
        "| corpus | database | -j | inputs | stored | duplicates | skipped (by reason) | texts cut | invalid "
        "| wall s | CPU s | peak MB (tree / largest process) |"
    )
    lines = [head, "|" + "---|" * 12]
    for r in runs:
        skips = ", ".join(f"{n} {label}" for label, n in sorted(r.skips.items())) or "0"
        lines.append(
            f"| {r.corpus} | {r.engine} | {r.procs} | {r.inputs:,} | {r.stored.get('inserted', 0):,} "
            f"| {r.stored.get('duplicate', 0):,} | {skips} | {r.cut} | {len(r.invalid)} | {r.wall:,.0f} "
            f"| {r.cpu:,.0f} | {r.peak_tree_mb:,.0f} / {r.peak_process_mb:,.0f} |"
        )
    return "\n".join(lines)


def write_report(
    path: str,
    argv: list[str] | None,
    runs: list[Run],
    failures: list[str],
    compared: list[str],
    finished: bool,
) -> None:
    """Write the table, the failures and the comparisons made so far to ``path`` (Markdown)."""
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    with open(path, "w", encoding="utf-8") as out:
        out.write(
            "# Soak: every real article through `tacitus process`\n\n"
            f"Made by `benchmarks/soak.py {' '.join(argv if argv is not None else sys.argv[1:])}` on "
            f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {os.cpu_count()} cores shared with other "
            f"work (load average at the end {load}). Stored = articles inserted; duplicates are stored as "
            "publications of the article they repeat. CPU s counts the run and its worker processes.\n\n"
            + ("" if finished else "**Not finished: the runs done so far.**\n\n")
            + f"{table(runs)}\n\n"
            + ("**Failures:**\n\n" + "\n".join(f"- {f}" for f in failures) if failures else "No failures: "
               "zero crashes, every record valid, every input stored, a duplicate or skipped with its reason.")
            + ("\n\nSame records, compared as canonical JSON: " + "; ".join(compared) + "." if compared else
               "\n\nNo two runs compared.")
            + "\n"
        )  # fmt: skip


def report_path(out: str | None) -> str:
    """``--out`` as given, else a new empty temporary file: a slice run to develop on, or an experiment, must
    not overwrite the committed ``benchmarks/soak.md`` (a curated record of many runs), as the old default
    did."""
    if out:
        return out
    handle, path = tempfile.mkstemp(prefix="tacitus-soak-", suffix=".md")
    os.close(handle)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--only", default=",".join(CORPORA), help="corpora, comma-separated: " + ", ".join(CORPORA)
    )
    parser.add_argument("--limit", type=int, default=None, help="at most this many articles of each corpus")
    parser.add_argument("--engines", default="sqlite,postgresql", help="sqlite, postgresql or both")
    parser.add_argument("--procs", default="1,2", help="process counts to run, comma-separated")
    parser.add_argument(
        "--out",
        default=None,
        help="where to write the report; without it, a new temporary file, named at the start and the end "
        "(benchmarks/soak.md is curated by hand: copy a run's table into it rather than overwrite it)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the work folder (databases, stderr logs)")
    parser.add_argument(
        "--digests",
        default=None,
        help="a folder keeping each run's record hashes, to compare with runs of other invocations",
    )
    args = parser.parse_args(argv)
    digests = Path(args.digests) if args.digests else None

    corpora = [c.strip() for c in args.only.split(",") if c.strip()]
    engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    # "both" is what the help says; any other name was once run as PostgreSQL under that name
    engines = ["sqlite", "postgresql"] if engines == ["both"] else engines
    unknown = sorted(set(engines) - {"sqlite", "postgresql"})
    if unknown:
        parser.error(f"--engines: {', '.join(unknown)} is not sqlite, postgresql or both")
    procs = [int(p) for p in args.procs.split(",")]
    out = report_path(args.out)
    work = Path(tempfile.mkdtemp(prefix="tacitus-soak-"))
    runs: list[Run] = []
    failures: list[str] = []
    compared: list[str] = []
    print(
        f"soak: {', '.join(corpora)} x {', '.join(engines)} x -j {args.procs}; work folder {work}; report {out}",
        flush=True,
    )
    try:
        for corpus in corpora:
            paths, n = prepare_inputs(corpus, work / corpus, args.limit)
            by_corpus: list[Run] = []
            for engine in engines:
                for p in procs:
                    tag = f"{corpus}_{engine}_{p}"
                    db = fresh_database(engine, work, tag)
                    if db is None:
                        failures.append(f"{tag}: no PostgreSQL server at {PG_SERVER}")
                        continue
                    run = Run(corpus, engine, p, n)
                    try:
                        run_process(run, paths, db, work / f"{tag}.stderr")
                        check_store(run, db)
                    finally:
                        drop_database(db)
                    check_counts(run)
                    runs.append(run)
                    by_corpus.append(run)
                    failures += [f"{tag}: {p_}" for p_ in run.problems]
                    failures += [f"{tag}: invalid record {i}" for i in run.invalid[:10]]
                    print(table([run]).splitlines()[-1], flush=True)
                    if digests is not None and not run.problems:
                        save_digests(digests, run, args.limit)
                    # after every run, so that a soak stopped midway (hours long) leaves what it measured
                    write_report(out, argv, runs, failures, compared, finished=False)
            for other in by_corpus[1:]:
                differ = compare(by_corpus[0], other)
                failures += differ
                first = by_corpus[0]
                same = f"{corpus}: {first.engine} -j {first.procs} = {other.engine} -j {other.procs}"
                if not differ:
                    compared.append(same)
                print(differ[0] if differ else f"same records: {same}", flush=True)
            for earlier, rev in (
                earlier_runs(digests, corpus, args.limit, by_corpus) if digests and by_corpus else []
            ):
                differ = compare(by_corpus[0], earlier)
                failures += differ
                first = by_corpus[0]
                same = (
                    f"{corpus}: {first.engine} -j {first.procs} = {earlier.engine} -j {earlier.procs} "
                    f"(an earlier invocation, code {rev})"
                )
                if not differ:
                    compared.append(same)
                print(differ[0] if differ else f"same records: {same}", flush=True)
    finally:
        if args.keep or failures:
            print(f"work folder kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    print(table(runs))
    write_report(out, argv, runs, failures, compared, finished=True)
    print(f"report written to {out}")
    for failure in failures:
        print(f"FAIL {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

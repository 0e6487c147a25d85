"""Peak memory of ``tacitus process`` as the corpus grows (``make bench``; issues 13 and 14).

Each run is ``tacitus process`` of the first N AllSides articles (``../shared/corpora/allsides-intl.jsonl.gz``)
into a fresh SQLite file, with 2 workers (``-j 2``) on the local engine or on a local Dask cluster
(``--engine``), in a new Python process so that no cache or peak carries over. Recorded per run:

- the client's peak resident memory (``ru_maxrss``: reading, duplicates, learned boilerplate, storing) and
  its resident memory at a quarter, half, three quarters and the end of the articles stored, which shows
  growth that a peak alone would hide behind start-up;
- each worker's peak resident memory (``VmHWM`` of every child process, read once a second, and
  ``RUSAGE_CHILDREN`` once they are joined), so a worker that grows shows even when it is replaced;
- CPU seconds of the client and of all processes, and wall time (the machine is shared: CPU hardly
  moves with the load, wall time does; the load average is recorded).

``--trace`` also starts :mod:`tracemalloc` in the client and prints to stderr the allocation sites whose
memory grew most between 30% and 90% of the articles stored (the run's structures still alive): how the
holders were found. It slows the client, so its runs are not the ones reported.

Writes ``memory.md`` (table) and ``memory.json`` (raw runs) beside this file; ``--label`` names the code
measured (``before``, ``after``) so that runs of two versions sit side by side.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from scale import write_corpus  # the first n AllSides articles as JSONL, as make bench-scale writes them

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "memory.json"
REPORT = HERE / "memory.md"
SIZES = (1000, 2000, 5720)
# how often the worker processes' peaks are read: often enough not to miss a worker replaced mid-run
SAMPLE_SECONDS = 1.0
# the shares of the run at which --trace takes its snapshots: what grows between them is what the run keeps
# per article (both before the end, when the run's structures are freed)
TRACE_AT = (0.3, 0.9)
TRACE_TOP = 25


def _status_kb(pid: int, field: str) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return found
    for task in tasks:
        try:
            with open(f"/proc/{pid}/task/{task}/children", encoding="ascii") as f:
                for child in f.read().split():
                    found.append(int(child))
                    found.extend(_children(int(child)))
        except OSError:
            continue
    return found


def _is_worker(pid: int) -> bool:
    """A child process that analyses (not multiprocessing's resource tracker)."""
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return b"resource_tracker" not in f.read()
    except OSError:
        return False


class WorkerPeaks:
    """Every descendant process's peak resident memory (``VmHWM``), read once a second in a thread."""

    def __init__(self) -> None:
        self.peaks: dict[int, int] = {}  # pid -> kB
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def __enter__(self) -> WorkerPeaks:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _loop(self) -> None:
        while not self._stop.wait(SAMPLE_SECONDS):
            for pid in _children(os.getpid()):
                if pid in self.peaks or _is_worker(pid):
                    self.peaks[pid] = max(self.peaks.get(pid, 0), _status_kb(pid, "VmHWM"))


def one_run(engine: str, n: int, trace: bool) -> dict:
    """One ``tacitus process`` run with 2 workers in this process; the figures as a dict."""
    from tacitus import jobs

    folder = Path(tempfile.mkdtemp(prefix="tacitus-memory-"))
    corpus = folder / "corpus.jsonl"
    n = write_corpus(n, corpus)
    db = folder / "memory.db"
    load = os.getloadavg()[0]
    stored = [0]
    marks = {round(n * q): f"rss_{int(q * 100)}_mb" for q in (0.25, 0.5, 0.75)}
    rss: dict[str, float] = {}
    snapshot: list = []
    if trace:
        import tracemalloc

        tracemalloc.start(8)

    def progress(k: int) -> None:
        stored[0] += k
        if stored[0] in marks:
            rss[marks[stored[0]]] = round(_status_kb(os.getpid(), "VmRSS") / 1024, 1)
        if trace and len(snapshot) < len(TRACE_AT) and stored[0] >= TRACE_AT[len(snapshot)] * n:
            import tracemalloc

            snapshot.append(tracemalloc.take_snapshot())

    cpu0 = _cpu()
    start = time.perf_counter()
    with WorkerPeaks() as workers:
        report = jobs.process([corpus], db, n_process=2, engine=engine, progress=progress)
    wall = time.perf_counter() - start
    rss["rss_end_mb"] = round(_status_kb(os.getpid(), "VmRSS") / 1024, 1)
    client_cpu = _cpu() - cpu0
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    peaks = sorted(kb / 1024 for kb in workers.peaks.values() if kb)
    if len(snapshot) == len(TRACE_AT):
        _print_holders(*snapshot)
    return {
        "engine": engine,
        "articles": n,
        "traced": trace,
        "wall_s": round(wall, 1),
        "client_cpu_s": round(client_cpu, 1),
        "cpu_s": round(client_cpu + children.ru_utime + children.ru_stime, 1),
        "client_peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        **rss,
        "worker_peak_mb": [round(p, 1) for p in peaks],
        "largest_child_peak_mb": round(children.ru_maxrss / 1024, 1),
        "stored": report.stored,
        "duplicates": report.duplicates,
        "skipped": len(report.skipped),
        "load_before": round(load, 2),
        "load_after": round(os.getloadavg()[0], 2),
    }


def one_prepare(n: int) -> dict:
    """The client's work before analysis alone, in this process: the first ``n`` articles read, their
    boilerplate learned against a fresh store, each one's duplicates looked up and indexed (the preparer of
    ``tacitus process``, without workers or records). Seconds per thousand articles where a whole run takes
    minutes, so it can be run on the whole corpus for each version of the code."""
    from tacitus.batch import make_preparer
    from tacitus.runs import RunReport, in_languages, read_inputs
    from tacitus.store import open_store

    folder = Path(tempfile.mkdtemp(prefix="tacitus-memory-"))
    corpus = folder / "corpus.jsonl"
    n = write_corpus(n, corpus)
    report = RunReport()
    store = open_store(folder / "memory.db")
    rss_start = _status_kb(os.getpid(), "VmRSS") / 1024
    cpu0, start = _cpu(), time.perf_counter()
    items = 0
    with store:
        articles = read_inputs(
            [corpus], report, input_format="auto", published=None, title=True, stdin=None, encoding=None
        )
        preparer = make_preparer(dedup=True, learn=True, clean_text=False, store=store)
        for _ in preparer.run(in_languages(articles, report, None, False)):
            items += 1
    return {
        "engine": "preparer",
        "articles": n,
        "items": items,
        "wall_s": round(time.perf_counter() - start, 1),
        "client_cpu_s": round(_cpu() - cpu0, 1),
        "rss_start_mb": round(rss_start, 1),
        "client_peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "load_before": round(os.getloadavg()[0], 2),
    }


def _print_holders(early: object, late: object) -> None:
    """The allocation sites (with their callers) whose memory grew most between two snapshots, to stderr."""
    import tracemalloc

    drop = [tracemalloc.Filter(False, tracemalloc.__file__)]
    stats = late.filter_traces(drop).compare_to(early.filter_traces(drop), "traceback")  # type: ignore[attr-defined]
    grown = sum(s.size_diff for s in stats)
    print(
        f"tracemalloc: {grown / 2**20:+.1f} MB traced in the client between the two snapshots",
        file=sys.stderr,
    )
    for stat in stats[:TRACE_TOP]:
        print(f"{stat.size_diff / 2**20:+8.2f} MB {stat.count_diff:+9d} blocks", file=sys.stderr)
        for frame in list(stat.traceback)[-6:]:
            print(f"        {frame.filename.replace(str(ROOT) + '/', '')}:{frame.lineno}", file=sys.stderr)


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def run_fresh(engine: str, n: int, trace: bool) -> dict:
    """:func:`one_run` in a new Python process."""
    args = [sys.executable, __file__, "--one", engine, str(n)] + (["--trace"] if trace else [])
    done = subprocess.run(args, stdout=subprocess.PIPE, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"run {args[2:]} failed (its stderr is above)")
    return json.loads(done.stdout.strip().splitlines()[-1])


def write_report(runs: list[dict]) -> None:
    """``memory.md``: every run kept in ``memory.json``, grouped by label and engine."""
    lines = [
        "# Peak memory of `tacitus process` as the corpus grows (`make bench`)",
        "",
        "Generated by `benchmarks/memory.py` (raw runs in `memory.json`): `tacitus process -j 2` of the first N "
        "AllSides articles into a fresh SQLite file, each run in a new process, on a 2-core machine shared "
        "with other work (load average before each run shown). Client RSS is sampled at a quarter, half, "
        "three quarters of the articles stored and at the end; worker peaks are each worker process's VmHWM.",
        "",
        "| code | engine | articles | client peak MB | client RSS MB at 25/50/75/100% | worker peak MB "
        "| client CPU s | CPU s, all | wall s | stored / duplicates / skipped | load |",
        "|---|---|---:|---:|---|---|---:|---:|---:|---|---:|",
    ]
    whole = [r for r in runs if r["engine"] != "preparer"]
    for run in sorted(whole, key=lambda r: (r.get("label", ""), r["engine"], r["articles"])):
        curve = " / ".join(
            str(run.get(k, "-")) for k in ("rss_25_mb", "rss_50_mb", "rss_75_mb", "rss_end_mb")
        )
        stored = sum(v for k, v in run["stored"].items() if k != "duplicate")
        lines.append(
            f"| {run.get('label', '')} | {run['engine']} | {run['articles']:,} | {run['client_peak_mb']:.0f} | "
            f"{curve} | {', '.join(f'{p:.0f}' for p in run['worker_peak_mb'])} | {run['client_cpu_s']:.0f} | "
            f"{run['cpu_s']:.0f} | {run['wall_s']:.0f} | {stored} / {run['duplicates']} / {run['skipped']} "
            f"| {run['load_before']} |"
        )
    lines += [
        "",
        "The client's work before analysis alone (`--engine preparer`: reading, learned boilerplate against a "
        "fresh store, each article's duplicate lookup; no workers, no records), each run in a new process:",
        "",
        "| code | articles | RSS MB after imports | peak MB | CPU s | wall s | load |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    alone = [r for r in runs if r["engine"] == "preparer"]
    for run in sorted(alone, key=lambda r: (r.get("label", ""), r["articles"])):
        lines.append(
            f"| {run.get('label', '')} | {run['articles']:,} | {run['rss_start_mb']:.0f} | "
            f"{run['client_peak_mb']:.0f} | {run['client_cpu_s']:.1f} | {run['wall_s']:.0f} | {run['load_before']} |"
        )
    notes = REPORT.read_text(encoding="utf-8").split("<!-- notes -->", 1) if REPORT.exists() else []
    text = "\n".join(lines) + "\n"
    if len(notes) == 2:  # hand-written findings below the table survive a rerun
        text += "\n<!-- notes -->" + notes[1]
    REPORT.write_text(text, encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--one", nargs=2, metavar=("ENGINE", "N"), help=argparse.SUPPRESS)
    parser.add_argument("--trace", action="store_true", help="print the client's largest holders (slower)")
    parser.add_argument(
        "--engine",
        choices=("local", "dask", "preparer"),
        default="local",
        help="preparer: the client's reading, boilerplate and duplicates alone, no analysis (fast)",
    )
    parser.add_argument(
        "--sizes", default=",".join(map(str, SIZES)), help="articles per run, comma-separated"
    )
    parser.add_argument("--label", default="", help="names the code measured (e.g. before, after)")
    args = parser.parse_args()
    if args.one:
        engine, n = args.one[0], int(args.one[1])
        result = one_prepare(n) if engine == "preparer" else one_run(engine, n, args.trace)
        print(json.dumps(result), flush=True)
        return 0
    for n in (int(s) for s in args.sizes.split(",")):
        result = {"label": args.label, **run_fresh(args.engine, n, args.trace)}
        print(json.dumps(result), file=sys.stderr, flush=True)
        if args.trace:
            continue  # a traced client is slower and larger: not a figure to report
        # read when writing: another invocation (another label or engine) may have written meanwhile
        runs = json.loads(RESULTS.read_text(encoding="utf-8")) if RESULTS.exists() else []
        runs = [
            r for r in runs if (r.get("label"), r["engine"], r["articles"]) != (args.label, args.engine, n)
        ]
        runs.append(result)
        RESULTS.write_text(json.dumps(runs, indent=1) + "\n", encoding="utf-8")
        write_report(runs)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

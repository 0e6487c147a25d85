"""Streaming a web crawl (``make bench``): records/s, pages/s and peak memory of ``read_articles`` on a WARC.

It writes a synthetic crawl with warcio's writer into a temporary folder, the way a browser crawl looks:
for each page visited, a request record, the HTML response, ``--images`` image responses (incompressible
bytes, as JPEGs are), and now and then a redirect and a revisit. The HTML pages are the real news pages of
the Scrapinghub benchmark in ../shared (each under a new URL) when present, else generated pages of the
same shape. Then it reads the crawl with :func:`tacitus.ingest.read_articles`, in a fresh process for each
size so that each peak resident memory is that run's own, and prints records/s, pages/s and peak RSS: the
same peak at two sizes shows that memory does not grow with the crawl.

HTML extraction alone, pages per CPU second, is measured by ``run.py``.

Default: 50 MB and 200 MB. A 1 GB crawl: ``python benchmarks/warc_stream.py --sizes 200,1000`` (about 1 GB
of disk in the temporary folder, removed afterwards; ``TACITUS_BENCH_WARC_MB=1000`` sets the largest size).
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REAL_PAGES = ROOT.parent / "shared" / "eval" / "ingest" / "scrapinghub" / "html"
CRAWLED = "2024-03-01T12:00:00Z"
WORDS = (
    "minister", "government", "talks", "sanctions", "officials", "said", "president", "parliament", "election",
    "security", "council", "agreement", "ceasefire", "border", "troops", "negotiations", "foreign", "ministry",
    "spokesman", "statement", "capital", "protest", "opposition", "leader", "economy", "trade", "deal",
    "summit", "delegation", "envoy", "treaty", "vote", "reform", "court", "ruling", "police",
)  # fmt: skip


def _synthetic_page(n: int, rng: random.Random) -> bytes:
    """A news page of realistic shape: head with scripts and styles, navigation, the article, a footer."""

    def sentence() -> str:
        words = [rng.choice(WORDS) for _ in range(rng.randint(12, 28))]
        return " ".join(words).capitalize() + "."

    nav = "".join(f'<li><a href="/section/{i}">Section {i}</a></li>' for i in range(60))
    body = "".join(f"<p>{' '.join(sentence() for _ in range(rng.randint(2, 5)))}</p>" for _ in range(12))
    related = "".join(f'<li><a href="/story/{n + i}">{sentence()}</a></li>' for i in range(10))
    script = "var d=" + json.dumps({f"k{i}": rng.random() for i in range(400)}) + ";"
    return (
        f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Story {n}</title>"
        f"<style>{'.c{margin:0;padding:0}' * 300}</style><script>{script}</script></head><body>"
        f"<header><ul>{nav}</ul></header><main><article><h1>Story {n}</h1>{body}</article>"
        f"<aside><ul>{related}</ul></aside></main><footer>Copyright Example News</footer></body></html>"
    ).encode()


def _pages() -> tuple[list[bytes], str]:
    if REAL_PAGES.is_dir():
        pages = [gzip.decompress(p.read_bytes()) for p in sorted(REAL_PAGES.glob("*.html.gz"))]
        if pages:
            return pages, f"the {len(pages)} real pages of {REAL_PAGES.parent.name}"
    rng = random.Random(7)
    return [_synthetic_page(n, rng) for n in range(100)], "100 generated news pages"


def write_crawl(path: Path, size_mb: float, images: int, pages: list[bytes]) -> dict:
    """Write a gzipped WARC of about ``size_mb`` MB; return what it holds."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    rng = random.Random(size_mb)
    counts = {"records": 0, "pages": 0}
    target = size_mb * 2**20
    with open(path, "wb") as handle:
        writer = WARCWriter(handle, gzip=True)

        def write(url: str, kind: str, payload: bytes, http: StatusAndHeaders | None, **extra) -> None:
            record = writer.create_warc_record(
                url,
                kind,
                payload=io.BytesIO(payload),
                http_headers=http,
                warc_headers_dict={"WARC-Date": CRAWLED},
            )
            writer.write_record(record)
            counts["records"] += 1

        n = 0
        while handle.tell() < target:
            n += 1
            url = f"https://news.example.com/{n}/story.html"
            get = StatusAndHeaders("GET / HTTP/1.1", [("Host", "news.example.com")], is_http_request=True)
            write(url, "request", b"", get)
            html = [("Content-Type", "text/html; charset=utf-8")]
            write(
                url, "response", pages[n % len(pages)], StatusAndHeaders("200 OK", html, protocol="HTTP/1.1")
            )
            counts["pages"] += 1
            for i in range(images):
                jpeg = [("Content-Type", "image/jpeg")]
                blob = os.urandom(rng.randint(40_000, 160_000))
                write(
                    f"{url}.{i}.jpg", "response", blob, StatusAndHeaders("200 OK", jpeg, protocol="HTTP/1.1")
                )
            if n % 10 == 0:
                moved = [("Location", url), ("Content-Type", "text/html")]
                write(
                    f"{url}?ref=home",
                    "response",
                    b"",
                    StatusAndHeaders("301 Moved", moved, protocol="HTTP/1.1"),
                )
    counts["bytes"] = path.stat().st_size
    return counts


def _rss_mb() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def read_crawl(path: Path) -> dict:
    """Read the crawl in this process: what came out, how long it took, and memory."""
    import trafilatura  # noqa: F401 - loaded before the baseline, so memory growth is the reading's own

    from tacitus.ingest import IngestReport, read_articles

    before = _rss_mb()
    report = IngestReport()
    start, cpu = time.perf_counter(), time.process_time()
    articles = sum(1 for _ in read_articles([path], report=report))
    took, cpu = time.perf_counter() - start, time.process_time() - cpu
    return {
        "articles": articles,
        "passed_over": sum(report.passed_over.values()),
        "skipped": len(report.skipped),
        "seconds": took,
        "cpu_seconds": cpu,
        "rss_before_mb": before,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    largest = float(os.environ.get("TACITUS_BENCH_WARC_MB", "200"))
    parser.add_argument(
        "--sizes",
        default=f"{largest / 4:g},{largest:g}",
        help="crawl sizes in MB, comma-separated (default 50,200)",
    )
    parser.add_argument(
        "--images", type=int, default=2, help="image responses per page (0: an HTML-only crawl)"
    )
    parser.add_argument("--tmp", default=None, help="folder for the crawl files (default: the system's temp)")
    parser.add_argument("--read", default=None, help=argparse.SUPPRESS)  # the child process's job
    args = parser.parse_args()
    if args.read:
        print(json.dumps(read_crawl(Path(args.read))))
        return 0

    pages, label = _pages()
    print(
        f"crawl: a request, the HTML page, {args.images} image(s) per page, a redirect every 10; pages: {label}"
    )
    with tempfile.TemporaryDirectory(dir=args.tmp) as folder:
        for size in (float(s) for s in args.sizes.split(",")):
            path = Path(folder, f"crawl-{size:g}mb.warc.gz")
            start = time.perf_counter()
            made = write_crawl(path, size, args.images, pages)
            wrote = time.perf_counter() - start
            child = subprocess.run(
                [sys.executable, __file__, "--read", str(path)], capture_output=True, text=True, check=True
            )
            got = json.loads(child.stdout.strip().splitlines()[-1])
            path.unlink()
            secs = got["seconds"]
            print(
                f"{made['bytes'] / 2**20:,.0f} MB, {made['records']:,} records, {made['pages']:,} pages "
                f"(written in {wrote:.0f} s): read in {secs:.1f} s, {made['records'] / secs:,.0f} records/s, "
                f"{got['articles'] / secs:.1f} pages/s ({got['articles'] / got['cpu_seconds']:.1f} per CPU second), "
                f"{made['bytes'] / 2**20 / secs:.1f} MB/s; "
                f"{got['articles']:,} articles, {got['passed_over']:,} passed over, {got['skipped']} skipped; "
                f"RSS {got['rss_before_mb']:.0f} MB before reading, peak {got['peak_rss_mb']:.0f} MB"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())

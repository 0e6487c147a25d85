"""How often Tacitus's HTML metadata matches Mozilla Readability's expected metadata (a measuring script).

For every page of ``../shared/eval/ingest/mozilla-readability/test/test-pages`` it reads ``source.html`` with
:func:`tacitus.ingest.parse_html` and compares with ``expected-metadata.json``, counting only pages where the
gold field is present: title (the same text once white space is collapsed, as Readability's own test
compares it; ``title.dev`` and ``title.test`` on the halves of ``tacitus eval ingest``), date (the
same day as ``publishedTime``), byline (the same set of words as the authors, "By"/"and" aside), site name,
declared language (primary subtag) and description (``excerpt``). The gold is Readability's own output,
so some of it is noise ("by Lucas Nolan22 Dec 2016651"): those cases are listed, not excused.

    .venv/bin/python benchmarks/ingest_metadata.py [--show title,date,byline]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAGES = ROOT.parent / "shared" / "eval" / "ingest" / "mozilla-readability" / "test" / "test-pages"
_FILLER = {"by", "par", "and", "avec", "et", "von", "und", "written", "edited", "por", "y"}


def norm(text: str | None) -> str:
    text = (text or "").casefold()
    for a, b in (("’", "'"), ("‘", "'"), ("“", '"'), ("”", '"'), ("–", "-"), ("—", "-"), ("\xa0", " ")):
        text = text.replace(a, b)
    return " ".join(text.split())


def same_title_but_site(gold: str, ours: str | None) -> bool:
    """The gold is our title plus one more segment after (or before) a separator: "Headline | eHow"."""
    g, o = norm(gold), norm(ours)
    if not o or g == o:
        return g == o
    rest = g[len(o) :] if g.startswith(o) else g[: -len(o)] if g.endswith(o) else None
    return (
        rest is not None
        and re.fullmatch(r"\s*[|\-·:»«/\[(_]\s*.{1,60}|.{1,60}\s*[|\-·:»«/_]\s*", rest) is not None
    )


def same_text(gold: str, ours: str | None) -> bool:
    return " ".join(gold.split()) == " ".join((ours or "").split())


def words(text: str | None) -> set[str]:
    return {w for w in re.findall(r"\w+", norm(text)) if w not in _FILLER}


def main() -> int:
    from tacitus.evaluate.ingest import half
    from tacitus.ingest import parse_html

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--show", default="", help="comma-separated fields whose misses to print")
    args = parser.parse_args()
    show = set(filter(None, args.show.split(",")))
    if not PAGES.is_dir():
        print(f"{PAGES}: missing; this script needs ../shared", file=sys.stderr)
        return 2
    scores: dict[str, list[int]] = {}
    started = time.perf_counter()
    pages = sorted(p for p in PAGES.iterdir() if (p / "expected-metadata.json").exists())
    for page in pages:
        gold = json.loads((page / "expected-metadata.json").read_text(encoding="utf-8"))
        article = parse_html((page / "source.html").read_bytes(), origin=page.name)
        checks = {
            "title": (gold.get("title"), article.title, same_text),
            f"title.{half(page.name)}": (gold.get("title"), article.title, same_text),
            "title~site": (gold.get("title"), article.title, same_title_but_site),
            "date": (gold.get("publishedTime"), article.published, lambda g, o: g[:10] == (o or "")),
            "byline": (gold.get("byline"), ", ".join(article.authors), lambda g, o: words(g) == words(o)),
            # every word we give is in the gold byline, which may add a date or a role ("By X March 25")
            "byline~": (
                gold.get("byline"),
                ", ".join(article.authors),
                lambda g, o: words(o) and words(o) <= words(g),
            ),
            "site_name": (gold.get("siteName"), article.site_name, lambda g, o: norm(g) == norm(o)),
            "language": (
                gold.get("lang"),
                article.language,
                lambda g, o: g.split("-")[0].lower() == (o or ""),
            ),
            "description": (gold.get("excerpt"), article.description, lambda g, o: norm(g) == norm(o)),
            # where the page declares a summary at all (Readability's gold falls back to the first paragraph)
            "descr.given": (
                gold.get("excerpt") if article.description else None,
                article.description,
                lambda g, o: norm(g) == norm(o),
            ),
        }
        for name, (want, got, same) in checks.items():
            if not want:
                continue
            ok = bool(same(want, got))
            scores.setdefault(name, []).append(ok)
            if not ok and name in show:
                print(f"{name:11} {page.name:30} gold={' '.join(want.split())[:60]!r} got={got!r}"[:200])
    seconds = time.perf_counter() - started
    print(f"\n{len(pages)} pages in {seconds:.1f} s ({len(pages) / seconds:.1f} pages/s)")
    for name, results in scores.items():
        print(f"{name:12} {sum(results):3d}/{len(results):3d} = {sum(results) / len(results):.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

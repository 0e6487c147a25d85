"""Score Tacitus's HTML extraction: the Scrapinghub article-body benchmark and Mozilla Readability's test pages.

Tacitus's side is the real ingest path: every page is read from its file by
:func:`tacitus.ingest.read_articles`, exactly as ``tacitus process page.html.gz`` reads it (gzip by magic
bytes, the page's own charset, trafilatura, the boilerplate rules). A page it skips counts as an empty body.

**Scrapinghub** (``ingest/scrapinghub``: ``html/<id>.html.gz``, ``ground-truth.json``, ``output/<tool>.json``)
is scored with the benchmark's own measure, so that its published figures can be compared with ours:

- a text is cut into word tokens (``\\w+``, case kept) and into *shingles*, the runs of 4 consecutive tokens
  (a text of fewer than 4 tokens is one shingle of all of them);
- on one page, true positives are the shingles found in both texts (counted as a multiset), false positives
  the predicted ones beyond the truth, false negatives the true ones not predicted; the three are divided by
  their sum so that a long article weighs no more than a short one;
- ``precision`` is the mean of the pages' precisions (pages where something was predicted), ``recall`` the
  mean of their recalls (pages with a true body), and ``f1`` the harmonic mean of these two means, not a
  mean of per-page F1s; ``accuracy`` is the share of pages whose token lists are equal;
- ``*_std`` is the standard deviation of the measure over 1,000 bootstrap resamples of the pages (a fixed
  seed, so two runs print the same figures).

``f1_words`` is the same average over single tokens (plain bag of words), for Tacitus only. Every tool's
output in ``output/`` is scored the same way and ranked beside Tacitus. The pages are split in
two fixed halves by the first byte of the SHA-1 of the page id (even: ``dev``, odd: ``test``): extraction was
tuned looking at the dev half only, and the test half is the figure to quote (``test_f1``).

**Mozilla Readability** (``ingest/mozilla-readability/test/test-pages/<case>/``: ``source.html``,
``expected.html``, ``expected-metadata.json``) is scored where gold exists, with these match rules:

- ``title_accuracy``: the titles are the same text once runs of white space are one space and the ends
  trimmed, which is how Readability's own test compares them (``expect(expectedMetadata.title)
  .eql(result.title)``, its titles having their white space collapsed): a curly quote for a straight one,
  another dash or a different case is a miss; ``dev_title_accuracy`` and ``test_title_accuracy`` are the
  same on the two halves of the cases (:func:`half` of the case's folder name: title choice was tuned on
  the dev half); ``title_relaxed_accuracy`` accepts titles equal after normalisation (Unicode NFKC, case
  folded, only the word tokens kept) or one containing the other at word boundaries (a title with or
  without the site's name);
- ``byline_accuracy``: the normalised byline equals the normalised authors joined, a leading "by" and
  the word "and" ignored; an article without authors is a miss; ``byline_relaxed_accuracy`` also accepts
  one containing the other at word boundaries (Readability's gold bylines often carry a date or a role);
- ``date_accuracy``: the day of ``publishedTime`` (its first ten characters) equals the record's
  ``published``; ``date_found`` is the share of those cases with any date;
- ``site_name_accuracy``: the normalised ``siteName`` equals the record's ``source``;
- ``body_f1`` etc.: the Scrapinghub measure above against the text of ``expected.html`` (block elements
  separated by line breaks); ``body_f1_words`` is plain bag-of-words F1 (single tokens), averaged the same
  way.
"""

from __future__ import annotations

import hashlib
import json
import re
import statistics
import time
import unicodedata
import warnings
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

from tacitus.errors import NoInputs
from tacitus.evaluate import EvalResult
from tacitus.model import Article

SHINGLE = 4
BOOTSTRAP = 1000
_TOKEN = re.compile(r"\w+")
# Elements that start a new line when a page's HTML is turned into text: without a break, the last word of
# one paragraph and the first of the next would be read as one token.
_BLOCKS = frozenset(
    (
        "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption", "figure",
        "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre",
        "section", "table", "td", "th", "tr", "ul",
    )
)  # fmt: skip

Counts = tuple[float, float, float]


def tokenize(text: str | None) -> list[str]:
    """The benchmark's tokens: maximal runs of word characters (``\\w+``), case kept, in order."""
    return _TOKEN.findall(text or "")


def shingles(text: str | None, n: int = SHINGLE) -> Counter[tuple[str, ...]]:
    """The multiset of runs of ``n`` consecutive tokens; a text shorter than ``n`` tokens is one run."""
    tokens = tokenize(text)
    if len(tokens) <= n:
        return Counter([tuple(tokens)] if tokens else [])
    # the shorter slices end the zip: len(tokens) - n + 1 runs
    return Counter(zip(*(tokens[i:] for i in range(n)), strict=False))


def match_counts(true: str | None, pred: str | None, n: int = SHINGLE) -> Counts:
    """True positive, false positive and false negative shingles of one page, divided by their sum.

    Dividing by the sum is what makes every page weigh the same in the averages; a page where both texts
    are empty gives ``(0, 0, 0)``.
    """
    gold, got = shingles(true, n), shingles(pred, n)
    tp = float(sum((gold & got).values()))
    fp = sum(got.values()) - tp
    fn = sum(gold.values()) - tp
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def _precision(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return tp / (tp + fp) if tp + fp else 0.0


def _recall(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return tp / (tp + fn) if tp + fn else 0.0


def _page_scores(counts: Sequence[Counts]) -> tuple[list[float | None], list[float | None]]:
    # a page counts towards precision only when something was predicted, towards recall only when there
    # was something to find (the benchmark's rule)
    precisions = [_precision(*c) if c[0] + c[1] > 0 else None for c in counts]
    recalls = [_recall(*c) if c[0] + c[2] > 0 else None for c in counts]
    return precisions, recalls


def _mean(values: Iterable[float | None]) -> float:
    kept = [v for v in values if v is not None]
    return statistics.fmean(kept) if kept else 0.0


def _prf(p: float, r: float) -> dict[str, float]:
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def aggregate(counts: Sequence[Counts]) -> dict[str, float]:
    """Precision, recall and F1 over pages, averaged as the benchmark does (see the module docstring)."""
    precisions, recalls = _page_scores(counts)
    return _prf(_mean(precisions), _mean(recalls))


def body_scores(
    pairs: Sequence[tuple[str | None, str | None]], *, bootstrap: int = BOOTSTRAP, seed: int = 0
) -> dict[str, float]:
    """The benchmark's measures over (true, predicted) body pairs: precision, recall, F1, accuracy, stds.

    The standard deviations come from ``bootstrap`` resamples of the pages drawn with ``seed``; with
    ``bootstrap=0`` they are left out.
    """
    counts = [match_counts(t, p) for t, p in pairs]
    exact = [float(tokenize(t) == tokenize(p)) for t, p in pairs]
    return scores_of(counts, exact, bootstrap=bootstrap, seed=seed)


def scores_of(
    counts: Sequence[Counts], exact: Sequence[float], *, bootstrap: int = BOOTSTRAP, seed: int = 0
) -> dict[str, float]:
    """:func:`body_scores` from pages already matched: their :func:`match_counts` and exact-match flags."""
    import numpy as np

    precisions, recalls = _page_scores(counts)
    scores = _prf(_mean(precisions), _mean(recalls))
    scores["accuracy"] = _mean(exact)
    if bootstrap and len(counts) > 1:
        # the benchmark resamples pages with replacement; a page without a precision (nothing predicted)
        # or recall (no truth) is left out of that mean, as in the full figure
        rng = np.random.default_rng(seed)
        picks = rng.integers(0, len(counts), size=(bootstrap, len(counts)))
        columns = {"precision": precisions, "recall": recalls, "accuracy": list(exact)}
        means = {}
        for key, values in columns.items():
            arr = np.array([np.nan if v is None else v for v in values])[picks]
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)  # a resample with no page to average: 0
                means[key] = np.nan_to_num(np.nanmean(arr, axis=1))
        p, r = means["precision"], means["recall"]
        with np.errstate(invalid="ignore", divide="ignore"):
            means["f1"] = np.nan_to_num(2 * p * r / (p + r))
        scores.update({f"{key}_std": float(np.std(values, ddof=1)) for key, values in means.items()})
    return scores


def half(page_id: str) -> str:
    """The fixed half a page belongs to: ``dev`` when the first byte of SHA-1(id) is even, else ``test``."""
    return "dev" if hashlib.sha1(page_id.encode("utf-8")).digest()[0] % 2 == 0 else "test"


def read_page(path: Path) -> Article | None:
    """Read one page file as a user's file is read (:func:`read_articles`); ``None`` when it is skipped."""
    from tacitus.ingest import IngestReport, read_articles

    report = IngestReport()
    return next(iter(read_articles([path], report=report)), None)


def _load_json(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise NoInputs(f"{path}: cannot read ({exc}); pass --data the folder holding ingest/") from exc
    return data.get("output", data) if isinstance(data, dict) else {}


def _f1_row(name: str, scores: dict[str, float], test: dict[str, float]) -> str:
    return (
        f"{name:<22} {scores['f1']:.3f} ± {scores.get('f1_std', 0.0):.3f}  {scores['precision']:.3f}  "
        f"{scores['recall']:.3f}  {scores['accuracy']:.3f}  {test['f1']:.3f}"
    )


def evaluate_scrapinghub(folder: str | Path, *, limit: int | None = None) -> EvalResult:
    """Score Tacitus and every tool in ``output/`` on the Scrapinghub benchmark (module docstring).

    ``limit`` scores only the first N pages in id order (the tools on the same pages). Metrics are
    Tacitus's on all pages, then ``dev_*`` and ``test_*`` on each half, ``pages_per_s`` (reading and
    extraction together, one process) and ``best_tool_f1``; the notes hold the ranked table.
    """
    root = Path(folder)
    truth_file = root / "ground-truth.json"
    if not truth_file.exists():
        raise NoInputs(f"{truth_file}: missing; pass --data the folder holding ingest/scrapinghub")
    truth = {k: (v.get("articleBody") or "") for k, v in _load_json(truth_file).items()}
    ids = sorted(truth)[:limit] if limit else sorted(truth)
    predicted: dict[str, str] = {}
    skipped = 0
    start = time.perf_counter()
    for page_id in ids:
        article = read_page(root / "html" / f"{page_id}.html.gz")
        skipped += article is None
        predicted[page_id] = article.text if article is not None else ""
    took = time.perf_counter() - start

    halves = {h: [k for k in ids if half(k) == h] for h in ("dev", "test")}
    test_rows = [i for i, k in enumerate(ids) if half(k) == "test"]

    def score(pred: dict[str, str]) -> tuple[dict[str, float], dict[str, float]]:
        # each page is matched once; the test half's figure reuses those matches
        counts = [match_counts(truth[k], pred.get(k, "")) for k in ids]
        exact = [float(tokenize(truth[k]) == tokenize(pred.get(k, ""))) for k in ids]
        test = scores_of([counts[i] for i in test_rows], [exact[i] for i in test_rows], bootstrap=0)
        return scores_of(counts, exact), test

    ours, ours_test = score(predicted)
    metrics = dict(ours)
    for name, keys in halves.items():
        part = body_scores([(truth[k], predicted[k]) for k in keys], bootstrap=0)
        metrics.update({f"{name}_{k}": v for k, v in part.items()})
    metrics["pages_per_s"] = len(ids) / took if took else 0.0
    metrics["f1_words"] = aggregate([match_counts(truth[k], predicted[k], n=1) for k in ids])["f1"]
    rows: list[tuple[float, str]] = [(ours["f1"], _f1_row("Tacitus", ours, ours_test))]
    for path in sorted((root / "output").glob("*.json")):
        tool = {k: (v.get("articleBody") or "") for k, v in _load_json(path).items()}
        scores, test = score(tool)
        rows.append((scores["f1"], _f1_row(path.stem, scores, test)))
        metrics["best_tool_f1"] = max(metrics.get("best_tool_f1", 0.0), scores["f1"])
    rows.sort(key=lambda r: -r[0])
    header = f"{'tool':<22} {'F1':<13}  {'prec':<5}  {'rec':<5}  {'acc':<5}  test-half F1"
    notes = [
        f"ranked by F1 on all {len(ids)} pages (the benchmark's shingle measure):",
        header,
        *(row for _, row in rows),
        f"halves by SHA-1 of the page id: {len(halves['dev'])} dev (tuned on), {len(halves['test'])} test "
        "(held out: quote test_f1)",
    ]
    counts = {"pages": len(ids), "skipped": skipped, "tools": len(rows) - 1}
    return EvalResult("ingest.scrapinghub", "ingest/scrapinghub", len(ids), metrics, counts, notes)


def html_text(markup: str) -> str:
    """The text of an HTML fragment, a line break around every block element (``p``, ``li``, ``h2``...)."""
    import lxml.html

    if not markup.strip():
        return ""
    root = lxml.html.fragment_fromstring(markup, create_parent="div")
    parts: list[str] = []

    def walk(el) -> None:  # noqa: ANN001 (an lxml element)
        block = isinstance(el.tag, str) and el.tag.lower() in _BLOCKS
        if block:
            parts.append("\n")
        if isinstance(el.tag, str) and el.text:
            parts.append(el.text)
        for child in el:
            walk(child)
            if child.tail:
                parts.append(child.tail)
        if block:
            parts.append("\n")

    walk(root)
    return re.sub(r"[ \t]*\n\s*", "\n", "".join(parts)).strip()


def normalise(text: str | None) -> str:
    """Text for comparing titles, bylines and site names: NFKC, case folded, word tokens joined by spaces."""
    return " ".join(tokenize(unicodedata.normalize("NFKC", text or "").casefold()))


def _spaced(text: str | None) -> str:
    return " ".join((text or "").split())


def _byline(text: str | None) -> str:
    words = normalise(text).split()
    if words[:1] == ["by"]:
        words = words[1:]
    return " ".join(w for w in words if w != "and")


def _authors(article: Article) -> str:
    # authors arrive with the HTML metadata work (a field or meta["authors"]); either is read here
    found = getattr(article, "authors", None) or article.meta.get("authors") or []
    return " ".join(found) if isinstance(found, list | tuple) else str(found)


def _contains(a: str, b: str) -> bool:
    return bool(a and b) and (f" {a} " in f" {b} " or f" {b} " in f" {a} ")


def evaluate_readability(folder: str | Path, *, limit: int | None = None) -> EvalResult:
    """Score title, byline, date, site name and body on Mozilla Readability's test pages (module docstring).

    ``folder`` is ``ingest/mozilla-readability``; cases are read in name order, ``limit`` keeps the first N.
    Each accuracy is over the cases whose gold field is set, and its count says how many that was.
    """
    root = Path(folder)
    pages = root / "test" / "test-pages"
    if not pages.is_dir():
        raise NoInputs(f"{pages}: missing; pass --data the folder holding ingest/mozilla-readability")
    cases = sorted(p for p in pages.iterdir() if (p / "source.html").exists())
    cases = cases[:limit] if limit else cases
    hits: dict[str, list[float]] = {
        k: []
        for k in ("title", "dev_title", "test_title", "title_relaxed", "byline", "byline_relaxed", "date",
                  "site_name")
    }  # fmt: skip
    found_date: list[float] = []
    bodies: list[tuple[str, str]] = []
    skipped = 0
    for case in cases:
        try:
            gold = json.loads((case / "expected-metadata.json").read_text(encoding="utf-8"))
            expected = html_text((case / "expected.html").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            gold, expected = {}, None
        article = read_page(case / "source.html")
        skipped += article is None
        article = article or Article(text="")
        if expected is not None:
            bodies.append((expected, article.text))
        if gold.get("title"):
            exact = float(_spaced(gold["title"]) == _spaced(article.title))
            hits["title"].append(exact)
            hits[f"{half(case.name)}_title"].append(exact)
            want, got = normalise(gold["title"]), normalise(article.title)
            hits["title_relaxed"].append(float(want == got or _contains(want, got)))
        if gold.get("byline"):
            want, got = _byline(gold["byline"]), _byline(_authors(article))
            hits["byline"].append(float(want == got))
            hits["byline_relaxed"].append(float(want == got or _contains(want, got)))
        if gold.get("publishedTime"):
            hits["date"].append(float(str(gold["publishedTime"])[:10] == (article.published or "")[:10]))
            found_date.append(float(bool(article.published)))
        if gold.get("siteName"):
            hits["site_name"].append(float(normalise(gold["siteName"]) == normalise(article.source)))
    metrics = {f"{k}_accuracy": statistics.fmean(v) for k, v in hits.items() if v}
    if found_date:
        metrics["date_found"] = statistics.fmean(found_date)
    body = body_scores(bodies, bootstrap=0)
    metrics.update({f"body_{k}": v for k, v in body.items()})
    metrics["body_f1_words"] = aggregate([match_counts(t, p, n=1) for t, p in bodies])["f1"]
    counts = {f"gold_{k}": len(v) for k, v in hits.items() if not k.endswith("_relaxed")}
    counts.update({"cases": len(cases), "skipped": skipped})
    notes = [
        "match rules: see tacitus.evaluate.ingest (normalised equality; relaxed title and byline: containment)"
    ]
    return EvalResult("ingest.readability", "ingest/mozilla-readability", len(cases), metrics, counts, notes)


def evaluate_ingest(data: str | Path, *, limit: int | None = None) -> list[EvalResult]:
    """Both ingest scorers on ``data/ingest`` (``scrapinghub`` then ``mozilla-readability``)."""
    root = Path(data) / "ingest"
    return [
        evaluate_scrapinghub(root / "scrapinghub", limit=limit),
        evaluate_readability(root / "mozilla-readability", limit=limit),
    ]

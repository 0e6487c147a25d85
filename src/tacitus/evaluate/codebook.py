"""Score Tacitus's CAMEO codes on the example sentences of the CAMEO codebook (``cameo-codes.csv``).

The file (andybega/icews, from the CAMEO 1.1b3 manual) has one row per CAMEO code: ``code`` (a 2-digit
root "01", a 3-digit base code "013" or a 4-digit code "0131"), its name, description, usage notes and,
for most codes, an ``example`` sentence. It is a measurement set only: nothing in Tacitus is tuned on it.
Each usable example is analysed on its own as an :class:`~tacitus.model.Article` without a date (the
examples come from news of 1979-2005 and give none), and the set of CAMEO codes of every event Tacitus
finds in it is compared with the row's code; mood and negation are ignored, as in the GSR scorer.

Reading. The file is latin-1 as stored, but its typographic quotes are UTF-8 that was once decoded as Mac
Roman and saved again as Windows-1252 ("Moscow‚Äôs"): every run of non-ASCII characters is re-encoded
back to the UTF-8 text when that round trip succeeds (:func:`repair_mojibake`), and left as read (and
counted) when it does not. Rows without a 2-4 digit code, without an example ("NA") or with a
placeholder ("NEED EXAMPLE.") are skipped and counted. The codebook writes coding commentary after the
example ("... Note: Two reciprocal events are coded with actors reversed."): everything from "Note:" on
is not part of the news text and is cut. Examples that still hold more than one sentence, or that stop
mid-sentence (cut off in the source), are kept and counted in the notes; so are examples that describe
an event abstractly ("Sudan's government is responsible for mass killings"), which no rule can single
out and none is hand-picked.

Metrics, over the scored examples *E* (the denominator is always *E*, found or not), with ``P`` the set
of codes Tacitus produced for an example and ``g`` its gold code:

- ``exact_accuracy``: ``g`` is in ``P``;
- ``base_accuracy``: a code of ``P`` has the same first three characters as ``g``. For a 2-digit root
  code this is exact match ("01" vs "010" differ); for a 3-digit code it also accepts its 4-digit
  refinements ("0131" for "013"); for a 4-digit code it accepts its base code and siblings;
- ``root_accuracy``: a code of ``P`` has ``g``'s 2-digit root;
- ``coverage``: ``P`` is not empty;
- ``exact_given_any`` and ``root_given_any``: exact and root matches over the examples with an event.

The notes list the most frequent confusions (gold root -> a predicted root of an example whose root was
missed) and the roots with the lowest root accuracy; ``counts`` has ``gold.RR``, ``root.RR`` and
``exact.RR`` per gold root.
"""

from __future__ import annotations

import csv
import io
import re
import time
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from tacitus.errors import UnreadableInput
from tacitus.evaluate import EvalResult
from tacitus.evaluate.events import analyse_articles

__all__ = [
    "CodebookExample",
    "code_matches",
    "evaluate_codebook",
    "load_codebook",
    "parse_codebook_rows",
    "repair_mojibake",
    "score_codebook",
]

_CODE = re.compile(r"^\d{2,4}$")
_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]+")
_NOTE = re.compile(r"\s*\bNote:\s", re.IGNORECASE)
_PLACEHOLDER = re.compile(r"^\W*need\s+example\W*$", re.IGNORECASE)
_NO_VALUE = {"", "NA", "N/A"}
# a sentence ends at . ! ? (and a closing quote), followed by a capitalised word that is not the next
# part of an abbreviation ("U.S. Army", "Gen. Colin Powell")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’]?\s+(?=[\"“‘]?[A-Z])")
_ABBREVIATION = re.compile(r"(?:\b[A-Z]|\b(?:Mr|Mrs|Ms|Dr|St|Gen|Lt|Col|Sgt|Gov|Sen|Rep|No|Jr|Sr|vs))\.$")
_FINAL = re.compile(r"[.!?][\"'”’)]?$")
_TOP_CONFUSIONS = 8
_LOWEST_ROOTS = 6


@dataclass(frozen=True)
class CodebookExample:
    """One scorable codebook row: its unique ``key`` (the code, suffixed when repeated), gold ``code``,
    ``root`` (first two digits), ``name`` and the example ``text`` as analysed; ``flags`` say what is
    odd about it ("note cut", "several sentences", "cut off")."""

    key: str
    code: str
    root: str
    name: str
    text: str
    flags: frozenset[str] = frozenset()


def repair_mojibake(text: str) -> tuple[str, int, int]:
    """Undo UTF-8 text decoded as Mac Roman and saved as Windows-1252 ("‚Äô" -> "’").

    Every run of non-ASCII characters is encoded as read (latin-1), decoded as Windows-1252, encoded as
    Mac Roman and decoded as UTF-8; a run for which any step fails is left as it was. Returns the text
    and the numbers of runs repaired and left.
    """
    repaired = left = 0

    def fix(match: re.Match[str]) -> str:
        nonlocal repaired, left
        run = match.group(0)
        try:
            fixed = run.encode("latin-1").decode("cp1252").encode("mac_roman").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            left += 1
            return run
        repaired += 1
        return fixed

    return _NON_ASCII_RUN.sub(fix, text), repaired, left


def _sentence_count(text: str) -> int:
    count, start = 1, 0
    for match in _SENTENCE_END.finditer(text):
        if not _ABBREVIATION.search(text[start : match.start()].rstrip("\"'”’")):
            count += 1
        start = match.end()
    return count


def parse_codebook_rows(rows: Iterable[Mapping[str, str | None]]) -> tuple[list[CodebookExample], list[str]]:
    """Turn codebook rows (``csv.DictReader`` dicts) into scorable examples, counting what is skipped.

    Text fields are expected already repaired (:func:`repair_mojibake`). See the module docs for what is
    skipped, cut and flagged; the notes say how many of each.
    """
    examples: list[CodebookExample] = []
    skipped: Counter[str] = Counter()
    flagged: Counter[str] = Counter()
    seen: Counter[str] = Counter()
    roots_disagree: list[str] = []
    for row in rows:
        code = (row.get("code") or "").strip()
        if not _CODE.match(code):
            skipped["no 2-4 digit CAMEO code"] += 1
            continue
        example = " ".join((row.get("example") or "").split())
        if example in _NO_VALUE:
            skipped["no example sentence (NA)"] += 1
            continue
        if _PLACEHOLDER.match(example):
            skipped["placeholder instead of an example ('NEED EXAMPLE.')"] += 1
            continue
        flags = set()
        parts = _NOTE.split(example, maxsplit=1)
        if len(parts) > 1:
            flags.add("note cut")
            example = parts[0].strip()
        if not example:
            skipped["nothing before 'Note:'"] += 1
            continue
        if _sentence_count(example) > 1:
            flags.add("several sentences")
        if not _FINAL.search(example):
            flags.add("cut off")
        flagged.update(flags)
        given_root = (row.get("root_code") or "").strip()
        if given_root and given_root != code[:2]:
            roots_disagree.append(f"{code} (root_code {given_root})")
        seen[code] += 1
        key = code if seen[code] == 1 else f"{code}#{seen[code]}"
        examples.append(
            CodebookExample(
                key=key,
                code=code,
                root=code[:2],
                name=(row.get("name") or "").strip(),
                text=example,
                flags=frozenset(flags),
            )
        )
    notes = [f"skipped {n} row(s): {why}" for why, n in sorted(skipped.items())]
    descriptions = {
        "note cut": "had coding commentary from 'Note:' on, cut before analysis",
        "several sentences": "hold more than one sentence (kept)",
        "cut off": "stop mid-sentence in the source (kept)",
    }
    notes.extend(f"{flagged[flag]} example(s) {text}" for flag, text in descriptions.items() if flagged[flag])
    notes.append(
        "examples that describe an event abstractly rather than report one are kept: no rule singles them "
        "out, and none is picked by hand"
    )
    repeated = sorted(code for code, n in seen.items() if n > 1)
    if repeated:
        notes.append(f"codes with more than one row, scored as CODE#2, ...: {', '.join(repeated)}")
    if roots_disagree:
        notes.append(f"root_code column disagrees with the code (the code wins): {', '.join(roots_disagree)}")
    return examples, notes


def load_codebook(path: Path) -> tuple[list[CodebookExample], list[str]]:
    """Read ``cameo-codes.csv`` (latin-1, typographic quotes repaired) into scorable examples and notes.

    Raises :class:`tacitus.errors.UnreadableInput` when the file cannot be read or has no ``code`` and
    ``example`` columns.
    """
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise UnreadableInput(f"{path}: cannot read the CAMEO codebook ({exc.strerror})") from None
    text, repaired, left = repair_mojibake(raw.decode("latin-1"))
    reader = csv.DictReader(io.StringIO(text, newline=""))
    missing = {"code", "example"} - set(reader.fieldnames or ())
    if missing:
        raise UnreadableInput(
            f"{path}: not the CAMEO codebook CSV (no {', '.join(sorted(missing))} column); expected the "
            "columns of andybega/icews cameo-codes.csv"
        )
    rows = list(reader)
    short = sum(1 for row in rows if None in row.values())
    examples, notes = parse_codebook_rows(rows)
    notes.insert(0, f"{len(rows)} rows read as latin-1")
    if repaired or left:
        notes.insert(
            1,
            f"typographic characters stored as Mac Roman mojibake: {repaired} repaired, {left} left as read",
        )
    if short:
        notes.append(f"{short} row(s) had fewer fields than the header (missing fields read as empty)")
    return examples, notes


def code_matches(gold: str, predicted: Iterable[str | None]) -> tuple[bool, bool, bool]:
    """(exact, base, root) match of a gold CAMEO code against a set of predicted codes.

    exact: the code is predicted; base: a predicted code has the gold code's first three characters
    (for a 2-digit gold code, exact match); root: a predicted code has its first two.
    """
    codes = {c for c in predicted if c}
    return gold in codes, any(c[:3] == gold[:3] for c in codes), any(c[:2] == gold[:2] for c in codes)


def score_codebook(
    examples: Sequence[CodebookExample], predicted: Mapping[str, Iterable[str | None]]
) -> tuple[dict[str, float], dict[str, int], list[str]]:
    """Compare the CAMEO codes predicted per example key with the examples' codes (module docs).

    Returns ``(metrics, counts, notes)``; an example missing from ``predicted`` has no codes.
    """
    c: Counter[str] = Counter(dict.fromkeys(("examples", "with_events", "exact", "base", "root"), 0))
    per_root: dict[str, Counter[str]] = {}
    confusions: Counter[tuple[str, str]] = Counter()
    for example in examples:
        codes = {code for code in predicted.get(example.key, ()) if code}
        exact, base, root = code_matches(example.code, codes)
        c["examples"] += 1
        c["with_events"] += bool(codes)
        c["exact"] += exact
        c["base"] += base
        c["root"] += root
        tally = per_root.setdefault(example.root, Counter())
        tally["gold"] += 1
        tally["root"] += root
        tally["exact"] += exact
        if codes and not root:
            for other in sorted({code[:2] for code in codes}):
                confusions[(example.root, other)] += 1
    metrics: dict[str, float] = {}
    if c["examples"]:
        for name in ("exact", "base", "root"):
            metrics[f"{name}_accuracy"] = c[name] / c["examples"]
        metrics["coverage"] = c["with_events"] / c["examples"]
    if c["with_events"]:
        metrics["exact_given_any"] = c["exact"] / c["with_events"]
        metrics["root_given_any"] = c["root"] / c["with_events"]
    counts = {key: int(value) for key, value in sorted(c.items())}
    for root in sorted(per_root):
        for what in ("gold", "root", "exact"):
            counts[f"{what}.{root}"] = per_root[root][what]
    notes = []
    if confusions:
        top = sorted(confusions.items(), key=lambda item: (-item[1], item[0]))[:_TOP_CONFUSIONS]
        notes.append(
            "most frequent confusions (gold root -> predicted root, examples whose root was missed): "
            + ", ".join(f"{g} -> {p} x{n}" for (g, p), n in top)
        )
    if per_root:
        lowest = sorted(per_root.items(), key=lambda item: (item[1]["root"] / item[1]["gold"], item[0]))
        notes.append(
            "lowest root accuracy (root: right/examples): "
            + ", ".join(f"{r} {t['root']}/{t['gold']}" for r, t in lowest[:_LOWEST_ROOTS])
        )
    if not c["with_events"] and c["examples"]:
        notes.append("not computed (no example had an event): exact_given_any, root_given_any")
    return metrics, counts, notes


def evaluate_codebook(
    data_file: Path, limit: int | None = None, n_process: int = 1, stride: int = 1
) -> EvalResult:
    """Analyse every usable example of ``cameo-codes.csv`` and score the CAMEO codes of its events.

    ``stride`` keeps every n-th example (the file is in code order, so a strided slice spans the roots),
    then ``limit`` the first N; ``n_process`` is passed to :func:`tacitus.pipeline.analyze_batch`. An
    example whose analysis fails is scored as having no event and named in the notes.
    """
    from tacitus.model import Article

    started = time.perf_counter()
    examples, notes = load_codebook(Path(data_file))
    if stride > 1:
        examples = examples[::stride]
        notes.append(f"every {stride}th scorable example")
    if limit is not None:
        examples = examples[: max(limit, 0)]
        notes.append(f"limited to the first {len(examples)} scorable examples")
    articles = [Article(text=e.text, id=e.key) for e in examples]
    records, failures = analyse_articles(articles, n_process=n_process)
    predicted = {key: [e.code for e in record.events] for key, record in records.items()}
    metrics, counts, score_notes = score_codebook(examples, predicted)
    counts["failed_examples"] = len(failures)
    if failures:
        notes.append(
            f"{len(failures)} example(s) failed analysis (scored as no event): " + "; ".join(failures)
        )
    notes.extend(score_notes)
    notes.append(f"run time {time.perf_counter() - started:.1f} s with n_process={n_process}")
    return EvalResult(
        name="events (CAMEO codebook)",
        dataset=f"cameo-codebook ({Path(data_file).name})",
        n_docs=len(examples),
        metrics=metrics,
        counts=counts,
        notes=notes,
    )

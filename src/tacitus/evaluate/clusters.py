"""Score event clustering across articles (:mod:`tacitus.store.clusters`) on labelled pairs and on BASIL.

Two measurements, both on articles analysed by the pipeline and written to a scratch store in publication
order, the clusters made as a ``tacitus process`` run makes them:

- **Pairs**: ``data/cluster_pairs.tsv`` holds pairs of event mentions from the AllSides corpus
  (``corpora/allsides-intl.jsonl.gz`` in the shared data), drawn by ``tools/cluster_pairs.py`` and labelled
  by reading the two sentences: ``same`` (one real-world occurrence), ``diff``, or ``unclear`` (left out).
  A pair is predicted ``same`` when its two mentions end in one cluster. Each mention is found again by
  its article and sentence offsets (the same code, else the same root, else the first event of that
  sentence); a pair whose sentence yields no event any more is counted ``missing``, not scored. Precision
  and recall of merges are reported per split: ``dev`` (the thresholds were set on it) and ``test`` (held
  out by a hash of the pair, :func:`split_of`; the figure to quote), with counts per kind, and as estimates
  for a whole corpus, each pair weighed by the size of the stratum it was drawn from
  (``data/cluster_strata.tsv``, :func:`weighted_merge_scores`). Every pair was read a second time
  (``data/cluster_pairs_second.tsv``): the pairs both readings label alike are scored again, with the two
  readings' agreement and Cohen's kappa (:func:`agreed_pairs`, :func:`agreement`).
- **Quote pairs**: ``data/quote_pairs.tsv`` holds pairs of quotes from the same AllSides articles, drawn by
  ``tools/quote_pairs.py`` (one speaker key over four bands of word containment, and near-same words under
  two keys) and labelled by reading both: ``same`` (one utterance of one speaker printed twice), ``diff``,
  ``unclear``. A pair is predicted ``same`` when both quotes end in one quotation; a quote is found again
  by its article and content offsets. Scored per split as the event pairs are.
- **BASIL** (``corpora/basil/articles/<year>/*.json``): 100 stories, each reported by three outlets (Fox
  News, the New York Times, the Huffington Post; ``triplet-uuid`` names the story). ``stories_linked`` is
  the share of stories with an event cluster spanning at least two of their outlets; ``joining_clusters``
  counts clusters whose members come from two stories or more (the goal is none). The same two figures are
  given for quotations. A cluster spanning two outlets may hold one act told by both or two acts of the
  story, so each such link (two sentences of two outlets in one cluster) is read against
  ``data/basil_links.tsv``, labelled by reading both sentences (``tools/basil_links.py`` lists the links not
  labelled yet): ``stories_linked_one_act`` counts the stories linked through a link labelled ``same``, and
  ``links_same``, ``links_diff``, ``links_unclear``, ``links_unlabelled`` count the links (a rule that makes
  new links shows them unlabelled until someone reads them).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from tacitus.errors import NoInputs
from tacitus.evaluate import EvalResult
from tacitus.evaluate.labelled import read_rows

PAIRS_FILE = "cluster_pairs.tsv"
CORPUS = Path("corpora") / "allsides-intl.jsonl.gz"
BASIL = Path("corpora") / "basil" / "articles"
SIDES = ("id", "start", "end", "code", "source", "target", "day")
COLUMNS = (
    "pair", "kind", *(f"{c}_a" for c in SIDES), *(f"{c}_b" for c in SIDES), "overlap", "label", "reason",
)  # fmt: skip
KINDS = ("key", "same-article", "cross-root", "partial")
BANDS = ((0.0, 0.1), (0.1, 0.2), (0.2, 0.3), (0.3, 0.5), (0.5, 1.01))
"""The word-overlap bands ``key`` pairs are drawn from, evenly (``tools/cluster_pairs.py``)."""
STRATA_FILE = "cluster_strata.tsv"
SECOND_FILE = "cluster_pairs_second.tsv"
SECOND_COLUMNS = ("pair", "label", "reason")
LABELS = ("same", "diff", "unclear")
SPLITS = ("dev", "test", "all")


class _Split:
    """The split of a labelled pair (event or quote pairs), from a hash of its id (:func:`split_of`)."""

    pair: str

    @property
    def split(self) -> str:
        """``dev`` or ``test``, from a hash of the pair id (see :func:`split_of`)."""
        return split_of(self.pair)


@dataclass(frozen=True)
class Pair(_Split):
    """Two labelled event mentions: each an article id, sentence offsets and the codes given when drawn."""

    pair: str
    kind: str
    id_a: str
    start_a: int
    end_a: int
    code_a: str
    source_a: str
    target_a: str
    day_a: str
    id_b: str
    start_b: int
    end_b: int
    code_b: str
    source_b: str
    target_b: str
    day_b: str
    overlap: float
    label: str
    reason: str


def split_of(pair: str) -> str:
    """The split of a pair: ``test`` when the first byte of SHA-1 over its id is odd, else ``dev``."""
    return "test" if hashlib.sha1(pair.encode()).digest()[0] % 2 else "dev"


def load_pairs(path: str | Path | None = None) -> list[Pair]:
    """Read the labelled pairs (the packaged file when ``path`` is None); ``#`` lines are comments.

    Unknown kinds or labels raise ``ValueError`` naming the file and line; pairs not labelled yet have an
    empty ``label`` (the scorer leaves them out).
    """
    return _read_pairs(path, PAIRS_FILE, COLUMNS, KINDS, "overlap", Pair)


def _read_pairs(
    path: str | Path | None, packaged: str, columns: tuple[str, ...], kinds: tuple[str, ...], number: str,
    make: Any,
) -> list[Any]:  # fmt: skip
    """The rows of a labelled pairs file as ``make`` objects: kinds and labels checked, the four offsets
    integers and the column ``number`` a float; every error names the file and line."""
    name, rows = read_rows(path, packaged, columns)
    pairs = []
    for lineno, row in rows:
        if row.get("kind") not in kinds:
            raise ValueError(
                f"{name}:{lineno}: unknown kind {row.get('kind')!r}; expected {', '.join(kinds)}"
            )
        if row.get("label") and row["label"] not in LABELS:
            raise ValueError(f"{name}:{lineno}: unknown label {row['label']!r}; expected {', '.join(LABELS)}")
        try:
            values: dict[str, Any] = {c: row.get(c, "") for c in columns}
            for c in ("start_a", "end_a", "start_b", "end_b"):
                values[c] = int(values[c])
            values[number] = float(values[number] or 0.0)
        except ValueError as error:
            raise ValueError(f"{name}:{lineno}: {error}; offsets are integers, {number} a number") from None
        pairs.append(make(**values))
    return pairs


# -- labelled quote pairs ------------------------------------------------------------------------------

QUOTE_PAIRS_FILE = "quote_pairs.tsv"
QUOTE_COLUMNS = (
    "pair", "kind", "id_a", "start_a", "end_a", "id_b", "start_b", "end_b", "containment", "label", "reason",
)  # fmt: skip
QUOTE_KINDS = ("speaker", "content")


@dataclass(frozen=True)
class QuotePair(_Split):
    """Two labelled quotes, each an article id and its content's offsets (``tools/quote_pairs.py``)."""

    pair: str
    kind: str
    id_a: str
    start_a: int
    end_a: int
    id_b: str
    start_b: int
    end_b: int
    containment: float
    label: str
    reason: str


def load_quote_pairs(path: str | Path | None = None) -> list[QuotePair]:
    """Read the labelled quote pairs (the packaged file when ``path`` is None), as :func:`load_pairs` does."""
    return _read_pairs(path, QUOTE_PAIRS_FILE, QUOTE_COLUMNS, QUOTE_KINDS, "containment", QuotePair)


def score_quote_pairs(pairs: Iterable[QuotePair], rows: list[Any], split: str) -> EvalResult:
    """Precision and recall of quotation merges over the labelled quote pairs of ``split``, given the stored
    quotes (``rows``: article_id, content offsets and cluster_pk, :func:`_quote_rows`). A quote is found by
    its article and content offsets; one the pipeline no longer finds there is counted ``missing``."""
    by_span = {(r.article_id, r.content_start, r.content_end): r for r in rows}

    def outcomes() -> Iterator[tuple[QuotePair, bool | None]]:
        for p in pairs:
            if p.label in ("same", "diff") and (split == "all" or p.split == split):
                a, b = by_span.get((p.id_a, p.start_a, p.end_a)), by_span.get((p.id_b, p.start_b, p.end_b))
                yield p, _one_cluster(a, b)

    return _merge_scores(outcomes(), QUOTE_KINDS, "containment", f"allsides quote pairs/{split}")


def _one_cluster(a: Any, b: Any) -> bool | None:
    """Whether two stored mentions ended in one cluster; None when either is not found."""
    if a is None or b is None:
        return None
    return a.cluster_pk is not None and a.cluster_pk == b.cluster_pk


def _merge_scores(
    outcomes: Iterable[tuple[Any, bool | None]], kinds: tuple[str, ...], number: str, name: str
) -> EvalResult:
    """Precision and recall of merges from ``(pair, merged)`` outcomes (``merged`` None: a mention not
    found, counted ``missing``), overall and per kind, with the first errors named."""
    tally: dict[str, dict[str, int]] = defaultdict(lambda: {"tp": 0, "fp": 0, "fn": 0, "tn": 0})
    chosen = missing = 0
    errors: list[str] = []
    for p, predicted in outcomes:
        chosen += 1
        if predicted is None:
            missing += 1
            continue
        gold = p.label == "same"
        cell = ("tp" if gold else "fp") if predicted else ("fn" if gold else "tn")
        for scope in ("all", p.kind):
            tally[scope][cell] += 1
        if cell in ("fp", "fn") and len(errors) < 12:
            errors.append(f"{cell} {p.pair} ({p.kind}, {number} {getattr(p, number):.2f}): {p.reason}")
    metrics: dict[str, float] = {}
    counts: dict[str, int] = {"pairs": chosen - missing, "missing": missing}
    for scope in ("all", *kinds):
        if scope not in tally:
            continue
        t = tally[scope]
        suffix = "" if scope == "all" else "_" + scope.replace("-", "_")
        p_, r_, f_ = _prf(t)
        if scope == "all":
            metrics.update(precision=p_, recall=r_, f1=f_)
        for cell, n in t.items():
            counts[f"{cell}{suffix}"] = n
    return EvalResult("clusters", name, counts["pairs"], metrics, counts, errors)


# -- BASIL's labelled links ----------------------------------------------------------------------------

LINKS_FILE = "basil_links.tsv"
LINK_COLUMNS = (
    "pair", "story", "id_a", "start_a", "end_a", "code_a", "id_b", "start_b", "end_b", "code_b", "label",
    "reason",
)  # fmt: skip
LINKS_HEADER = (
    "# Cross-outlet links of BASIL's event clusters, labelled by reading both sentences (tools/basil_links.py;\n"
    "# see tacitus/evaluate/clusters.py). BASIL: launchnlp/BASIL, no licence stated; only file names and\n"
    "# sentence offsets are here, not the texts. same = one act told by both outlets, diff = two acts.\n"
    + "\t".join(LINK_COLUMNS)
    + "\n"
)


def packaged(name: str) -> Path:
    """The path of a data file of this package (for tools that append to it in a checkout)."""
    return Path(str(resources.files("tacitus.evaluate").joinpath("data", name)))


@dataclass(frozen=True)
class BasilLink:
    """Two sentences of two outlets of one BASIL story that one event cluster holds: the mentions by file
    name and sentence offsets, the first event's code in each, and the label read."""

    pair: str
    story: str
    id_a: str
    start_a: int
    end_a: int
    code_a: str
    id_b: str
    start_b: int
    end_b: int
    code_b: str
    label: str = ""
    reason: str = ""

    @property
    def key(self) -> frozenset[tuple[str, int, int]]:
        """The two sentences, in either order."""
        return frozenset({(self.id_a, self.start_a, self.end_a), (self.id_b, self.start_b, self.end_b)})

    def row(self) -> str:
        """The line of ``basil_links.tsv`` for this link."""
        return "\t".join(str(getattr(self, c)) for c in LINK_COLUMNS)


def load_links(path: str | Path | None = None) -> list[BasilLink]:
    """Read the labelled BASIL links (the packaged file when ``path`` is None); ``#`` lines are comments.
    A malformed line raises ``ValueError`` naming the file and line."""
    name, rows = read_rows(path, LINKS_FILE, LINK_COLUMNS)
    links = []
    for lineno, row in rows:
        values: dict[str, Any] = dict(row)
        if values.get("label", "") not in ("", *LABELS):
            raise ValueError(
                f"{name}:{lineno}: unknown label {values['label']!r}; expected {', '.join(LABELS)}"
            )
        try:
            for c in ("start_a", "end_a", "start_b", "end_b"):
                values[c] = int(values[c])
            links.append(BasilLink(**values))
        except (KeyError, TypeError, ValueError) as error:
            raise ValueError(
                f"{name}:{lineno}: {error}; expected {len(LINK_COLUMNS)} tab-separated columns"
            ) from None
    return links


def cross_outlet_links(members: Sequence[Any], docs: dict[str, dict]) -> list[BasilLink]:
    """The links one event cluster makes: each pair of its members' sentences from two outlets of one
    story (``members``: event rows with article_id, sentence offsets and code; ``docs``: BASIL's articles by
    id), one link per pair of sentences, unlabelled."""
    sentences: dict[tuple[str, int, int], str] = {}
    for r in members:
        sentences.setdefault((r.article_id, r.sentence_start, r.sentence_end), r.code)
    keys = sorted(sentences)
    links = []
    for i, a in enumerate(keys):
        for b in keys[i + 1 :]:
            da, db = docs[a[0]], docs[b[0]]
            if da["story"] != db["story"] or da["source"] == db["source"]:
                continue
            pair = span_pair_id(a, b)
            links.append(BasilLink(pair, da["story"], *a, sentences[a], *b, sentences[b]))
    return links


def span_pair_id(a: tuple[str, int, int], b: tuple[str, int, int]) -> str:
    """The id of a pair of text spans, each ``(article id, start, end)``: 12 hex digits of SHA-1 (BASIL links,
    quote pairs)."""
    return hashlib.sha1(f"{a[0]}:{a[1]}:{a[2]}|{b[0]}:{b[1]}:{b[2]}".encode()).hexdigest()[:12]


def links_of(rows: Iterable[Any], docs: dict[str, dict]) -> Iterator[tuple[int, BasilLink]]:
    """``(cluster pk, link)`` for every cross-outlet link the event clusters make (:func:`cross_outlet_links`),
    each pair of sentences once (a sentence of several events can be in two clusters with another), in
    cluster order; ``rows`` are the stored events (:func:`_event_rows`), ``docs`` BASIL's articles by id."""
    members: dict[int, list[Any]] = defaultdict(list)
    for r in rows:
        if r.cluster_pk is not None and r.article_id in docs:
            members[r.cluster_pk].append(r)
    seen: set[frozenset] = set()
    for cluster_pk in sorted(members):
        for link in cross_outlet_links(members[cluster_pk], docs):
            if link.key not in seen:
                seen.add(link.key)
                yield cluster_pk, link


# -- analysing and storing ------------------------------------------------------------------------------


def _find(root: Path, relative: Path) -> Path:
    """``relative`` inside the eval folder or beside it (the shared data keeps corpora/ beside eval/)."""
    for candidate in (root / relative, root.parent / relative):
        if candidate.exists():
            return candidate
    raise NoInputs(
        f"{root.parent / relative}: missing; pass --data the shared eval folder (corpora/ beside it)"
    )


def load_allsides(path: Path) -> dict[str, dict]:
    """The AllSides articles by id (``id``, ``source``, ``title``, ``date``, ``url``, ``text``)."""
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return {obj["id"]: obj for obj in map(json.loads, handle)}


def load_basil(folder: Path) -> list[dict]:
    """BASIL's articles as plain dicts: ``id`` (the file name), ``story`` (triplet-uuid), ``source``, ``title``,
    ``date``, ``url`` and ``text`` (the body paragraphs, a blank line between two)."""
    found = []
    for path in sorted(folder.glob("*/*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        paragraphs = [" ".join(p) if isinstance(p, list) else str(p) for p in doc.get("body-paragraphs", [])]
        found.append(
            {
                # four files' uuid is "empty": the file name is unique (the story's uuid and a number)
                "id": path.stem,
                "story": doc["triplet-uuid"],
                # the outlet is "hpo" in most files and "HPO" in a few
                "source": (doc.get("source") or "").lower() or None,
                "title": doc.get("title"),
                "date": doc.get("date"),
                "url": doc.get("url"),
                "text": "\n\n".join(p for p in paragraphs if p.strip()),
            }
        )
    if not found:
        raise NoInputs(f"{folder}: no BASIL articles (<year>/*.json) found")
    return found


def cluster_store(docs: Sequence[dict], n_process: int = 1) -> tuple[Any, Any]:
    """Analyse ``docs`` (dicts with id, text, title, date, source, url), store them in publication order
    into a scratch SQLite store, and return ``(store, temporary folder)``; close both when done."""
    return records_store(analysed(docs, n_process=n_process))


def analysed(docs: Sequence[dict], n_process: int = 1) -> list[Any]:
    """The records of ``docs`` (dicts with id, text, title, date, source, url), in publication order."""
    from tacitus.model import Article
    from tacitus.pipeline import analyze_batch

    ordered = sorted(docs, key=lambda d: (d.get("date") or "", d["id"]))
    articles = [
        Article(
            id=d["id"], text=d["text"], title=d.get("title"), published=d.get("date"),
            source=d.get("source"), url=d.get("url"),
        )
        for d in ordered
    ]  # fmt: skip
    return list(analyze_batch(articles, n_process=n_process))


def records_store(records: Iterable[Any]) -> tuple[Any, Any]:
    """A scratch SQLite store holding ``records``, written in the order given (publication order: the
    clusters are made as a run makes them), and its temporary folder; close both when done."""
    from tacitus.store import open_store

    folder = tempfile.TemporaryDirectory(prefix="tacitus-clusters-")
    store = open_store(Path(folder.name) / "clusters.db")
    for record in records:
        store.write(record)
    return store, folder


def pair_rows(records: Sequence[Any], pairs: Sequence[Any], read: Any) -> list[Any]:
    """``read`` (:func:`_event_rows` or :func:`_quote_rows`) of a scratch store holding the records of the
    articles ``pairs`` name. Event pairs are scored on a store of their own articles, so that adding quote
    pairs does not change the clusters they are scored on; quote pairs on the store of every labelled
    article (their first draw was of the event pairs' articles)."""
    wanted = {i for p in pairs if p.label for i in (p.id_a, p.id_b)}
    store, folder = records_store(r for r in records if r.id in wanted)
    try:
        return read(store)
    finally:
        store.close()
        folder.cleanup()


def _event_rows(store: Any) -> list[Any]:
    from tacitus.store.schema import articles, events

    stmt = sa.select(
        events.c.pk, articles.c.article_id, events.c.sentence_start, events.c.sentence_end, events.c.code,
        events.c.root, events.c.source_code, events.c.target_code, events.c.cluster_pk, events.c.cluster_via,
        events.c.cluster_basis,
    ).join_from(events, articles, events.c.article_pk == articles.c.pk).order_by(events.c.pk)  # fmt: skip
    with store.engine.connect() as connection:
        return list(connection.execute(stmt))


def _quote_rows(store: Any) -> list[Any]:
    from tacitus.store.schema import articles, quotes

    stmt = sa.select(
        quotes.c.pk, articles.c.article_id, quotes.c.content_start, quotes.c.content_end, quotes.c.cluster_pk,
    ).join_from(quotes, articles, quotes.c.article_pk == articles.c.pk).order_by(quotes.c.pk)  # fmt: skip
    with store.engine.connect() as connection:
        return list(connection.execute(stmt))


def _locate(rows: list[Any], code: str, source: str, target: str) -> Any | None:
    """The event of a sentence that a labelled mention was: same code and actors, same code, same root."""
    for test in (
        lambda r: (r.code, r.source_code or "", r.target_code or "") == (code, source, target),
        lambda r: r.code == code,
        lambda r: r.root == code[:2],
        lambda r: True,
    ):
        for r in rows:
            if test(r):
                return r
    return None


# -- scores ---------------------------------------------------------------------------------------------


def _prf(t: dict[str, int] | dict[str, float]) -> tuple[float, float, float]:
    p = t["tp"] / (t["tp"] + t["fp"]) if t["tp"] + t["fp"] else 1.0
    r = t["tp"] / (t["tp"] + t["fn"]) if t["tp"] + t["fn"] else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def located(pairs: Iterable[Pair], rows: list[Any], split: str) -> Iterator[tuple[Pair, Any, Any]]:
    """Each pair of ``split`` labelled same or diff (``all``: of both halves) with the stored events its two
    mentions are (:func:`_locate`; None where a mention's sentence has no event now), given the stored
    events (``rows``, :func:`_event_rows`)."""
    by_sentence: dict[tuple[str, int, int], list[Any]] = defaultdict(list)
    for r in rows:
        by_sentence[(r.article_id, r.sentence_start, r.sentence_end)].append(r)
    for p in pairs:
        if p.label in ("same", "diff") and (split == "all" or p.split == split):
            a = _locate(by_sentence.get((p.id_a, p.start_a, p.end_a), []), p.code_a, p.source_a, p.target_a)
            b = _locate(by_sentence.get((p.id_b, p.start_b, p.end_b), []), p.code_b, p.source_b, p.target_b)
            yield p, a, b


def score_pairs(
    pairs: Iterable[Pair], rows: list[Any], split: str, strata: dict[tuple[str, int | None], int] | None = None
) -> EvalResult:  # fmt: skip
    """Precision and recall of merges over the labelled pairs of ``split``, given the stored events
    (``rows``: article_id, sentence offsets, codes and cluster_pk of every event of the scratch store).
    With ``strata`` (:func:`load_strata`) the result also holds the corpus estimates
    ``weighted_precision`` and ``weighted_recall`` (:func:`weighted_merge_scores`)."""
    outcomes = [(p, _one_cluster(a, b)) for p, a, b in located(pairs, rows, split)]
    result = _merge_scores(outcomes, KINDS, "overlap", f"allsides event pairs/{split}")
    if strata:
        weighted = weighted_merge_scores(outcomes, strata)
        result.metrics.update(weighted_precision=weighted[0], weighted_recall=weighted[1])
    return result


def load_second_reading(path: str | Path | None = None) -> dict[str, tuple[str, str]]:
    """A second reader's labels of the pairs (``data/cluster_pairs_second.tsv``: pair, label, reason), read
    without the first labels or the clusters, with the act each mention codes marked in its sentence
    (``tools/cluster_pairs.py --show --all --records``): ``{pair: (label, reason)}``."""
    name, rows = read_rows(path, SECOND_FILE, SECOND_COLUMNS)
    found: dict[str, tuple[str, str]] = {}
    for n, r in rows:
        if r["label"] not in LABELS:
            raise ValueError(f"{name}:{n}: unknown label {r['label']!r} (one of {', '.join(LABELS)})")
        found[r["pair"]] = (r["label"], r["reason"])
    return found


def agreed_pairs(pairs: Iterable[Pair], second: dict[str, tuple[str, str]]) -> list[Pair]:
    """The pairs both readers labelled alike, same or diff: the labels to score on where the text settles
    them for two readers (a pair one reader calls unclear, or the two read apart, is left out)."""
    return [p for p in pairs if p.label in ("same", "diff") and second.get(p.pair, ("",))[0] == p.label]


def agreement(pairs: Iterable[Pair], second: dict[str, tuple[str, str]]) -> dict[str, float]:
    """How far the two readings agree over the pairs both read: the share of equal labels (same, diff,
    unclear) and Cohen's kappa over the pairs both labelled same or diff."""
    both = [(p.label, second[p.pair][0]) for p in pairs if p.label and p.pair in second]
    if not both:
        return {}
    equal = sum(a == b for a, b in both) / len(both)
    decided = [(a, b) for a, b in both if a != "unclear" and b != "unclear"]
    observed = sum(a == b for a, b in decided) / len(decided) if decided else 0.0
    first_same = sum(a == "same" for a, _ in decided) / len(decided) if decided else 0.0
    second_same = sum(b == "same" for _, b in decided) / len(decided) if decided else 0.0
    chance = first_same * second_same + (1 - first_same) * (1 - second_same)
    kappa = (observed - chance) / (1 - chance) if chance < 1 else 1.0
    return {"agreement": equal, "kappa": kappa}


def stratum_of(pair: Pair) -> tuple[str, int | None]:
    """The stratum a pair was drawn from: its kind, and for a ``key`` pair the band (:data:`BANDS`) of the
    word overlap it had when drawn."""
    if pair.kind != "key":
        return pair.kind, None
    return "key", next(i for i, (lo, hi) in enumerate(BANDS) if lo <= pair.overlap < hi)


def load_strata(path: str | Path | None = None) -> dict[tuple[str, int | None], int]:
    """How many candidate pairs of each stratum the whole AllSides corpus holds (``data/cluster_strata.tsv``,
    written by ``tools/cluster_pairs.py --strata``): ``{(kind, band or None): count}``."""
    name, rows = read_rows(path, STRATA_FILE, ("kind", "band", "pairs"))
    strata: dict[tuple[str, int | None], int] = {}
    for n, r in rows:
        try:
            if r["kind"] not in KINDS:
                raise ValueError(f"kind {r['kind']!r} is not one of {', '.join(KINDS)}")
            strata[(r["kind"], int(r["band"]) if r["band"] else None)] = int(r["pairs"])
        except ValueError as error:
            raise ValueError(f"{name}:{n}: {error}") from None
    return strata


def weighted_merge_scores(
    outcomes: Iterable[tuple[Pair, bool | None]], strata: dict[tuple[str, int | None], int]
) -> tuple[float, float]:  # fmt: skip
    """Precision and recall of merges over every candidate pair of the corpus, estimated from the labelled
    pairs: each scored pair stands for ``N / n`` pairs of its stratum (``N`` the stratum's candidate pairs in
    the corpus, ``strata``; ``n`` its pairs scored here). The pairs are drawn evenly over word-overlap bands
    and kinds, so the plain figures weigh the hard bands far beyond their share of the corpus; these weigh
    each stratum by its size (a stratified estimate: each stratum's scored pairs taken as a random sample
    of it, unclear and missing pairs left out at random)."""
    scored = [(p, merged) for p, merged in outcomes if merged is not None]
    sizes: dict[tuple[str, int | None], int] = defaultdict(int)
    for p, _ in scored:
        sizes[stratum_of(p)] += 1
    cells: dict[str, float] = defaultdict(float)
    for p, merged in scored:
        stratum = stratum_of(p)
        weight = strata.get(stratum, 0) / sizes[stratum]
        gold = p.label == "same"
        cells[("tp" if gold else "fp") if merged else ("fn" if gold else "tn")] += weight
    precision, recall, _ = _prf(cells)
    return precision, recall


def evaluate_pairs(
    data: str | Path, *, splits: Sequence[str] = ("dev", "test"), n_process: int = 1,
    pairs: Sequence[Pair] | None = None, quote_pairs: Sequence[QuotePair] | None = None,
) -> list[EvalResult]:  # fmt: skip
    """Analyse the articles of the labelled event and quote pairs, cluster them, and score each of
    ``splits`` (event pairs, then quote pairs)."""
    started = time.perf_counter()
    corpus = load_allsides(_find(Path(data), CORPUS))
    # the packaged quote pairs come with the packaged event pairs; a caller's slice of either scores only it
    if quote_pairs is None:
        quote_pairs = load_quote_pairs() if pairs is None else []
    # the corpus estimates weigh the packaged pairs by the strata they were drawn from; a slice has none
    strata = load_strata() if pairs is None else None
    pairs = list(pairs if pairs is not None else load_pairs())
    wanted = {i for p in [*pairs, *quote_pairs] if p.label for i in (p.id_a, p.id_b)}
    docs = [corpus[i] for i in sorted(wanted) if i in corpus]
    records = analysed(docs, n_process=n_process)
    rows = pair_rows(records, pairs, _event_rows)
    results = [score_pairs(pairs, rows, split, strata) for split in splits]
    # scored again on the pairs a second reader labelled alike (the packaged pairs only)
    second = load_second_reading() if strata is not None else {}
    if second:
        agreed = agreed_pairs(pairs, second)
        for split in splits:
            result = score_pairs(agreed, rows, split, strata)
            result.dataset = f"allsides event pairs, both readers agree/{split}"
            result.metrics.update(agreement(
                [p for p in pairs if split == "all" or p.split == split], second
            ))  # fmt: skip
            results.append(result)
    if quote_pairs:
        quote_rows = pair_rows(records, [*pairs, *quote_pairs], _quote_rows)
        results += [score_quote_pairs(quote_pairs, quote_rows, split) for split in splits]
    for result in results:
        result.notes.insert(
            0, f"{len(docs)} articles analysed and clustered in {time.perf_counter() - started:.0f}s"
        )
    return results


def score_basil(docs: Sequence[dict], store: Any, links: Sequence[BasilLink] | None = None) -> EvalResult:
    """The BASIL figures from a store holding ``docs`` (see the module docstring), the links read against
    the labelled ones (``links``; the packaged ``basil_links.tsv`` when None)."""
    from tacitus.store.schema import articles, events, quotes

    story_of = {d["id"]: d["story"] for d in docs}
    outlet_of = {d["id"]: d["source"] for d in docs}
    by_id = {d["id"]: d for d in docs}
    labels = {link.key: link.label for link in (load_links() if links is None else links)}
    metrics: dict[str, float] = {}
    counts: dict[str, int] = {"stories": len(set(story_of.values()))}
    notes: list[str] = []
    for what, table in (("event", events), ("quote", quotes)):
        stmt = (
            sa.select(table.c.cluster_pk, articles.c.article_id)
            .join_from(table, articles, table.c.article_pk == articles.c.pk)
            .where(table.c.cluster_pk.is_not(None))
        )
        members: dict[int, set[str]] = defaultdict(set)
        with store.engine.connect() as connection:
            for cluster_pk, article_id in connection.execute(stmt):
                members[cluster_pk].add(article_id)
        linked: set[str] = set()
        joining = 0
        for cluster_pk, ids in members.items():
            stories = {story_of[i] for i in ids if i in story_of}
            if len(stories) > 1:
                joining += 1
                if len(notes) < 10:
                    notes.append(f"{what} cluster {cluster_pk} joins {len(stories)} stories: {sorted(ids)}")
            for story in stories:
                outlets = {outlet_of[i] for i in ids if story_of.get(i) == story}
                if len(outlets) >= 2:
                    linked.add(story)
        if what == "event":
            _score_links(store, by_id, labels, metrics, counts)
        prefix = "" if what == "event" else "quote_"
        metrics[f"{prefix}stories_linked"] = len(linked) / counts["stories"] if counts["stories"] else 0.0
        counts[f"{prefix}joining_clusters"] = joining
        counts[f"{prefix}clusters"] = len(members)
        counts[f"{prefix}multi_article_clusters"] = sum(1 for ids in members.values() if len(ids) > 1)
    return EvalResult("clusters", "basil stories", len(docs), metrics, counts, notes)


def _score_links(
    store: Any,
    docs: dict[str, dict],
    labels: dict[frozenset, str],
    metrics: dict[str, float],
    counts: dict[str, int],
) -> None:
    """Read each cross-outlet link of the event clusters (:func:`links_of`) against the labelled links: the
    stories linked through a link labelled ``same`` (one act told by two outlets: ``stories_linked_one_act``),
    and how many links are labelled same, diff, unclear, or not labelled yet (``tools/basil_links.py`` lists
    those)."""
    one_act: set[str] = set()
    tally = {"same": 0, "diff": 0, "unclear": 0, "unlabelled": 0}
    for _, link in links_of(_event_rows(store), docs):
        label = labels.get(link.key) or "unlabelled"
        tally[label] += 1
        if label == "same":
            one_act.add(link.story)
    stories = counts["stories"]
    metrics["stories_linked_one_act"] = len(one_act) / stories if stories else 0.0
    for label, n in tally.items():
        counts[f"links_{label}"] = n


def evaluate_basil(data: str | Path, *, n_process: int = 1) -> EvalResult:
    """Analyse BASIL's 300 articles, cluster them, and report the story figures."""
    started = time.perf_counter()
    docs = load_basil(_find(Path(data), BASIL))
    store, folder = cluster_store(docs, n_process=n_process)
    try:
        result = score_basil(docs, store)
    finally:
        store.close()
        folder.cleanup()
    result.notes.insert(
        0, f"{len(docs)} articles analysed and clustered in {time.perf_counter() - started:.0f}s"
    )
    return result


def evaluate_clusters(data: str | Path, *, n_process: int = 1) -> list[EvalResult]:
    """Both measurements: the labelled pairs (dev, then held-out test), then BASIL."""
    return [*evaluate_pairs(data, n_process=n_process), evaluate_basil(data, n_process=n_process)]

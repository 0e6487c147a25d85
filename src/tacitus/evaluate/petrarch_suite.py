"""Score Tacitus on PETRARCH's validation suite (``PETR.UnitTest.records.xml`` and its toy dictionaries).

The suite (openeventdata/petrarch2, 2014) is 284 stylised sentences about fictional countries (Arnor,
Gondor, ...), each with the events PETRARCH must code: ``<EventCoding sourcecode=... targetcode=...
eventcode=...>`` elements, or ``noevents`` (or no ``<EventCoding>`` at all) when none. Its ``<Environment>`` names the toy TABARI actor and
agent dictionaries the sentences need; they are imported with :func:`tacitus.kb.tabari.import_dictionaries`
and written with :func:`~tacitus.kb.tabari.to_yaml` to a temporary user actor file, which the pipeline
loads over the packaged knowledge base (``analyze_batch(..., actors_file=...)``), as ``tacitus actors
import`` + ``--actors`` would. Its verb dictionary is converted with
:func:`tacitus.ontology.petrarch_verbs.convert_dictionary` to a temporary pattern file that replaces
Tacitus's own patterns (``analyze_batch(..., patterns_file=...)``, as ``tacitus patterns import`` +
``--patterns`` would): only the toy verbs code events, as in PETRARCH's validation. Its discard dictionary is
not loaded. Sentences are analysed as articles dated by the record's ``date``.

A record passes, as in PETRARCH's own validation (``evaluate_validation_record`` in PETR_coder.py /
petrarch.py), when the coded events and the expected events match one to one on the exact triple (source
code, target code, event code), and when nothing is coded for a record that expects no events. Tacitus's
events are taken as a set of distinct triples (PETRARCH also drops duplicate coded events), with a missing
actor written "---" as PETRARCH writes it. Metrics, over the scored records *R*:

- ``record_accuracy``: records that pass (the suite's measure);
- ``event_code_accuracy``: records whose set of event codes equals the expected set, actors ignored;
- ``root_accuracy``: the same on 2-digit CAMEO roots;
- ``triple_precision`` / ``triple_recall`` / ``triple_f1``: micro scores on (record, triple) pairs;
- ``no_event_accuracy``: of the records expecting no events, the share where none is coded;
- ``expected_actor_recall``: expected actor codes found among the record's actors, events aside.

Skipped, each with a counted reason, because no Tacitus output could match them: records of categories
the suite's ``<Include>`` list leaves out (PETRARCH does not evaluate them either); records expecting an
input error (``<EventCoding error=...>``: PETRARCH's checks of its parse trees and discard list);
records expecting an event code that is neither CAMEO's nor one the toy verb dictionary gives;
records expecting an actor code a user actor file cannot hold (the new-actor text codes of
``new_actor_length``, the TABARI discard code ``###``, codes not made of 3-letter groups). Records coded
under a non-default ``<Config>`` option (``require_dyad``, ``comma_*``) are kept and counted in the notes.

Read the figure with this in mind: Tacitus matches the converted patterns on a dependency parse, not on
PETRARCH's constituency parse, and does not code what PETRARCH's coder adds beyond the dictionary (the
target's own code of ``[032:033]``, compound actors split into one event each); ``root_accuracy`` and the
triple scores show how close it comes.
"""

from __future__ import annotations

import datetime as dt
import re
import tempfile
import time
import warnings
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from tacitus.errors import UnreadableInput
from tacitus.evaluate import EvalResult
from tacitus.evaluate.events import analyse_articles, f1_score, triple_scores

__all__ = [
    "RECORDS_FILE",
    "SuiteRecord",
    "evaluate_petrarch_suite",
    "event_triple",
    "import_toy_actors",
    "import_toy_verbs",
    "load_suite",
    "parse_suite",
    "record_passes",
    "score_suite",
]

RECORDS_FILE = "PETR.UnitTest.records.xml"
NO_ACTOR = "---"
# PETRARCH's coding defaults (PETR_config.ini); a record coded under another value is counted in the notes
_DEFAULT_CONFIG = {
    "require_dyad": "true", "new_actor_length": "0",
    "comma_min": "2", "comma_max": "8", "comma_bmin": "0", "comma_bmax": "0", "comma_emin": "2", "comma_emax": "8",
}  # fmt: skip
# a clause minimum means nothing while its maximum is 0 (that kind of clause is then never dropped)
_MIN_OF_MAX = {"comma_min": "comma_max", "comma_bmin": "comma_bmax", "comma_emin": "comma_emax"}
# what a CAMEO user actor file can hold (tacitus.kb.user): 3-letter groups, "---" for no country
_ACTOR_CODE = re.compile(r"^([A-Z]{3}|---)([A-Z]{3}|[0-9]{3})*$")

Triple = tuple[str, str, str]


@dataclass(frozen=True)
class SuiteRecord:
    """One validation record: ``key`` (its id, suffixed when repeated), category, ISO ``date`` (None
    when missing or not YYYYMMDD), ``text``, the ``expected`` (source, target, event code) triples
    (empty: no events), the non-default ``<Config>`` options in force, and ``skip``, the reason it cannot
    be scored (None when it can)."""

    key: str
    category: str
    date: str | None
    text: str
    expected: frozenset[Triple]
    config: tuple[tuple[str, str], ...] = ()
    skip: str | None = None


def _iso_date(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return dt.datetime.strptime(value.strip(), "%Y%m%d").date().isoformat()
    except ValueError:
        return None


def _skip_reason(
    category: str, include: set[str] | None, codings: list[dict[str, str]], cameo: set[str]
) -> str | None:
    if include is not None and category not in include:
        return "category not in the suite's <Include> list (PETRARCH does not evaluate it)"
    if any("error" in c for c in codings):
        return "expects a PETRARCH input error (parse-tree checks, discard list)"
    events = [c for c in codings if "noevents" not in c]
    if any(c.get("eventcode", "").strip() not in cameo for c in events):
        return "expects an event code that is not CAMEO nor one of the toy verb dictionary's"
    for c in events:
        for side in ("sourcecode", "targetcode"):
            if not _ACTOR_CODE.match(c.get(side, "").strip()):
                return "expects an actor code a user actor file cannot hold (text, ###, not 3-letter groups)"
    return None


def parse_suite(
    root: ET.Element, cameo: Iterable[str] | None = None
) -> tuple[list[SuiteRecord], dict[str, str], list[str]]:
    """The records of a parsed validation file, its ``<Environment>`` (tag -> text) and notes.

    ``cameo`` is the set of valid CAMEO event codes (the ontology's, by default). Records are kept in file
    order, skipped ones too (with ``skip`` set), so slices are stable; ``<Config>`` elements between
    records change the options in force for the records after them, as in PETRARCH.
    """
    if cameo is None:
        from tacitus.ontology import cameo_codes

        cameo = cameo_codes()
    cameo_set = set(cameo)
    environment: dict[str, str] = {}
    env = root.find("Environment")
    if env is not None:
        environment = {child.tag: (child.text or "").strip() for child in env}
    include_text = environment.get("Include")
    include = set(include_text.split()) - {"valid"} if include_text else None
    container = root.find("Sentences")
    elements = list(container if container is not None else root)
    config = dict(_DEFAULT_CONFIG)
    records: list[SuiteRecord] = []
    seen: Counter[str] = Counter()
    oddities: list[str] = []
    for position, element in enumerate(elements):
        if element.tag == "Config":
            option, value = element.get("option"), element.get("value")
            if option and value is not None:
                config[option.strip()] = value.strip().lower()
            continue
        if element.tag != "Sentence":
            continue
        record_id = (element.get("id") or f"record-{position}").strip()
        seen[record_id] += 1
        key = record_id if seen[record_id] == 1 else f"{record_id}#{seen[record_id]}"
        if seen[record_id] == 2:
            oddities.append(
                f"id {record_id} appears more than once: later copies scored as {record_id}#2, ..."
            )
        text_element = element.find("Text")
        text = " ".join((text_element.text or "").split()) if text_element is not None else ""
        codings = [dict(c.attrib) for c in element.findall("EventCoding")]
        category = (element.get("category") or "").strip()
        skip = _skip_reason(category, include, codings, cameo_set)
        if skip is None and not text:
            skip = "no text"
        if skip is None and not codings:
            # PETRARCH's validation docs: no <EventCoding> is equivalent to noevents
            oddities.append(f"{key}: no <EventCoding>; scored as expecting no events, as PETRARCH does")
        events = [c for c in codings if "noevents" not in c]
        expected = frozenset(
            (c["sourcecode"].strip(), c["targetcode"].strip(), c["eventcode"].strip())
            for c in events
            if skip is None
        )
        if skip is None and len(expected) < len(events):
            oddities.append(f"{key}: an expected event is listed twice (counted once)")
        date = _iso_date(element.get("date"))
        if element.get("date") and date is None:
            oddities.append(f"{key}: date {element.get('date')!r} is not YYYYMMDD; analysed undated")
        non_default = tuple(
            sorted(
                (k, v)
                for k, v in config.items()
                if k in _DEFAULT_CONFIG
                and _DEFAULT_CONFIG[k] != v
                and not (k in _MIN_OF_MAX and config.get(_MIN_OF_MAX[k]) == "0")
            )
        )
        records.append(
            SuiteRecord(
                key=key,
                category=category,
                date=date,
                text=text,
                expected=expected,
                config=non_default,
                skip=skip,
            )
        )
    return records, environment, oddities


def load_suite(
    folder: Path, codes: Iterable[str] | None = None
) -> tuple[list[SuiteRecord], dict[str, str], list[str]]:
    """Read ``PETR.UnitTest.records.xml`` in ``folder``; see :func:`parse_suite` (``codes``: the event codes
    a record may expect, CAMEO's by default).

    Raises :class:`tacitus.errors.UnreadableInput` when the file is missing or is not well-formed XML.
    """
    path = Path(folder) / RECORDS_FILE
    try:
        root = ET.parse(path).getroot()
    except OSError as exc:
        raise UnreadableInput(
            f"{path}: cannot read the PETRARCH validation records ({exc.strerror})"
        ) from None
    except ET.ParseError as exc:
        raise UnreadableInput(f"{path}: not well-formed XML ({exc})") from None
    return parse_suite(root, codes)


def import_toy_actors(folder: Path, environment: Mapping[str, str]) -> tuple[str, list[str]]:
    """The suite's actor and agent dictionaries (named by ``<Actorfile>`` and ``<Agentfile>``, else the
    ``*.actors.txt`` and ``*.agents.txt`` in ``folder``) as user actor file text, and notes on the import."""
    from tacitus.kb.tabari import Report, import_dictionaries, to_yaml

    folder = Path(folder)
    paths = []
    for tag, pattern in (("Actorfile", "*.actors.txt"), ("Agentfile", "*.agents.txt")):
        name = environment.get(tag)
        if name and (folder / name).exists():
            paths.append(folder / name)
        else:
            paths.extend(sorted(folder.glob(pattern)))
    if not paths:
        raise UnreadableInput(f"{folder}: no TABARI actor or agent dictionary for the validation suite")
    report = Report()
    imported = import_dictionaries(paths, report)
    notes = [
        f"toy dictionaries imported as a user actor file: {len(imported.entries)} actors and "
        f"{len(imported.roles)} roles from {', '.join(p.name for p in paths)}"
    ]
    if report.skipped:
        notes.append(f"skipped or repaired on import: {report.skipped_summary(1)}")
    if environment.get("Discardfile"):
        notes.append(f"not loaded (no discard list in Tacitus): {environment['Discardfile']}")
    return to_yaml(imported), notes


def import_toy_verbs(folder: Path, environment: Mapping[str, str]) -> tuple[str, set[str], list[str]]:
    """The suite's verb dictionary (named by ``<Verbfile>``, else the ``*.verbs.txt`` in ``folder``)
    converted with :func:`tacitus.ontology.petrarch_verbs.convert_dictionary` into a pattern file's JSON
    text, the event codes its patterns give, and notes on the conversion."""
    from tacitus.ontology.petrarch_verbs import convert_dictionary

    folder = Path(folder)
    name = environment.get("Verbfile")
    if name and (folder / name).exists():
        path = folder / name
    else:
        found = sorted(folder.glob("*.verbs.txt"))
        if not found:
            raise UnreadableInput(f"{folder}: no PETRARCH verb dictionary for the validation suite")
        path = found[0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # toy codes (9xx): counted in the note instead
        text, converter, patterns = convert_dictionary(path)
    c = converter.counts
    outside = c["codes kept that Tacitus's CAMEO table lacks"]
    notes = [
        f"toy verb dictionary {path.name} converted to {len(patterns)} patterns, which replace Tacitus's "
        f"({c['pattern lines converted']} of {c['pattern lines']} pattern lines; {outside} codes outside "
        "CAMEO kept)"
    ]
    return text, {p["code"] for p in patterns if p.get("code")}, notes


def event_triple(source_code: str | None, target_code: str | None, code: str | None) -> Triple | None:
    """A Tacitus event as PETRARCH writes one: (source, target, event code), "---" for a missing actor;
    None when the event has no code."""
    if not code:
        return None
    return ((source_code or NO_ACTOR).upper(), (target_code or NO_ACTOR).upper(), code)


def record_passes(expected: Iterable[Triple], coded: Iterable[Triple]) -> bool:
    """PETRARCH's rule: the distinct coded triples are exactly the expected ones (none and none passes)."""
    return set(expected) == set(coded)


def score_suite(
    records: Sequence[SuiteRecord],
    predicted: Mapping[str, Iterable[Triple]],
    actors: Mapping[str, Iterable[str | None]] | None = None,
) -> tuple[dict[str, float], dict[str, int], list[str]]:
    """Score the coded triples per record key against the records that can be scored (module docs).

    Returns ``(metrics, counts, notes)``; skipped records are counted by reason in the notes and in
    ``counts["skipped"]``; a scored record missing from ``predicted`` has no coded events. With
    ``actors`` (the codes of every actor Tacitus found, per record key), ``expected_actor_recall`` is the
    share of the expected actor codes (distinct per record, "---..." codes left out) found among them,
    whatever the events: it tells an actor miss from an event miss.
    """
    c: Counter[str] = Counter(
        dict.fromkeys(
            (
                "records", "scored", "skipped", "passed", "code_right", "root_right", "expect_none",
                "expect_none_passed", "with_config", "with_config_passed", "expected_actors",
                "expected_actors_found",
            ),
            0,
        )
    )  # fmt: skip
    skipped: Counter[str] = Counter()
    per_category: dict[str, Counter[str]] = {}
    gold_sets: dict[str, set[Triple]] = {}
    coded_sets: dict[str, set[Triple]] = {}
    failures: list[str] = []
    for record in records:
        c["records"] += 1
        if record.skip:
            c["skipped"] += 1
            skipped[record.skip] += 1
            continue
        coded = {t for t in predicted.get(record.key, ()) if t}
        expected = set(record.expected)
        passed = record_passes(expected, coded)
        c["scored"] += 1
        c["passed"] += passed
        c["code_right"] += {t[2] for t in expected} == {t[2] for t in coded}
        c["root_right"] += {t[2][:2] for t in expected} == {t[2][:2] for t in coded}
        if not expected:
            c["expect_none"] += 1
            c["expect_none_passed"] += passed
        if record.config:
            c["with_config"] += 1
            c["with_config_passed"] += passed
        tally = per_category.setdefault(record.category, Counter())
        tally["scored"] += 1
        tally["passed"] += passed
        gold_sets[record.key], coded_sets[record.key] = expected, coded
        if actors is not None:
            wanted = {code for t in expected for code in t[:2] if not code.startswith(NO_ACTOR)}
            found = {code.upper() for code in actors.get(record.key, ()) if code}
            c["expected_actors"] += len(wanted)
            c["expected_actors_found"] += len(wanted & found)
        if not passed and len(failures) < 6:
            want = ", ".join("/".join(t) for t in sorted(expected)) or "none"
            got = ", ".join("/".join(t) for t in sorted(coded)) or "none"
            failures.append(f"{record.key}: expected {want}; coded {got}")
    triples, triple_counts = triple_scores(gold_sets, coded_sets)
    metrics: dict[str, float] = {}
    if c["scored"]:
        metrics["record_accuracy"] = c["passed"] / c["scored"]
        metrics["event_code_accuracy"] = c["code_right"] / c["scored"]
        metrics["root_accuracy"] = c["root_right"] / c["scored"]
    if c["expected_actors"]:
        metrics["expected_actor_recall"] = c["expected_actors_found"] / c["expected_actors"]
    if c["expect_none"]:
        metrics["no_event_accuracy"] = c["expect_none_passed"] / c["expect_none"]
    for name in ("precision", "recall"):
        if name in triples:
            metrics[f"triple_{name}"] = triples[name]
    if "recall" in triples:
        metrics["triple_f1"] = f1_score(triples.get("precision"), triples["recall"])
    for what, n in triple_counts.items():
        c[f"{what}_triples"] = n
    counts = {key: int(value) for key, value in sorted(c.items())}
    notes = [f"skipped {n} record(s): {why}" for why, n in sorted(skipped.items(), key=lambda kv: -kv[1])]
    if c["with_config"]:
        notes.append(
            f"{c['with_config']} scored record(s) expect codings under a non-default <Config> option "
            f"(require_dyad, comma_*): {c['with_config_passed']} passed"
        )
    if per_category:
        notes.append(
            "passed by category: "
            + ", ".join(f"{cat} {t['passed']}/{t['scored']}" for cat, t in sorted(per_category.items()))
        )
    if failures:
        notes.append("first failures: " + "; ".join(failures))
    return metrics, counts, notes


def evaluate_petrarch_suite(
    folder: Path, limit: int | None = None, n_process: int = 1, stride: int = 1
) -> EvalResult:
    """Analyse the suite's records with its toy actor dictionaries loaded and score them (module docs).

    ``folder`` holds ``PETR.UnitTest.records.xml`` and the dictionaries. ``stride`` keeps every n-th record
    of the file, then ``limit`` the first N (both counted over all records, skipped ones included, so a
    slice is the same whatever Tacitus does); ``n_process`` is passed to the pipeline. A record whose
    analysis fails counts as coding no events and is named in the notes.
    """
    from tacitus.kb.user import load_user_file
    from tacitus.model import Article
    from tacitus.ontology import cameo_codes

    started = time.perf_counter()
    folder = Path(folder)
    records, environment, notes = load_suite(folder)
    patterns_text, toy_codes, verb_notes = import_toy_verbs(folder, environment)
    # the toy verbs code events: records expecting their codes (9xx, 1010) are scored too
    records, environment, notes = load_suite(folder, set(cameo_codes()) | toy_codes)
    if stride > 1:
        records = records[::stride]
        notes.append(f"every {stride}th record")
    if limit is not None:
        records = records[: max(limit, 0)]
        notes.append(f"limited to the first {len(records)} records")
    yaml_text, import_notes = import_toy_actors(folder, environment)
    notes.extend(import_notes)
    notes.extend(verb_notes)
    scored = [r for r in records if not r.skip]
    with tempfile.TemporaryDirectory(prefix="tacitus-petr-") as tmp:
        actors_file = Path(tmp) / "petrarch-validation-actors.yml"
        actors_file.write_text(yaml_text, encoding="utf-8")
        load_user_file(actors_file)  # a mistake in the import shows here, with its line, not in a worker
        patterns_file = Path(tmp) / "petrarch-validation-verbs.json"
        patterns_file.write_text(patterns_text, encoding="utf-8")
        articles = [Article(text=r.text, id=r.key, published=r.date) for r in scored]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # the toy codes, already noted
            results, failures = analyse_articles(
                articles, n_process=n_process, actors_file=str(actors_file), patterns_file=str(patterns_file)
            )
    predicted = {
        key: [
            t for e in record.events if (t := event_triple(e.source_code, e.target_code, e.code)) is not None
        ]
        for key, record in results.items()
    }
    found = {key: [a.code for a in record.actors if a.code] for key, record in results.items()}
    metrics, counts, score_notes = score_suite(records, predicted, found)
    counts["failed_records"] = len(failures)
    if failures:
        notes.append(
            f"{len(failures)} record(s) failed analysis (scored as no events): " + "; ".join(failures)
        )
    notes.extend(score_notes)
    notes.append(f"run time {time.perf_counter() - started:.1f} s with n_process={n_process}")
    return EvalResult(
        name="events (PETRARCH validation)",
        dataset=f"petrarch-unit-tests ({RECORDS_FILE})",
        n_docs=counts["scored"],
        metrics=metrics,
        counts=counts,
        notes=notes,
    )

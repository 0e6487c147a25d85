"""`tacitus stats` and tacitus.analysis.stats: counts per dyad, root, QuadClass, period and speaker.

The store is the bundled samples processed once (real articles, real clusters). Expected values come from
somewhere else than the SQL under test: the stored records read back as Python objects, the tables read
with the sqlite3 module, or the sample texts checked by hand (noted where so).
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

import pg_scratch
from tacitus import jobs
from tacitus.analysis import Filters
from tacitus.analysis.periods import next_start, period_label, period_start, period_starts
from tacitus.analysis.report import open_existing, stats_summary, stats_table
from tacitus.analysis.speakers import speaker_counts
from tacitus.analysis.stats import (
    actor_network,
    dyad_counts,
    dyad_series,
    period_counts,
    quad_counts,
    root_counts,
    totals,
)
from tacitus.cli import app
from tacitus.errors import InvalidDate, StoreUnavailable, UsageError
from tacitus.store import open_store

runner = CliRunner()


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("stats") / "demo.db"
    report = jobs.demo(db)
    assert report.stored == {"inserted": 14}
    return db


@pytest.fixture(scope="module")
def store(demo_db: Path):
    with open_store(demo_db) as opened:
        yield opened


@pytest.fixture(scope="module")
def records(store) -> list:
    return list(store.records())


def _day(record, event) -> str | None:
    # the store's day: the event's own, else its article's publication day
    return event.date or (record.published[:10] if record.published else None)


def _mentions(records, keep=lambda record, event: True) -> list[tuple]:
    return [(r, e) for r in records for e in r.events if not e.negated and not e.repeated and keep(r, e)]


def _mean(values: list[float]) -> float | None:
    values = [v for v in values if v is not None]
    return sum(values) / len(values) if values else None


# -- mentions: straight from the records --------------------------------------------------------------------


def test_mentions_per_dyad_equal_the_records(store, records):
    expected = defaultdict(list)
    for _, e in _mentions(records):
        if e.source_code and e.target_code:
            expected[(e.source_code, e.target_code)].append(e.goldstein)
    rows = dyad_counts(store, "mentions")
    assert {(r["source"], r["target"]): r["mentions"] for r in rows} == {
        k: len(v) for k, v in expected.items()
    }
    for row in rows:
        assert row["goldstein"] == pytest.approx(_mean(expected[(row["source"], row["target"])]))
    counts = [r["mentions"] for r in rows]
    assert counts == sorted(counts, reverse=True)


def test_country_dyads_merge_codes_of_one_country(store, records):
    def country(code):
        return None if not code or code.startswith("---") else code[:3]

    expected = Counter(
        (country(e.source_code), country(e.target_code))
        for _, e in _mentions(records)
        if country(e.source_code) and country(e.target_code)
    )
    rows = dyad_counts(store, "mentions", countries=True)
    assert {(r["source"], r["target"]): r["mentions"] for r in rows} == dict(expected)
    # sample 05 (checked by hand): Vietnam's president "hosted Han" (043, KORGOV), "welcomed the South Korean
    # delegation" (043, KOR) and "thanked Seoul" (051, KORGOV): three mentions of one country dyad
    assert expected[("VNM", "KOR")] == 3


def test_roots_and_quad_classes_equal_the_records(store, records):
    mentions = _mentions(records)
    roots = root_counts(store, "mentions")
    assert {r["root"]: r["mentions"] for r in roots} == dict(Counter(e.root for _, e in mentions))
    assert all(r["name"] for r in roots)
    quads = quad_counts(store, "mentions")
    assert {q["quad_class"]: q["mentions"] for q in quads} == dict(Counter(e.quad_class for _, e in mentions))
    assert sum(q["share"] for q in quads) == pytest.approx(1.0)
    by_quad = {q["quad_class"]: q for q in quads}
    assert by_quad[4]["name"] == "material conflict"
    conflict = [e.goldstein for _, e in mentions if e.quad_class == 4]
    assert by_quad[4]["goldstein"] == pytest.approx(_mean(conflict))


def test_periods_are_iso_weeks_of_the_event_days(store, records):
    expected = Counter()
    for record, event in _mentions(records):
        day = date.fromisoformat(_day(record, event))
        year, week, _ = day.isocalendar()  # Python's own ISO calendar, not the code under test
        expected[f"{year}-W{week:02d}"] += 1
    rows = period_counts(store, "week", "mentions")
    assert {r["period"]: r["mentions"] for r in rows} == dict(expected)
    assert [r["start"] for r in rows] == sorted(r["start"] for r in rows)
    assert all(date.fromisoformat(r["start"]).isoweekday() == 1 for r in rows)  # Mondays
    filled = period_counts(store, "week", "mentions", fill=True)
    assert sum(r["mentions"] for r in filled) == sum(expected.values())
    assert len(filled) > len(rows)  # the samples span 2019 to 2024: most weeks in between are empty
    assert all(r["goldstein"] is None for r in filled if r["mentions"] == 0)


def test_iso_week_labels_checked_by_hand():
    # 2017-12-14 is a Thursday of ISO week 50, whose Monday is the 11th (the README's example)
    assert period_label(period_start(date(2017, 12, 14), "week"), "week") == "2017-W50"
    assert period_start(date(2017, 12, 14), "week") == date(2017, 12, 11)
    # 1 January 2017 is a Sunday: it ends week 52 of 2016, which began on Monday 26 December
    assert period_start(date(2017, 1, 1), "week") == date(2016, 12, 26)
    assert period_label(date(2016, 12, 26), "week") == "2016-W52"
    # Monday 31 December 2018 starts week 1 of 2019 (its Thursday is 3 January 2019)
    assert period_label(period_start(date(2018, 12, 31), "week"), "week") == "2019-W01"
    assert period_label(period_start(date(2017, 12, 14), "month"), "month") == "2017-12"
    assert period_label(period_start(date(2017, 12, 14), "year"), "year") == "2017"
    assert next_start(date(2017, 12, 1), "month") == date(2018, 1, 1)
    assert list(period_starts(date(2017, 12, 30), date(2018, 1, 2), "day"))[-1] == date(2018, 1, 2)
    assert len(list(period_starts(date(2017, 12, 14), date(2018, 1, 2), "week"))) == 4  # W50, W51, W52, W01


def test_filters_keep_what_they_say(store, records):
    def count(keep) -> int:
        return len(_mentions(records, keep))

    def n(filters: Filters) -> int:
        return totals(store, "mentions", filters)["mentions"]

    either = count(lambda r, e: any((c or "").startswith("BRA") for c in (e.source_code, e.target_code)))
    assert n(Filters(actor="bra")) == either > 0  # a prefix, any case
    assert n(Filters(code="04")) == count(lambda r, e: e.code.startswith("04")) > 0
    assert (
        n(Filters(outlet="atlantic wire service"))
        == count(lambda r, e: r.source == "Atlantic Wire Service")
        > 0
    )
    since, until = "2024-01-01", "2024-06-30"
    assert n(Filters(since=since, until=until)) == count(lambda r, e: since <= _day(r, e) <= until) > 0
    assert n(Filters(moods=("intended",))) == count(lambda r, e: e.mood == "intended") > 0
    with pytest.raises(InvalidDate, match="2024-13-01"):
        totals(store, filters=Filters(since="2024-13-01"))


# -- distinct events: clusters count once --------------------------------------------------------------------


def _units_from_tables(db: Path) -> dict:
    """The distinct events, computed with plain sqlite3 from the documented tables: a cluster is one event
    with the cluster's codes and Goldstein score, an event with no cluster is one on its own."""
    connection = sqlite3.connect(db)
    clusters = {
        row[0]: row[1:]
        for row in connection.execute(
            "SELECT pk, source_code, target_code, goldstein, negated FROM event_clusters"
        )
    }
    units = {}
    for pk, cluster, source, target, goldstein, negated in connection.execute(
        "SELECT pk, cluster_pk, source_code, target_code, goldstein, negated FROM events"
    ):
        if cluster is not None:
            units[("c", cluster)] = clusters[cluster]
        else:
            units[("e", pk)] = (source, target, goldstein, negated)
    connection.close()
    return {key: value for key, value in units.items() if not value[3]}


def test_distinct_events_are_the_clusters(store, demo_db):
    units = _units_from_tables(demo_db)
    summary = totals(store)
    assert summary["events"] == len(units)
    assert summary["mentions"] == sum(1 for _ in store.events() if not _["negated"])
    # whether the samples' mentions merge is the clustering rules' business; the hand-made cluster below
    # checks that a cluster counts once
    assert summary["events"] <= summary["mentions"]
    assert summary["goldstein"] == pytest.approx(_mean([u[2] for u in units.values()]))
    expected = Counter((u[0], u[1]) for u in units.values() if u[0] and u[1])
    rows = dyad_counts(store)
    assert {(r["source"], r["target"]): r["events"] for r in rows} == dict(expected)


def test_a_cluster_made_by_hand_counts_once(demo_db: Path, tmp_path: Path):
    # Sample 02: Portugal's prime minister "spoke by telephone" with Brazil's president (041) and "discussed"
    # the agreement (040), two mentions of one call. Start from no clusters at all, then join the two by hand.
    db = tmp_path / "copy.db"
    shutil.copy(demo_db, db)
    connection = sqlite3.connect(db)
    connection.execute("UPDATE events SET cluster_pk = NULL")
    connection.execute("DELETE FROM event_clusters")
    pks = [
        pk
        for (pk,) in connection.execute(
            "SELECT pk FROM events WHERE source_code = 'PRTGOV' AND target_code = 'BRAGOV' AND root = '04'"
        )
    ]
    assert len(pks) == 2
    connection.commit()
    with open_existing(db) as unclustered:
        before = totals(unclustered)
        assert before["events"] == before["mentions"]  # no cluster: every mention is its own event
        assert _dyad(unclustered, "PRTGOV", "BRAGOV") == 2
    connection.execute(
        "INSERT INTO event_clusters (pk, code, root, source_code, target_code, source_country, target_country,"
        " quad_class, goldstein, negated, day, n_mentions, n_articles, n_sources, event_pk, added_at)"
        " VALUES (7, '041', '04', 'PRTGOV', 'BRAGOV', 'PRT', 'BRA', 1, 1.0, 0, '2023-06-06', 2, 1, 1, ?, 'now')",
        (pks[0],),
    )
    connection.execute(f"UPDATE events SET cluster_pk = 7 WHERE pk IN ({pks[0]}, {pks[1]})")
    # a negated mention leaves the counts unless asked for
    connection.execute("UPDATE events SET negated = 1 WHERE code = '190' AND source_code = 'NGAUAF'")
    n_negated = connection.execute("SELECT changes()").fetchone()[0]
    connection.commit()
    connection.close()
    with open_existing(db) as clustered:
        after = totals(clustered)
        assert after["mentions"] == before["mentions"] - n_negated
        assert after["events"] == before["events"] - 1 - n_negated
        assert _dyad(clustered, "PRTGOV", "BRAGOV") == 1
        assert _dyad(clustered, "PRTGOV", "BRAGOV", "mentions") == 2
        assert totals(clustered, filters=Filters(negated=True))["events"] == before["events"] - 1
    # so does a summary of repeated acts ("has repeatedly criticized"), a mention and an event of its own
    connection = sqlite3.connect(db)
    connection.execute(
        "UPDATE events SET negated = 0, repeated = 1 WHERE code = '190' AND source_code = 'NGAUAF'"
    )
    connection.commit()
    connection.close()
    with open_existing(db) as summed:
        assert totals(summed)["mentions"] == after["mentions"]
        assert totals(summed, filters=Filters(repeated=True))["mentions"] == before["mentions"]


def _dyad(store, source: str, target: str, unit: str = "events") -> int:
    filters = Filters(source_actor=source, target_actor=target)
    return sum(
        r[unit] for r in dyad_counts(store, unit, filters) if (r["source"], r["target"]) == (source, target)
    )


def test_dyad_series_has_both_directions(store):
    series = dyad_series(store, "MEX", "CAN", "day", "mentions")
    # sample-jsonl-01 (checked by hand): Mexico's foreign minister visited Ottawa (042) on the 24th of
    # April 2024 and praised (051) and criticised (111) Canada on the 25th; Canada did nothing to Mexico
    assert [(r["period"], r["a_to_b"], r["b_to_a"]) for r in series] == [
        ("2024-04-24", 1, 0),
        ("2024-04-25", 2, 0),
    ]
    assert series[1]["a_to_b_goldstein"] == pytest.approx((3.4 - 2.0) / 2)
    assert series[0]["b_to_a_goldstein"] is None
    assert dyad_series(store, "RUS", "UKR") == []


def test_network_counterparts_are_the_other_side(store, records):
    rows = actor_network(store, "SEN", "mentions")
    expected = Counter()
    for _, e in _mentions(records):
        s, t = e.source_code or "", e.target_code or ""
        if s.startswith("SEN") and t and not t.startswith("SEN"):
            expected[(t, "out")] += 1
        elif t.startswith("SEN") and s and not s.startswith("SEN"):
            expected[(s, "in")] += 1
    got = {(r["counterpart"], "out"): r["outgoing"] for r in rows} | {
        (r["counterpart"], "in"): r["incoming"] for r in rows
    }
    assert {k: v for k, v in got.items() if v} == dict(expected)
    assert all(r["mentions"] == r["outgoing"] + r["incoming"] for r in rows)


# -- speakers ------------------------------------------------------------------------------------------------


def test_speakers_counted_from_the_records(store, records):
    expected = Counter()
    for record in records:
        for quote in record.quotes:
            speaker = record.actor(quote.speaker) if quote.speaker else None
            if speaker is not None:
                expected[(speaker.name, speaker.code)] += 1
    rows = speaker_counts(store, "mentions", limit=None, about=0)
    assert {(r["speaker_name"], r["speaker_code"]): r["quote_mentions"] for r in rows} == dict(expected)


def test_whom_speakers_speak_about_checked_by_hand(store):
    # Sample 02. Duarte: "Brazil was ready to hold talks with European negotiators on ..." and "Brazil wants
    # a fair agreement, and we will negotiate in good faith." Sardinha: praised Brazil for "its commitment to
    # the negotiations" (no actor named in those words) and "Portugal will defend this agreement in Brussels
    # ..." (Brussels there is a place, not an actor).
    rows = {r["speaker_name"]: r for r in speaker_counts(store, limit=None)}
    duarte, sardinha = rows["Helena Duarte"], rows["Miguel Sardinha"]
    assert duarte["quotations"] == 2 and sardinha["quotations"] == 2
    assert duarte["about"] == [
        {"name": "Brazil", "code": "BRA", "n": 2},
        {"name": "European negotiators", "code": "---GOV", "n": 1},
    ]
    assert sardinha["about"] == [{"name": "Portugal", "code": "PRT", "n": 1}]


def test_speakers_refuse_event_filters(store, demo_db: Path):
    with pytest.raises(UsageError, match="--code"):
        stats_table(store, "speaker", filters=Filters(code="04"))
    result = runner.invoke(app, ["stats", "--db", str(demo_db), "--by", "speaker", "--mood", "asserted"])
    assert result.exit_code == 2 and "speakers are counted from quotes" in result.output
    # --about 0 reads no record and drops the column
    result = runner.invoke(
        app, ["stats", "--db", str(demo_db), "--by", "speaker", "--about", "0", "--format", "csv"]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == "speaker_name,speaker_code,quotations"


# -- the report and the command ------------------------------------------------------------------------------


def test_summary_has_every_section_in_one_unit(store):
    summary = stats_summary(store, unit="mentions", limit=3)
    assert summary["unit"] == "mentions"
    assert [len(summary[k]["rows"]) for k in ("dyad", "root", "period", "speaker")] == [3, 3, 3, 3]
    assert summary["dyad"]["count_column"] == "mentions"
    assert summary["speaker"]["count_column"] == "quote_mentions"
    assert summary["period"]["n_periods"] > 3
    # the latest periods, in time order
    assert summary["period"]["rows"] == period_counts(store, "week", "mentions")[-3:]


def test_cli_csv_is_the_library_table(demo_db: Path, store):
    result = runner.invoke(
        app,
        [
            "stats",
            "--db",
            str(demo_db),
            "--by",
            "dyad",
            "--count",
            "mentions",
            "--format",
            "csv",
            "--limit",
            "0",
        ],
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0]) == ["source", "target", "mentions", "goldstein", "cooperation", "conflict"]
    expected = dyad_counts(store, "mentions")
    assert [(r["source"], r["target"], int(r["mentions"])) for r in rows] == [
        (r["source"], r["target"], r["mentions"]) for r in expected
    ]


def test_cli_json_says_what_was_counted(demo_db: Path):
    result = runner.invoke(
        app, ["stats", "--db", str(demo_db), "--by", "period", "--period", "month", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["unit"] == "events" and doc["count_column"] == "events"
    assert "count once" in doc["unit_note"]
    assert doc["rows"][0]["period"] == "2019-06"  # the EU-Mercosur agreement of June 28, 2019 (sample 02)
    summary = runner.invoke(app, ["stats", "--db", str(demo_db)])
    assert summary.exit_code == 0, summary.output
    assert "distinct events from" in summary.stdout and "per dyad" in summary.stdout


def test_cli_errors_are_one_line(demo_db: Path, tmp_path: Path):
    missing = runner.invoke(app, ["stats", "--db", str(tmp_path / "nope.db")])
    assert missing.exit_code == 2
    assert "no such database" in missing.output and "tacitus process" in missing.output
    assert not (tmp_path / "nope.db").exists()
    csv_summary = runner.invoke(app, ["stats", "--db", str(demo_db), "--format", "csv"])
    assert csv_summary.exit_code == 2 and "--by" in csv_summary.output
    mood = runner.invoke(app, ["stats", "--db", str(demo_db), "--mood", "angry"])
    assert mood.exit_code == 2 and "angry is not a mood" in mood.output
    with pytest.raises(StoreUnavailable, match="no such database"):
        open_existing(tmp_path / "nope.db")


# -- PostgreSQL ------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pg_url() -> Iterator[str]:
    """A scratch PostgreSQL database for this module (skipped when no server answers), dropped after it."""
    yield from pg_scratch.database(f"tacitus_stats_{os.getpid()}")


def test_postgresql_counts_the_same(store, demo_db: Path, pg_url: str):
    connection = sqlite3.connect(demo_db)
    ids = [row[0] for row in connection.execute("SELECT article_id FROM articles ORDER BY pk")]
    connection.close()
    with open_store(pg_url) as pg:
        for article_id in ids:  # in the order the samples were stored
            assert pg.write(store.get_record(article_id)) == "inserted"
        for by in ("dyad", "root", "quad", "period", "speaker"):
            expected = stats_table(store, by, unit="mentions", limit=0)["rows"]
            got = stats_table(pg, by, unit="mentions", limit=0)["rows"]
            assert _rounded(got) == _rounded(expected), by
        with pg.engine.connect() as c:
            n_clusters = c.execute(sa.text("SELECT count(*) FROM event_clusters WHERE NOT negated")).scalar()
            lone = c.execute(
                sa.text("SELECT count(*) FROM events WHERE cluster_pk IS NULL AND NOT negated")
            ).scalar()
        assert totals(pg)["events"] == n_clusters + lone
        assert stats_table(pg, "period", period="month")["rows"][0]["period"] == "2019-06"


def _rounded(rows: list[dict]) -> list[dict]:
    return [{k: round(v, 9) if isinstance(v, float) else v for k, v in row.items()} for row in rows]

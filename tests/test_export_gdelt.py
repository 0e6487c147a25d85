"""GDELT 2.0 export: the event and mentions tables read back as a GDELT notebook reads them, values checked
by hand against the sample texts, and the parts (actor codes, geography, dates, lead) on their own."""

from __future__ import annotations

import csv
import io
import sqlite3
from pathlib import Path

import pandas as pd
import pytest

from tacitus.export import Filters, export
from tacitus.export.actor_codes import split_actor_code
from tacitus.export.gdelt import (
    EVENT_COLUMNS,
    MENTION_COLUMNS,
    day_columns,
    gdelt_stamp,
    geo_cells,
    lead_end,
    sentence_number,
    source_name,
)
from tacitus.export.geo import fips, make_geo
from test_export import WIRE_URL, sample_store

HEADER_CSV = (
    Path(__file__).resolve().parents[2]
    / "shared/resources/cameo/GDELT_2.0_Events_Column_Labels_Header_Row_Sep2016.csv"
)

# GDELT's codebook types (the header CSV's dataType column), as a notebook maps them to pandas dtypes; codes
# stay strings so "041" keeps its zero.
_PANDAS = {"INTEGER": "Int64", "FLOAT": "float64", "STRING": "string"}


def gdelt_dtypes() -> dict[str, str]:
    if not HEADER_CSV.exists():
        pytest.skip(f"{HEADER_CSV} is missing (tests read ../shared beside the checkout)")
    with HEADER_CSV.open(encoding="utf-8") as handle:
        return {row["tableId"]: _PANDAS[row["dataType"]] for row in csv.DictReader(handle)}


@pytest.fixture(scope="module")
def db() -> Path:
    return sample_store()


@pytest.fixture(scope="module")
def events(db) -> pd.DataFrame:
    out = io.StringIO()
    export(db, "events", "gdelt", stdout=out)
    out.seek(0)
    # exactly as a GDELT notebook reads a GDELT 2.0 export file
    return pd.read_csv(out, sep="\t", header=None, names=list(gdelt_dtypes()), dtype=gdelt_dtypes())


def _cluster(db: Path, where: str) -> int:
    with sqlite3.connect(db) as connection:
        (pk,) = connection.execute(
            f"SELECT c.pk FROM event_clusters c JOIN events e ON e.pk = c.event_pk WHERE {where}"
        ).fetchone()
    return pk


def test_columns_are_gdelt_s_61_in_its_order():
    assert list(EVENT_COLUMNS) == list(gdelt_dtypes())
    assert len(EVENT_COLUMNS) == 61 and len(MENTION_COLUMNS) == 16


def test_events_load_with_gdelt_names_and_dtypes(db, events):
    with sqlite3.connect(db) as connection:
        (n,) = connection.execute("SELECT count(*) FROM event_clusters").fetchone()
    assert len(events) == n > 0
    assert events["GLOBALEVENTID"].is_unique
    assert str(events["GoldsteinScale"].dtype) == "float64" and str(events["DATEADDED"].dtype) == "Int64"
    assert set(events["EventRootCode"].dropna()) <= {f"{r:02d}" for r in range(1, 21)}
    assert events["AvgTone"].isna().all()  # no tone method: empty, never zero
    assert set(events["QuadClass"].dropna()) <= {1, 2, 3, 4}


def test_the_ottawa_visit_row_by_hand(db, events):
    # sample-jsonl-01, published Thursday 2024-04-25 by Northern Ledger and again by Prairie Courier:
    # "Foreign Minister Sofía Aranda of Mexico visited Ottawa on Wednesday for talks with ... Mark Delaney"
    pk = _cluster(db, "e.trigger = 'visited' AND e.source_code = 'MEXGOV'")
    row = events.set_index("GLOBALEVENTID").loc[pk]
    assert (row.SQLDATE, row.MonthYear, row.Year) == (20240424, 202404, 2024)
    assert row.FractionDate == pytest.approx(2024 + (4 * 30 + 24) / 365, abs=1e-4)
    assert (row.Actor1Code, row.Actor1Name, row.Actor1CountryCode, row.Actor1Type1Code) == (
        "MEXGOV", "SOFÍA ARANDA", "MEX", "GOV",
    )  # fmt: skip
    assert (row.Actor2Code, row.Actor2CountryCode, row.Actor2Type1Code) == ("CANGOV", "CAN", "GOV")
    assert pd.isna(row.Actor1KnownGroupCode) and pd.isna(row.Actor1Type2Code)
    assert (row.EventCode, row.EventBaseCode, row.EventRootCode) == ("042", "042", "04")
    assert (row.QuadClass, row.GoldsteinScale, row.IsRootEvent) == (1, 1.9, 1)
    # one mention, in one article printed by two outlets
    assert (row.NumMentions, row.NumArticles, row.NumSources) == (1, 2, 2)
    # Ottawa (GeoNames 6094817) is a city outside the US: WORLDCITY, FIPS "CA" for Canada
    assert (row.ActionGeo_Type, row.ActionGeo_FullName, row.ActionGeo_CountryCode) == (
        4,
        "Ottawa, Canada",
        "CA",
    )
    assert row.ActionGeo_Lat == pytest.approx(45.41, abs=0.01) and row.ActionGeo_Long == pytest.approx(
        -75.70, abs=0.01
    )
    assert row.ActionGeo_FeatureID == "6094817" and pd.isna(row.ActionGeo_ADM1Code)
    # Actor2 (Canada's government, named by "Ottawa") has a Canadian place in its sentence; Actor1 none
    assert row.Actor2Geo_FullName == "Ottawa, Canada" and pd.isna(row.Actor1Geo_Type)
    assert row.SOURCEURL == "https://example.org/northern-ledger/2024/04/25/mexico-canada-ottawa-talks"
    assert len(str(row.DATEADDED)) == 14 and str(row.DATEADDED).startswith("20")


def test_international_actors_split_as_gdelt_does(db, events):
    # "... the European Union and Mercosur signed ..." in 02-portugal-brazil-phone-call
    pk = _cluster(db, "e.source_code = 'IGOEUREEC' AND e.target_code = 'IGOSAMBUS'")
    row = events.set_index("GLOBALEVENTID").loc[pk]
    assert (row.Actor1CountryCode, row.Actor1KnownGroupCode, row.Actor1Type1Code) == ("EUR", "EEC", "IGO")
    assert (row.Actor2CountryCode, row.Actor2Type1Code, row.Actor2Type2Code) == ("SAM", "IGO", "BUS")
    assert row.EventCode == "057" and row.GoldsteinScale == 8.0 and row.IsRootEvent == 0
    assert pd.isna(row.SOURCEURL)  # the text sample has no URL: empty, not made up


def test_header_line_and_filters(db):
    out = io.StringIO()
    export(db, "events", "gdelt", header=True, filters=Filters(actor="MEX", type="CONSULT"), stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].split("\t") == list(EVENT_COLUMNS)
    rows = [line.split("\t") for line in lines[1:]]
    assert rows and all(len(r) == 61 for r in rows)
    assert all("MEX" in (r[7], r[17]) and r[28] == "04" for r in rows)


def test_mentions_lead_back_to_each_publication_and_sentence(db):
    out = io.StringIO()
    export(db, "mentions", "gdelt", stdout=out)
    out.seek(0)
    mentions = pd.read_csv(out, sep="\t", header=None, names=list(MENTION_COLUMNS),
                           dtype={"MentionSourceName": "string", "MentionIdentifier": "string"})  # fmt: skip
    pk = _cluster(db, "e.trigger = 'visited' AND e.source_code = 'MEXGOV'")
    visit = mentions[pk == mentions.GLOBALEVENTID].sort_values("MentionIdentifier")
    assert list(visit.MentionIdentifier) == [
        "https://example.org/northern-ledger/2024/04/25/mexico-canada-ottawa-talks", WIRE_URL,
    ]  # fmt: skip
    assert list(visit.MentionSourceName) == ["example.org", "prairie-courier.example"]
    assert set(visit.MentionType) == {1} and set(visit.SentenceID) == {1}
    # "Foreign Minister Sofía Aranda of Mexico visited Ottawa": Aranda at 17, Ottawa at 48, "visited" at 40
    assert set(visit.Actor1CharOffset) == {17} and set(visit.Actor2CharOffset) == {48}
    assert set(visit.ActionCharOffset) == {40}
    with sqlite3.connect(db) as connection:
        (length,) = connection.execute(
            "SELECT length(text) FROM articles WHERE article_id = 'sample-jsonl-01'"
        ).fetchone()
        (event_ids,) = connection.execute("SELECT count(*) FROM event_clusters").fetchone()
    assert set(visit.MentionDocLen) == {length}
    # every GDELT event has at least one mention; a text sample without URL is cited by outlet and id
    assert mentions.GLOBALEVENTID.nunique() == event_ids
    nairobi = mentions[mentions.MentionIdentifier.str.contains("nairobi")]
    assert set(nairobi.MentionType) == {2}
    assert set(nairobi.MentionIdentifier) == {"Meridian News 01-nairobi-fuel-levy-protest"}


def test_mentions_filter_by_outlet_keeps_only_its_publications(db):
    out = io.StringIO()
    export(db, "mentions", "gdelt", filters=Filters(source="prairie"), stdout=out)
    rows = [line.split("\t") for line in out.getvalue().splitlines()]
    assert rows and {r[5] for r in rows} == {WIRE_URL}


# -- the parts -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "country", "group", "religions", "types"),
    [
        ("RUSGOV", "RUS", "", (), ("GOV",)),
        ("IGOUNO", "", "UNO", (), ("IGO",)),
        ("---GOVMIL", "", "", (), ("GOV", "MIL")),
        ("NGOUSAHRI", "USA", "", (), ("NGO", "HRI")),
        ("PSEREBHMS", "PSE", "HMS", (), ("REB",)),
        ("CHRCTH", "", "", ("CHR", "CTH"), ()),
        ("IRQMUSSHI", "IRQ", "", ("MUS", "SHI"), ()),
        ("USAGOVMILSPYCOP", "USA", "", (), ("GOV", "MIL", "SPY")),
    ],
)
def test_actor_codes_split_into_gdelt_parts(code, country, group, religions, types):
    parts = split_actor_code(code)
    assert (parts.country, parts.known_group, parts.religions, parts.types) == (
        country,
        group,
        religions,
        types,
    )
    assert parts.code == code.removeprefix("---")


def test_geography_uses_fips_and_gdelt_types():
    assert (fips("GBR"), fips("DEU"), fips("THA"), fips("KSV"), fips("XYZ")) == ("UK", "GM", "TH", "KV", "")
    bangkok = make_geo("Bangkok", "THA", 13.75, 100.5, "city", 1609350)
    assert bangkok.cells() == (4, "Bangkok, Thailand", "TH", "", "", 13.75, 100.5, "1609350")
    assert make_geo("Boston", "USA", 42.36, -71.06, "city", 4930956).type == 3  # USCITY
    nigeria = make_geo("Nigeria", "NGA", 9.0, 8.0, None, None)  # a country named as such
    assert (nigeria.type, nigeria.country_code, nigeria.adm1, nigeria.feature_id) == (1, "NI", "NI", "NI")
    unknown = make_geo("Uhuru Park", None, None, None, "place", None)
    assert unknown.type is None and unknown.full_name == "Uhuru Park" and unknown.country_code == ""


def test_dates_and_stamps():
    assert day_columns("2017-12-15") == ("20171215", "201712", "2017", f"{2017 + (12 * 30 + 15) / 365:.4f}")
    assert day_columns(None) == ("", "", "", "")
    assert gdelt_stamp("2026-12-03T07:55:36+00:00") == "20261203075536"
    assert gdelt_stamp("2026-12-03T09:55:36+02:00") == "20261203075536"  # GDELT stamps are UTC
    assert gdelt_stamp(None) == "" and gdelt_stamp("soon") == ""


def test_lead_and_sentence_numbers():
    text = "Short headline\n\nMr. Yun appealed to Pyongyang on Friday to accept talks, in Bangkok.\n\nHe said more."
    end = lead_end(text)
    assert text[:end].endswith("in Bangkok.")  # the headline has fewer than eight words
    assert sentence_number(text, text.index("Mr. Yun")) == 2
    assert sentence_number(text, text.index("He said")) == 3
    block = "One two three four. Five six seven eight. Nine ten."
    assert block[: lead_end(block)] == "One two three four. Five six seven eight."


def test_source_names_are_hosts():
    assert source_name("https://www.nytimes.com/2016/09/20/x.html", "NYT") == "nytimes.com"
    assert source_name(None, "Meridian News") == "Meridian News"


def _gdelt_lines(db: Path) -> list[list[str]]:
    out = io.StringIO()
    export(db, "events", "gdelt", stdout=out)
    return [line.split("\t") for line in out.getvalue().splitlines()]


def _sqlalchemy_lines(db: Path, header: bool = False) -> list[list[str]]:
    # the general path, which builds the query with SQLAlchemy: what filters and PostgreSQL go through
    from tacitus.export import gdelt
    from tacitus.store import open_store

    out = io.StringIO()
    with open_store(db) as store, store.engine.connect() as connection:
        gdelt.write(connection, "events", Filters(), out, header=header)
    return [line.split("\t") for line in out.getvalue().splitlines()]


def test_places_are_the_first_of_the_country_in_the_sentence_in_any_chunking(db, monkeypatch):
    # the geography groups are found by the export's subqueries and read per chunk: checked against the rule written
    # as SQL (the first gazetteer place, in text order, of the actor's country inside the mention's sentence;
    # for the action, the first named as the cluster's place), and in chunks of 2 rows, which split articles
    # across chunks, the file is the same
    rule = """SELECT p.name, p.country, p.lat, p.lon, p.kind, p.geonames_id
              FROM event_clusters c JOIN events e ON e.pk = c.event_pk
              JOIN places p ON p.article_pk = e.article_pk
              WHERE c.pk = :pk AND p.kind != 'place' AND {match} ORDER BY p.pk LIMIT 1"""
    in_sentence = "p.span_start >= e.sentence_start AND p.span_end <= e.sentence_end AND p.country = c.{}"
    groups = {
        "Actor1Geo": rule.format(match=in_sentence.format("source_country")),
        "Actor2Geo": rule.format(match=in_sentence.format("target_country")),
        "ActionGeo": rule.format(match="p.name = c.place_name"),
    }
    lines = _gdelt_lines(db)
    by_id = {int(cells[0]): cells for cells in lines}
    found = 0
    with sqlite3.connect(db) as connection:
        for (pk,) in connection.execute("SELECT pk FROM event_clusters"):
            for group, sql in groups.items():
                place = connection.execute(sql, {"pk": pk}).fetchone()
                cells = by_id[pk]
                at = EVENT_COLUMNS.index(f"{group}_Type")
                if place is None:
                    if group != "ActionGeo":  # the action may take the cluster's own place instead
                        assert cells[at : at + 8] == [""] * 8, (pk, group)
                    continue
                found += 1
                assert cells[at : at + 8] == geo_cells(*place).split("\t"), (pk, group, place)
    assert found >= 3
    from tacitus.export import lookups, stream

    monkeypatch.setattr(lookups, "CHUNK", 2)  # the chunks of the sqlite3 path (a whole SQLite store)
    assert _gdelt_lines(db) == lines
    original = stream.raw_chunks
    monkeypatch.setattr(
        stream, "raw_chunks", lambda connection, statement, size=2: original(connection, statement, 2)
    )
    assert _sqlalchemy_lines(db) == lines  # and those of the SQLAlchemy path (filters, PostgreSQL)


def test_action_takes_the_cluster_s_own_place_when_the_article_does_not_name_it(db, tmp_path):
    # the cluster's place came from another member article: it has no kind or id here, and no place of the
    # representative article is taken for it; a cluster without a place has an empty ActionGeo
    import shutil

    copy = tmp_path / "own-place.db"
    shutil.copy(db, copy)
    with sqlite3.connect(copy) as connection:
        first, second = (
            pk for (pk,) in connection.execute("SELECT pk FROM event_clusters ORDER BY pk LIMIT 2")
        )
        connection.execute(
            "UPDATE event_clusters SET place_name = 'Atlantis', place_country = 'GRC', place_lat = 1.5,"
            " place_lon = 2.25 WHERE pk = ?",
            (first,),
        )
        connection.execute("UPDATE event_clusters SET place_name = '' WHERE pk = ?", (second,))
    by_id = {int(cells[0]): cells for cells in _gdelt_lines(copy)}
    at = EVENT_COLUMNS.index("ActionGeo_Type")
    # no Geo_Type (a name the gazetteer was not asked about), the country's name after it, FIPS GR
    assert by_id[first][at : at + 8] == ["", "Atlantis, Greece", "GR", "", "", "1.5", "2.25", ""]
    assert by_id[second][at : at + 8] == [""] * 8


def test_every_event_stores_the_lead_and_places_the_rules_give(db):
    # revision 0013: what a GDELT row takes from its representative mention is found when the event is
    # written; checked for every event (not only representatives) against the rules written out again here:
    # the lead from the article's text, the places as SQL (first gazetteer place in text order)
    first = (
        """SELECT min(p.pk) FROM places p WHERE p.article_pk = e.article_pk AND p.kind != 'place' AND {}"""
    )
    in_sentence = "p.span_start >= e.sentence_start AND p.span_end <= e.sentence_end AND p.country = {}"
    country = "CASE WHEN length({0}) >= 3 AND substr({0}, 1, 3) != '---' THEN upper(substr({0}, 1, 3)) END"
    rule = f"""SELECT e.pk, e.in_lead, e.source_place_pk, e.target_place_pk, e.place_pk, e.sentence_start, a.text,
                      ({first.format(in_sentence.format(country.format("e.source_code")))}),
                      ({first.format(in_sentence.format(country.format("e.target_code")))}),
                      CASE WHEN coalesce(e.place_name, '') != '' THEN ({first.format("p.name = e.place_name")}) END
               FROM events e JOIN articles a ON a.pk = e.article_pk"""
    with sqlite3.connect(db) as connection:
        rows = connection.execute(rule).fetchall()
    assert len(rows) > 50
    placed = 0
    for pk, in_lead, source, target, own, start, text, *expected in rows:
        assert [source, target, own] == expected, pk
        placed += sum(x is not None for x in expected)
        lead = text[: lead_end(text[:1500])]
        assert in_lead == (None if start is None else int(start < len(lead) or start == 0)), pk
    assert placed >= 10
    assert {r[1] for r in rows} == {0, 1}


def test_a_store_without_the_stored_fields_exports_the_same_bytes(db, tmp_path):
    # rows stored before revision 0013 had none of the four columns: with them null the export finds the lead
    # and the places as it did before (subqueries, the articles' first characters), byte for byte; a stored
    # place key is not read for such a row
    import shutil

    expected = io.StringIO()
    export(db, "events", "gdelt", stdout=expected)
    copy = tmp_path / "before-0013.db"
    shutil.copy(db, copy)
    with sqlite3.connect(copy) as connection:
        connection.execute(
            "UPDATE events SET in_lead = NULL, source_place_pk = 1, target_place_pk = 1, place_pk = NULL"
        )
    out = io.StringIO()
    export(copy, "events", "gdelt", stdout=out)
    assert out.getvalue() == expected.getvalue()
    assert {line.split("\t")[EVENT_COLUMNS.index("IsRootEvent")] for line in out.getvalue().splitlines()} == {
        "0",
        "1",
    }


def test_the_sqlite3_path_runs_the_statement_sqlalchemy_builds():
    # a whole SQLite store's event table is read with sqlite3 and a statement written out in gdelt.py: it must
    # stay what stream.gdelt_events_rows compiles to on SQLite without filters
    from sqlalchemy.dialects import sqlite

    from tacitus.export import gdelt, stream

    built = stream.gdelt_events_rows(Filters()).compile(
        dialect=sqlite.dialect(), compile_kwargs={"literal_binds": True}
    )
    assert str(built) == gdelt.SQLITE_EVENTS


def test_the_sqlite3_path_writes_the_bytes_of_the_sqlalchemy_path_without_importing_it(db, tmp_path):
    import subprocess
    import sys

    from tacitus.export import gdelt

    assert gdelt.sqlite_file_at_head(db) == db
    with_header = io.StringIO()
    export(db, "events", "gdelt", stdout=with_header, header=True)
    lines = [line.split("\t") for line in with_header.getvalue().splitlines()]
    assert lines == _sqlalchemy_lines(db, header=True) and lines[0] == list(EVENT_COLUMNS)
    out = tmp_path / "events.tsv"
    code = (
        "import sys; from tacitus.cli import main; "
        f"sys.argv = ['tacitus', 'export', 'events', '--db', {str(db)!r}, '--format', 'gdelt', '-o', {str(out)!r}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('sqlalchemy', 'tacitus.store', 'alembic') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]", done.stderr
    assert [line.split("\t") for line in out.read_text(encoding="utf-8").splitlines()] == lines[1:]


def test_a_store_the_sqlite3_path_cannot_read_goes_the_store_s_way(db, tmp_path):
    # a URL, a store at another revision, a file that is no store: opened as any store, with its messages
    import shutil

    from tacitus.errors import StoreUnavailable
    from tacitus.export import gdelt

    assert gdelt.sqlite_file_at_head(f"sqlite:///{db}") is None
    out = io.StringIO()
    export(f"sqlite:///{db}", "events", "gdelt", stdout=out)
    assert [line.split("\t") for line in out.getvalue().splitlines()] == _gdelt_lines(db)
    newer = tmp_path / "newer.db"
    shutil.copy(db, newer)
    with sqlite3.connect(newer) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999'")
    assert gdelt.sqlite_file_at_head(newer) is None
    with pytest.raises(StoreUnavailable, match="newer than this Tacitus knows"):
        export(newer, "events", "gdelt", stdout=io.StringIO())
    junk = tmp_path / "junk.db"
    junk.write_text("not a database", encoding="utf-8")
    assert gdelt.sqlite_file_at_head(junk) is None
    with pytest.raises(StoreUnavailable):
        export(junk, "events", "gdelt", stdout=io.StringIO())

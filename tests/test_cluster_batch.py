"""The clustering's candidate reads batched per article (issue 13), on SQLite and, when the local server
answers, on PostgreSQL: all of an article's event keys (and quote speakers) are read in one statement, and
what each key gets is what a read of that key alone gets: the same clusters, in the same order, with the
same members, at the limits too; an article clustered with batched reads joins the same clusters as with
one read per key. The expected candidates are read here with SQLAlchemy, one statement per read, from the
conditions the clustering documents (same root and negation, compatible countries, days within the window;
another root of the QuadClass; the same dyad under another root; a speaker's quotations in the window)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from pg_scratch import scratch_url_fixture, store_fixture  # noqa: F401 (an empty store on each database)
from tacitus.model import Actor, Event, Quote, Record
from tacitus.store import Store, open_store, quote_rules
from tacitus.store import cluster_rules as rules
from tacitus.store import clusters as clustering
from tacitus.store.cluster_rows import _event_rows, _mention, _stories
from tacitus.store.cluster_rules import Mention, iso_day
from tacitus.store.quote_rules import QuoteMention, quote_words
from tacitus.store.schema import event_clusters, events, quote_clusters

# actors: (code, kind); the country-less codes make keys with one or no country known
ACTORS = [
    ("USAGOV", "organization"), ("RUSGOV", "organization"), ("CHNGOV", "organization"),
    ("---GOV", "organization"), ("FRAGOV", "organization"),
]  # fmt: skip
ROOTS = ("04", "05", "03", "19", "18")  # 03-05 one QuadClass, 18-19 another
POOL = ["talks ceasefire border envoy", "sanctions oil exports tanker", "summit trade tariffs deal",
        "missile strike city shelling", "election fraud protest capital"]  # fmt: skip
SPEAKERS = [("USAGOV", "Joe Biden"), ("RUSGOV", "Vladimir Putin"), ("FRAGOV", "Emmanuel Macron")]


def article(i: int) -> Record:
    """Article ``i``: five events of keys that turn with ``i`` (roots, dyads, a country-less actor), whose
    sentences repeat a few topics so that many cluster, days spread over two weeks, and three quotes of
    speakers that turn too, their words repeating so that quotations gather several quotes."""
    day = (date(2024, 3, 1) + timedelta(days=i % 14)).isoformat()
    actors = [
        Actor(f"a{k}", f"Actor {code}", code, rules.country_part(code), "GOV", kind)
        for k, (code, kind) in enumerate(ACTORS)
    ]
    text, evs = f"Report {i}. ", []
    for k in range(5):
        source, target = (i + k) % 5, (i + 2 * k + 1) % 5
        sentence = f"Actor {ACTORS[source][0]} {POOL[(i * 3 + k) % 5]} {POOL[(i + k) % 5].split()[0]} now."
        start = len(text)
        text += sentence + " "
        root = ROOTS[(i + k) % 5]
        evs.append(
            Event(f"e{k}", f"a{source}", f"a{target}" if target != source else None, ACTORS[source][0],
                  ACTORS[target][0] if target != source else None, root + "0", root, 1, 1.0, None,
                  negated=(i + k) % 7 == 0, date=day if k % 2 else None, sentence_span=(start, start + len(sentence)))
        )  # fmt: skip
    quotes = []
    for q in range(3):
        code, name = SPEAKERS[(i + q) % 3]
        line = f"we will {POOL[(i + q) % 5]} together with {POOL[(i * 2 + q) % 5]}"
        start = len(text) + 1
        text += f'"{line}," {name} said. '
        actors.append(Actor(f"s{q}", name, code, code[:3], "GOV", "person"))
        quotes.append(Quote(f"q{q}", f"s{q}", None, None, (start, start + len(line))))
    return Record(
        id=f"r{i}", text=text, title=f"Report {i}", published=day, source=f"Outlet {i % 4}",
        url=f"https://example.org/r{i}", actors=actors, events=evs, quotes=quotes,
    )  # fmt: skip


def _reads(m: Mention) -> list[list[sa.ColumnElement[bool]]]:
    """The conditions of the reads for mentions of ``m``'s key on ``m``'s day, as the clustering documents
    them."""
    c = event_clusters.c
    pad = timedelta(days=rules.EVENT_WINDOW_DAYS)
    window = [
        c.negated == m.negated,
        c.last_day >= (m.day - pad).isoformat(),
        c.day <= (m.day + pad).isoformat(),
    ]
    compatible = [
        sa.or_(column == value, column.is_(None))
        for column, value in ((c.source_country, m.source_country), (c.target_country, m.target_country))
        if value is not None
    ]
    reads = [[c.root == m.root, *window, *compatible]]
    if m.source_country is not None and m.target_country is not None:
        reads.append([c.source_country == m.source_country, c.target_country == m.target_country,
                      c.root != m.root, *window])  # fmt: skip
    return reads


def expected_events(connection: sa.Connection, m: Mention) -> dict[int, list[int]]:
    """The candidates of ``m``'s key read alone: cluster pk -> member event pks, clusters in the order of
    their first member."""
    c = event_clusters.c
    pks: set[int] = set()
    for conditions in _reads(m):
        stmt = sa.select(c.pk).where(*conditions).order_by(c.last_day.desc(), c.pk.desc())
        pks |= set(connection.execute(stmt.limit(clustering.MAX_CANDIDATES)).scalars())
    found: dict[int, list[int]] = {}
    if pks:
        for row in _event_rows(connection, events.c.cluster_pk.in_(sorted(pks))):
            members = found.setdefault(row.cluster_pk, [])
            if len(members) < clustering.MAX_MEMBERS:
                members.append(row.pk)
    return found


def expected_quotes(connection: sa.Connection, key: str, day: date) -> list[tuple[int, Any, Any, int]]:
    c = quote_clusters.c
    pad = timedelta(days=quote_rules.QUOTE_WINDOW_DAYS)
    stmt = (
        sa.select(c.pk, c.first_day, c.last_day, c.quote_pk)
        .where(
            c.speaker_key == key,
            c.last_day >= (day - pad).isoformat(),
            c.first_day <= (day + pad).isoformat(),
        )
        .order_by(c.last_day.desc(), c.pk.desc())
        .limit(clustering.MAX_CANDIDATES)
    )
    return [(pk, iso_day(first), iso_day(last), rep) for pk, first, last, rep in connection.execute(stmt)]


def probes(connection: sa.Connection) -> list[Mention]:
    """One stored mention of every key there is, each on a day of its own, as the clustering reads them."""
    rows = _event_rows(connection, events.c.pk.is_not(None))
    stories = _stories(connection, (r.article_pk for r in rows))
    seen: dict[tuple, Mention] = {}
    for row in rows:
        m = _mention(row, stories)
        if m.day is not None:
            seen.setdefault(clustering._key(m), m)
    return list(seen.values())


@pytest.mark.parametrize("limits", [(200, 50, 40), (3, 2, 2)], ids=["default", "small"])
def test_each_key_gets_what_its_own_read_gets(
    store: Store, monkeypatch: pytest.MonkeyPatch, limits: tuple[int, int, int]
) -> None:
    for i in range(40):
        store.write(article(i))
    with store.engine.connect() as connection:
        unlimited = [len(expected_events(connection, m)) for m in probes(connection)]
    # small limits: a key has more candidates than it may keep, a cluster more members, an article more
    # reads than one statement takes
    for name, value in zip(("MAX_CANDIDATES", "MAX_MEMBERS", "READS_PER_STATEMENT"), limits, strict=True):
        monkeypatch.setattr(clustering, name, value)
    with store.engine.connect() as connection:
        mentions = probes(connection)
        assert len(mentions) >= 20, len(mentions)
        # one group per key, as an article with all those keys would have them
        got = clustering._event_candidates_of(connection, [[m] for m in mentions])
        expected = [expected_events(connection, m) for m in mentions]
    multi = [e for e in expected if any(len(v) > 1 for v in e.values())]
    assert len(multi) >= 5 and sum(len(e) for e in expected) >= 60  # the store has clusters to compare
    if limits[0] == 3:
        # at most two reads a key (its root; its dyad under other roots), each cut at 3, and keys that had more
        assert all(len(e) <= 2 * 3 for e in expected) and max(unlimited) > 3
    for g, e in zip(got, expected, strict=True):
        assert list(g) == list(e)  # the same clusters, in the same order
        assert {pk: [m.pk for m in members] for pk, members in g.items()} == e


def test_each_speaker_gets_what_its_own_read_gets(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    for i in range(30):
        store.write(article(i))
    monkeypatch.setattr(clustering, "MAX_CANDIDATES", 4)
    monkeypatch.setattr(clustering, "READS_PER_STATEMENT", 2)
    day = date(2024, 3, 8)
    keys = [quote_rules.speaker_key(code, name) for code, name in SPEAKERS] + ["NOBODY"]
    with store.engine.connect() as connection:
        got = clustering._quote_candidates_of(
            connection, {key: [QuoteMention(0, 0, key, None, day, frozenset())] for key in keys}
        )
        expected = {key: expected_quotes(connection, key, day) for key in keys}
        content = dict(connection.execute(sa.select(quote_clusters.c.pk, quote_clusters.c.content)).all())
    assert list(got) == keys and got["NOBODY"] == []
    assert all(len(expected[key]) == 4 for key in keys[:3])
    for key in keys:
        assert [(pk, first, last, rep.pk) for pk, first, last, rep in got[key]] == expected[key]
        assert [rep.words for pk, *_, rep in got[key]] == [quote_words(content[pk]) for pk, *_ in got[key]]


def test_a_driver_of_named_parameters_reads_the_same(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    # SQLite's and psycopg's drivers take positional parameters; any other goes through SQLAlchemy's text
    for i in range(20):
        store.write(article(i))
    day = date(2024, 3, 8)
    speakers = {
        quote_rules.speaker_key(code, name): [QuoteMention(0, 0, "", None, day, frozenset())]
        for code, name in SPEAKERS
    }
    with store.engine.connect() as connection:
        groups = [[m] for m in probes(connection)]
        driver = (
            clustering._event_candidates_of(connection, groups),
            clustering._quote_candidates_of(connection, speakers),
        )
        monkeypatch.setattr(clustering, "_POSITIONAL", {})
        monkeypatch.setattr(clustering, "READS_PER_STATEMENT", 3)
        text = (
            clustering._event_candidates_of(connection, groups),
            clustering._quote_candidates_of(connection, speakers),
        )
    assert sum(len(g) for g in driver[0]) >= 20 and all(driver[1].values())
    assert [{pk: [m.pk for m in ms] for pk, ms in g.items()} for g in text[0]] == [
        {pk: [m.pk for m in ms] for pk, ms in g.items()} for g in driver[0]
    ]
    assert text[1] == driver[1]


def _statements(store: Store) -> list[str]:
    seen: list[str] = []
    sa.event.listen(
        store.engine, "before_cursor_execute", lambda c, cur, statement, *rest: seen.append(statement)
    )
    return seen


def test_an_article_reads_its_candidates_in_one_statement_for_events_and_one_for_quotes(store: Store) -> None:
    for i in range(10):
        store.write(article(i))
    seen = _statements(store)
    store.write(article(10))
    assert sum("FROM event_clusters WHERE" in s for s in seen) == 1
    assert sum("FROM quote_clusters WHERE" in s for s in seen) == 1
    # and the members of all the keys' clusters in one read (the keys, then the rows by key), before the
    # links are written (after them, the clusters joined are read again to be recounted)
    linked = next(n for n, s in enumerate(seen) if s.startswith("UPDATE events SET cluster_pk"))
    assert sum("WHERE events.cluster_pk IN" in s for s in seen[:linked]) == 1


def _cluster_partitions(store: Store) -> tuple[list, list]:
    with store.engine.connect() as connection:
        parts = []
        for table in (events, quotes_table()):
            rows = connection.execute(sa.select(table.c.pk, table.c.cluster_pk).order_by(table.c.pk)).all()
            parts.append(rows)
        clusters = [
            connection.execute(sa.select(t).order_by(t.c.pk)).mappings().all()
            for t in (event_clusters, quote_clusters)
        ]
    strip = [[{k: v for k, v in row.items() if k != "added_at"} for row in rows] for rows in clusters]
    return parts, strip


def quotes_table() -> sa.Table:
    from tacitus.store.schema import quotes

    return quotes


def test_clusters_are_the_same_as_with_one_read_per_key(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    records = [article(i) for i in range(36)]
    for record in records:
        store.write(record)
    batched = _cluster_partitions(store)
    assert sum(1 for _, c in batched[0][0] if c is not None) == 36 * 5
    by_cluster: dict[int, int] = {}
    for _, c in batched[0][0]:
        by_cluster[c] = by_cluster.get(c, 0) + 1
    assert max(by_cluster.values()) >= 3  # mentions did join clusters
    # the same records, each key's (and speaker's) candidates read on their own, as before the batching
    events_of, quotes_of = clustering._event_candidates_of, clustering._quote_candidates_of
    monkeypatch.setattr(
        clustering, "_event_candidates_of", lambda c, groups: [events_of(c, [g])[0] for g in groups]
    )
    monkeypatch.setattr(
        clustering,
        "_quote_candidates_of",
        lambda c, groups: {k: quotes_of(c, {k: g})[k] for k, g in groups.items()},
    )
    with open_store(tmp_path / "one_by_one.db") as other:
        for record in records:
            other.write(record)
        assert _cluster_partitions(other) == batched

"""The clustering's reads of stored mentions (issue 14), on SQLite and, when the local server answers, on
PostgreSQL: each member event is read with its actors' kinds looked up by article and id through the index
of revision 0014 (PostgreSQL had sorted the whole ``actors`` table twice for every read), and candidate
clusters tied on their last day come in the same order on both databases, so both cluster alike.
Records are built by hand; expected kinds and orders are computed from what the test wrote."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from pg_scratch import scratch_url_fixture, store_fixture  # noqa: F401 (an empty store on each database)
from tacitus.model import Actor, Event, Quote, Record
from tacitus.store import Store
from tacitus.store import clusters as clustering
from tacitus.store.cluster_rows import _event_rows, _mention
from tacitus.store.schema import articles, events

KINDS = ("person", "organization", None)
COUNTRIES = ("USA", "RUS", "CHN", "FRA", "DEU", "GBR", "IND", "JPN", "BRA", "MEX")
SYLLABLES = ("ba", "ke", "mi", "no", "ru", "sa", "ti", "vo", "lu", "pe")


def word(n: int) -> str:
    """A made-up word of its own for every ``n`` below 10,000, so that no two sentences share words."""
    return "".join(SYLLABLES[n // 10**p % 10] for p in range(4)) + "n"


def words(start: int, n: int) -> str:
    return " ".join(word(start + j) for j in range(n))


def article(i: int, *, day: str = "2024-03-05", n_actors: int = 4) -> Record:
    """Article ``i``: ``n_actors`` actors ``a1``... whose kinds turn with ``i`` (so the same id has another
    kind in the next article), one event from each actor to the next (the last has no target), and a
    quote of USAGOV's; no two sentences or quotes share a word, so no two of them cluster."""
    actors = [
        Actor(
            f"a{k}", f"Actor {i}-{k}", f"{COUNTRIES[k % 10]}GOV", COUNTRIES[k % 10], "GOV", KINDS[(i + k) % 3]
        )
        for k in range(1, n_actors + 1)
    ]
    text, evs = f"Report {i}. ", []
    for k, actor in enumerate(actors, 1):
        sentence = f"{actor.name} {words(i * 200 + k * 4, 4)}."
        start = len(text)
        text += sentence + " "
        target = actors[k] if k < len(actors) else None
        evs.append(
            Event(f"e{k}", actor.id, target.id if target else None, actor.code, target.code if target else None,
                  "040", "04", 1, 1.0, None, sentence_span=(start, start + len(sentence)))
        )  # fmt: skip
    line = words(9000 + i * 10, 8)
    start = len(text) + 1
    text += f'"{line}," Trump said.'
    actors.append(Actor("t", "Donald Trump", "USAGOV", "USA", "GOV", "person"))
    quote = Quote("q1", "t", None, None, (start, start + len(line)))
    return Record(
        id=f"r{i}", text=text, title=f"Report {i}", published=day, source=f"Outlet {i}",
        url=f"https://example.org/r{i}", actors=actors, events=evs, quotes=[quote],
    )  # fmt: skip


def test_members_are_read_with_their_own_articles_actor_kinds(store: Store) -> None:
    records = [article(i) for i in range(6)]
    for record in records:
        store.write(record)
    expected = {}
    for record in records:
        kind = {a.id: a.kind for a in record.actors}
        for e in record.events:
            expected[(record.id, e.id)] = (kind[e.source], kind.get(e.target))
    ids = sa.select(events.c.pk, articles.c.article_id, events.c.event_id).join(articles)
    with store.engine.connect() as connection:
        names = {pk: (article_id, event_id) for pk, article_id, event_id in connection.execute(ids)}
        cluster_pks = {r.cluster_pk for r in connection.execute(sa.select(events.c.cluster_pk))}
        rows = _event_rows(connection, events.c.cluster_pk.in_(sorted(cluster_pks)))
    # the same ids name actors of other kinds in the next article: a lookup not tied to the event's own
    # article would give some event the kind of another article's actor
    assert len(rows) == len(expected) == 24
    assert {names[r.pk]: (r.source_kind, r.target_kind) for r in rows} == expected
    assert [r.pk for r in rows] == sorted(r.pk for r in rows)


def test_the_migration_indexes_actors_by_article_and_id(store: Store) -> None:
    indexes = {i["name"]: i["column_names"] for i in sa.inspect(store.engine).get_indexes("actors")}
    assert indexes["ix_actors_article_actor"] == ["article_pk", "actor_id"]


def _plan(store: Store, stmt: sa.Select) -> str:
    compiled = stmt.compile(store.engine, compile_kwargs={"literal_binds": True})
    with store.engine.connect() as connection:
        if store.engine.dialect.name == "postgresql":
            return "\n".join(connection.exec_driver_sql(f"EXPLAIN {compiled}").scalars())
        return "\n".join(row[3] for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}"))


def test_the_members_read_looks_kinds_up_by_index_rather_than_reading_all_actors(store: Store) -> None:
    # enough actors that reading them all costs more than a lookup per event on PostgreSQL too (never
    # analysed, as on a server without autovacuum); SQLite plans the same at any size
    for i in range(40):
        store.write(article(i, n_actors=40))
    with store.engine.connect() as connection:
        latest = connection.execute(sa.text("SELECT pk FROM event_clusters ORDER BY pk DESC LIMIT 30"))
        pks = sorted(latest.scalars())
    plan = _plan(store, clustering.event_select().where(events.c.cluster_pk.in_(pks)).order_by(events.c.pk))
    if store.engine.dialect.name == "postgresql":
        assert "Seq Scan on actors" not in plan, plan
        assert plan.count("ix_actors_article_actor") == 2 and plan.count("SubPlan") == 2, plan
    else:
        assert "SCAN actors" not in plan, plan
        assert plan.count("USING INDEX ix_actors_article_actor") == 2, plan
        assert "ix_events_cluster_pk" in plan, plan


def test_candidates_tied_on_their_last_day_come_latest_stored_first_on_both_databases(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    # four articles of one day whose events and quotes share no words: four clusters of each key, all with
    # the same last day
    for i in range(4):
        store.write(article(i, n_actors=2))
    with store.engine.connect() as connection:
        quote_pks = list(connection.execute(sa.text("SELECT pk FROM quote_clusters ORDER BY pk")).scalars())
        first = _event_rows(connection, events.c.event_id == "e1")
        event_pks = sorted(r.cluster_pk for r in first)
        assert len(quote_pks) == len(set(event_pks)) == 4
        mention = _mention(first[0])
    # PostgreSQL orders the ties as its plan reads them: by an index read backwards (as SQLite always
    # does) on a small table, but after a bitmap scan and a sort on a large one (the soak's store), which
    # kept ties in table order; the order must not depend on the plan
    settings = (
        [None, "SET LOCAL enable_indexscan = off"] if store.engine.dialect.name == "postgresql" else [None]
    )
    for setting in settings:
        with store.engine.begin() as connection:
            if setting:
                connection.exec_driver_sql(setting)
            found = clustering._quote_candidates_of(connection, {"USAGOV": [_quote(mention.day)]})["USAGOV"]
            assert [pk for pk, *_ in found] == sorted(quote_pks, reverse=True), setting
            # at the limit, the latest stored of the tied clusters are kept
            monkeypatch.setattr(clustering, "MAX_CANDIDATES", 2)
            assert sorted(clustering._event_candidates_of(connection, [[mention]])[0]) == event_pks[-2:], (
                setting
            )
            monkeypatch.setattr(clustering, "MAX_CANDIDATES", 200)


def _quote(day: object) -> object:
    from tacitus.store.quote_rules import QuoteMention

    return QuoteMention(0, 0, "USAGOV", "Donald Trump", day, frozenset())

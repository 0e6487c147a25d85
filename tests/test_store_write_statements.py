"""A write's fixed statements are built once (issue 13: the Dask client's CPU per article on SQLite), and
still do per article what they did: the text-hash lookup finds that article's text, the article insert
returns that article's key, each article's events take their places from its own places, and every
article adds one to its source's boilerplate count. On SQLite and, when the local server answers,
PostgreSQL (whose inserted key comes back through RETURNING)."""

from __future__ import annotations

import sqlalchemy as sa

from pg_scratch import scratch_url_fixture, store_fixture  # noqa: F401 (an empty store on each database)
from tacitus.model import Actor, Event, Place, Record
from tacitus.store import Store, content_hash, writing
from tacitus.store.publications import Provenance
from tacitus.store.schema import articles, boilerplate_lines, boilerplate_sources, events, places


def _span(text: str, part: str) -> tuple[int, int]:
    i = text.index(part)
    return (i, i + len(part))


def record(i: int, city: str) -> Record:
    """Article ``i``: one event, a visit to ``city`` (its own gazetteer place), and a place named before it
    (so that the city is not the article's first place row)."""
    text = f"Report {i} from Paris. Olaf Scholz visited {city} on day {i}."
    sentence = _span(text, f"Olaf Scholz visited {city} on day {i}")
    return Record(
        id=f"r{i}",
        text=text,
        title=f"Visit {i}",
        published="2024-03-01",
        source="Wire",
        actors=[
            Actor("a1", "Olaf Scholz", "DEUGOV", "DEU", "GOV", "person", None, [_span(text, "Olaf Scholz")])
        ],
        events=[
            Event(
                "e1",
                "a1",
                None,
                "DEUGOV",
                None,
                "042",
                "04",
                1,
                1.9,
                "CONSULT",
                sentence_span=sentence,
                trigger_span=_span(text, "visited"),
                rule="t.v1",
                place=None,
            )
        ],  # fmt: skip
        places=[
            Place(_span(text, "Paris"), "Paris", "FRA", 48.85, 2.35, 2988507, kind="city"),
            Place(_span(text, city), city, "DEU", 52.5, 13.4, 2950159, kind="city"),
        ],
    )


def test_the_hash_lookup_and_the_article_insert_are_one_statement_each_for_every_write(store: Store) -> None:
    seen: list[tuple[object, object]] = []

    def note(conn, clause, multiparams, params, execution_options) -> None:  # noqa: ANN001
        if clause is writing._PK_OF_HASH or clause is writing._INSERT_ARTICLE:
            seen.append((clause, (multiparams or [params])[0]))

    sa.event.listen(store.engine, "before_execute", note)
    try:
        first, second = record(1, "Berlin"), record(2, "Bonn")
        assert store.write(first) == "inserted" and store.write(second) == "inserted"
    finally:
        sa.event.remove(store.engine, "before_execute", note)
    # the same statement objects both times, with each article's own values
    assert [clause for clause, _ in seen] == [writing._PK_OF_HASH, writing._INSERT_ARTICLE] * 2
    assert [seen[0][1]["digest"], seen[2][1]["digest"]] == [
        content_hash(first.text),
        content_hash(second.text),
    ]
    assert [seen[1][1]["text"], seen[3][1]["text"]] == [first.text, second.text]
    with store.engine.connect() as connection:
        stored = dict(connection.execute(sa.select(articles.c.article_id, articles.c.pk)).all())
    assert set(stored) == {"r1", "r2"} and stored["r1"] != stored["r2"]


def test_each_article_keeps_its_own_key_and_its_events_their_own_places(store: Store) -> None:
    for i, city in enumerate(["Berlin", "Bonn", "Hamburg"]):
        store.write(record(i, city))
    with store.engine.connect() as connection:
        pk_of = dict(connection.execute(sa.select(articles.c.article_id, articles.c.pk)).all())
        place_pks = {
            (article_pk, name): pk
            for article_pk, name, pk in connection.execute(
                sa.select(places.c.article_pk, places.c.name, places.c.pk)
            )
        }
        linked = dict(connection.execute(sa.select(events.c.article_pk, events.c.source_place_pk)).all())
    assert len(set(pk_of.values())) == 3
    for i, city in enumerate(["Berlin", "Bonn", "Hamburg"]):
        pk = pk_of[f"r{i}"]
        # the actor's place: the first German gazetteer place in the event's sentence, this article's city
        assert linked[pk] == place_pks[(pk, city)]
    assert {pk for pk, _ in place_pks} == set(pk_of.values())


def test_the_same_text_is_skipped_and_replaced_on_reprocess(store: Store) -> None:
    assert store.write(record(1, "Berlin")) == "inserted"
    assert store.write(record(1, "Berlin")) == "skipped"
    assert store.write(record(2, "Bonn")) == "inserted"
    assert store.write(record(1, "Berlin"), reprocess=True) == "replaced"
    with store.engine.connect() as connection:
        assert connection.execute(sa.select(sa.func.count()).select_from(articles)).scalar() == 2


def test_every_article_adds_one_to_its_sources_boilerplate_counts(store: Store) -> None:
    lines = ["k-shared", "k-other"]
    for i in range(3):
        provenance = Provenance(
            key=f"key-{i}", source="Wire", lines=[lines[0], f"k-{i}"] + lines[1:] * (i == 2)
        )
        assert store.write(record(i, "Berlin"), provenance=provenance) == "inserted"
    store.write(record(9, "Bonn"), provenance=Provenance(key="key-9", source="Other", lines=["k-shared"]))
    with store.engine.connect() as connection:
        sources = dict(
            connection.execute(
                sa.select(boilerplate_sources.c.source, boilerplate_sources.c.n_articles)
            ).all()
        )
        counted = {
            (source, key): n
            for source, key, n in connection.execute(
                sa.select(
                    boilerplate_lines.c.source, boilerplate_lines.c.line_key, boilerplate_lines.c.n_articles
                )
            )
        }
    assert sources == {"Wire": 3, "Other": 1}
    assert counted == {
        ("Wire", "k-shared"): 3, ("Wire", "k-0"): 1, ("Wire", "k-1"): 1, ("Wire", "k-2"): 1,
        ("Wire", "k-other"): 1, ("Other", "k-shared"): 1,
    }  # fmt: skip

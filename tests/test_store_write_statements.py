"""A write's fixed statements are built once (issue 13: the Dask client's CPU per article on SQLite), and
still do per article what they did: the text-hash lookup finds that article's text, the article insert
returns that article's key, each article's events take their places from its own places, and every
article adds one to its source's boilerplate count; its signature and band keys are written by statements
built once too, and keep or undo the signature state as its banding says. On SQLite and, when the local
server answers, PostgreSQL (whose inserted key comes back through RETURNING)."""

from __future__ import annotations

import sqlalchemy as sa

from pg_scratch import scratch_url_fixture, store_fixture  # noqa: F401 (an empty store on each database)
from tacitus.model import Actor, Event, Place, Record
from tacitus.store import Store, bands, content_hash, writing
from tacitus.store.publications import Provenance
from tacitus.store.schema import (
    articles,
    boilerplate_lines,
    boilerplate_sources,
    events,
    places,
    signature_bands,
    signature_state,
    signatures,
)


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


def _signed(i: int, pairs: list[tuple[int, int]], banding: str | None = "B") -> Provenance:
    """The provenance of a run that signed article ``i``: a signature of its own, and ``pairs`` of
    ``banding`` (none: a signature kept without band keys)."""
    return Provenance(
        key=f"key-{i}", signature=bytes([i]) * 16, size=i, scheme="S", bands=pairs, band_scheme=banding
    )


def _set_state(store: Store, state: dict[str, str]) -> None:
    with store.engine.begin() as connection:
        connection.execute(sa.delete(signature_state))
        for name, value in state.items():
            connection.execute(sa.insert(signature_state), {"name": name, "value": value})


def test_the_band_statements_are_the_same_for_every_write_with_each_articles_values(store: Store) -> None:
    order = [bands._INSERT_SIGNATURE, bands._INSERT_BANDS, bands._UNDO_OTHER_COMPLETE, bands._MARK_MIXED]
    seen: list[tuple[object, object]] = []

    def note(conn, clause, multiparams, params, execution_options) -> None:  # noqa: ANN001
        if any(clause is fixed for fixed in order):
            seen.append((clause, multiparams[0] if multiparams else params))

    # the second article shares band 0's key with the first, as a near-duplicate does
    first, second = [(0, 11), (1, -5)], [(0, 11), (2, 2**62)]
    sa.event.listen(store.engine, "before_execute", note)
    try:
        assert store.write(record(1, "Berlin"), provenance=_signed(1, first)) == "inserted"
        assert store.write(record(2, "Bonn"), provenance=_signed(2, second)) == "inserted"
    finally:
        sa.event.remove(store.engine, "before_execute", note)
    # the same statement objects both times, with each article's own values
    assert [clause for clause, _ in seen] == order * 2
    with store.engine.connect() as connection:
        pk_of = dict(connection.execute(sa.select(articles.c.article_id, articles.c.pk)).all())
        signed = {
            pk: (scheme, size, bytes(data))
            for pk, scheme, size, data in connection.execute(
                sa.select(
                    signatures.c.article_pk, signatures.c.scheme, signatures.c.size, signatures.c.minhash
                )
            )
        }
        banded = sorted(
            connection.execute(
                sa.select(signature_bands.c.article_pk, signature_bands.c.band, signature_bands.c.key)
            ).all()
        )
    one, two = pk_of["r1"], pk_of["r2"]
    assert [seen[0][1]["article_pk"], seen[4][1]["article_pk"]] == [one, two]
    assert [seen[2][1]["kept"], seen[3][1]["banding"]] == [["B", "pending:B"], "B"]
    assert signed == {one: ("S", 1, b"\x01" * 16), two: ("S", 2, b"\x02" * 16)}
    assert banded == sorted([(one, b, k) for b, k in first] + [(two, b, k) for b, k in second])


def test_each_write_keeps_or_undoes_the_signature_state_as_its_banding_says(store: Store) -> None:
    # (the state before, the article's provenance, the state after), each from the same statements
    cases = [
        # keys of the store's banding: a finished pass and a running one both stand
        ({"banding": "B", "complete": "B"}, _signed(1, [(0, 1)]), {"banding": "B", "complete": "B"}),
        ({"banding": "B", "complete": "pending:B"}, _signed(2, [(0, 2)]), {"banding": "B", "complete": "pending:B"}),
        # keys of another banding: the store's banding is mixed, and it is no longer complete
        ({"banding": "B", "complete": "B"}, _signed(3, [(0, 3)], "C"), {"banding": "mixed"}),
        # a pass of another banding is undone; the article's own banding is kept
        ({"banding": "C", "complete": "pending:B"}, _signed(4, [(0, 4)], "C"), {"banding": "C"}),
        # a signature without keys, or no signature (the library's write): not complete any more
        ({"banding": "B", "complete": "B"}, _signed(5, [], None), {"banding": "B"}),
        ({"banding": "B", "complete": "B"}, None, {"banding": "B"}),
    ]  # fmt: skip
    for i, (before, provenance, after) in enumerate(cases, start=1):
        _set_state(store, before)
        assert store.write(record(i, "Berlin"), provenance=provenance) == "inserted"
        with store.engine.connect() as connection:
            assert bands.state(connection) == after, (i, before)

"""Actors learned from the store: a person an earlier article named with a title is known to later ones.

The flow a user sees: ``tacitus process`` stores an article that says "Russian Deputy Foreign Minister Igor
Morgulov said ..."; a later article that says only "Morgulov said" gets him coded RUSGOV with
``code_source`` "learned", and the entry names the article it came from. Curated and user entries always
win over learned ones.
"""

from __future__ import annotations

import io
from pathlib import Path

import sqlalchemy as sa
from alembic import command

from tacitus import jobs
from tacitus.kb import load_kb
from tacitus.kb.learned import LEARNED_PREFIX, learned_entries
from tacitus.model import Article, Record
from tacitus.store import _alembic_config, open_store

FIRST = (
    "MOSCOW, Dec 14 - Russian Deputy Foreign Minister Igor Morgulov said on Thursday that Moscow would "
    "not accept new sanctions against Pyongyang. Morgulov told reporters that talks were the only way."
)
LATER = "Morgulov said on Friday that the talks in Beijing had been useful and that a new round would follow."


def _row(name: str, code: str, day: str, article_id: str = "x") -> dict:
    return {
        "name": name,
        "code": code,
        "role": None,
        "article_id": article_id,
        "content_hash": "0" * 64,
        "published_day": day,
    }


def _morgulov(record) -> dict:
    return next(a for a in record.to_dict()["actors"] if "Morgulov" in a["name"])


def test_entries_take_the_latest_code_and_an_unshared_surname() -> None:
    kb = load_kb()
    rows = [
        _row("Igor Morgulov", "RUSGOV", "2015-01-01", "old"),
        _row("Igor Morgulov", "RUSELI", "2021-01-01", "new"),
        _row("Anna Zmeyova", "UKRGOV", "2020-01-01"),
        _row("Pavel Zmeyov", "RUSGOV", "2020-01-01"),
        _row("Boris Zmeyova", "BLRGOV", "2020-01-01"),
    ]
    entries = {e["name"]: e for e in learned_entries(rows, kb)}
    morgulov = entries["Igor Morgulov"]
    assert morgulov["codes"] == [{"code": "RUSELI", "start": None, "end": None}]
    assert morgulov["source"] == "article new (2021-01-01)"
    assert morgulov["id"].startswith(LEARNED_PREFIX)
    assert "morgulov" in morgulov["names"]
    # two learned people share "Zmeyova": the surname alone is not guessed between them
    assert entries["Anna Zmeyova"]["names"] == ["Anna Zmeyova"]
    assert entries["Pavel Zmeyov"]["names"] == ["Pavel Zmeyov", "zmeyov"]


def test_people_the_knowledge_base_knows_are_left_to_it() -> None:
    kb = load_kb()
    assert kb.lookup_person("Vladimir Putin") is not None
    entries = learned_entries([_row("Vladimir Putin", "USAGOV", "2020-01-01")], kb)
    assert entries == []


def test_learned_forms_never_outrank_the_knowledge_base() -> None:
    kb = load_kb()
    # a learned person called "Jordan" must not turn the country into a person
    overlay = kb.with_entries(
        [
            {
                "id": "learned:x",
                "name": "Michael Jordan",
                "kind": "person",
                "country": "USA",
                "names": ["Michael Jordan", "Jordan"],
                "codes": [{"code": "USAGOV", "start": None, "end": None}],
            }
        ],
        override=False,
    )
    assert overlay.lookup("Jordan").kind == "country"
    assert overlay.lookup("Michael Jordan").code == "USAGOV"
    assert kb.lookup("Michael Jordan") is None  # the shared, cached knowledge base is untouched


def test_a_later_article_resolves_a_surname_the_store_learned(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    jobs.process([], db, articles=[Article(text=FIRST, id="first", published="2017-12-14")])
    report = jobs.process([], db, articles=[Article(text=LATER, id="later", published="2017-12-15")])
    assert report.stored == {"inserted": 1}
    with open_store(db) as store:
        first = _morgulov(store.get_record("first"))
        later = _morgulov(store.get_record("later"))
    assert first["code"] == "RUSGOV" and first["code_source"] == "text"
    assert later["code"] == "RUSGOV"
    assert later["code_source"] == "learned"
    # without the store (extract), nothing is learned: the surname alone stays uncoded
    out = io.StringIO()
    jobs.extract(["-"], out, stdin=io.BytesIO(LATER.encode()), published="2017-12-15", title=False)
    assert _morgulov(Record.from_json(out.getvalue()))["code"] is None


def test_workers_use_what_the_store_learned(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    jobs.process([], db, articles=[Article(text=FIRST, id="first", published="2017-12-14")])
    later = [Article(text=LATER + f" Round {n}.", id=f"later{n}", published="2017-12-15") for n in range(3)]
    jobs.process([], db, articles=later, n_process=2)
    with open_store(db) as store:
        assert {_morgulov(store.get_record(f"later{n}"))["code_source"] for n in range(3)} == {"learned"}


def test_upgrading_an_old_store_fills_code_source_from_the_records(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    jobs.process([], db, articles=[Article(text=FIRST, id="first", published="2017-12-14")])
    with open_store(db) as store:
        config = _alembic_config()
        with store.engine.begin() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, "0001")  # what a store written by the previous release looks like
        with store.engine.connect() as connection:
            columns = {c["name"] for c in sa.inspect(connection).get_columns("actors")}
        assert "code_source" not in columns
    with open_store(db) as store:  # opening migrates to head and backfills
        learned = store.learned_actors()
        with store.engine.connect() as connection:
            sources = connection.execute(sa.text("SELECT code_source FROM actors")).scalars().all()
    assert None not in sources
    assert [(r["name"], r["code"], r["article_id"]) for r in learned] == [
        ("Igor Morgulov", "RUSGOV", "first")
    ]

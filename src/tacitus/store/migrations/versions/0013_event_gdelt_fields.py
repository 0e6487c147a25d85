"""Each event keeps what a GDELT event row takes from it: whether it is in its article's lead, and its
source's, target's and own places (issue 11).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03

A GDELT event row (one per event cluster) takes IsRootEvent and three places from the cluster's
representative mention. The export found them per row: three correlated subqueries on ``places`` and the
first 1,500 characters of each article re-read and re-split into paragraphs and sentences, most of its
database time. They depend only on the event and its article, so they are now found once, when the event is
written (``tacitus.store.rows``), and stored:

- ``in_lead``: 1 when the event's sentence starts in its article's lead (the first paragraph of at least 8
  words; a text without a paragraph break in its first 1,500 characters: its first two sentences), 0 when
  not, NULL when the sentence is unknown;
- ``source_place_pk``, ``target_place_pk``: the first gazetteer place (kind set and not ``place``) of the
  article whose country is the actor code's country block, inside the event's sentence;
- ``place_pk``: the first gazetteer place of the article named as the event's own place.

Rows stored before this revision are filled here, by the rules the export applied until now, spelled out
below so that the migration stays frozen: the places by SQL (the export's own subqueries), the lead in
Python from each article's first 1,500 characters. Columns only, added in place: ``events`` is not copied
(a batch copy would drop the word index's triggers on it).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_COLUMNS = ("in_lead", "source_place_pk", "target_place_pk", "place_pk")

# -- the lead, as tacitus.lead defined it at this revision ------------------------------------------
_LEAD_MIN_WORDS, _LEAD_SENTENCES, _LEAD_CHARS = 8, 2, 1500
_PARAGRAPH = re.compile(r"[^\n]+")
_ABBREVIATIONS = [
    "Mr", "Mrs", "Ms", "Dr", "St", "Sr", "Jr", "Gen", "Lt", "Col", "Sgt", "Capt", "Maj", "Adm", "Sen", "Rep",
    "Gov", "Pres", "Prof", "Rev", "Hon", "No", "Vol", "Inc", "Co", "Corp", "Ltd", "Jan", "Feb", "Mar", "Apr",
    "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec", "vs", "etc",
]  # fmt: skip
_BEHIND = "".join(
    rf"(?<!\b(?:{'|'.join(w for w in _ABBREVIATIONS if len(w) == n)})\.)"
    for n in sorted({len(w) for w in _ABBREVIATIONS})
)
_SENTENCE_STOP = re.compile(rf"(?:\.{_BEHIND}(?<!\b[A-Z]\.)(?<!\.[A-Za-z]\.)|[!?])[\"'”’)\]]*\s+")


def _lead_end(head: str) -> int:
    if "\n" not in head.strip():
        for n, match in enumerate(_SENTENCE_STOP.finditer(head), start=1):
            if n == _LEAD_SENTENCES:
                return match.start() + 1
        return len(head)
    for match in _PARAGRAPH.finditer(head):
        if len(match.group().split()) >= _LEAD_MIN_WORDS:
            return match.end()
    return len(head)


# -- the places, as the GDELT export's subqueries found them ----------------------------------------------


def _country(code: str) -> str:
    # the country block of an actor code (tacitus.store.cluster_rules.country_part): none for a code shorter
    # than three letters or one that claims no country (---GOV)
    return (
        f"CASE WHEN length(events.{code}) >= 3 AND substr(events.{code}, 1, 3) <> '---' "
        f"THEN upper(substr(events.{code}, 1, 3)) END"
    )


def _first_place(condition: str) -> str:
    # min(pk + 0): answered from ix_places_article_country / ix_places_article_name alone (revision 0012)
    return (
        "(SELECT min(p.pk + 0) FROM places p WHERE p.article_pk = events.article_pk AND p.kind <> 'place' "
        f"AND {condition})"
    )


def _in_sentence(code: str) -> str:
    return _first_place(
        f"p.country = {_country(code)} AND p.span_start >= events.sentence_start "
        "AND p.span_end <= events.sentence_end"
    )


_BATCH = 20_000


def upgrade() -> None:
    """Add the four columns and fill them for the events stored before."""
    for name in _COLUMNS:
        op.add_column("events", sa.Column(name, sa.Integer))
    connection = op.get_bind()
    (top,) = connection.execute(sa.text("SELECT coalesce(max(pk), 0) FROM events")).one()
    places = sa.text(
        f"UPDATE events SET source_place_pk = {_in_sentence('source_code')}, "
        f"target_place_pk = {_in_sentence('target_code')}, "
        "place_pk = CASE WHEN coalesce(events.place_name, '') = '' THEN NULL "
        f"ELSE {_first_place('p.name = events.place_name')} END "
        "WHERE events.pk > :low AND events.pk <= :high"
    )
    for low in range(
        0, top, _BATCH
    ):  # in slices, so that PostgreSQL's row versions are made a slice at a time
        connection.execute(places, {"low": low, "high": low + _BATCH})
    # a sentence at the very top is in the lead, one past the first 1,500 characters is not; in between the
    # article's lead is found from its first characters
    connection.execute(sa.text("UPDATE events SET in_lead = 1 WHERE sentence_start <= 0"))
    connection.execute(sa.text(f"UPDATE events SET in_lead = 0 WHERE sentence_start >= {_LEAD_CHARS}"))
    heads = sa.text(
        f"SELECT pk, substr(text, 1, {_LEAD_CHARS}) FROM articles WHERE pk > :after AND EXISTS "
        "(SELECT 1 FROM events e WHERE e.article_pk = articles.pk AND e.sentence_start > 0 "
        f"AND e.sentence_start < {_LEAD_CHARS}) ORDER BY pk LIMIT 1000"
    )
    lead = sa.text(
        "UPDATE events SET in_lead = CASE WHEN sentence_start < :lead_end THEN 1 ELSE 0 END "
        f"WHERE article_pk = :pk AND sentence_start > 0 AND sentence_start < {_LEAD_CHARS}"
    )
    after = 0
    while True:
        rows = connection.execute(heads, {"after": after}).all()
        if not rows:
            break
        connection.execute(lead, [{"pk": pk, "lead_end": _lead_end(head or "")} for pk, head in rows])
        after = rows[-1][0]


def downgrade() -> None:
    """Drop the columns (in place: SQLite 3.35 and later drop a column without copying the table)."""
    for name in reversed(_COLUMNS):
        op.drop_column("events", name)

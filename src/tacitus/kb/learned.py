"""What the store teaches the knowledge base: people an earlier article named with their title.

"Russian Deputy Foreign Minister Igor Morgulov said" codes Morgulov from the article's own words
(``code_source`` "text"). The knowledge base does not know him, so a later article that says only
"Morgulov told reporters" would leave him uncoded. ``tacitus process`` therefore reads such people from the
store before a run (:meth:`tacitus.store.Store.learned_actors`) and adds them, under their full name and
their surname, to the knowledge base its workers use. Curated entries always win: a learned name only takes
forms no packaged or user entry has, and a surname shared by two learned people is not guessed between.
Every learned entry names the article it came from (``source``), and actors resolved through one say
``code_source`` "learned".
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from tacitus.kb import KnowledgeBase, normalize

__all__ = ["LEARNED_PREFIX", "learned_entries"]

LEARNED_PREFIX = "learned:"
_SUFFIXES = frozenset(["jr", "sr", "ii", "iii", "iv"])


def _surname(key: str) -> str | None:
    parts = [p for p in key.split() if p not in _SUFFIXES]
    return parts[-1] if len(parts) >= 2 else None


def learned_entries(rows: list[dict[str, Any]], kb: KnowledgeBase) -> list[dict[str, Any]]:
    """Turn the store's rows (oldest first, as :meth:`Store.learned_actors` returns them) into entries.

    One entry per person: the latest article's code wins (people change posts). People the knowledge
    base already knows by name are left to it. The code is undated: the article says what the person was
    when it was written, and nothing better is known for other days.
    """
    latest: dict[str, dict[str, Any]] = {}
    for row in rows:
        key = normalize(row["name"])
        if _surname(key) is not None:
            latest[key] = row
    latest = {k: row for k, row in latest.items() if kb.lookup_person(row["name"]) is None}
    surnames = Counter(_surname(key) for key in latest)
    entries = []
    for key, row in latest.items():
        surname = _surname(key)
        names = [row["name"]]
        if surname and surnames[surname] == 1 and len(surname) > 2 and kb.lookup(surname) is None:
            names.append(surname)
        article = row.get("article_id") or (row.get("content_hash") or "")[:12]
        day = row.get("published_day")
        entries.append(
            {
                "id": f"{LEARNED_PREFIX}{key}",
                "name": row["name"],
                "kind": "person",
                "country": row["code"][:3] if row["code"][:3] != "---" else None,
                "names": names,
                "codes": [{"code": row["code"], "start": None, "end": None}],
                "source": f"article {article}" + (f" ({day})" if day else ""),
            }
        )
    return entries

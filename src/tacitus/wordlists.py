"""Packaged word lists: one or more words a line, ``#`` starting a comment.

Below the components and the store, which both keep hand-curated lists as data (surname-first family names,
the qualifiers of peoples and faiths, the clustering's stop words and speakers' titles).
"""

from __future__ import annotations

from importlib import resources


def read_words(package: str, *path: str) -> frozenset[str]:
    """The words of the text file at ``path`` inside ``package`` (``read_words("tacitus.components", "data",
    "group_qualifiers.txt")``), comments left out."""
    text = resources.files(package).joinpath(*path).read_text(encoding="utf-8")
    return frozenset(w for line in text.splitlines() for w in line.split("#", 1)[0].split())

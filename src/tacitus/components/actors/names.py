"""How a person is called after the first full mention: the short names a story uses for a full name.

Most names are shortened to the last word ("Igor Morgulov" -> "Morgulov"); Chinese and Korean names put the
family name first ("Xi Jinping" -> "Xi", "Ri Yong-ho" -> "Mr Ri"), and the list of those family names is
data (``components/data/surname_first.txt``).
"""

from __future__ import annotations

from functools import lru_cache

from tacitus.components.actors.mentions import _without_suffix
from tacitus.wordlists import read_words


@lru_cache(maxsize=1)
def surname_first_names() -> frozenset[str]:
    """Family names written before the given name (Chinese, Korean), as listed in the data file."""
    return read_words("tacitus.components", "data", "surname_first.txt")


def short_names(full_name: str) -> list[str]:
    """The one-word names a story may use for ``full_name`` later on, most likely first.

    "Kim Jong-un" gives ["Kim", "Jong-un"]: the family name first, then the last word, which stays a
    candidate because romanised names are also written Western-style ("Jack Ma"). A one-word name gives
    nothing: it is already short.
    """
    parts = _without_suffix(full_name.split())
    if len(parts) < 2:
        return []
    names = []
    if parts[0] in surname_first_names() and len(parts) <= 3:
        names.append(parts[0])
    names.append(parts[-1])
    return names

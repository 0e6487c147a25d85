"""The word lists of the event coder's rule files (YAML in ``tacitus/ontology/data``): each file read once
per process, each list checked, every error naming the file and the key."""

from __future__ import annotations

from functools import lru_cache
from importlib.resources import files

import srsly

from tacitus.errors import InvalidRuleFile

__all__ = ["packaged_rules", "word_set"]


@lru_cache(maxsize=16)
def packaged_rules(name: str) -> dict:
    """The mapping a packaged rule file holds; anything else raises :class:`InvalidRuleFile`."""
    data = srsly.yaml_loads(files("tacitus.ontology").joinpath("data", name).read_text("utf-8"))
    if not isinstance(data, dict) or not data:
        raise InvalidRuleFile(f"{name}: expected named lists")
    return data


def word_set(name: str, key: str, value: object, *, upper: bool = False) -> frozenset[str]:
    """``value`` (the list under ``key`` of file ``name``) as a set of words, lower case (``upper``: upper
    case); a value that is not a list of words raises :class:`InvalidRuleFile` naming the file and key."""
    if not isinstance(value, list) or not all(isinstance(w, str) for w in value):
        raise InvalidRuleFile(f"{name}: {key} must be a list of words")
    return frozenset(w.upper() if upper else w.lower() for w in value)

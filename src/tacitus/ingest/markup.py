"""Reading a page's markup: cleaned text of elements, ``<meta>`` tags, and schema.org JSON-LD nodes.

Shared by :mod:`tacitus.ingest.metadata` and :mod:`tacitus.ingest.bylines`, below both, so that neither
imports the other. JSON-LD is read leniently (CMSs wrap it in comments or leave trailing commas); a block
that still does not parse is ignored, as a browser would.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from lxml.html import HtmlElement

# JSON-LD types whose node describes the article itself (schema.org's CreativeWork family used for news).
ARTICLE_TYPES = (
    "article", "newsarticle", "reportagenewsarticle", "analysisnewsarticle", "opinionnewsarticle",
    "reviewnewsarticle", "backgroundnewsarticle", "blogposting", "liveblogposting", "socialmediaposting",
    "scholarlyarticle", "techarticle", "report", "creativework",
)  # fmt: skip
PAGE_TYPES = ("webpage", "itempage", "collectionpage")

_SPACES = re.compile(r"\s+")


def clean(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    text = _SPACES.sub(" ", value).strip()
    return text or None


def text_of(element: HtmlElement) -> str | None:
    return clean(element.text_content())


def _json_blocks(tree: HtmlElement) -> Iterator[Any]:
    for script in tree.iter("script"):
        kind = (script.get("type") or "").lower()
        if "ld+json" not in kind or not script.text:
            continue
        raw = script.text.strip()
        # CMSs wrap the JSON in HTML comments or CDATA, and some leave a trailing comma: be lenient
        raw = re.sub(r"^\s*(?:<!--|/\*<!\[CDATA\[\*/|<!\[CDATA\[)|(?:-->|/\*\]\]>\*/|\]\]>)\s*$", "", raw)
        for attempt in (raw, re.sub(r",\s*([}\]])", r"\1", raw)):
            try:
                yield json.loads(attempt, strict=False)
                break
            except ValueError:
                continue


def _nodes(value: Any) -> Iterator[dict[str, Any]]:
    """Every JSON-LD object in a block, flattening lists and ``@graph``."""
    if isinstance(value, list):
        for item in value:
            yield from _nodes(item)
    elif isinstance(value, dict):
        yield value
        if "@graph" in value:
            yield from _nodes(value["@graph"])


def types_of(node: dict[str, Any]) -> set[str]:
    kinds = node.get("@type")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    return {k.rsplit("/", 1)[-1].lower() for k in kinds if isinstance(k, str)}


@dataclass
class LinkedData:
    nodes: list[dict[str, Any]]
    by_id: dict[str, dict[str, Any]]

    def resolve(self, value: Any) -> Any:
        """A ``{"@id": ...}`` reference replaced by the node it names (Yoast-style graphs)."""
        if isinstance(value, dict) and set(value) <= {"@id", "@type"} and value.get("@id") in self.by_id:
            return self.by_id[value["@id"]]
        return value

    def main(self) -> dict[str, Any] | None:
        """The node that describes the article: the first of an article type, else the web page."""
        for wanted in (ARTICLE_TYPES, PAGE_TYPES):
            for node in self.nodes:
                if types_of(node) & set(wanted):
                    return node
        return None

    def of_type(self, kind: str) -> Iterator[dict[str, Any]]:
        return (n for n in self.nodes if kind in types_of(n))


def linked_data(tree: HtmlElement) -> LinkedData:
    nodes = [n for block in _json_blocks(tree) for n in _nodes(block)]
    by_id = {n["@id"]: n for n in nodes if isinstance(n.get("@id"), str) and len(n) > 2}
    return LinkedData(nodes, by_id)


def names_in(value: Any, data: LinkedData) -> list[str]:
    """Person or organisation names in a JSON-LD value: a string, an object, or a list of them."""
    value = data.resolve(value)
    if isinstance(value, list):
        return [name for item in value for name in names_in(item, data)]
    if isinstance(value, dict):
        name = value.get("name")
        if isinstance(name, list):
            name = name[0] if name else None
        if not clean(name) and (value.get("givenName") or value.get("familyName")):
            name = f"{value.get('givenName') or ''} {value.get('familyName') or ''}"
        return [name] if clean(name) else []
    return [value] if clean(value) else []


def meta_tags(tree: HtmlElement) -> dict[str, list[str]]:
    """``<meta>`` values by lower-cased name, property, itemprop or http-equiv, in page order."""
    found: dict[str, list[str]] = {}
    for tag in tree.iter("meta"):
        content = clean(tag.get("content"))
        if content is None:
            continue
        if "&" in content:
            # CMSs escape twice: "That&#039;s" reaches the attribute after the parser's own unescaping
            content = html.unescape(content)
        for attr in ("name", "property", "itemprop", "http-equiv"):
            # RDFa allows several space-separated properties on one tag
            for key in (tag.get(attr) or "").lower().split():
                found.setdefault(key, []).append(content)
    return found


def first(meta: dict[str, list[str]], *keys: str) -> str | None:
    for key in keys:
        for value in meta.get(key, ()):
            return value
    return None

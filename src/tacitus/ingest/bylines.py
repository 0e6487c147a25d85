"""Who wrote a page: author names from JSON-LD, author meta tags, and elements marked as a byline.

The places are tried in that order, the most explicit first. A byline's text is cut down to the names:
"By", addresses, and whatever follows a date or a role word go. The word lists are data (tuples below), for
the languages of the news Tacitus reads, never rules for one site.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from lxml.html import HtmlElement

from tacitus.ingest.markup import LinkedData, clean, names_in, text_of

# Words that introduce a byline in the languages of the news Tacitus meets ("By Ana Sandoiu", "Par X").
BYLINE_PREFIXES = ("by", "von", "par", "por", "di", "da", "de", "door", "av", "af", "written by", "story by")
# Words that end a name in a byline: what follows is a date, a time or a role, not part of the name.
BYLINE_STOPS = (
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "updated", "published",
    "posted", "last", "edited", "hace", "vor", "il", "le", "před", "am", "pm", "•", "·", "—", "–", "|",
)  # fmt: skip
# Month names end a name only before a number ("Nathan Willis March 25"): "Laura June Topolsky" keeps June.
BYLINE_MONTHS = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
    "dec",
)  # fmt: skip
# Class or id words that mark a byline (any word with "byline", or one of these as a part of it) unless the
# word also says it is a picture, a biography, a follow button or a list of other authors.
AUTHOR_MARKS = ("author", "authors", "authorname", "writer", "reporter")
# Parts of a page whose bylines belong to other texts: comments, related stories, sidebars.
NOT_BYLINE_AREAS = ("comment", "related", "sidebar", "footer", "recommend", "promo", "teaser")
NOT_BYLINE_MARKS = (
    "bio", "follow", "img", "image", "avatar", "about", "photo", "desc", "info", "social", "more", "list",
    "heading", "link", "box", "page", "archive", "profile", "nav", "menu", "comment",
)  # fmt: skip
# Values that author fields hold on real pages but that name no one.
NOT_AUTHORS = ("username", "author", "authors", "admin", "administrator", "follow author", "unknown", "none")
_MAX_NAME_WORDS = 6
_URLISH = re.compile(r"^(?:https?:)?//|^www\.|\.(?:com|org|net|html?)(?:/|$)", re.I)


def _is_url(value: str) -> bool:
    return bool(_URLISH.search(value)) or "@" in value


def _cut_byline(text: str) -> str:
    """A byline reduced to the name(s): no "By", no addresses, nothing from a date or a role word on."""
    text = re.sub(r"[^\s()]+@[^\s()]+|(?:https?://|www\.)[^\s()]+", " ", text)
    text = re.sub(r"\(\s*\)", " ", text).replace("|", " | ")
    words = text.split()
    lowered = [w.lower().rstrip(":,.") for w in words]
    for size in (2, 1):
        if len(words) > size and " ".join(lowered[:size]) in BYLINE_PREFIXES:
            words, lowered = words[size:], lowered[size:]
            break
    for i, word in enumerate(lowered):
        after = lowered[i + 1] if i + 1 < len(lowered) else ""
        if word in BYLINE_STOPS or (word in BYLINE_MONTHS and after[:1].isdigit()):
            words = words[:i]
            break
        if any(ch.isdigit() for ch in word):
            # a name glued to the date that follows it ("Nolan22 Dec 2016") keeps its letters
            head = re.match(r"[^\W\d_]{2,}", words[i])
            words = [*words[:i], head.group(0)] if head and i else words[:i]
            break
    return " ".join(words).strip(" ,;:-–—")


def _split_authors(value: str) -> list[str]:
    parts = [p for p in re.split(r"\s*(?:;|\band\b|&|\bund\b|\bet\b|\by\b|\be\b)\s*", value) if p.strip()]
    out = []
    for part in parts:
        pieces = [p.strip() for p in part.split(",") if p.strip()]
        # "Stella Kim, Jennifer Jett" is two people; "Jong, Michiel de" and "Brenda Goodman, MA" are one
        if len(pieces) > 1 and all(len(p.split()) >= 2 for p in pieces):
            out.extend(pieces)
        else:
            out.append(part.strip())
    return out


def _good_author(name: str) -> bool:
    if not name or _is_url(name) or name.lower() in NOT_AUTHORS:
        return False
    if not any(ch.isalpha() for ch in name) or any(ch.isdigit() for ch in name):
        return False
    return len(name.split()) <= _MAX_NAME_WORDS


def split_names(value: str) -> list[str]:
    """The names in one author string, as a news API or a byline writes them: "A, B and C" gives three;
    "Jong, Michiel de" and "Brenda Goodman, MA" stay one. "By", dates and addresses are dropped."""
    return _authors_from([value])


def _authors_from(values: Iterable[str]) -> list[str]:
    out: list[str] = []
    for value in values:
        text = clean(value)
        if text is None:
            continue
        text = _cut_byline(text)  # drops addresses: an article:author that is a profile URL gives nothing
        for name in _split_authors(text):
            name = _cut_byline(name)
            if _good_author(name) and name.casefold() not in (o.casefold() for o in out):
                out.append(name)
    return out


def _is_byline_mark(word: str) -> bool:
    if any(n in word for n in NOT_BYLINE_MARKS):
        return False
    # "authorization" and "authenticate" are no bylines: "author" counts only as a whole part of the word
    return "byline" in word or any(part in AUTHOR_MARKS for part in re.split(r"[-_]+", word))


def _marks(element: HtmlElement) -> str:
    return f"{element.get('class') or ''} {element.get('id') or ''}".lower()


def _in_other_area(element: HtmlElement) -> bool:
    # <body> and <html> carry layout classes ("sidebar-primary") that say nothing about where the byline is
    ups = (up for up in element.iterancestors() if up.tag not in ("body", "html"))
    return any(any(a in _marks(up) for a in NOT_BYLINE_AREAS) for up in ups)


def _byline_elements(tree: HtmlElement) -> Iterator[HtmlElement]:
    for element in tree.iter():
        if not isinstance(element.tag, str) or element.tag in (
            "meta",
            "link",
            "script",
            "style",
            "body",
            "html",
        ):
            continue
        marked = (
            "author" in element.get("rel", "").lower().split()
            or "author" in element.get("itemprop", "").lower().split()
        )
        if (marked or any(_is_byline_mark(word) for word in _marks(element).split())) and not _in_other_area(
            element
        ):
            yield element


def authors(tree: HtmlElement, meta: dict[str, list[str]], data: LinkedData) -> list[str]:
    """The page's authors, in the order it names them; empty when it names none."""
    main = data.main()
    if main is not None:
        names = _authors_from(names_in(main.get("author") or main.get("creator"), data))
        if names:
            return names
    for keys in (("author", "article:author", "og:article:author", "dc.creator", "dcterms.creator"), ("parsely-author",),
                 ("sailthru.author", "citation_author", "byl")):  # fmt: skip
        names = _authors_from(v for k in keys for v in meta.get(k, ()))
        if names:
            return names
    for element in _byline_elements(tree):
        inner = element.xpath(".//*[@itemprop='name']")
        text = text_of(inner[0]) if inner else text_of(element)
        if text and len(text) <= 120:
            names = _authors_from([text])
            if names:
                return names
    return []

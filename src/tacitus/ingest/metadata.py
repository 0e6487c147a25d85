"""An HTML page's own metadata: authors, site name, language, canonical URL, dates, breadcrumbs, description.

Only what the page states in its markup is read: schema.org JSON-LD and microdata, ``<meta>`` tags
(Open Graph, Dublin Core, Parse.ly), ``<link rel>``, the ``<html lang>`` attribute and elements marked as a
byline or a breadcrumb. Nothing is guessed from the running text: a date comes from markup through htmldate
with its extensive (free-text) search off, an author from a field meant for authors. Each field has an
ordered list of places to look, the most explicit first; the first place that gives a usable value wins.
The word lists that clean bylines and breadcrumbs are data (tuples below), not rules for particular sites.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from email.utils import parsedate_to_datetime
from html import unescape
from typing import Any
from urllib.parse import urljoin, urlsplit

from lxml.html import HtmlElement

from tacitus.ingest.bylines import authors as page_authors
from tacitus.ingest.markup import (
    ARTICLE_TYPES,
    LinkedData,
    clean,
    first,
    linked_data,
    meta_tags,
    names_in,
    text_of,
    types_of,
)

# A breadcrumb's first item when it is only the way back to the front page.
HOME_CRUMBS = ("home", "homepage", "home page", "start", "startseite", "accueil", "inicio", "início", "首页")
# Characters sites put between breadcrumb items.
CRUMB_SEPARATORS = "›»>/|·•→"
_MAX_CRUMB = 80
_MAX_CRUMBS = 8
_ISO_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_LANG = re.compile(r"^([a-zA-Z]{2,3})(?:[-_][a-zA-Z0-9]{1,8})*$")


@dataclass
class PageMetadata:
    """What a page says about itself. Unknown is ``None`` (lists are empty), never a guess.

    ``language`` is the declared language's primary subtag, lower case (``"en"`` for ``en-US``);
    ``published`` and ``modified`` are ISO days; ``section`` is the breadcrumb trail, outermost first, without
    the front page and without the article's own title.
    """

    title: str | None = None
    authors: list[str] = field(default_factory=list)
    site_name: str | None = None
    language: str | None = None
    canonical_url: str | None = None
    published: str | None = None
    modified: str | None = None
    section: list[str] = field(default_factory=list)
    description: str | None = None


# ---------------------------------------------------------------- language, URL, site


def language_tag(value: str | None) -> str | None:
    """The primary language subtag of a declared language, lower case: ``en-US``, ``en_us``, ``EN`` give
    ``en``; anything that is not a language tag gives ``None``."""
    text = clean(value)
    match = _LANG.match(text) if text else None
    return match.group(1).lower() if match else None


def _language(tree: HtmlElement, meta: dict[str, list[str]], data: LinkedData) -> str | None:
    main = data.main() or {}
    in_language = main.get("inLanguage")
    if isinstance(in_language, dict):
        in_language = in_language.get("alternateName") or in_language.get("name")
    candidates = [
        tree.get("lang"),
        tree.get("{http://www.w3.org/XML/1998/namespace}lang"),
        tree.get("xml:lang"),
        first(meta, "content-language", "language", "dc.language", "dcterms.language"),
        first(meta, "og:locale"),
        in_language if isinstance(in_language, str) else None,
    ]
    for value in candidates:
        tag = language_tag(value)
        if tag:
            return tag
    return None


def _absolute(value: str | None, base: str | None) -> str | None:
    value = clean(value)
    if value is None:
        return None
    joined = urljoin(base, value) if base else value
    parts = urlsplit(joined)
    return joined if parts.scheme in ("http", "https") and parts.netloc else None


def _canonical(tree: HtmlElement, meta: dict[str, list[str]], url: str | None) -> str | None:
    base = url
    for tag in tree.iter("base"):
        base = _absolute(tag.get("href"), url) or base
        break
    for link in tree.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split():
            found = _absolute(link.get("href"), base)
            if found:
                return found
    return _absolute(first(meta, "og:url", "twitter:url"), base)


def _site_name(meta: dict[str, list[str]], data: LinkedData) -> str | None:
    name = first(meta, "og:site_name", "application-name")
    if name:
        return name
    main = data.main() or {}
    for value in (main.get("publisher"), *data.of_type("website")):
        value = data.resolve(value)
        names = names_in(value, data) if value is not None else []
        if names:
            return clean(names[0])
    return None


def _description(meta: dict[str, list[str]], data: LinkedData) -> str | None:
    # the Open Graph summary first: sites write it for readers, while a plain meta description is often a
    # search snippet cut at a length ("... his failure to pass")
    found = first(meta, "og:description", "description", "twitter:description", "dc.description")
    if found:
        return found
    main = data.main() or {}
    return clean(main.get("description"))


# ---------------------------------------------------------------- title

# Where a page declares its title, most formal first: Dublin Core's title is a catalogue entry, Open Graph's
# and Twitter's are written for share cards and are the ones rewritten for clicks. The order is Mozilla
# Readability's (after JSON-LD, which comes first), which the Readability test pages' gold follows; on the
# dev half of those pages a declared title beat the <title> on every page where the two disagreed and
# neither was confirmed by the page (3 of 3).
DECLARED_TITLES = (
    "dc.title", "dc:title", "dcterms.title", "dcterm:title", "og:title", "twitter:title", "parsely-title",
)  # fmt: skip
# What sites put between a headline and their name ("Headline | Site", "Site :: Headline", "Site: Headline").
_TITLE_PARTS = re.compile(r"\s+(?:[|\-–—·»«/:]|::)\s+|(?<=\w):\s+")
# A trailing segment that starts with the site's domain name ("Vortex Cannon Entertainment" on
# vortexcannon.org, "BBC News" on bbc.com) is the site's name when it has at most this many words, as 96 of
# the 101 names declared in og:site_name on the dev halves of the Scrapinghub and Readability pages have; a
# headline that happens to start with the same word is longer.
SITE_NAME_WORDS = 4
# Second-level labels under which country domains register names (bbc.co.uk, smh.com.au, folha.com.br):
# the site's name is the label before them.
COUNTRY_SECOND_LEVEL = ("co", "com", "net", "org", "gov", "gob", "edu", "ac", "or", "ne", "go", "nic", "mil")


def _simple(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.casefold())


@dataclass
class _Site:
    """The site's name as a title may spell it: simplified declared names and host forms, and the domain
    name alone (``vortexcannon`` of www.vortexcannon.org)."""

    forms: set[str]
    domain: str = ""

    def named(self, segment: str, *, trailing: bool = False) -> bool:
        simple = _simple(segment)
        if simple in self.forms:
            return True
        return (
            trailing
            and len(self.domain) > 2
            and simple.startswith(self.domain)
            and len(re.findall(r"\w+", segment)) <= SITE_NAME_WORDS
        )


def _site(site_names: Iterable[str | None], url: str | None) -> _Site:
    """The site's names: each declared name and its first segment ("Aktuálně.cz" of "Aktuálně.cz - Víte,
    co se právě děje"), and the URL's host with and without ``www.`` and its domain name."""
    forms = set()
    for name in site_names:
        if name:
            forms |= {_simple(name), _simple(_TITLE_PARTS.split(name)[0])}
    host = urlsplit(url).hostname if url else None
    domain = ""
    if host:
        bare = host.removeprefix("www.")
        domain = _simple(_domain_name(bare))
        forms |= {_simple(host), _simple(bare), domain}
    forms.discard("")
    return _Site(forms, domain)


def _domain_name(host: str) -> str:
    """The name a host is registered under: ``wikipedia`` of en.wikipedia.org, ``thesun`` of
    www.thesun.co.uk; a host of one label (``localhost``) has none."""
    labels = host.split(".")
    if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in COUNTRY_SECOND_LEVEL:
        return labels[-3]
    return labels[-2] if len(labels) >= 2 else ""


def _strip_site(title: str, site: _Site) -> str:
    """A title without the site's name at its start or end ("Headline | Le Monde.fr" gives "Headline").

    Only a segment that names the site (:meth:`_Site.named`) is cut: "Code | Nicolas Perriault" stays
    whole when nothing says that Nicolas Perriault is the site, and so does a headline followed by a
    section, a date or a subtitle.
    """
    if not site.forms:
        return title
    parts = _TITLE_PARTS.split(title)
    while len(parts) > 1 and site.named(parts[-1], trailing=True):
        parts.pop()
    while len(parts) > 1 and site.named(parts[0]):
        parts.pop(0)
    if len(parts) == 1:
        return parts[0]
    # the cut is made on the original text, so separators inside the headline stay as written
    first, last = parts[0], parts[-1]
    return title[title.find(first) : title.rfind(last) + len(last)]


def _unescaped(value: Any) -> str | None:
    text = clean(value)
    # CMSs escape twice ("Dropbox&#8217;s" inside JSON-LD, "&amp;amp;" in an attribute)
    return clean(unescape(text)) if text and "&" in text else text


def _title(
    tree: HtmlElement, meta: dict[str, list[str]], data: LinkedData, site: str | None, url: str | None
) -> str | None:
    """The page's headline, without the site's name.

    The declared titles (JSON-LD ``headline`` and ``name`` of the article, then :data:`DECLARED_TITLES`)
    are tried in that order, and the first one the page confirms wins: its words are in the ``<title>`` or
    it is an ``<h1>``. A declared title the page does not confirm is often another text (Wikipedia's JSON-LD
    "headline" is its one-line description), so confirmation decides between declared titles; when none is
    confirmed, the first declared one still wins over the ``<title>``, unless it is only the site's name
    (Yahoo's "Yahoo News - Latest News & Headlines" on every article). Without a declared title, the
    ``<title>``. The site's name (declared, the publisher's, or the URL's host) is cut from each first; no
    other segment is, as a headline's own "Subtitle - Part 2" looks the same.
    """
    main = data.main() or {}
    known = _site([site, *names_in(main.get("publisher"), data)], url)
    declared = []
    if types_of(main) & set(ARTICLE_TYPES):
        declared += [main.get("headline"), main.get("name")]
    declared += [first(meta, key) for key in DECLARED_TITLES]
    # a declared title that is the site's own name is the site's default, not this article's
    own = _simple(site or "")
    candidates = [_strip_site(t, known) for t in map(_unescaped, declared) if t and _simple(t) != own]
    element = next(iter(tree.iter("title")), None)
    page_title = _unescaped(element.text_content()) if element is not None else None
    confirming = {_simple(h) for h in (text_of(h1) for h1 in tree.iter("h1")) if h}
    for candidate in candidates:
        simple = _simple(candidate)
        if simple in confirming or (page_title and simple in _simple(page_title)):
            return candidate
    if candidates:
        return candidates[0]
    return _strip_site(page_title, known) if page_title else None


# ---------------------------------------------------------------- dates


def iso_day(value: Any) -> str | None:
    """The ISO day a markup date value names, or ``None``: ``2019-01-16T11:16:23.000Z`` and
    ``2018-12-21 12:56:02`` give their day, an HTTP date (``Tue, 15 Nov 1994 08:12:31 GMT``) its day;
    anything else (free text, impossible days) gives ``None``."""
    text = clean(value)
    if text is None:
        return None
    match = _ISO_DAY.match(text)
    try:
        if match:
            return date(int(match[1]), int(match[2]), int(match[3])).isoformat()
        return parsedate_to_datetime(text).date().isoformat()
    except (TypeError, ValueError, IndexError):
        return None


def _published(meta: dict[str, list[str]], data: LinkedData) -> str | None:
    """The publication day the page declares as such, in JSON-LD or a publication-date meta tag.

    htmldate, given only header markup, may take ``article:modified_time`` for the publication date when
    the page has no published-time meta tag; a date declared as the publication date wins over that.
    """
    main = data.main() or {}
    for value in (
        main.get("datePublished"),
        first(meta, "article:published_time", "og:published_time", "datepublished", "dc.date.issued",
               "dcterms.issued", "parsely-pub-date", "sailthru.date"),
    ):  # fmt: skip
        day = iso_day(value)
        if day:
            return day
    return None


def _modified(meta: dict[str, list[str]], data: LinkedData) -> str | None:
    main = data.main() or {}
    for value in (
        main.get("dateModified"),
        first(meta, "article:modified_time", "og:updated_time", "datemodified", "dcterms.modified",
               "last-modified", "lastmod"),
    ):  # fmt: skip
        day = iso_day(value)
        if day:
            return day
    return None


def _htmldate_modified(tree: HtmlElement, url: str | None) -> str | None:
    from htmldate import find_date

    try:
        found = find_date(tree, url=url, extensive_search=False, original_date=False, outputformat="%Y-%m-%d")
    except (ValueError, TypeError):
        return None
    return found or None


# ---------------------------------------------------------------- breadcrumbs


def _crumbs(names: Iterable[Any], title: str | None) -> list[str]:
    out: list[str] = []
    for name in names:
        text = clean(name)
        text = text.strip(CRUMB_SEPARATORS + " ") if text else None
        if not text:
            continue
        if len(text) > _MAX_CRUMB:
            return []  # a "breadcrumb" holding a paragraph is something else
        if not out or out[-1].casefold() != text.casefold():
            out.append(text)
    if out and out[0].casefold() in HOME_CRUMBS:
        out.pop(0)
    if out and title and (out[-1].casefold() == title.casefold() or title.casefold().startswith(out[-1].casefold())
                          and len(out[-1]) > 30):  # fmt: skip
        out.pop()  # the trail usually ends with the article itself
    return out if len(out) <= _MAX_CRUMBS else []


def _jsonld_crumbs(data: LinkedData) -> list[Any]:
    for node in data.of_type("breadcrumblist"):
        items = node.get("itemListElement")
        items = items if isinstance(items, list) else [items]
        elements = []
        for item in items:
            item = data.resolve(item)
            if not isinstance(item, dict):
                continue
            name = item.get("name")
            inner = data.resolve(item.get("item"))
            if not clean(name) and isinstance(inner, dict):
                name = inner.get("name")
            position = item.get("position")
            elements.append((position if isinstance(position, int | float) else len(elements), name))
        if elements:
            return [name for _, name in sorted(elements, key=lambda e: e[0])]
    return []


def _microdata_crumbs(tree: HtmlElement) -> list[Any]:
    for scope in tree.xpath(
        "//*[contains(@itemtype, 'BreadcrumbList') or contains(@typeof, 'BreadcrumbList')]"
    ):
        names = []
        for item in scope.xpath(".//*[@itemprop='itemListElement' or @property='itemListElement']"):
            name = item.xpath(".//*[@itemprop='name' or @property='name']")
            if name:
                names.append(name[0].get("content") or text_of(name[0]))
        if names:
            return names
    return []


def _nav_crumbs(tree: HtmlElement) -> list[Any]:
    for element in tree.xpath(
        "//*[self::nav or self::ol or self::ul or self::div or self::p]"
        "[contains(translate(concat(@class, ' ', @id, ' ', @aria-label), 'BREADCUMS', 'breadcums'), 'breadcrumb')]"
    ):
        items = element.xpath(".//li") or element.xpath(".//a")
        names = [text_of(item) for item in items]
        if len([n for n in names if n]) >= 1:
            return names
    return []


def _section(tree: HtmlElement, data: LinkedData, title: str | None) -> list[str]:
    for names in (_jsonld_crumbs(data), _microdata_crumbs(tree), _nav_crumbs(tree)):
        crumbs = _crumbs(names, title)
        if crumbs:
            return crumbs
    return []


# ---------------------------------------------------------------- entry point


def read_metadata(
    tree: HtmlElement, *, url: str | None = None, title: str | None = None, published: str | None = None
) -> PageMetadata:
    """Read a parsed page's metadata (see the module docstring for where each field comes from).

    ``url`` is where the page was fetched from, the base for a relative canonical link; ``title`` is the
    headline found for the page, removed from the end of the breadcrumb trail; ``published`` is the
    publication day found already (trafilatura's, by htmldate), replaced by a day the markup declares as
    the publication date; the modification day is kept only when it is later than that, since a page that
    was never updated has no other date to report. The tree is not changed.
    """
    meta = meta_tags(tree)
    data = linked_data(tree)
    published = _published(meta, data) or published
    modified = _modified(meta, data) or _htmldate_modified(tree, url)
    if modified and published and modified <= published:
        modified = None
    site_name = _site_name(meta, data)
    canonical = _canonical(tree, meta, url)
    headline = _title(tree, meta, data, site_name, canonical or url)
    return PageMetadata(
        title=headline,
        authors=page_authors(tree, meta, data),
        site_name=site_name,
        language=_language(tree, meta, data),
        canonical_url=canonical,
        published=published,
        modified=modified,
        section=_section(tree, data, headline or title),
        description=_description(meta, data),
    )


def parse_tree(html: str | bytes) -> HtmlElement | None:
    """Parse a page with trafilatura's loader (which honours a declared charset), or ``None`` if it is not
    HTML at all."""
    from trafilatura import load_html

    return load_html(html)


__all__ = ["PageMetadata", "iso_day", "language_tag", "parse_tree", "read_metadata"]

"""Boilerplate removal for scraped pages: paragraph-level rules kept as data in ``data/boilerplate.tsv``.

A scraped page is a title and a body wrapped in site furniture: a breadcrumb trail above the title, photo
captions and credits, share bars, newsletter boxes, related-link labels inside the body, and a footer
(copyright, mirror addresses, site links) at the end. Each kind of furniture is a rule in the TSV file: an id,
a kind, where on the page it may match (``first``: the run of paragraphs before the title; ``last``: the end
run; ``any``: anywhere) and a regular expression searched in one stripped paragraph. Rules work on whole
paragraphs and never edit inside one, so a body paragraph that merely mentions a photo is kept whole, and what
is kept is exactly what the page said.

The end run is the one place where a paragraph no rule matches can go: walking back from the last paragraph
over junk and short link-like lines (a list of mirror addresses or related headlines), it starts at the
earliest rule match, and short lines that follow a ``footer`` or ``related`` match there are that match's
link list and go with it. A short line followed by body text (a crosshead) is never in that run, so it stays.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

from tacitus.errors import InvalidRuleFile

KINDS = ("breadcrumb", "caption", "credit", "share", "promo", "related", "ad", "notice", "footer")
WHERES = ("first", "last", "any")
COLUMNS = ("id", "kind", "where", "regex", "comment")

# How far back from the end a footer block may reach. Footers are a handful of lines; a bound keeps a stray
# match deep in a long list of short lines (a transcript, say) from cutting half an article.
_TAIL_WINDOW = 15
# A link-like line is short and does not end a sentence: "Press TV News Roku", a related headline.
_LINK_MAX = 100
_SENTENCE_END = tuple(".!?…\"”’'")
# Kinds that introduce a list of links ("Read more:", a mirror-address notice): in the end run, the short
# lines after them go with them. An advert or caption there drops only itself.
_LIST_KINDS = ("footer", "related")
# Crumb separators; spaces around "/" are required so "U.S./World" style names inside a crumb survive.
_CRUMB_SPLIT = re.compile(r"\s+[/>»›|•]\s+|\s*[»›]\s*")
_PARA_SPLIT = re.compile(r"\n\s*\n")


@dataclass(frozen=True)
class Rule:
    """One boilerplate rule: ``pattern`` searched in a paragraph of a page, at the place ``where`` allows."""

    id: str
    kind: str
    where: str
    pattern: re.Pattern[str]
    comment: str = ""
    line: int = 0


@dataclass
class Page:
    """A page split into its parts: title, section trail, body paragraphs, and what was dropped and why.

    ``dropped`` holds ``{"rule": rule_id, "text": paragraph}`` for every paragraph removed, so any removal
    can be audited. ``source`` is the publisher when a rule's ``source`` group named it, else ``None``.
    """

    title: str | None
    paragraphs: list[str]
    section: list[str] = field(default_factory=list)
    source: str | None = None
    dropped: list[dict[str, str]] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The body: paragraphs joined by exactly one blank line."""
        return "\n\n".join(self.paragraphs)


def load_rules(path: str | Path | None = None) -> tuple[Rule, ...]:
    """Load boilerplate rules from a TSV file (the packaged ``data/boilerplate.tsv`` when ``path`` is None).

    Lines starting with ``#`` and blank lines are skipped; the first other line is the header and must name
    only the columns id, kind, where, regex, comment. Any unknown column, unknown kind or place, duplicate
    id or broken regular expression raises :class:`InvalidRuleFile` naming the file and line, so a typo in a
    rule file fails loudly instead of silently keeping junk.
    """
    if path is None:
        return _default_rules()
    path = Path(path)
    try:
        content = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidRuleFile(f"{path}: cannot read the rule file ({exc}); check the path") from exc
    return _parse_rules(content, str(path))


@cache
def _default_rules() -> tuple[Rule, ...]:
    resource = resources.files("tacitus.ingest").joinpath("data/boilerplate.tsv")
    return _parse_rules(resource.read_text(encoding="utf-8"), str(resource))


def _parse_rules(content: str, name: str) -> tuple[Rule, ...]:
    header: list[str] | None = None
    rules: list[Rule] = []
    seen: dict[str, int] = {}
    for lineno, line in enumerate(content.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if header is None:
            header = [c.strip() for c in cells]
            for col in header:
                if col not in COLUMNS:
                    raise InvalidRuleFile(
                        f"{name}:{lineno}: unknown column {col!r}; the header must be {', '.join(COLUMNS)}"
                    )
            missing = [c for c in COLUMNS if c != "comment" and c not in header]
            if missing:
                raise InvalidRuleFile(
                    f"{name}:{lineno}: missing column(s) {', '.join(missing)} in the header"
                )
            continue
        if len(cells) > len(header):
            raise InvalidRuleFile(
                f"{name}:{lineno}: {len(cells)} fields for {len(header)} columns; "
                "separate columns with single tabs and keep tabs out of the regex"
            )
        row = dict(zip(header, [c.strip() for c in cells], strict=False))
        rules.append(_make_rule(row, name, lineno, seen))
    if header is None:
        raise InvalidRuleFile(f"{name}:1: no header line; start the file with {', '.join(COLUMNS)}")
    return tuple(rules)


def _make_rule(row: dict[str, str], name: str, lineno: int, seen: dict[str, int]) -> Rule:
    where = f"{name}:{lineno}"
    rule_id = row.get("id", "")
    if not rule_id:
        raise InvalidRuleFile(f"{where}: empty id; give every rule a unique id")
    if rule_id in seen:
        raise InvalidRuleFile(
            f"{where}: duplicate id {rule_id!r} (first on line {seen[rule_id]}); rename one"
        )
    seen[rule_id] = lineno
    kind = row.get("kind", "")
    if kind not in KINDS:
        raise InvalidRuleFile(f"{where}: unknown kind {kind!r}; expected one of {', '.join(KINDS)}")
    place = row.get("where", "")
    if place not in WHERES:
        raise InvalidRuleFile(f"{where}: unknown where {place!r}; expected one of {', '.join(WHERES)}")
    regex = row.get("regex", "")
    if not regex:
        raise InvalidRuleFile(f"{where}: empty regex for rule {rule_id!r}")
    try:
        pattern = re.compile(regex)
    except re.error as exc:
        raise InvalidRuleFile(f"{where}: bad regex for rule {rule_id!r} ({exc}); fix the pattern") from exc
    return Rule(rule_id, kind, place, pattern, row.get("comment", ""), lineno)


def split_paragraphs(raw: str) -> list[str]:
    """Split raw page text into stripped paragraphs.

    Paragraphs are separated by blank lines; inside one, lines are stripped and kept on their own lines (a
    hard-wrapped page stays as its author wrapped it). A page with no blank line at all is one paragraph per
    line, which is how many scrapers write their output.
    """
    raw = raw.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    lines = [ln.strip() for ln in raw.split("\n")]
    nonblank = [ln for ln in lines if ln]
    if "" not in "\n".join(lines).strip("\n").split("\n"):
        return nonblank
    blocks = _PARA_SPLIT.split("\n".join(lines))
    return [b.strip("\n") for b in blocks if b.strip()]


def split_section(value: str) -> list[str]:
    """Split a section trail ("News / Foreign Policy / Koreas") into its names, dropping a leading "Home"."""
    parts = [p.strip() for p in _CRUMB_SPLIT.split(value.strip())]
    parts = [p for p in parts if p]
    # "Home" is the site's root, not a section: a user filtering by section never means it.
    if parts and parts[0].lower() == "home":
        parts = parts[1:]
    return parts


def _match(paragraph: str, rules: Sequence[Rule]) -> tuple[Rule, re.Match[str]] | None:
    for rule in rules:
        m = rule.pattern.search(paragraph)
        if m is not None:
            return rule, m
    return None


def _link_like(paragraph: str) -> bool:
    return len(paragraph) <= _LINK_MAX and "\n" not in paragraph and not paragraph.endswith(_SENTENCE_END)


def clean_paragraphs(
    paragraphs: Sequence[str], *, title: bool = True, rules: Sequence[Rule] | None = None
) -> Page:
    """Separate title, section and body of a page's paragraphs and drop the boilerplate the rules describe.

    The leading run of paragraphs that ``first`` or ``any`` rules match is dropped (a ``breadcrumb`` match
    there gives the section); the next paragraph is the title when ``title`` is true (only its first line
    when it spans several). The end run is cut as the module docstring explains, then every remaining body
    paragraph that an ``any`` rule matches is dropped. Nothing inside a kept paragraph is changed.
    """
    rules = _default_rules() if rules is None else rules
    head_rules = [r for r in rules if r.where in ("first", "any")]
    tail_rules = [r for r in rules if r.where in ("last", "any")]
    body_rules = [r for r in rules if r.where == "any"]
    page = Page(title=None, paragraphs=[])
    paras = list(paragraphs)

    def drop(rule: Rule, m: re.Match[str] | None, text: str) -> None:
        page.dropped.append({"rule": rule.id, "text": text})
        if m is not None and page.source is None and "source" in rule.pattern.groupindex:
            found = (m.group("source") or "").strip()
            page.source = found or None

    i = 0
    while i < len(paras):
        hit = _match(paras[i], head_rules)
        if hit is None:
            break
        rule, m = hit
        if rule.kind == "breadcrumb" and not page.section:
            page.section = split_section(paras[i])
        drop(rule, m, paras[i])
        i += 1
    if title and i < len(paras):
        first, _, rest = paras[i].partition("\n")
        page.title = first.strip()
        if rest.strip():
            paras[i] = rest.strip()
        else:
            i += 1
    body = paras[i:]

    # End run: remember the earliest rule match reachable from the end over junk and link-like lines.
    cut, j = len(body), len(body) - 1
    while j >= 0 and len(body) - j <= _TAIL_WINDOW:
        hit = _match(body[j], tail_rules)
        if hit is not None:
            cut = j
        elif not _link_like(body[j]):
            break
        j -= 1
    for text in body[:cut]:
        hit = _match(text, body_rules)
        if hit is None:
            page.paragraphs.append(text)
        else:
            drop(hit[0], hit[1], text)
    lead: Rule | None = None
    for text in body[cut:]:
        hit = _match(text, tail_rules)
        if hit is not None:
            lead = hit[0] if hit[0].kind in _LIST_KINDS else None
            drop(hit[0], hit[1], text)
        elif lead is not None:
            # Short lines after a footer or related label are its link list: credit them to that rule.
            drop(lead, None, text)
        else:
            page.paragraphs.append(text)
    return page

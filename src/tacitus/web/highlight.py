"""Cut an article's text into pieces, each covered by the same set of annotations, for the article page.

Event triggers, quotations (each of their parts), cues, speakers and actor mentions overlap freely (a
mention inside a quotation, a trigger inside both), and HTML elements must nest. So the text is cut at
every span boundary into elementary pieces; each piece lists the annotations covering it and becomes one
``<mark>`` carrying them all. An annotation's text on the page is then exactly the concatenation of its
pieces, which is what the browser tests compare with the record's spans.

Annotation ids: ``e1`` (an event's trigger), ``q1`` (a quotation's content), ``q1.cue``, ``q1.speaker``,
``a1`` (every mention of actor a1). Each belongs to a *card* (``e1``, ``q1``, ``a1``) that the page shows
when a piece is hovered, clicked or focused.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tacitus.model import Record, Span

__all__ = ["Annotation", "Piece", "annotations", "pieces"]


@dataclass
class Annotation:
    """One highlighted thing: its kind (event, quote, cue, speaker, actor), the card that explains it, and
    its spans in the text (several for a quotation in parts or an actor mentioned many times)."""

    id: str
    kind: str
    card: str
    spans: list[Span] = field(default_factory=list)


@dataclass
class Piece:
    """A stretch of text covered by exactly the annotations ``ids`` (none: plain text); ``starts`` are the
    annotations whose first span begins here (the piece a link to them lands on)."""

    start: int
    end: int
    text: str
    ids: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    starts: tuple[str, ...] = ()


def _valid(span: Span | None, n: int) -> bool:
    return span is not None and 0 <= span[0] < span[1] <= n


def annotations(record: Record) -> dict[str, Annotation]:
    """The record's highlightable annotations by id, spans outside the text or empty left out."""
    n = len(record.text)
    found: dict[str, Annotation] = {}

    def add(ann_id: str, kind: str, card: str, spans: list[Span | None]) -> None:
        good = sorted(tuple(s) for s in spans if _valid(s, n))
        if good:
            found[ann_id] = Annotation(ann_id, kind, card, [tuple(s) for s in good])  # type: ignore[misc]

    for event in record.events:
        add(event.id, "event", event.id, [event.trigger_span])
    for quote in record.quotes:
        add(quote.id, "quote", quote.id, list(quote.content_parts or [quote.content_span]))
        add(f"{quote.id}.cue", "cue", quote.id, [quote.cue_span])
        add(f"{quote.id}.speaker", "speaker", quote.id, [quote.speaker_span])
    for actor in record.actors:
        add(actor.id, "actor", actor.id, list(actor.mentions))
    return found


def pieces(text: str, anns: dict[str, Annotation]) -> list[Piece]:
    """``text`` cut at every boundary of ``anns``' spans, each piece with the annotations covering it (in
    the order event, quote, cue, speaker, actor, so the strongest colour is named first)."""
    order = {"event": 0, "quote": 1, "cue": 2, "speaker": 3, "actor": 4}
    cuts = {0, len(text)}
    opening: dict[int, list[str]] = {}
    closing: dict[int, list[str]] = {}
    first: dict[int, list[str]] = {}
    for ann in anns.values():
        for index, (start, end) in enumerate(ann.spans):
            cuts.update((start, end))
            opening.setdefault(start, []).append(ann.id)
            closing.setdefault(end, []).append(ann.id)
            if index == 0:
                first.setdefault(start, []).append(ann.id)
    active: dict[str, int] = {}
    result = []
    bounds = sorted(cuts)
    for start, end in zip(bounds, bounds[1:], strict=False):
        for ann_id in closing.get(start, ()):
            active[ann_id] -= 1
            if not active[ann_id]:
                del active[ann_id]
        for ann_id in opening.get(start, ()):
            active[ann_id] = active.get(ann_id, 0) + 1
        ids = tuple(sorted(active, key=lambda i: (order[anns[i].kind], i)))
        kinds = tuple(dict.fromkeys(anns[i].kind for i in ids))
        result.append(Piece(start, end, text[start:end], ids, kinds, tuple(first.get(start, ()))))
    return result

"""Who speaks: the subject of a cue (through participles, infinitives and "by saying"), its phrase as
written (``speaker_span``) and the canonical actor (``speaker``), relays (``via``)."""

from __future__ import annotations

from spacy.tokens import Doc, Token

from tacitus.components.actors import actors_for_token
from tacitus.components.quotemarks import quoted_tokens
from tacitus.components.quotes.spans import _np_span


class Speakers:
    """The speaker half of :class:`tacitus.components.quotes.QuoteTagger` (it needs ``self.cues``)."""

    cues: dict[str, str]

    def _subject(self, cue: Token) -> Token | None:
        quoted = quoted_tokens(cue.doc)
        subjects = [c for c in cue.children if c.dep_ in ("nsubj", "nsubjpass")]
        # a word of the quotation the parser took for the subject (“Very good reporter,” Trump said)
        # of several, the nearest: "WASHINGTON (AP) — ..., congressional investigators say" (a dateline
        # the parser took for a second subject)
        candidates = [c for c in subjects if c.i not in quoted] or subjects
        if candidates:
            return min(candidates, key=lambda c: abs(c.i - cue.i))
        if cue.tag_ == "VBG" and cue.dep_ in ("advcl", "xcomp", "conj", "acl", "npadvmod"):
            # "X acknowledged it was unclear whether Y would talk, saying, “...”": the participle's
            # speaker is the subject of the main clause, however deep the parser hung the participle
            root = cue.sent.root
            for child in root.children:
                if child.dep_ in ("nsubj", "nsubjpass"):
                    return child
        if cue.dep_ in ("advcl", "xcomp", "conj", "acl") and cue.head.i != cue.i:
            return self._subject(cue.head)
        if cue.dep_ == "pcomp" and cue.head.dep_ == "prep" and cue.head.head.i != cue.head.i:
            return self._subject(cue.head.head)  # "Obama ended his list by saying ...": Obama says
        return None

    def _speaker_items(
        self, doc: Doc, subject: Token | None
    ) -> list[tuple[str | None, tuple[int, int] | None]]:
        if subject is None:
            return [(None, None)]
        if (
            subject.tag_ in ("WDT", "WP")
            and subject.head.dep_ == "relcl"
            and subject.head.head.i != subject.i
        ):
            # "officials who said ...": the span is the pronoun as written, the speaker its antecedent
            # (PolNeAR's source is the antecedent's phrase: "some far-right commentators who have said")
            antecedent = subject.head.head
            ids = actors_for_token(doc, antecedent)
            return [(ids[0] if ids else None, _np_span(antecedent, exclude=subject.head))]
        ids = actors_for_token(doc, subject)
        index = doc._.mention_index or {}
        # "Trump and Putin said": two speakers; "Trump, the front-runner and current poll leader, said": one
        heads = [subject] + [
            c for c in subject.conjuncts if c.i > subject.i and (c.i in index or c.pos_ in ("PROPN", "PRON"))
        ]
        out: list[tuple[str | None, tuple[int, int] | None]] = []
        for head in heads:
            actor_id = None
            if head.i in index:
                actor_id = index[head.i]
            elif len(heads) == 1 and ids:
                actor_id = ids[0]
            # the source as written is the whole noun phrase, titles, appositions and clauses included
            # ("Texas Sen. Ted Cruz", "the man who built his career on ..."), as PolNeAR marks it
            span = _np_span(head)
            if head.i in index:
                # the parser may head a name by its last piece ("Moon Jae-in" is three tokens, the subject
                # "in"): the phrase covers at least the whole mention
                ms, me = self._mention_span(doc, head, actor_id)
                span = (min(span[0], ms), max(span[1], me))
            out.append((actor_id, span))
        # "the presidents of the US and Russia said": one written mention, several speakers
        if len(heads) == 1 and len(ids) > 1:
            span = out[0][1]
            out = [(actor_id, span) for actor_id in ids]
        return out

    def _mention_span(self, doc: Doc, head: Token, actor_id: str | None) -> tuple[int, int]:
        if actor_id is not None:
            for actor in doc._.actors or []:
                if actor["id"] == actor_id:
                    for (ts, te), (cs, ce) in zip(actor["tokens"], actor["mentions"], strict=True):
                        if ts <= head.i < te:
                            return (cs, ce)
        # as written: the noun phrase without relative clauses or appositions after the head
        left = head.left_edge
        start = left.idx
        end = head.idx + len(head.text)
        return (start, end)

    def _reporter(self, doc: Doc, cue: Token) -> str | None:
        """The actor relaying this attribution: "X said ..., Interfax reported" -> Interfax."""
        relay = None
        head = cue.head
        if cue.dep_ == "ccomp" and head.i != cue.i and head.lemma_.lower() in self.cues and head.i < cue.i:
            relay = head
        for child in cue.children:
            # the parser often hangs a closing ", Interfax reported." under the verb it reports
            if child.dep_ in ("ccomp", "parataxis") and child.i > cue.i and child.lemma_.lower() in self.cues:
                left = child.left_edge
                if left.is_punct or (left.i > 0 and doc[left.i - 1].is_punct):
                    relay = child
        if relay is None:
            return None
        subject = self._subject(relay)
        if subject is None:
            return None
        ids = actors_for_token(doc, subject)
        return ids[0] if ids else None

    def _relays(self, doc: Doc, by_cue: dict[int, list[dict]], found: list[dict]) -> None:
        """``X said ..., Interfax reported``: keep X's quote, name the reporter in ``via``."""
        for cue_i, items in list(by_cue.items()):
            cue = doc[cue_i]
            for child in cue.children:
                if child.dep_ != "ccomp" or child.i not in by_cue:
                    continue
                left = child.left_edge
                if child.i > cue.i and (left.is_punct or (left.i > 0 and doc[left.i - 1].is_punct)):
                    continue  # "X said ..., Y reported": Y relays X (see _reporter), not the reverse
                reporter = items[0]["speaker"]
                inner_items = by_cue[child.i]
                if (
                    self.cues.get(child.lemma_.lower()) == "belief"
                    or any(i.get("object_content") for i in inner_items)
                    or any(i["speaker"] is not None and i["speaker"] == reporter for i in inner_items)
                ):
                    # ("The Kremlin said Trump and Putin discussed North Korea" is the Kremlin's
                    # statement, not a discussion the Kremlin relays)
                    # "Rubio says he feels he did great": what one says of one's own view or belief is
                    # one attribution, the outer one, as PolNeAR marks it (attributions do not nest)
                    for inner in inner_items:
                        if inner in found:
                            found.remove(inner)
                    continue
                for inner in inner_items:
                    inner["via"] = reporter
                for outer in items:
                    if outer in found:
                        found.remove(outer)
        for q in found:
            q.pop("cue_token", None)
            q.pop("object_content", None)

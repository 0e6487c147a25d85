"""Tacitus's spaCy components: one module per concern, each a versioned factory.

Every component reads and writes plain Python data on ``Doc._`` extensions (lists of dicts with character
offsets), so docs survive ``nlp.pipe(n_process=N)`` pickling and a user can add any component to their own
pipeline. Extensions are registered once, here, by :func:`register_extensions`.
"""

from __future__ import annotations

from spacy.tokens import Doc

# name -> default value. Mutable defaults are never shared: components always assign fresh lists.
EXTENSIONS: dict[str, object] = {
    "published": None,  # ISO date of publication, set by the pipeline before the components run
    "actors": None,  # list of actor dicts (see components.actors)
    "mention_index": None,  # token index -> actor id, for every token inside an actor mention
    "quotes": None,
    "events": None,
    "times": None,
    "places": None,
    "tacitus_warnings": None,
}


def register_extensions() -> None:
    """Register Tacitus's ``Doc._`` extensions once per process; later calls do nothing."""
    for name, default in EXTENSIONS.items():
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)


register_extensions()

"""Photo-gallery and video-box captions: :data:`CAPTION_MARKERS` and :func:`is_caption`.

Below the components and the store, which both ask: the event layer does not read a caption's date as a
plan (a gallery embedded in an older article is updated as a story goes on, so its photos may be dated
after the article), and the clustering does not compare a gallery's captions by their words.
"""

from __future__ import annotations

import re

CAPTION_MARKERS = re.compile(r"Hide Caption|\bPhotos?:|JUST WATCHED|MUST WATCH|Replay More Videos")
"""The furniture of a news site's photo gallery or video box. Captions of one gallery share its title
("Attack on U.S. mission in Benghazi") while each shows another scene, so their words say nothing about
whether two captions are one event."""


def is_caption(sentence: str | None) -> bool:
    """Whether a sentence carries a photo gallery's or video box's furniture (:data:`CAPTION_MARKERS`)."""
    return bool(sentence) and CAPTION_MARKERS.search(sentence) is not None  # type: ignore[arg-type]

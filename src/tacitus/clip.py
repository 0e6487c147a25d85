"""The length limit of an analysed article: :data:`MAX_CHARS` and :func:`clip_article`.

It lives below :mod:`tacitus.pipeline` because the processes that read and clip articles are not always
those that analyse them: the client of a Dask run (:mod:`tacitus.jobs`, :mod:`tacitus.runs`,
:mod:`tacitus.engines.dask`) clips every article before sending it to the workers and never loads spaCy,
whose import alone costs it about half a second and its memory. This module imports nothing of spaCy's.
"""

from __future__ import annotations

from dataclasses import replace

from tacitus.model import Article

# Longer texts are cut, with a warning: the parser's memory grows with the doc length and a scraped page of
# several megabytes is nearly always junk (a data dump, a forum thread).
MAX_CHARS = 200_000


def clip_article(article: Article, max_chars: int | None = None) -> Article:
    """Return the article with its text cut to what is analysed and stored (a copy; the input is kept).

    A text longer than ``max_chars`` (:data:`MAX_CHARS` by default) is cut at the last paragraph break,
    else sentence end, else space in its second half, and the cut is added to the article's ``warnings``.
    The record then holds exactly the analysed text, a prefix of the input, so every offset still indexes
    the input's text too. Short texts come back as the same object.
    """
    text = article.text
    max_chars = MAX_CHARS if max_chars is None else max_chars
    if len(text) <= max_chars:
        return article
    floor = max_chars // 2
    cut = max_chars
    for mark in ("\n\n", "\n", ". ", " "):
        at = text.rfind(mark, floor, max_chars)
        if at > 0:
            cut = at + (1 if mark == ". " else 0)
            break
    name = article.origin or article.id
    warning = (
        f"{name + ': ' if name else ''}text cut to its first {cut:,} of {len(text):,} characters; only those "
        "are analysed and kept"
    )
    return replace(article, text=text[:cut], warnings=[*article.warnings, warning])

"""A bounded time per article: cheap limits before parsing, and a CPU budget enforced while it is analysed.

A pathological article must cost a batch seconds, never hang it. Two guards do that:

- **Before parsing** (deterministic, linear): the text is cut at :data:`tacitus.clip.MAX_CHARS`, and
  :func:`break_long_runs` breaks every run of more than :data:`MAX_RUN_CHARS` characters without a space
  in the copy the tokenizer reads. spaCy's tokenizer strips punctuation off a "word" one mark at a time,
  each time searching the whole rest of it, so its cost grows with the square of a word's length: 4,000
  quotation marks in a row cost 1.6 s, 8,000 characters of ``'s's's`` 7 s, and that inside compiled
  code no signal can interrupt. No real word is that long (a long link is about 200 characters).
- **While analysing** (:func:`watch`): each of Tacitus's own stages runs on a doc under a CPU timer
  (``ITIMER_VIRTUAL``: the process's CPU time, so a loaded machine does not make articles time out) set
  to what is left of the article's :func:`article_seconds`. When it runs out, the stage is stopped, the
  doc gets its error (later stages skip it) and the pipeline reports the article as failed, by reason
  (:class:`~tacitus.errors.TimeBudgetExceeded`); the batch goes on. Signals reach the main thread only,
  so the timer is armed there alone (the CLI, and every worker process of :mod:`tacitus.parallel`); in a
  thread (a Dask worker's task) the cheap limits still hold.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import threading
import time
from collections.abc import Iterator
from typing import Any

from tacitus.errors import TimeBudgetExceeded

# CPU seconds Tacitus's own stages may spend on one article. The longest AllSides article (about 60,000
# characters) takes under 10 s on this project's 2-core machine; 60 s leaves room for a slower machine and
# for articles up to MAX_CHARS, and still stops a runaway stage within a minute.
ARTICLE_SECONDS = 60.0
# Set it to another number of seconds, or to 0 for no budget (a profiling session, say).
ENV_VAR = "TACITUS_ARTICLE_SECONDS"
# Longest run of characters without a space the tokenizer sees in one piece (see the module docstring): at
# 250 the worst run costs the tokenizer 0.02 s, and 200,000 characters of them about 20 s in all.
MAX_RUN_CHARS = 250
_LONG_RUN = re.compile(rf"\S{{{MAX_RUN_CHARS + 1},}}")
_SPENT = "tacitus_cpu_spent"  # doc.user_data key: CPU seconds the article's stages have used so far


def article_seconds() -> float | None:
    """The CPU budget per article (``TACITUS_ARTICLE_SECONDS`` or :data:`ARTICLE_SECONDS`); ``None``: none."""
    raw = os.environ.get(ENV_VAR)
    if raw is None or not raw.strip():
        return ARTICLE_SECONDS
    try:
        seconds = float(raw)
    except ValueError:
        return ARTICLE_SECONDS  # a typo must not switch the guard off
    return seconds if seconds > 0 else None


def break_long_runs(text: str) -> tuple[str, list[tuple[int, int]]]:
    """The text with a space every :data:`MAX_RUN_CHARS` characters inside longer runs without one, and
    those runs' ``(start, end)``. One character is replaced by one space, so every offset into the copy is
    an offset into ``text``; a text without such runs comes back as the same object."""
    runs = [m.span() for m in _LONG_RUN.finditer(text)]
    if not runs:
        return text, []
    chars = list(text)
    for start, end in runs:
        for at in range(start + MAX_RUN_CHARS, end, MAX_RUN_CHARS + 1):
            chars[at] = " "
    return "".join(chars), runs


def long_run_warning(runs: list[tuple[int, int]]) -> str:
    """The record's warning for the runs :func:`break_long_runs` broke."""
    start, end = runs[0]
    more = f" and {len(runs) - 1} more" if len(runs) > 1 else ""
    return (
        f"{len(runs)} run(s) of more than {MAX_RUN_CHARS} characters without a space (characters "
        f"{start}-{end}{more}) were read in pieces of {MAX_RUN_CHARS}; they are probably not prose"
    )


class _Expired(BaseException):  # noqa: N818 - not an error the caller sees: guarded() turns it into one
    """Raised inside a stage when the article's budget runs out. A BaseException, so that a stage's own
    ``except Exception`` cannot swallow it and run on."""


_state = threading.local()


def _on_timer(signum: int, frame: Any) -> None:  # noqa: ARG001 - the signal handler signature
    if getattr(_state, "armed", False):
        _state.armed = False
        raise _Expired()


@contextlib.contextmanager
def watch(doc: Any, stage: str) -> Iterator[None]:
    """Run a block (one stage on ``doc``) within what is left of the article's budget.

    Raises :class:`~tacitus.errors.TimeBudgetExceeded`, naming the stage and the budget, when the budget
    runs out during the block or was spent before it. Where no timer can be armed (not the main thread,
    no ``setitimer``) the block runs unwatched.
    """
    budget = article_seconds()
    usable = (
        budget is not None
        and hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
        and not getattr(_state, "armed", False)  # a stage inside another stage: the outer one watches
    )
    if not usable:
        yield
        return
    spent = doc.user_data.get(_SPENT, 0.0)
    left = budget - spent
    if left <= 0:
        raise TimeBudgetExceeded(_message(stage, budget))
    started = time.process_time()
    previous = signal.signal(signal.SIGVTALRM, _on_timer)
    _state.armed = True
    signal.setitimer(signal.ITIMER_VIRTUAL, left)
    try:
        yield
    except _Expired:
        raise TimeBudgetExceeded(_message(stage, budget)) from None
    finally:
        _state.armed = False
        signal.setitimer(signal.ITIMER_VIRTUAL, 0)
        signal.signal(signal.SIGVTALRM, previous)
        doc.user_data[_SPENT] = spent + (time.process_time() - started)


def _message(stage: str, budget: float) -> str:
    return (
        f"the {stage} stage ran out of the article's time budget ({budget:g} CPU seconds), so the article "
        f"was skipped; if it is a real article, raise the budget with {ENV_VAR}=SECONDS"
    )

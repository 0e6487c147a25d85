"""Typed, noun-named exceptions raised by the library.

Only the CLI and the web layer turn these into messages and exit codes. Every message names the input
it is about and says what to do next, so it can be printed as is.
"""

from __future__ import annotations


class TacitusError(Exception):
    """Base class for every error Tacitus raises on purpose."""


class UnreadableInput(TacitusError):
    """An input file or stream could not be read or decoded."""


class NoInputs(TacitusError):
    """A path (usually a directory) held nothing Tacitus can read."""


class InvalidRecordLine(TacitusError):
    """A line of a JSONL input is not valid JSON or lacks the fields an article needs."""


class UnknownInputFormat(TacitusError):
    """The input format asked for, or guessed from a file name, is not one Tacitus reads."""


class InvalidDate(TacitusError):
    """A date given by the user or found in an input is not an ISO date (YYYY-MM-DD)."""


class StoreUnavailable(TacitusError):
    """The database cannot be opened or created where it was asked for."""


class UnknownCode(TacitusError):
    """A CAMEO, PLOVER or actor code is not in the tables Tacitus ships."""


class InvalidRuleFile(TacitusError):
    """A packaged or user rule file (patterns, cue verbs, actor entries) has an unknown key or bad value."""


class AnalysisFailed(TacitusError):
    """One article could not be analysed (a pipeline stage failed on it); the batch goes on without it."""


class TimeBudgetExceeded(AnalysisFailed):
    """One article took longer than its time budget (:mod:`tacitus.watchdog`); it is skipped and reported,
    the batch goes on."""


class UsageError(TacitusError):
    """An option has a value Tacitus does not know (an unknown quote type); the message lists the valid ones."""


class EmptyResult(TacitusError):
    """A count or chart matched nothing in the store (no events between two actors); the message names the
    store and the filters, and says what to try instead."""


class EngineUnavailable(TacitusError):
    """An analysis engine cannot run: its package is not installed (Dask), or its cluster cannot be reached
    or has no workers; the message says what to install or start."""


class InvalidSetting(EngineUnavailable):
    """An engine's switch (a Dask setting such as ``tacitus.presign``, or ``TACITUS_LEAN_MEMORY``) has a
    value that is neither yes nor no; the message names the switch and the values it takes. An engine
    cannot run so set, hence the base class: a worker's setup raising it reaches the client unwrapped."""


class EncoderUnavailable(TacitusError):
    """The sentence encoder cannot load: its model package (or a package it reads the model with) is not
    installed; the message names the pip command that installs it."""

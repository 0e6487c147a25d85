"""Yes/no switches: one reading of true/false, yes/no, on/off and 1/0 for every engine's switch.

The Dask settings (``tacitus.presign``, ``tacitus.lean-memory``) and the local engine's
``TACITUS_LEAN_MEMORY`` are all read by :func:`yes_no`. It lives in a module of its own, importing only
:mod:`tacitus.errors`, because the Dask client reads its switches too and :mod:`tacitus.lean` imports thinc
(a quarter of a second) for what only an analysing process needs.
"""

from __future__ import annotations

from typing import Any

from tacitus.errors import InvalidSetting

# The spellings of a yes/no switch, in any case. Anything else is refused rather than read as on or off:
# the memory switches used to read every unknown value as on, so a typo ("flase") measured the settings
# it meant to leave out, while Dask's tacitus.presign refused it.
YES = ("true", "yes", "on", "1")
NO = ("false", "no", "off", "0")


def yes_no(name: str, value: Any, default: bool) -> bool:
    """The yes/no switch ``name`` (as the message should call it) set to ``value``: true, yes, on or 1 is
    True and false, no, off or 0 False, in any case (Dask's configuration may give a bool or an int: its
    text is read). Unset, ``None`` or an empty string (an environment variable exported empty), is
    ``default``; any other value raises :class:`~tacitus.errors.InvalidSetting` naming the switch and the
    values it takes. Every yes/no switch of the engines is read here."""
    text = "" if value is None else str(value).strip().lower()
    if not text:
        return default
    if text in YES:
        return True
    if text in NO:
        return False
    raise InvalidSetting(f"{name} is {value!r}: give true or false (or yes/no, on/off, 1/0, in any case)")

"""Signals a long client loop must not lose (Ctrl-C, SIGTERM), whatever thread or callback they land in."""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Callable
from typing import Any


class Signals:
    """Ctrl-C and SIGTERM that must not be lost. Python raises KeyboardInterrupt wherever the main thread
    is, and where that is a garbage-collection callback (the local cluster's scheduler installs one) or a
    ``__del__``, Python prints it and goes on: the run would carry on to the end. Each signal is noted
    here as it passes to the handler that was there, and :meth:`check`, called as the run goes, raises it
    again if it was lost (and the traceback Python would print for the lost one is not printed). Only the
    main thread can set handlers; elsewhere this does nothing."""

    def __init__(self) -> None:
        self.caught: int | None = None
        self.previous: dict[int, Callable] = {}
        self.hook = sys.unraisablehook
        if threading.current_thread() is not threading.main_thread():
            return
        sys.unraisablehook = self._unraisable
        for signum in (signal.SIGINT, signal.SIGTERM):
            handler = signal.getsignal(signum)
            if callable(handler):  # Python's KeyboardInterrupt, the CLI's SIGTERM; never SIG_DFL or SIG_IGN
                self.previous[signum] = handler
                signal.signal(signum, self._handle)

    def _handle(self, signum: int, frame: Any) -> None:
        self.caught = signum
        self.previous[signum](signum, frame)

    def _unraisable(self, unraisable: Any) -> None:
        if self.caught is not None and isinstance(unraisable.exc_value, KeyboardInterrupt):
            return  # check() raises it again
        self.hook(unraisable)

    def check(self) -> None:
        """Raise the signal caught since the last check, if it was swallowed where it was first raised."""
        if self.caught is not None:
            signum, self.caught = self.caught, None
            self.previous[signum](signum, None)

    def restore(self) -> None:
        """Put the handlers back."""
        for signum, handler in self.previous.items():
            signal.signal(signum, handler)
        sys.unraisablehook = self.hook

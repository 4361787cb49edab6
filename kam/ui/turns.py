"""Metric computations of page runs take turns: a few at once, the run that began first going first.

Twenty sessions asking for twenty different weeks at once would otherwise share the cores evenly,
every query slowed by the others, and every page would be drawn near the end of all twenty. In
turns, the first to ask is the first drawn and the cores run no more queries than they can.
"""

from __future__ import annotations

import heapq
import itertools
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

# The start of the page run this thread works for (a page's own thread, or one computing ahead for it).
_run = threading.local()


def run_begins() -> None:
    """Mark the start of this thread's page run: its computations queue behind those of earlier runs."""
    _run.began = time.monotonic()


def run_began() -> float:
    """When this thread's page run began (now, for work outside any: the warm-up)."""
    return getattr(_run, "began", None) or time.monotonic()


def works_for(began: float) -> None:
    """This thread computes for a page run that began then (a pool thread computing ahead for the page)."""
    _run.began = began


class Turns:
    """At most `slots` holders at once; the others wait, the earliest run first."""

    def __init__(self, slots: int) -> None:
        self.slots = slots
        self._busy = 0
        self._waiting: list[tuple[float, int]] = []
        self._order = itertools.count()
        self._changed = threading.Condition()

    @contextmanager
    def turn(self, began: float) -> Iterator[None]:
        """Hold a turn for the body, once every earlier-begun run waiting has had its own."""
        ticket = (began, next(self._order))
        with self._changed:
            heapq.heappush(self._waiting, ticket)
            try:
                while self._busy >= self.slots or self._waiting[0] != ticket:
                    self._changed.wait()
            except BaseException:
                # A run stopped while it waited leaves the line: a ticket left at its head would hold up every run.
                self._waiting.remove(ticket)
                heapq.heapify(self._waiting)
                self._changed.notify_all()
                raise
            heapq.heappop(self._waiting)
            self._busy += 1
            # The next in line may have a free slot too.
            self._changed.notify_all()
        try:
            yield
        finally:
            with self._changed:
                self._busy -= 1
                self._changed.notify_all()


def slots(configured: int) -> int:
    """The computations run at once: as configured, or (0) one per core."""
    return configured if configured > 0 else max(1, os.cpu_count() or 1)

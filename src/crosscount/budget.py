"""A time budget for one document's analysis, checked between steps.

Every step is linear in the text, so checking between sentences bounds a document's time
to the budget plus one sentence's work; a worker or a server thread is never held longer.
"""
from __future__ import annotations

import time


class TimeBudgetExceeded(Exception):
    """The analysis of one document ran over `Settings.seconds_per_document`."""

    reason = "time_budget"


class Budget:
    __slots__ = ("seconds", "started", "deadline")

    def __init__(self, seconds: float | None, spent: float = 0.0) -> None:
        """`spent`: seconds of this document's budget already used (in another process)."""
        self.seconds = seconds
        self.started = time.monotonic() - spent
        self.deadline = self.started + seconds if seconds is not None else None

    def check(self, stage: str) -> None:
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise TimeBudgetExceeded(
                f"the analysis took over {self.seconds:g} s (in {stage}); "
                "Settings.seconds_per_document sets the limit")

    def spent(self) -> float:
        return time.monotonic() - self.started

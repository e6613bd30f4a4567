"""Progress on a terminal: files read and sheets written, on stderr (tqdm).

Only when the stream is a terminal (a person waiting): in CI, pipes and the tests the
stream is not one and nothing at all is printed (tqdm is not even imported).  A bar
shows only once the run has lasted DELAY seconds, so a quick run (the sample) looks as
before.  The stages call `start(label, total)` and `step()`; `close()` clears the bar
before problems are printed.
"""
from __future__ import annotations

import sys
import time

DELAY = 1.0   # seconds of a run before any bar shows


def is_terminal(stream) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):   # no isatty, or a closed stream
        return False


class Meter:
    """Progress bars of one run on `stream` (default stderr), or nothing when it is not a terminal."""

    def __init__(self, stream=None, delay: float = DELAY):
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = is_terminal(self.stream)
        self.delay = delay
        self.started = time.monotonic()
        self.bar = None

    def start(self, label: str, total: int, unit: str = "") -> None:
        """A new bar (the previous one is closed); shown once the run is DELAY seconds old."""
        self.close()
        if not self.enabled:
            return
        from tqdm import tqdm

        waited = time.monotonic() - self.started
        self.bar = tqdm(total=total, desc=label, unit=unit, file=self.stream, leave=False,
                        delay=max(self.delay - waited, 0.0), dynamic_ncols=True, ascii=False)

    def step(self, *_: object) -> None:
        if self.bar is not None:
            self.bar.update(1)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


class Silent:
    """The meter of a caller that wants none (the default of the stages)."""

    def start(self, label: str, total: int, unit: str = "") -> None:
        pass

    def step(self, *_: object) -> None:
        pass

    def close(self) -> None:
        pass

"""pipeline/meter.py: progress bars on a terminal only."""
from __future__ import annotations

import io

from pipeline.meter import Meter, is_terminal


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_nothing_when_the_stream_is_not_a_terminal():
    stream = io.StringIO()
    meter = Meter(stream, delay=0)
    meter.start("読込", 3, "ファイル")
    meter.step()
    meter.close()
    assert (meter.enabled, stream.getvalue()) == (False, "")


def test_a_bar_on_a_terminal_cleared_at_the_end():
    stream = Terminal()
    meter = Meter(stream, delay=0)
    meter.start("書出", 2, "シート")
    meter.step()
    meter.step()
    meter.close()
    text = stream.getvalue()
    first, *rest = text.split("\r")[1:]
    assert first == "書出:   0%|          | 0/2 [00:00<?, ?シート/s]" and rest[-2].strip() == "" and rest[-1] == ""


def test_a_quick_run_shows_no_bar():
    stream = Terminal()
    meter = Meter(stream)          # DELAY: a bar waits for the run's first second
    meter.start("読込", 2, "ファイル")
    meter.step()
    meter.close()
    assert stream.getvalue() == ""


def test_is_terminal_of_odd_streams():
    closed = io.StringIO()
    closed.close()
    assert (is_terminal(object()), is_terminal(closed), is_terminal(Terminal())) == (False, False, True)

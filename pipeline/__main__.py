"""`python -m pipeline …` → pipeline.cli, tuned for a short-lived process.

Two costs of CPython that do nothing for a one-shot command are avoided (see
bench/README.md for the measurements):

- the cyclic garbage collector: pandas and pandera allocate hundreds of thousands of
  objects while importing, almost none in reference cycles, and with the default
  first-generation threshold (700) the collector runs hundreds of times for nothing.
  A higher threshold keeps it (cycles are still freed) but lets it run rarely;
- interpreter teardown: freeing every module and object of pandas and pandera at exit
  takes ≈ 0.1 s.  Once `main` has returned — every output file written, closed and
  renamed into place, every temporary folder removed — the streams are flushed and the
  process ends with `os._exit` and the same exit code.

`pipeline.cli.main` itself (what the tests call) is a plain function with neither.
"""
import gc
import os
import sys

GC_THRESHOLD = (50_000, 20, 20)

gc.set_threshold(*GC_THRESHOLD)

from .cli import main  # noqa: E402 — after the collector is tuned, so the imports benefit

code = main()
for stream in (sys.stdout, sys.stderr):
    try:
        stream.flush()
    except (BrokenPipeError, ValueError):  # the reader went away (`… | head`), or a closed stream
        pass
os._exit(code)

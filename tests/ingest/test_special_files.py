"""Special files (FIFOs, sockets, devices) are refused unread; the rest of the batch goes on.

Opening a FIFO for reading waits for a writer, so a regression would hang rather than fail: every
test that meets a real FIFO runs newsprism in a subprocess with a timeout.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from newsprism.ingest import collect
from newsprism.ingest.files import open_regular, read_capped
from newsprism.errors import InputError
from newsprism.models import Rejection

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs POSIX FIFOs")

TIMEOUT_SECONDS = 60  # a hang (the bug) fails the test instead of blocking the suite
FIFO_PROBLEM = "is a named pipe (FIFO), not a regular file"
_COLLECT = """
import json, sys
from newsprism.ingest import collect
for item in collect(sys.argv[1:]):
    print(json.dumps([item.origin, getattr(item, "problem", None)]))
"""


def _collect_in_subprocess(inputs: list[str], cwd: Path) -> list[tuple[str, str | None]]:
    proc = subprocess.run(
        [sys.executable, "-c", _COLLECT, *inputs], cwd=cwd, capture_output=True, text=True, timeout=TIMEOUT_SECONDS
    )
    assert proc.returncode == 0, proc.stderr
    return [tuple(json.loads(line)) for line in proc.stdout.splitlines()]  # type: ignore[misc]


def _article(path: Path, title: str) -> Path:
    path.write_text(f"{title}\n\nThe council met on Monday to discuss {title.lower()}.\n", encoding="utf-8")
    return path


def test_fifo_among_files_is_rejected_and_the_batch_goes_on(tmp_path: Path) -> None:
    _article(tmp_path / "good_a.txt", "Harbour works begin")
    _article(tmp_path / "good_b.txt", "Rail line reopens")
    os.mkfifo(tmp_path / "p.txt")
    items = _collect_in_subprocess(["good_a.txt", "p.txt", "good_b.txt"], tmp_path)
    assert [origin for origin, _ in items] == ["good_a.txt", "p.txt", "good_b.txt"]
    assert items[0][1] is None and items[2][1] is None
    assert items[1][1] is not None and items[1][1].startswith(FIFO_PROBLEM)


def test_fifos_and_links_to_them_inside_a_directory(tmp_path: Path) -> None:
    folder = tmp_path / "news"
    folder.mkdir()
    _article(folder / "a.txt", "Harbour works begin")
    for name in ("b.txt", "c.jsonl", "d.csv", "e.xml"):
        os.mkfifo(folder / name)
    (folder / "f.md").symlink_to(folder / "b.txt")
    _article(folder / "g.txt", "Rail line reopens")
    items = dict(_collect_in_subprocess(["news"], tmp_path))
    assert list(items) == [f"news/{n}" for n in ("a.txt", "b.txt", "c.jsonl", "d.csv", "e.xml", "f.md", "g.txt")]
    assert items["news/a.txt"] is None and items["news/g.txt"] is None
    for name in ("b.txt", "c.jsonl", "d.csv", "e.xml", "f.md"):
        assert items[f"news/{name}"].startswith(FIFO_PROBLEM)  # type: ignore[union-attr]


def test_fifo_named_as_a_feed(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "feed.xml")
    script = (
        "import sys\nfrom newsprism.ingest import collect\n"
        "print(list(collect([], feeds=['feed.xml']))[0].problem)"
    )
    proc = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, timeout=TIMEOUT_SECONDS)
    assert proc.stdout.startswith(FIFO_PROBLEM), proc.stderr


def test_unix_socket_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "s.txt"
    if len(str(path)) > 100:  # AF_UNIX paths are limited to ~107 bytes
        pytest.skip("temporary directory path too long for a unix socket")
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        server.bind(str(path))
        (item,) = collect([str(path)])
    finally:
        server.close()
    assert isinstance(item, Rejection) and item.problem.startswith("is a socket, not a regular file")


def test_character_device_is_rejected_unread() -> None:
    (item,) = collect(["/dev/null"])
    assert isinstance(item, Rejection)
    assert item.problem.startswith("is a character device, not a regular file")
    with pytest.raises(InputError, match="is a character device"):
        read_capped(Path("/dev/zero"), "/dev/zero")  # would never end if it were read


def test_open_regular_reads_regular_files_and_links_to_them(tmp_path: Path) -> None:
    target = _article(tmp_path / "a.txt", "Harbour works begin")
    (tmp_path / "link.txt").symlink_to(target)
    handle, size = open_regular(tmp_path / "link.txt", "link.txt")
    with handle:
        assert handle.read() == target.read_bytes() and size == target.stat().st_size
    with pytest.raises(InputError, match="no such file or directory"):
        open_regular(tmp_path / "missing.txt", "missing.txt")


@pytest.mark.slow
def test_cli_ingest_stores_the_batch_around_a_fifo(tmp_path: Path) -> None:
    _article(tmp_path / "good_a.txt", "Harbour works begin")
    _article(tmp_path / "good_b.txt", "Rail line reopens")
    os.mkfifo(tmp_path / "p.txt")
    proc = subprocess.run(
        [sys.executable, "-m", "newsprism", "--db", "t.db", "ingest", "good_a.txt", "p.txt", "good_b.txt"],
        cwd=tmp_path, capture_output=True, text=True, timeout=TIMEOUT_SECONDS,
    )
    assert proc.returncode == 1
    assert f"error: p.txt: {FIFO_PROBLEM}" in proc.stderr
    assert "2 ingested, 0 duplicates, 1 rejected" in proc.stderr

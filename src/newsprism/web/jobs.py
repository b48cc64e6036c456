"""Ingest jobs started from the web UI: one background thread per job, run one at a time (one
writer, scarce CPU), progress kept in memory for the polling endpoint. Uploaded files live in a
private temporary directory that is removed when the job ends.

Whoever can reach the ingest form must not make the server read its own network: every URL, feed,
feed link and redirect hop is fetched with a public-only client (loopback, private, link-local
addresses refused, checked on the address connected to) unless the server was started with
``--allow-private-urls``.
"""

from __future__ import annotations

import re
import secrets
import shutil
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ..ingest.web import make_client
from ..store import Store

MAX_FILE_BYTES = 20 * 1024 * 1024  # per uploaded file
MAX_UPLOAD_BYTES = 50 * 1024 * 1024  # per request, all files together
MAX_FILES = 200
MAX_URLS = 200
KEEP_FINISHED_JOBS = 50
PRIVATE_URL_REFUSED = ("refused: {host} is a private or local address ({address}); this server fetches public "
                       "addresses only (start it with 'newsprism serve --allow-private-urls' to allow them)")
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def safe_filename(name: str, index: int) -> str:
    """A file name that cannot leave its directory: basename only, safe characters, numbered."""
    base = Path(name.replace("\\", "/")).name
    base = _SAFE_NAME.sub("_", base).lstrip(".")[:80] or "upload"
    return f"{index:03d}_{base}"


@dataclass
class Job:
    id: str
    state: str = "queued"  # queued, running, done, failed
    stage: str = "waiting"
    done: int = 0
    total: int | None = None
    inputs: int = 0
    started: float = field(default_factory=time.time)
    finished: float | None = None
    result: dict[str, Any] | None = None
    error: str | None = None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


class IngestJobs:
    """Starts ingest jobs and reports their progress."""

    def __init__(self, store: Store, *, allow_private_urls: bool = False) -> None:
        self.store = store
        self.allow_private_urls = allow_private_urls
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()
        self._run_lock = threading.Lock()  # one ingest at a time

    def new_upload_dir(self) -> Path:
        return Path(tempfile.mkdtemp(prefix="newsprism-upload-"))

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    def start(self, inputs: list[str], feeds: list[str], source: str | None, upload_dir: Path | None) -> Job:
        job = Job(id=secrets.token_hex(8), inputs=len(inputs) + len(feeds))
        with self._lock:
            finished = sorted((j for j in self._jobs.values() if j.finished), key=lambda j: j.finished or 0)
            for old in finished[:max(0, len(finished) - KEEP_FINISHED_JOBS)]:
                self._jobs.pop(old.id, None)
            self._jobs[job.id] = job
        thread = threading.Thread(target=self._run, args=(job, inputs, feeds, source, upload_dir),
                                  name=f"ingest-{job.id}", daemon=True)
        thread.start()
        return job

    def _run(self, job: Job, inputs: list[str], feeds: list[str], source: str | None, upload_dir: Path | None) -> None:
        from ..pipeline import ingest

        def progress(stage: str, done: int, total: int | None = None) -> None:
            job.stage, job.done, job.total = stage, int(done), total

        client = make_client(public_only=not self.allow_private_urls, refusal=PRIVATE_URL_REFUSED)
        try:
            with self._run_lock:
                job.state, job.stage = "running", "reading"
                report = ingest(self.store, inputs, feeds, source=source, progress=progress, client=client)
            job.result = {"ingested": list(report.ingested), "duplicates": list(report.duplicates),
                          "already_stored": [Path(o).name if upload_dir and o.startswith(str(upload_dir)) else o
                                             for o in report.already_stored],
                          "rejected": [{"origin": _public_origin(r.origin, upload_dir), "problem":
                                        r.problem.replace(str(upload_dir), "") if upload_dir else r.problem}
                                       for r in report.rejected]}
            job.state, job.stage = "done", "done"
        except Exception as exc:  # noqa: BLE001 - the job reports any failure to the user
            job.state, job.stage = "failed", "failed"
            job.error = str(exc).replace(str(upload_dir), "") if upload_dir else str(exc)
        finally:
            client.close()
            job.finished = time.time()
            if upload_dir is not None:
                shutil.rmtree(upload_dir, ignore_errors=True)


def _public_origin(origin: str, upload_dir: Path | None) -> str:
    """Hide the server's temporary directory from what the user sees."""
    if upload_dir is not None and origin.startswith(str(upload_dir)):
        return Path(origin.split("#")[0]).name + ("#" + origin.split("#", 1)[1] if "#" in origin else "")
    return origin

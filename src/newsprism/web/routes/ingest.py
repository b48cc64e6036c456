"""Ingest from the browser: paste URLs or feeds, upload files; a background job with progress.

Only http(s) URLs and uploaded files are accepted: a web client can never name a path on the
server. Uploads are written under a fresh temporary directory with sanitised names and size caps.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from starlette.datastructures import UploadFile

from ..jobs import MAX_FILE_BYTES, MAX_FILES, MAX_UPLOAD_BYTES, MAX_URLS, IngestJobs, Job, safe_filename
from ..templating import safe_url
from .common import JobId, render

router = APIRouter()
_CHUNK = 1 << 16


def _jobs(request: Request) -> IngestJobs:
    return request.app.state.jobs  # type: ignore[no-any-return]


def _urls(raw: Any, what: str) -> list[str]:
    lines = [line.strip() for line in str(raw or "").splitlines() if line.strip()]
    if len(lines) > MAX_URLS:
        raise HTTPException(400, f"at most {MAX_URLS} {what} per request")
    bad = [line for line in lines if not safe_url(line)]
    if bad:
        raise HTTPException(400, f"not an http(s) URL: {bad[0][:100]!r}; only web addresses can be pasted, "
                                 "upload files with the file field")
    return lines


async def _save(upload: UploadFile, target: Path, budget: int) -> int:
    """Copy one upload to ``target``, enforcing the per-file and remaining per-request budget."""
    written = 0
    with target.open("wb") as out:
        while chunk := await upload.read(_CHUNK):
            written += len(chunk)
            if written > MAX_FILE_BYTES or written > budget:
                raise HTTPException(413, f"{upload.filename!r} is too large: files are limited to "
                                         f"{MAX_FILE_BYTES // 2**20} MB each, {MAX_UPLOAD_BYTES // 2**20} MB in total")
            out.write(chunk)
    return written


async def _start(request: Request) -> Job:
    form = await request.form(max_files=MAX_FILES, max_fields=20, max_part_size=1024 * 1024)
    urls = _urls(form.get("urls"), "URLs")
    feeds = _urls(form.get("feeds"), "feeds")
    source = str(form.get("source") or "").strip()[:200] or None
    uploads = [f for f in form.getlist("files") if isinstance(f, UploadFile) and f.filename]
    if not urls and not feeds and not uploads:
        raise HTTPException(400, "nothing to ingest: paste a URL or a feed, or choose files")
    jobs = _jobs(request)
    upload_dir = jobs.new_upload_dir() if uploads else None
    inputs = list(urls)
    try:
        budget = MAX_UPLOAD_BYTES
        for i, upload in enumerate(uploads):
            target = upload_dir / safe_filename(upload.filename or "", i)  # type: ignore[operator]
            budget -= await _save(upload, target, budget)
            inputs.append(str(target))
    except BaseException:
        if upload_dir is not None:
            shutil.rmtree(upload_dir, ignore_errors=True)
        raise
    finally:
        await form.close()
    return jobs.start(inputs, feeds, source, upload_dir)


@router.get("/ingest", response_class=HTMLResponse, include_in_schema=False)
def ingest_page(request: Request) -> HTMLResponse:
    return render(request, "ingest.html", active="ingest", private_urls=_jobs(request).allow_private_urls, limits={
        "file_mb": MAX_FILE_BYTES // 2**20, "total_mb": MAX_UPLOAD_BYTES // 2**20, "files": MAX_FILES})


@router.get("/api/ingest", tags=["ingest"], summary="What the ingest form accepts (limits, fields)")
def api_ingest_form() -> dict[str, Any]:
    return {"fields": {"urls": "http(s) article URLs, one per line", "feeds": "RSS/Atom feed URLs, one per line",
                       "files": "uploaded files (text, HTML, JSONL, CSV, RSS/Atom)", "source": "outlet name (optional)"},
            "limits": {"max_file_bytes": MAX_FILE_BYTES, "max_upload_bytes": MAX_UPLOAD_BYTES,
                       "max_files": MAX_FILES, "max_urls": MAX_URLS}}


@router.post("/ingest", include_in_schema=False)
async def ingest_form(request: Request) -> RedirectResponse:
    job = await _start(request)
    return RedirectResponse(f"/ingest/jobs/{job.id}", status_code=303)


@router.get("/ingest/jobs/{job_id}", response_class=HTMLResponse, include_in_schema=False)
def job_page(request: Request, job_id: JobId) -> HTMLResponse:
    job = _jobs(request).get(job_id)
    if job is None:
        raise HTTPException(404, "no such ingest job (jobs are kept in memory until the server restarts)")
    added = []
    if job.result and job.result.get("ingested"):
        store = request.app.state.store
        added = [{"id": a.id, "title": a.title, "source": a.source, "story": a.story, "duplicate_of": a.duplicate_of}
                 for a in store.get_articles(job.result["ingested"][:50])]
    return render(request, "job.html", job=job, added=added, active="ingest")


@router.post("/api/ingest", status_code=202, tags=["ingest"],
             summary="Start ingesting URLs, feeds and uploaded files (multipart form: urls, feeds, source, files)")
async def api_ingest(request: Request) -> JSONResponse:
    job = await _start(request)
    return JSONResponse({"job": job.id, "status": f"/api/ingest/jobs/{job.id}"}, status_code=202)


@router.get("/api/ingest/jobs/{job_id}", tags=["ingest"], summary="Progress of an ingest job")
def api_job(request: Request, job_id: JobId) -> dict[str, Any]:
    job = _jobs(request).get(job_id)
    if job is None:
        raise HTTPException(404, "no such ingest job")
    return job.to_json()

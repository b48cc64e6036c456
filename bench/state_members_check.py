"""The clusterer's "member" rows (cluster/state.py) change nothing but the blob: section (a) of the scale
bench (``cluster.assign`` over the replicated grouping bench files, batches of 500) run twice at one
size, with the closed stories' ids, labels and sizes as member rows (this version) and kept in the blob
(``state.save_members`` off, as before), each in a fresh child; prints whether the stories and
storylines are identical, the blob at the end of each run and its largest parts.

Run: .venv/bin/python -m bench.state_members_check [N ...]   (default 10000; ~3 min per run at 10k)
"""

from __future__ import annotations

import json
import multiprocessing
import os
import sys
import time

from bench.scale_bench import _assign_child
from newsprism.cluster import state


def _run(n: int, members: bool) -> dict:
    original = state.save_members
    if not members:
        state.save_members = lambda store, engine_state: None  # the fork inherits it
    try:
        context = multiprocessing.get_context("fork")
        queue = context.Queue()
        child = context.Process(target=_assign_child, args=(n, queue, True))
        child.start()
        result = queue.get()
        child.join()
    finally:
        state.save_members = original
    return result


def main(argv: list[str]) -> None:
    os.environ.pop("NEWSPRISM_EMBEDDER", None)
    for n in [int(a) for a in argv] or [10000]:
        print(f"{time.strftime('%H:%M UTC', time.gmtime())} load {os.getloadavg()[0]:.1f}: {n:,} articles",
              flush=True)
        runs = {members: _run(n, members) for members in (False, True)}
        before, after = runs[False], runs[True]
        print(json.dumps({
            "n": n, "stories": after["stories"],
            "identical stories": before["groupings"] == after["groupings"],
            "identical storylines": before["storylines"] == after["storylines"],
            "blob MB before (in the blob)": round(before["state"], 3), "blob MB after (member rows)": round(after["state"], 3),
            "ms/article before, after": [round(before["ms"], 2), round(after["ms"], 2)],
            "rows after": after["rows"],
            "largest parts before KB": {k: round(v) for k, v in list(before["blob parts"].items())[:8]},
            "largest parts after KB": {k: round(v) for k, v in list(after["blob parts"].items())[:8]},
        }, indent=1), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])

"""PDFs in batches: WeasyPrint is slow on one big document and holds it all in memory.

Thousands of labels are cut into batches of sheets; each batch is rendered to
its own PDF, in parallel processes where the machine has the cores, and the
batch files are merged in order with pypdf. Memory stays at a batch per
process, and a cancelled job stops between batches.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from pathlib import Path

from followups.outputs.pdf_worker import render_to_file


class JobCancelled(Exception):
    """The job was cancelled while it ran."""


def workers_available() -> int:
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, int(os.environ.get("FOLLOWUPS_PDF_WORKERS", cores))))


class _InOrderMerger:
    """Appends batch files to one PDF in order, as soon as each one's turn comes.

    Merging while the workers render keeps the merge off the end of the job.
    """

    def __init__(self, paths: Sequence[str]):
        from pypdf import PdfWriter

        self.paths = paths
        self.ready: set[int] = set()
        self.next = 0
        self.writer = PdfWriter()

    def add(self, index: int) -> None:
        self.ready.add(index)
        while self.next in self.ready:
            self.writer.append(self.paths[self.next])
            Path(self.paths[self.next]).unlink(missing_ok=True)
            self.next += 1

    def write(self, out_path: str) -> None:
        with open(out_path, "wb") as out:
            self.writer.write(out)
        self.writer.close()


def render_batches(
    batches: Sequence[str],
    out_path: str,
    *,
    work_dir: str,
    on_batch: Callable[[int], None] | None = None,
    workers: int | None = None,
) -> str:
    """Render each HTML batch and merge them into out_path, in order.

    `on_batch(index)` runs in this process after each batch is done; it may raise
    JobCancelled, which stops the rest and leaves no batch file behind.
    """
    paths = [str(Path(work_dir) / f"batch-{i:05d}.pdf") for i in range(len(batches))]
    workers = min(workers or workers_available(), len(batches))
    if len(batches) == 1:
        try:
            render_to_file(batches[0], paths[0])
            if on_batch:
                on_batch(0)
            os.replace(paths[0], out_path)
        finally:
            Path(paths[0]).unlink(missing_ok=True)
        return out_path
    merger = _InOrderMerger(paths)

    def done(index: int) -> None:
        merger.add(index)
        if on_batch:
            on_batch(index)

    try:
        if workers <= 1:
            for index, html in enumerate(batches):
                render_to_file(html, paths[index])
                done(index)
        else:
            _render_parallel(batches, paths, workers, done)
        merger.write(out_path)
    finally:
        for path in paths:
            Path(path).unlink(missing_ok=True)
    return out_path


def _render_parallel(batches, paths, workers, on_batch) -> None:
    # Forked: a spawned worker would re-import the main module (celery, pytest,
    # manage.py) before it could start. The child only runs WeasyPrint on a
    # string: it touches no database connection, and leaves with os._exit, so
    # the connections it inherited are not closed under the parent.
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        pending = {}
        queue = list(enumerate(batches))
        # Only a few batches in flight: the HTML of the rest is not copied yet.
        try:
            while queue or pending:
                while queue and len(pending) < workers * 2:
                    index, html = queue.pop(0)
                    pending[pool.submit(render_to_file, html, paths[index])] = index
                finished, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in finished:
                    index = pending.pop(future)
                    future.result()
                    if on_batch:
                        on_batch(index)
        except BaseException:
            for future in pending:
                future.cancel()
            raise

"""PDFs in batches: WeasyPrint is slow on one big document and holds it all in memory.

Thousands of labels are cut into batches of sheets; each batch is rendered to
its own PDF, in parallel processes where the machine has the cores, and the
batch files are merged in order with pypdf. Memory stays at a batch per
process, and a cancelled job stops between batches.
"""

from __future__ import annotations

import contextlib
import os
import selectors as fd_selectors
import signal
import traceback
from collections.abc import Callable, Sequence
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
    lean: bool = False,
) -> str:
    """Render each HTML batch and merge them into out_path, in order.

    `on_batch(index)` runs in this process after each batch is done; it may raise
    JobCancelled, which stops the rest and leaves no batch file behind. `lean` renders
    with pdf_worker's short user-agent stylesheet (documents of its LEAN_ELEMENTS only).
    """
    paths = [str(Path(work_dir) / f"batch-{i:05d}.pdf") for i in range(len(batches))]
    workers = min(workers or workers_available(), len(batches))
    if len(batches) == 1:
        try:
            render_to_file(batches[0], paths[0], lean=lean)
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
                render_to_file(html, paths[index], lean=lean)
                done(index)
        else:
            _render_parallel(batches, paths, workers, done, lean)
        merger.write(out_path)
    finally:
        for path in paths:
            Path(path).unlink(missing_ok=True)
    return out_path


def _render_parallel(batches, paths, workers, on_batch, lean=False) -> None:
    """Fork `workers` children; child k renders batches k, k + workers, ... and reports each
    finished index on its pipe.

    Plain fork rather than multiprocessing: a Celery prefork worker is a daemonic process,
    which multiprocessing forbids to have children, and a spawned interpreter would re-run
    the main module (celery, pytest, manage.py). The child only runs WeasyPrint on a string
    and leaves with os._exit, so the database connections it inherited are never used or
    closed under the parent.
    """
    children: dict[int, int] = {}  # read end of the pipe -> pid
    try:
        for worker in range(workers):
            read_fd, write_fd = os.pipe()
            pid = os.fork()
            if pid == 0:  # pragma: no cover - runs in the child
                os.close(read_fd)
                code = 0
                try:
                    for index in range(worker, len(batches), workers):
                        render_to_file(batches[index], paths[index], lean=lean)
                        os.write(write_fd, f"{index}\n".encode())
                except BaseException:
                    traceback.print_exc()
                    code = 1
                finally:
                    os._exit(code)
            os.close(write_fd)
            children[read_fd] = pid
        _follow_children(children, on_batch)
    finally:
        for read_fd, pid in children.items():
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)
            with contextlib.suppress(OSError):
                os.close(read_fd)


def _follow_children(children: dict[int, int], on_batch) -> None:
    watcher = fd_selectors.DefaultSelector()
    pending = dict.fromkeys(children, b"")
    for read_fd in children:
        watcher.register(read_fd, fd_selectors.EVENT_READ)
    try:
        while pending:
            for key, _ in watcher.select():
                data = os.read(key.fd, 4096)
                if not data:
                    watcher.unregister(key.fd)
                    del pending[key.fd]
                    continue
                *lines, pending[key.fd] = (pending[key.fd] + data).split(b"\n")
                for line in lines:
                    on_batch(int(line))
    finally:
        watcher.close()
    for read_fd, pid in list(children.items()):
        _, status = os.waitpid(pid, 0)
        os.close(read_fd)
        del children[read_fd]
        if os.waitstatus_to_exitcode(status) != 0:
            raise RuntimeError("A PDF worker process failed; see the worker's log.")

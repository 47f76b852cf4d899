"""Worker processes for a corpus run, sharing one parser.

The spaCy parse is the only step that needs the model, and loading it costs each process
about as much as analysing a hundred documents. So one worker in three (at least one)
holds the parser; the others never load it. A worker without the parser reads each
document up to the parse (`pipeline.prepare`), sends the few sentences that need one to
the holders, goes on with the next documents meanwhile, and finishes each document when
its parse comes back. The holders answer parse requests between their own documents.
While the holder loads the model, the other workers are already reading documents: the
load no longer stops every process at the start.

Messages (all through multiprocessing queues):
  tasks           parent -> workers   a list of Documents; None ends a worker's input
  parse_requests  workers -> holders  (worker, ticket, [(offset, sentence)]); None: no more
  replies[n]      holders -> worker n (ticket, speakers by offset, or an error text)
  results         workers -> parent   ("batch", Batch) | ("done", n, peak RSS MB) |
                                      ("failed", n, text)
"""
from __future__ import annotations

import multiprocessing
import os
import queue
import signal
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from .. import (PARSE_BATCH_DOCUMENTS, Analysis, Batch, Document, Prepared, Problem, Settings,
                TimeBudgetExceeded, finished, load_models, parse_each, prepare)

DOCUMENTS_PER_TASK = 8
# Documents a worker may hold while their parses are pending: enough to keep it busy for
# the whole time a holder takes to load the model.
PARSE_BACKLOG = 256
POLL_SECONDS = 0.005
ORPHAN_CHECK_SECONDS = 1.0
# The parse is about a third of a document's analysis: one holder per three workers keeps
# the parses flowing without making every worker load the model.
WORKERS_PER_PARSER = 3


def peak_rss_mb() -> float | None:
    """This process's peak resident memory (Linux and macOS; None elsewhere)."""
    try:
        import resource
    except ImportError:
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1 << 20) if sys.platform == "darwin" else peak / 1024


def parser_holders(workers: int) -> int:
    return max(1, -(-workers // WORKERS_PER_PARSER))


def failure(document_id: str, error: Exception) -> Problem:
    """The problem a document's failed analysis leaves: over its time budget, or an error
    with where it was raised (the first line) and its traceback (the lines after), by which
    the parent tells one odd document from a bug that fails them all."""
    if isinstance(error, TimeBudgetExceeded):
        return Problem(document_id, error.reason, str(error))
    frame = traceback.extract_tb(error.__traceback__)[-1] if error.__traceback__ else None
    where = f" (at {os.path.basename(frame.filename)}:{frame.lineno})" if frame else ""
    return Problem(document_id, "analysis_failed",
                   f"{type(error).__name__}: {error}{where}\n"
                   + "".join(traceback.format_exception(error)))


# One odd document may fail; the same error (type and raising line) on this many, and on
# at least half of the documents so far, is a bug: the run stops and shows it.
SYSTEMATIC_FAILURES = 10


class SystematicFailure(Exception):
    """The same error on many documents: a bug in crosscount or its setup, not bad input."""


class FailureWatch:
    """Tells one odd document from a bug, over the documents analysed so far (in any
    order: a local run's batches, a Spark job's results)."""

    def __init__(self) -> None:
        self.documents = 0
        self.by_error: dict[str, int] = {}

    def see(self, analysed: int, problems: Iterable[dict[str, Any]]) -> None:
        """`analysed` documents stored, and problem rows (as `Batch.problems` holds them)."""
        self.documents += analysed
        for problem in problems:
            if problem["reason"] != "analysis_failed":
                continue
            self.documents += 1
            first_line, _, trace = problem["detail"].partition("\n")
            signature = first_line.split(": ", 1)[0] + first_line[first_line.rfind(" (at "):]
            count = self.by_error[signature] = self.by_error.get(signature, 0) + 1
            if count >= SYSTEMATIC_FAILURES and 2 * count >= self.documents:
                raise SystematicFailure(
                    f"the same error on {count} of {self.documents} documents: a bug, not bad "
                    f"input, so the run stopped. The last:\n{trace}")


def add_outcome(batch: Batch, document: Document, outcome: Analysis | Exception) -> None:
    """The document's rows, or its problem: one document's failure must not end the run."""
    if not isinstance(outcome, Exception):
        try:
            batch.add_analysis(outcome, document.meta.get("input", ""))
            return
        except Exception as error:
            outcome = error
    batch.add_problem(failure(document.id, outcome))


@dataclass
class _Channels:
    tasks: Any
    parse_requests: Any
    replies: list
    results: Any


class _Worker:
    def __init__(self, number: int, holds_parser: bool, settings: Settings, channels: _Channels) -> None:
        self.number = number
        self.holds_parser = holds_parser
        self.serving = holds_parser
        self.settings = settings
        self.channels = channels
        self.pending: dict[int, Prepared] = {}
        self.own: list[Prepared] = []    # a holder's own documents waiting for their parse
        self.tickets = 0
        self.outgoing = Batch.empty()

    def run(self) -> None:
        load_models(self.settings, with_parser=self.holds_parser)
        while True:
            self._serve()
            self._collect()
            waiting = self.serving or bool(self.pending)
            try:
                task = self.channels.tasks.get(timeout=POLL_SECONDS if waiting else None)
            except queue.Empty:
                continue
            if task is None:
                break
            for document in task:
                self._analyse(document)
                self._serve()
                self._collect()
                while len(self.pending) >= PARSE_BACKLOG:
                    self._send()
                    self._collect(block=True)
            self._parse_own()
        self._parse_own()
        while self.pending:
            self._send()
            self._collect(block=True)
        self._send()
        self.channels.results.put(("done", self.number, peak_rss_mb()))
        while self.serving:
            self._serve(block=True)

    def _analyse(self, document: Document) -> None:
        try:
            prepared = prepare(document, self.settings)
        except Exception as error:
            self.outgoing.add_problem(failure(document.id, error))
            return
        if prepared.needs_parse and self.holds_parser:
            self.own.append(prepared)
            if len(self.own) >= PARSE_BATCH_DOCUMENTS:
                self._parse_own()
            return
        if prepared.needs_parse:
            self.tickets += 1
            self.pending[self.tickets] = prepared
            self.channels.parse_requests.put((self.number, self.tickets, prepared.parse_request()))
            return
        self._finish(prepared, {})

    def _finish(self, prepared: Prepared, speakers: dict | Exception) -> None:
        """With `speakers` parsed (here or by a holder), or the error of its parse."""
        add_outcome(self.outgoing, prepared.document, finished(prepared, speakers, self.settings))
        if len(self.outgoing) >= DOCUMENTS_PER_TASK:
            self._send()

    def _parse_own(self) -> None:
        """A holder's own documents, their sentences parsed in one batch."""
        own, self.own = self.own, []
        for prepared, speakers in zip(own, parse_each([p.parse_request() for p in own], self.settings)):
            self._finish(prepared, speakers)

    def _send(self) -> None:
        if len(self.outgoing):
            for row in self.outgoing.documents:
                row["text"] = None    # the parent kept it
            self.channels.results.put(("batch", self.outgoing))
            self.outgoing = Batch.empty()

    def _collect(self, block: bool = False) -> None:
        """Finish the documents whose parse has come back."""
        replies = self.channels.replies[self.number]
        while self.pending:
            try:
                ticket, answer = replies.get() if block else replies.get_nowait()
            except queue.Empty:
                return
            block = False
            prepared = self.pending.pop(ticket)
            if isinstance(answer, str):
                self.outgoing.add_problem(Problem(prepared.document.id, "analysis_failed", answer))
            else:
                self._finish(prepared, answer)

    def _serve(self, block: bool = False) -> None:
        """Answer the parse requests waiting (a holder's first duty), parsed together."""
        while self.serving:
            requests = []
            while len(requests) < PARSE_BATCH_DOCUMENTS:
                try:
                    request = self.channels.parse_requests.get(block)
                except queue.Empty:
                    break
                block = False
                if request is None:
                    self.serving = False
                    break
                requests.append(request)
            if not requests:
                return
            answers = parse_each([sentences for _, _, sentences in requests], self.settings)
            for (worker, ticket, _), answer in zip(requests, answers):
                # An error crosses the process boundary as its text.
                reply = f"parse failed: {answer!r}" if isinstance(answer, Exception) else answer
                self.channels.replies[worker].put((ticket, reply))


def _leave_when_orphaned(parent: int) -> None:
    """A parent killed with SIGKILL cannot stop its workers, and a worker may then wait
    for ever on a pipe it half holds: this thread ends the process instead (at once: a
    normal exit would wait to flush rows into pipes no one reads)."""
    while os.getppid() == parent:
        time.sleep(ORPHAN_CHECK_SECONDS)
    os._exit(0)


def _work(number: int, holds_parser: bool, settings: Settings, channels: _Channels) -> None:
    # Ctrl-C reaches the whole process group: the parent alone answers it, and stops us.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # The parent's SIGTERM handler stops a run gracefully; a worker it terminates just ends.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    threading.Thread(target=_leave_when_orphaned, args=(os.getppid(),), daemon=True).start()
    try:
        _Worker(number, holds_parser, settings, channels).run()
    except BaseException:
        channels.results.put(("failed", number, traceback.format_exc()))


class Crew:
    """Worker processes, started before anything else so that their models load while the
    parent opens the store and reads the inputs."""

    def __init__(self, workers: int, settings: Settings) -> None:
        context = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
        self.holders = parser_holders(workers)
        self.channels = _Channels(context.Queue(maxsize=4 * workers), context.Queue(),
                                  [context.Queue() for _ in range(workers)], context.Queue())
        self.peak_rss_mb: list[float | None] = [None] * workers   # each worker's, once it is done
        self.processes = [context.Process(target=_work, args=(n, n < self.holders, settings, self.channels),
                                          daemon=True, name=f"crosscount-worker-{n}")
                          for n in range(workers)]
        for process in self.processes:
            process.start()

    def analyse(self, documents: Iterable[Document], take: Callable[[Batch], None]) -> None:
        """Send every document to the workers; `take` each batch of rows as it comes back."""
        feeding_error: list[BaseException] = []
        feeder = threading.Thread(target=self._feed, args=(documents, feeding_error), daemon=True)
        feeder.start()
        done: set[int] = set()
        readers = set(range(self.holders, len(self.processes)))
        stopped = False
        while len(done) < len(self.processes):
            try:
                message = self.channels.results.get(timeout=1.0)
            except queue.Empty:
                self._check_alive()
                continue
            if message[0] == "batch":
                take(message[1])
            elif message[0] == "done":
                done.add(message[1])
                self.peak_rss_mb[message[1]] = message[2]
            else:
                raise RuntimeError(f"worker {message[1]} failed:\n{message[2]}")
            if not stopped and readers <= done:
                # No worker will ask for a parse any more.
                for _ in range(self.holders):
                    self.channels.parse_requests.put(None)
                stopped = True
        feeder.join()
        if feeding_error:
            raise feeding_error[0]

    def _feed(self, documents: Iterable[Document], error: list[BaseException]) -> None:
        task: list[Document] = []
        try:
            for document in documents:
                task.append(document)
                if len(task) == DOCUMENTS_PER_TASK:
                    self.channels.tasks.put(task)
                    task = []
            if task:
                self.channels.tasks.put(task)
        except BaseException as exc:   # reported by `analyse` once the workers have ended
            error.append(exc)
        finally:
            for _ in self.processes:
                self.channels.tasks.put(None)

    def _check_alive(self) -> None:
        for number, process in enumerate(self.processes):
            if not process.is_alive() and process.exitcode not in (0, None):
                raise RuntimeError(f"worker {number} ended with exit code {process.exitcode}; "
                                   "run the same command again to finish the rest")

    def close(self) -> None:
        for process in self.processes:
            process.join(timeout=5)
            if process.is_alive():
                process.terminate()
                process.join()

    def __enter__(self) -> Crew:
        return self

    def __exit__(self, *exc) -> None:
        if exc[0] is not None:
            for process in self.processes:
                if process.is_alive():
                    process.terminate()
            # What the parent still had queued for them will never be read: leaving must
            # not wait to flush it.
            self.channels.tasks.cancel_join_thread()
            self.channels.parse_requests.cancel_join_thread()
        self.close()

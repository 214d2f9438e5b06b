"""``tf.summary.FileWriter``: event files in TFRecord framing, as TensorBoard reads them.

The file is named ``events.out.tfevents.<seconds>.<hostname><suffix>`` and starts with an
Event whose ``file_version`` is "brain.Event:2". Events are queued and written when the queue
holds ``max_queue`` events, every ``flush_secs`` seconds (a daemon thread), on ``flush()`` and
on ``close()``; each write is flushed to the OS, so a process killed later loses nothing
that was written.
"""
import os
import socket
import threading
import time

import numpy as np

from tfcompat.framework import errors, ops
from tfcompat.lib import summary_proto
from tfcompat.lib.io.tf_record import encode_record, read_records


class FileWriter:
    """``tf.summary.FileWriter(logdir, graph=None, max_queue=10, flush_secs=120,
    graph_def=None, filename_suffix=None, session=None)``."""

    def __init__(self, logdir, graph=None, max_queue=10, flush_secs=120, graph_def=None,
                 filename_suffix=None, session=None):
        self._logdir = str(logdir)
        self._max_queue = max(1, int(max_queue))
        self._flush_secs = flush_secs
        self._suffix = filename_suffix or ""
        self._lock = threading.RLock()
        self._closed = True
        self._run_metadata_tags = set()
        self._open()
        if graph is not None or graph_def is not None:
            self.add_graph(graph, graph_def=graph_def)

    def _open(self):
        try:
            os.makedirs(self._logdir, exist_ok=True)
        except OSError as exc:
            raise errors.PermissionDeniedError(
                None, None, f"tf.summary.FileWriter cannot create logdir '{self._logdir}': "
                            f"{exc.strerror or exc}") from None
        name = f"events.out.tfevents.{int(time.time()):010d}.{socket.gethostname()}{self._suffix}"
        self._path = os.path.join(self._logdir, name)
        try:
            self._file = open(self._path, "ab")
        except OSError as exc:
            raise errors.PermissionDeniedError(
                None, None, f"tf.summary.FileWriter cannot write in logdir '{self._logdir}': "
                            f"{exc.strerror or exc}") from None
        self._queue = []
        self._closed = False
        self._write_now(summary_proto.event(time.time(),
                                            file_version=summary_proto.FILE_VERSION))
        self._stop = threading.Event()
        if self._flush_secs and self._flush_secs > 0:
            self._flusher = threading.Thread(target=self._flush_periodically, daemon=True)
            self._flusher.start()

    def _flush_periodically(self):
        while not self._stop.wait(self._flush_secs):
            self.flush()

    def get_logdir(self):
        return self._logdir

    @property
    def event_file_path(self):
        return self._path

    # ---- adding events --------------------------------------------------------------------
    def add_summary(self, summary, global_step=None):
        """Adds a serialized Summary (what ``sess.run(summary_op)`` returns)."""
        if isinstance(summary, np.ndarray):
            summary = summary.item()
        if hasattr(summary, "SerializeToString"):
            summary = summary.SerializeToString()
        if not isinstance(summary, (bytes, bytearray)):
            raise TypeError(f"add_summary expects a serialized Summary (bytes), got "
                            f"{type(summary).__name__}")
        summary_proto.summary_tags(bytes(summary))  # rejects bytes that are not a Summary
        self._add(summary_proto.event(time.time(), step=global_step or 0,
                                      summary_bytes=bytes(summary)))

    def add_graph(self, graph, global_step=None, graph_def=None):
        """Adds the GraphDef of ``graph`` (or a given graph_def) for TensorBoard's Graphs tab."""
        if graph is not None and not isinstance(graph, ops.Graph):
            raise TypeError(f"add_graph expects a tf.Graph, got {type(graph).__name__}")
        if graph_def is None:
            graph_def = graph.as_graph_def(add_shapes=True)
        data = graph_def.SerializeToString() if hasattr(graph_def, "SerializeToString") \
            else bytes(graph_def)
        self._add(summary_proto.event(time.time(), step=global_step or 0, graph_def=data))

    def add_event(self, event):
        """Adds an already serialized Event."""
        if hasattr(event, "SerializeToString"):
            event = event.SerializeToString()
        self._add(bytes(event))

    def add_session_log(self, session_log, global_step=None):
        """Adds a ``tf.SessionLog`` event (TensorBoard drops the later steps an earlier run
        left when it reads a START)."""
        self._add(summary_proto.event(time.time(), step=global_step or 0,
                                      session_log=session_log.SerializeToString()))

    def add_run_metadata(self, run_metadata, tag, global_step=None):
        """Adds a traced run's ``tf.RunMetadata`` under ``tag`` (TensorBoard's graph
        dashboard lists it under "Session runs"); a tag used before is TF's ValueError."""
        if tag in self._run_metadata_tags:
            raise ValueError("The provided tag was already used for this event type")
        self._run_metadata_tags.add(tag)
        tagged = summary_proto.TaggedRunMetadata(
            tag=tag, run_metadata=run_metadata.SerializeToString())
        self._add(summary_proto.event(time.time(), step=global_step or 0,
                                      tagged_run_metadata=tagged.SerializeToString()))

    def _add(self, record):
        with self._lock:
            if self._closed:
                raise RuntimeError(f"tf.summary.FileWriter for logdir '{self._logdir}' is "
                                   "closed; call reopen() before adding events.")
            self._queue.append(record)
            if len(self._queue) >= self._max_queue:
                self._write_queue()

    def _write_now(self, record):
        self._file.write(encode_record(record))
        self._file.flush()

    def _write_queue(self):
        if self._queue:
            self._file.write(b"".join(encode_record(r) for r in self._queue))
            self._file.flush()
            self._queue = []

    # ---- lifecycle --------------------------------------------------------------------------
    def flush(self):
        with self._lock:
            if not self._closed:
                self._write_queue()

    def close(self):
        with self._lock:
            if self._closed:
                return
            self._write_queue()
            self._file.close()
            self._closed = True
        self._stop.set()

    def reopen(self):
        with self._lock:
            if self._closed:
                self._open()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False


class FileWriterCache:
    """One FileWriter per logdir (``tf.summary.FileWriterCache``)."""

    _cache = {}

    @staticmethod
    def get(logdir):
        writer = FileWriterCache._cache.get(logdir)
        if writer is None:
            writer = FileWriterCache._cache[logdir] = FileWriter(logdir)
        return writer

    @staticmethod
    def clear():
        for writer in FileWriterCache._cache.values():
            writer.close()
        FileWriterCache._cache.clear()


def summary_iterator(path):
    """Yields each event of an event file as a dict (``tf.train.summary_iterator``)."""
    for record in read_records(path):
        yield summary_proto.parse_event(record)

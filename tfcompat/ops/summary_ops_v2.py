"""The summary-writer ops behind ``tf.contrib.summary`` (TF 1.x ``summary_ops.cc``): a
session resource holding an event file, and ops that write a summary into it when run.

``SummaryWriter`` outputs the handle of the session's writer called ``shared_name``;
``CreateSummaryFileWriter`` opens its event file (``events.out.tfevents.*<suffix>`` in
logdir; a second run on an open writer does nothing); the Write*Summary ops add one Event at
``step``; Flush/Close end the queue. Writing before the writer was created is TF's
FailedPreconditionError. Encoding is shared with the v1 summary ops.
"""
import threading

import numpy as np

from tfcompat.framework import dtypes, errors, tensor_shape
from tfcompat.framework.graph_def import tensor_proto
from tfcompat.framework.op_def import OpDef, register_op
from tfcompat.lib import summary_proto
from tfcompat.ops import summary_ops


class SummaryWriterResource:
    """A session's summary writer: a tf.summary.FileWriter once created."""

    def __init__(self, name):
        self.name = name
        self.writer = None
        self.lock = threading.Lock()

    def open(self, logdir, max_queue, flush_millis, filename_suffix):
        from tfcompat.summary.writer import FileWriter
        with self.lock:
            if self.writer is None:
                self.writer = FileWriter(logdir, max_queue=max_queue,
                                         flush_secs=flush_millis / 1000.0,
                                         filename_suffix=filename_suffix)

    def opened(self, op):
        if self.writer is None:
            raise errors.FailedPreconditionError(
                None, op, f"Summary writer '{self.name}' is not initialized: run its init op "
                          f"(tf.contrib.summary.summary_writer_initializer_op()) first\n\t "
                          f"[[node {op.name}]]")
        return self.writer


def _text(value):
    value = value.item() if isinstance(value, np.ndarray) else value
    return value.decode() if isinstance(value, bytes) else str(value)


@register_op
class SummaryWriter(OpDef):
    """The handle of the session's summary writer ``shared_name``."""

    differentiable = False
    stateful = True

    def infer(self, op):
        return [(tensor_shape.scalar(), dtypes.resource)]

    def kernel(self, op, ctx):
        name = op.attrs.get("shared_name") or op.name
        return lambda: ctx.resource(name, lambda: SummaryWriterResource(name))


class _WriterOp(OpDef):
    """An op run for its effect on a summary writer (no outputs)."""

    differentiable = False
    stateful = True
    side_effects = True

    def infer(self, op):
        return []


@register_op
class CreateSummaryFileWriter(_WriterOp):
    """Opens the writer's event file: inputs writer, logdir, max_queue, flush_millis,
    filename_suffix."""

    def kernel(self, op, ctx):
        def create(writer, logdir, max_queue, flush_millis, filename_suffix):
            writer.open(_text(logdir), int(max_queue), int(flush_millis),
                        _text(filename_suffix))
        return create


def _writing_kernel(op, summary_of):
    """A kernel writing ``summary_of(*values)`` (Summary bytes) at the step input."""
    def write(writer, step, *values):
        writer.opened(op).add_summary(summary_of(*values), global_step=int(step))
    return write


@register_op
class WriteScalarSummary(_WriterOp):
    """inputs writer, step, tag, value: a simple_value."""

    def kernel(self, op, ctx):
        return _writing_kernel(op, lambda tag, value: summary_proto.summary(
            [summary_proto.summary_value(_text(tag), simple_value=float(value))]))


@register_op
class WriteHistogramSummary(_WriterOp):
    """inputs writer, step, tag, values: a histogram."""

    def kernel(self, op, ctx):
        def histogram(tag, values):
            values = np.asarray(values, dtype=np.float64)
            if not np.all(np.isfinite(values)):
                raise errors.InvalidArgumentError(
                    None, op, f"Nan in summary histogram for: {_text(tag)}")
            return summary_proto.summary([summary_proto.summary_value(
                _text(tag), histo=summary_proto.histogram_proto(values))])
        return _writing_kernel(op, histogram)


@register_op
class WriteImageSummary(_WriterOp):
    """inputs writer, step, tag, tensor, bad_color; attr max_images."""

    def kernel(self, op, ctx):
        max_images = op.attrs["max_images"]
        return _writing_kernel(op, lambda tag, images, bad_color: (
            summary_ops.image_summary_bytes(op, tag, images, max_images,
                                            np.asarray(bad_color, np.uint8))))


@register_op
class WriteAudioSummary(_WriterOp):
    """inputs writer, step, tag, tensor, sample_rate; attr max_outputs."""

    def kernel(self, op, ctx):
        max_outputs = op.attrs["max_outputs"]
        return _writing_kernel(op, lambda tag, audio, rate: (
            summary_ops.audio_summary_bytes(op, tag, audio, rate, max_outputs)))


@register_op
class WriteSummary(_WriterOp):
    """inputs writer, step, tensor, tag, summary_metadata: a tensor summary."""

    def kernel(self, op, ctx):
        return _writing_kernel(op, lambda tensor, tag, metadata: summary_proto.summary(
            [summary_proto.summary_value(_text(tag), tensor=tensor_proto(np.asarray(tensor)),
                                         metadata=summary_ops._as_bytes(metadata))]))


@register_op
class WriteGraphSummary(_WriterOp):
    """inputs writer, step, tensor (a serialized GraphDef): a graph event."""

    def kernel(self, op, ctx):
        def write_graph(writer, step, graph_def):
            writer.opened(op).add_graph(None, global_step=int(step),
                                        graph_def=summary_ops._as_bytes(graph_def))
        return write_graph


@register_op
class FlushSummaryWriter(_WriterOp):
    """Writes the writer's queued events."""

    def kernel(self, op, ctx):
        def flush(writer):
            if writer.writer is not None:
                writer.writer.flush()
        return flush


@register_op
class CloseSummaryWriter(_WriterOp):
    """Flushes and closes the writer's event file (a later create opens a new one)."""

    def kernel(self, op, ctx):
        def close(writer):
            with writer.lock:
                if writer.writer is not None:
                    writer.writer.close()
                    writer.writer = None
        return close

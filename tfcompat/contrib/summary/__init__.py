"""``tf.contrib.summary`` (TF 1.15 ``summary_ops_v2`` in graph mode): summaries written by
ops into a summary writer's event file, without FileWriter or merge.

``create_file_writer(logdir)`` makes a writer resource and its init op (collected in
"_SUMMARY_WRITER_V2"; run by ``summary_writer_initializer_op()`` or ``initialize()``).
Inside ``writer.as_default()`` and a recording context (``always_record_summaries()``,
``record_summaries_every_n_global_steps(n)``; nothing is recorded outside one),
``scalar/histogram/image/audio/generic`` add an op (collected in "_SUMMARY_V2") that writes
the summary at the global step (or ``step``) each time it runs and the recording condition
holds; outside those contexts they are no-ops, as in TF.
"""
import contextlib
import threading

import numpy as np

from tfcompat.framework import dtypes, ops
from tfcompat.framework.op_def import make_op, make_tensor
from tfcompat.ops import array_ops, control_flow_ops, math_ops
from tfcompat.ops import summary_ops_v2  # noqa: F401 (registers the ops)
from tfcompat.summary import _summary_scope
from tfcompat.train import training_util

_SUMMARY_COLLECTION = "_SUMMARY_V2"
_WRITER_INIT_COLLECTION = "_SUMMARY_WRITER_V2"


class _State(threading.local):
    writer = None
    is_recording = None


_state = _State()


class SummaryWriter:
    """A summary writer resource: ``as_default()``, ``set_as_default()``, ``init()``,
    ``flush()``, ``close()`` (graph mode: each returns an op to run)."""

    def __init__(self, resource, init_op):
        self._resource = resource
        self._init_op = init_op

    def set_as_default(self):
        """Makes this the writer summaries go to, in this thread."""
        _state.writer = self

    @contextlib.contextmanager
    def as_default(self):
        """This writer is the default inside the block."""
        old = _state.writer
        try:
            _state.writer = self
            yield self
        finally:
            _state.writer = old

    def init(self):
        return self._init_op

    def flush(self):
        return make_op("FlushSummaryWriter", [self._resource], name="FlushSummaryWriter")

    def close(self):
        with ops.control_dependencies([self.flush()]):
            return make_op("CloseSummaryWriter", [self._resource], name="CloseSummaryWriter")


def create_file_writer(logdir, max_queue=None, flush_millis=None, filename_suffix=None,
                       name=None):
    """A writer of event files in ``logdir`` (queue 10 events, flush every 2 minutes, file
    names ending ".v2" by default)."""
    if logdir is None:
        raise ValueError("tfcompat's create_file_writer needs a logdir")
    logdir = str(logdir)
    with ops.device("cpu:0"):
        resource = make_tensor("SummaryWriter", [], {
            "shared_name": name or "logdir:" + logdir, "container": ""},
            name="SummaryWriter")
        inputs = [ops.convert_to_tensor(logdir, dtypes.string),
                  ops.convert_to_tensor(10 if max_queue is None else max_queue, dtypes.int32),
                  ops.convert_to_tensor(120000 if flush_millis is None else flush_millis,
                                        dtypes.int32),
                  ops.convert_to_tensor(".v2" if filename_suffix is None else filename_suffix,
                                        dtypes.string)]
        init_op = make_op("CreateSummaryFileWriter", [resource] + inputs,
                          name="CreateSummaryFileWriter")
    ops.add_to_collection(_WRITER_INIT_COLLECTION, init_op)
    return SummaryWriter(resource, init_op)


create_summary_file_writer = create_file_writer


@contextlib.contextmanager
def _recording(condition):
    old = _state.is_recording
    try:
        _state.is_recording = condition
        yield
    finally:
        _state.is_recording = old


def always_record_summaries():
    """Summaries made inside the block are written every time they run."""
    return _recording(True)


def never_record_summaries():
    """Summaries made inside the block are never written."""
    return _recording(False)


def record_summaries_every_n_global_steps(n, global_step=None):
    """Summaries made inside the block are written when global_step % n == 0."""
    if global_step is None:
        global_step = training_util.get_or_create_global_step()
    with ops.device("cpu:0"):
        condition = math_ops.equal(math_ops.floormod(global_step, n), 0)
    return _recording(condition)


def should_record_summaries():
    """The current recording condition (False outside a recording context)."""
    return False if _state.is_recording is None else _state.is_recording


def _step(step):
    if step is None:
        step = training_util.get_or_create_global_step()
    return math_ops.cast(ops.convert_to_tensor(step), dtypes.int64)


def _summary_writer_function(name, tensor, write, family=None):
    """TF's summary_writer_function: ``write(tag, scope)`` under the recording condition, in
    the caller's name scope; a no-op without a default writer."""
    if _state.writer is None:
        return control_flow_ops.no_op()
    outer_scope = ops.get_name_scope()

    def record():
        with ops.name_scope(outer_scope + "/" if outer_scope else None):
            with _summary_scope(name, family, [tensor]) as (tag, scope):
                with ops.control_dependencies([write(tag, scope)]):
                    return array_ops.constant(True)

    condition = should_record_summaries()
    with ops.device("cpu:0"):
        if isinstance(condition, (bool, np.bool_)):
            op = record() if condition else array_ops.constant(False)
        else:
            op = control_flow_ops.cond(condition, record, lambda: array_ops.constant(False))
    ops.add_to_collection(_SUMMARY_COLLECTION, op)
    return op


def _writer_op(op_type, tag, step, values, attrs=None, scope=None):
    return make_op(op_type, [_state.writer._resource, _step(step),
                             ops.convert_to_tensor(tag, dtypes.string)] + values,
                   attrs or {}, name=scope.rstrip("/"))


def scalar(name, tensor, family=None, step=None):
    """Writes a scalar summary (simple_value) of ``tensor``."""
    def write(tag, scope):
        return _writer_op("WriteScalarSummary", tag, step,
                          [array_ops.identity(tensor)], scope=scope)
    return _summary_writer_function(name, tensor, write, family)


def histogram(name, tensor, family=None, step=None):
    """Writes a histogram summary of ``tensor``."""
    def write(tag, scope):
        return _writer_op("WriteHistogramSummary", tag, step,
                          [array_ops.identity(tensor)], scope=scope)
    return _summary_writer_function(name, tensor, write, family)


def image(name, tensor, bad_color=None, max_images=3, family=None, step=None):
    """Writes up to ``max_images`` PNG images of a [batch, h, w, 1|3|4] tensor."""
    bad_color = [255, 0, 0, 255] if bad_color is None else bad_color

    def write(tag, scope):
        return _writer_op("WriteImageSummary", tag, step, [
            array_ops.identity(tensor), ops.convert_to_tensor(bad_color, dtypes.uint8)],
            {"max_images": int(max_images)}, scope=scope)
    return _summary_writer_function(name, tensor, write, family)


def audio(name, tensor, sample_rate, max_outputs, family=None, step=None):
    """Writes up to ``max_outputs`` WAV clips of a float [batch, frames(, channels)]."""
    def write(tag, scope):
        return _writer_op("WriteAudioSummary", tag, step, [
            array_ops.identity(tensor), ops.convert_to_tensor(sample_rate, dtypes.float32)],
            {"max_outputs": int(max_outputs)}, scope=scope)
    return _summary_writer_function(name, tensor, write, family)


def generic(name, tensor, metadata=None, family=None, step=None):
    """Writes ``tensor`` as a tensor summary with a serialized SummaryMetadata."""
    def write(tag, scope):
        serialized = metadata if isinstance(metadata, (bytes, type(None))) else (
            metadata.SerializeToString())
        return make_op("WriteSummary", [
            _state.writer._resource, _step(step), array_ops.identity(tensor),
            ops.convert_to_tensor(tag, dtypes.string),
            ops.convert_to_tensor(serialized or b"", dtypes.string)], name=scope.rstrip("/"))
    return _summary_writer_function(name, tensor, write, family)


def all_summary_ops():
    """The graph's summary-writing ops (collection "_SUMMARY_V2")."""
    return ops.get_collection(_SUMMARY_COLLECTION)


def summary_writer_initializer_op():
    """The init ops of the graph's summary writers (collection "_SUMMARY_WRITER_V2")."""
    return ops.get_collection(_WRITER_INIT_COLLECTION)


def flush(writer=None, name=None):
    """An op flushing ``writer`` (the default writer when None; a no-op without one)."""
    writer = writer if writer is not None else _state.writer
    if writer is None:
        return control_flow_ops.no_op()
    return make_op("FlushSummaryWriter", [writer._resource], name=name or "FlushSummaryWriter")


def initialize(graph=None, session=None):
    """Runs the summary writers' init ops in ``session`` (the default session when None)
    and, when ``graph`` is given, writes its GraphDef at step 0 to the default writer."""
    if _state.writer is None:
        raise RuntimeError("No default tf.contrib.summary.SummaryWriter found")
    if session is None:
        session = ops.get_default_session()
        if session is None:
            raise ValueError("session must be passed if no default session exists")
    session.run(summary_writer_initializer_op())
    if graph is not None:
        data = graph.as_graph_def(add_shapes=True).SerializeToString()
        with session.graph.as_default():
            serialized = array_ops.placeholder(dtypes.string)
            write = make_op("WriteGraphSummary", [
                _state.writer._resource, ops.convert_to_tensor(0, dtypes.int64), serialized],
                name="WriteGraphSummary")
        session.run(write, feed_dict={serialized: data})


def __getattr__(name):
    raise AttributeError(f"module 'tensorflow.contrib.summary' has no attribute '{name}': "
                         f"tfcompat does not implement tf.contrib.summary.{name} yet")

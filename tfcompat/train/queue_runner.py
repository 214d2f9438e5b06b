"""``tf.train.QueueRunner``, ``add_queue_runner`` and ``start_queue_runners`` (TF 1.x
``training/queue_runner_impl.py``): threads that keep running a queue's enqueue ops."""
import threading

from tfcompat.framework import errors, meta_graph, ops
from tfcompat.lib import proto_wire as pw


class QueueRunnerDef:
    """TF's queue_runner.proto: queue_name = 1, enqueue_op_name = 2 (repeated),
    close_op_name = 3, cancel_op_name = 4, queue_closed_exception_types = 5 (packed enum)."""

    def __init__(self, queue_name="", enqueue_op_name=(), close_op_name="", cancel_op_name="",
                 queue_closed_exception_types=()):
        self.queue_name, self.enqueue_op_name = queue_name, list(enqueue_op_name)
        self.close_op_name, self.cancel_op_name = close_op_name, cancel_op_name
        self.queue_closed_exception_types = list(queue_closed_exception_types)

    def SerializeToString(self):  # noqa: N802 (protobuf's name)
        out = pw.field_bytes(1, self.queue_name) if self.queue_name else b""
        out += b"".join(pw.field_bytes(2, name) for name in self.enqueue_op_name)
        out += pw.field_bytes(3, self.close_op_name) if self.close_op_name else b""
        out += pw.field_bytes(4, self.cancel_op_name) if self.cancel_op_name else b""
        return out + pw.field_packed_varints(5, self.queue_closed_exception_types)

    @classmethod
    def FromString(cls, data):  # noqa: N802
        proto = cls()
        for number, wire_type, value in pw.iter_fields(data):
            if number == 1:
                proto.queue_name = value.decode()
            elif number == 2:
                proto.enqueue_op_name.append(value.decode())
            elif number == 3:
                proto.close_op_name = value.decode()
            elif number == 4:
                proto.cancel_op_name = value.decode()
            elif number == 5:
                proto.queue_closed_exception_types.extend(
                    pw.decode_packed_varints(value) if wire_type == pw.LENGTH_DELIMITED
                    else [value])
        return proto


class QueueRunner:
    """Runs each of ``enqueue_ops`` in its own thread until the coordinator stops or the
    inputs run out (OutOfRangeError: the queue is closed once the last thread ends); any
    other error is reported to the coordinator. A stop request cancels the queue
    (``cancel_op``: close with cancel_pending_enqueues) so blocked enqueues return."""

    def __init__(self, queue=None, enqueue_ops=None, close_op=None, cancel_op=None,
                 queue_closed_exception_types=None, queue_runner_def=None,
                 import_scope=None):
        if queue is None or not enqueue_ops:
            raise ValueError("Either queue_runner_def or queue and enqueue_ops must be "
                             "specified.")
        self._queue = queue
        self._enqueue_ops = list(enqueue_ops)
        self._close_op = close_op if close_op is not None else queue.close()
        self._cancel_op = cancel_op if cancel_op is not None else queue.close(
            cancel_pending_enqueues=True)
        self._queue_closed_exception_types = tuple(
            queue_closed_exception_types or (errors.OutOfRangeError,))
        self._lock = threading.Lock()
        self._runs_per_session = {}
        self._exceptions_raised = []

    def to_proto(self, export_scope=None):
        """The QueueRunnerDef of this runner (None outside ``export_scope``)."""
        if export_scope and not self._queue.name.startswith(export_scope):
            return None

        def name(op):
            return meta_graph.strip_name_scope(op.name, export_scope)
        return QueueRunnerDef(name(self._queue), [name(op) for op in self._enqueue_ops],
                              name(self._close_op), name(self._cancel_op),
                              [t.error_code for t in self._queue_closed_exception_types])

    @staticmethod
    def from_proto(queue_runner_def, import_scope=None):
        """A runner over the ops a QueueRunnerDef names in the default graph."""
        graph = ops.get_default_graph()

        def element(name):
            return graph.as_graph_element(meta_graph.prepend_name_scope(name, import_scope))
        codes = {cls.error_code: cls for cls in (errors.OutOfRangeError, errors.CancelledError)}
        return QueueRunner(
            _QueueOfOp(element(queue_runner_def.queue_name)),
            [element(name) for name in queue_runner_def.enqueue_op_name],
            element(queue_runner_def.close_op_name), element(queue_runner_def.cancel_op_name),
            [codes[c] for c in queue_runner_def.queue_closed_exception_types if c in codes]
            or None)

    queue = property(lambda self: self._queue)
    enqueue_ops = property(lambda self: self._enqueue_ops)
    close_op = property(lambda self: self._close_op)
    cancel_op = property(lambda self: self._cancel_op)
    queue_closed_exception_types = property(lambda self: self._queue_closed_exception_types)

    @property
    def exceptions_raised(self):
        return list(self._exceptions_raised)

    @property
    def name(self):
        return self._queue.name

    def _run(self, sess, enqueue_op, coord):
        decremented = False
        try:
            # A callable made once, as TF's runner does (a MonitoredSession has none); a
            # Session's may do many runs of an element pipeline per call.
            if hasattr(sess, "_element_runner"):
                enqueue = sess._element_runner(enqueue_op)
            elif hasattr(sess, "make_callable"):
                enqueue = sess.make_callable(enqueue_op)
            else:
                enqueue = lambda: sess.run(enqueue_op)  # noqa: E731
            while not (coord is not None and coord.should_stop()):
                try:
                    enqueue()
                except self._queue_closed_exception_types:
                    with self._lock:  # the inputs ran out: the last thread closes the queue
                        self._runs_per_session[sess] -= 1
                        decremented = True
                        if self._runs_per_session[sess] == 0:
                            try:
                                sess.run(self._close_op)
                            except Exception:  # noqa: BLE001 - TF ignores a failed close
                                pass
                    return
        except Exception as exc:  # noqa: BLE001 - reported to the coordinator
            if coord is not None:
                coord.request_stop(exc)
            else:
                with self._lock:
                    self._exceptions_raised.append(exc)
                raise
        finally:
            if not decremented:
                with self._lock:
                    self._runs_per_session[sess] -= 1

    def _close_on_stop(self, sess, coord):
        coord.wait_for_stop()
        try:
            sess.run(self._cancel_op)
        except Exception:  # noqa: BLE001 - the session may be closed already
            pass

    def create_threads(self, sess, coord=None, daemon=False, start=False):
        """The runner's threads for ``sess`` (plus one that cancels the queue on a stop
        request when there is a coordinator); registered with ``coord``."""
        with self._lock:
            if self._runs_per_session.get(sess, 0) > 0:
                return []  # already running in this session
            self._runs_per_session[sess] = len(self._enqueue_ops)
            self._exceptions_raised = []
        threads = [threading.Thread(target=self._run, args=(sess, op, coord), daemon=daemon,
                                    name=f"QueueRunnerThread-{self.name}-{op.name}")
                   for op in self._enqueue_ops]
        if coord is not None:
            threads.append(threading.Thread(target=self._close_on_stop, args=(sess, coord),
                                            daemon=True,
                                            name=f"QueueRunnerThread-{self.name}-close"))
        for thread in threads:
            if coord is not None:
                coord.register_thread(thread)
            if start:
                thread.start()
        return threads


class _QueueOfOp:
    """The queue of an imported runner: the queue op (its name is what a runner needs)."""

    def __init__(self, op):
        self.op = op.op if hasattr(op, "op") and not hasattr(op, "type") else op
        self.name = self.op.name


meta_graph.register_proto_function(ops.GraphKeys.QUEUE_RUNNERS, proto_type=QueueRunnerDef,
                                   to_proto=lambda qr, export_scope=None: qr.to_proto(
                                       export_scope),
                                   from_proto=QueueRunner.from_proto)


def add_queue_runner(qr, collection=ops.GraphKeys.QUEUE_RUNNERS):
    """Adds ``qr`` to the graph's queue runners (``tf.train.add_queue_runner``)."""
    ops.add_to_collection(collection, qr)


def start_queue_runners(sess=None, coord=None, daemon=True, start=True,
                        collection=ops.GraphKeys.QUEUE_RUNNERS):
    """Starts the threads of every queue runner of the session's graph; returns them."""
    if sess is None:
        from tfcompat.client.session import get_default_session
        sess = get_default_session()
        if sess is None:
            raise ValueError("Cannot start queue runners: No default session is registered. "
                             "Use `with sess.as_default()` or pass an explicit session to "
                             "tf.start_queue_runners(sess=sess)")
    with sess.graph.as_default():
        threads = []
        for qr in ops.get_collection(collection):
            threads.extend(qr.create_threads(sess, coord=coord, daemon=daemon, start=start))
    return threads

"""``tf.test.TestCase`` and the graph helpers of TF 1.15 ``framework/test_util.py``.

TestCase starts every test with a fresh default graph and TF's seeds (graph seed and NumPy
seed 87654321); ``session()`` / ``cached_session()`` / ``test_session()`` give a Session that
is the default session with its graph as the default graph and, unless ``use_gpu``, ops
placed on /device:CPU:0; the asserts evaluate Tensors they are given, as TF's do.
"""
import contextlib
import functools
import math
import random
import re
import socket
import tempfile
import unittest

import numpy as np

from tfcompat.client import session as session_lib
from tfcompat.framework import device as device_lib
from tfcompat.framework import errors, ops, random_seed
from tfcompat.framework.graph_def import GraphDef
from tfcompat.test import googletest


def is_gpu_available(cuda_only=False, min_cuda_compute_capability=None):
    """False: tfcompat runs on the CPU."""
    return False


def gpu_device_name():
    """"": tfcompat has no GPU device."""
    return ""


def is_built_with_cuda():
    return False


def is_built_with_rocm():
    return False


def is_built_with_gpu_support():
    return False


def is_built_with_xla():
    return False


def disable_with_predicate(pred, skip_message):
    """Decorates a test method to be skipped (with ``skip_message``) when ``pred()`` is
    true when it runs."""
    def decorator(func):
        @functools.wraps(func)
        def wrapper(self, *args, **kwargs):
            if pred():
                self.skipTest(skip_message)
            return func(self, *args, **kwargs)
        return wrapper
    return decorator


def _free_ports(count):
    sockets = [socket.socket() for _ in range(count)]
    try:
        for sock in sockets:
            sock.bind(("localhost", 0))
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


def create_local_cluster(num_workers, num_ps, protocol="grpc", worker_config=None,
                         ps_config=None):
    """Starts ``num_workers`` "worker" and ``num_ps`` "ps" tf.train.Servers in this process
    on free localhost ports; returns ``(workers, ps_servers)``."""
    from tfcompat.train.server_lib import ClusterSpec, Server
    ports = _free_ports(num_workers + num_ps)
    cluster = {"worker": [f"localhost:{port}" for port in ports[:num_workers]]}
    if num_ps:
        cluster["ps"] = [f"localhost:{port}" for port in ports[num_workers:]]
    cluster = ClusterSpec(cluster)
    workers = [Server(cluster, job_name="worker", protocol=protocol, task_index=index,
                      config=worker_config, start=True) for index in range(num_workers)]
    ps_servers = [Server(cluster, job_name="ps", protocol=protocol, task_index=index,
                         config=ps_config, start=True) for index in range(num_ps)]
    return workers, ps_servers


# ---- assert_equal_graph_def -----------------------------------------------------------------
_CHECKPOINT_TEMP = re.compile(rb"_temp_[0-9a-f]{32}/part")
_HASH_TABLE_NAME = re.compile(rb"hash_table_[0-9a-z\-]+")


def _same_value(a, b):
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        a, b = np.asarray(a), np.asarray(b)
        return a.dtype == b.dtype and a.shape == b.shape and bool(np.all(
            (a == b) | ((a != a) & (b != b))))
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(_same_value(x, y) for x, y in zip(a, b, strict=True))
    return type(a) is type(b) and a == b


def _comparable_attrs(node, checkpoint_v2, hash_table_shared_name):
    """The node's attrs without the values TF's comparison ignores on request: a v2
    checkpoint's random temporary file name, a hash table's generated shared_name."""
    attrs = dict(node.attr)
    value = attrs.get("value")
    if checkpoint_v2 and node.op == "Const" and isinstance(value, np.ndarray) and (
            value.dtype == object and any(_CHECKPOINT_TEMP.search(bytes(v))
                                          for v in value.reshape(-1))):
        del attrs["value"]
    shared = attrs.get("shared_name")
    if hash_table_shared_name and node.op.startswith("HashTable") and isinstance(
            shared, bytes) and _HASH_TABLE_NAME.match(shared):
        del attrs["shared_name"]
    return attrs


def _node_difference(name, actual, expected, checkpoint_v2, hash_table_shared_name):
    if actual.op != expected.op:
        return f"Node named '{name}' has op {actual.op} that does not match {expected.op}"
    if list(actual.input) != list(expected.input):
        return (f"Node named '{name}' has inputs {list(actual.input)} that do not match "
                f"{list(expected.input)}")
    if actual.device != expected.device:
        return (f"Node named '{name}' has device {actual.device!r} that does not match "
                f"{expected.device!r}")
    actual_attrs = _comparable_attrs(actual, checkpoint_v2, hash_table_shared_name)
    expected_attrs = _comparable_attrs(expected, checkpoint_v2, hash_table_shared_name)
    for key in sorted(set(actual_attrs) | set(expected_attrs)):
        if key not in expected_attrs:
            return f"Node named '{name}' has unexpected attr '{key}'"
        if key not in actual_attrs:
            return f"Node named '{name}' missing expected attr '{key}'"
        if not _same_value(actual_attrs[key], expected_attrs[key]):
            return (f"Node named '{name}' has attr '{key}' with value "
                    f"{actual_attrs[key]!r} that does not match {expected_attrs[key]!r}")
    return None


def assert_equal_graph_def(actual, expected, checkpoint_v2=False,
                           hash_table_shared_name=False):
    """Raises AssertionError naming the first difference between two GraphDefs (nodes
    compared by name, whatever their order: op, inputs, device, attrs)."""
    for what, graph_def in (("actual", actual), ("expected", expected)):
        if not isinstance(graph_def, GraphDef):
            raise TypeError(f"Expected tf.GraphDef for {what}, got "
                            f"{type(graph_def).__name__}")
    actual_nodes = {node.name: node for node in actual.node}
    expected_nodes = {node.name: node for node in expected.node}
    for name in actual_nodes:
        if name not in expected_nodes:
            raise AssertionError(f"Found unexpected node '{name}' not in expected graph")
    for name, node in expected_nodes.items():
        if name not in actual_nodes:
            raise AssertionError(f"Did not find expected node '{name}'")
        difference = _node_difference(name, actual_nodes[name], node, checkpoint_v2,
                                      hash_table_shared_name)
        if difference:
            raise AssertionError(difference)


# ---- TestCase -------------------------------------------------------------------------------
def _format_subscripts(subscripts, value, limit=10, indent=2):
    lines = []
    for count, index in enumerate(zip(*subscripts, strict=True)):
        if count == limit:
            lines.append(" " * indent + "...")
            break
        lines.append(" " * indent + f"{index} : {value[index]}")
    return lines


class TestCase(unittest.TestCase):
    """``tf.test.TestCase``: unittest.TestCase with TF 1.x's sessions and array asserts."""

    def __init__(self, methodName="runTest"):  # noqa: N803 (unittest's name)
        super().__init__(methodName)
        self._tempdir = None
        self._cached_session = None
        self._cached_graph = None

    def setUp(self):
        self._clear_cached_session()
        random.seed(random_seed.DEFAULT_GRAPH_SEED)
        np.random.seed(random_seed.DEFAULT_GRAPH_SEED)
        ops.reset_default_graph()
        random_seed.set_random_seed(random_seed.DEFAULT_GRAPH_SEED)

    def tearDown(self):
        self._clear_cached_session()

    def _clear_cached_session(self):
        if self._cached_session is not None:
            self._cached_session.close()
            self._cached_session = None

    def get_temp_dir(self):
        """A temporary directory of this test (inside tf.test.get_temp_dir())."""
        if not self._tempdir:
            self._tempdir = tempfile.mkdtemp(dir=googletest.get_temp_dir())
        return self._tempdir

    # ---- sessions ---------------------------------------------------------------------------
    @contextlib.contextmanager
    def _as_default(self, sess, use_gpu, force_gpu):
        if force_gpu:
            raise errors.InvalidArgumentError(None, None, "force_gpu: tfcompat has no GPU "
                                                          "device")
        with sess.graph.as_default(), sess.as_default():
            if use_gpu:
                yield sess
            else:
                with sess.graph.device("/device:CPU:0"):
                    yield sess

    @contextlib.contextmanager
    def session(self, graph=None, config=None, use_gpu=False, force_gpu=False):
        """A new Session on ``graph`` (the default graph when None), closed on exit."""
        with session_lib.Session(graph=graph, config=config) as sess:
            with self._as_default(sess, use_gpu, force_gpu):
                yield sess

    @contextlib.contextmanager
    def cached_session(self, graph=None, config=None, use_gpu=False, force_gpu=False):
        """The test's one Session, made on first use and closed when the test ends."""
        if self._cached_session is None:
            self._cached_session = session_lib.Session(graph=graph, config=config)
            self._cached_graph = graph
        elif graph is not self._cached_graph:
            raise ValueError("The graph used to get the cached session is different than "
                             "the one that was used to create the session. Maybe create a "
                             "new session with self.session()")
        with self._as_default(self._cached_session, use_gpu, force_gpu) as sess:
            yield sess

    def test_session(self, graph=None, config=None, use_gpu=False, force_gpu=False):
        """TF 1.x's deprecated form: the cached session, or a new one for a given graph
        (a context manager; run as a test itself, as unittest does by its name, it skips)."""
        if self.id().endswith(".test_session"):
            self.skipTest("Not a test.")
        manager = self.cached_session if graph is None else self.session
        return manager(graph, config, use_gpu, force_gpu)

    test_session.__test__ = False   # a helper, not a test, for pytest's collection

    def evaluate(self, tensors):
        """``tensors``' values from the default session (the cached one when none is)."""
        sess = ops.get_default_session()
        if sess is not None:
            return sess.run(tensors)
        with self.test_session() as sess:
            return sess.run(tensors)

    # ---- asserts ----------------------------------------------------------------------------
    def _as_array(self, value):
        if isinstance(value, ops.Tensor):
            value = self.evaluate(value)
        return value if isinstance(value, np.ndarray) else np.array(value)

    def assertNear(self, f1, f2, err, msg=None):  # noqa: N802 (unittest style names)
        """|f1 - f2| <= err."""
        self.assertTrue(f1 == f2 or math.fabs(f1 - f2) <= err,
                        f"{f1:f} != {f2:f} +/- {err:f}" + (f" ({msg})" if msg else ""))

    def assertArrayNear(self, farray1, farray2, err, msg=None):  # noqa: N802
        """Two lists of floats, element by element within ``err``."""
        self.assertEqual(len(farray1), len(farray2), msg=msg)
        for f1, f2 in zip(farray1, farray2, strict=True):
            self.assertNear(float(f1), float(f2), err, msg=msg)

    def assertAllClose(self, a, b, rtol=1e-6, atol=1e-6, msg=None):  # noqa: N802
        """Arrays, Tensors, numbers or nested dicts/lists/tuples of them, equal in structure
        and shapes and close within ``atol + rtol * |b|`` (NaNs match NaNs)."""
        self._assert_all_close(a, b, rtol, atol, [], msg)

    def _assert_all_close(self, a, b, rtol, atol, path, msg):
        where = f" at path {''.join(f'[{p!r}]' for p in path)}" if path else ""
        if isinstance(a, dict) or isinstance(b, dict):
            if not (isinstance(a, dict) and isinstance(b, dict)):
                self.fail(f"Can't compare dict to non-dict, a{where} is {a!r}, "
                          f"b{where} is {b!r}. {msg or ''}")
            self.assertEqual(set(a), set(b), f"mismatched keys: a{where} has keys "
                                             f"{sorted(map(str, a))}, but b has keys "
                                             f"{sorted(map(str, b))}. {msg or ''}")
            for key in a:
                self._assert_all_close(a[key], b[key], rtol, atol, path + [key], msg)
            return
        if _is_structure(a) and _is_structure(b):
            self.assertEqual(len(a), len(b), f"Length of a{where} is {len(a)} but length of "
                                             f"b{where} is {len(b)}. {msg or ''}")
            for index, (x, y) in enumerate(zip(a, b, strict=True)):
                self._assert_all_close(x, y, rtol, atol, path + [index], msg)
            return
        a, b = self._as_array(a), self._as_array(b)
        self.assertEqual(a.shape, b.shape, f"Shape mismatch{where}: expected {a.shape}, got "
                                           f"{b.shape}. {msg or ''}")
        if not np.allclose(a, b, rtol=rtol, atol=atol, equal_nan=True):
            np.testing.assert_allclose(a, b, rtol=rtol, atol=atol, equal_nan=True,
                                       err_msg=f"Mismatch{where}. {msg or ''}")

    def assertNotAllClose(self, a, b, **kwargs):  # noqa: N802
        try:
            self.assertAllClose(a, b, **kwargs)
        except AssertionError:
            return
        raise AssertionError("The two values are close at all elements")

    def assertAllEqual(self, a, b, msg=None):  # noqa: N802
        """Same shape and equal elements (NaN equals NaN in float arrays)."""
        a, b = self._as_array(a), self._as_array(b)
        self.assertEqual(a.shape, b.shape, f"Shape mismatch: expected {a.shape}, got "
                                           f"{b.shape}. {msg or ''}")
        same = a == b
        if a.dtype.kind in "fc" and b.dtype.kind in "fc":
            same = np.logical_or(same, np.logical_and(np.isnan(a), np.isnan(b)))
        if not np.all(same):
            np.testing.assert_array_equal(a, b, err_msg=msg or "")

    def assertAllGreater(self, a, comparison_target):  # noqa: N802
        self.assertGreater(np.min(self._as_array(a)), comparison_target)

    def assertAllLess(self, a, comparison_target):  # noqa: N802
        self.assertLess(np.max(self._as_array(a)), comparison_target)

    def assertAllGreaterEqual(self, a, comparison_target):  # noqa: N802
        self.assertGreaterEqual(np.min(self._as_array(a)), comparison_target)

    def assertAllLessEqual(self, a, comparison_target):  # noqa: N802
        self.assertLessEqual(np.max(self._as_array(a)), comparison_target)

    def assertAllInRange(self, target, lower_bound, upper_bound,  # noqa: N802
                         open_lower_bound=False, open_upper_bound=False):
        """Every element in [lower, upper] (or the open bounds asked for); NaN fails."""
        target = self._as_array(target)
        if target.dtype.kind not in "iuf":
            raise AssertionError(f"The value of {target} does not have an ordered numeric "
                                 f"type, instead it has type: {target.dtype}")
        nans = np.where(np.isnan(target))
        if np.size(nans):
            raise AssertionError("\n".join(
                [f"{len(nans[0])} of the {target.size} element(s) are NaN. Subscripts(s) "
                 f"and value(s) of the NaN element(s):"] + _format_subscripts(nans, target)))
        range_text = (("(" if open_lower_bound else "[") + f"{lower_bound}, {upper_bound}" +
                      (")" if open_upper_bound else "]"))
        below = target <= lower_bound if open_lower_bound else target < lower_bound
        above = target >= upper_bound if open_upper_bound else target > upper_bound
        outside = np.where(below | above)
        if np.size(outside):
            raise AssertionError("\n".join(
                [f"{len(outside[0])} of the {target.size} element(s) are outside the range "
                 f"{range_text}. Subscript(s) and value(s) of the offending elements:"] +
                _format_subscripts(outside, target)))

    def assertShapeEqual(self, np_array, tf_tensor, msg=None):  # noqa: N802
        """The NumPy array's shape equals the Tensor's static shape."""
        if not isinstance(np_array, (np.ndarray, np.generic)):
            raise TypeError("np_array must be a Numpy ndarray or Numpy scalar")
        if not isinstance(tf_tensor, ops.Tensor):
            raise TypeError("tf_tensor must be a Tensor")
        self.assertAllEqual(np_array.shape, tf_tensor.get_shape().as_list(), msg=msg)

    def assertDeviceEqual(self, device1, device2, msg=None):  # noqa: N802
        """The two device strings name the same device (compared in canonical form)."""
        device1 = device_lib.canonical_name(device1)
        device2 = device_lib.canonical_name(device2)
        self.assertEqual(device1, device2,
                         f"Devices {device1} and {device2} are not equal. {msg or ''}")

    @contextlib.contextmanager
    def assertRaisesWithPredicateMatch(self, exception_type,  # noqa: N802
                                       expected_err_re_or_predicate):
        """The block raises ``exception_type`` whose message matches the regex (or for which
        the predicate is true)."""
        if callable(expected_err_re_or_predicate):
            predicate = expected_err_re_or_predicate
        else:
            def predicate(e):
                return re.search(expected_err_re_or_predicate, str(e))
        try:
            yield
        except Exception as e:  # noqa: BLE001 (any exception is judged below)
            if not isinstance(e, exception_type) or not predicate(e):
                raise AssertionError(f"Exception of type {type(e)}: {e}") from e
        else:
            self.fail(exception_type.__name__ + " not raised")

    def assertRaisesOpError(self, expected_err_re_or_predicate):  # noqa: N802
        return self.assertRaisesWithPredicateMatch(errors.OpError,
                                                   expected_err_re_or_predicate)


def _is_structure(value):
    return isinstance(value, (list, tuple)) and not isinstance(value, np.ndarray)

"""``tf.Session`` / ``tf.InteractiveSession`` (TF 1.x ``client/session.py``).

``run`` accepts any nesting of lists, tuples, namedtuples and dicts of fetches (tensors, ops,
variables or their names) and returns values in the same structure; ops fetch as None.
Compiled plans are cached per (fetches, fed tensors) signature.
"""
import collections
import contextlib

import numpy as np

from tfcompat.framework import errors, ops, step_stats
from tfcompat.framework.config import PROCESS_THREADS, as_config
from tfcompat.framework.ops import _session_stack, get_default_session
from tfcompat.ops import session_ops
from tfcompat.runtime import threads
from tfcompat.runtime.executor import CompiledPlan, RuntimeState
from tfcompat.runtime.placer import Placer, local_devices

# ---- fetch structures -----------------------------------------------------------------------
class _FetchMapper:
    """Flattens a nested fetch structure into unique graph elements and rebuilds results."""

    def __init__(self, graph, fetches):
        self.elements = []
        self._index = {}
        self._structure = self._flatten(graph, fetches)

    def _element_index(self, element):
        index = self._index.get(element)
        if index is None:
            index = self._index[element] = len(self.elements)
            self.elements.append(element)
        return index

    def _flatten(self, graph, fetch):
        kind = type(fetch)
        if (kind is ops.Tensor or kind is ops.Operation) and fetch.graph is graph \
                and not graph._unfetchable_ops:  # the common leaf; anything else: below
            return ("leaf", self._element_index(fetch))
        if kind is list or kind is tuple:
            return ("seq", kind, [self._flatten(graph, v) for v in fetch])
        if fetch is None:
            raise TypeError(f"Fetch argument None has invalid type {type(None)}")
        if isinstance(fetch, dict):
            return ("dict", type(fetch), [(k, self._flatten(graph, v)) for k, v in fetch.items()],
                    getattr(fetch, "default_factory", None))
        if isinstance(fetch, tuple) and hasattr(fetch, "_fields"):
            return ("namedtuple", type(fetch), [self._flatten(graph, v) for v in fetch])
        if isinstance(fetch, (list, tuple)):
            return ("seq", type(fetch), [self._flatten(graph, v) for v in fetch])
        if hasattr(fetch, "_composite_fetch"):  # IndexedSlices, SparseTensor
            parts, rebuild = fetch._composite_fetch()
            return ("composite", rebuild, [self._flatten(graph, v) for v in parts])
        try:
            element = graph.as_graph_element(fetch, allow_tensor=True, allow_operation=True)
        except TypeError as exc:
            raise TypeError(f"Fetch argument {fetch!r} has invalid type {type(fetch)}, must be a "
                            f"string or Tensor. ({exc})") from None
        except (ValueError, KeyError) as exc:
            raise ValueError(f"Fetch argument {fetch!r} cannot be interpreted as a Tensor. "
                             f"({str(exc).strip(chr(39))})") from None
        if not graph.is_fetchable(element):
            op = element.op if isinstance(element, ops.Tensor) else element
            raise ValueError(f"Operation {op.name!r} has been marked as not fetchable.")
        return ("leaf", self._element_index(element))

    def build(self, values):
        return self._build(self._structure, values)

    def _build(self, node, values):
        kind = node[0]
        if kind == "leaf":
            return values[node[1]]
        if kind == "dict":
            _, cls, items, _ = node
            out = cls(node[3]) if issubclass(cls, collections.defaultdict) else cls()
            for key, child in items:
                out[key] = self._build(child, values)
            return out
        _, cls, children = node
        built = [self._build(child, values) for child in children]
        if kind == "composite":
            return cls(*built)
        if kind == "namedtuple":
            return cls(*built)
        return built if cls is list else (tuple(built) if cls is tuple else cls(built))


def _to_user_value(value):
    """0-d results come back as NumPy scalars and strings as bytes, like TF."""
    if isinstance(value, np.ndarray):
        if value.dtype == object:
            value = _as_bytes(value)
        if value.ndim == 0:
            return value[()]
    return value


def _as_bytes(array):
    """String tensors hold Python str or bytes; TF always returns bytes."""
    if not any(isinstance(item, str) for item in array.flat):
        return array
    out = np.empty(array.shape, dtype=object)
    for index, item in np.ndenumerate(array):
        out[index] = item.encode() if isinstance(item, str) else item
    return out


def _expand_composite_feeds(feed_dict):
    """Feeds of SparseTensor keys (``tf.sparse_placeholder``) as feeds of their tensors."""
    expanded = {}
    for key, value in feed_dict.items():
        if hasattr(key, "_composite_feed"):
            expanded.update(key._composite_feed(value))
        else:
            expanded[key] = value
    return expanded


class BaseSession:
    """Common Session machinery. All execution is in-process on the CPU; of ``config``
    (a ConfigProto), ``intra_op_parallelism_threads`` bounds the BLAS threads of the
    session's runs (``runtime/threads.py``), the rest is accepted."""

    def __init__(self, target="", graph=None, config=None):
        self._graph = graph if graph is not None else ops.get_default_graph()
        if not isinstance(self._graph, ops.Graph):
            raise TypeError(f"graph must be a tf.Graph, but got {type(self._graph)}")
        self._target = target
        self._config = as_config(config)
        # ConfigProto's intra-op threads (else tf.config.threading's) bound the BLAS threads
        # of this session's runs.
        self._intra_op_threads = int(self._config.intra_op_parallelism_threads
                                     or PROCESS_THREADS["intra"])
        self._operation_timeout_ms = int(self._config.operation_timeout_in_ms or 0)
        self._threads = threads.policy()
        self._closed = False
        self._state = RuntimeState()
        self._plans = {}
        self._handle_fetches = {}  # plan key -> positions of session-handle fetches
        self._feed_specs = {}  # feed_dict keys -> how to check and order their values
        self._context_stack = []
        # Placement (runtime/placer.py): pinned devices this process lacks fail the run.
        self._placer = Placer(self._graph, local_devices(self._config), self._config)

    @property
    def graph(self):
        return self._graph

    @property
    def graph_def(self):
        return self._graph

    @property
    def sess_str(self):
        return self._target

    def list_devices(self):
        return [_Device(name, "CPU") for name in local_devices(self._config)]

    def close(self):
        self._closed = True
        self._plans.clear()
        self._state.release_resources()

    def as_default(self):
        """Makes this the default session in the ``with`` block (``Session.as_default``)."""
        @contextlib.contextmanager
        def default():
            stack = _session_stack()
            stack.append(self)
            try:
                yield self
            finally:
                stack.remove(self)
        return default()

    # ---- run ---------------------------------------------------------------------------------
    def run(self, fetches, feed_dict=None, options=None, run_metadata=None):
        """Runs the ops needed for ``fetches`` and returns their values in the same structure."""
        if self._closed:
            raise RuntimeError("Attempted to use a closed Session.")
        self._placer.place()
        mapper = _FetchMapper(self._graph, fetches)
        if feed_dict and any(hasattr(key, "_composite_feed") for key in feed_dict):
            feed_dict = _expand_composite_feeds(feed_dict)
        feed_tensors, feed_values = self._process_feeds(feed_dict)
        return self._run_mapped(mapper, feed_tensors, feed_values, options, run_metadata)

    def _run_mapped(self, mapper, feed_tensors, feed_values, options=None, run_metadata=None):
        """``run`` of the fetches ``mapper`` flattened, fed with checked values. Blocking
        ops (a dequeue, a conditional accumulator's take) give up with DeadlineExceededError
        after ``options.timeout_in_ms``, else the config's ``operation_timeout_in_ms``. With
        a trace level in ``options`` and a ``run_metadata``, the run times each op and puts
        the step statistics into ``run_metadata.step_stats`` (TF's FULL_TRACE)."""
        # One plan per (fetches, set of fed tensors): feeds are put in graph order, so the
        # order of the feed_dict's keys does not matter.
        key = (tuple(mapper.elements), tuple(feed_tensors))
        plan = self._plans.get(key)
        if plan is None:
            plan = self._plans[key] = CompiledPlan(mapper.elements, feed_tensors, self._state)
            self._handle_fetches[key] = [i for i, e in enumerate(mapper.elements)
                                         if getattr(e, "op", e).type in _HANDLE_OPS]
        self._threads.before_run(self._intra_op_threads, plan.own_threads)
        timeout_ms = getattr(options, "timeout_in_ms", 0) or self._operation_timeout_ms
        self._state.set_timeout(timeout_ms / 1000.0 if timeout_ms > 0 else None)
        trace = [] if run_metadata is not None and getattr(options, "trace_level", 0) else None
        values = plan(self._state, feed_values, trace)
        if trace is not None:
            run_metadata.step_stats = step_stats.of_trace(trace, _LOCAL_CPU)
        results = [v if v is None else _to_user_value(v) for v in values]
        for index in self._handle_fetches[key]:  # tf.get_session_handle: a TensorHandle
            results[index] = session_ops.wrap_fetched_handle(mapper.elements[index],
                                                             results[index], self)
        return mapper.build(results)

    def _process_feeds(self, feed_dict):
        """(fed tensors, their arrays), both in graph order."""
        if not feed_dict:
            return [], []
        spec = self._feed_specs.get(tuple(feed_dict))
        if spec is not None and not self._graph._unfeedable_tensors:
            tensors, checks, order = spec
            values = list(feed_dict.values())
            for index, (value, (tensor, dtype, rank, known)) in enumerate(zip(values, checks)):
                # Arrays of the right dtype and shape are taken as they are; anything else
                # goes through every check and conversion.
                if type(value) is np.ndarray and value.dtype == dtype and dtype is not object \
                        and (rank is None or value.ndim == rank):
                    shape = value.shape
                    for axis, dim in known:
                        if shape[axis] != dim:
                            break
                    else:
                        continue
                elif (value is True or value is False) and dtype is np.bool_ and not rank:
                    values[index] = _FED_BOOLS[value]  # a training flag
                    continue
                values[index] = self._feed_array(tensor, value)
            return tensors, [values[i] for i in order]
        tensors, values = [], []
        for key, value in feed_dict.items():
            tensor = self._feed_tensor(key)
            array = self._feed_array(tensor, value)
            if tensor in tensors:
                values[tensors.index(tensor)] = array
            else:
                tensors.append(tensor)
                values.append(array)
        order = sorted(range(len(tensors)),
                       key=lambda i: (tensors[i].op._id, tensors[i].value_index))
        if len(tensors) == len(feed_dict):  # no key named a tensor twice
            self._feed_specs[tuple(feed_dict)] = (
                [tensors[i] for i in order],
                [(t, t.dtype.as_numpy_dtype, t.shape.ndims,
                  [(axis, dim) for axis, dim in enumerate(t.shape.as_list())
                   if dim is not None] if t.shape.ndims is not None else [])
                 for t in tensors], order)
        return [tensors[i] for i in order], [values[i] for i in order]

    def _feed_tensor(self, key):
        try:
            return self._graph.as_graph_element(key, allow_tensor=True, allow_operation=False)
        except TypeError as exc:
            raise TypeError(f"Cannot interpret feed_dict key as Tensor: {exc}") from None
        except (ValueError, KeyError) as exc:
            raise TypeError(f"Cannot interpret feed_dict key as Tensor: "
                            f"{str(exc).strip(chr(39))}") from None

    def _feed_array(self, tensor, value):
        """``value`` as the array fed to ``tensor``, with TF's errors for what cannot be."""
        plain_array = type(value) is np.ndarray
        if isinstance(value, session_ops.TensorHandle):
            value = value.handle
        if not plain_array and (isinstance(value, (ops.Tensor, ops.Operation)) or hasattr(
                value, "_as_graph_element")):
            raise TypeError("The value of a feed cannot be a tf.Tensor object. Acceptable "
                            "feed values include Python scalars, strings, lists, numpy "
                            "ndarrays, or TensorHandles. For reference, the tensor object "
                            f"was {value} which was passed to the feed with key {tensor}.")
        if not self._graph.is_feedable(tensor):
            raise ValueError(f"Tensor {tensor} may not be fed.")
        np_dtype = tensor.dtype.as_numpy_dtype
        if not plain_array and isinstance(value, int) and not isinstance(value, bool) \
                and np.dtype(np_dtype).kind in "iu" and not _fits(value, np_dtype):
            raise TypeError(f"Type of feed value {value} with type {type(value)} is not "
                            f"compatible with Tensor type {tensor.dtype.base_dtype!s}. Try "
                            "explicitly setting the type of the feed tensor to a larger "
                            "type (e.g. int64).")
        try:
            array = value if plain_array and value.dtype == np_dtype else np.asarray(
                value, dtype=np_dtype)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"Cannot feed value {_short(value)} for Tensor "
                             f"'{tensor.name}' of dtype {tensor.dtype.base_dtype.name}: "
                             f"{exc}") from None
        if not tensor.shape.is_compatible_with(array.shape):
            raise ValueError(f"Cannot feed value of shape {array.shape!r} for Tensor "
                             f"{tensor.name!r}, which has shape {str(tensor.shape)!r}")
        if array.dtype == object:  # a string tensor holds bytes, as TF's (str is UTF-8)
            array = _as_bytes(array)
        return array

    def make_callable(self, fetches, feed_list=None, accept_options=False):
        """A function running ``fetches`` with positional values for ``feed_list``. Without
        feeds (a queue runner's enqueue op, as TF's QueueRunner calls it), the fetches are
        resolved once and each call skips ``run``'s parsing of them."""
        feed_list = list(feed_list or [])
        if not feed_list and type(self).run is BaseSession.run:
            mapper = _FetchMapper(self._graph, fetches)

            def call_without_feeds(*args):
                if args:
                    raise ValueError(f"Expected 0 arguments, got {len(args)}")
                if self._closed:
                    raise RuntimeError("Attempted to use a closed Session.")
                self._placer.place()
                return self._run_mapped(mapper, [], [])
            return call_without_feeds

        def call(*args):
            if len(args) != len(feed_list):
                raise ValueError(f"Expected {len(feed_list)} arguments, got {len(args)}")
            return self.run(fetches, dict(zip(feed_list, args)))
        return call

    def _element_runner(self, op):
        """A function doing one or more runs of ``op`` per call, for a queue runner's thread
        that runs its enqueue op over and over: a plan that is an element pipeline does up
        to ``_ELEMENTS_PER_CALL`` runs as one batched run with their exact outcome
        (``runtime/element_batching.py``), anything else (or a batch that cannot be done)
        one plain run."""
        plain = self.make_callable(op)
        if type(self).run is not BaseSession.run:
            return plain
        key = (tuple(_FetchMapper(self._graph, op).elements), ())
        plain_calls_left = 0  # after a batch that could not be done, a few plain runs

        def run_elements():
            nonlocal plain_calls_left
            plan = self._plans.get(key)
            pipeline = None if plan is None else plan.element_pipeline
            if pipeline is not None and not self._closed:
                if plain_calls_left:
                    plain_calls_left -= 1
                else:
                    done = pipeline.run(self._state, _ELEMENTS_PER_CALL)
                    if done:
                        return
                    if done is None:
                        plain_calls_left = _PLAIN_CALLS_AFTER_MISS
            plain()
        return run_elements

    def _variable_values(self):
        """The Session's variable storage (VariableV2 op -> array), for the Saver."""
        return self._state.variables

    def __del__(self):
        self._closed = True


def _read_only(array):
    array.flags.writeable = False
    return array


#: The device a local run's ops are on, as step statistics name it.
_LOCAL_CPU = "/job:localhost/replica:0/task:0/device:CPU:0"
#: The arrays fed for Python's True and False (shared: kernels never write their inputs).
_FED_BOOLS = {flag: _read_only(np.array(flag)) for flag in (False, True)}
_HANDLE_OPS = ("GetSessionHandle", "GetSessionHandleV2")
#: The most runs an element pipeline does as one, and the plain runs after a batch that
#: could not be computed.
_ELEMENTS_PER_CALL = 128
_PLAIN_CALLS_AFTER_MISS = 16


def _fits(value, np_dtype):
    info = np.iinfo(np_dtype)
    return info.min <= value <= info.max


def _short(value):
    text = repr(value)
    return text if len(text) < 60 else text[:57] + "..."


class _Device:
    def __init__(self, name, device_type):
        self.name = name
        self.device_type = device_type
        self.memory_limit_bytes = 0


class Session(BaseSession):
    """``tf.Session(target='', graph=None, config=None)``; as a context manager it is the
    default session and its graph the default graph, and it closes on exit."""

    def __new__(cls, target="", graph=None, config=None):
        """A ``grpc://host:port`` target gives a remote session (tfcompat/distributed)."""
        if cls is Session and _is_grpc_target(target):
            from tfcompat.distributed.remote_session import RemoteSession
            cls = RemoteSession
        return super().__new__(cls)

    def __enter__(self):
        graph_ctx = self._graph.as_default()
        session_ctx = self.as_default()
        graph_ctx.__enter__()
        session_ctx.__enter__()
        self._context_stack.append((graph_ctx, session_ctx))
        return self

    def __exit__(self, exc_type, exc_value, tb):
        graph_ctx, session_ctx = self._context_stack.pop()
        session_ctx.__exit__(exc_type, exc_value, tb)
        graph_ctx.__exit__(exc_type, exc_value, tb)
        self.close()
        return False

    @staticmethod
    def reset(target, containers=None, config=None):
        """Empties the variables of every task of a ``grpc://`` target's cluster (local
        sessions own their variables: nothing to reset)."""
        if _is_grpc_target(target):
            from tfcompat.distributed.remote_session import reset
            reset(target, containers, config)


def _is_grpc_target(target):
    return isinstance(target, (str, bytes)) and target[:7] in ("grpc://", b"grpc://")


class InteractiveSession(BaseSession):
    """A session that installs itself as the default session on construction."""

    def __new__(cls, target="", graph=None, config=None):
        """A ``grpc://host:port`` target gives a remote one (tfcompat/distributed)."""
        if cls is InteractiveSession and _is_grpc_target(target):
            from tfcompat.distributed.remote_session import RemoteInteractiveSession
            cls = RemoteInteractiveSession
        return super().__new__(cls)

    def __init__(self, target="", graph=None, config=None):
        super().__init__(target, graph, config)
        self._default_ctx = self.as_default()
        self._default_ctx.__enter__()
        self._graph_ctx = None
        if graph is not None:
            self._graph_ctx = graph.as_default()
            self._graph_ctx.__enter__()

    def close(self):
        if not self._closed and self._default_ctx is not None:
            try:
                self._default_ctx.__exit__(None, None, None)
            except ValueError:
                pass
            if self._graph_ctx is not None:
                self._graph_ctx.__exit__(None, None, None)
        self._default_ctx = None
        super().close()


__all__ = ["Session", "InteractiveSession", "get_default_session", "errors"]

"""``tf.keras.backend`` in graph mode (TF 1.15 semantics).

Session: ``get_session()`` is the default Session if one is active, else one Keras session
per graph, created on first use; it initializes the variables it finds uninitialized, as TF
1.x Keras does. ``learning_phase()`` is a ``keras_learning_phase`` bool placeholder defaulting
to False, which ``Model.fit`` feeds as True; ``set_learning_phase(0|1)`` fixes it to a
constant for the graph instead. The tensor functions are Keras' thin wrappers over TF ops
(``sum`` is ``reduce_sum``, ``dot`` a matmul over the last/second-to-last axes, the
cross-entropies take probabilities unless ``from_logits``).
"""
import weakref

import numpy as np

import tfcompat as tf
from tfcompat.client import session as session_lib
from tfcompat.framework import dtypes, ops
from tfcompat.ops import array_ops, variables

_SESSIONS = weakref.WeakKeyDictionary()        # graph -> Session
_LEARNING_PHASES = weakref.WeakKeyDictionary()  # graph -> placeholder
_FIXED_PHASES = weakref.WeakKeyDictionary()     # graph -> 0/1 from set_learning_phase
_INITIALIZED = weakref.WeakKeyDictionary()      # Session -> set of initialized variables
_UIDS = weakref.WeakKeyDictionary()             # graph -> {prefix: last uid}
_CONFIG = {"floatx": "float32", "epsilon": 1e-7, "image_data_format": "channels_last",
           "manual_init": False}


# ---- session and graph ----------------------------------------------------------------------
def get_session():
    """The default Session, or this graph's Keras Session; new variables get initialized."""
    session = session_lib.get_default_session()
    if session is None:
        graph = ops.get_default_graph()
        session = _SESSIONS.get(graph)
        if session is None:
            session = _SESSIONS[graph] = session_lib.Session(graph=graph)
    if not _CONFIG["manual_init"]:
        _initialize_variables(session)
    return session


def manual_variable_initialization(value):
    """With True, ``get_session`` leaves variable initialization to the user."""
    _CONFIG["manual_init"] = bool(value)


def backend():
    return "tensorflow"


def set_session(session):
    """Makes ``session`` the Keras session of its graph."""
    _SESSIONS[session.graph] = session


def _initialize_variables(session):
    with session.graph.as_default():
        done = _INITIALIZED.setdefault(session, set())
        candidates = [v for v in variables.global_variables() + variables.local_variables()
                      if v not in done]
        if not candidates:
            return
        flags = session.run([variables.is_variable_initialized(v) for v in candidates])
        pending = [v for v, flag in zip(candidates, flags, strict=True) if not flag]
        if pending:
            session.run(variables.variables_initializer(pending))
        done.update(candidates)


def learning_phase():
    """The graph's ``keras_learning_phase`` placeholder (False unless fed), or the value
    ``set_learning_phase`` fixed."""
    graph = ops.get_default_graph()
    if graph in _FIXED_PHASES:
        return _FIXED_PHASES[graph]
    phase = _LEARNING_PHASES.get(graph)
    if phase is None:
        with ops.name_scope(""):
            phase = array_ops.placeholder_with_default(False, shape=[],
                                                       name="keras_learning_phase")
        _LEARNING_PHASES[graph] = phase
    return phase


def set_learning_phase(value):
    """Fixes the learning phase to 0 (test) or 1 (train) for layers built afterwards."""
    if value not in (0, 1):
        raise ValueError("Expected learning phase to be 0 or 1.")
    _FIXED_PHASES[ops.get_default_graph()] = bool(value)


def clear_session():
    """Closes the Keras session and starts a new default graph (``tf.reset_default_graph``)."""
    graph = ops.get_default_graph()
    session = _SESSIONS.pop(graph, None)
    if session is not None:
        session.close()
    ops.reset_default_graph()


def reset_uids():
    _UIDS.pop(ops.get_default_graph(), None)


def get_uid(prefix=""):
    """1, 2, 3 ... per prefix and graph (Keras names inputs "input_1", "input_2" ...)."""
    uids = _UIDS.setdefault(ops.get_default_graph(), {})
    uids[prefix] = uids.get(prefix, 0) + 1
    return uids[prefix]


def get_graph():
    return ops.get_default_graph()


def name_scope(name):
    return ops.name_scope(name)


# ---- configuration --------------------------------------------------------------------------
def floatx():
    return _CONFIG["floatx"]


def set_floatx(value):
    if value not in ("float16", "float32", "float64"):
        raise ValueError(f"Unknown floatx type: {value}")
    _CONFIG["floatx"] = str(value)


def epsilon():
    return _CONFIG["epsilon"]


def set_epsilon(value):
    _CONFIG["epsilon"] = float(value)


def image_data_format():
    return _CONFIG["image_data_format"]


def set_image_data_format(data_format):
    if data_format not in ("channels_first", "channels_last"):
        raise ValueError(f"Unknown data_format: {data_format}")
    _CONFIG["image_data_format"] = str(data_format)


def cast_to_floatx(x):
    return np.asarray(x, dtype=floatx())


# ---- variables and values -------------------------------------------------------------------
def variable(value, dtype=None, name=None, constraint=None):
    """A tf.Variable holding ``value`` (initialized when the Keras session next runs)."""
    value = np.asarray(value, dtype=dtype or floatx())
    return variables.Variable(value, dtype=dtypes.as_dtype(value.dtype), name=name)


def constant(value, dtype=None, shape=None, name=None):
    return tf.constant(value, dtype=dtype or floatx(), shape=shape, name=name)


def placeholder(shape=None, ndim=None, dtype=None, sparse=False, name=None):
    if sparse:
        raise ValueError("tfcompat's keras backend does not make sparse placeholders")
    if shape is None and ndim is not None:
        shape = (None,) * ndim
    return array_ops.placeholder(dtypes.as_dtype(dtype or floatx()), shape, name=name)


def is_placeholder(x):
    return getattr(x, "op", None) is not None and x.op.type == "Placeholder"


def eval(x):  # noqa: A001 (Keras' name)
    return get_value(x)


def get_value(x):
    """The value of a variable or tensor, run in the Keras session."""
    return get_session().run(x)


def batch_get_value(tensors):
    return get_session().run(list(tensors)) if tensors else []


def set_value(x, value):
    """Loads ``value`` into variable ``x``."""
    x.load(np.asarray(value, dtype=x.dtype.base_dtype.as_numpy_dtype), get_session())


def batch_set_value(tuples):
    session = get_session()
    for x, value in tuples:
        x.load(np.asarray(value, dtype=x.dtype.base_dtype.as_numpy_dtype), session)


def zeros(shape, dtype=None, name=None):
    return variable(np.zeros(shape), dtype=dtype, name=name)


def ones(shape, dtype=None, name=None):
    return variable(np.ones(shape), dtype=dtype, name=name)


def eye(size, dtype=None, name=None):
    return variable(np.eye(size), dtype=dtype, name=name)


def zeros_like(x, dtype=None, name=None):
    return tf.zeros_like(x, dtype=dtype, name=name)


def ones_like(x, dtype=None, name=None):
    return tf.ones_like(x, dtype=dtype, name=name)


def count_params(x):
    return int(np.prod(x.shape.as_list()))


def update(x, new_x):
    return tf.assign(x, new_x)


def update_add(x, increment):
    return tf.assign_add(x, increment)


def update_sub(x, decrement):
    return tf.assign_sub(x, decrement)


# ---- shapes and types -----------------------------------------------------------------------
def shape(x):
    return tf.shape(x)


def int_shape(x):
    """The static shape as a tuple (None for unknown dimensions)."""
    try:
        return tuple(x.shape.as_list())
    except ValueError:
        return None


def ndim(x):
    return x.shape.ndims


def dtype(x):
    return x.dtype.base_dtype.name


def cast(x, dtype):
    return tf.cast(x, dtype)


def is_tensor(x):
    return isinstance(x, (ops.Tensor, variables.Variable))


def is_keras_tensor(x):
    if not is_tensor(x):
        raise ValueError(f"Unexpectedly found an instance of type `{type(x)}`. Expected a "
                         "symbolic tensor instance.")
    return hasattr(x, "_keras_history")


# ---- math -----------------------------------------------------------------------------------
def dot(x, y):
    """Matrix product over x's last and y's second-to-last axis (any ranks >= 2)."""
    if x.shape.ndims > 2 or y.shape.ndims > 2:
        y_axis = y.shape.ndims - 2 if y.shape.ndims > 1 else 0
        return tf.tensordot(x, y, [[x.shape.ndims - 1], [y_axis]])
    return tf.matmul(x, y)


def batch_dot(x, y, axes=None):
    """Per-example dot product of [batch, ...] tensors (2-D: a [batch, 1] column)."""
    if x.shape.ndims == 2 and y.shape.ndims == 2:
        return tf.reduce_sum(x * y, axis=1, keep_dims=True)
    return tf.matmul(x, y)


def transpose(x):
    return tf.transpose(x)


def _reduce(reducer):
    def reduce(x, axis=None, keepdims=False):
        return reducer(x, axis=axis, keepdims=keepdims)
    reduce.__doc__ = f"``{reducer.__name__}`` with Keras' ``keepdims`` argument."
    return reduce


sum = _reduce(tf.reduce_sum)  # noqa: A001 (Keras' names)
mean = _reduce(tf.reduce_mean)
prod = _reduce(tf.reduce_prod)
max = _reduce(tf.reduce_max)  # noqa: A001
min = _reduce(tf.reduce_min)  # noqa: A001
std = _reduce(tf.math.reduce_std)
var = _reduce(tf.math.reduce_variance)
logsumexp = _reduce(tf.reduce_logsumexp)
any = _reduce(tf.reduce_any)  # noqa: A001
all = _reduce(tf.reduce_all)  # noqa: A001


def argmax(x, axis=-1):
    return tf.argmax(x, axis)


def argmin(x, axis=-1):
    return tf.argmin(x, axis)


square, abs, sqrt, exp, log = tf.square, tf.abs, tf.sqrt, tf.exp, tf.log  # noqa: A001
sign, round, cos, sin, tanh = tf.sign, tf.round, tf.cos, tf.sin, tf.tanh  # noqa: A001
equal, not_equal, greater, greater_equal = tf.equal, tf.not_equal, tf.greater, tf.greater_equal
less, less_equal, maximum, minimum = tf.less, tf.less_equal, tf.maximum, tf.minimum
sigmoid, softplus, softsign, elu = tf.nn.sigmoid, tf.nn.softplus, tf.nn.softsign, tf.nn.elu
pow, cumsum, cumprod = tf.pow, tf.cumsum, tf.cumprod  # noqa: A001


def clip(x, min_value, max_value):
    if max_value is not None and max_value < min_value:
        max_value = min_value
    return tf.clip_by_value(x, min_value, max_value)


def relu(x, alpha=0.0, max_value=None, threshold=0):
    """max(x, 0) (leaky with ``alpha``, capped at ``max_value``, shifted by ``threshold``)."""
    if alpha != 0.0 or threshold:
        negative = tf.nn.relu(-x + threshold)
        x = tf.where(x >= threshold, x, tf.zeros_like(x)) if threshold else tf.nn.relu(x)
        if alpha != 0.0:
            x = x - alpha * negative
    else:
        x = tf.nn.relu(x)
    if max_value is not None:
        x = tf.minimum(x, float(max_value))
    return x


def softmax(x, axis=-1):
    return tf.nn.softmax(x, axis=axis)


def hard_sigmoid(x):
    return tf.clip_by_value(0.2 * x + 0.5, 0.0, 1.0)


def l2_normalize(x, axis=None):
    return tf.nn.l2_normalize(x, axis=axis)


def categorical_crossentropy(target, output, from_logits=False, axis=-1):
    from tfcompat.keras import losses
    return losses.categorical_crossentropy(target, output, from_logits=from_logits)


def sparse_categorical_crossentropy(target, output, from_logits=False, axis=-1):
    from tfcompat.keras import losses
    return losses.sparse_categorical_crossentropy(target, output, from_logits=from_logits)


def binary_crossentropy(target, output, from_logits=False):
    """Element-wise (not averaged) binary cross-entropy of probabilities or logits."""
    if not from_logits:
        clipped = tf.clip_by_value(output, epsilon(), 1.0 - epsilon())
        output = tf.log(clipped / (1.0 - clipped))
    return tf.nn.sigmoid_cross_entropy_with_logits(labels=target, logits=output)


def dropout(x, level, noise_shape=None, seed=None):
    return tf.nn.dropout(x, rate=level, noise_shape=noise_shape, seed=seed)


def bias_add(x, bias, data_format=None):
    return tf.nn.bias_add(x, bias, data_format="NCHW" if data_format == "channels_first"
                          else None)


# ---- array manipulation ---------------------------------------------------------------------
def concatenate(tensors, axis=-1):
    return tf.concat(list(tensors), axis)


def reshape(x, shape):
    return tf.reshape(x, shape)


def permute_dimensions(x, pattern):
    return tf.transpose(x, perm=pattern)


def expand_dims(x, axis=-1):
    return tf.expand_dims(x, axis)


def squeeze(x, axis):
    return tf.squeeze(x, [axis])


def stack(x, axis=0):
    return tf.stack(x, axis=axis)


def flatten(x):
    return tf.reshape(x, [-1])


def batch_flatten(x):
    return tf.reshape(x, tf.stack([-1, tf.reduce_prod(tf.shape(x)[1:])]))


def tile(x, n):
    return tf.tile(x, [n] if isinstance(n, int) else n)


def repeat(x, n):
    """[batch, dim] -> [batch, n, dim]."""
    return tf.tile(tf.expand_dims(x, 1), [1, n, 1])


def gather(reference, indices):
    return tf.gather(reference, indices)


def one_hot(indices, num_classes):
    return tf.one_hot(indices, depth=num_classes, axis=-1)


def reverse(x, axes):
    return tf.reverse(x, [axes] if isinstance(axes, int) else list(axes))


def arange(start, stop=None, step=1, dtype="int32"):
    return tf.range(start, stop, step, dtype=dtype)


def switch(condition, then_expression, else_expression):
    """``tf.cond`` on a scalar condition (callables or tensors), else ``tf.where``."""
    def as_fn(branch):
        return branch if callable(branch) else (lambda: branch)
    if condition.shape.ndims == 0:
        return tf.cond(condition, as_fn(then_expression), as_fn(else_expression))
    return tf.where(condition, as_fn(then_expression)(), as_fn(else_expression)())


def in_train_phase(x, alt, training=None):
    """x while training (the learning phase), else alt."""
    training = learning_phase() if training is None else training
    if training is True or training == 1:
        return x() if callable(x) else x
    if training is False or training == 0:
        return alt() if callable(alt) else alt
    return switch(training, x, alt)


def in_test_phase(x, alt, training=None):
    return in_train_phase(alt, x, training=training)


# ---- randomness -----------------------------------------------------------------------------
def random_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    return tf.random_normal(shape, mean=mean, stddev=stddev, dtype=dtype or floatx(),
                            seed=seed)


def random_uniform(shape, minval=0.0, maxval=1.0, dtype=None, seed=None):
    return tf.random_uniform(shape, minval=minval, maxval=maxval, dtype=dtype or floatx(),
                             seed=seed)


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    return tf.truncated_normal(shape, mean=mean, stddev=stddev, dtype=dtype or floatx(),
                               seed=seed)


def random_normal_variable(shape, mean, scale, dtype=None, name=None, seed=None):
    value = np.random.RandomState(seed).normal(mean, scale, size=shape)
    return variable(value, dtype=dtype, name=name)


def random_uniform_variable(shape, low, high, dtype=None, name=None, seed=None):
    value = np.random.RandomState(seed).uniform(low, high, size=shape)
    return variable(value, dtype=dtype, name=name)


# ---- gradients and functions ----------------------------------------------------------------
def gradients(loss, variables):
    return tf.gradients(loss, variables)


def stop_gradient(variables):
    if isinstance(variables, (list, tuple)):
        return [tf.stop_gradient(v) for v in variables]
    return tf.stop_gradient(variables)


class Function:
    """``K.function(inputs, outputs, updates)``: called with a list of input values, runs
    the updates and returns the outputs' values in the Keras session."""

    def __init__(self, inputs, outputs, updates=None, name=None, **session_kwargs):
        self.inputs = list(inputs)
        self.outputs = list(outputs) if isinstance(outputs, (list, tuple)) else [outputs]
        self._single = not isinstance(outputs, (list, tuple))
        updates = [tf.assign(*u) if isinstance(u, tuple) else u for u in (updates or [])]
        self.updates_op = tf.group(*updates) if updates else None

    def __call__(self, inputs):
        if not isinstance(inputs, (list, tuple)):
            raise TypeError("`inputs` should be a list or tuple.")
        feed = dict(zip(self.inputs, inputs, strict=True))
        fetches = self.outputs + ([self.updates_op] if self.updates_op is not None else [])
        values = get_session().run(fetches, feed)[:len(self.outputs)]
        return values[0] if self._single else values


def function(inputs, outputs, updates=None, name=None, **kwargs):
    return Function(inputs, outputs, updates=updates, name=name, **kwargs)


def rnn(step_function, inputs, initial_states, go_backwards=False, mask=None,
        constants=None, unroll=False, input_length=None):
    """Keras' ``backend.rnn``: ``step_function(input_t, states) -> (output, new_states)``
    over the time axis of [batch, time, ...] inputs; ``(last_output, outputs,
    new_states)``. A Python loop (``unroll``) or a tf.while_loop over TensorArrays."""
    if mask is not None:
        raise ValueError("tfcompat's keras backend.rnn does not implement `mask` yet")
    constants = list(constants or [])
    steps = tf.transpose(inputs, [1, 0] + list(range(2, inputs.shape.ndims)))
    if go_backwards:
        steps = tf.reverse(steps, [0])
    states = list(initial_states)
    if unroll:
        outputs = []
        for index in range(steps.shape[0].value):
            output, states = step_function(steps[index], states + constants)
            outputs.append(output)
        stacked = tf.stack(outputs)
    else:
        count = tf.shape(steps)[0]
        inputs_ta = tf.TensorArray(steps.dtype, size=count).unstack(steps)
        outputs_ta = tf.TensorArray(states[0].dtype if states else steps.dtype, size=count)

        def body(time, outputs_ta, *loop_states):
            step = inputs_ta.read(time)
            step.set_shape(steps.shape[1:])
            output, new_states = step_function(step, list(loop_states) + constants)
            for new, old in zip(new_states, loop_states, strict=True):
                new.set_shape(old.shape)
            return (time + 1, outputs_ta.write(time, output)) + tuple(new_states)

        results = tf.while_loop(lambda time, *_: time < count, body,
                                (tf.constant(0), outputs_ta) + tuple(states))
        stacked, states = results[1].stack(), list(results[2:])
        if stacked.shape.ndims is not None:
            stacked.set_shape([steps.shape[0].value] + stacked.shape.as_list()[1:])
    outputs = tf.transpose(stacked, [1, 0] + list(range(2, stacked.shape.ndims)))
    return outputs[:, -1], outputs, states


def map_fn(fn, elems, name=None, dtype=None):
    return tf.map_fn(fn, elems, name=name, dtype=dtype)


def foldl(fn, elems, initializer=None, name=None):
    return tf.foldl(fn, elems, initializer=initializer, name=name)


def foldr(fn, elems, initializer=None, name=None):
    return tf.foldr(fn, elems, initializer=initializer, name=name)


def in_top_k(predictions, targets, k):
    return tf.nn.in_top_k(predictions, targets, k)


def is_sparse(tensor):
    return isinstance(tensor, tf.SparseTensor)


def to_dense(tensor):
    return tf.sparse.to_dense(tensor) if is_sparse(tensor) else tensor


def random_binomial(shape, p=0.0, dtype=None, seed=None):
    """1 with probability p, else 0 (Keras' ``random_binomial``)."""
    dtype = dtype or floatx()
    return tf.where(tf.random_uniform(shape, dtype=dtype, seed=seed) <= p,
                    tf.ones(shape, dtype=dtype), tf.zeros(shape, dtype=dtype))


def repeat_elements(x, rep, axis):
    """NumPy's ``repeat`` of each element ``rep`` times along ``axis``."""
    from tfcompat.keras.layers.convolutional import _repeat_elements
    return _repeat_elements(x, rep, axis % x.shape.ndims)


def resize_images(x, height_factor, width_factor, data_format, interpolation="nearest"):
    """Nearest-neighbour upsampling of the rows and columns by integer factors."""
    if interpolation != "nearest":
        raise ValueError("tfcompat's keras resize_images supports interpolation='nearest' "
                         "only")
    first = 2 if data_format == "channels_first" else 1
    return repeat_elements(repeat_elements(x, height_factor, first), width_factor, first + 1)


def temporal_padding(x, padding=(1, 1)):
    return tf.pad(x, [[0, 0], list(padding), [0, 0]])


def spatial_2d_padding(x, padding=((1, 1), (1, 1)), data_format=None):
    pads = [list(padding[0]), list(padding[1])]
    if (data_format or image_data_format()) == "channels_first":
        return tf.pad(x, [[0, 0], [0, 0]] + pads)
    return tf.pad(x, [[0, 0]] + pads + [[0, 0]])


def spatial_3d_padding(x, padding=((1, 1), (1, 1), (1, 1)), data_format=None):
    pads = [list(pair) for pair in padding]
    if (data_format or image_data_format()) == "channels_first":
        return tf.pad(x, [[0, 0], [0, 0]] + pads)
    return tf.pad(x, [[0, 0]] + pads + [[0, 0]])


def resize_volumes(x, depth_factor, height_factor, width_factor, data_format):
    """Nearest-neighbour upsampling of a 5-D tensor's three spatial axes."""
    first = 2 if data_format == "channels_first" else 1
    for offset, factor in enumerate((depth_factor, height_factor, width_factor)):
        x = repeat_elements(x, factor, first + offset)
    return x


def _nhwc(data_format):
    return "NCHW" if (data_format or image_data_format()) == "channels_first" else "NHWC"


def conv1d(x, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    data = "NCW" if (data_format or image_data_format()) == "channels_first" else "NWC"
    return tf.nn.conv1d(x, kernel, strides, padding.upper(), data_format=data,
                        dilations=dilation_rate)


def conv2d(x, kernel, strides=(1, 1), padding="valid", data_format=None,
           dilation_rate=(1, 1)):
    data = _nhwc(data_format)
    stride = [1, *strides, 1] if data == "NHWC" else [1, 1, *strides]
    dilations = [1, *dilation_rate, 1] if data == "NHWC" else [1, 1, *dilation_rate]
    return tf.nn.conv2d(x, kernel, stride, padding.upper(), data_format=data,
                        dilations=dilations)


def conv2d_transpose(x, kernel, output_shape, strides=(1, 1), padding="valid",
                     data_format=None, dilation_rate=(1, 1)):
    data = _nhwc(data_format)
    stride = [1, *strides, 1] if data == "NHWC" else [1, 1, *strides]
    return tf.nn.conv2d_transpose(x, kernel, output_shape, stride, padding=padding.upper(),
                                  data_format=data)


def separable_conv2d(x, depthwise_kernel, pointwise_kernel, strides=(1, 1), padding="valid",
                     data_format=None, dilation_rate=(1, 1)):
    data = _nhwc(data_format)
    stride = [1, *strides, 1] if data == "NHWC" else [1, 1, *strides]
    return tf.nn.separable_conv2d(x, depthwise_kernel, pointwise_kernel, stride,
                                  padding.upper(), rate=list(dilation_rate), data_format=data)


def pool2d(x, pool_size, strides=(1, 1), padding="valid", data_format=None,
           pool_mode="max"):
    if pool_mode not in ("max", "avg"):
        raise ValueError(f"Invalid pooling mode: {pool_mode}")
    data = _nhwc(data_format)
    window = [1, *pool_size, 1] if data == "NHWC" else [1, 1, *pool_size]
    stride = [1, *strides, 1] if data == "NHWC" else [1, 1, *strides]
    pool = tf.nn.max_pool if pool_mode == "max" else tf.nn.avg_pool
    return pool(x, window, stride, padding.upper(), data_format=data)


def _ndhwc(data_format):
    return "NCDHW" if (data_format or image_data_format()) == "channels_first" else "NDHWC"


def _spatial(values, data):
    return [1, *values, 1] if data == "NDHWC" else [1, 1, *values]


def conv3d(x, kernel, strides=(1, 1, 1), padding="valid", data_format=None,
           dilation_rate=(1, 1, 1)):
    data = _ndhwc(data_format)
    return tf.nn.conv3d(x, kernel, _spatial(strides, data), padding.upper(), data_format=data,
                        dilations=_spatial(dilation_rate, data))


def pool3d(x, pool_size, strides=(1, 1, 1), padding="valid", data_format=None,
           pool_mode="max"):
    if pool_mode not in ("max", "avg"):
        raise ValueError(f"Invalid pooling mode: {pool_mode}")
    data = _ndhwc(data_format)
    pool = tf.nn.max_pool3d if pool_mode == "max" else tf.nn.avg_pool3d
    return pool(x, _spatial(pool_size, data), _spatial(strides, data), padding.upper(),
                data_format=data)


def ctc_label_dense_to_sparse(labels, label_lengths):
    """The first ``label_lengths[b]`` labels of each row of ``labels`` as a SparseTensor."""
    labels = tf.convert_to_tensor(labels)
    shape = tf.shape(labels)
    mask = tf.sequence_mask(label_lengths, shape[1])
    indices = tf.where(mask)
    return tf.SparseTensor(tf.cast(indices, tf.int64), tf.gather_nd(labels, indices),
                           tf.cast(shape, tf.int64))


def ctc_batch_cost(y_true, y_pred, input_length, label_length):
    """Keras' CTC loss per batch element, [batch, 1]: ``y_pred`` holds softmax outputs
    [batch, time, classes] (the blank last), lengths are [batch, 1]."""
    label_length = tf.cast(tf.squeeze(label_length, axis=-1), tf.int32)
    input_length = tf.cast(tf.squeeze(input_length, axis=-1), tf.int32)
    labels = tf.cast(ctc_label_dense_to_sparse(y_true, label_length), tf.int32)
    log_probs = tf.log(tf.transpose(y_pred, perm=[1, 0, 2]) + epsilon())
    return tf.expand_dims(tf.nn.ctc_loss(inputs=log_probs, labels=labels,
                                         sequence_length=input_length), 1)


def ctc_decode(y_pred, input_length, greedy=True, beam_width=100, top_paths=1):
    """([dense decoded paths, -1 padded], log probabilities) of softmax outputs [batch, time,
    classes], by the greedy or the beam-search CTC decoder."""
    log_probs = tf.log(tf.transpose(y_pred, perm=[1, 0, 2]) + epsilon())
    input_length = tf.cast(input_length, tf.int32)
    if greedy:
        decoded, log_prob = tf.nn.ctc_greedy_decoder(inputs=log_probs,
                                                     sequence_length=input_length)
    else:
        decoded, log_prob = tf.nn.ctc_beam_search_decoder(
            inputs=log_probs, sequence_length=input_length, beam_width=beam_width,
            top_paths=top_paths)
    dense = [tf.sparse_to_dense(path.indices, path.dense_shape, path.values, default_value=-1)
             for path in decoded]
    return dense, log_prob


def moving_average_update(x, value, momentum):
    """x = x * momentum + value * (1 - momentum), as one AssignSub."""
    from tfcompat.layers.normalization import assign_moving_average
    return assign_moving_average(x, value, momentum)


def batch_normalization(x, mean, var, beta, gamma, axis=-1, epsilon=1e-3):
    return tf.nn.batch_normalization(x, mean, var, beta, gamma, epsilon)


def normalize_batch_in_training(x, gamma, beta, reduction_axes, epsilon=1e-3):
    """(normalized x, batch mean, batch variance) over ``reduction_axes``."""
    mean, variance = tf.nn.moments(x, list(reduction_axes))
    if sorted(reduction_axes) != list(range(x.shape.ndims - 1)):
        kept = [1 if i in reduction_axes else -1 for i in range(x.shape.ndims)]
        shape = [x.shape[i].value if k == -1 else 1 for i, k in enumerate(kept)]
        normalized = tf.nn.batch_normalization(
            x, tf.reshape(mean, shape), tf.reshape(variance, shape),
            None if beta is None else tf.reshape(beta, shape),
            None if gamma is None else tf.reshape(gamma, shape), epsilon)
    else:
        normalized = tf.nn.batch_normalization(x, mean, variance, beta, gamma, epsilon)
    return normalized, mean, variance


def print_tensor(x, message=""):
    return tf.Print(x, [x], message)


def __getattr__(name):
    raise AttributeError(f"module 'tensorflow.keras.backend' has no attribute '{name}': "
                         f"tfcompat does not implement tf.keras.backend.{name} yet")

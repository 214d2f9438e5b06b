"""Neural-network ops (TF's nn_ops / gen_nn_ops, and Sigmoid/Tanh from gen_math_ops):
activations, softmax, bias add, the fused cross-entropy ops and L2Loss, with their gradients
registered beside each op (TF's nn_grad.py) and the grad-only ops TF uses (ReluGrad,
SigmoidGrad, BiasAddGrad ...).

Kernels are vectorised NumPy that write into one fresh output array where they can, so an
elementwise op costs one allocation; softmax and the cross-entropies subtract the row max
before exponentiating. The composite ``tf.nn`` functions (moments, dropout, l2_normalize ...)
live in ``tfcompat/nn.py``.
"""
import numpy as np

from tfcompat.framework import dtypes, errors, ops, tensor_shape
from tfcompat.framework.op_def import OpDef, format_shape, make_op, make_tensor, register_op
from tfcompat.ops import array_ops, math_ops

_FLOATS = (dtypes.float16, dtypes.bfloat16, dtypes.float32, dtypes.float64)
_FLOATS_AND_COMPLEX = _FLOATS + (dtypes.complex64, dtypes.complex128)
_REAL_NUMBERS = _FLOATS + (dtypes.int8, dtypes.int16, dtypes.int32, dtypes.int64, dtypes.uint8,
                           dtypes.uint16, dtypes.uint32, dtypes.uint64)
_LABEL_TYPES = (dtypes.int32, dtypes.int64)

# SELU's constants (Klambauer et al. 2017), as in TF's kernels.
SELU_SCALE = 1.0507009873554804934193349852946
SELU_ALPHA = 1.6732632423543772848170429916717


# ---- checks ---------------------------------------------------------------------------------
def _check_dtype(op, tensor, argument, allowed):
    dtype = tensor.dtype.base_dtype
    if dtype not in allowed:
        names = ", ".join(d.name for d in allowed)
        raise TypeError(f"Value passed to parameter '{argument}' has DataType {dtype.name} not "
                        f"in list of allowed values: {names}")
    return dtype


def _check_same_dtype(op, names):
    first = op.inputs[0].dtype.base_dtype
    for name, tensor in zip(names[1:], op.inputs[1:]):
        if tensor.dtype.base_dtype != first:
            raise TypeError(f"Input '{name}' of '{op.type}' Op has type "
                            f"{tensor.dtype.base_dtype.name} that does not match type "
                            f"{first.name} of argument '{names[0]}'.")
    return first


def _input_shapes(op):
    return ", ".join(format_shape(t.shape) for t in op.inputs)


def _with_rank(op, shape, rank):
    if shape.ndims is None:
        return tensor_shape.unknown_shape(rank)
    if shape.ndims != rank:
        raise ValueError(f"Shape must be rank {rank} but is rank {shape.ndims} for "
                         f"'{op.name}' (op: '{op.type}') with input shapes: {_input_shapes(op)}.")
    return shape


def _with_rank_at_least(op, shape, rank):
    if shape.ndims is not None and shape.ndims < rank:
        raise ValueError(f"Shape must be at least rank {rank} but is rank {shape.ndims} for "
                         f"'{op.name}' (op: '{op.type}') with input shapes: {_input_shapes(op)}.")
    return shape


def _merge_dims(op, a, b):
    """Merges two Dimensions, raising TF's "Dimensions must be equal" ValueError."""
    if a.value is not None and b.value is not None and a.value != b.value:
        raise ValueError(f"Dimensions must be equal, but are {a.value} and {b.value} for "
                         f"'{op.name}' (op: '{op.type}') with input shapes: {_input_shapes(op)}.")
    return a if a.value is not None else b


def _merge_shapes(op, a, b):
    if a.ndims is None:
        return b
    if b.ndims is None:
        return a
    return tensor_shape.TensorShape([_merge_dims(op, x, y) for x, y in zip(a.dims, b.dims)])


def _is_zeros(tensor):
    """Whether ``tensor`` is known to be all zeros (the filler tf.gradients gives to outputs
    of multi-output ops that no gradient reached)."""
    if tensor is None:
        return True
    op = tensor.op
    if op.type == "ZerosLike":
        return True
    return op.type == "Const" and not np.any(op.attrs["value"])


def _fresh(x):
    """An uninitialised array shaped like ``x`` for a kernel to write its result into."""
    return np.empty_like(x)


# ---- elementwise activations -----------------------------------------------------------------
class _Activation(OpDef):
    """Elementwise y = f(features); output dtype = input dtype."""

    allowed = _FLOATS
    argument = "features"

    def infer(self, op):
        x = op.inputs[0]
        dtype = _check_dtype(op, x, self.argument, self.allowed)
        return [(x.shape, dtype)]

    def kernel(self, op, ctx):
        return self.compute


class _ActivationGrad(OpDef):
    """Elementwise gradient op of two same-shaped inputs (the op TF's gradient emits).
    Second-order gradients are not written: ``grad`` stays None (tf.gradients raises)."""

    allowed = _FLOATS
    argument_names = ("gradients", "features")

    def infer(self, op):
        dtype = _check_same_dtype(op, self.argument_names)
        _check_dtype(op, op.inputs[0], self.argument_names[0], self.allowed)
        return [(_merge_shapes(op, op.inputs[0].shape, op.inputs[1].shape), dtype)]

    def kernel(self, op, ctx):
        return self.compute


def _relu(x):
    return np.maximum(x, 0, out=_fresh(x))


@register_op
class Relu(_Activation):
    """y = max(x, 0); dy/dx = 1 where y > 0 (ReluGrad on the output, as TF)."""

    allowed = _REAL_NUMBERS
    compute = staticmethod(_relu)

    def grad(self, op, dy):
        return [make_tensor("ReluGrad", [dy, op.outputs[0]])]


def _relu_grad(dy, y):
    # TF multiplies by the mask (dy * (y > 0)): a NaN or inf gradient stays non-finite.
    return np.multiply(dy, y > 0)


@register_op
class ReluGrad(_ActivationGrad):
    """dx = dy * (features > 0): 0 where features <= 0 unless dy is NaN or inf (TF's
    product with the mask)."""

    allowed = _REAL_NUMBERS
    compute = staticmethod(_relu_grad)


def _relu6(x):
    out = np.maximum(x, 0, out=_fresh(x))
    return np.minimum(out, 6, out=out)


@register_op
class Relu6(_Activation):
    """y = min(max(x, 0), 6); dy/dx = 1 where 0 < y < 6 (Relu6Grad on the output)."""

    allowed = _REAL_NUMBERS
    compute = staticmethod(_relu6)

    def grad(self, op, dy):
        return [make_tensor("Relu6Grad", [dy, op.outputs[0]])]


def _relu6_grad(dy, features):
    return np.multiply(dy, (features > 0) & (features < 6))  # TF: dy times the mask


@register_op
class Relu6Grad(_ActivationGrad):
    allowed = _REAL_NUMBERS
    compute = staticmethod(_relu6_grad)


def _elu(x):
    # max(expm1(min(x, 0)), x) is x for x > 0 (expm1(0) = 0) and exp(x) - 1 otherwise
    # (e^x - 1 >= x): three passes, no mask, NaN stays NaN.
    out = np.minimum(x, 0, out=_fresh(x))
    np.expm1(out, out=out)
    return np.maximum(out, x, out=out)


@register_op
class Elu(_Activation):
    """y = x if x > 0 else exp(x) - 1; dy/dx = 1 if y > 0 else y + 1 (EluGrad on the output)."""

    compute = staticmethod(_elu)

    def grad(self, op, dy):
        return [make_tensor("EluGrad", [dy, op.outputs[0]])]


def _elu_grad(dy, y):
    # TF: y < 0 ? dy * (y + 1) : dy (a NaN output passes dy on).
    out = np.add(y, 1, out=_fresh(y))
    out *= dy
    np.copyto(out, dy, where=~(y < 0))
    return out


@register_op
class EluGrad(_ActivationGrad):
    argument_names = ("gradients", "outputs")
    compute = staticmethod(_elu_grad)


def _selu(x):
    out = np.minimum(x, 0, out=_fresh(x))
    np.expm1(out, out=out)
    out *= SELU_ALPHA
    out += np.maximum(x, 0)
    out *= SELU_SCALE
    return out


@register_op
class Selu(_Activation):
    """y = scale * (x if x > 0 else alpha * (exp(x) - 1)); SeluGrad on the output."""

    compute = staticmethod(_selu)

    def grad(self, op, dy):
        return [make_tensor("SeluGrad", [dy, op.outputs[0]])]


def _selu_grad(dy, y):
    # TF: y < 0 ? dy * (y + scale * alpha) : dy * scale (a NaN output gives dy * scale).
    out = np.add(y, SELU_SCALE * SELU_ALPHA, out=_fresh(y))
    np.copyto(out, SELU_SCALE, where=~(y < 0))
    out *= dy
    return out


@register_op
class SeluGrad(_ActivationGrad):
    argument_names = ("gradients", "outputs")
    compute = staticmethod(_selu_grad)


@register_op
class LeakyRelu(_Activation):
    """y = x if x > 0 else alpha * x (attr ``alpha``); LeakyReluGrad on the input."""

    def kernel(self, op, ctx):
        alpha = float(op.attrs["alpha"])
        # For alpha <= 1 the result is max(x, alpha x), for alpha > 1 min(x, alpha x).
        pick = np.maximum if alpha <= 1 else np.minimum

        def leaky_relu(x):
            out = np.multiply(x, alpha, out=_fresh(x))
            return pick(out, x, out=out)
        return leaky_relu

    def grad(self, op, dy):
        return [make_tensor("LeakyReluGrad", [dy, op.inputs[0]],
                            {"alpha": op.attrs["alpha"]})]


@register_op
class LeakyReluGrad(_ActivationGrad):

    def kernel(self, op, ctx):
        alpha = float(op.attrs["alpha"])

        def leaky_relu_grad(dy, x):
            out = np.multiply(dy, alpha, out=_fresh(dy))
            np.copyto(out, dy, where=x > 0)
            return out
        return leaky_relu_grad


def _softplus(x):
    # log(1 + exp(x)) = max(x, 0) + log1p(exp(-|x|)), which never overflows.
    out = np.abs(x, out=_fresh(x))
    np.negative(out, out=out)
    np.exp(out, out=out)
    np.log1p(out, out=out)
    out += np.maximum(x, 0)
    return out


@register_op
class Softplus(_Activation):
    """y = log(1 + exp(x)); dy/dx = sigmoid(x) (SoftplusGrad on the input)."""

    compute = staticmethod(_softplus)

    def grad(self, op, dy):
        return [make_tensor("SoftplusGrad", [dy, op.inputs[0]])]


def _softplus_grad(dy, x):
    out = np.negative(x, out=_fresh(x))
    np.exp(out, out=out)
    out += 1
    return np.divide(dy, out, out=out)


@register_op
class SoftplusGrad(_ActivationGrad):
    compute = staticmethod(_softplus_grad)


def _softsign(x):
    out = np.abs(x, out=_fresh(x))
    out += 1
    return np.divide(x, out, out=out)


@register_op
class Softsign(_Activation):
    """y = x / (1 + |x|); dy/dx = 1 / (1 + |x|)² (SoftsignGrad on the input)."""

    compute = staticmethod(_softsign)

    def grad(self, op, dy):
        return [make_tensor("SoftsignGrad", [dy, op.inputs[0]])]


def _softsign_grad(dy, x):
    out = np.abs(x, out=_fresh(x))
    out += 1
    np.square(out, out=out)
    return np.divide(dy, out, out=out)


@register_op
class SoftsignGrad(_ActivationGrad):
    compute = staticmethod(_softsign_grad)


def _sigmoid(x):
    out = np.negative(x, out=_fresh(x))
    np.exp(out, out=out)
    out += 1
    return np.divide(1, out, out=out)


@register_op
class Sigmoid(_Activation):
    """y = 1 / (1 + exp(-x)); dy/dx = y (1 - y) (SigmoidGrad(y, dy), as TF)."""

    allowed = _FLOATS_AND_COMPLEX
    argument = "x"
    compute = staticmethod(_sigmoid)

    def grad(self, op, dy):
        return [make_tensor("SigmoidGrad", [op.outputs[0], dy])]


def _sigmoid_grad(y, dy):
    # TF's order: (dy * y) * (1 - y).
    out = np.multiply(dy, y, out=_fresh(y))
    out *= np.subtract(1, y)
    return out


@register_op
class SigmoidGrad(_ActivationGrad):
    allowed = _FLOATS_AND_COMPLEX
    argument_names = ("y", "dy")
    compute = staticmethod(_sigmoid_grad)


def _tanh(x):
    return np.tanh(x, out=_fresh(x))


@register_op
class Tanh(_Activation):
    """y = tanh x; dy/dx = 1 - y² (TanhGrad(y, dy), as TF)."""

    allowed = _FLOATS_AND_COMPLEX
    argument = "x"
    compute = staticmethod(_tanh)

    def grad(self, op, dy):
        return [make_tensor("TanhGrad", [op.outputs[0], dy])]


def _tanh_grad(y, dy):
    # TF's order: dy * (1 - y * y).
    out = np.multiply(y, y, out=_fresh(y))
    np.subtract(1, out, out=out)
    return np.multiply(dy, out, out=out)


@register_op
class TanhGrad(_ActivationGrad):
    allowed = _FLOATS_AND_COMPLEX
    argument_names = ("y", "dy")
    compute = staticmethod(_tanh_grad)


def _activation_builder(op_type, argument="features"):
    def builder(features, name=None):
        return make_tensor(op_type, [ops.convert_to_tensor(features)], name=name or op_type)
    builder.__name__ = builder.__qualname__ = op_type.lower()
    builder.__doc__ = f"``tf.nn.{op_type.lower()}({argument}, name=None)``: elementwise {op_type}."
    return builder


relu = _activation_builder("Relu")
relu6 = _activation_builder("Relu6")
elu = _activation_builder("Elu")
selu = _activation_builder("Selu")
softplus = _activation_builder("Softplus")
softsign = _activation_builder("Softsign")


def sigmoid(x, name=None):
    """``tf.sigmoid`` / ``tf.nn.sigmoid``: 1 / (1 + exp(-x))."""
    with ops.name_scope(name, "Sigmoid", [x]) as scope:
        x = ops.convert_to_tensor(x, name="x")
        return make_tensor("Sigmoid", [x], name=scope)


def tanh(x, name=None):
    """``tf.tanh`` / ``tf.nn.tanh``."""
    with ops.name_scope(name, "Tanh", [x]) as scope:
        x = ops.convert_to_tensor(x, name="x")
        return make_tensor("Tanh", [x], name=scope)


def leaky_relu(features, alpha=0.2, name=None):
    """``tf.nn.leaky_relu(features, alpha=0.2, name=None)``: integer features are cast to
    float32 first, as TF does."""
    with ops.name_scope(name, "LeakyRelu", [features, alpha]) as scope:
        features = ops.convert_to_tensor(features, name="features")
        if features.dtype.is_integer:
            features = math_ops.cast(features, dtypes.float32)
        if isinstance(alpha, np.ndarray):
            alpha = alpha.item()
        if isinstance(alpha, ops.Tensor):
            raise TypeError("tfcompat: leaky_relu needs a Python number for alpha (an op attr)")
        return make_tensor("LeakyRelu", [features], {"alpha": float(alpha)}, name=scope)


# ---- softmax ---------------------------------------------------------------------------------
class _SoftmaxBase(OpDef):
    def infer(self, op):
        x = op.inputs[0]
        dtype = _check_dtype(op, x, "logits", _FLOATS)
        _with_rank_at_least(op, x.shape, 1)
        return [(x.shape, dtype)]


def _softmax_kernel(x):
    if x.size == 0:
        return np.empty_like(x)
    out = np.subtract(x, x.max(axis=-1, keepdims=True), out=_fresh(x))
    np.exp(out, out=out)
    out /= out.sum(axis=-1, keepdims=True)
    return out


@register_op
class Softmax(_SoftmaxBase):
    """softmax over the last axis, computed as exp(x - max) / sum (never overflows).
    Gradient: (dy - sum(dy * y, -1)) * y."""

    def kernel(self, op, ctx):
        return _softmax_kernel

    def grad(self, op, dy):
        y = op.outputs[0]
        sum_channels = math_ops.reduce_sum(dy * y, -1, keepdims=True)
        return [(dy - sum_channels) * y]


def _log_softmax_kernel(x):
    if x.size == 0:
        return np.empty_like(x)
    out = np.subtract(x, x.max(axis=-1, keepdims=True), out=_fresh(x))
    log_sum = np.log(np.exp(out).sum(axis=-1, keepdims=True))
    out -= log_sum
    return out


@register_op
class LogSoftmax(_SoftmaxBase):
    """log softmax over the last axis: (x - max) - log(sum(exp(x - max))).
    Gradient: dy - sum(dy, -1) * exp(y)."""

    def kernel(self, op, ctx):
        return _log_softmax_kernel

    def grad(self, op, dy):
        softmax_value = math_ops.exp(op.outputs[0])
        return [dy - math_ops.reduce_sum(dy, -1, keepdims=True) * softmax_value]


def _softmax_along(op_type, logits, axis, name):
    """TF's ``_softmax``: the op works on the last axis; another axis is swapped to the end
    and back (the second transpose takes ``name``)."""
    logits = ops.convert_to_tensor(logits)
    if axis is None:
        axis = -1
    rank = logits.shape.ndims
    if axis == -1 or (rank is not None and axis == rank - 1):
        return make_tensor(op_type, [logits], name=name or op_type)
    if isinstance(axis, ops.Tensor):
        raise TypeError("tfcompat: the softmax axis must be a Python int")
    if rank is None:
        raise ValueError("tfcompat: softmax along an axis other than the last needs a known "
                         "rank")
    if not -rank <= axis < rank:
        raise errors.InvalidArgumentError(
            None, None, f"Dimension ({axis}) must be in the range [{-rank}, {rank}) where {rank} "
            "is the number of dimensions in the input.")
    axis %= rank
    perm = list(range(rank))
    perm[axis], perm[-1] = perm[-1], perm[axis]
    swapped = array_ops.transpose(logits, perm)
    output = make_tensor(op_type, [swapped], name=op_type)
    output = array_ops.transpose(output, perm, name=name or "transpose")
    output.set_shape(logits.shape)
    return output


def softmax(logits, axis=None, name=None, dim=None):
    """``tf.nn.softmax(logits, axis=None, name=None, dim=None)``."""
    if dim is not None:
        if axis is not None:
            raise ValueError("Cannot specify both 'axis' and 'dim'")
        axis = dim
    return _softmax_along("Softmax", logits, axis, name)


def log_softmax(logits, axis=None, name=None, dim=None):
    """``tf.nn.log_softmax(logits, axis=None, name=None, dim=None)``."""
    if dim is not None:
        if axis is not None:
            raise ValueError("Cannot specify both 'axis' and 'dim'")
        axis = dim
    return _softmax_along("LogSoftmax", logits, axis, name)


# ---- bias add --------------------------------------------------------------------------------
def _channel_axis(data_format, rank):
    return 1 if data_format == "NCHW" else rank - 1


@register_op
class BiasAdd(OpDef):
    """value + bias along the channel dimension (last for NHWC, 1 for NCHW); the gradient is
    dy for value and BiasAddGrad(dy) (dy summed over all other axes) for bias."""

    def infer(self, op):
        value, bias = op.inputs
        dtype = _check_same_dtype(op, ("value", "bias"))
        data_format = op.attrs["data_format"]
        _with_rank_at_least(op, value.shape, 3 if data_format == "NCHW" else 2)
        bias_shape = _with_rank(op, bias.shape, 1)
        if value.shape.ndims is None:
            return [(tensor_shape.unknown_shape(), dtype)]
        dims = list(value.shape.dims)
        axis = _channel_axis(data_format, len(dims))
        dims[axis] = _merge_dims(op, dims[axis], bias_shape[0])
        return [(tensor_shape.TensorShape(dims), dtype)]

    def kernel(self, op, ctx):
        nchw = op.attrs["data_format"] == "NCHW"
        where = "channel" if nchw else "last"

        def bias_add(value, bias):
            if bias.ndim != 1:
                raise errors.InvalidArgumentError(
                    None, op, f"Biases must be 1D: {list(bias.shape)}\n\t [[node {op.name}]]")
            axis = _channel_axis("NCHW" if nchw else "NHWC", value.ndim)
            if value.ndim < 2 or value.shape[axis] != bias.shape[0]:
                raise errors.InvalidArgumentError(
                    None, op, f"Must provide as many biases as the {where} dimension of the "
                    f"input tensor: {list(bias.shape)} vs. {list(value.shape)}\n\t "
                    f"[[node {op.name}]]")
            if nchw:
                bias = bias.reshape((-1,) + (1,) * (value.ndim - 2))
            return np.add(value, bias)
        return bias_add

    def grad(self, op, dy):
        return [dy, make_tensor("BiasAddGrad", [dy],
                                {"data_format": op.attrs["data_format"]})]


@register_op
class BiasAddGrad(OpDef):
    """Sums ``out_backprop`` over every axis but the channel one (bias_add's bias gradient)."""

    def infer(self, op):
        dy = op.inputs[0]
        dtype = dy.dtype.base_dtype
        data_format = op.attrs["data_format"]
        _with_rank_at_least(op, dy.shape, 3 if data_format == "NCHW" else 2)
        if dy.shape.ndims is None:
            return [(tensor_shape.unknown_shape(1), dtype)]
        axis = _channel_axis(data_format, dy.shape.ndims)
        return [(tensor_shape.TensorShape([dy.shape[axis]]), dtype)]

    def kernel(self, op, ctx):
        nchw = op.attrs["data_format"] == "NCHW"

        def bias_add_grad(dy):
            axis = _channel_axis("NCHW" if nchw else "NHWC", dy.ndim)
            return np.asarray(dy.sum(axis=tuple(i for i in range(dy.ndim) if i != axis)),
                              dtype=dy.dtype)
        return bias_add_grad


def bias_add(value, bias, data_format=None, name=None):
    """``tf.nn.bias_add(value, bias, data_format=None, name=None)``: bias is 1-D and matches
    the last dimension of value (its dimension 1 for "NCHW")."""
    if data_format is None:
        data_format = "NHWC"
    if data_format not in ("NHWC", "NCHW"):
        raise ValueError(f"tfcompat: bias_add data_format must be 'NHWC' or 'NCHW', got "
                         f"{data_format!r}")
    with ops.name_scope(name, "BiasAdd", [value, bias]) as scope:
        value = ops.convert_to_tensor(value, name="input")
        bias = ops.convert_to_tensor(bias, dtype=value.dtype.base_dtype, name="bias")
        return make_tensor("BiasAdd", [value, bias], {"data_format": data_format}, name=scope)


# ---- cross-entropy ---------------------------------------------------------------------------
def _shifted(logits):
    """logits - row max, in a fresh array the cross-entropy kernels then reuse for exp."""
    return np.subtract(logits, logits.max(axis=1, keepdims=True), out=_fresh(logits))


@register_op
class SoftmaxCrossEntropyWithLogits(OpDef):
    """Inputs features [batch, classes], labels [batch, classes] (a distribution per row).
    Outputs loss[i] = -sum_j labels[i, j] log softmax(features)[i, j] and
    backprop = softmax(features) - labels, which the gradient reuses."""

    def infer(self, op):
        features, labels = op.inputs
        dtype = _check_same_dtype(op, ("features", "labels"))
        _check_dtype(op, features, "features", _FLOATS)
        shape = _merge_shapes(op, _with_rank(op, features.shape, 2),
                              _with_rank(op, labels.shape, 2))
        return [(tensor_shape.TensorShape([shape[0]]), dtype), (shape, dtype)]

    def kernel(self, op, ctx):
        def softmax_xent(features, labels):
            if features.shape != labels.shape:
                raise errors.InvalidArgumentError(
                    None, op, f"logits and labels must be same size: logits_size="
                    f"[{','.join(map(str, features.shape))}] labels_size="
                    f"[{','.join(map(str, labels.shape))}]\n\t [[node {op.name}]]")
            if features.shape[1] == 0:
                return (np.zeros(features.shape[0], features.dtype),
                        np.empty_like(features))
            # loss = sum(labels * (log(sum(exp(s))) - s)) with s = logits - max; one array.
            shifted = _shifted(features)
            weighted = np.einsum("ij,ij->i", labels, shifted)
            label_sums = labels.sum(axis=1)
            probs = np.exp(shifted, out=shifted)
            sums = probs.sum(axis=1, keepdims=True)
            loss = np.log(sums[:, 0])
            loss *= label_sums
            loss -= weighted
            probs /= sums
            probs -= labels
            return loss.astype(features.dtype, copy=False), probs
        return softmax_xent

    def grad(self, op, grad_loss, grad_grad):
        logits = op.inputs[0]
        backprop = op.outputs[1]
        d_logits = array_ops.expand_dims(grad_loss, -1) * backprop
        if not _is_zeros(grad_grad):
            # Second order through the backprop output (TF's formula).
            probs = make_tensor("Softmax", [logits])
            d_logits = d_logits + (grad_grad - math_ops.reduce_sum(
                grad_grad * probs, -1, keepdims=True)) * probs
        d_labels = array_ops.expand_dims(grad_loss, -1) * math_ops.negative(
            make_tensor("LogSoftmax", [logits]))
        return [d_logits, d_labels]


@register_op
class SparseSoftmaxCrossEntropyWithLogits(OpDef):
    """Inputs features [batch, classes], labels [batch] (int32/int64 class ids in
    [0, classes)). Outputs loss[i] = logsumexp(features[i]) - features[i, labels[i]] and
    backprop = softmax(features) - onehot(labels), which the gradient reuses."""

    shape_determining_inputs = ()  # label values never change the shape

    def infer(self, op):
        features, labels = op.inputs
        dtype = _check_dtype(op, features, "features", _FLOATS)
        _check_dtype(op, labels, "labels", _LABEL_TYPES)
        f_shape = _with_rank(op, features.shape, 2)
        l_shape = _with_rank(op, labels.shape, 1)
        batch = _merge_dims(op, f_shape[0], l_shape[0])
        return [(tensor_shape.TensorShape([batch]), dtype),
                (tensor_shape.TensorShape([batch, f_shape[1]]), dtype)]

    def kernel(self, op, ctx):
        def sparse_softmax_xent(features, labels):
            rows, classes = features.shape
            if labels.shape != (rows,):
                raise errors.InvalidArgumentError(
                    None, op, "logits and labels must have the same first dimension, got "
                    f"logits shape [{rows},{classes}] and labels shape [{labels.shape[0]}]"
                    f"\n\t [[node {op.name}]]")
            bad = (labels < 0) | (labels >= classes)
            if bad.any():
                value = int(labels[np.argmax(bad)])
                raise errors.InvalidArgumentError(
                    None, op, f"Received a label value of {value} which is outside the valid "
                    f"range of [0, {classes}).  Label values: "
                    f"{' '.join(str(int(v)) for v in labels)}\n\t [[node {op.name}]]")
            if rows == 0:
                return np.zeros(0, features.dtype), np.empty_like(features)
            # loss = log(sum(exp(s))) - s[label] with s = logits - max; one array.
            index = np.arange(rows)
            shifted = _shifted(features)
            picked = shifted[index, labels]
            probs = np.exp(shifted, out=shifted)
            sums = probs.sum(axis=1, keepdims=True)
            loss = np.log(sums[:, 0])
            loss -= picked
            probs /= sums
            probs[index, labels] -= 1
            return loss.astype(features.dtype, copy=False), probs
        return sparse_softmax_xent

    def grad(self, op, grad_loss, grad_grad):
        if not _is_zeros(grad_grad):
            raise LookupError(
                "Currently there is no way to take the second derivative of "
                "sparse_softmax_cross_entropy_with_logits due to the fused implementation's "
                "interaction with tf.gradients()")
        return [array_ops.expand_dims(grad_loss, -1) * op.outputs[1], None]


def _ensure_xent_args(name, sentinel, labels, logits):
    if sentinel is not None:
        raise ValueError(f"Only call `{name}` with named arguments (labels=..., logits=..., ...)")
    if labels is None or logits is None:
        raise ValueError("Both labels and logits must be provided.")


def sparse_softmax_cross_entropy_with_logits(_sentinel=None, labels=None, logits=None,
                                             name=None):
    """``tf.nn.sparse_softmax_cross_entropy_with_logits(labels=..., logits=..., name=None)``:
    labels hold class ids (int32/int64) and have the rank of logits minus one; logits of
    rank > 2 are flattened to 2-D around the fused op. Returns the per-example loss."""
    _ensure_xent_args("sparse_softmax_cross_entropy_with_logits", _sentinel, labels, logits)
    with ops.name_scope(name, "SparseSoftmaxCrossEntropyWithLogits", [labels, logits]):
        labels = ops.convert_to_tensor(labels)
        logits = ops.convert_to_tensor(logits)
        precise_logits = (math_ops.cast(logits, dtypes.float32)
                          if logits.dtype.base_dtype == dtypes.float16 else logits)
        labels_shape = labels.shape
        logits_shape = logits.shape
        if logits_shape.ndims == 0:
            raise ValueError(f"Logits cannot be scalars - received shape {logits_shape}.")
        if (logits_shape.ndims is not None and labels_shape.ndims is not None
                and labels_shape.ndims != logits_shape.ndims - 1):
            raise ValueError(f"Rank mismatch: Rank of labels (received {labels_shape.ndims}) "
                             "should equal rank of logits minus 1 (received "
                             f"{logits_shape.ndims}).")
        if (labels_shape.is_fully_defined() and logits_shape.ndims is not None
                and logits_shape[:-1].is_fully_defined()
                and labels_shape.as_list() != logits_shape[:-1].as_list()):
            raise ValueError(f"Shape mismatch: The shape of labels (received {labels_shape}) "
                             "should equal the shape of logits except for the last dimension "
                             f"(received {logits_shape}).")
        op_name = name or "SparseSoftmaxCrossEntropyWithLogits"
        if logits_shape.ndims == 2:
            cost = make_op("SparseSoftmaxCrossEntropyWithLogits", [precise_logits, labels],
                           name=op_name).outputs[0]
        else:
            classes = (logits_shape[-1].value if logits_shape.ndims is not None else None)
            if classes is None:
                classes = array_ops.gather(array_ops.shape(logits), array_ops.rank(logits) - 1)
                flat_shape = array_ops.stack([-1, classes])
            else:
                flat_shape = [-1, classes]
            flat_logits = array_ops.reshape(precise_logits, flat_shape)
            flat_labels = array_ops.reshape(labels, [-1])
            cost = make_op("SparseSoftmaxCrossEntropyWithLogits", [flat_logits, flat_labels],
                           name=op_name).outputs[0]
            cost = array_ops.reshape(cost, array_ops.shape(labels))
            cost.set_shape(labels_shape)
        if logits.dtype.base_dtype == dtypes.float16:
            cost = math_ops.cast(cost, dtypes.float16)
        return cost


def softmax_cross_entropy_with_logits_v2(labels, logits, axis=None, name=None, dim=None):
    """``tf.nn.softmax_cross_entropy_with_logits_v2(labels, logits, axis=None, name=None,
    dim=None)``: gradients flow into labels too. ``axis`` (default -1) is the class axis;
    inputs of rank != 2 are transposed/flattened around the fused 2-D op."""
    if dim is not None:
        if axis is not None:
            raise ValueError("Cannot specify both 'axis' and 'dim'")
        axis = dim
    if axis is None:
        axis = -1
    with ops.name_scope(name, "softmax_cross_entropy_with_logits", [logits, labels]) as scope:
        logits = ops.convert_to_tensor(logits, name="logits")
        labels = ops.convert_to_tensor(labels, name="labels")
        low_precision = logits.dtype.base_dtype in (dtypes.float16, dtypes.bfloat16)
        precise_logits = math_ops.cast(logits, dtypes.float32) if low_precision else logits
        labels = math_ops.cast(labels, precise_logits.dtype.base_dtype)
        shape = logits.shape
        rank = shape.ndims
        if rank is None:
            raise ValueError("tfcompat: softmax_cross_entropy_with_logits needs logits of known "
                             "rank")
        if not -rank <= axis < rank:
            raise ValueError(f"axis {axis} is out of range for logits of rank {rank}")
        axis %= rank
        if rank == 2 and axis == 1:
            cost = make_op("SoftmaxCrossEntropyWithLogits", [precise_logits, labels],
                           name=scope).outputs[0]
        else:
            if axis != rank - 1:
                perm = [i for i in range(rank) if i != axis] + [axis]
                precise_logits = array_ops.transpose(precise_logits, perm)
                labels = array_ops.transpose(labels, perm)
            moved = precise_logits.shape.as_list()
            outer_shape = moved[:-1]
            classes = moved[-1]
            flat_shape = [-1, classes if classes is not None else -1]
            if classes is None and rank != 1:
                flat_shape = array_ops.stack(
                    [-1, array_ops.gather(array_ops.shape(precise_logits), rank - 1)])
            if rank == 1:
                flat_shape = [1, -1]
            input_shape = array_ops.shape(precise_logits)
            flat_logits = array_ops.reshape(precise_logits, flat_shape)
            flat_labels = array_ops.reshape(labels, flat_shape)
            cost = make_op("SoftmaxCrossEntropyWithLogits", [flat_logits, flat_labels],
                           name=scope).outputs[0]
            if None in outer_shape:
                out_shape = array_ops.slice(input_shape, [0], [rank - 1])
            else:
                out_shape = outer_shape
            cost = array_ops.reshape(cost, out_shape)
            dims = shape.as_list()
            del dims[axis]
            cost.set_shape(dims)
        if low_precision:
            cost = math_ops.cast(cost, logits.dtype.base_dtype)
        return cost


def softmax_cross_entropy_with_logits(_sentinel=None, labels=None, logits=None, dim=-1,
                                      name=None, axis=None):
    """``tf.nn.softmax_cross_entropy_with_logits`` (TF1, deprecated there): like the _v2
    function but no gradient flows into ``labels``."""
    _ensure_xent_args("softmax_cross_entropy_with_logits", _sentinel, labels, logits)
    if axis is None:
        axis = dim
    elif dim not in (-1, None) and dim != axis:
        raise ValueError("Cannot specify both 'axis' and 'dim'")
    with ops.name_scope(name, "softmax_cross_entropy_with_logits_sg",
                        [logits, labels]) as scope:
        labels = array_ops.stop_gradient(labels, name="labels_stop_gradient")
    return softmax_cross_entropy_with_logits_v2(labels=labels, logits=logits, axis=axis,
                                                name=scope)


# ---- L2 loss ---------------------------------------------------------------------------------
@register_op
class L2Loss(OpDef):
    """sum(t²) / 2 as a scalar (``tf.nn.l2_loss``); gradient t * dy."""

    def infer(self, op):
        t = op.inputs[0]
        return [(tensor_shape.scalar(), _check_dtype(op, t, "t", _FLOATS))]

    def kernel(self, op, ctx):
        def l2_loss(t):
            flat = t.reshape(-1)
            return np.asarray(np.dot(flat, flat) * 0.5, dtype=t.dtype)
        return l2_loss

    def grad(self, op, dy):
        return [op.inputs[0] * dy]


def l2_loss(t, name=None):
    """``tf.nn.l2_loss(t, name=None)``: sum(t ** 2) / 2."""
    return make_tensor("L2Loss", [ops.convert_to_tensor(t)], name=name or "L2Loss")


# Top-level aliases TF has (tf.sigmoid, tf.tanh); the rest is tf.nn (tfcompat/nn.py).
__all__ = [
    "sigmoid",
    "tanh",
]

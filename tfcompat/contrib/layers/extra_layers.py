"""More of TF 1.15's ``tf.contrib.layers`` (``contrib/layers/python/layers/layers.py`` and
``encoders.py``): ``layer_norm``, ``instance_norm``, ``bias_add``, ``unit_norm``,
``embed_sequence``, ``embedding_lookup_unique``, ``dense_to_sparse`` and ``maxout``, with
TF's scopes and variable names (``LayerNorm/beta``, ``LayerNorm/gamma``, ``BiasAdd/biases``,
``EmbedSequence/embeddings``).
``repeat``, ``stack``, ``one_hot_encoding`` and ``softmax`` come from h-slim's
``composite.py``."""
from tfcompat import nn
from tfcompat.contrib.framework.arg_scope import add_arg_scope
from tfcompat.contrib.framework.variables import model_variable
from tfcompat.contrib.layers.layers import collect_named_outputs, get_variable_collections
from tfcompat.framework import dtypes, ops
from tfcompat.ops import variable_scope as vs
from tfcompat.ops import array_ops, array_ops_extra, init_ops, math_ops, sparse_tensor


@add_arg_scope
def layer_norm(inputs, center=True, scale=True, activation_fn=None, reuse=None,
               variables_collections=None, outputs_collections=None, trainable=True,
               begin_norm_axis=1, begin_params_axis=-1, scope=None):
    """Normalises over axes [begin_norm_axis, rank) with ``nn.moments`` and
    ``nn.batch_normalization`` (epsilon 1e-12, 1e-3 for float16), with learned ``beta``
    and ``gamma`` of shape inputs.shape[begin_params_axis:]."""
    with vs.variable_scope(scope, "LayerNorm", [inputs], reuse=reuse) as sc:
        inputs = ops.convert_to_tensor(inputs)
        inputs_shape = inputs.shape
        inputs_rank = inputs_shape.ndims
        if inputs_rank is None:
            raise ValueError(f"Inputs {inputs.name} has undefined rank.")
        dtype = inputs.dtype.base_dtype
        if begin_norm_axis < 0:
            begin_norm_axis = inputs_rank + begin_norm_axis
        if begin_params_axis >= inputs_rank or begin_norm_axis >= inputs_rank:
            raise ValueError(f"begin_params_axis ({begin_params_axis}) and begin_norm_axis "
                             f"({begin_norm_axis}) must be < rank(inputs) ({inputs_rank})")
        params_shape = inputs_shape[begin_params_axis:]
        if not params_shape.is_fully_defined():
            raise ValueError(f"Inputs {inputs.name}: shape(inputs)[{begin_params_axis}:] is "
                             f"not fully defined: {inputs_shape}")
        beta = gamma = None
        if center:
            beta = model_variable(
                "beta", shape=params_shape, dtype=dtype,
                initializer=init_ops.zeros_initializer(), trainable=trainable,
                collections=get_variable_collections(variables_collections, "beta"))
        if scale:
            gamma = model_variable(
                "gamma", shape=params_shape, dtype=dtype,
                initializer=init_ops.ones_initializer(), trainable=trainable,
                collections=get_variable_collections(variables_collections, "gamma"))
        mean, variance = nn.moments(inputs, list(range(begin_norm_axis, inputs_rank)),
                                    keep_dims=True)
        variance_epsilon = 1e-12 if dtype != dtypes.float16 else 1e-3
        outputs = nn.batch_normalization(inputs, mean, variance, offset=beta, scale=gamma,
                                         variance_epsilon=variance_epsilon)
        outputs.set_shape(inputs_shape)
        if activation_fn is not None:
            outputs = activation_fn(outputs)
        return collect_named_outputs(outputs_collections, sc.name, outputs)


def _norm_parameter(name, shape, dtype, initializer, collections, trainable):
    return model_variable(name, shape=shape, dtype=dtype, initializer=initializer,
                          collections=collections, trainable=trainable)


@add_arg_scope
def instance_norm(inputs, center=True, scale=True, epsilon=1e-6, activation_fn=None,
                  param_initializers=None, reuse=None, variables_collections=None,
                  outputs_collections=None, trainable=True, data_format="NHWC", scope=None):
    """Normalises each example and channel over the spatial axes (``nn.moments`` over all
    axes but the batch and channel ones), with learned per-channel ``beta``/``gamma``
    (``InstanceNorm/beta``, ``InstanceNorm/gamma``)."""
    inputs = ops.convert_to_tensor(inputs)
    inputs_shape = inputs.shape
    inputs_rank = inputs_shape.ndims
    if inputs_rank is None:
        raise ValueError(f"Inputs {inputs.name} has undefined rank.")
    if data_format not in ("NCHW", "NHWC"):
        raise ValueError("data_format has to be either NCHW or NHWC.")
    with vs.variable_scope(scope, "InstanceNorm", [inputs], reuse=reuse) as sc:
        reduction_axis = 1 if data_format == "NCHW" else inputs_rank - 1
        broadcast_shape = None
        if data_format == "NCHW":
            broadcast_shape = [1, inputs_shape[1].value] + [1] * (inputs_rank - 2)
        moments_axes = [axis for axis in range(1, inputs_rank) if axis != reduction_axis]
        params_shape = inputs_shape[reduction_axis:reduction_axis + 1]
        if not params_shape.is_fully_defined():
            raise ValueError(f"Inputs {inputs.name} has undefined channels dimension "
                             f"{params_shape}.")
        dtype = inputs.dtype.base_dtype
        param_initializers = param_initializers or {}
        beta = gamma = None
        if center:
            beta = _norm_parameter(
                "beta", params_shape, dtype,
                param_initializers.get("beta", init_ops.zeros_initializer()),
                get_variable_collections(variables_collections, "beta"), trainable)
        if scale:
            gamma = _norm_parameter(
                "gamma", params_shape, dtype,
                param_initializers.get("gamma", init_ops.ones_initializer()),
                get_variable_collections(variables_collections, "gamma"), trainable)
        if broadcast_shape:
            beta, gamma = (None if p is None else array_ops.reshape(p, broadcast_shape)
                           for p in (beta, gamma))
        mean, variance = nn.moments(inputs, moments_axes, keep_dims=True)
        outputs = nn.batch_normalization(inputs, mean, variance, beta, gamma, epsilon,
                                         name="instancenorm")
        if activation_fn is not None:
            outputs = activation_fn(outputs)
        return collect_named_outputs(outputs_collections, sc.original_name_scope, outputs)


#: bias_add's default initializer (TF's ``init_ops.zeros_initializer()`` default).
_ZEROS_INITIALIZER = init_ops.zeros_initializer()


@add_arg_scope
def bias_add(inputs, activation_fn=None, initializer=_ZEROS_INITIALIZER,
             regularizer=None, reuse=None, variables_collections=None,
             outputs_collections=None, trainable=True, data_format="NHWC", scope=None):
    """``inputs`` plus a learned ``biases`` vector over the channel axis (the last, or the
    second with ``data_format="NCHW"``), then ``activation_fn``."""
    if data_format not in ("NCHW", "NHWC"):
        raise ValueError("data_format has to be either NCHW or NHWC.")
    with vs.variable_scope(scope, "BiasAdd", [inputs], reuse=reuse) as sc:
        inputs = ops.convert_to_tensor(inputs)
        rank = inputs.shape.ndims
        if rank is None:
            raise ValueError("Dims of shape must be known but is None")
        if rank != 4 and data_format == "NCHW":
            raise ValueError("Data format NCHW only supports 4D Tensor")
        num_features = inputs.shape[1 if data_format == "NCHW" else -1].value
        if num_features is None:
            raise ValueError("`C` dimension must be known but is None")
        biases = model_variable(
            "biases", shape=[num_features], dtype=inputs.dtype.base_dtype,
            initializer=initializer, regularizer=regularizer, trainable=trainable,
            collections=get_variable_collections(variables_collections, "biases"))
        outputs = nn.bias_add(inputs, biases, data_format=data_format)
        if activation_fn is not None:
            outputs = activation_fn(outputs)
        return collect_named_outputs(outputs_collections, sc.name, outputs)


def unit_norm(inputs, dim, epsilon=1e-7, scope=None):
    """``inputs`` divided by sqrt(epsilon + the sum of squares along ``dim``)."""
    with vs.variable_scope(scope, "UnitNorm", [inputs]):
        inputs = ops.convert_to_tensor(inputs)
        if inputs.shape.ndims is None:
            raise ValueError("The input rank must be known.")
        input_rank = inputs.shape.ndims
        if dim < 0 or dim >= input_rank:
            raise ValueError("dim must be positive but smaller than the input rank.")
        lengths = math_ops.sqrt(epsilon + math_ops.reduce_sum(math_ops.square(inputs), dim,
                                                              True))
        multiples = []
        if dim > 0:
            multiples.append(array_ops.ones([dim], dtypes.int32))
        multiples.append(array_ops.strided_slice(array_ops.shape(inputs), [dim], [dim + 1]))
        if dim < input_rank - 1:
            multiples.append(array_ops.ones([input_rank - 1 - dim], dtypes.int32))
        return math_ops.div(inputs, array_ops.tile(lengths, array_ops.concat(multiples, 0)))


def embed_sequence(ids, vocab_size=None, embed_dim=None, unique=False, initializer=None,
                   regularizer=None, trainable=True, scope=None, reuse=None):
    """Looks ``ids`` [batch, doc_length] up in a [vocab_size, embed_dim] model variable
    ``EmbedSequence/embeddings`` -> [batch, doc_length, embed_dim]."""
    if not (reuse or (vocab_size and embed_dim)):
        raise ValueError("Must specify vocab size and embedding dimension when not reusing. "
                         f"Got vocab_size={vocab_size} and embed_dim={embed_dim}")
    with vs.variable_scope(scope, "EmbedSequence", [ids], reuse=reuse):
        shape = [vocab_size, embed_dim] if not reuse else None
        embeddings = model_variable("embeddings", shape=shape, initializer=initializer,
                                    regularizer=regularizer, trainable=trainable)
        if unique:
            return embedding_lookup_unique(embeddings, ids)
        return nn.embedding_lookup(embeddings, ids)


def embedding_lookup_unique(params, ids, partition_strategy="mod", name=None):
    """``embedding_lookup`` of the distinct ids only, gathered back to ``ids``' shape (ids
    of any rank)."""
    with ops.name_scope(name, "EmbeddingLookupUnique", [params, ids]):
        ids = ops.convert_to_tensor(ids)
        shape = array_ops.shape(ids)
        ids_flat = array_ops.reshape(ids, math_ops.reduce_prod(shape, keepdims=True))
        unique_ids, idx = array_ops_extra.unique(ids_flat)
        unique_embeddings = nn.embedding_lookup(params, unique_ids, partition_strategy)
        embeds_flat = array_ops.gather(unique_embeddings, idx)
        embed_shape = array_ops.concat([shape, array_ops.shape(unique_embeddings)[1:]], 0)
        embeds = array_ops.reshape(embeds_flat, embed_shape)
        embeds.set_shape(ids.shape.concatenate(unique_embeddings.shape[1:]))
        return embeds


def dense_to_sparse(tensor, eos_token=0, outputs_collections=None, scope=None):
    """A SparseTensor of the entries of ``tensor`` that differ from ``eos_token`` (int64
    indices and dense_shape), e.g. padded labels for ``ctc_loss``."""
    with vs.variable_scope(scope, "dense_to_sparse", [tensor]) as sc:
        tensor = ops.convert_to_tensor(tensor)
        indices = math_ops.where(math_ops.not_equal(
            tensor, array_ops.constant(eos_token, tensor.dtype)))
        values = array_ops.gather_nd(tensor, indices)
        shape = array_ops.shape(tensor, out_type=dtypes.int64)
        outputs = sparse_tensor.SparseTensor(indices, values, shape)
        return collect_named_outputs(outputs_collections, sc.name, outputs)


def maxout(inputs, num_units, axis=-1, scope=None):
    """The maximum over groups of ``channels // num_units`` consecutive features along
    ``axis`` (TF reshapes to shape[axis] = num_units with the group as a new last axis)."""
    with vs.variable_scope(scope, "MaxOut", [inputs]):
        inputs = ops.convert_to_tensor(inputs)
        shape = inputs.shape.as_list()
        num_channels = shape[axis]
        if num_channels % num_units:
            raise ValueError(f"number of features({num_channels}) is not a multiple of "
                             f"num_units({num_units})")
        shape[axis] = num_units
        shape += [num_channels // num_units]
        dynamic = array_ops.shape(inputs)
        shape = [dim if dim is not None else dynamic[i] for i, dim in enumerate(shape)]
        if not all(isinstance(dim, int) for dim in shape):
            shape = array_ops.stack(shape)
        return math_ops.reduce_max(array_ops.reshape(inputs, shape), -1, keepdims=False)

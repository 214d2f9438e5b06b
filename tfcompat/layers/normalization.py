"""``tf.layers.BatchNormalization`` and ``tf.layers.batch_normalization`` with TF 1.15's
semantics (the V1 Keras BatchNormalization under the legacy layer base).

- Variables, created in this order: ``gamma`` (if scale), ``beta`` (if center), both
  trainable; ``moving_mean`` and ``moving_variance``, global and not trainable.
- Training: normalise with the batch moments of ``tf.nn.moments`` (biased variance), so
  gradients flow through the batch statistics. Inference: the moving statistics.
- ``training`` is a Python bool or a scalar bool tensor (``tf.placeholder_with_default``).
  With a tensor, the statistics are selected with ``tf.cond`` and each moving-average update
  is a ``tf.cond`` whose true branch assigns and whose false branch returns the variable
  (TF 1.15's non-fused path), so feeding False leaves the moving averages untouched.
- Updates: ``variable -= (variable - value) * (1 - momentum)``, an AssignSub named like TF
  ("batch_normalization/AssignMovingAvg", "..._1"), collected in ``GraphKeys.UPDATE_OPS``;
  they run only when fetched (or made control dependencies of the train op).
- ``fused``: TF 1.15 uses its fused kernel only for 4-D inputs with axis 1 or 3 (fused=None
  or True). tfcompat computes the same math with ordinary ops but keeps the fused kernel's
  observable differences there: the moving variance is updated with the *unbiased* batch
  variance (Bessel's correction), epsilon is at least 1.001e-5, and with a tensor
  ``training`` the update's decay becomes 0 when not training instead of a tf.cond.
  Op names inside the layer differ from TF's single FusedBatchNormV3 op in that case.
- ``renorm``, ``virtual_batch_size`` and ``adjustment`` are not supported yet (ValueError).
"""
import numbers

from tfcompat.framework import dtypes, ops, tensor_shape
from tfcompat.ops import init_ops
from tfcompat.layers import utils
from tfcompat.layers.base import InputSpec, Layer
from tfcompat.ops import array_ops, math_ops, state_ops

_FUSED_MIN_EPSILON = 1.001e-5


def assign_moving_average(variable, value, momentum, name="AssignMovingAvg"):
    """``variable -= (variable - value) * (1 - momentum)`` as one AssignSub op named by the
    ``name`` scope (Keras' ``_assign_moving_average``; ``momentum`` may be a tensor)."""
    with ops.name_scope(None, name, [variable, value, momentum]) as scope:
        decay = ops.convert_to_tensor(1.0 - momentum, name="decay")
        base = variable.dtype.base_dtype
        if decay.dtype.base_dtype != base:
            decay = math_ops.cast(decay, base)
        update_delta = (variable - math_ops.cast(value, base)) * decay
        return state_ops.assign_sub(variable, update_delta, name=scope)


def bessel_corrected(variance, inputs, reduction_axes):
    """variance * n / max(n - 1, 1), n the number of reduced elements (the batch variance
    TF's fused kernel reports for the moving average)."""
    dims = [inputs.shape[i].value for i in reduction_axes] if inputs.shape.ndims else [None]
    if None not in dims:
        n = 1
        for d in dims:
            n *= d
        return variance * (float(n) / max(n - 1, 1))
    shape = array_ops.shape(inputs)
    n = math_ops.cast(math_ops.reduce_prod(array_ops.gather(shape, reduction_axes)),
                      variance.dtype.base_dtype)
    return variance * (n / math_ops.maximum(n - 1.0, 1.0))


class BatchNormalization(Layer):
    """``tf.layers.BatchNormalization(axis=-1, momentum=0.99, epsilon=1e-3, center=True,
    scale=True, beta_initializer=tf.zeros_initializer(), gamma_initializer=
    tf.ones_initializer(), moving_mean_initializer=tf.zeros_initializer(),
    moving_variance_initializer=tf.ones_initializer(), beta_regularizer=None,
    gamma_regularizer=None, beta_constraint=None, gamma_constraint=None, renorm=False,
    renorm_clipping=None, renorm_momentum=0.99, fused=None, trainable=True,
    virtual_batch_size=None, adjustment=None, name=None, **kwargs)``;
    ``call(inputs, training=False)``."""

    def __init__(self, axis=-1, momentum=0.99, epsilon=1e-3, center=True, scale=True,
                 beta_initializer=init_ops.zeros_initializer(),
                 gamma_initializer=init_ops.ones_initializer(),
                 moving_mean_initializer=init_ops.zeros_initializer(),
                 moving_variance_initializer=init_ops.ones_initializer(),
                 beta_regularizer=None, gamma_regularizer=None, beta_constraint=None,
                 gamma_constraint=None, renorm=False, renorm_clipping=None,
                 renorm_momentum=0.99, fused=None, trainable=True, virtual_batch_size=None,
                 adjustment=None, name=None, **kwargs):
        super().__init__(trainable=trainable, name=name, **kwargs)
        if isinstance(axis, (list, tuple)):
            self.axis = list(axis)
        elif isinstance(axis, numbers.Integral):
            self.axis = int(axis)
        else:
            raise TypeError(f"Layer {self.name}: `axis` must be int or list, type given: "
                            f"{type(axis)}")
        if renorm:
            raise ValueError(f"Layer {self.name}: tfcompat does not support batch "
                             "renormalization (renorm=True) yet")
        if virtual_batch_size is not None:
            raise ValueError(f"Layer {self.name}: tfcompat does not support "
                             "`virtual_batch_size` yet")
        if adjustment is not None:
            raise ValueError(f"Layer {self.name}: tfcompat does not support `adjustment` yet")
        if fused not in (None, True, False):
            raise ValueError(f"Layer {self.name}: `fused` must be None, True or False, got "
                             f"{fused!r}")
        if isinstance(momentum, numbers.Real) and not 0 <= momentum <= 1:
            raise ValueError(f"Layer {self.name}: `momentum` must be in [0, 1], got "
                             f"{momentum!r}")
        if isinstance(epsilon, numbers.Real) and epsilon < 0:
            raise ValueError(f"Layer {self.name}: `epsilon` must be non-negative, got "
                             f"{epsilon!r}")
        self.momentum = momentum
        self.epsilon = epsilon
        self.center = bool(center)
        self.scale = bool(scale)
        self.beta_initializer = utils.get_initializer(beta_initializer)
        self.gamma_initializer = utils.get_initializer(gamma_initializer)
        self.moving_mean_initializer = utils.get_initializer(moving_mean_initializer)
        self.moving_variance_initializer = utils.get_initializer(moving_variance_initializer)
        self.beta_regularizer = utils.check_regularizer(beta_regularizer, self.name,
                                                        "beta_regularizer")
        self.gamma_regularizer = utils.check_regularizer(gamma_regularizer, self.name,
                                                         "gamma_regularizer")
        self.beta_constraint = beta_constraint
        self.gamma_constraint = gamma_constraint
        self.renorm = False
        self.renorm_clipping = renorm_clipping
        self.renorm_momentum = renorm_momentum
        self.virtual_batch_size = None
        self.adjustment = None
        # TF 1.15 (V1 behaviour): fused=None means "fused when possible", decided in build.
        self.fused = True if fused is None else fused
        self.supports_masking = True
        self.gamma = self.beta = self.moving_mean = self.moving_variance = None

    @property
    def _param_dtype(self):
        if self.dtype in (dtypes.float16, dtypes.bfloat16):
            return dtypes.float32
        return self.dtype or dtypes.float32

    def build(self, input_shape):
        input_shape = tensor_shape.as_shape(input_shape)
        if not input_shape.ndims:
            raise ValueError(f"Layer {self.name}: input has undefined rank (or rank 0): "
                             f"{input_shape}")
        ndims = input_shape.ndims
        axes = [self.axis] if isinstance(self.axis, int) else list(self.axis)
        resolved = []
        for axis in axes:
            if not -ndims <= axis < ndims:
                raise ValueError(f"Invalid axis: {axis} (layer {self.name}, argument `axis`): "
                                 f"expected a value in [{-ndims}, {ndims}) for inputs of rank "
                                 f"{ndims} (shape {input_shape})")
            resolved.append(axis % ndims)
        if len(resolved) != len(set(resolved)):
            raise ValueError(f"Duplicate axis: {resolved} (layer {self.name})")
        self.axis = resolved
        if self.fused:
            self.fused = ndims == 4 and len(self.axis) == 1
            if self.fused and self.axis not in ([1], [3]):
                raise ValueError(f"Layer {self.name}: unsupported axis {self.axis}, fused batch "
                                 "norm only supports axis == [1] or axis == [3] for 4-D inputs "
                                 "(pass fused=False)")
        axis_to_dim = {x: input_shape[x].value for x in self.axis}
        for x, dim in axis_to_dim.items():
            if dim is None:
                raise ValueError(f"Layer {self.name}: input has undefined `axis` dimension "
                                 f"{x}. Input shape: {input_shape}")
        self.input_spec = InputSpec(ndim=ndims, axes=axis_to_dim)
        if len(axis_to_dim) == 1:
            param_shape = [list(axis_to_dim.values())[0]]
        else:
            param_shape = [axis_to_dim.get(i, 1) for i in range(ndims)]
        dtype = self._param_dtype
        if self.scale:
            self.gamma = self.add_weight("gamma", shape=param_shape, dtype=dtype,
                                         initializer=self.gamma_initializer,
                                         regularizer=self.gamma_regularizer,
                                         constraint=self.gamma_constraint, trainable=True)
        if self.center:
            self.beta = self.add_weight("beta", shape=param_shape, dtype=dtype,
                                        initializer=self.beta_initializer,
                                        regularizer=self.beta_regularizer,
                                        constraint=self.beta_constraint, trainable=True)
        self.moving_mean = self.add_weight("moving_mean", shape=param_shape, dtype=dtype,
                                           initializer=self.moving_mean_initializer,
                                           trainable=False)
        self.moving_variance = self.add_weight("moving_variance", shape=param_shape,
                                               dtype=dtype,
                                               initializer=self.moving_variance_initializer,
                                               trainable=False)
        self.built = True

    def _assign_moving_average(self, variable, value, momentum):
        return assign_moving_average(variable, value, momentum)

    def call(self, inputs, training=False):
        training = utils.check_bool_flag(training, self.name, "training")
        if self.fused:
            return self._fused_batch_norm(inputs, training)
        input_shape = inputs.shape
        ndims = input_shape.ndims
        reduction_axes = [i for i in range(ndims) if i not in self.axis]
        broadcast_shape = [1] * ndims
        broadcast_shape[self.axis[0]] = input_shape[self.axis[0]].value

        def _broadcast(v):
            if v is not None and v.shape.ndims != ndims and \
                    reduction_axes != list(range(ndims - 1)):
                return array_ops.reshape(v, broadcast_shape)
            return v

        scale, offset = _broadcast(self.gamma), _broadcast(self.beta)
        training_value = utils.constant_value(training)
        if training_value is False:
            mean, variance = self.moving_mean, self.moving_variance
        else:
            keep_dims = len(self.axis) > 1
            mean, variance = _moments(math_ops.cast(inputs, self._param_dtype), reduction_axes,
                                      keep_dims)
            moving_mean, moving_variance = self.moving_mean, self.moving_variance
            batch_mean, batch_variance = mean, variance
            mean = utils.smart_cond(training, lambda: batch_mean,
                                    lambda: ops.convert_to_tensor(moving_mean))
            variance = utils.smart_cond(training, lambda: batch_variance,
                                        lambda: ops.convert_to_tensor(moving_variance))
            new_mean, new_variance = mean, variance

            def mean_update():
                return utils.smart_cond(
                    training,
                    lambda: self._assign_moving_average(moving_mean, new_mean, self.momentum),
                    lambda: moving_mean)

            def variance_update():
                return utils.smart_cond(
                    training,
                    lambda: self._assign_moving_average(moving_variance, new_variance,
                                                        self.momentum),
                    lambda: moving_variance)

            self.add_update(mean_update)
            self.add_update(variance_update)
        mean = math_ops.cast(mean, inputs.dtype.base_dtype)
        variance = math_ops.cast(variance, inputs.dtype.base_dtype)
        if offset is not None:
            offset = math_ops.cast(offset, inputs.dtype.base_dtype)
        if scale is not None:
            scale = math_ops.cast(scale, inputs.dtype.base_dtype)
        from tfcompat import nn
        outputs = nn.batch_normalization(inputs, _broadcast(mean), _broadcast(variance), offset,
                                         scale, self.epsilon)
        outputs.set_shape(input_shape)
        return outputs

    def _fused_batch_norm(self, inputs, training):
        """TF 1.15's fused path (4-D inputs), with ordinary ops; see the module docstring."""
        from tfcompat import nn
        channel_axis = self.axis[0]
        reduction_axes = [i for i in range(4) if i != channel_axis]
        epsilon = max(float(self.epsilon), _FUSED_MIN_EPSILON)
        param_dtype = self._param_dtype
        gamma = self.gamma if self.scale else array_ops.constant(
            1.0, dtype=param_dtype, shape=self.moving_mean.shape.as_list())
        beta = self.beta if self.center else array_ops.constant(
            0.0, dtype=param_dtype, shape=self.moving_mean.shape.as_list())
        shape = [1, 1, 1, 1]
        shape[channel_axis] = -1

        def _b(v):
            v = math_ops.cast(v, inputs.dtype.base_dtype)
            return v if channel_axis == 3 else array_ops.reshape(v, shape)

        def _training():
            x = math_ops.cast(inputs, param_dtype)
            mean, variance = nn.moments(x, reduction_axes)
            output = nn.batch_normalization(inputs, _b(mean), _b(variance), _b(beta), _b(gamma),
                                            epsilon)
            return output, mean, bessel_corrected(variance, inputs, reduction_axes)

        def _inference():
            output = nn.batch_normalization(inputs, _b(self.moving_mean),
                                            _b(self.moving_variance), _b(beta), _b(gamma),
                                            epsilon)
            return (output, ops.convert_to_tensor(self.moving_mean),
                    ops.convert_to_tensor(self.moving_variance))

        output, mean, variance = utils.smart_cond(training, _training, _inference)
        output.set_shape(inputs.shape)
        training_value = utils.constant_value(training)
        if training_value is None:
            momentum = utils.smart_cond(training, lambda: ops.convert_to_tensor(self.momentum),
                                        lambda: ops.convert_to_tensor(1.0))
        else:
            momentum = ops.convert_to_tensor(self.momentum)
        if training_value or training_value is None:
            self.add_update(lambda: self._assign_moving_average(self.moving_mean, mean,
                                                                momentum))
            self.add_update(lambda: self._assign_moving_average(self.moving_variance, variance,
                                                                momentum))
        return output

    def compute_output_shape(self, input_shape):
        return tensor_shape.as_shape(input_shape)


def _moments(x, axes, keep_dims):
    from tfcompat import nn
    return nn.moments(x, axes, keep_dims=keep_dims)


def batch_normalization(inputs, axis=-1, momentum=0.99, epsilon=1e-3, center=True, scale=True,
                        beta_initializer=init_ops.zeros_initializer(),
                        gamma_initializer=init_ops.ones_initializer(),
                        moving_mean_initializer=init_ops.zeros_initializer(),
                        moving_variance_initializer=init_ops.ones_initializer(),
                        beta_regularizer=None, gamma_regularizer=None, beta_constraint=None,
                        gamma_constraint=None, training=False, trainable=True, name=None,
                        reuse=None, renorm=False, renorm_clipping=None, renorm_momentum=0.99,
                        fused=None, virtual_batch_size=None, adjustment=None):
    """``tf.layers.batch_normalization``: builds a ``BatchNormalization`` layer with
    ``_scope=name`` and applies it with ``training``. Remember to run the
    ``tf.GraphKeys.UPDATE_OPS`` ops (the moving averages) with the training op."""
    layer = BatchNormalization(
        axis=axis, momentum=momentum, epsilon=epsilon, center=center, scale=scale,
        beta_initializer=beta_initializer, gamma_initializer=gamma_initializer,
        moving_mean_initializer=moving_mean_initializer,
        moving_variance_initializer=moving_variance_initializer,
        beta_regularizer=beta_regularizer, gamma_regularizer=gamma_regularizer,
        beta_constraint=beta_constraint, gamma_constraint=gamma_constraint, renorm=renorm,
        renorm_clipping=renorm_clipping, renorm_momentum=renorm_momentum, fused=fused,
        trainable=trainable, virtual_batch_size=virtual_batch_size, adjustment=adjustment,
        name=name, _reuse=reuse, _scope=name)
    return layer.apply(inputs, training=training)


BatchNorm = BatchNormalization

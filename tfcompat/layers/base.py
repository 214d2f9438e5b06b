"""``tf.layers.Layer``: the TF 1.x "legacy" layer base (tensorflow/python/layers/base.py on
top of Keras' base layer), with its variable-scope and name-scope rules.

Naming, as TF 1.15 does it:

- ``layer.name`` comes from a per-graph counter of the snake-cased class name ("dense",
  "dense_1", ...), or is the ``name`` argument.
- A layer built through a functional form (``tf.layers.dense(..., name="hidden1")``) gets
  ``_scope=name``: it opens ``variable_scope("hidden1")`` at construction, which also opens
  the name scope "hidden1" (inside ``tf.name_scope("dnn")``: "dnn/hidden1/"). A layer without
  ``_scope`` opens ``variable_scope(None, default_name=<name>)`` on its first call, so the
  scope is uniquified ("dense", "dense_1", ...).
- Every call re-enters that variable scope without opening a new name scope, then re-enters
  the scope's *original* name scope, so ops are "dnn/hidden1/MatMul" while the variables are
  "hidden1/kernel" and "hidden1/bias" (variable names ignore name scopes).
- Variables come from ``tf.get_variable``: a second layer with the same ``_scope`` and no
  reuse fails with TF's "Variable hidden1/kernel already exists, disallowed..." error;
  ``_reuse=True`` shares them; after the first call the layer always reuses its own.
- Weight regularizers run under "<layer name scope>/<weight>/Regularizer/" and their losses
  (and activity-regularizer losses, divided by the batch size as TF 1.15 does) go to
  ``GraphKeys.REGULARIZATION_LOSSES``; a regularizer returning None adds nothing. Update ops
  (``add_update``) are added to ``GraphKeys.UPDATE_OPS`` after each call.
"""
import inspect
import re
import weakref

import numpy as np

from tfcompat.framework import dtypes, ops, tensor_shape
from tfcompat.ops import variable_scope as vs
from tfcompat.ops.variables import PartitionedVariable
from tfcompat.layers import utils
from tfcompat.ops import array_ops, math_ops

_LAYER_NAME_UIDS = weakref.WeakKeyDictionary()  # graph -> {base name: count}


def to_snake_case(name):
    """Keras' class-name to layer-name rule: "BatchNormalization" -> "batch_normalization"."""
    intermediate = re.sub("(.)([A-Z][a-z0-9]+)", r"\1_\2", name)
    insecure = re.sub("([a-z])([A-Z])", r"\1_\2", intermediate).lower()
    return insecure if insecure[0] != "_" else "private" + insecure


def unique_layer_name(base_name, graph=None):
    """"dense", then "dense_1", "dense_2" ... per graph (Keras' ``unique_object_name``)."""
    graph = graph or ops.get_default_graph()
    uids = _LAYER_NAME_UIDS.setdefault(graph, {})
    uids[base_name] = uids.get(base_name, 0) + 1
    count = uids[base_name]
    return base_name if count == 1 else f"{base_name}_{count - 1}"


class InputSpec:
    """``tf.layers.InputSpec``: the rank, dtype and fixed axes a layer accepts."""

    def __init__(self, dtype=None, shape=None, ndim=None, max_ndim=None, min_ndim=None,
                 axes=None):
        self.dtype = dtypes.as_dtype(dtype).name if dtype is not None else None
        if shape is not None:
            self.ndim = len(shape)
            self.shape = shape
        else:
            self.ndim = ndim
            self.shape = None
        self.max_ndim = max_ndim
        self.min_ndim = min_ndim
        self.axes = dict(axes or {})

    def __repr__(self):
        spec = [f"dtype={self.dtype}" if self.dtype else "",
                f"shape={self.shape}" if self.shape else "",
                f"ndim={self.ndim}" if self.ndim is not None else "",
                f"max_ndim={self.max_ndim}" if self.max_ndim is not None else "",
                f"min_ndim={self.min_ndim}" if self.min_ndim is not None else "",
                f"axes={self.axes}" if self.axes else ""]
        return f"InputSpec({', '.join(x for x in spec if x)})"


def _shape_list(shape):
    return shape.as_list() if shape.ndims is not None else None


def assert_input_compatibility(input_spec, inputs, layer_name):
    """Raises TF's ValueError when ``inputs`` do not satisfy ``input_spec`` (Keras'
    ``assert_input_compatibility``)."""
    if not input_spec:
        return
    specs = input_spec if isinstance(input_spec, (list, tuple)) else [input_spec]
    inputs = utils.flatten(inputs)
    if len(inputs) != len(specs):
        raise ValueError(f"Layer {layer_name} expects {len(specs)} inputs, but it received "
                         f"{len(inputs)} input tensors. Inputs received: {inputs}")
    for index, (x, spec) in enumerate(zip(inputs, specs)):
        if spec is not None:
            prefix = f"Input {index} of layer {layer_name} is incompatible with the layer: "
            _check_rank(spec, x.shape, prefix)
            if spec.dtype is not None and x.dtype.base_dtype.name != spec.dtype:
                raise ValueError(prefix + f"expected dtype={spec.dtype}, found "
                                 f"dtype={x.dtype.base_dtype.name}")
            _check_dims(spec, x.shape, prefix)


def _check_rank(spec, shape, prefix):
    """The ndim / min_ndim / max_ndim checks of an InputSpec, with Keras' messages."""
    if spec.ndim is not None or spec.min_ndim is not None or spec.max_ndim is not None:
        if shape.ndims is None:
            raise ValueError(prefix + "its rank is undefined, but the layer requires a "
                             "defined rank.")
    if spec.ndim is not None and shape.ndims != spec.ndim:
        raise ValueError(prefix + f"expected ndim={spec.ndim}, found ndim={shape.ndims}. "
                         f"Full shape received: {_shape_list(shape)}")
    if spec.max_ndim is not None and shape.ndims is not None and shape.ndims > spec.max_ndim:
        raise ValueError(prefix + f"expected max_ndim={spec.max_ndim}, found "
                         f"ndim={shape.ndims}")
    if spec.min_ndim is not None and shape.ndims is not None and shape.ndims < spec.min_ndim:
        # (TF 1.15's message has this doubled colon.)
        raise ValueError(prefix + f": expected min_ndim={spec.min_ndim}, found "
                         f"ndim={shape.ndims}. Full shape received: {_shape_list(shape)}")


def _check_dims(spec, shape, prefix):
    """The axes / shape checks of an InputSpec, with Keras' messages."""
    if shape.ndims is None:
        return
    for axis, value in (spec.axes or {}).items():
        position = int(axis) if int(axis) >= 0 else int(axis) + shape.ndims
        if value is not None and 0 <= position < shape.ndims \
                and shape[position].value not in (value, None):
            raise ValueError(prefix + f"expected axis {axis} of input shape to have "
                             f"value {value} but received input with shape "
                             f"{_shape_list(shape)}")
    if spec.shape is not None:
        for spec_dim, dim in zip(spec.shape, shape.as_list()):
            if spec_dim is not None and dim is not None and spec_dim != dim:
                raise ValueError(prefix + f"expected shape={spec.shape}, found "
                                 f"shape={_shape_list(shape)}")


def _convert_non_tensor(value):
    if isinstance(value, (np.ndarray, float, int, np.generic)):
        return ops.convert_to_tensor(value)
    return value


def _add_elements_to_collection(elements, collection_name):
    collection = ops.get_collection_ref(collection_name)
    present = {id(item) for item in collection}
    for element in elements:
        if id(element) not in present:
            collection.append(element)
            present.add(id(element))


_ALLOWED_KWARGS = {"input_shape", "batch_input_shape", "batch_size", "weights", "autocast",
                   "activity_regularizer"}


class Layer:
    """``tf.layers.Layer(trainable=True, name=None, dtype=None, **kwargs)``.

    Subclasses implement ``build(input_shape)`` (creating weights with ``add_weight``) and
    ``call(inputs, ...)``. Properties: ``name``, ``dtype``, ``trainable``, ``variables`` /
    ``weights``, ``trainable_variables`` / ``trainable_weights``, ``non_trainable_variables``,
    ``updates``, ``losses``, ``scope_name``, ``input_spec``.
    """

    def __init__(self, trainable=True, name=None, dtype=None, **kwargs):
        scope = kwargs.pop("_scope", None)
        self._reuse = kwargs.pop("_reuse", None)
        for key in kwargs:
            if key not in _ALLOWED_KWARGS:
                raise TypeError("Keyword argument not understood:", key)
        self._trainable = bool(trainable)
        self.built = False
        self._dtype = dtypes.as_dtype(dtype).base_dtype if dtype is not None else None
        self._trainable_weights = []
        self._non_trainable_weights = []
        self._updates = []
        self._losses = []
        self._activity_regularizer = kwargs.get("activity_regularizer")
        self.input_spec = None
        self.supports_masking = False
        self._init_set_name(name)
        self._call_has_scope_arg = "scope" in inspect.signature(self.call).parameters
        if scope:
            with vs.variable_scope(scope) as captured_scope:
                self._scope = captured_scope
        else:
            self._scope = None
        self._current_scope = None

    # ---- naming -----------------------------------------------------------------------------
    def _init_set_name(self, name):
        if isinstance(name, vs.VariableScope):
            base_name = name.name
            self._name = unique_layer_name(to_snake_case(type(self).__name__))
        else:
            if name is not None and not isinstance(name, str):
                raise TypeError(f"Layer name must be a string or None, got {name!r}")
            base_name = name
            self._name = name
        if not name:
            base_name = to_snake_case(type(self).__name__)
            self._name = unique_layer_name(base_name)
        self._base_name = base_name

    @property
    def name(self):
        return self._name

    @property
    def scope_name(self):
        if not self._scope:
            raise ValueError(f'No name available for layer scope because the layer '
                             f'"{self._name}" has not been used yet. The scope name  is '
                             'determined the first time the layer instance is called. You must '
                             'therefore call the layer before querying `scope_name`.')
        return self._scope.name

    def _name_scope(self):
        return self._current_scope.original_name_scope

    def _set_scope(self, scope=None):
        if self._scope is None:
            if self._reuse:
                with vs.variable_scope(scope if scope is not None else self._base_name) \
                        as captured_scope:
                    self._scope = captured_scope
            else:
                with vs.variable_scope(scope, default_name=self._base_name) as captured_scope:
                    self._scope = captured_scope

    # ---- properties -------------------------------------------------------------------------
    @property
    def dtype(self):
        return self._dtype

    @property
    def trainable(self):
        return self._trainable

    @trainable.setter
    def trainable(self, value):
        self._trainable = bool(value)

    @property
    def activity_regularizer(self):
        return self._activity_regularizer

    @property
    def trainable_weights(self):
        return list(self._trainable_weights) if self.trainable else []

    @property
    def non_trainable_weights(self):
        if self.trainable:
            return list(self._non_trainable_weights)
        return list(self._trainable_weights) + list(self._non_trainable_weights)

    @property
    def weights(self):
        return self.trainable_weights + self.non_trainable_weights

    trainable_variables = trainable_weights
    non_trainable_variables = non_trainable_weights
    variables = weights

    @property
    def updates(self):
        return list(self._updates)

    @property
    def losses(self):
        return list(self._losses)

    @property
    def graph(self):
        return None  # TF: "tf.layers layers no longer track their graph"

    def get_updates_for(self, inputs):
        return self.updates

    def get_losses_for(self, inputs):
        return self.losses

    def count_params(self):
        if not self.built:
            raise ValueError(f"You tried to call `count_params` on {self.name}, but the layer "
                             "isn't built. You can build it manually via: "
                             f"`{self.name}.build(batch_input_shape)`.")
        return int(sum(np.prod(w.shape.as_list()) for w in self.weights))

    # ---- building ---------------------------------------------------------------------------
    def build(self, input_shape):
        self.built = True

    def call(self, inputs, **kwargs):
        return inputs

    def compute_output_shape(self, input_shape):
        raise NotImplementedError(f"{type(self).__name__}.compute_output_shape")

    def add_weight(self, name, shape, dtype=None, initializer=None, regularizer=None,
                   trainable=None, constraint=None, use_resource=None, synchronization=None,
                   aggregation=None, partitioner=None, **kwargs):
        """Creates (or, when the layer reuses, fetches) the variable ``<scope>/<name>`` with
        ``tf.get_variable``; the regularizer runs only for a newly created variable."""
        for key in kwargs:
            if key not in ("experimental_autocast", "getter"):
                raise TypeError("Unknown keyword argument:", key)
        if trainable is None:
            trainable = True
        dtype = dtypes.as_dtype(dtype if dtype is not None else (self.dtype or dtypes.float32))
        graph = ops.get_default_graph()
        existing = {id(v) for v in graph.get_collection(ops.GraphKeys.GLOBAL_VARIABLES)}
        self._set_scope(None)
        reuse = self.built or self._reuse
        with vs.variable_scope(self._scope, reuse=reuse, auxiliary_name_scope=False) as scope:
            self._current_scope = scope
            with ops.name_scope(self._name_scope()):
                variable = vs.get_variable(name, shape=shape, dtype=dtype,
                                           initializer=initializer,
                                           trainable=trainable and self.trainable,
                                           constraint=constraint, partitioner=partitioner)
                # A partitioned variable's weights are its parts, each regularized.
                parts = (list(variable) if isinstance(variable, PartitionedVariable)
                         else [variable])
                if regularizer is not None and all(id(v) not in existing for v in parts):
                    for part in parts:
                        self._handle_weight_regularization(name, part, regularizer)
        trainable_collection = graph.get_collection(ops.GraphKeys.TRAINABLE_VARIABLES)
        # As TF 1.x's check "variable not in trainable_variables()": a PartitionedVariable is
        # never in that collection, so its parts land in the non-trainable weights.
        if trainable and self.trainable and any(v is variable for v in trainable_collection):
            self._trainable_weights.extend(parts)
        else:
            self._non_trainable_weights.extend(parts)
        return variable

    def _handle_weight_regularization(self, name, variable, regularizer):
        with ops.name_scope(name + "/Regularizer"):
            loss = regularizer(variable)
        if loss is not None:
            self._add_losses([loss])

    def _handle_activity_regularization(self, outputs):
        if not self._activity_regularizer:
            return
        with ops.name_scope("ActivityRegularizer"):
            for output in utils.flatten(outputs):
                activity_loss = self._activity_regularizer(output)
                if activity_loss is None:
                    continue
                activity_loss = ops.convert_to_tensor(activity_loss)
                batch_size = math_ops.cast(array_ops.shape(output)[0], activity_loss.dtype)
                # TF 1.15: activity regularization is made batch-size agnostic.
                self._add_losses([activity_loss / batch_size])

    def _add_losses(self, losses):
        new = [loss for loss in losses if loss is not None]
        self._losses.extend(new)
        _add_elements_to_collection(new, ops.GraphKeys.REGULARIZATION_LOSSES)

    def add_loss(self, losses, inputs=None):
        """Adds loss tensors (or zero-argument callables returning one, or None) to the layer
        and to ``GraphKeys.REGULARIZATION_LOSSES``."""
        resolved = []
        for loss in utils.flatten(losses):
            if callable(loss):
                loss = loss()
            if loss is not None:
                resolved.append(ops.convert_to_tensor(loss))
        self._add_losses(resolved)

    def add_update(self, updates, inputs=None):
        """Records update ops (tensors, ops, or callables building them, called right away
        as TF 1.x does in graph mode); they join ``GraphKeys.UPDATE_OPS`` after the call."""
        for update in utils.flatten(updates):
            if callable(update) and not hasattr(update, "op") and \
                    not isinstance(update, ops.Operation):
                update = update()
            if update is None:
                continue
            if hasattr(update, "_as_graph_element"):
                update = update._as_graph_element()
            if isinstance(update, ops.Tensor):
                update = update.op
            if not isinstance(update, ops.Operation):
                update = ops.convert_to_tensor(update).op
            self._updates.append(update)

    # ---- calling ----------------------------------------------------------------------------
    def __call__(self, inputs, *args, **kwargs):
        """Builds the layer on its first call (inside its variable scope), then runs
        ``call`` under the layer's name scope."""
        scope = kwargs.pop("scope", None)
        self._set_scope(scope)
        reuse = True if self.built else self._reuse
        inputs = _convert_structure(inputs)
        with vs.variable_scope(self._scope, reuse=reuse, auxiliary_name_scope=False) as vscope:
            self._current_scope = vscope
            with ops.name_scope(self._name_scope()):
                assert_input_compatibility(self.input_spec, inputs, self.name)
                if not self.built:
                    first = utils.flatten(inputs)[0]
                    if self._dtype is None and hasattr(first, "dtype"):
                        self._dtype = first.dtype.base_dtype
                    shapes = [getattr(x, "shape", tensor_shape.unknown_shape())
                              for x in utils.flatten(inputs)]
                    self.build(shapes[0] if not isinstance(inputs, (list, tuple)) else shapes)
                    self.built = True
                if self._call_has_scope_arg:
                    kwargs["scope"] = vscope
                outputs = self.call(inputs, *args, **kwargs)
                if outputs is None:
                    raise ValueError("A layer's `call` method should return a Tensor or a list "
                                     f"of Tensors, not None (layer: {self.name}).")
                self._handle_activity_regularization(outputs)
        _add_elements_to_collection(self._updates, ops.GraphKeys.UPDATE_OPS)
        return outputs

    def apply(self, inputs, *args, **kwargs):
        """Same as calling the layer (``Layer.apply``)."""
        return self.__call__(inputs, *args, **kwargs)

    def __repr__(self):
        return f"<{type(self).__module__}.{type(self).__name__} '{self.name}'>"


def _convert_structure(inputs):
    if isinstance(inputs, (list, tuple)):
        return type(inputs)(_convert_structure(x) for x in inputs)
    return _convert_non_tensor(inputs)

"""``slim.tfexample_decoder`` (TF 1.15 contrib/slim/python/slim/data/tfexample_decoder.py):
decoding serialized ``tf.train.Example`` records into items.

``TFExampleDecoder(keys_to_features, items_to_handlers)`` parses one record with
``tf.parse_single_example`` (fixed-length features reshaped to their declared shapes) and
hands each item handler the features it names. Handlers: ``Tensor`` (a feature, reshaped
to ``shape`` or to the values of ``shape_keys`` features; sparse features densified with
``default_value``), ``Image`` (an encoded image: format 'raw'/'RAW' read with decode_raw,
JPEG with decode_jpeg, anything else with decode_image; cast to ``dtype``, static shape
[None, None, channels], optional reshape; ``repeated`` decodes each of several images) and
``ItemHandlerCallback`` (any function of the features), ``LookupTensor`` (a Tensor mapped
through a lookup table), ``BackupHandler`` (a second handler's item when the first one's is
empty) and ``BoundingBox`` ([num_boxes, 4] from the four side features)."""
import abc

from tfcompat.contrib.slim.data import data_decoder
from tfcompat.framework import dtypes
from tfcompat.ops import array_ops, math_ops

__all__ = ["ItemHandler", "ItemHandlerCallback", "Tensor", "LookupTensor", "BackupHandler",
           "BoundingBox", "Image", "TFExampleDecoder"]


class ItemHandler(abc.ABC):
    """Turns the parsed features named by ``keys`` into one item tensor."""

    def __init__(self, keys):
        self._keys = keys if isinstance(keys, (tuple, list)) else [keys]

    @property
    def keys(self):
        return self._keys

    @abc.abstractmethod
    def tensors_to_item(self, keys_to_tensors):
        """The item from {feature key: parsed tensor}."""


class ItemHandlerCallback(ItemHandler):
    """An item computed by ``func({key: tensor})``."""

    def __init__(self, keys, func):
        super().__init__(keys)
        self._func = func

    def tensors_to_item(self, keys_to_tensors):
        return self._func(keys_to_tensors)


def _is_sparse(tensor):
    from tfcompat.ops.sparse_tensor import SparseTensor
    return isinstance(tensor, SparseTensor)


class Tensor(ItemHandler):
    """The feature ``tensor_key``, reshaped to ``shape`` or to the values of the
    ``shape_keys`` features; a sparse feature is densified with ``default_value``."""

    def __init__(self, tensor_key, shape_keys=None, shape=None, default_value=0):
        if shape_keys and shape is not None:
            raise ValueError("Cannot specify both shape_keys and shape parameters.")
        if shape_keys and not isinstance(shape_keys, list):
            shape_keys = [shape_keys]
        self._tensor_key = tensor_key
        self._shape_keys = shape_keys
        self._shape = shape
        self._default_value = default_value
        super().__init__([tensor_key] + (shape_keys or []))

    def tensors_to_item(self, keys_to_tensors):
        from tfcompat.ops import sparse_ops
        tensor = keys_to_tensors[self._tensor_key]
        shape = self._shape
        if self._shape_keys:
            dims = [sparse_ops.sparse_tensor_to_dense(keys_to_tensors[k])
                    if _is_sparse(keys_to_tensors[k]) else keys_to_tensors[k]
                    for k in self._shape_keys]
            shape = array_ops.reshape(array_ops.stack(dims), [-1])
        if _is_sparse(tensor):
            if shape is not None:
                tensor = sparse_ops.sparse_reshape(tensor, shape)
            return sparse_ops.sparse_tensor_to_dense(tensor, self._default_value)
        return tensor if shape is None else array_ops.reshape(tensor, shape)


class LookupTensor(Tensor):
    """A ``Tensor`` item mapped through ``table`` (e.g. class names to ids)."""

    def __init__(self, tensor_key, table, shape_keys=None, shape=None, default_value=""):
        self._table = table
        super().__init__(tensor_key, shape_keys, shape, default_value)

    def tensors_to_item(self, keys_to_tensors):
        return self._table.lookup(super().tensors_to_item(keys_to_tensors))


class BackupHandler(ItemHandler):
    """``handler``'s item, or ``backup``'s when the first one has no elements."""

    def __init__(self, handler, backup):
        if not isinstance(handler, ItemHandler):
            raise ValueError(f"Primary handler is of type {type(handler)} instead of "
                             f"ItemHandler")
        if not isinstance(backup, ItemHandler):
            raise ValueError(f"Backup handler is of type {type(backup)} instead of "
                             f"ItemHandler")
        self._handler = handler
        self._backup = backup
        super().__init__(handler.keys + backup.keys)

    def tensors_to_item(self, keys_to_tensors):
        from tfcompat.ops import control_flow_ops
        item = self._handler.tensors_to_item(keys_to_tensors)
        is_empty = math_ops.equal(math_ops.reduce_prod(array_ops.shape(item)), 0)
        return control_flow_ops.cond(is_empty,
                                     lambda: self._backup.tensors_to_item(keys_to_tensors),
                                     lambda: item)


class BoundingBox(ItemHandler):
    """Boxes [num_boxes, 4] from the features ``prefix + key`` for the four ``keys``
    (default ymin, xmin, ymax, xmax), sparse features read by their values."""

    def __init__(self, keys=None, prefix=""):
        if keys is None:
            keys = ["ymin", "xmin", "ymax", "xmax"]
        elif len(keys) != 4:
            raise ValueError(f"BoundingBox expects 4 keys but got {len(keys)}")
        self._full_keys = [prefix + key for key in keys]
        super().__init__(self._full_keys)

    def tensors_to_item(self, keys_to_tensors):
        sides = []
        for key in self._full_keys:
            side = keys_to_tensors[key]
            side = side.values if _is_sparse(side) else side
            sides.append(array_ops.expand_dims(side, 0))
        return array_ops.transpose(array_ops.concat(sides, 0))


class Image(ItemHandler):
    """An image decoded from the features ``image_key`` (default 'image/encoded') and
    ``format_key`` (default 'image/format')."""

    def __init__(self, image_key=None, format_key=None, shape=None, channels=3,
                 dtype=dtypes.uint8, repeated=False, dct_method=""):
        image_key = image_key or "image/encoded"
        format_key = format_key or "image/format"
        super().__init__([image_key, format_key])
        self._image_key = image_key
        self._format_key = format_key
        self._shape = shape
        self._channels = channels
        self._dtype = dtypes.as_dtype(dtype)
        self._repeated = repeated
        self._dct_method = dct_method

    def tensors_to_item(self, keys_to_tensors):
        image_buffer = keys_to_tensors[self._image_key]
        image_format = keys_to_tensors[self._format_key]
        if self._repeated:
            from tfcompat.ops.functional_ops import map_fn
            return map_fn(lambda x: self._decode(x, image_format), image_buffer,
                          dtype=self._dtype)
        return self._decode(image_buffer, image_format)

    def _decode(self, image_buffer, image_format):
        from tfcompat.ops import case_ops, control_flow_ops, image_codec_ops, image_ops
        from tfcompat.ops.parsing_ops import decode_raw

        def decode_image():
            return math_ops.cast(image_ops.decode_image(image_buffer,
                                                        channels=self._channels),
                                 self._dtype)

        def decode_jpeg():
            return math_ops.cast(image_ops.decode_jpeg(image_buffer, channels=self._channels,
                                                       dct_method=self._dct_method),
                                 self._dtype)

        def check_jpeg():
            return control_flow_ops.cond(image_codec_ops.is_jpeg(image_buffer), decode_jpeg,
                                         decode_image, name="cond_jpeg")

        def read_raw():
            return decode_raw(image_buffer, out_type=self._dtype)

        # Bytes literals: tfcompat's Equal compares a str constant unequal to fed bytes.
        is_raw = math_ops.logical_or(math_ops.equal(image_format, b"raw"),
                                     math_ops.equal(image_format, b"RAW"))
        image = case_ops.case([(is_raw, read_raw)], default=check_jpeg, exclusive=True)
        image.set_shape([None, None, self._channels])
        if self._shape is not None:
            image = array_ops.reshape(image, self._shape)
        return image


class TFExampleDecoder(data_decoder.DataDecoder):
    """Decodes serialized Examples with ``keys_to_features`` (name -> FixedLenFeature /
    VarLenFeature) and ``items_to_handlers`` (item -> ItemHandler)."""

    def __init__(self, keys_to_features, items_to_handlers):
        self._keys_to_features = keys_to_features
        self._items_to_handlers = items_to_handlers

    def list_items(self):
        return list(self._items_to_handlers.keys())

    def decode(self, serialized_example, items=None):
        """The tensors of ``items`` (default: all) of one serialized Example."""
        from tfcompat.ops import parsing_ops
        example = parsing_ops.parse_single_example(serialized_example,
                                                   self._keys_to_features)
        for key in sorted(self._keys_to_features):
            feature = self._keys_to_features[key]
            if isinstance(feature, parsing_ops.FixedLenFeature):
                example[key] = array_ops.reshape(example[key], feature.shape)
        outputs = []
        for item in items or self._items_to_handlers.keys():
            handler = self._items_to_handlers[item]
            outputs.append(handler.tensors_to_item({key: example[key] for key in handler.keys}))
        return outputs


def __getattr__(name):
    raise AttributeError(f"module 'tensorflow.contrib.slim.tfexample_decoder' has no "
                         f"attribute '{name}': tfcompat does not implement "
                         f"tf.contrib.slim.tfexample_decoder.{name} yet")

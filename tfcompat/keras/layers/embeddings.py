"""Keras ``Embedding``: a trainable [input_dim, output_dim] table "embedding/embeddings"
(uniform in [-0.05, 0.05] by default) looked up by integer ids."""
from tfcompat import nn
from tfcompat.framework import dtypes
from tfcompat.keras.engine.base_layer import Layer
from tfcompat.layers import utils
from tfcompat.ops import math_ops


class Embedding(Layer):
    """``Embedding(input_dim, output_dim, embeddings_initializer='uniform',
    embeddings_regularizer=None, mask_zero=False, input_length=None)``: [batch, ...] ids ->
    [batch, ..., output_dim] vectors."""

    def __init__(self, input_dim, output_dim, embeddings_initializer="uniform",
                 embeddings_regularizer=None, activity_regularizer=None,
                 embeddings_constraint=None, mask_zero=False, input_length=None, **kwargs):
        if "input_shape" not in kwargs and "batch_input_shape" not in kwargs:
            kwargs["input_shape"] = (input_length,) if not isinstance(
                input_length, (list, tuple)) else tuple(input_length)
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        self.input_dim, self.output_dim = int(input_dim), int(output_dim)
        self.embeddings_initializer = utils.get_initializer(embeddings_initializer)
        self.embeddings_regularizer = embeddings_regularizer
        self.embeddings_constraint = embeddings_constraint
        self.mask_zero = mask_zero
        self.input_length = input_length

    def build(self, input_shape):
        self.embeddings = self.add_weight(
            "embeddings", shape=(self.input_dim, self.output_dim),
            initializer=self.embeddings_initializer, regularizer=self.embeddings_regularizer,
            constraint=self.embeddings_constraint, dtype=dtypes.float32)
        self.built = True

    def compute_mask(self, inputs, mask=None):
        """With ``mask_zero``: id 0 is padding, masked for the layers downstream."""
        return math_ops.not_equal(inputs, 0) if self.mask_zero else None

    def call(self, inputs):
        if inputs.dtype.base_dtype not in (dtypes.int32, dtypes.int64):
            inputs = math_ops.cast(inputs, dtypes.int32)
        return nn.embedding_lookup(self.embeddings, inputs)


__all__ = ["Embedding"]

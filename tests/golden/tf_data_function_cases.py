"""The input pipelines of tf_data_functions.meta, built with either library (``tf``: real
TensorFlow's ``compat.v1`` in make_tf_data_functions.py, tfcompat in
tests/framework/test_function_def.py): a placeholder captured by a map, a filter and a
batch; a flat_map of a two-component map over slices."""
import numpy as np


def build(tf):
    offset = tf.placeholder(tf.int64, [], name="offset")
    numbers = tf.data.Dataset.range(10).map(lambda x: x * 2 + offset) \
        .filter(lambda x: x % 3 > 0).batch(2)
    iterator = tf.data.make_initializable_iterator(numbers)
    tf.identity(iterator.get_next(), name="numbers_next")
    tf.add_to_collection("numbers_init", iterator.initializer)
    pairs = tf.data.Dataset.from_tensor_slices(
        (np.arange(4, dtype=np.float32), np.arange(4, dtype=np.float32) + 0.5))
    pairs = pairs.map(lambda a, b: (a + b, a * b)) \
        .flat_map(lambda s, p: tf.data.Dataset.from_tensors(s - p).repeat(2))
    tf.identity(tf.data.make_one_shot_iterator(pairs).get_next(), name="pairs_next")

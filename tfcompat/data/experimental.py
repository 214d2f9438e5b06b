"""``tf.data.experimental``: transformations for ``Dataset.apply``."""
from tfcompat.data.dataset_ops import _batched, _int64, _trace
from tfcompat.framework import dtypes, ops, random_seed


def shuffle_and_repeat(buffer_size, count=None, seed=None):
    """shuffle then repeat ``count`` times (None: forever), a new order every pass."""
    def apply(dataset):
        seeds = random_seed.get_seed(seed)
        inputs = [dataset._variant_tensor, _int64(buffer_size, "buffer_size"),
                  _int64(seeds[0] or 0, "seed"), _int64(seeds[1] or 0, "seed2"),
                  _int64(-1 if count is None else count, "count")]
        return dataset._new("ShuffleAndRepeatDataset", inputs, dataset._structure)
    return apply


def map_and_batch(map_func, batch_size, num_parallel_batches=None, drop_remainder=False,
                  num_parallel_calls=None):
    """map then batch, fused (``MapAndBatchDataset``)."""
    def apply(dataset):
        function = _trace(map_func, dataset._structure, "Dataset_map")
        inputs = [dataset._variant_tensor, *function.captured,
                  _int64(batch_size, "batch_size"),
                  _int64(num_parallel_calls or num_parallel_batches or 1,
                         "num_parallel_calls"),
                  ops.convert_to_tensor(drop_remainder, dtype=dtypes.bool,
                                        name="drop_remainder")]
        return dataset._new("MapAndBatchDataset", inputs,
                            _batched(function.output_structure, batch_size, drop_remainder),
                            f=function)
    return apply


def unbatch():
    """Splits each element's components along their first dimension."""
    return lambda dataset: dataset.unbatch()


AUTOTUNE = -1


def __getattr__(name):
    raise AttributeError(f"module 'tensorflow._api.v1.data.experimental' has no attribute "
                         f"'{name}': tfcompat does not implement tf.data.experimental.{name} yet")

"""``tf.contrib.data`` (TF 1.15): mostly the ``tf.data.experimental`` transformations under
their contrib names, plus the deprecated contrib-only ones: ``batch_and_drop_remainder``,
``padded_batch_and_drop_remainder``, ``sliding_window_batch``, ``sloppy_interleave``,
``assert_element_shape`` and ``read_batch_features``."""
from tfcompat.data import iterator_ops
from tfcompat.data.dataset_ops import Dataset
from tfcompat.data.experimental import (  # noqa: F401
    AUTOTUNE, Counter, CsvDataset, Optional, RandomDataset, Reducer, SqlDataset,
    TFRecordWriter, bucket_by_sequence_length, choose_from_datasets, copy_to_device,
    dense_to_sparse_batch, enumerate_dataset, get_next_as_optional, get_single_element,
    group_by_reducer, group_by_window, ignore_errors, make_batched_features_dataset,
    make_csv_dataset, map_and_batch, parallel_interleave, parse_example_dataset,
    prefetch_to_device, rejection_resample, sample_from_datasets, scan, shuffle_and_repeat,
    unbatch, unique)
from tfcompat.framework import nest, tensor_shape
from tfcompat.ops import manip_ops


def batch_and_drop_remainder(batch_size):
    """A transformation batching ``batch_size`` elements, dropping a last smaller batch
    (``dataset.batch(batch_size, drop_remainder=True)``)."""
    def _apply_fn(dataset):
        return dataset.batch(batch_size, drop_remainder=True)
    return _apply_fn


def padded_batch_and_drop_remainder(batch_size, padded_shapes, padding_values=None):
    """``dataset.padded_batch(..., drop_remainder=True)`` as a transformation."""
    def _apply_fn(dataset):
        return dataset.padded_batch(batch_size, padded_shapes=padded_shapes,
                                    padding_values=padding_values, drop_remainder=True)
    return _apply_fn


def sliding_window_batch(window_size, stride=None, window_shift=None, window_stride=1):
    """A transformation giving each full window of ``window_size`` elements (every
    ``window_stride``-th one) as a batch, windows starting ``window_shift`` (or the
    deprecated ``stride``; default 1) elements apart; incomplete windows are dropped."""
    if stride is None and window_shift is None:
        window_shift = 1
    elif stride is not None and window_shift is None:
        window_shift = stride
    elif stride is not None and window_shift is not None:
        raise ValueError("Cannot specify both `stride` and `window_shift`")

    def _batch_window(*window):
        window = window[0] if len(window) == 1 else window
        if isinstance(window, Dataset):
            return window.batch(window_size)
        return Dataset.zip(nest.map_structure(lambda part: part.batch(window_size), window))

    def _apply_fn(dataset):
        return dataset.window(window_size, window_shift, window_stride,
                              drop_remainder=True).flat_map(_batch_window)
    return _apply_fn


def sloppy_interleave(map_func, cycle_length, block_length=1):
    """``parallel_interleave(map_func, cycle_length, block_length, sloppy=True)``."""
    return parallel_interleave(map_func, cycle_length, block_length, sloppy=True)


def _flatten_up_to(structure, values):
    """``values`` flattened as far as ``structure`` (a dataset's nest of TensorShapes) goes,
    so list-valued shapes stay leaves."""
    if isinstance(structure, tensor_shape.TensorShape):
        return [values]
    if isinstance(structure, dict):
        return [leaf for key in sorted(structure)
                for leaf in _flatten_up_to(structure[key], values[key])]
    return [leaf for part, value in zip(structure, values, strict=True)
            for leaf in _flatten_up_to(part, value)]


def assert_element_shape(expected_shapes):
    """A transformation checking each element's components against ``expected_shapes`` (the
    dataset's structure; a shape of unknown rank skips its component) when it runs, and
    giving the dataset the merged static shapes."""
    def _apply_fn(dataset):
        original = dataset.output_shapes
        expected = [tensor_shape.TensorShape(shape)
                    for shape in _flatten_up_to(original, expected_shapes)]
        for have, want in zip(nest.flatten(original), expected, strict=True):
            have.merge_with(want)  # TF's static check: incompatible shapes raise ValueError

        def _check_shape(*elements):
            structure = elements[0] if len(elements) == 1 else elements
            checked = [manip_ops.ensure_shape(tensor, shape) if shape.ndims is not None
                       else tensor
                       for shape, tensor in zip(expected, nest.flatten(structure),
                                                strict=True)]
            return nest.pack_sequence_as(structure, checked)
        return dataset.map(_check_shape)
    return _apply_fn


def read_batch_features(file_pattern, batch_size, features, reader=None, reader_args=None,
                        randomize_input=True, num_epochs=None, capacity=10000):
    """The next batch (a dict of feature tensors) of a one-shot iterator over
    ``make_batched_features_dataset`` of the files."""
    dataset = make_batched_features_dataset(
        file_pattern, batch_size=batch_size, features=features, reader=reader,
        reader_args=reader_args, shuffle=randomize_input, num_epochs=num_epochs,
        shuffle_buffer_size=capacity)
    return iterator_ops.make_one_shot_iterator(dataset).get_next()


def __getattr__(name):
    raise AttributeError(f"module 'tensorflow.contrib.data' has no attribute '{name}': "
                         f"tfcompat does not implement tf.contrib.data.{name} yet")

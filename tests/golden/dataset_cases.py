"""tf.data pipelines run by make_dataset_goldens.py (real TensorFlow, compat.v1) and by
tests/data/test_data_experimental.py (tfcompat): ``run(tf, session)`` gives every pipeline's
elements as text. Covers window, shard, reduce and tf.data.experimental transformations."""
import numpy as np


def _windows(tf):
    dataset = tf.data.Dataset
    pairs = dataset.from_tensor_slices((np.arange(5), np.arange(5) * 10))
    return {
        "window": dataset.range(7).window(3, 2).flat_map(lambda w: w.batch(3)),
        "window_stride": dataset.range(10).window(3, shift=4, stride=2, drop_remainder=True)
        .flat_map(lambda w: w.batch(3)),
        "window_tuple": pairs.window(2).flat_map(
            lambda a, b: dataset.zip((a.batch(2), b.batch(2)))),
        "shard": dataset.range(10).shard(3, 2)}


def _experimental(tf):
    dataset, exp = tf.data.Dataset, tf.data.experimental
    choices = dataset.from_tensor_slices(np.array([1, 0, 0, 1, 1, 0, 1], np.int64))
    lengths = [1, 3, 2, 5, 4, 1, 6, 2]
    sequences = dataset.from_generator(lambda: (np.arange(n) + 1 for n in lengths), tf.int64,
                                       [None])

    def length(sequence):
        return tf.shape(sequence)[0]

    reducer = exp.Reducer(lambda key: (np.int64(0), np.zeros([0], np.int64)),
                          lambda state, x: (state[0] + 1, tf.concat([state[1], [x]], 0)),
                          lambda count, values: (count, values))
    return {
        "group_reducer": dataset.range(7).apply(exp.group_by_reducer(lambda x: x % 3,
                                                                      reducer)),
        "scan": dataset.range(5).apply(exp.scan(np.int64(0), lambda s, x: (s + x, s * 10))),
        "take_while": dataset.range(10).apply(exp.take_while(lambda x: x < 4)),
        "unique": dataset.from_tensor_slices(np.array([3, 1, 3, 2, 1], np.int64))
        .apply(exp.unique()),
        "choose": exp.choose_from_datasets([dataset.range(3), dataset.range(10, 13)], choices),
        "group": dataset.range(10).apply(exp.group_by_window(
            lambda x: x % 3, lambda key, window: window.batch(2), window_size=2)),
        "bucket": sequences.apply(exp.bucket_by_sequence_length(length, [3, 5], [2, 2, 2])),
        "bucket_pad": sequences.apply(exp.bucket_by_sequence_length(
            length, [3, 7], [3, 2, 2], pad_to_bucket_boundary=True)),
        "pinterleave": dataset.range(1, 4).apply(exp.parallel_interleave(
            lambda x: dataset.from_tensors(x).repeat(x), cycle_length=2)),
        "enumerate": dataset.from_tensor_slices(np.array([5.0, 6.0]))
        .apply(exp.enumerate_dataset(3)),
        "counter": exp.Counter(2, 3).take(3),
        "counter32": exp.Counter(dtype=tf.int32).take(2)}


def _cardinalities(tf):
    dataset, exp = tf.data.Dataset, tf.data.experimental
    pipelines = [dataset.range(10), dataset.range(10).batch(3),
                 dataset.range(10).batch(3, drop_remainder=True), dataset.range(5).repeat(),
                 dataset.range(5).repeat(3).take(7), dataset.range(5).filter(lambda x: x > 2),
                 dataset.range(5).skip(2), dataset.zip((dataset.range(3),
                                                        dataset.range(5).repeat())),
                 dataset.range(3).concatenate(dataset.range(4)),
                 dataset.from_tensor_slices(np.zeros((6, 2))).shuffle(3).map(lambda x: x * 2),
                 dataset.range(0).repeat()]
    return tf.stack([exp.cardinality(p) for p in pipelines])


def _single_values(tf):
    dataset = tf.data.Dataset
    return {"cardinality": _cardinalities(tf),
            "reduce": dataset.range(5).reduce(np.int64(0), lambda s, x: s + x),
            "reduce_shape": dataset.range(3).reduce(np.zeros([0], np.int64),
                                                    lambda s, x: tf.concat([s, [x]], 0)),
            "single": tf.data.experimental.get_single_element(
                dataset.from_tensors((np.int64(3), np.float32(2.5))))}


def _text(value):
    if isinstance(value, tuple):
        return tuple(np.asarray(v).tolist() for v in value)
    return np.asarray(value).tolist()


def run(tf, sess):
    """{name: repr of the list of elements (or of the value)} for every case."""
    out = {}
    for name, dataset in {**_windows(tf), **_experimental(tf)}.items():
        element, values = dataset.make_one_shot_iterator().get_next(), []
        try:
            while len(values) < 50:
                values.append(sess.run(element))
        except tf.errors.OutOfRangeError:
            pass
        out[name] = repr([_text(v) for v in values])
    for name, value in sess.run(_single_values(tf)).items():
        out[name] = repr(_text(value))
    return out

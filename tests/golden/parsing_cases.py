"""The Example / SequenceExample parsing cases shared by make_parsing_goldens.py (run with
real TensorFlow) and tests/ops/test_parsing_ops.py (run with tfcompat): ``build(tf)`` makes
the graph with whichever ``tf`` module it is given, ``flatten`` names every output array."""


def _feature(tf, feature, values):
    if isinstance(values[0], float):
        feature.float_list.value.extend(values)
    elif isinstance(values[0], bytes):
        feature.bytes_list.value.extend(values)
    else:
        feature.int64_list.value.extend(values)


def _example(tf, **features):
    example = tf.train.Example()
    for key, values in features.items():
        _feature(tf, example.features.feature[key], values)
    return example.SerializeToString()


def _sequence_example(tf, context, lists):
    example = tf.train.SequenceExample()
    for key, values in context.items():
        _feature(tf, example.context.feature[key], values)
    for key, steps in lists.items():
        feature_list = example.feature_lists.feature_list[key]
        for values in steps:
            _feature(tf, feature_list.feature.add(), values)
    return example.SerializeToString()


def build(tf):
    """A list of dicts of tensors / SparseTensors covering every feature kind."""
    records = [_example(tf, v=[1, 2, 3], seq=[1.0, 2.0, 3.0, 4.0], idx=[3, 0],
                        val=[0.5, 1.5], w=[b"a"], d=[2.0]),
               _example(tf, v=[7], idx=[1], val=[2.5], w=[b"b", b"c"])]
    features = {"v": tf.VarLenFeature(tf.int64), "w": tf.VarLenFeature(tf.string),
                "seq": tf.FixedLenSequenceFeature([2], tf.float32, allow_missing=True),
                "sp": tf.SparseFeature("idx", "val", tf.float32, 5),
                "d": tf.FixedLenFeature([1], tf.float32, default_value=[-1.0])}
    sequences = [_sequence_example(
        tf, {"len": [3], "tags": [4, 5]},
        {"tok": [[1], [2], [3]], "emb": [[0.5, 1.0], [1.5, 2.0], [2.5, 3.0]],
         "words": [[b"a", b"b"], [b"c"]]}),
        _sequence_example(tf, {"len": [1]}, {"tok": [[9]], "words": [[b"x"]]})]
    context = {"len": tf.FixedLenFeature([], tf.int64), "tags": tf.VarLenFeature(tf.int64)}
    sequence = {"tok": tf.FixedLenSequenceFeature([], tf.int64),
                "emb": tf.FixedLenSequenceFeature([2], tf.float32, allow_missing=True),
                "words": tf.VarLenFeature(tf.string)}
    first = tf.parse_single_sequence_example(sequences[0], context, sequence)
    second = tf.parse_single_sequence_example(sequences[1], context, sequence)
    batch = tf.io.parse_sequence_example(sequences, context, sequence)
    return [tf.parse_example(records, features), tf.parse_single_example(records[1], features),
            *first, *second, *batch]


def flatten(values):
    """{"<case>/<key>[/indices|/values|/dense_shape]": array} of session results."""
    flat = {}
    for case, parsed in enumerate(values):
        for key, value in sorted(parsed.items()):
            if hasattr(value, "dense_shape"):
                for part in ("indices", "values", "dense_shape"):
                    flat[f"{case}/{key}/{part}"] = getattr(value, part)
            else:
                flat[f"{case}/{key}"] = value
    return flat

"""Partitioners, get_variable(partitioner=...) and PartitionedVariable (TF 1.15 semantics)."""
import numpy as np
import pytest

import tfcompat as tf
from tfcompat.ops.variables import PartitionedVariable


def _run(fetches, feed=None):
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        return sess.run(fetches, feed)


# ---- partitioners ---------------------------------------------------------------------------
@pytest.mark.parametrize("num_shards,axis,shape,expected", [
    (3, 0, [10, 4], [3, 1]), (3, 0, [2, 3], [2, 1]), (2, 1, [5, 4], [1, 2]), (4, 0, [7], [4])])
def test_fixed_size_partitioner(num_shards, axis, shape, expected):
    partitioner = tf.fixed_size_partitioner(num_shards, axis=axis)
    assert partitioner(shape=tf.TensorShape(shape), dtype=tf.float32) == expected


@pytest.mark.parametrize("kwargs,shape,dtype,expected", [
    (dict(max_partitions=4, min_slice_size=8), [7], tf.float32, [4]),     # ceil(28 / 8)
    (dict(max_partitions=2, min_slice_size=8), [7], tf.float32, [2]),     # capped
    (dict(max_partitions=16), [1024, 1024], tf.float32, [16, 1]),         # TF's example
    (dict(max_partitions=100, min_slice_size=4), [3, 5], tf.float64, [3, 1]),  # dim caps
    (dict(max_partitions=8, axis=1, min_slice_size=64), [4, 10], tf.float32, [1, 3]),
    (dict(max_partitions=8, min_slice_size=32), [6], tf.string, [3]),     # 16 bytes each
    (dict(max_partitions=8), [3], tf.float32, [1]),                       # at least one
])
def test_min_max_variable_partitioner(kwargs, shape, dtype, expected):
    partitioner = tf.min_max_variable_partitioner(**kwargs)
    assert partitioner(tf.TensorShape(shape), dtype) == expected


def test_min_max_variable_partitioner_axis_error():
    with pytest.raises(ValueError, match=r"Can not partition variable along axis 2 when shape "
                                         r"is only \(7,\)"):
        tf.min_max_variable_partitioner(4, axis=2)(tf.TensorShape([7]), tf.float32)


@pytest.mark.parametrize("args,kwargs,shape,dtype,expected", [
    ((16,), {}, [7, 3], tf.float32, [7, 1]),            # 12 bytes a row: one row a shard
    ((24,), {}, [7, 3], tf.float32, [4, 1]),            # two rows a shard
    ((24,), dict(max_shards=3), [7, 3], tf.float32, [3, 1]),
    ((1 << 20,), {}, [7, 3], tf.float32, [1, 1]),
    ((40,), dict(axis=1), [5, 4], tf.float64, [1, 4]),  # one column is 40 bytes
    ((64,), dict(bytes_per_string_element=8), [16], tf.string, [2]),
])
def test_variable_axis_size_partitioner(args, kwargs, shape, dtype, expected):
    partitioner = tf.variable_axis_size_partitioner(*args, **kwargs)
    assert partitioner(tf.TensorShape(shape), dtype) == expected


def test_variable_axis_size_partitioner_errors():
    with pytest.raises(ValueError, match="Both max_shard_bytes and bytes_per_string_element "
                                         "must be positive."):
        tf.variable_axis_size_partitioner(0)
    with pytest.raises(ValueError, match="max_shards must be positive."):
        tf.variable_axis_size_partitioner(8, max_shards=-1)
    partitioner = tf.variable_axis_size_partitioner(8)
    with pytest.raises(ValueError, match="shape is not a TensorShape"):
        partitioner([7, 3], tf.float32)
    with pytest.raises(ValueError, match="shape is not fully defined"):
        partitioner(tf.TensorShape([None, 3]), tf.float32)
    with pytest.raises(ValueError, match="dtype is not a DType"):
        partitioner(tf.TensorShape([7, 3]), np.float32)


# ---- get_variable with a partitioner -----------------------------------------------------------
def test_parts_names_shapes_and_slice_info():
    with tf.Graph().as_default():
        with tf.variable_scope("s", partitioner=tf.fixed_size_partitioner(3)):
            v = tf.get_variable("w", [10, 4])
        assert isinstance(v, PartitionedVariable)
        assert (v.name, v.get_shape().as_list(), v.shape.as_list()) == ("s/w", [10, 4], [10, 4])
        assert v.dtype == tf.float32 and len(v) == 3 and v._get_partitions() == [3, 1]
        parts = list(v)
        assert parts == v._get_variable_list()
        assert [p.name for p in parts] == ["s/w/part_0:0", "s/w/part_1:0", "s/w/part_2:0"]
        assert [p.shape.as_list() for p in parts] == [[4, 4], [3, 4], [3, 4]]
        infos = [p._save_slice_info for p in parts]
        assert [(i.full_name, i.full_shape) for i in infos] == [("s/w", [10, 4])] * 3
        assert [i.var_offset for i in infos] == [[0, 0], [4, 0], [7, 0]]
        assert [i.spec for i in infos] == ["10 4 0,4:0,4", "10 4 4,3:0,4", "10 4 7,3:0,4"]
        assert tf.global_variables() == parts and tf.trainable_variables() == parts


def test_partition_along_second_axis_and_min_max():
    with tf.Graph().as_default():
        v = tf.get_variable("v", [3, 5], partitioner=tf.fixed_size_partitioner(2, axis=1))
        assert [p.shape.as_list() for p in v] == [[3, 3], [3, 2]]
        assert [p._save_slice_info.spec for p in v] == ["3 5 0,3:0,3", "3 5 0,3:3,2"]
        b = tf.get_variable("b", [7], partitioner=tf.min_max_variable_partitioner(
            4, min_slice_size=8))
        assert [p.shape.as_list() for p in b] == [[2], [2], [2], [1]]
        full, parts = _run([v.as_tensor(), list(v)])
        np.testing.assert_array_equal(full, np.concatenate(parts, axis=1))


def test_scalar_shape_ignores_partitioner():
    with tf.Graph().as_default():
        v = tf.get_variable("s", [], partitioner=tf.fixed_size_partitioner(2))
        assert isinstance(v, tf.Variable) and v.name == "s:0"


def test_as_tensor_op_names_and_control_dependencies():
    with tf.Graph().as_default():
        v = tf.get_variable("w", [5, 2], partitioner=tf.fixed_size_partitioner(2))
        first = tf.convert_to_tensor(v)
        assert first.name == "w:0" and first.op.type == "Identity"
        assert first.op.inputs[0].op.name == "w/ConcatPartitions/concat"
        with tf.control_dependencies([tf.no_op(name="gate")]):
            second = v.as_tensor()
        assert second.name == "w_1:0" and not second.op.control_inputs
        with pytest.raises(NotImplementedError, match="used as a reference"):
            tf.convert_to_tensor(v, as_ref=True)
        with pytest.raises(ValueError, match="Incompatible type conversion"):
            tf.convert_to_tensor(v, dtype=tf.int32)
        single = tf.get_variable("one", [1, 3], partitioner=tf.fixed_size_partitioner(4))
        assert len(single) == 1 and single.as_tensor().op.inputs[0].name == "one/part_0/read:0"


def test_initializers_per_part():
    value = np.arange(24, dtype=np.float32).reshape(6, 4)
    with tf.Graph().as_default() as graph:
        from_tensor = tf.get_variable("t", initializer=tf.constant(value),
                                      partitioner=tf.fixed_size_partitioner(4))
        from_array = tf.get_variable("a", [6, 4], initializer=value,
                                     partitioner=tf.fixed_size_partitioner(4))
        eye = tf.get_variable("eye", [5, 3], initializer=tf.initializers.identity(),
                              partitioner=tf.fixed_size_partitioner(2))
        assert graph.get_operation_by_name("t/part_1/PartitionedInitializer/Slice")
        wide = tf.get_variable("wide", initializer=tf.constant(value, tf.float64),
                               partitioner=tf.fixed_size_partitioner(2))
        assert wide.dtype == tf.float64 and list(wide)[1].dtype.base_dtype == tf.float64
        glorot = tf.get_variable("g", [1000, 2], partitioner=tf.fixed_size_partitioner(2),
                                 initializer=tf.glorot_uniform_initializer(seed=3))
        seen = []

        def recording(shape, dtype=None, partition_info=None):
            seen.append((shape, partition_info.full_shape, partition_info.var_offset,
                         partition_info.single_offset(shape)))
            return tf.zeros(shape, dtype)
        tf.get_variable("r", [5, 2], initializer=recording,
                        partitioner=tf.fixed_size_partitioner(2))
        t, a, e, g = _run([from_tensor.as_tensor(), from_array.as_tensor(), eye.as_tensor(),
                           glorot.as_tensor()])
    np.testing.assert_array_equal(t, value)
    np.testing.assert_array_equal(a, value)
    np.testing.assert_array_equal(e, np.eye(5, 3, dtype=np.float32))
    # Each part is scaled by the whole variable's fans: limit sqrt(6 / 1002), not 6 / 502.
    limit = np.sqrt(6.0 / 1002)
    assert np.abs(g).max() <= limit and np.abs(g).max() > 0.95 * limit
    assert seen == [([3, 2], [5, 2], [0, 0], 0), ([2, 2], [5, 2], [3, 0], 3)]


def test_partition_info_checks():
    from tfcompat.ops.variable_scope import _PartitionInfo
    info = _PartitionInfo([10, 4], [4, 0])
    assert info.single_slice_dim([3, 4]) == 0 and info.single_offset([3, 4]) == 4
    with pytest.raises(ValueError, match="Expected 0 <= offset < shape"):
        _PartitionInfo([10, 4], [10, 0])
    with pytest.raises(TypeError, match="`full_shape` must be a sequence"):
        _PartitionInfo(10, [0])
    with pytest.raises(ValueError, match="would exceed"):
        info.single_slice_dim([7, 4])


def test_reuse_and_errors():
    with tf.Graph().as_default():
        partitioner = tf.fixed_size_partitioner(3)
        with tf.variable_scope("s", partitioner=partitioner):
            v = tf.get_variable("w", [10, 4])
        with tf.variable_scope("s", reuse=True):
            assert tf.get_variable("w") is v   # found without a partitioner
            assert tf.get_variable("w", [10, 4], partitioner=partitioner) is v
            with pytest.raises(ValueError, match=r"Trying to reuse partitioned variable s/w, "
                                                 r"but specified shape \(10, 5\)"):
                tf.get_variable("w", [10, 5])
            with pytest.raises(ValueError, match=r"specified partitions \[2, 1\] and found "
                                                 r"partitions \[3, 1\]"):
                tf.get_variable("w", [10, 4], partitioner=tf.fixed_size_partitioner(2))
            with pytest.raises(ValueError, match="PartitionedVariable s/x does not exist"):
                tf.get_variable("x", [3], partitioner=partitioner)
        with tf.variable_scope("s", reuse=tf.AUTO_REUSE, partitioner=partitioner):
            assert tf.get_variable("w", [10, 4]) is v
        with tf.variable_scope("s", partitioner=partitioner):
            with pytest.raises(ValueError, match="Partitioned variable with name s/w already "
                                                 "exists"):
                tf.get_variable("w", [10, 4])
        with tf.variable_scope("s"):
            with pytest.raises(ValueError, match="No partitioner was provided, but a "
                                                 "partitioned version of the variable was "
                                                 "found: s/w/part_0"):
                tf.get_variable("w", [10, 4])
        tf.get_variable("plain", [4])
        with pytest.raises(ValueError, match="an unpartitioned version of the variable was "
                                             "found: plain"):
            tf.get_variable("plain", [4], partitioner=partitioner)
        with pytest.raises(ValueError, match="Partitioner must be callable"):
            tf.get_variable("bad", [4], partitioner=3)


def test_partitioner_result_checks():
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match="Can only slice a variable along one dimension"):
            tf.get_variable("a", [4, 4], partitioner=lambda shape, dtype: [2, 2])
        with pytest.raises(ValueError, match="zero partitions for some axes"):
            tf.get_variable("b", [4, 4], partitioner=lambda shape, dtype: [0, 1])
        with pytest.raises(ValueError, match="does not match the Variable's rank"):
            tf.get_variable("c", [4, 4], partitioner=lambda shape, dtype: [2])
        with pytest.raises(ValueError, match="must be fully defined"):
            tf.get_variable("d", initializer=np.ones(3, np.float32),
                            partitioner=tf.fixed_size_partitioner(2))


def test_create_partitioned_variables():
    with tf.Graph().as_default():
        parts = tf.create_partitioned_variables([5, 2], [2, 1], tf.ones_initializer())
        assert [p.name for p in parts] == ["PartitionedVariable/part_0:0",
                                           "PartitionedVariable/part_1:0"]
        named = tf.create_partitioned_variables([5, 2], [1, 2], np.arange(10.0).reshape(5, 2),
                                                dtype=tf.float64, name="cp")
        assert [p.name for p in named] == ["cp/part_0:0", "cp/part_1:0"]
        assert named[0].dtype.base_dtype == tf.float64
        values = _run(named)
        np.testing.assert_array_equal(np.concatenate(values, 1), np.arange(10.0).reshape(5, 2))
        with pytest.raises(ValueError, match="must have the length"):
            tf.create_partitioned_variables([5, 2], [2], tf.ones_initializer())
        with pytest.raises(ValueError, match="rank at least 1"):
            tf.create_partitioned_variables([], [], tf.ones_initializer())


def test_assign_splits_the_value():
    value = np.arange(20, dtype=np.float32).reshape(10, 2)
    with tf.Graph().as_default():
        v = tf.get_variable("w", [10, 2], partitioner=tf.fixed_size_partitioner(3))
        assigns = v.assign(value)
        assert [a.op.type for a in assigns] == ["Assign"] * 3
        assert all(isinstance(op, tf.Operation) for op in v.assign(value, read_value=False))
        add = v.assign_add([np.ones([4, 2], np.float32), np.ones([3, 2], np.float32),
                            np.ones([3, 2], np.float32)])
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            sess.run(assigns)
            np.testing.assert_array_equal(sess.run(v.as_tensor()), value)
            sess.run(add)
            np.testing.assert_array_equal(sess.run(v.as_tensor()), value + 1)
        with pytest.raises(ValueError, match="Got 2 values for 3 partitions"):
            v.assign([value, value])


def test_matmul_value_and_finite_difference_gradient():
    """d loss / d part through the concat of parts, against central differences (float64)."""
    rng = np.random.default_rng(5)
    x_value, u = rng.normal(size=(2, 5)), rng.normal(size=(2, 3))
    with tf.Graph().as_default():
        v = tf.get_variable("w", [5, 3], dtype=tf.float64,
                            partitioner=tf.fixed_size_partitioner(2))
        out = tf.tanh(tf.matmul(tf.constant(x_value), v))
        loss = tf.reduce_sum(out * u)
        reads = [part.value() for part in v]
        grads = tf.gradients(loss, reads)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            values = sess.run(reads)
            full = np.concatenate(values, 0)
            np.testing.assert_allclose(sess.run(out), np.tanh(x_value @ full), rtol=1e-12)
            analytic = sess.run(grads)
            for index, part in enumerate(values):
                numeric = np.zeros_like(part)
                for flat in range(part.size):
                    bumped = []
                    for sign in (1.0, -1.0):
                        moved = part.copy()
                        moved.reshape(-1)[flat] += sign * 1e-6
                        bumped.append(sess.run(loss, {reads[index]: moved}))
                    numeric.reshape(-1)[flat] = (bumped[0] - bumped[1]) / 2e-6
                np.testing.assert_allclose(analytic[index], numeric, atol=1e-7, rtol=1e-6)


@pytest.mark.parametrize("strategy", ["mod", "div"])
def test_embedding_lookup_strategies(strategy):
    table = np.arange(30, dtype=np.float32).reshape(10, 3)
    ids = np.array([[0, 3], [9, 4], [7, 7]])
    with tf.Graph().as_default():
        v = tf.get_variable("emb", initializer=tf.constant(table),
                            partitioner=tf.fixed_size_partitioner(3))
        looked = tf.nn.embedding_lookup(v, ids, partition_strategy=strategy)
        sparse = tf.nn.embedding_lookup_sparse(
            v, tf.SparseTensor([[0, 0], [0, 1], [1, 0]], tf.constant([0, 3, 9], tf.int64),
                               [2, 2]), None, partition_strategy=strategy, combiner="sum")
        got, got_sparse, parts = _run([looked, sparse, list(v)])
    if strategy == "mod":  # id lives in part id % 3 at row id // 3
        expected = np.stack([[parts[i % 3][i // 3] for i in row] for row in ids])
    else:  # contiguous blocks: the whole table's row
        expected = table[ids]
    np.testing.assert_array_equal(got, expected)
    flat = expected.reshape(-1, 3)
    np.testing.assert_array_equal(got_sparse, np.stack([flat[0] + flat[1], flat[2]]))
    if strategy == "mod":
        assert not np.array_equal(got, table[ids])


def test_minimize_trains_each_part_with_slots():
    with tf.Graph().as_default():
        x = tf.constant(np.ones((2, 5), np.float32))
        v = tf.get_variable("w", [5, 2], partitioner=tf.fixed_size_partitioner(2),
                            initializer=tf.zeros_initializer())
        loss = tf.reduce_sum(tf.matmul(x, v)) + tf.reduce_sum(
            tf.nn.embedding_lookup(v, [1, 4]))
        train = tf.train.AdamOptimizer(0.1).minimize(loss)
        names = sorted(var.op.name for var in tf.global_variables())
        assert names == ["beta1_power", "beta2_power", "w/part_0", "w/part_0/Adam",
                         "w/part_0/Adam_1", "w/part_1", "w/part_1/Adam", "w/part_1/Adam_1"]
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            sess.run(train)
            np.testing.assert_allclose(sess.run(v.as_tensor()), np.full((5, 2), -0.1),
                                       rtol=1e-5)


def test_layers_and_contrib_through_scope_partitioner():
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [None, 6])
        with tf.variable_scope("net", partitioner=tf.fixed_size_partitioner(2)):
            layer = tf.layers.Dense(3, kernel_regularizer=tf.nn.l2_loss)
            y = layer(x)
        assert isinstance(layer.kernel, PartitionedVariable)
        # As TF 1.x: the parts are the layer's weights (the non-trainable ones, TF's quirk).
        assert [w.op.name for w in layer.non_trainable_weights] == [
            "net/dense/kernel/part_0", "net/dense/kernel/part_1",
            "net/dense/bias/part_0", "net/dense/bias/part_1"]
        assert [loss.name for loss in tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)] \
            == ["net/dense/kernel/Regularizer/L2Loss:0", "net/dense/kernel/Regularizer_1/L2Loss:0"]
        assert y.op.inputs[0].op.inputs[1].op.inputs[0].op.name == \
            "net/dense/kernel/ConcatPartitions/concat"
        m = tf.contrib.framework.model_variable("mv", [5, 2],
                                                partitioner=tf.fixed_size_partitioner(2))
        assert isinstance(m, PartitionedVariable)
        assert [v.op.name for v in tf.get_collection(tf.GraphKeys.MODEL_VARIABLES)] == [
            "mv/part_0", "mv/part_1"]
        seen = {}

        def getter(next_getter, name, *args, **kwargs):
            seen[name] = kwargs.get("partitioner")
            return next_getter(name, *args, **kwargs)
        partitioner = tf.fixed_size_partitioner(2)
        with tf.variable_scope("g", custom_getter=getter):
            tf.get_variable("w", [4], partitioner=partitioner)
        assert seen == {"g/w": partitioner}


def test_regularizer_per_part():
    with tf.Graph().as_default():
        with tf.variable_scope("s", regularizer=tf.nn.l2_loss,
                               partitioner=tf.fixed_size_partitioner(2)):
            tf.get_variable("w", [3, 2])
        assert [loss.op.name for loss in tf.get_collection(
            tf.GraphKeys.REGULARIZATION_LOSSES)] == ["s/w/part_0/Regularizer/L2Loss",
                                                     "s/w/part_1/Regularizer/L2Loss"]


def test_constant_initializer_of_the_whole_value_fails_per_part():
    """TF calls constant_initializer with each part's shape: a whole-variable array is too
    many elements for a part (pass the array itself as initializer to slice it)."""
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match="Too many elements provided. Needed at most 4, "
                                             "but received 8"):
            tf.get_variable("c", [4, 2], partitioner=tf.fixed_size_partitioner(2),
                            initializer=tf.constant_initializer(np.arange(8.0).reshape(4, 2)))


def test_sampled_losses_look_up_partitioned_weights_by_strategy():
    """nce_loss / sampled_softmax_loss read a PartitionedVariable's rows as its parts (the
    "mod" strategy by default), matching the same lookup over the list of parts."""
    rng = np.random.default_rng(2)
    table = rng.normal(size=(7, 3)).astype(np.float32)
    inputs = rng.normal(size=(2, 3)).astype(np.float32)
    sampled = (np.array([1, 5, 6], np.int64), np.ones([2, 1], np.float32),
               np.ones([3], np.float32))
    with tf.Graph().as_default():
        pv = tf.get_variable("w", initializer=tf.constant(table),
                             partitioner=tf.fixed_size_partitioner(3))
        biases = tf.zeros([7])
        labels = tf.constant([[0], [4]], tf.int64)
        losses = [loss(weights, biases, labels, inputs, 3, 7, sampled_values=sampled)
                  for loss in (tf.nn.nce_loss, tf.nn.sampled_softmax_loss)
                  for weights in (pv, list(pv))]
        whole = tf.nn.nce_loss(pv.as_tensor(), biases, labels, inputs, 3, 7,
                               sampled_values=sampled)
        nce_pv, nce_parts, softmax_pv, softmax_parts, nce_whole = _run(losses + [whole])
    np.testing.assert_allclose(nce_pv, nce_parts, rtol=1e-6)
    np.testing.assert_allclose(softmax_pv, softmax_parts, rtol=1e-6)
    assert not np.allclose(nce_pv, nce_whole)  # "mod" rows differ from the whole table's

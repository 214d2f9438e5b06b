"""tf.Variable with TF 1.x ref-variable semantics (tfcompat/framework/variables.py): the ops a
variable is made of, initialisation, reads, assignments, load, collections and the
initializer helpers."""
import numpy as np
import pytest

import tfcompat as tf


@pytest.fixture(autouse=True)
def fresh_graph():
    tf.reset_default_graph()
    yield
    tf.reset_default_graph()


def test_variable_is_three_ops_named_like_tf():
    v = tf.Variable([1.0, 2.0], name="weights")
    assert v.name == "weights:0" and v.op.name == "weights" and v.op.type == "VariableV2"
    assert v.initializer.name == "weights/Assign" and v.initializer.type == "Assign"
    assert v.value().name == "weights/read:0" and v.value().op.type == "Identity"
    assert v.initial_value.name == "weights/initial_value:0"
    assert v.dtype == tf.float32._as_ref and v.dtype.base_dtype == tf.float32
    assert v.shape.as_list() == [2] and v.get_shape().as_list() == [2]
    assert v.graph is tf.get_default_graph()
    assert repr(v) == "<tf.Variable 'weights:0' shape=(2,) dtype=float32_ref>"


def test_default_names_are_uniquified_and_follow_name_scopes():
    a, b = tf.Variable(1.0), tf.Variable(2.0)
    assert (a.op.name, b.op.name) == ("Variable", "Variable_1")
    with tf.name_scope("dnn"):
        c = tf.Variable(3.0, name="w")
    assert c.op.name == "dnn/w"
    with tf.name_scope("dnn/"):
        d = tf.Variable(3.0, name="w")
    assert d.op.name == "dnn/w_1"


def test_initial_values_of_every_kind():
    from_list = tf.Variable([[1, 2], [3, 4]], name="ints")
    from_numpy = tf.Variable(np.arange(3, dtype=np.float64))
    from_tensor = tf.Variable(tf.ones([2, 3]) * 2)
    from_callable = tf.Variable(lambda: tf.zeros([2]), name="lazy")
    with_dtype = tf.Variable(1, dtype=tf.float32)
    random = tf.Variable(tf.truncated_normal([100, 5], stddev=0.1, seed=3))
    assert from_list.dtype.base_dtype == tf.int32 and from_numpy.dtype.base_dtype == tf.float64
    assert with_dtype.dtype.base_dtype == tf.float32
    assert from_callable.initial_value.name == "lazy/Initializer/zeros:0" or \
        from_callable.initial_value.op.name.startswith("lazy/Initializer/")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run(from_list).tolist() == [[1, 2], [3, 4]]
        assert sess.run(from_numpy).tolist() == [0.0, 1.0, 2.0]
        assert sess.run(from_tensor).tolist() == [[2.0] * 3] * 2
        assert sess.run(from_callable).tolist() == [0.0, 0.0]
        values = sess.run(random)
        assert values.shape == (100, 5) and np.abs(values).max() <= 0.2 + 1e-6
        # The initial value is random once; reading the variable does not re-sample it.
        assert np.array_equal(values, sess.run(random))


def test_construction_errors():
    with pytest.raises(ValueError, match="initial_value must be specified"):
        tf.Variable()
    with pytest.raises(ValueError, match="collections argument to Variable constructor must "
                                         "be a list"):
        tf.Variable(1.0, collections="mine")
    x = tf.placeholder(tf.float32, [None])
    with pytest.raises(ValueError, match="initial_value must have a shape specified"):
        tf.Variable(x)
    unshaped = tf.Variable(x, validate_shape=False)
    assert unshaped.shape.ndims is None


def test_uninitialized_use_fails_and_initializer_sets_the_value():
    with tf.variable_scope("hidden1"):
        w = tf.get_variable("kernel", [2, 2], initializer=tf.ones_initializer())
    y = w * 2
    with tf.Session() as sess:
        with pytest.raises(tf.errors.FailedPreconditionError,
                           match="Attempting to use uninitialized value hidden1/kernel"):
            sess.run(y)
        sess.run(w.initializer)
        assert sess.run(y).tolist() == [[2.0, 2.0], [2.0, 2.0]]


def test_assign_methods_and_functions():
    v = tf.Variable(10.0, name="v")
    ops_ = {
        "method_assign": v.assign(1.0), "method_add": v.assign_add(2.0),
        "method_sub": v.assign_sub(0.5), "tf_assign": tf.assign(v, 7.0),
        "tf_add": tf.assign_add(v, 1.0), "tf_sub": tf.assign_sub(v, 3.0),
    }
    assert ops_["method_assign"].op.type == "Assign" and ops_["tf_add"].op.type == "AssignAdd"
    assert ops_["tf_sub"].op.type == "AssignSub"
    no_read = v.assign(5.0, read_value=False)
    assert no_read.type == "Assign"     # an Operation, as in TF
    with tf.Session() as sess:
        sess.run(v.initializer)
        assert sess.run(ops_["method_assign"]) == 1.0
        assert sess.run(ops_["method_add"]) == 3.0
        assert sess.run(ops_["method_sub"]) == 2.5
        assert sess.run(ops_["tf_assign"]) == 7.0
        assert sess.run(ops_["tf_add"]) == 8.0
        assert sess.run(ops_["tf_sub"]) == 5.0
        assert sess.run(no_read) is None and sess.run(v) == 5.0


def test_assign_converts_and_checks_values():
    v = tf.Variable([1.0, 2.0])
    with pytest.raises(ValueError):
        tf.assign(v, [1.0, 2.0, 3.0])            # static shape mismatch
    with pytest.raises(TypeError):
        tf.assign(tf.constant(1.0), 2.0)         # not a variable
    grow = tf.assign(v, [1.0, 2.0, 3.0], validate_shape=False)
    p = tf.placeholder(tf.float32, [None])
    checked = tf.assign(v, p)
    with tf.Session() as sess:
        sess.run(v.initializer)
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match="Assign requires shapes of both tensors to match"):
            sess.run(checked, {p: [1.0, 2.0, 3.0]})
        assert sess.run(v).tolist() == [1.0, 2.0]
        assert sess.run(grow).tolist() == [1.0, 2.0, 3.0]


def test_eval_value_read_value_and_load():
    v = tf.Variable([1.0, 2.0], name="v")
    read = v.read_value()
    assert read.op.type == "Identity" and read.op.inputs[0] is v.op.outputs[0]
    sess = tf.Session()
    with pytest.raises(ValueError, match="Either session argument should be provided"):
        v.load([0.0, 0.0])
    v.load([3.0, 4.0], sess)                  # load initializes it, adding no op
    n_ops = len(tf.get_default_graph().get_operations())
    assert v.eval(session=sess).tolist() == [3.0, 4.0]
    with sess.as_default():
        v.load([5.0, 6.0])
        assert v.eval().tolist() == [5.0, 6.0]
        assert v.value().eval().tolist() == [5.0, 6.0]
        assert read.eval().tolist() == [5.0, 6.0]
    assert len(tf.get_default_graph().get_operations()) == n_ops


def test_read_value_under_control_dependencies_sees_the_update():
    """TF's read_value is a new read of the ref: with a control dependency on an update it
    returns the updated value."""
    v = tf.Variable(0.0)
    inc = tf.assign_add(v, 1.0)
    with tf.control_dependencies([inc]):
        read = v.read_value()
    with tf.Session() as sess:
        sess.run(v.initializer)
        assert sess.run(read) == 1.0
        assert sess.run(read) == 2.0


def test_fetched_values_do_not_change_with_later_updates():
    v = tf.Variable([1.0, 2.0])
    inc = v.assign_add([1.0, 1.0])
    with tf.Session() as sess:
        sess.run(v.initializer)
        before = sess.run(v)
        sess.run(inc)
        assert before.tolist() == [1.0, 2.0]
        before[0] = 100.0                     # writing the fetched array leaves v alone
        assert sess.run(v).tolist() == [2.0, 3.0]


def test_operators_on_variables():
    v = tf.Variable([[1.0, 2.0], [3.0, 4.0]])
    exprs = [v + 1, 1 + v, v - 1, v * 2, v / 2, -v, v @ v, v[0], v ** 2, abs(-v), v > 2]
    with tf.Session() as sess:
        sess.run(v.initializer)
        got = sess.run(exprs)
    a = np.array([[1.0, 2.0], [3.0, 4.0]])
    want = [a + 1, 1 + a, a - 1, a * 2, a / 2, -a, a @ a, a[0], a ** 2, a, a > 2]
    for g, w in zip(got, want):
        assert np.allclose(g, w)
    with pytest.raises(TypeError, match="'Variable' object is not iterable"):
        iter(v)


def test_collections_and_trainability():
    w = tf.Variable(1.0, name="w")
    frozen = tf.Variable(1.0, name="frozen", trainable=False)
    local = tf.Variable(1.0, name="local", collections=[tf.GraphKeys.LOCAL_VARIABLES])
    custom = tf.Variable(1.0, name="custom", collections=["mine"], trainable=False)
    assert tf.global_variables() == [w, frozen]
    assert tf.trainable_variables() == [w, local]      # trainable=True adds it, as in TF
    assert tf.local_variables() == [local] and tf.get_collection("mine") == [custom]
    assert w.trainable and not frozen.trainable


def test_initializer_helpers():
    a = tf.Variable(1.0, name="a")
    b = tf.Variable(2.0, name="b")
    local = tf.Variable(3.0, name="l", collections=[tf.GraphKeys.LOCAL_VARIABLES])
    init = tf.global_variables_initializer()
    assert init.name == "init" and init.type == "NoOp"
    assert set(init.control_inputs) == {a.initializer, b.initializer}
    assert tf.variables_initializer([]).type == "NoOp"
    only_b = tf.variables_initializer([b], name="init_b")
    assert only_b.name == "init_b"
    with tf.Session() as sess:
        sess.run(only_b)
        assert not sess.run(tf.is_variable_initialized(a))
        assert sess.run(tf.is_variable_initialized(b))
        sess.run(init)
        sess.run(tf.local_variables_initializer())
        assert sess.run([a, b, local]) == [1.0, 2.0, 3.0]
        assert sess.run(tf.assert_variables_initialized())


def test_report_uninitialized_variables():
    with tf.variable_scope("hidden1"):
        kernel = tf.get_variable("kernel", [2])
    tf.Variable(0, name="counter")
    report = tf.report_uninitialized_variables()
    assert report.dtype == tf.string
    with tf.Session() as sess:
        assert sess.run(report).tolist() == [b"hidden1/kernel", b"counter"]
        sess.run(kernel.initializer)
        assert sess.run(report).tolist() == [b"counter"]
        sess.run(tf.global_variables_initializer())
        assert sess.run(report).tolist() == []
    with tf.Graph().as_default():
        empty = tf.report_uninitialized_variables()
        with tf.Session() as sess:
            assert sess.run(empty).tolist() == []


def test_variables_of_two_sessions_are_independent():
    v = tf.Variable(1.0)
    add = v.assign_add(1.0)
    s1, s2 = tf.Session(), tf.Session()
    s1.run(v.initializer)
    s2.run(v.initializer)
    s1.run(add)
    s1.run(add)
    assert s1.run(v) == 3.0 and s2.run(v) == 1.0
    s3 = tf.Session()
    with pytest.raises(tf.errors.FailedPreconditionError):
        s3.run(v)


def test_numpy_array_on_the_left_of_a_variable():
    v = tf.Variable([1.0, 2.0])
    product = np.array([2.0, 3.0], np.float32) * v
    with tf.Session() as sess:
        sess.run(v.initializer)
        assert sess.run(product).tolist() == [2.0, 6.0]


def test_initialized_value_initialises_other_variables_before_its_own_initializer_ran():
    """TF 1.x's initialized_value is a tf.cond on is_variable_initialized: the initial value
    while the variable is uninitialised (no error), its current value afterwards."""
    v = tf.Variable(3.0, name="v")
    w = tf.Variable(v.initialized_value() * 2.0, name="w")
    value = v.initialized_value()
    assert value.op.type == "Merge"
    assert "RefSwitch" in {op.type for op in tf.get_default_graph().get_operations()}
    with tf.Session() as sess:
        for _ in range(2):  # the reference run, then the generated plan
            sess.run(w.initializer)
            assert sess.run(w) == 6.0
        sess.run(v.initializer)
        sess.run(v.assign(5.0))
        for _ in range(2):
            assert sess.run(value) == 5.0
            sess.run(w.initializer)
            assert sess.run(w) == 10.0
        assert sess.run(tf.gradients(value * 3.0, v)[0]) == 3.0

"""tf.Session (tfcompat/client/session.py): fetch structures, feeds (placeholders, names,
intermediate tensors), dtype conversion, TF 1.x's errors and messages, atomic runs,
independent sessions, default and interactive sessions, and plan caching."""
import collections

import numpy as np
import pytest

import tfcompat as tf


@pytest.fixture(autouse=True)
def fresh_graph():
    tf.reset_default_graph()
    yield
    tf.reset_default_graph()


def mnist_like_graph():
    X = tf.placeholder(tf.float32, shape=(None, 784), name="X")
    with tf.variable_scope("hidden1"):
        kernel = tf.get_variable("kernel", [784, 10], initializer=tf.ones_initializer())
    hidden = tf.matmul(X, kernel, name="hidden")
    loss = tf.reduce_sum(hidden, name="loss")
    return X, kernel, hidden, loss


# ---- fetches -------------------------------------------------------------------------------------
def test_fetch_structures_are_mirrored():
    a = tf.constant(1.0, name="a")
    b = tf.constant([2, 3], name="b")
    noop = tf.no_op(name="noop")
    Pair = collections.namedtuple("Pair", "first second")
    fetches = {"list": [a, (b, noop)], "pair": Pair(a, [b]), "op": noop,
               "nested": {"deep": [[a]]}}
    with tf.Session() as sess:
        out = sess.run(fetches)
    assert set(out) == {"list", "pair", "op", "nested"} and out["op"] is None
    assert isinstance(out["list"], list) and isinstance(out["list"][1], tuple)
    assert out["list"][0] == 1.0 and out["list"][1][0].tolist() == [2, 3]
    assert out["list"][1][1] is None
    assert isinstance(out["pair"], Pair) and out["pair"].first == 1.0
    assert out["pair"].second[0].tolist() == [2, 3]
    assert out["nested"] == {"deep": [[1.0]]}


def test_ordered_and_default_dicts_keep_their_type():
    a = tf.constant(1)
    ordered = collections.OrderedDict([("z", a), ("a", a)])
    default = collections.defaultdict(list, {"x": a})
    with tf.Session() as sess:
        got_ordered, got_default = sess.run([ordered, default])
    assert isinstance(got_ordered, collections.OrderedDict) and list(got_ordered) == ["z", "a"]
    assert isinstance(got_default, collections.defaultdict) and got_default["x"] == 1
    assert got_default["missing"] == []


def test_fetch_by_name_variables_and_duplicates():
    X, kernel, hidden, loss = mnist_like_graph()
    init = tf.global_variables_initializer()
    feed = {X: np.ones((2, 784))}
    with tf.Session() as sess:
        assert sess.run("init") is None
        by_name = sess.run(["loss:0", "hidden1/kernel:0", kernel, loss, loss], feed)
        assert by_name[0] == by_name[3] == by_name[4] == 2 * 784 * 10
        assert by_name[1].shape == (784, 10) and np.array_equal(by_name[1], by_name[2])
        assert sess.run(init.name) is None


def test_fetch_errors():
    a = tf.constant(1.0)
    with tf.Graph().as_default():
        foreign = tf.constant(2.0)
    with tf.Session() as sess:
        with pytest.raises(TypeError, match="Fetch argument None has invalid type"):
            sess.run(None)
        with pytest.raises(TypeError, match="Fetch argument 3 has invalid type"):
            sess.run(3)
        with pytest.raises(ValueError, match="Fetch argument 'nope:0' cannot be interpreted as "
                                             "a Tensor"):
            sess.run("nope:0")
        with pytest.raises(ValueError, match="is not an element of this graph"):
            sess.run(foreign)
        assert sess.run([a, []]) == [1.0, []]


def test_results_are_numpy_values():
    s = tf.constant("text")
    f = tf.constant(2.5)
    i = tf.constant([1, 2])
    with tf.Session() as sess:
        text, scalar, vector = sess.run([s, f, i])
    assert text == b"text" and isinstance(scalar, np.float32) and vector.dtype == np.int32


# ---- feeds ---------------------------------------------------------------------------------------
def test_feed_placeholders_by_tensor_and_by_name():
    X, kernel, hidden, loss = mnist_like_graph()
    with tf.Session() as sess:
        sess.run(kernel.initializer)
        value = np.ones((3, 784), np.float32)
        assert sess.run(loss, {X: value}) == 3 * 7840
        assert sess.run(loss, {"X:0": value}) == 3 * 7840


def test_feeding_an_intermediate_tensor_skips_everything_upstream():
    X, kernel, hidden, loss = mnist_like_graph()
    with tf.Session() as sess:
        # Neither X (unfed) nor the uninitialized kernel are needed: only `loss` runs.
        assert sess.run(loss, {hidden: np.full((4, 10), 0.5)}) == 20.0
        assert sess.run(loss, {"hidden:0": np.ones((1, 10))}) == 10.0
        with pytest.raises(tf.errors.InvalidArgumentError):
            sess.run(loss)


def test_feeding_a_variable_and_a_constant():
    v = tf.Variable(3.0)
    c = tf.constant(1.0)
    y = v * 2 + c
    with tf.Session() as sess:
        assert sess.run(y, {v: 10.0, c: 0.0}) == 20.0   # no initializer needed
        assert sess.run(c, {c: 5.0}) == 5.0             # a fed fetch returns the feed


def test_feed_values_are_converted_to_the_tensor_dtype():
    f = tf.placeholder(tf.float32, [None])
    i = tf.placeholder(tf.int32, [None])
    s = tf.placeholder(tf.string, [])
    b = tf.placeholder(tf.bool, [2])
    with tf.Session() as sess:
        got_f, got_i, got_s, got_b = sess.run([f, i, s, b], {
            f: [1, 2], i: np.array([1.0, 2.0]), s: "abc", b: [1, 0]})
    assert got_f.dtype == np.float32 and got_f.tolist() == [1.0, 2.0]
    assert got_i.dtype == np.int32 and got_i.tolist() == [1, 2]
    assert got_s == b"abc"
    assert got_b.dtype == np.bool_ and got_b.tolist() == [True, False]
    with tf.Session() as sess:
        with pytest.raises(TypeError, match="is not compatible with Tensor type"):
            sess.run(i, {i: [0], tf.placeholder(tf.int32, []): 2**40})


def test_feed_errors():
    X, kernel, hidden, loss = mnist_like_graph()
    with tf.Session() as sess:
        with pytest.raises(ValueError) as info:
            sess.run(loss, {X: np.zeros((50, 783))})
        assert str(info.value) == ("Cannot feed value of shape (50, 783) for Tensor 'X:0', "
                                   "which has shape '(?, 784)'")
        with pytest.raises(TypeError, match="The value of a feed cannot be a tf.Tensor object"):
            sess.run(loss, {X: tf.zeros([1, 784])})
        with pytest.raises(TypeError, match="Cannot interpret feed_dict key as Tensor"):
            sess.run(loss, {"nope:0": 1.0})
        with pytest.raises(TypeError, match="Cannot interpret feed_dict key as Tensor"):
            sess.run(loss, {"X": np.zeros((1, 784))})    # an op name, not a tensor name


def test_feeds_after_the_first_run_with_the_same_keys_get_every_check():
    """Later runs with the same feed_dict keys reuse the keys' resolution, but each value
    is still checked (a fast path only takes arrays of the right dtype and shape)."""
    X = tf.placeholder(tf.float32, [None, 3], name="X")
    flag = tf.placeholder(tf.bool, [], name="flag")
    labels = tf.placeholder(tf.int32, [None], name="labels")
    total = tf.reduce_sum(X) + tf.cast(flag, tf.float32) + tf.cast(tf.reduce_sum(labels),
                                                                   tf.float32)
    with tf.Session() as sess:
        for _ in range(3):
            assert sess.run(total, {X: np.ones((2, 3), np.float32), flag: True,
                                    labels: np.array([1, 2], np.int32)}) == 10.0
        # Other dtypes are converted, Python values too, on the cached path as before.
        assert sess.run(total, {X: np.ones((1, 3)), flag: False, labels: [4]}) == 7.0
        assert sess.run(total, {X: [[1, 1, 1]], flag: np.bool_(True), labels: [0]}) == 4.0
        with pytest.raises(ValueError, match=r"Cannot feed value of shape \(2, 4\) for "
                                             r"Tensor 'X:0', which has shape '\(\?, 3\)'"):
            sess.run(total, {X: np.ones((2, 4), np.float32), flag: True, labels: [1]})
        with pytest.raises(ValueError, match="Cannot feed value of shape"):
            sess.run(total, {X: np.ones(3, np.float32), flag: True, labels: [1]})
        with pytest.raises(ValueError, match="Cannot feed value of shape"):
            sess.run(total, {X: np.ones((1, 3), np.float32), flag: [True], labels: [1]})
        with pytest.raises(TypeError, match="The value of a feed cannot be a tf.Tensor"):
            sess.run(total, {X: tf.zeros([1, 3]), flag: True, labels: [1]})
        with pytest.raises(TypeError, match="is not compatible with Tensor type"):
            sess.run(total, {X: np.ones((1, 3), np.float32), flag: True, labels: 2**40})
        # Feeds in another key order and by name go through the same checks.
        assert sess.run(total, {"labels:0": [1], flag: False, X: [[0, 0, 0]]}) == 1.0
        tf.get_default_graph().prevent_feeding(flag)
        with pytest.raises(ValueError, match="may not be fed"):
            sess.run(total, {X: np.ones((2, 3), np.float32), flag: True,
                             labels: np.array([1, 2], np.int32)})


def test_placeholder_with_default():
    default = tf.placeholder_with_default(tf.constant([1.0, 2.0]), shape=[None], name="pwd")
    doubled = default * 2
    with tf.Session() as sess:
        assert sess.run(doubled).tolist() == [2.0, 4.0]
        assert sess.run(doubled, {default: [5.0, 6.0, 7.0]}).tolist() == [10.0, 12.0, 14.0]
        assert sess.run(doubled).tolist() == [2.0, 4.0]
    training = tf.placeholder_with_default(False, shape=(), name="training")
    with tf.Session() as sess:
        assert sess.run(training) == False  # noqa: E712
        assert sess.run(training, {training: True}) == True  # noqa: E712


# ---- errors and atomic runs ----------------------------------------------------------------------
def test_missing_feed_error_message():
    X, kernel, hidden, loss = mnist_like_graph()
    with tf.Session() as sess:
        sess.run(kernel.initializer)
        with pytest.raises(tf.errors.InvalidArgumentError) as info:
            sess.run(loss)
    assert str(info.value).startswith("You must feed a value for placeholder tensor 'X' with "
                                      "dtype float and shape [?,784]")
    assert isinstance(info.value, tf.errors.OpError) and info.value.op.name == "X"
    assert info.value.error_code == tf.errors.INVALID_ARGUMENT


def test_uninitialized_variable_error_message():
    X, kernel, hidden, loss = mnist_like_graph()
    with tf.Session() as sess:
        with pytest.raises(tf.errors.FailedPreconditionError) as info:
            sess.run(loss, {X: np.zeros((1, 784))})
    assert str(info.value).startswith("Attempting to use uninitialized value hidden1/kernel")


def test_closed_session_raises_runtime_error():
    a = tf.constant(1.0)
    sess = tf.Session()
    assert sess.run(a) == 1.0
    sess.close()
    with pytest.raises(RuntimeError, match="Attempted to use a closed Session."):
        sess.run(a)
    with tf.Session() as sess:
        pass
    with pytest.raises(RuntimeError, match="closed Session"):
        sess.run(a)


def test_a_failing_run_leaves_every_variable_unchanged():
    v = tf.Variable(1.0, name="v")
    w = tf.Variable([1.0, 2.0], name="w")
    n = tf.placeholder(tf.int32, [], name="n")
    x = tf.placeholder(tf.float32, [], name="x")
    set_v = tf.assign(v, 5.0)
    bump_w = tf.assign_add(w, [1.0, 1.0])
    with tf.control_dependencies([set_v, bump_w]):
        # runs after both updates, and fails unless n == 4
        after_updates = tf.reshape(tf.range(n), [2, 2])
        needs_x = x + 1.0
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for bad in (3, 5):
            with pytest.raises(tf.errors.InvalidArgumentError):
                sess.run(after_updates, {n: bad})
            assert sess.run(v) == 1.0 and sess.run(w).tolist() == [1.0, 2.0]
        with pytest.raises(tf.errors.InvalidArgumentError, match="You must feed a value"):
            sess.run(needs_x)
        assert sess.run(v) == 1.0 and sess.run(w).tolist() == [1.0, 2.0]
        # A good run applies the updates; later failures (on the cached, specialised plan)
        # still roll back only their own.
        sess.run(after_updates, {n: 4})
        sess.run(after_updates, {n: 4})
        assert sess.run(v) == 5.0 and sess.run(w).tolist() == [3.0, 4.0]
        sess.run(v.assign(0.0))
        with pytest.raises(tf.errors.InvalidArgumentError):
            sess.run(after_updates, {n: 6})
        assert sess.run(v) == 0.0 and sess.run(w).tolist() == [3.0, 4.0]


def test_an_update_and_the_values_it_is_computed_from_in_one_run():
    w = tf.Variable(2.0)
    loss = w * w
    (grad,) = tf.gradients(loss, w)
    step = tf.assign(w, w - 0.25 * grad)
    with tf.Session() as sess:
        sess.run(w.initializer)
        loss_before, _ = sess.run([loss, step])   # the loss is read before the update
        assert loss_before == 4.0 and sess.run(w) == 1.0


def test_two_sessions_on_one_graph_are_independent():
    v = tf.Variable(0.0)
    inc = tf.assign_add(v, 1.0)
    with tf.Session() as s1, tf.Session() as s2:
        s1.run(v.initializer)
        s2.run(v.initializer)
        for _ in range(3):
            s1.run(inc)
        assert s1.run(v) == 3.0 and s2.run(v) == 0.0


# ---- default sessions ----------------------------------------------------------------------------
def test_context_manager_makes_session_and_graph_default():
    g = tf.Graph()
    with g.as_default():
        c = tf.constant(4.0)
    assert tf.get_default_session() is None
    with tf.Session(graph=g) as sess:
        assert tf.get_default_session() is sess and tf.get_default_graph() is g
        assert sess.graph is g and c.eval() == 4.0
    assert tf.get_default_session() is None and tf.get_default_graph() is not g
    sess = tf.Session(graph=g)
    with sess.as_default():
        assert c.eval() == 4.0
    assert sess.run(c) == 4.0    # as_default does not close it
    with pytest.raises(TypeError, match="graph must be a tf.Graph"):
        tf.Session(graph="g")


def test_interactive_session():
    x = tf.constant([1.0, 2.0])
    v = tf.Variable(3.0)
    sess = tf.InteractiveSession()
    try:
        assert tf.get_default_session() is sess
        v.initializer.run()
        assert x.eval().tolist() == [1.0, 2.0] and v.eval() == 3.0
    finally:
        sess.close()
    assert tf.get_default_session() is None
    g = tf.Graph()
    with g.as_default():
        y = tf.constant(5.0)
    sess = tf.InteractiveSession(graph=g)
    assert tf.get_default_graph() is g and y.eval() == 5.0
    sess.close()
    assert tf.get_default_graph() is not g


# ---- plans ---------------------------------------------------------------------------------------
def test_plans_are_cached_per_fetch_and_feed_signature():
    a = tf.placeholder(tf.float32, [], name="a")
    b = tf.placeholder(tf.float32, [], name="b")
    total = a + b
    product = a * b
    with tf.Session() as sess:
        assert sess.run(total, {a: 1.0, b: 2.0}) == 3.0
        assert len(sess._plans) == 1
        (plan,) = sess._plans.values()
        for i in range(5):
            assert sess.run(total, {a: float(i), b: 1.0}) == i + 1
        assert sess.run(total, {b: 1.0, a: 3.0}) == 4.0      # key order does not matter
        assert sess.run(total, {"a:0": 1.0, "b:0": 1.0}) == 2.0
        assert len(sess._plans) == 1 and list(sess._plans.values())[0] is plan
        sess.run(product, {a: 2.0, b: 2.0})
        sess.run([total, product], {a: 2.0, b: 2.0})
        sess.run(product, {a: 2.0, b: 2.0, total: 0.0})
        assert len(sess._plans) == 4
        sess.run(product, {a: 2.0, b: 2.0})
        assert len(sess._plans) == 4
    assert sess._plans == {}


def test_make_callable():
    a = tf.placeholder(tf.float32, [None])
    doubled = a * 2
    with tf.Session() as sess:
        fn = sess.make_callable(doubled, [a])
        assert fn([1.0, 2.0]).tolist() == [2.0, 4.0]
        with pytest.raises(ValueError):
            fn()


def test_make_callable_without_feeds_keeps_the_fetch_structure_and_state():
    counter = tf.Variable(0, name="counter")
    step = tf.assign_add(counter, 1)
    with tf.Session() as sess:
        sess.run(counter.initializer)
        fn = sess.make_callable({"value": step, "ops": [step.op, (tf.constant(7),)]})
        assert fn() == {"value": 1, "ops": [None, (7,)]}
        assert fn()["value"] == 2 and sess.run(counter) == 2
        with pytest.raises(ValueError, match="Expected 0 arguments"):
            fn(1)
    with pytest.raises(RuntimeError, match="closed Session"):
        fn()


def test_make_callable_of_a_session_with_its_own_run_goes_through_that_run():
    calls = []

    class Recording(tf.Session):
        def run(self, fetches, feed_dict=None, options=None, run_metadata=None):
            calls.append(fetches)
            return super().run(fetches, feed_dict, options, run_metadata)

    two = tf.constant(2)
    with Recording() as sess:
        assert sess.make_callable(two)() == 2
    assert calls == [two]


def test_run_accepts_options_and_metadata():
    a = tf.constant(1.0)
    with tf.Session() as sess:
        assert sess.run(a, options=None, run_metadata=None) == 1.0
        assert sess.list_devices()[0].device_type == "CPU"


def test_string_tensors_hold_bytes_whether_str_or_bytes_was_given():
    """TF's string tensors are bytes: a str constant equals the same text fed as bytes (and
    the other way round), and ops that sort or hash strings see one kind."""
    with tf.Graph().as_default():
        text = tf.placeholder(tf.string, [None])
        equal = tf.equal(text, ["raw", b"jpeg"])
        unique = tf.unique(text)[0]
        with tf.Session() as sess:
            assert sess.run(equal, {text: [b"raw", "jpeg"]}).tolist() == [True, True]
            assert sess.run(unique, {text: ["a", b"a", np.str_("a")]}).tolist() == [b"a"]
            fed = np.array(["x", "y"], dtype=object)
            assert sess.run(text, {text: fed}).tolist() == [b"x", b"y"]
            assert fed.tolist() == ["x", "y"]  # the caller's array is left as it was

"""The graph model (tfcompat/framework/ops.py): names and name scopes, graph elements and
their lookup, identity semantics, collections, control dependencies, the default graph and
Graph.finalize, all as TF 1.x behaves."""
import numpy as np
import pytest

import tfcompat as tf


@pytest.fixture(autouse=True)
def fresh_graph():
    tf.reset_default_graph()
    yield
    tf.reset_default_graph()


# ---- names ----------------------------------------------------------------------------------
def test_tensor_and_op_names():
    x = tf.placeholder(tf.float32, [None, 784], name="X")
    assert x.name == "X:0" and x.op.name == "X" and x.op.type == "Placeholder"
    with tf.name_scope("hidden1"):
        w = tf.constant(np.zeros((784, 300), np.float32), name="weights")
        z = tf.matmul(x, w)
    assert w.name == "hidden1/weights:0"
    assert z.name == "hidden1/MatMul:0" and z.op.type == "MatMul"
    assert list(z.op.inputs) == [x, w] and z.op.outputs == [z]
    assert z.graph is tf.get_default_graph() and z.op.graph is z.graph
    assert z.dtype == tf.float32 and z.shape.as_list() == [None, 300]
    assert z.get_shape() is z.shape or z.get_shape() == z.shape
    assert str(z.shape) == "(?, 300)"
    assert z.value_index == 0 and x.consumers() == [z.op]


def test_repeated_names_are_suffixed():
    names = []
    for _ in range(3):
        with tf.name_scope("hidden1") as scope:
            names.append(scope)
    assert names == ["hidden1/", "hidden1_1/", "hidden1_2/"]
    a, b, c = tf.constant(1), tf.constant(2), tf.constant(3, name="Const")
    assert [a.op.name, b.op.name, c.op.name] == ["Const", "Const_1", "Const_2"]


def test_ops_and_scopes_share_one_namespace():
    tf.constant(1.0, name="hidden1")
    with tf.name_scope("hidden1") as scope:
        assert scope == "hidden1_1/"
    with tf.name_scope("loss"):
        pass
    assert tf.constant(1.0, name="loss").op.name == "loss_1"


def test_names_collide_case_insensitively_but_keep_their_case():
    tf.constant(1.0, name="hidden1")
    assert tf.constant(1.0, name="Hidden1").op.name == "Hidden1_1"
    with tf.name_scope("HIDDEN1") as scope:
        assert scope == "HIDDEN1_2/"


def test_explicit_suffix_is_skipped_by_later_uniquing():
    tf.constant(1.0, name="a")
    tf.constant(1.0, name="a_1")       # taken explicitly
    assert tf.constant(1.0, name="a").op.name == "a_2"


def test_trailing_slash_reenters_a_scope():
    with tf.name_scope("dnn") as dnn_scope:
        first = tf.constant(1.0, name="c")
    with tf.name_scope(dnn_scope):
        second = tf.constant(1.0, name="c")
        other = tf.constant(1.0, name="d")
    assert (first.op.name, second.op.name, other.op.name) == ("dnn/c", "dnn/c_1", "dnn/d")
    with tf.name_scope("train"):
        pass
    with tf.name_scope("train/") as scope:
        assert scope == "train/"


def test_name_scope_none_resets_to_the_top():
    with tf.name_scope("a"):
        with tf.name_scope("b"):
            with tf.name_scope(None) as scope:
                top = tf.constant(1.0, name="top")
            inner = tf.constant(1.0, name="inner")
    assert scope == "" and top.op.name == "top" and inner.op.name == "a/b/inner"
    assert tf.get_default_graph().get_name_scope() == ""


def test_name_scope_default_name_and_values():
    with tf.name_scope(None, "default") as scope:
        assert scope == "default/"
    with tf.name_scope(None, "default") as scope:
        assert scope == "default_1/"
    g = tf.Graph()
    with g.as_default():
        c = tf.constant(1.0)
    with tf.name_scope("in_g", values=[c]) as scope:   # the graph comes from the values
        assert tf.get_default_graph() is g and scope == "in_g/"
    assert tf.get_default_graph() is not g
    with pytest.raises(ValueError, match="At least one of name"):
        with tf.name_scope(None, None, values=[c]):
            pass


def test_name_scope_nesting_and_get_name_scope():
    with tf.name_scope("a"):
        with tf.name_scope("b") as scope:
            assert scope == "a/b/" and tf.get_default_graph().get_name_scope() == "a/b"
            assert tf.constant(0).op.name == "a/b/Const"


def test_invalid_names_are_rejected():
    with pytest.raises(ValueError, match="'_bad' is not a valid scope name"):
        with tf.name_scope("_bad"):
            pass
    with tf.name_scope("outer"):
        with tf.name_scope("_fine_when_nested") as scope:    # TF allows '_' after the root
            assert scope == "outer/_fine_when_nested/"
    with pytest.raises(ValueError, match="'a b' is not a valid node name"):
        tf.constant(1.0, name="a b")


def test_unique_name_without_marking():
    g = tf.get_default_graph()
    assert g.unique_name("foo", mark_as_used=False) == "foo"
    assert g.unique_name("foo", mark_as_used=False) == "foo"
    assert g.unique_name("foo") == "foo"
    assert g.unique_name("foo") == "foo_1"


# ---- lookup ---------------------------------------------------------------------------------
def test_lookup_by_name():
    g = tf.get_default_graph()
    x = tf.placeholder(tf.float32, [None, 3], name="X")
    y = tf.identity(x, name="y")
    assert g.get_tensor_by_name("X:0") is x
    assert g.get_operation_by_name("y") is y.op
    assert g.as_graph_element("y:0") is y and g.as_graph_element(y.op) is y.op
    assert g.get_operations() == [x.op, y.op]
    with pytest.raises(KeyError, match="The name 'nope:0' refers to a Tensor which does not "
                                       "exist. The operation, 'nope', does not exist"):
        g.get_tensor_by_name("nope:0")
    with pytest.raises(KeyError, match="exists but only has 1 outputs"):
        g.get_tensor_by_name("X:1")
    with pytest.raises(ValueError, match="refers to an Operation, not a Tensor"):
        g.get_tensor_by_name("X")
    with pytest.raises(ValueError, match="appears to refer to a Tensor, not a Operation"):
        g.get_operation_by_name("X:0")
    with pytest.raises(KeyError, match="refers to an Operation not in the graph"):
        g.get_operation_by_name("nope")
    with pytest.raises(ValueError, match="is not an element of this graph"):
        tf.Graph().as_graph_element(x)


def test_variable_tensor_by_name_is_the_ref_usable_in_assign_and_ops():
    with tf.variable_scope("hidden1"):
        kernel = tf.get_variable("kernel", [3, 2], initializer=tf.ones_initializer())
    g = tf.get_default_graph()
    ref = g.get_tensor_by_name("hidden1/kernel:0")
    assert ref is kernel.op.outputs[0] and ref.dtype == tf.float32._as_ref
    assert g.as_graph_element(kernel) is ref
    # The book's max-norm listing: clip the ref's value and assign it back to the ref.
    clipped = tf.clip_by_norm(ref, clip_norm=1.0, axes=1) if hasattr(tf, "clip_by_norm") \
        else ref * 0.5
    clip_weights = tf.assign(ref, clipped)
    doubled = tf.matmul(tf.ones([1, 3]), ref) * 2
    with tf.Session() as sess:
        sess.run(kernel.initializer)
        sess.run(clip_weights)
        value = sess.run(kernel)
        assert np.allclose(np.linalg.norm(value, axis=1), 1.0) or np.allclose(value, 0.5)
        assert np.allclose(sess.run(doubled), 2 * value.sum(axis=0))


# ---- identity semantics ---------------------------------------------------------------------
def test_tensors_ops_and_variables_hash_by_identity():
    a = tf.constant([1.0, 2.0])
    b = tf.constant([1.0, 2.0])
    v = tf.Variable(1.0)
    assert (a == a) is True and (a == b) is False and (a != b) is True
    assert len({a, b, a.op, b.op, v, v.op}) == 6
    assert {a: 1, b: 2}[b] == 2 and {v: "v"}[v] == "v"
    assert (v == v) is True and (v == tf.Variable(1.0)) is False
    with pytest.raises(TypeError, match="Using a `tf.Tensor` as a Python `bool`"):
        bool(a)
    with pytest.raises(TypeError, match="len is not well defined"):
        len(a)


def test_tensor_str_and_repr():
    x = tf.placeholder(tf.float32, [None, 784], name="X")
    assert str(x) == 'Tensor("X:0", shape=(?, 784), dtype=float32)'
    assert repr(x) == "<tf.Tensor 'X:0' shape=(?, 784) dtype=float32>"
    u = tf.placeholder(tf.int32, name="u")
    assert str(u) == 'Tensor("u:0", dtype=int32)'
    v = tf.Variable(tf.zeros([2]), name="v")
    assert str(v.op.outputs[0]) == 'Tensor("v:0", shape=(2,), dtype=float32_ref)'
    assert repr(x.op) == "<tf.Operation 'X' type=Placeholder>"


def test_set_shape_refines_and_rejects():
    x = tf.placeholder(tf.float32, [None, 3])
    x.set_shape([5, None])
    assert x.shape.as_list() == [5, 3]
    with pytest.raises(ValueError):
        x.set_shape([4, 3])


# ---- default graph --------------------------------------------------------------------------
def test_default_graph_stack_and_reset():
    outer = tf.get_default_graph()
    g = tf.Graph()
    with g.as_default() as entered:
        assert entered is g and tf.get_default_graph() is g
        assert tf.constant(1.0).graph is g
        with pytest.raises(AssertionError, match="Do not use tf.reset_default_graph"):
            tf.reset_default_graph()
    assert tf.get_default_graph() is outer
    tf.reset_default_graph()
    assert tf.get_default_graph() is not outer
    assert tf.get_default_graph().get_operations() == []


def test_ops_from_two_graphs_cannot_mix():
    a = tf.constant(1.0)
    with tf.Graph().as_default():
        b = tf.constant(2.0)
    with pytest.raises(ValueError):
        tf.add(a, b)


# ---- collections ----------------------------------------------------------------------------
def test_collections_and_scope_regex_matches_at_the_start():
    for name in ("hidden1", "hidden2", "hidden3", "hidden4", "outputs"):
        with tf.variable_scope(name):
            tf.get_variable("kernel", [2, 2])
    with tf.variable_scope("my_hidden1"):
        tf.get_variable("kernel", [2, 2])
    names = [v.op.name for v in tf.get_collection(tf.GraphKeys.TRAINABLE_VARIABLES,
                                                   scope="hidden[123]")]
    assert names == ["hidden1/kernel", "hidden2/kernel", "hidden3/kernel"]
    assert [v.op.name for v in tf.trainable_variables(scope="outputs")] == ["outputs/kernel"]
    assert len(tf.global_variables()) == 6


def test_add_to_collection_and_get_collection_copies():
    tf.add_to_collection("my", 1)
    tf.add_to_collections(["my", "other"], "two")
    got = tf.get_collection("my")
    got.append("not stored")
    assert tf.get_collection("my") == [1, "two"] and tf.get_collection("other") == ["two"]
    assert tf.get_collection("my", scope="t") == []    # items without a name are left out
    ref = tf.get_collection_ref("my")
    ref.append(3)
    assert tf.get_collection("my") == [1, "two", 3]
    assert tf.get_collection("missing") == []
    g = tf.get_default_graph()
    assert set(g.get_all_collection_keys()) >= {"my", "other"}
    g.clear_collection("other")
    assert tf.get_collection("other") == []


def test_graph_keys():
    keys = tf.GraphKeys
    assert keys.GLOBAL_VARIABLES == "variables"
    assert keys.TRAINABLE_VARIABLES == "trainable_variables"
    assert keys.UPDATE_OPS == "update_ops"
    assert keys.REGULARIZATION_LOSSES == "regularization_losses"
    assert keys.LOSSES == "losses" and keys.GLOBAL_STEP == "global_step"
    assert keys.SUMMARIES == "summaries" and keys.LOCAL_VARIABLES == "local_variables"


# ---- control dependencies and grouping --------------------------------------------------------
def test_control_dependencies_nest_and_none_clears():
    a, b = tf.constant(1.0, name="a"), tf.constant(2.0, name="b")
    with tf.control_dependencies([a]):
        c = tf.constant(3.0, name="c")
        with tf.control_dependencies([b.op]):
            d = tf.constant(4.0, name="d")
            with tf.control_dependencies(None):
                e = tf.constant(5.0, name="e")
                with tf.control_dependencies([b]):
                    f = tf.constant(6.0, name="f")
        uses_a = tf.identity(a)             # a data input is not repeated as a control input
    assert c.op.control_inputs == [a.op]
    assert d.op.control_inputs == [a.op, b.op]
    assert e.op.control_inputs == [] and f.op.control_inputs == [b.op]
    assert uses_a.op.control_inputs == []
    with pytest.raises(TypeError, match="Control input must be Operation or Tensor"):
        with tf.control_dependencies([1.0]):
            pass


def test_control_dependencies_order_execution():
    v = tf.Variable(0.0)
    inc = tf.assign_add(v, 1.0)
    with tf.control_dependencies([inc]):
        total = tf.assign_add(v, 10.0)    # runs after inc in the same step
    with tf.Session() as sess:
        sess.run(v.initializer)
        assert sess.run(total) == 11.0
        assert sess.run(v) == 11.0


def test_group_no_op_identity_stop_gradient():
    v = tf.Variable(0.0, name="v")
    w = tf.Variable(0.0, name="w")
    train = tf.group(tf.assign_add(v, 1.0), tf.assign_add(w, 2.0).op, name="train")
    assert train.type == "NoOp" and train.name == "train" and train.outputs == []
    assert {op.type for op in train.control_inputs} == {"AssignAdd"}
    assert tf.group().name == "group_deps"
    assert tf.no_op().type == "NoOp" and tf.no_op(name="nothing").name == "nothing"
    x = tf.constant([1.0, 2.0])
    ident = tf.identity(x)
    stopped = tf.stop_gradient(x * 3)
    assert ident.op.type == "Identity" and ident.op.name == "Identity"
    assert stopped.op.type == "StopGradient"
    assert tf.gradients(tf.reduce_sum(stopped + x), x)[0] is not None
    assert tf.gradients(tf.reduce_sum(stopped), x) == [None]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run(train) is None
        assert sess.run([v, w]) == [1.0, 2.0]
        assert list(sess.run(ident)) == [1.0, 2.0] and list(sess.run(stopped)) == [3.0, 6.0]


# ---- running from the graph elements ----------------------------------------------------------
def test_tensor_eval_and_operation_run_use_the_default_session():
    x = tf.placeholder(tf.float32, [], name="x")
    y = x * 2
    v = tf.Variable(5.0)
    with pytest.raises(ValueError, match="Cannot evaluate tensor using `eval\\(\\)`: No default "
                                         "session is registered"):
        y.eval({x: 1.0})
    with pytest.raises(ValueError, match="Cannot execute operation using `run\\(\\)`"):
        v.initializer.run()
    with tf.Session():
        v.initializer.run()
        assert y.eval(feed_dict={x: 3.0}) == 6.0
        assert v.eval() == 5.0
    other = tf.Session()
    assert y.eval({x: 1.5}, session=other) == 3.0
    v.initializer.run(session=other)
    assert v.eval(session=other) == 5.0
    with tf.Graph().as_default():
        with tf.Session():
            with pytest.raises(ValueError, match="the tensor's graph is different"):
                y.eval({x: 1.0})
            with pytest.raises(ValueError, match="the operation's graph is different"):
                v.initializer.run()


# ---- finalize -----------------------------------------------------------------------------------
def test_finalize_blocks_new_ops_but_not_running():
    x = tf.placeholder(tf.float32, [None], name="x")
    y = x + 1
    g = tf.get_default_graph()
    g.finalize()
    assert g.finalized
    with pytest.raises(RuntimeError, match="Graph is finalized and cannot be modified."):
        tf.constant(1.0)
    with pytest.raises(RuntimeError, match="Graph is finalized"):
        tf.add_to_collection("c", 1)
    with pytest.raises(RuntimeError, match="Graph is finalized"):
        tf.Variable(1.0)
    with tf.Session(graph=g) as sess:
        assert list(sess.run(y, {x: [1.0]})) == [2.0]
    g._unsafe_unfinalize()
    assert tf.constant(1.0).op.type == "Const"


def test_prevent_feeding_and_fetching():
    x = tf.placeholder(tf.float32, [], name="x")
    y = x + 1
    g = tf.get_default_graph()
    g.prevent_feeding(y)
    g.prevent_fetching(x.op)
    assert not g.is_feedable(y) and g.is_feedable(x)
    assert not g.is_fetchable(x) and g.is_fetchable(y.op)
    with tf.Session() as sess:
        with pytest.raises(ValueError, match="may not be fed"):
            sess.run(y, {y: 1.0})
        with pytest.raises(ValueError, match="'x' has been marked as not fetchable"):
            sess.run(x, {x: 1.0})


def test_convert_to_tensor():
    t = tf.convert_to_tensor([1.0, 2.0])
    assert t.dtype == tf.float32 and t.op.type == "Const"
    assert tf.convert_to_tensor(t) is t
    assert tf.convert_to_tensor(3).dtype == tf.int32
    assert tf.convert_to_tensor(np.float64(3)).dtype == tf.float64
    assert tf.convert_to_tensor(2**40).dtype == tf.int64
    assert tf.convert_to_tensor(1, dtype=tf.float32).dtype == tf.float32
    with pytest.raises(ValueError, match="Tensor conversion requested dtype int32 for Tensor "
                                         "with dtype float32"):
        tf.convert_to_tensor(t, dtype=tf.int32)
    v = tf.Variable([1.0])
    assert tf.convert_to_tensor(v) is v.value()
    with pytest.raises(TypeError):
        tf.convert_to_tensor(tf.no_op())


def test_register_tensor_conversion_function_by_priority_with_not_implemented():
    class Meters:
        def __init__(self, value):
            self.value = value

    def declines(value, dtype=None, name=None, as_ref=False):
        return NotImplemented

    def to_tensor(value, dtype=None, name=None, as_ref=False):
        return tf.constant(value.value, dtype=dtype or tf.float32, name=name or "meters")

    tf.register_tensor_conversion_function(Meters, to_tensor, priority=200)
    tf.register_tensor_conversion_function(Meters, declines, priority=10)
    with tf.Graph().as_default():
        t = tf.convert_to_tensor(Meters(3.0))
        doubled = tf.add(Meters(2.0), 1.0)
        with tf.Session() as sess:
            assert sess.run([t, doubled]) == [3.0, 3.0]
        assert t.op.name == "meters"
    with pytest.raises(TypeError, match="Python numeric types"):
        tf.register_tensor_conversion_function(float, to_tensor)
    with pytest.raises(TypeError, match="callable"):
        tf.register_tensor_conversion_function(Meters, None)


def test_deprecated_scope_spellings_and_local_variables():
    with tf.Graph().as_default():
        v = tf.get_local_variable("counter", [2], initializer=tf.zeros_initializer())
        assert v.name == "counter:0"
        assert tf.local_variables() == [v] and tf.global_variables() == []
        assert tf.trainable_variables() == []
        with tf.op_scope([v], None, default_name="outer") as scope:
            assert scope == "outer/"
        with tf.variable_op_scope([v], None, default_name="layer"):
            w = tf.get_variable("w", [1])
        assert w.name == "layer/w:0"
    # The producer version written into GraphDefs (TF 1.15's).
    assert (tf.GRAPH_DEF_VERSION, tf.GRAPH_DEF_VERSION_MIN_CONSUMER) == (134, 0)


def test_error_code_helpers():
    assert tf.errors.error_code_from_exception_type(tf.errors.NotFoundError) == \
        tf.errors.NOT_FOUND
    with tf.errors.raise_exception_on_not_ok_status() as status:
        pass
    with pytest.raises(tf.errors.AbortedError, match="stopped"):
        with tf.errors.raise_exception_on_not_ok_status() as status:
            status.code, status.message = tf.errors.ABORTED, "stopped"
    assert tf.initializers.tables_initializer is tf.tables_initializer

"""framework.graph_walk.ops_upstream: the backward walk shared by partitioning, tf.data
function bodies and Keras networks."""
import tfcompat as tf
from tfcompat.framework.graph_walk import ops_upstream


def _names(found):
    return sorted(op.name for op in found)


def test_walks_data_and_control_inputs_back_from_the_roots():
    with tf.Graph().as_default():
        a = tf.constant(1.0, name="a")
        b = tf.constant(2.0, name="b")
        side = tf.constant(3.0, name="side")
        unused = tf.constant(4.0, name="unused")
        with tf.control_dependencies([side]):
            total = tf.add(a, b, name="total")
        doubled = tf.multiply(total, 2.0, name="doubled")
        assert _names(ops_upstream([doubled.op])) == [
            "a", "b", "doubled", "doubled/y", "side", "total"]
        assert unused.op not in ops_upstream([doubled.op, a.op])


def test_stops_at_boundary_tensors_and_reached_ops():
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, name="x")
        y = tf.square(x, name="y")
        z = tf.negative(y, name="z")
        assert _names(ops_upstream([z.op], boundary={y})) == ["z"]
        assert _names(ops_upstream([z.op], reached=[y.op])) == ["y", "z"]
        assert _names(ops_upstream([z.op], boundary=[y])) == ["z"]  # any collection


def test_more_names_further_ops_each_found_op_needs():
    with tf.Graph().as_default():
        a = tf.constant(1.0, name="a")
        extra = tf.constant(2.0, name="extra")
        asked = []

        def more(op):
            asked.append(op.name)
            return [extra.op] if op is a.op else []
        assert _names(ops_upstream([a.op], more=more)) == ["a", "extra"]
        assert sorted(asked) == ["a", "extra"]  # once per found op

"""tf.graph_util: freezing variables into constants, extracting and cleaning subgraphs."""
import numpy as np
import pytest

import tfcompat as tf


def _model():
    x = tf.placeholder(tf.float32, [None, 2], name="x")
    w = tf.Variable([[1.0], [2.0]], name="w")
    b = tf.Variable([0.5], name="b")
    unused = tf.Variable(3.0, name="unused")
    y = tf.identity(tf.matmul(x, w) + b, name="y")
    return x, y, unused


def test_convert_variables_to_constants_freezes_the_subgraph():
    with tf.Graph().as_default():
        _, _, unused = _model()
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            sess.run(tf.assign(tf.get_default_graph().get_tensor_by_name("b:0"), [1.5]))
            frozen = tf.graph_util.convert_variables_to_constants(
                sess, sess.graph.as_graph_def(), ["y"])
            partly = tf.graph_util.convert_variables_to_constants(
                sess, sess.graph.as_graph_def(), ["y"], variable_names_blacklist=["w"])
    ops_by_name = {node.name: node.op for node in frozen.node}
    assert ops_by_name["w"] == ops_by_name["b"] == "Const" and "unused" not in ops_by_name
    assert {node.name: node.op for node in partly.node}["w"] == "VariableV2"
    with tf.Graph().as_default():
        tf.import_graph_def(frozen, name="")
        with tf.Session() as sess:
            np.testing.assert_allclose(sess.run("y:0", {"x:0": [[1.0, 1.0]]}), [[4.5]])


def test_extract_sub_graph_and_remove_training_nodes():
    with tf.Graph().as_default() as graph:
        _, y, _ = _model()
        tf.identity(y, name="checked")
        graph_def = graph.as_graph_def()
        sub = tf.graph_util.extract_sub_graph(graph_def, ["checked"])
        assert [n.name for n in sub.node] == ["x", "w", "w/read", "b", "b/read", "MatMul",
                                              "add", "y", "checked"]
        with pytest.raises(TypeError, match="must be a list"):
            tf.graph_util.extract_sub_graph(graph_def, "y")
        with pytest.raises(AssertionError, match="nothere is not in graph"):
            tf.graph_util.extract_sub_graph(graph_def, ["nothere"])
        cleaned = tf.graph_util.remove_training_nodes(sub, protected_nodes=["checked"])
        inputs = {n.name: n.input for n in cleaned.node}
        assert "y" not in inputs and "w/read" not in inputs
        assert inputs["MatMul"] == ["x", "w"] and inputs["checked"] == ["add"]
        assert tf.graph_util.tensor_shape_from_node_def_name(graph, "x").as_list() == [None, 2]
        assert tf.graph_util.must_run_on_cpu(tf.constant(1).op)
        assert not tf.graph_util.must_run_on_cpu(tf.constant(1.0).op)
        assert tf.graph_util.must_run_on_cpu(graph.get_operation_by_name("w"),
                                             pin_variables_on_cpu=True)

"""NodeDefs carry TensorFlow's attrs: the signature table equals TF's op registry (the golden
tests/golden/tf_op_attrs.json, written by make_tf_op_attrs.py with TensorFlow), and every node
of serialised graphs (the chapter-11 batch-norm model with its Saver, a CNN with Adam, loops,
conds) carries exactly TF's attrs of its op type, each of TF's kind, type attrs agreeing with
the tensors bound to them. Real TensorFlow importing and running such a .meta was checked by
hand (tests/golden/interop/, notes-h-saved.md)."""
import json
from functools import partial
from pathlib import Path

import numpy as np
import pytest

import tfcompat as tf
from tfcompat.framework import dtypes, node_attrs, op_def, tensor_shape
from tfcompat.framework import graph_def as graph_def_lib
from tfcompat.framework.tf_op_signatures import SIGNATURES

GOLDEN = json.loads((Path(__file__).parents[1] / "golden" / "tf_op_attrs.json").read_text())
TF_OPS = GOLDEN["ops"]
# Op types tfcompat registers that TensorFlow does not have.
TFCOMPAT_ONLY = {"MatrixSylvesterSolve", "NumpyFeedDequeue"}
TFCOMPAT_ONLY |= {"GatherTree"}  # TF 1.15 contrib.seq2seq op, not in TF 2.21


@pytest.fixture(autouse=True)
def fresh_graph():
    tf.reset_default_graph()
    yield
    tf.reset_default_graph()


# TF 1.15 contrib/image's op, which TF 2.x dropped (h-contrib)
TFCOMPAT_ONLY |= {"ImageConnectedComponents"}


def _registered():
    for load in op_def._LOADERS:
        load()
    return set(op_def.registered_op_types())


def test_every_registered_op_type_tensorflow_has_has_its_signature():
    registered = _registered()
    assert registered - set(SIGNATURES) == TFCOMPAT_ONLY
    assert set(SIGNATURES) <= registered
    assert set(TF_OPS) == registered - TFCOMPAT_ONLY


def _arg_of_golden(arg):
    kind = arg.get("type_attr") or arg.get("type_list_attr") or arg.get("type")
    return (arg["name"], kind, arg.get("number_attr"), arg.get("is_ref", False))


@pytest.mark.parametrize("op_type", sorted(TF_OPS))
def test_signature_table_equals_tensorflows_registry(op_type):
    sig, golden = node_attrs.signature(op_type), TF_OPS[op_type]
    for ours, theirs in ((sig.inputs, golden["inputs"]), (sig.outputs, golden["outputs"])):
        assert [(a.name, a.kind, a.number_attr, a.is_ref) for a in ours] == [
            _arg_of_golden(a) for a in theirs]
    assert list(sig.attrs) == [a["name"] for a in golden["attrs"]]
    for attr in golden["attrs"]:
        kind, has_default, default = sig.attrs[attr["name"]]
        assert kind == attr["type"]
        assert has_default == ("default" in attr)
        if has_default:
            assert default == attr["default"]


# ---- serialised graphs ---------------------------------------------------------------------
def batch_norm_model():
    """The chapter-11 listing (chapter11_scripts/batch_normalization.py) with its Saver."""
    X = tf.placeholder(tf.float32, shape=(None, 784), name="X")
    y = tf.placeholder(tf.int64, shape=None, name="y")
    training = tf.placeholder_with_default(False, shape=(), name="training")
    with tf.name_scope("dnn"):
        he_init = tf.contrib.layers.variance_scaling_initializer()
        batch_norm = partial(tf.layers.batch_normalization, training=training, momentum=0.9)
        dense = partial(tf.layers.dense, kernel_initializer=he_init)
        bn1 = tf.nn.elu(batch_norm(dense(X, 30, name="hidden1")))
        bn2 = tf.nn.elu(batch_norm(dense(bn1, 10, name="hidden2")))
        logits = batch_norm(dense(bn2, 10, name="outputs"))
    with tf.name_scope("loss"):
        xentropy = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits)
        loss = tf.reduce_mean(xentropy, name="loss")
    with tf.name_scope("train"):
        tf.train.GradientDescentOptimizer(0.01).minimize(loss)
    with tf.name_scope("eval"):
        tf.reduce_mean(tf.cast(tf.nn.in_top_k(logits, y, 1), tf.float32))
    tf.train.Saver()


def cnn_with_adam():
    images = tf.placeholder(tf.float32, [None, 8, 8, 1], name="images")
    labels = tf.placeholder(tf.int32, [None], name="labels")
    conv = tf.layers.conv2d(images, 4, 3, padding="same", activation=tf.nn.relu)
    pool = tf.nn.max_pool(conv, [1, 2, 2, 1], [1, 2, 2, 1], "VALID")
    flat = tf.reshape(pool, [-1, 4 * 4 * 4])
    drop = tf.layers.dropout(flat, 0.5, training=True)
    logits = tf.layers.dense(drop, 3)
    loss = tf.losses.sparse_softmax_cross_entropy(labels, logits)
    tf.train.AdamOptimizer().minimize(loss, global_step=tf.train.get_or_create_global_step())
    tf.concat([tf.shape(flat), tf.shape(logits)], 0, name="shapes")
    tf.split(flat, 2, axis=1)
    tf.unstack(tf.transpose(logits))
    tf.train.Saver()


def loops_and_conds():
    x = tf.placeholder(tf.float64, [3], name="x")
    _, total = tf.while_loop(lambda i, s: i < 4, lambda i, s: (i + 1, s * 2.0),
                             [tf.constant(0), x])
    choice = tf.cond(tf.reduce_sum(x) > 0, lambda: total + 1.0, lambda: total - 1.0)
    tf.gradients(choice, x)
    tf.add_n([x, x, x], name="sum3")
    tf.tile(x, [2])
    tf.argmax(tf.stack([x, x]), axis=1, output_type=tf.int64)


def rnn_and_friends():
    ids = tf.placeholder(tf.int32, [None, 5], name="ids")
    labels = tf.placeholder(tf.int32, [None], name="labels")
    embeddings = tf.get_variable("embeddings", [20, 6])
    inputs = tf.nn.embedding_lookup(embeddings, ids)
    cell = tf.nn.rnn_cell.BasicLSTMCell(8)
    outputs, _ = tf.nn.dynamic_rnn(cell, inputs, dtype=tf.float32)
    logits = tf.layers.dense(outputs[:, -1], 3)
    loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(
        labels=tf.one_hot(labels, 3), logits=logits)) + 0.01 * tf.nn.l2_loss(embeddings)
    grads = tf.gradients(loss, tf.trainable_variables())
    clipped, _ = tf.clip_by_global_norm(grads, 5.0)
    pairs = list(zip(clipped, tf.trainable_variables(), strict=True))
    tf.train.MomentumOptimizer(0.1, 0.9).apply_gradients(pairs)
    tf.train.RMSPropOptimizer(0.01).apply_gradients(pairs)
    tf.train.AdagradOptimizer(0.1).apply_gradients(pairs)
    tf.nn.top_k(tf.nn.sigmoid(logits), 2)
    image = tf.placeholder(tf.float32, [1, 4, 4, 2], name="image")
    tf.nn.avg_pool(image, [1, 2, 2, 1], [1, 2, 2, 1], "SAME")
    tf.nn.conv2d_transpose(image, tf.ones([3, 3, 1, 2]), [1, 8, 8, 1], [1, 2, 2, 1])
    tf.nn.fused_batch_norm(image, tf.ones([2]), tf.zeros([2]))
    tf.image.resize_bilinear(image, [8, 8])
    tf.gather(tf.tanh(logits), [0, 0], axis=1)
    tf.train.Saver()


MODELS = [batch_norm_model, cnn_with_adam, loops_and_conds, rnn_and_friends]


def _value_has_kind(kind, value):
    checks = {"type": lambda v: isinstance(v, dtypes.DType),
              "int": lambda v: isinstance(v, int) and not isinstance(v, bool),
              "float": lambda v: isinstance(v, float),
              "bool": lambda v: isinstance(v, bool),
              "string": lambda v: isinstance(v, (str, bytes)),
              "shape": lambda v: isinstance(v, tensor_shape.TensorShape),
              "tensor": lambda v: isinstance(v, np.ndarray)}
    if kind.startswith("list("):
        # an empty list comes back as an empty list whatever its item kind
        return isinstance(value, list) and all(_value_has_kind(kind[5:-1], v) for v in value)
    return checks[kind](value)


def _check_node(node, graph):
    spec = TF_OPS[node.op]
    public = {k: v for k, v in node.attr.items() if not k.startswith("_")}
    assert sorted(public) == sorted(a["name"] for a in spec["attrs"]), node
    for attr in spec["attrs"]:
        assert _value_has_kind(attr["type"], public[attr["name"]]), (node, attr)
    op = graph.get_operation_by_name(node.name)
    data_inputs = [t for t in op.inputs]
    position = 0
    for arg in spec["inputs"]:
        count = public[arg["number_attr"]] if "number_attr" in arg else (
            len(public[arg["type_list_attr"]]) if "type_list_attr" in arg else 1)
        bound = data_inputs[position:position + count]
        position += count
        if "type_attr" in arg:
            assert all(t.dtype.base_dtype == public[arg["type_attr"]] for t in bound), node
        if "type" in arg:
            assert all(t.dtype.base_dtype.name == arg["type"] for t in bound), node
    assert position == len(data_inputs), node


@pytest.mark.parametrize("build", MODELS, ids=lambda f: f.__name__)
def test_every_node_of_a_serialised_graph_has_exactly_tensorflows_attrs(build):
    build()
    graph = tf.get_default_graph()
    meta = tf.train.export_meta_graph()
    nodes = meta.graph_def.node
    assert len(nodes) == len(graph.get_operations())
    for node in nodes:
        _check_node(node, graph)


def test_defaults_and_derived_attrs_take_tensorflows_values():
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    tf.transpose(x, name="t")
    tf.nn.conv2d(tf.zeros([1, 4, 4, 1]), tf.zeros([2, 2, 1, 1]), [1, 1, 1, 1], "SAME",
                 name="conv")
    tf.nn.leaky_relu(x, alpha=1, name="leaky")
    nodes = {n.name: n.attr for n in tf.get_default_graph().as_graph_def().node}
    assert nodes["t"] == {"T": tf.float32, "Tperm": tf.int32}
    assert nodes["conv"]["data_format"] == "NHWC"
    assert nodes["conv"]["dilations"] == [1, 1, 1, 1]
    assert nodes["conv"]["explicit_paddings"] == []
    assert nodes["conv"]["use_cudnn_on_gpu"] is True
    assert isinstance(nodes["leaky"]["alpha"], float) and nodes["leaky"]["alpha"] == 1.0
    assert nodes["x"]["shape"].as_list() == [None, 3]
    assert tf.get_default_graph().get_operation_by_name("t").get_attr("T") == tf.float32
    with pytest.raises(ValueError, match="has no attr named 'nope'"):
        tf.get_default_graph().get_operation_by_name("t").get_attr("nope")


def test_tfcompat_only_attrs_travel_under_a_private_name_and_come_back():
    x = tf.placeholder(tf.float32, [2, 3], name="x")
    rank = tf.rank(x, name="rank")
    assert "out_type" in rank.op.attrs  # tfcompat's own attr, not in TF's Rank signature
    data = tf.get_default_graph().as_graph_def().SerializeToString()
    node = next(n for n in graph_def_lib.parse_graph_def(data) if n.name == "rank")
    assert "out_type" not in node.attr and node.attr["_tfcompat_out_type"] == tf.int32
    assert node.attr["T"] == tf.float32
    with tf.Graph().as_default():
        tf.import_graph_def(data, name="")
        imported = tf.get_default_graph().get_operation_by_name("rank")
        assert imported.attrs["out_type"] == tf.int32
        with tf.Session() as sess:
            assert sess.run(imported.outputs[0], {"x:0": np.zeros([2, 3], np.float32)}) == 2


def test_strip_default_attrs_leaves_defaults_out_and_import_puts_them_back(tmp_path):
    images = tf.placeholder(tf.float32, [1, 4, 4, 1], name="images")
    kernel = tf.Variable(np.ones([2, 2, 1, 1], np.float32), name="kernel")
    conv = tf.nn.conv2d(images, kernel, [1, 1, 1, 1], "SAME", name="conv")
    saver = tf.train.Saver()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        prefix = saver.save(sess, str(tmp_path / "model"), write_meta_graph=False)
        meta = saver.export_meta_graph(str(tmp_path / "model.meta"), strip_default_attrs=True)
    assert meta.meta_info_def.stripped_default_attrs
    node = next(n for n in meta.graph_def.node if n.name == "conv")
    assert sorted(k for k in node.attr if not k.startswith("_")) == ["T", "padding", "strides"]
    with tf.Graph().as_default(), tf.Session() as sess:
        restorer = tf.train.import_meta_graph(str(tmp_path / "model.meta"))
        restorer.restore(sess, prefix)
        imported = sess.graph.get_operation_by_name("conv")
        assert imported.attrs["data_format"] == "NHWC"
        assert imported.attrs["dilations"] == [1, 1, 1, 1]
        out = sess.run("conv:0", {"images:0": np.ones([1, 4, 4, 1], np.float32)})
    assert out[0, 0, 0, 0] == 4.0 and list(out.shape) == conv.shape.as_list()

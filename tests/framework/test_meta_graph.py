"""MetaGraphDef (.meta) files: the bytes decode with TensorFlow's own protos (as shipped by
TensorBoard), collections and variables survive export/import, the reader tolerates what
it does not know, reads TF-written files, and refuses broken or newer ones clearly."""
from pathlib import Path

import numpy as np
import pytest

import tfcompat as tf
from tfcompat.framework import meta_graph
from tfcompat.framework.meta_graph import (CollectionDef, MetaGraphDef, SaverDef, VariableDef,
                                           export_scoped_meta_graph, import_scoped_meta_graph,
                                           read_meta_graph_file)
from tfcompat.lib import proto_wire as pw
from tfcompat.train.saver import (Saver, _import_meta_graph_with_return_elements,
                                  export_meta_graph, import_meta_graph)

tf_protos = pytest.importorskip("tensorboard.compat.proto.meta_graph_pb2")
from tensorboard.compat.proto import variable_pb2  # noqa: E402



@pytest.fixture(autouse=True)
def fresh_graph():
    tf.reset_default_graph()
    yield
    tf.reset_default_graph()


def build_graph():
    X = tf.placeholder(tf.float32, [None, 3], name="X")
    with tf.variable_scope("layer"):
        w = tf.get_variable("kernel", [3, 2], initializer=tf.ones_initializer())
    step = tf.Variable(0, trainable=False, name="global_step")
    out = tf.matmul(X, w, name="out")
    train = tf.group(tf.assign_add(step, 1), name="train")
    tf.add_to_collection("my_important_ops", X)
    tf.add_to_collection("my_important_ops", out)
    tf.add_to_collection("my_important_ops", train)
    tf.add_to_collection("my_important_ops", w)
    for value in ("a string", b"raw\xff"):
        tf.add_to_collection("strings", value)
    for value in (3, -2**40, True):
        tf.add_to_collection("ints", value)
    for value in (0.5, -1.25):
        tf.add_to_collection("floats", value)
    tf.add_to_collection("python_objects", object())
    return X, w, step, out, train


def test_export_decodes_with_tensorflows_protos(tmp_path, monkeypatch):
    warnings = []
    monkeypatch.setattr(meta_graph._logger, "warning", lambda *args: warnings.append(args))
    build_graph()
    saver = Saver()
    path = str(tmp_path / "sub" / "model.meta")
    ours = export_meta_graph(path, saver_def=saver.saver_def)
    data = Path(path).read_bytes()
    assert ours.SerializeToString() == data
    theirs = tf_protos.MetaGraphDef()
    theirs.ParseFromString(data)
    assert theirs.SerializeToString(deterministic=True) == data  # canonical field order
    info = theirs.meta_info_def
    assert (info.tensorflow_version, info.tensorflow_git_version) == ("1.15.0", "tfcompat")
    assert info.any_info.type_url == "type.googleapis.com/tfcompat.MetaGraphFormat"
    assert info.any_info.value == b"\x08\x01"
    assert (theirs.saver_def.filename_tensor_name, theirs.saver_def.save_tensor_name,
            theirs.saver_def.restore_op_name, theirs.saver_def.max_to_keep,
            theirs.saver_def.keep_checkpoint_every_n_hours, theirs.saver_def.version) == (
        "save/Const:0", "save/control_dependency:0", "save/restore_all", 5, 10000.0, 2)
    assert [n.name for n in theirs.graph_def.node] == [
        op.name for op in tf.get_default_graph().get_operations()]
    kinds = {key: c.WhichOneof("kind") for key, c in theirs.collection_def.items()}
    assert kinds == {"variables": "bytes_list", "trainable_variables": "bytes_list",
                     "my_important_ops": "node_list", "strings": "bytes_list",
                     "ints": "int64_list", "floats": "float_list"}
    assert [w[1] for w in warnings] == ["python_objects"]
    assert warnings[0][0].startswith("Error encountered when serializing %s.")
    collections = theirs.collection_def
    assert list(collections["my_important_ops"].node_list.value) == [
        "X:0", "out:0", "train", "layer/kernel:0"]
    assert list(collections["strings"].bytes_list.value) == [b"a string", b"raw\xff"]
    assert list(collections["ints"].int64_list.value) == [3, -2**40, 1]
    assert list(collections["floats"].float_list.value) == [0.5, -1.25]
    variables = []
    for value in collections["variables"].bytes_list.value:
        variable_def = variable_pb2.VariableDef()
        variable_def.ParseFromString(value)
        variables.append(variable_def)
    assert [(v.variable_name, v.initializer_name, v.snapshot_name, v.trainable)
            for v in variables] == [
        ("layer/kernel:0", "layer/kernel/Assign", "layer/kernel/read:0", True),
        ("global_step:0", "global_step/Assign", "global_step/read:0", False)]
    assert variables[0].initial_value_name.startswith("layer/kernel/Initializer/")


def test_our_decoder_round_trips_the_bytes(tmp_path):
    build_graph()
    Saver()
    data = export_meta_graph(saver_def=Saver().saver_def).SerializeToString()
    parsed = MetaGraphDef.FromString(data)
    assert parsed.SerializeToString() == data
    assert parsed.tfcompat_format_version == meta_graph.FORMAT_VERSION
    assert parsed.saver_def.restore_op_name == "save_1/restore_all"
    assert parsed.collection_def["ints"].WhichOneof("kind") == "int64_list"
    assert parsed.collection_def["ints"].int64_list.value == [3, -2**40, 1]
    assert parsed.collection_def["ints"].node_list.value == []
    assert SaverDef.FromString(parsed.saver_def.SerializeToString()) == parsed.saver_def


def test_import_restores_graph_collections_and_shared_variables(tmp_path):
    build_graph()
    path = str(tmp_path / "model.meta")
    Saver().export_meta_graph(path)
    tf.reset_default_graph()
    saver = import_meta_graph(path)
    assert saver.saver_def.restore_op_name == "save/restore_all"
    X, out, train, w_ref = tf.get_collection("my_important_ops")
    graph = tf.get_default_graph()
    assert X is graph.get_tensor_by_name("X:0") and train is graph.get_operation_by_name("train")
    assert w_ref is graph.get_tensor_by_name("layer/kernel:0")
    assert tf.get_collection("strings") == [b"a string", b"raw\xff"]
    assert tf.get_collection("ints") == [3, -2**40, 1]
    assert tf.get_collection("floats") == [0.5, -1.25]
    assert tf.get_collection("python_objects") == []
    kernel, step = tf.global_variables()
    assert tf.trainable_variables() == [kernel] and tf.trainable_variables()[0] is kernel
    assert (kernel.op.name, kernel.trainable, step.trainable) == ("layer/kernel", True, False)
    assert kernel.initial_value.name.startswith("layer/kernel/Initializer/")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        np.testing.assert_array_equal(sess.run(out, {X: np.ones([1, 3])}), [[3.0, 3.0]])
        sess.run(train)
        sess.run(train)
        assert sess.run(step) == 2


def test_import_scope_clear_devices_and_return_elements(tmp_path):
    with tf.device("/cpu:0"):
        build_graph()
    path = str(tmp_path / "model.meta")
    export_meta_graph(path)
    assert all(node.device == "/device:CPU:0" for node in read_meta_graph_file(path).graph_def.node)
    export_meta_graph(path, clear_devices=True)
    assert all(node.device == "" for node in read_meta_graph_file(path).graph_def.node)

    tf.reset_default_graph()
    export_meta_graph(str(tmp_path / "empty.meta"))
    assert import_meta_graph(str(tmp_path / "empty.meta")) is None  # nothing to restore

    tf.reset_default_graph()
    with tf.device("/cpu:0"):
        build_graph()
    export_meta_graph(path)
    tf.reset_default_graph()
    saver, (out,) = _import_meta_graph_with_return_elements(
        path, clear_devices=True, import_scope="copy", return_elements=["out:0"])
    assert out.name == "copy/out:0" and out.op.device == ""
    assert [v.op.name for v in tf.global_variables()] == ["copy/layer/kernel", "copy/global_step"]
    assert tf.get_collection("my_important_ops")[0].name == "copy/X:0"
    assert saver.saver_def.restore_op_name == "save/restore_all"  # no SaverDef: a new Saver
    variables = import_scoped_meta_graph(path, import_scope="copy")
    assert sorted(variables) == ["global_step:0", "layer/kernel:0"]
    assert variables["layer/kernel:0"].op.name == "copy_1/layer/kernel"


def _with_unknown_fields(data):
    """Adds fields tfcompat does not know at every level it parses."""
    parsed = MetaGraphDef.FromString(data)
    out = []
    for number, wire_type, value in pw.iter_fields(data):
        if number == 1:
            value += pw.field_varint(99, 5) + pw.field_bytes(20, b"future")
        elif number == 3:
            value += pw.field_fixed64(15, 7)
        elif number == 4:
            value += pw.field_bytes(3, b"entry extra")
        out.append(meta_graph._raw_field(number, wire_type, value))
    out.append(pw.field_bytes(5, pw.field_bytes(1, "serving_default")))  # a signature_def
    out.append(pw.field_varint(42, 1))
    assert parsed.collection_def
    return b"".join(out)


def test_reader_tolerates_unknown_fields(tmp_path):
    build_graph()
    path = tmp_path / "model.meta"
    export_meta_graph(str(path), saver_def=Saver().saver_def)
    path.write_bytes(_with_unknown_fields(path.read_bytes()))
    parsed = read_meta_graph_file(str(path))
    assert parsed.saver_def.restore_op_name == "save/restore_all"
    assert list(parsed.signature_def) == ["serving_default"]  # parsed, and written again
    assert list(MetaGraphDef.FromString(parsed.SerializeToString()).signature_def) == [
        "serving_default"]
    tf.reset_default_graph()
    saver = import_meta_graph(str(path))
    assert saver is not None and len(tf.get_collection("my_important_ops")) == 4


def test_reading_the_meta_graph_tensorflow_wrote(golden_dir):
    golden_meta = golden_dir("mlp_adam") / "model.ckpt.meta"
    data = golden_meta.read_bytes()
    parsed = read_meta_graph_file(str(golden_meta))
    assert parsed.tfcompat_format_version is None
    assert parsed.meta_info_def.tensorflow_version == "2.21.0"
    assert parsed.saver_def == SaverDef(
        filename_tensor_name="save/Const:0", save_tensor_name="save/control_dependency:0",
        restore_op_name="save/restore_all", max_to_keep=5,
        keep_checkpoint_every_n_hours=10000.0, version=SaverDef.V2)
    assert {k: c.kind for k, c in parsed.collection_def.items()} == {
        "trainable_variables": "bytes_list", "update_ops": "node_list",
        "cond_context": "bytes_list", "train_op": "node_list", "variables": "bytes_list"}
    assert parsed.collection_def["train_op"].value == ["train/Adam"]
    names = [VariableDef.FromString(v).variable_name
             for v in parsed.collection_def["variables"].value]
    assert len(names) == 29 and "train/beta1_power:0" in names
    theirs = tf_protos.MetaGraphDef()
    theirs.ParseFromString(data)
    raw_graph_def = next(value for number, _, value in pw.iter_fields(data) if number == 2)
    assert parsed.graph_def.SerializeToString() == raw_graph_def  # kept verbatim
    assert meta_graph.node_names_and_types(parsed.graph_def.SerializeToString()) == [
        (n.name, n.op) for n in theirs.graph_def.node]
    saver = import_meta_graph(str(golden_meta))
    assert saver.saver_def.restore_op_name == "save/restore_all"
    assert len(tf.global_variables()) == 29
    graph = tf.get_default_graph()
    assert len(graph.get_operations()) == len(theirs.graph_def.node)
    assert {op.type for op in graph.get_operations()} >= {"RefSwitch", "RsqrtGrad", "ApplyAdam"}


def test_a_model_real_tensorflow_saved_runs_and_keeps_training_without_its_code(golden_dir):
    """The legacy user's path: import_meta_graph of TF 2.21's .meta (tf.layers batch norm
    with its tf.cond/RefSwitch moving averages, Adam), restore, reproduce the logits TF
    printed, then train on with the graph's own train_op and UPDATE_OPS."""
    meta = golden_dir("mlp_adam") / "model.ckpt.meta"
    probe = np.load(meta.parent / "probe.npz")
    saver = import_meta_graph(str(meta))
    graph = tf.get_default_graph()
    X, y = graph.get_tensor_by_name("X:0"), graph.get_tensor_by_name("y:0")
    training = graph.get_tensor_by_name("training:0")
    logits = graph.get_tensor_by_name("dnn/outputs/BiasAdd:0")
    train_op = tf.get_collection("train_op")[0]
    update_ops = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
    assert len(update_ops) == 2
    by_name = {v.op.name: v for v in tf.global_variables()}
    moving_mean = by_name["batch_normalization/moving_mean"]
    kernel = by_name["hidden1/kernel"]
    with tf.Session() as sess:
        saver.restore(sess, str(meta.parent / "model.ckpt"))
        np.testing.assert_allclose(sess.run(logits, {X: probe["X"]}), probe["logits"],
                                   rtol=1e-5, atol=1e-5)
        rng = np.random.default_rng(0)
        xb = rng.normal(size=(16, 784)).astype(np.float32)
        yb = rng.integers(0, 10, 16)
        mean_before, kernel_before = sess.run([moving_mean, kernel])
        sess.run(train_op, {X: xb, y: yb, training: True})  # updates not fetched: mean stays
        mean_after_step, kernel_after_step = sess.run([moving_mean, kernel])
        np.testing.assert_array_equal(mean_after_step, mean_before)
        assert not np.array_equal(kernel_after_step, kernel_before)
        batch_mean = sess.run(graph.get_tensor_by_name(
            "dnn/batch_normalization/moments/Squeeze:0"), {X: xb, training: True})
        sess.run([train_op, update_ops], {X: xb, y: yb, training: True})
        np.testing.assert_allclose(sess.run(moving_mean),
                                   0.9 * mean_before + 0.1 * batch_mean, rtol=1e-4, atol=1e-5)
        assert sess.run(by_name["global_step"]) == 22
        sess.run(update_ops, {X: xb})  # training defaults to False: the updates do nothing
        np.testing.assert_allclose(sess.run(moving_mean),
                                   0.9 * mean_before + 0.1 * batch_mean, rtol=1e-4, atol=1e-5)


def test_unreadable_files_raise_ioerror(tmp_path):
    with pytest.raises(OSError, match="does not exist"):
        read_meta_graph_file(str(tmp_path / "missing.meta"))
    garbage = tmp_path / "garbage.meta"
    garbage.write_bytes(b"\x0f\xff\xff\xff")
    with pytest.raises(OSError, match="Cannot parse file"):
        import_meta_graph(str(garbage))
    text = tmp_path / "text.meta"
    text.write_text('meta_info_def {\n  tensorflow_version: "1.15.0"\n}\n')
    with pytest.raises(OSError, match="text-format MetaGraphDef"):
        read_meta_graph_file(str(text))
    newer = MetaGraphDef()
    newer.meta_info_def.any_info = (meta_graph.MARKER_TYPE_URL, pw.field_varint(1, 2))
    (tmp_path / "newer.meta").write_bytes(newer.SerializeToString())
    with pytest.raises(OSError, match="tfcompat meta graph format 2"):
        read_meta_graph_file(str(tmp_path / "newer.meta"))
    with pytest.raises(NotImplementedError, match="as_text"):
        export_meta_graph(str(tmp_path / "x.meta"), as_text=True)


def test_unknown_op_types_are_listed_before_anything_is_imported():
    tf.constant(1.0, name="c")
    meta = export_scoped_meta_graph()[0]
    node = pw.field_bytes(1, pw.field_bytes(1, "mystery") + pw.field_bytes(2, "FancyNewOp")
                          + pw.field_bytes(3, "c"))
    meta.graph_def = type(meta.graph_def)(meta.graph_def.SerializeToString() + node)
    tf.reset_default_graph()
    with pytest.raises(ValueError, match="op types not registered in tfcompat: FancyNewOp "
                                         r"\(e.g. node 'mystery'\)"):
        import_meta_graph(meta)
    assert tf.get_default_graph().get_operations() == []


def test_collection_def_kinds():
    for kind, values in (("node_list", ["a:0", "b"]), ("bytes_list", [b"x", b""]),
                         ("int64_list", [0, -1, 2**62]), ("float_list", [1.5, -0.0])):
        collection = CollectionDef(kind, values)
        parsed = CollectionDef.FromString(collection.SerializeToString())
        assert parsed.kind == kind and parsed.value == values
    with pytest.raises(ValueError):
        CollectionDef("tensor_list")


def test_gradients_through_an_imported_tf_cond(tmp_path):
    x = tf.Variable([1.0, 2.0], name="x")
    flag = tf.placeholder_with_default(True, (), name="flag")
    y = tf.cond(flag, lambda: x * 3.0, lambda: x * x)
    tf.reduce_sum(y, name="loss")
    path = str(tmp_path / "cond.meta")
    export_meta_graph(path)
    tf.reset_default_graph()
    import_meta_graph(path)
    graph = tf.get_default_graph()
    grad = tf.gradients(graph.get_tensor_by_name("loss:0"), tf.global_variables())[0]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run(grad).tolist() == [3.0, 3.0]
        assert sess.run(grad, {"flag:0": False}).tolist() == [2.0, 4.0]


def test_a_corrupt_variables_collection_entry_is_a_decode_error(tmp_path):
    from tfcompat.framework.meta_graph import DecodeError
    with tf.Graph().as_default():
        tf.Variable(tf.zeros([2]), name="weights")
        path = str(tmp_path / "model.meta")
        tf.train.export_meta_graph(path)
    data = bytearray(open(path, "rb").read())
    # the VariableDef's first field: tag 0x0a, length, "weights:0"
    at = data.index(b"\x0a\x09weights:0")
    data[at + 1] = 0x7f  # its length now runs past the end of the entry
    open(path, "wb").write(bytes(data))
    with tf.Graph().as_default():
        with pytest.raises(DecodeError, match="variables"):
            tf.train.import_meta_graph(path)

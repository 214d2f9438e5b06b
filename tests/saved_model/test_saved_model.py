"""tf.saved_model: a SavedModel written by TensorFlow (tests/golden/saved_model, made by
tests/golden/make_saved_model.py) loads and runs in tfcompat (its sharded Saver graph saves
again); one tfcompat writes of the same model has the structure TensorFlow's has (decoded
with TensorFlow's own protos) and round-trips; simple_save, the builder's and the signature
helpers' checks and errors are TF 1.x's. TensorFlow loading and running tfcompat-written
SavedModels was checked by hand (notes-h-saved.md)."""
import json
import os
from pathlib import Path

import numpy as np
import pytest

import tfcompat as tf
from tfcompat.framework.meta_graph import SavedModel
from tfcompat.lib import proto_wire as pw

meta_graph_pb2 = pytest.importorskip("tensorboard.compat.proto.meta_graph_pb2")

GOLDEN = Path(__file__).parents[1] / "golden" / "saved_model"
TF_MODEL = GOLDEN / "tf_model"
EXPECTED = json.loads((GOLDEN / "expected.json").read_text())
X = np.array(EXPECTED["x"], np.float32)


@pytest.fixture(autouse=True)
def fresh_graph():
    tf.reset_default_graph()
    yield
    tf.reset_default_graph()


# ---- a SavedModel TensorFlow wrote ----------------------------------------------------------
@pytest.mark.parametrize("tags", [["serve"], ["train"]])
def test_loads_and_runs_the_saved_model_tensorflow_wrote(tags):
    with tf.Session(graph=tf.Graph()) as sess:
        meta = tf.saved_model.loader.load(sess, tags, str(TF_MODEL))
        assert list(meta.meta_info_def.tags) == tags
        np.testing.assert_allclose(sess.run("y:0", {"x:0": X}), EXPECTED["y"], rtol=1e-6)
        # the main op ran with the asset tensor fed the path of assets/vocab.txt
        assert sess.run("vocab_bytes:0") == EXPECTED["vocab_bytes"]
        if tags == ["serve"]:
            signature = meta.signature_def["serving_default"]
            assert signature.method_name == tf.saved_model.PREDICT_METHOD_NAME
            assert sorted(signature.outputs) == ["total", "y"]
            total = tf.saved_model.utils.get_tensor_from_tensor_info(signature.outputs["total"])
            x = tf.saved_model.get_tensor_from_tensor_info(signature.inputs["x"], sess.graph)
            np.testing.assert_allclose(sess.run(total, {x: X}), EXPECTED["total"], rtol=1e-6)
            assert tf.saved_model.is_valid_signature(meta.signature_def["regress"])
        else:
            assert not meta.signature_def


def test_tensorflows_sharded_saver_graph_saves_and_restores_in_tfcompat(tmp_path):
    loader = tf.saved_model.loader.SavedModelLoader(str(TF_MODEL))
    with tf.Session(graph=tf.Graph()) as sess:
        saver, _ = loader.load_graph(sess.graph, ["serve"])
        loader.restore_variables(sess, saver)
        assert sess.graph.get_operation_by_name("save/MergeV2Checkpoints").type == (
            "MergeV2Checkpoints")
        (tmp_path / "again").mkdir()
        prefix = saver.save(sess, str(tmp_path / "again" / "model.ckpt"))
        assert sorted(os.listdir(tmp_path / "again")) == [
            "checkpoint", "model.ckpt.data-00000-of-00001", "model.ckpt.index",
            "model.ckpt.meta"]  # the temporary shard and its directory are gone
        with sess.graph.as_default():
            sess.run(tf.assign(sess.graph.get_tensor_by_name("dense/bias:0"), [9.0, 9.0]))
        saver.restore(sess, prefix)
        np.testing.assert_allclose(sess.run("y:0", {"x:0": X}), EXPECTED["y"], rtol=1e-6)


# ---- the same model written by tfcompat -----------------------------------------------------
def _build_model(vocab_path):
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    w = tf.get_variable("dense/kernel", initializer=np.arange(6, dtype=np.float32)
                        .reshape(3, 2) / 10.0)
    b = tf.get_variable("dense/bias", initializer=np.array([0.5, -0.25], np.float32))
    y = tf.nn.relu(tf.matmul(x, w) + b, name="y")
    total = tf.reduce_sum(y, axis=1, name="total")
    examples = tf.placeholder(tf.string, [None], name="examples")
    asset = tf.constant(str(vocab_path), name="vocab_path")
    tf.add_to_collection(tf.GraphKeys.ASSET_FILEPATHS, asset)
    vocab_bytes = tf.get_variable("vocab_bytes", [], tf.int64, trainable=False,
                                  collections=[tf.GraphKeys.LOCAL_VARIABLES],
                                  initializer=tf.zeros_initializer())
    count = tf.cast(tf.strings.length(tf.io.read_file(asset)), tf.int64)
    main_op = tf.group(tf.local_variables_initializer(), name="main_init")
    with tf.control_dependencies([main_op]):
        main_op = tf.group(tf.assign(vocab_bytes, count), name="main_op")
    signatures = {"serving_default": tf.saved_model.predict_signature_def(
        {"x": x}, {"y": y, "total": total}),
        "regress": tf.saved_model.regression_signature_def(examples, total)}
    return main_op, signatures


def _write_like_the_golden(tmp_path, as_text=False):
    vocab = tmp_path / "vocab.txt"
    vocab.write_text("alpha\nbeta\ngamma\n")
    main_op, signatures = _build_model(vocab)
    export_dir = tmp_path / "model"
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        builder = tf.saved_model.builder.SavedModelBuilder(str(export_dir))
        builder.add_meta_graph_and_variables(
            sess, [tf.saved_model.SERVING], signature_def_map=signatures,
            assets_collection=tf.get_collection(tf.GraphKeys.ASSET_FILEPATHS), main_op=main_op)
        builder.add_meta_graph([tf.saved_model.TRAINING])
        path = builder.save(as_text=as_text)
    vocab.unlink()  # the SavedModel has its own copy
    return export_dir, path


def _tensorflow_messages(path):
    """(schema version, [TF's MetaGraphDef proto]) of a saved_model.pb, decoded with TF's
    meta_graph.proto (SavedModel itself is two fields)."""
    data = Path(path).read_bytes()
    version, metas = 0, []
    for number, _, value in pw.iter_fields(data):
        if number == 1:
            version = value
        elif number == 2:
            meta = meta_graph_pb2.MetaGraphDef()
            meta.ParseFromString(value)
            metas.append(meta)
    return version, metas


def _structure(meta):
    signatures = {key: (sig.method_name, {k: (v.name, v.dtype, str(v.tensor_shape))
                                          for k, v in sig.inputs.items()},
                        {k: (v.name, v.dtype, str(v.tensor_shape)) for k, v in sig.outputs.items()})
                  for key, sig in meta.signature_def.items()}
    assets = []
    for packed in meta.collection_def["saved_model_assets"].any_list.value:
        assert packed.type_url == "type.googleapis.com/tensorflow.AssetFileDef"
        asset = meta_graph_pb2.AssetFileDef()  # tensorboard's copy (package "tensorboard")
        asset.ParseFromString(packed.value)
        assets.append((asset.tensor_info.name, asset.filename))
    return {"tags": list(meta.meta_info_def.tags), "signatures": signatures, "assets": assets,
            "main_op": list(meta.collection_def["saved_model_main_op"].node_list.value),
            "collections": sorted(meta.collection_def),
            "saver": (meta.saver_def.version, meta.saver_def.sharded)}


def test_tfcompat_writes_the_structure_tensorflow_writes(tmp_path):
    export_dir, path = _write_like_the_golden(tmp_path)
    assert path == str(export_dir / "saved_model.pb").encode()
    ours_version, ours = _tensorflow_messages(path.decode())
    theirs_version, theirs = _tensorflow_messages(TF_MODEL / "saved_model.pb")
    assert ours_version == theirs_version == 1
    assert [_structure(m) for m in ours] == [_structure(m) for m in theirs]

    def files(root):
        return sorted(str(p.relative_to(root)) for p in Path(root).rglob("*"))
    assert files(export_dir) == files(TF_MODEL)
    assert (export_dir / "assets" / "vocab.txt").read_text() == "alpha\nbeta\ngamma\n"


def test_tfcompat_saved_model_round_trips(tmp_path):
    export_dir, _ = _write_like_the_golden(tmp_path)
    assert tf.saved_model.contains_saved_model(str(export_dir))
    assert tf.saved_model.maybe_saved_model_directory(export_dir)
    with tf.Session(graph=tf.Graph()) as sess:
        meta = tf.saved_model.load(sess, ["train"], str(export_dir))
        assert list(meta.meta_info_def.tags) == ["train"]
        np.testing.assert_allclose(sess.run("total:0", {"x:0": X}), EXPECTED["total"],
                                   rtol=1e-6)
        assert sess.run("vocab_bytes:0") == EXPECTED["vocab_bytes"]


def test_save_as_text_writes_the_text_format(tmp_path):
    export_dir, path = _write_like_the_golden(tmp_path, as_text=True)
    assert path == str(export_dir / "saved_model.pbtxt").encode()
    text = Path(path.decode()).read_text()
    assert text.startswith("saved_model_schema_version: 1\nmeta_graphs {\n")
    assert '    tags: "serve"\n' in text and '    tags: "train"\n' in text
    assert 'method_name: "tensorflow/serving/regress"' in text
    assert "type_url: \"type.googleapis.com/tensorflow.AssetFileDef\"" in text
    assert "version: V2" in text
    with tf.Session(graph=tf.Graph()) as sess, pytest.raises(OSError, match="binary"):
        tf.saved_model.loader.load(sess, ["serve"], str(export_dir))


def test_simple_save(tmp_path):
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    with tf.device("/cpu:0"):
        w = tf.Variable(np.ones((3, 2), np.float32), name="w")
    y = tf.matmul(x, w, name="y")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        tf.saved_model.simple_save(sess, str(tmp_path / "m"), {"x": x}, {"y": y})
    _, (meta,) = _tensorflow_messages(tmp_path / "m" / "saved_model.pb")
    assert list(meta.meta_info_def.tags) == ["serve"]
    assert list(meta.signature_def) == ["serving_default"]
    assert meta.signature_def["serving_default"].inputs["x"].name == "x:0"
    assert all(not node.device for node in meta.graph_def.node)  # clear_devices=True
    with tf.Session(graph=tf.Graph()) as sess:
        tf.saved_model.loader.load(sess, [tf.saved_model.tag_constants.SERVING],
                                   str(tmp_path / "m"))
        np.testing.assert_allclose(sess.run("y:0", {"x:0": np.ones((1, 3))}), [[3.0, 3.0]])


# ---- checks and errors -----------------------------------------------------------------------
def test_builder_errors(tmp_path):
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "file").write_text("x")
    with pytest.raises(AssertionError, match="Export directory already exists, and isn't"):
        tf.saved_model.Builder(str(tmp_path / "full"))
    x = tf.placeholder(tf.float32, [2], name="x")
    tf.Variable([1.0, 2.0], name="v")
    builder = tf.saved_model.Builder(str(tmp_path / "new" / "dir"))
    with pytest.raises(AssertionError, match="has not been saved yet"):
        builder.add_meta_graph(["serve"])
    bad = tf.saved_model.build_signature_def({"x": tf.saved_model.utils.build_tensor_info(x)})
    bad.inputs["y"].name = "x:0"  # a protobuf map gives a new TensorInfo, without a dtype
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        with pytest.raises(AssertionError, match="dtype field set"):
            builder.add_meta_graph_and_variables(sess, ["serve"], {"bad": bad})
        reserved = {"__saved_model_init_op": tf.saved_model.build_signature_def()}
        with pytest.raises(KeyError, match="reserved for initialization"):
            builder.add_meta_graph_and_variables(sess, ["serve"], reserved)
        with pytest.raises(TypeError, match="main_op"):
            builder.add_meta_graph_and_variables(sess, ["serve"], main_op=x)
        builder.add_meta_graph_and_variables(sess, ["serve"], main_op=tf.no_op())
        with pytest.raises(AssertionError, match="already been saved"):
            builder.add_meta_graph_and_variables(sess, ["serve"])
        with pytest.raises(ValueError, match="already contains one or more main ops"):
            builder.add_meta_graph(["other"], main_op=tf.no_op())


def test_loader_errors(tmp_path):
    with tf.Session() as sess:
        with pytest.raises(OSError, match="SavedModel file does not exist at: .*"
                                          r"\{saved_model.pbtxt\|saved_model.pb\}"):
            tf.saved_model.loader.load(sess, ["serve"], str(tmp_path))
        with pytest.raises(RuntimeError, match="MetaGraphDef associated with tags 'gpu' could "
                                               "not be found in SavedModel"):
            tf.saved_model.loader.load(sess, ["gpu"], str(TF_MODEL))
    assert not tf.saved_model.contains_saved_model(str(tmp_path))
    (tmp_path / "saved_model.pb").write_bytes(b"\xff\xff")
    with tf.Session() as sess, pytest.raises(OSError, match="Cannot parse file"):
        tf.saved_model.loader.load(sess, ["serve"], str(tmp_path))


def test_signature_helpers_check_as_tensorflow_1():
    examples = tf.placeholder(tf.string, [None], name="examples")
    scores = tf.placeholder(tf.float32, [None, 2], name="scores")
    classes = tf.placeholder(tf.string, [None, 2], name="classes")
    ints = tf.placeholder(tf.int32, [None], name="ints")
    utils = tf.saved_model.signature_def_utils
    classify = utils.classification_signature_def(examples, classes, scores)
    assert classify.method_name == "tensorflow/serving/classify"
    assert sorted(classify.outputs) == ["classes", "scores"]
    assert classify.inputs["inputs"].dtype == tf.string.as_datatype_enum
    assert utils.is_valid_signature(classify)
    regress = utils.regression_signature_def(examples, tf.reshape(scores, [-1]))
    assert utils.is_valid_signature(regress) and list(regress.outputs) == ["outputs"]
    predict = utils.predict_signature_def({"i": ints}, {"o": scores})
    assert utils.is_valid_signature(predict)
    assert not utils.is_valid_signature(None)
    assert not utils.is_valid_signature(utils.build_signature_def(
        {"inputs": tf.saved_model.build_tensor_info(ints)},
        {"outputs": tf.saved_model.build_tensor_info(scores)}, "tensorflow/serving/regress"))
    for call, message in [
            (lambda: utils.regression_signature_def(None, scores), "Regression examples cannot"),
            (lambda: utils.regression_signature_def(ints, scores),
             "Regression examples must be a string Tensor"),
            (lambda: utils.regression_signature_def(examples, ints),
             "Regression output must be a float Tensor"),
            (lambda: utils.classification_signature_def(examples, None, None),
             "classes and scores cannot both be None"),
            (lambda: utils.classification_signature_def(examples, ints, None),
             "Classification classes must be a string Tensor"),
            (lambda: utils.classification_signature_def(examples, None, ints),
             "Classification scores must be a float Tensor"),
            (lambda: utils.predict_signature_def({}, {"o": scores}),
             "Prediction inputs cannot be None or empty"),
            (lambda: utils.predict_signature_def({"i": ints}, None),
             "Prediction outputs cannot be None or empty")]:
        with pytest.raises(ValueError, match=message):
            call()


def test_tensor_info_of_dense_and_sparse_tensors_and_back():
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    info = tf.saved_model.build_tensor_info(x)
    assert (info.name, info.dtype) == ("x:0", tf.float32.as_datatype_enum)
    assert [d.size for d in info.tensor_shape.dim] == [-1, 3]
    theirs = meta_graph_pb2.TensorInfo()
    theirs.ParseFromString(info.SerializeToString())
    assert theirs.name == "x:0" and [d.size for d in theirs.tensor_shape.dim] == [-1, 3]
    sparse = tf.SparseTensor([[0, 1]], [2.5], [2, 3])
    sparse_info = tf.saved_model.build_tensor_info(sparse)
    assert sparse_info.WhichOneof("encoding") == "coo_sparse"
    assert sparse_info.coo_sparse.values_tensor_name == sparse.values.name
    back = tf.saved_model.get_tensor_from_tensor_info(sparse_info)
    assert back.indices is sparse.indices and back.dense_shape is sparse.dense_shape
    with tf.name_scope("imported"):
        tf.placeholder(tf.float32, [2], name="x")
    assert tf.saved_model.get_tensor_from_tensor_info(info, import_scope="imported").name == (
        "imported/x:0")
    with pytest.raises(ValueError, match="Invalid TensorInfo.encoding: None"):
        tf.saved_model.get_tensor_from_tensor_info(type(info)())


def test_main_op_initialises_variables_then_restores(tmp_path):
    v = tf.Variable(1.0, name="v")
    local = tf.get_variable("local", [], collections=[tf.GraphKeys.LOCAL_VARIABLES],
                            initializer=tf.constant_initializer(4.0))
    saver = tf.train.Saver([v])
    with tf.Session() as sess:
        sess.run(tf.saved_model.main_op.main_op())
        assert sess.run([v, local]) == [1.0, 4.0]
        sess.run(v.assign(7.0))
        prefix = saver.save(sess, str(tmp_path / "ckpt"))
        sess.run(v.assign(0.0))
        restore = tf.saved_model.main_op_with_restore(saver.saver_def.restore_op_name)
        sess.run(restore, {saver.saver_def.filename_tensor_name: prefix})
        assert sess.run(v) == 7.0


# TF 1.15's tf.saved_model names (its API golden) but TF 2's object-based ``save`` and
# ``experimental`` (a namespace of it).
TF1_NAMES = """
    ASSETS_DIRECTORY ASSETS_KEY Builder CLASSIFY_INPUTS CLASSIFY_METHOD_NAME
    CLASSIFY_OUTPUT_CLASSES CLASSIFY_OUTPUT_SCORES DEFAULT_SERVING_SIGNATURE_DEF_KEY GPU
    LEGACY_INIT_OP_KEY MAIN_OP_KEY PREDICT_INPUTS PREDICT_METHOD_NAME PREDICT_OUTPUTS
    REGRESS_INPUTS REGRESS_METHOD_NAME REGRESS_OUTPUTS SAVED_MODEL_FILENAME_PB
    SAVED_MODEL_FILENAME_PBTXT SAVED_MODEL_SCHEMA_VERSION SERVING TPU TRAINING
    VARIABLES_DIRECTORY VARIABLES_FILENAME build_signature_def build_tensor_info builder
    classification_signature_def constants contains_saved_model
    get_tensor_from_tensor_info is_valid_signature load loader main_op
    main_op_with_restore maybe_saved_model_directory predict_signature_def
    regression_signature_def signature_constants signature_def_utils simple_save
    tag_constants utils
""".split()


def test_the_tf1_saved_model_names_resolve():
    for name in TF1_NAMES:
        assert getattr(tf.saved_model, name) is not None, name
    assert tf.saved_model.load is tf.saved_model.loader.load
    assert tf.saved_model.Builder is tf.saved_model.builder.SavedModelBuilder
    with pytest.raises(AttributeError, match="does not implement tf.saved_model.save yet"):
        tf.saved_model.save  # noqa: B018  (TF 2's object-based save)


def test_saved_model_proto_round_trips():
    model = SavedModel(1)
    assert SavedModel.FromString(model.SerializeToString()).saved_model_schema_version == 1

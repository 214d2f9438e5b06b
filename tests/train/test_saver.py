"""tf.train.Saver: TF's graph and files, round trips of every dtype, TF's goldens, the book's
save / restore / reuse / import_meta_graph flow, errors, corruption and atomic saves."""
import json
import os
from pathlib import Path

import numpy as np
import pytest

import tfcompat as tf
from tfcompat.framework import errors
from tfcompat.framework.meta_graph import SaverDef
from tfcompat.lib.io import tensor_bundle
from tfcompat.lib.io.table import build_table, read_table
from tfcompat.train import saver as saver_module
from tfcompat.train.saver import (Saver, checkpoint_exists, get_checkpoint_state,
                                  import_meta_graph, latest_checkpoint)

GOLDENS = ["mlp_adam", "scalars_and_types"]


@pytest.fixture(autouse=True)
def fresh_graph():
    tf.reset_default_graph()
    yield
    tf.reset_default_graph()


def assert_same_array(actual, expected):
    actual = np.asarray(actual, dtype=object if isinstance(actual, bytes) else None)
    expected = np.asarray(expected)
    assert actual.dtype == expected.dtype and actual.shape == expected.shape
    if expected.dtype == object:
        assert actual.tolist() == expected.tolist()
    else:
        assert actual.tobytes() == expected.tobytes()  # bit for bit: NaN payloads, -0.0


def values_of(sess, variables):
    values = sess.run({v.op.name: v for v in variables})
    return {name: np.asarray(value, dtype=object if isinstance(value, bytes) else None)
            for name, value in values.items()}


# ---- the graph a Saver builds --------------------------------------------------------------
def test_saver_builds_tf_ops_and_saver_def():
    tf.Variable(1.0, name="b")
    tf.Variable([[1.0, 2.0]], name="a")
    saver = Saver()
    graph = tf.get_default_graph()
    types = {op.name: op.type for op in graph.get_operations() if op.name.startswith("save/")}
    assert types == {
        "save/filename/input": "Const", "save/filename": "PlaceholderWithDefault",
        "save/Const": "PlaceholderWithDefault", "save/SaveV2/tensor_names": "Const",
        "save/SaveV2/shape_and_slices": "Const", "save/SaveV2": "SaveV2",
        "save/control_dependency": "Identity", "save/RestoreV2/tensor_names": "Const",
        "save/RestoreV2/shape_and_slices": "Const", "save/RestoreV2": "RestoreV2",
        "save/Assign": "Assign", "save/Assign_1": "Assign", "save/restore_all": "NoOp"}
    sd = saver.as_saver_def()
    assert (sd.filename_tensor_name, sd.save_tensor_name, sd.restore_op_name) == (
        "save/Const:0", "save/control_dependency:0", "save/restore_all")
    assert (sd.max_to_keep, sd.keep_checkpoint_every_n_hours, sd.version) == (5, 10000.0,
                                                                               SaverDef.V2)
    # Saveables are sorted by checkpoint name: "a" is restored by save/Assign.
    assign = graph.get_operation_by_name("save/Assign")
    assert assign.inputs[0].op.name == "a" and assign.inputs[1].name == "save/RestoreV2:0"
    assert graph.get_operation_by_name("save/RestoreV2").device == "/device:CPU:0"
    assert graph.get_operation_by_name("save/SaveV2").attrs["dtypes"] == [tf.float32] * 2
    assert Saver().saver_def.restore_op_name == "save_1/restore_all"


def test_saver_var_list_validation():
    a = tf.Variable(1.0, name="a")
    with pytest.raises(ValueError, match="No variables to save"):
        Saver([])
    empty = Saver([], allow_empty=True)
    with tf.Session() as sess:
        assert empty.save(sess, "/nonexistent/dir/x", write_meta_graph=False) is None
        assert empty.restore(sess, "/nonexistent/x") is None
    with pytest.raises(TypeError, match="Variables to save should be passed in a dict or a list"):
        Saver(a)
    with pytest.raises(TypeError, match="Variable to save is not a Variable"):
        Saver([a.value()])
    with pytest.raises(ValueError, match="At least two variables have the same name: a"):
        Saver([a, a._ref()])
    with pytest.raises(ValueError, match="The same saveable will be restored with two names"):
        Saver({"x": a, "y": a})
    with pytest.raises(TypeError, match="Not a variable"):
        Saver({"x": tf.constant(1.0)})
    with pytest.raises(ValueError, match="build cannot be deferred"):
        Saver([a], defer_build=True)
    with pytest.raises(NotImplementedError, match="V2"):
        Saver([a], write_version=SaverDef.V1)


# ---- round trips --------------------------------------------------------------------------
ROUND_TRIP_VALUES = {
    "float16/v": np.array([1.5, -0.0, np.inf, 65504.0], np.float16),
    "float32/m": np.arange(12, dtype=np.float32).reshape(3, 4) / 7,
    "float64/nan": np.array([np.nan, -0.0, -np.inf, 1e-300]),
    "int8/v": np.array([-128, 127, 0], np.int8),
    "int16/v": np.array([-32768, 32767], np.int16),
    "int32/r3": np.arange(24, dtype=np.int32).reshape(2, 3, 4) - 12,
    "int64/v": np.array([-2**63, 2**63 - 1, 0], np.int64),
    "uint8/v": np.array([0, 255, 7], np.uint8),
    "bool/v": np.array([True, False, True]),
    "string/v": np.array([b"", b"abc", "\u00e9t\u00e9".encode(), b"\x00\xff"], dtype=object),
    "scalars/f32": np.float32(-2.5),
    "scalars/i64": np.int64(-7),
    "scalars/bool": np.bool_(True),
    "scalars/str": np.array(b"scalar", dtype=object),
    "empty/f32": np.zeros([0], np.float32),
    "empty/i64_2d": np.zeros([3, 0], np.int64),
    "empty/str": np.zeros([0], dtype=object),
    "odd.scope-1/weights.v-2": np.array([1.0, 2.0, 3.0], np.float32),
    "a/b/c/d-e.f": np.int32(4),
    "big/matrix": np.random.default_rng(0).standard_normal((1024, 1536)).astype(np.float32),
}


def make_variables(values):
    return [tf.Variable(value, name=name) for name, value in values.items()]


def scramble(sess, variables):
    """Overwrites every variable with other values of the same shape and dtype."""
    for var in variables:
        value = np.asarray(sess.run(var))
        if value.dtype.kind in "OSU":
            other = np.full(value.shape, b"zz", dtype=object)
        elif value.dtype == bool:
            other = ~value
        else:
            other = (np.ones_like(value) * 3).astype(value.dtype)
        var.load(other, sess)


def test_round_trip_every_dtype_scalars_empty_odd_names_and_big(tmp_path):
    variables = make_variables(ROUND_TRIP_VALUES)
    saver = Saver()
    prefix = str(tmp_path / "model.ckpt")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert saver.save(sess, prefix) == prefix
        scramble(sess, variables)
        saver.restore(sess, prefix)
        restored = values_of(sess, variables)
    for name, expected in ROUND_TRIP_VALUES.items():
        assert_same_array(restored[name], np.asarray(expected))
    # The files are what TF's BundleWriter writes for these tensors, byte for byte.
    reference = str(tmp_path / "reference")
    tensor_bundle.write_bundle(reference, ROUND_TRIP_VALUES)
    for suffix in (".index", ".data-00000-of-00001"):
        assert Path(prefix + suffix).read_bytes() == Path(reference + suffix).read_bytes()
    assert os.path.getsize(prefix + ".data-00000-of-00001") > 6_000_000
    assert sorted(os.listdir(tmp_path)) == [
        "checkpoint", "model.ckpt.data-00000-of-00001", "model.ckpt.index", "model.ckpt.meta",
        "reference.data-00000-of-00001", "reference.index"]


def test_restore_in_a_fresh_session_initializes_the_variables(tmp_path):
    a = tf.Variable([1, 2], name="a")
    saver = Saver()
    with tf.Session() as sess:
        sess.run(a.initializer)
        path = saver.save(sess, str(tmp_path / "m"))
    with tf.Session() as sess:
        with pytest.raises(errors.FailedPreconditionError, match="uninitialized value a"):
            sess.run(a)
        saver.restore(sess, path)
        assert sess.run(a).tolist() == [1, 2]


def test_save_of_an_uninitialized_variable_fails_like_tf(tmp_path):
    tf.Variable(1.0, name="ready")
    tf.Variable(2.0, name="never_initialized")
    saver = Saver()
    with tf.Session() as sess:
        sess.run(tf.get_default_graph().get_operation_by_name("ready/Assign"))
        with pytest.raises(errors.FailedPreconditionError,
                           match="Attempting to use uninitialized value never_initialized"):
            saver.save(sess, str(tmp_path / "m"))
    assert not os.listdir(tmp_path)


def test_save_paths_global_step_and_state_file(tmp_path, monkeypatch):
    step = tf.Variable(41, name="global_step", trainable=False)
    tf.Variable(1.0, name="w")
    saver = Saver(max_to_keep=None)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert saver.save(sess, str(tmp_path / "m.ckpt"), global_step=7) == f"{tmp_path}/m.ckpt-7"
        assert saver.save(sess, str(tmp_path / "m.ckpt"), global_step=step) == (
            f"{tmp_path}/m.ckpt-41")
        assert saver.save(sess, str(tmp_path / "m.ckpt"), global_step=step + 1,
                          write_meta_graph=False) == f"{tmp_path}/m.ckpt-42"
        assert saver.save(sess, str(tmp_path / "m.ckpt"), global_step=np.int64(5),
                          write_state=False) == f"{tmp_path}/m.ckpt-5"
        # max_to_keep=None keeps every file but only the latest in the state file.
        assert (tmp_path / "checkpoint").read_text() == (
            f'model_checkpoint_path: "{tmp_path}/m.ckpt-42"\n'
            f'all_model_checkpoint_paths: "{tmp_path}/m.ckpt-42"\n')
        for step_number in (7, 41, 42, 5):
            assert checkpoint_exists(f"{tmp_path}/m.ckpt-{step_number}")
        assert not (tmp_path / "m.ckpt-42.meta").exists()

        padded = Saver(pad_step_number=True, save_relative_paths=True)
        assert padded.save(sess, str(tmp_path / "p"), global_step=3,
                           latest_filename="padded_state") == f"{tmp_path}/p-00000003"
        assert (tmp_path / "padded_state").read_text() == (
            'model_checkpoint_path: "p-00000003"\nall_model_checkpoint_paths: "p-00000003"\n')

        # The book's relative "./my_model_final.ckpt": the state file holds relative paths.
        monkeypatch.chdir(tmp_path)
        os.mkdir("sub")
        assert saver.save(sess, "./my_model_final.ckpt") == "./my_model_final.ckpt"
        assert Path("checkpoint").read_text().startswith(
            'model_checkpoint_path: "my_model_final.ckpt"\n')
        assert saver.save(sess, "./sub/m.ckpt", global_step=5) == "./sub/m.ckpt-5"
        assert Path("sub/checkpoint").read_text() == (
            'model_checkpoint_path: "m.ckpt-5"\nall_model_checkpoint_paths: "m.ckpt-5"\n')
        assert saver.save(sess, "bare.ckpt") == "bare.ckpt"
        assert latest_checkpoint(".") == "./bare.ckpt"
        assert latest_checkpoint("sub") == "sub/m.ckpt-5"

        with pytest.raises(ValueError, match="'latest_filename' must not contain path"):
            saver.save(sess, "x", latest_filename="a/b")
        with pytest.raises(ValueError, match="'latest_filename' collides with 'save_path'"):
            saver.save(sess, "./checkpoint")
        with pytest.raises(TypeError, match="'sess' must be a Session"):
            saver.save(None, "x")


def test_max_to_keep_deletes_old_checkpoints_and_keeps_the_state_valid(tmp_path):
    tf.Variable(1.0, name="w")
    saver = Saver(max_to_keep=2)
    prefix = str(tmp_path / "my_model.ckpt")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for step in (100, 200, 300):
            saver.save(sess, prefix, global_step=step)
    assert sorted(os.listdir(tmp_path)) == sorted(
        ["checkpoint"] + [f"my_model.ckpt-{s}{ext}" for s in (200, 300)
                          for ext in (".index", ".data-00000-of-00001", ".meta")])
    assert (tmp_path / "checkpoint").read_text() == (
        f'model_checkpoint_path: "{prefix}-300"\n'
        f'all_model_checkpoint_paths: "{prefix}-200"\n'
        f'all_model_checkpoint_paths: "{prefix}-300"\n')
    assert saver.last_checkpoints == [f"{prefix}-200", f"{prefix}-300"]
    state = get_checkpoint_state(str(tmp_path))
    assert state.all_model_checkpoint_paths == [f"{prefix}-200", f"{prefix}-300"]
    assert latest_checkpoint(str(tmp_path)) == f"{prefix}-300"

    # A new Saver that recovers the list goes on deleting the oldest.
    tf.reset_default_graph()
    tf.Variable(1.0, name="w")
    saver = Saver(max_to_keep=2)
    saver.recover_last_checkpoints(state.all_model_checkpoint_paths)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        saver.save(sess, prefix, global_step=400)
    assert not checkpoint_exists(f"{prefix}-200") and checkpoint_exists(f"{prefix}-300")


def test_keep_checkpoint_every_n_hours_keeps_old_checkpoints(tmp_path, monkeypatch):
    tf.Variable(1.0, name="w")
    clock = [1000.0]
    monkeypatch.setattr(saver_module.time, "time", lambda: clock[0])
    saver = Saver(max_to_keep=1, keep_checkpoint_every_n_hours=1.0)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for step in range(4):
            clock[0] += 2000.0  # 33 minutes per checkpoint
            saver.save(sess, str(tmp_path / "m"), global_step=step, write_meta_graph=False)
    kept = sorted(int(name.split("-")[1].split(".")[0]) for name in os.listdir(tmp_path)
                  if name.endswith(".index"))
    assert kept == [1, 3]  # 1 was more than an hour after the Saver started


def test_save_into_a_missing_directory_raises_tf_value_error(tmp_path):
    tf.Variable(1.0, name="w")
    saver = Saver()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        path = str(tmp_path / "missing" / "deeper" / "model.ckpt")
        with pytest.raises(ValueError, match=r"Parent directory of .*deeper/model.ckpt doesn't "
                                             r"exist, can't save\."):
            saver.save(sess, path)
        assert not (tmp_path / "missing").exists()
        # SaveV2 creates the checkpoint's own directory when its parent exists, as TF's
        # BundleWriter does (checked with TF 2.21: a non-sharded Saver saves there)
        assert saver.save(sess, str(tmp_path / "new" / "model.ckpt")) == str(
            tmp_path / "new" / "model.ckpt")


# ---- restore: what it assigns and how it fails --------------------------------------------
def test_restore_assigns_only_the_savers_variables(tmp_path):
    a = tf.Variable([1.0, 2.0], name="a")
    b = tf.Variable([3.0], name="b")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        path = Saver().save(sess, str(tmp_path / "m"))
        sess.run([a.assign([10.0, 20.0]), b.assign([30.0])])
        Saver([a]).restore(sess, path)
        assert sess.run(a).tolist() == [1.0, 2.0] and sess.run(b).tolist() == [30.0]
        Saver({"b": b}).restore(sess, path)
        assert sess.run(b).tolist() == [3.0]
        # A dict maps checkpoint names to other variables, e.g. a ref tensor by name.
        c = tf.Variable([0.0, 0.0], name="c")
        sess.run(c.initializer)
        Saver({"a": tf.get_default_graph().get_tensor_by_name("c:0")}).restore(sess, path)
        assert sess.run(c).tolist() == [1.0, 2.0]


def _failing_restore_setup(tmp_path):
    tf.Variable(np.ones([3, 2], np.float32), name="hidden1/kernel")
    tf.Variable(np.ones([2], np.float32), name="hidden1/bias")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        path = Saver().save(sess, str(tmp_path / "m"), write_meta_graph=False)
    tf.reset_default_graph()
    return path


def _restore_and_expect(path, error, pattern):
    variables = tf.global_variables()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        before = values_of(sess, variables)
        with pytest.raises(error, match=pattern) as info:
            Saver().restore(sess, path)
        after = values_of(sess, variables)
    for name, value in before.items():
        assert_same_array(after[name], value)  # nothing was assigned
    return str(info.value)


def test_restore_missing_variable_is_not_found_with_close_matches(tmp_path):
    path = _failing_restore_setup(tmp_path)
    tf.Variable(np.zeros([3, 2], np.float32), name="hidden1/kernel")
    tf.Variable(np.zeros([2], np.float32), name="hidden1/bias")
    tf.Variable(np.zeros([2], np.float32), name="hidden1/biass")
    message = _restore_and_expect(path, errors.NotFoundError,
                                  "Key hidden1/biass not found in checkpoint")
    assert message.startswith("Restoring from checkpoint failed. This is most likely due to a "
                              "Variable name or other graph key that is missing from the "
                              "checkpoint.")
    assert path in message and "Did you mean: hidden1/bias" in message


def test_restore_shape_mismatch_is_invalid_argument_with_both_shapes(tmp_path):
    path = _failing_restore_setup(tmp_path)
    tf.Variable(np.zeros([3, 5], np.float32), name="hidden1/kernel")
    tf.Variable(np.zeros([2], np.float32), name="hidden1/bias")
    message = _restore_and_expect(path, errors.InvalidArgumentError, "shapes of both tensors")
    assert message.startswith("Restoring from checkpoint failed. This is most likely due to a "
                              "mismatch between the current graph and the graph from the "
                              "checkpoint.")
    assert "lhs shape= [3, 5] rhs shape= [3, 2]" in message
    assert "hidden1/kernel (checkpoint key 'hidden1/kernel'): float32 [3,5] in the graph, " \
           "float32 [3,2] in the checkpoint" in message


def test_restore_dtype_mismatch_is_invalid_argument(tmp_path):
    path = _failing_restore_setup(tmp_path)
    tf.Variable(np.zeros([3, 2], np.float64), name="hidden1/kernel")
    tf.Variable(np.zeros([2], np.float32), name="hidden1/bias")
    message = _restore_and_expect(path, errors.InvalidArgumentError,
                                  "tensor_name = hidden1/kernel; expected dtype double does not "
                                  "equal restored dtype float")
    assert "float64 [3,2] in the graph, float32 [3,2] in the checkpoint" in message


def test_restore_paths_that_are_not_checkpoints(tmp_path):
    tf.Variable(1.0, name="w")
    saver = Saver()
    with tf.Session() as sess:
        with pytest.raises(ValueError, match="^Can't load save_path when it is None.$"):
            saver.restore(sess, None)
        missing = str(tmp_path / "nothing_here")
        with pytest.raises(ValueError, match="^The passed save_path is not a valid checkpoint: "
                                             + missing + "$"):
            saver.restore(sess, missing)
        # A directory "exists" for TF's check but is no checkpoint.
        with pytest.raises(errors.DataLossError, match="Is a directory"):
            saver.restore(sess, str(tmp_path))


def test_restore_with_reshape(tmp_path):
    tf.Variable(np.arange(6, dtype=np.float32), name="w")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        path = Saver().save(sess, str(tmp_path / "m"))
    tf.reset_default_graph()
    w = tf.Variable(np.zeros([2, 3], np.float32), name="w")
    with tf.Session() as sess:
        Saver(reshape=True).restore(sess, path)
        assert sess.run(w).tolist() == [[0, 1, 2], [3, 4, 5]]


# ---- TF's goldens -----------------------------------------------------------------------------
def declare_manifest_variables(manifest):
    variables = []
    for entry in manifest["variables"]:
        variables.append(tf.get_variable(entry["name"], shape=entry["shape"],
                                         dtype=tf.as_dtype(entry["dtype"]),
                                         initializer=tf.zeros_initializer()))
    return variables


@pytest.mark.parametrize("name", GOLDENS)
def test_restore_tf_golden_exactly_and_resave_byte_identical(name, tmp_path, golden_dir):
    folder = golden_dir(name)
    manifest = json.loads((folder / "manifest.json").read_text())
    expected = np.load(folder / "values.npz")
    variables = declare_manifest_variables(manifest)
    other = tf.Variable(5.0, name="not_in_the_checkpoint")
    saver = Saver(variables)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        saver.restore(sess, str(folder / "model.ckpt"))
        restored = values_of(sess, variables)
        assert sess.run(other) == 5.0
        assert set(restored) == set(expected.files)
        for key in expected.files:
            assert_same_array(restored[key], expected[key])
        prefix = saver.save(sess, str(tmp_path / "model.ckpt"), write_meta_graph=False)
    for suffix in (".index", ".data-00000-of-00001"):
        assert Path(prefix + suffix).read_bytes() == (folder / ("model.ckpt" + suffix)).read_bytes()


def test_mlp_adam_golden_reproduces_tf_logits(golden_dir):
    folder = golden_dir("mlp_adam")
    manifest = json.loads((folder / "manifest.json").read_text())
    probe = np.load(folder / "probe.npz")
    variables = {v.op.name: v for v in declare_manifest_variables(manifest)}
    X = tf.placeholder(tf.float32, [None, 784], name="X")
    hidden1 = tf.nn.elu(tf.matmul(X, variables["hidden1/kernel"]) + variables["hidden1/bias"])
    bn = tf.nn.batch_normalization(hidden1, variables["batch_normalization/moving_mean"],
                                   variables["batch_normalization/moving_variance"],
                                   variables["batch_normalization/beta"],
                                   variables["batch_normalization/gamma"], 0.001)
    hidden2 = tf.nn.elu(tf.matmul(bn, variables["hidden2/kernel"]) + variables["hidden2/bias"])
    logits = tf.matmul(hidden2, variables["outputs/kernel"]) + variables["outputs/bias"]
    with tf.Session() as sess:
        Saver().restore(sess, latest_checkpoint(str(folder)))
        assert sess.run(variables["global_step"]) == 20
        np.testing.assert_allclose(sess.run(logits, {X: probe["X"]}), probe["logits"],
                                   rtol=1e-4, atol=1e-4)


def test_latest_checkpoint_of_the_golden_directories(golden_dir):
    for name in GOLDENS:
        folder = golden_dir(name)
        assert latest_checkpoint(str(folder)) == str(folder / "model.ckpt")


# ---- the book's flow -------------------------------------------------------------------------
N_INPUTS, N_OUTPUTS, LEARNING_RATE = 12, 4, 0.1


def dense(inputs, n_out, name, activation=tf.nn.relu):
    with tf.variable_scope(name):
        kernel = tf.get_variable("kernel", [int(inputs.shape[1]), n_out],
                                 initializer=tf.glorot_uniform_initializer())
        bias = tf.get_variable("bias", [n_out], initializer=tf.zeros_initializer())
        z = tf.matmul(inputs, kernel) + bias
    return activation(z) if activation is not None else z


def build_mlp(n_hidden4=10, seed=1, optimizer=None):
    """The book's DNN: hidden1-4 and outputs, a loss, accuracy and a training op (plain SGD,
    "train/GradientDescent", unless another optimizer is given), the training ops in the
    "my_important_ops" collection."""
    tf.set_random_seed(seed)
    X = tf.placeholder(tf.float32, shape=(None, N_INPUTS), name="X")
    y = tf.placeholder(tf.int32, shape=(None,), name="y")
    with tf.name_scope("dnn"):
        hidden1 = dense(X, 16, "hidden1")
        hidden2 = dense(hidden1, 14, "hidden2")
        hidden3 = dense(hidden2, 12, "hidden3")
        hidden4 = dense(hidden3, n_hidden4, "hidden4")
        logits = dense(hidden4, N_OUTPUTS, "outputs", activation=None)
    with tf.name_scope("loss"):
        xentropy = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits)
        loss = tf.reduce_mean(xentropy, name="loss")
    with tf.name_scope("eval"):
        correct = tf.nn.in_top_k(logits, y, 1)
        accuracy = tf.reduce_mean(tf.cast(correct, tf.float32), name="accuracy")
    with tf.name_scope("train"):
        optimizer = optimizer or tf.train.GradientDescentOptimizer(LEARNING_RATE)
        training_op = optimizer.minimize(loss)
    for op in (X, y, accuracy, training_op):
        tf.add_to_collection("my_important_ops", op)
    return X, y, loss, accuracy, training_op


def data(seed):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((64, N_INPUTS)).astype(np.float32)
    y = (X[:, :N_OUTPUTS].argmax(axis=1)).astype(np.int32)
    return X, y


def train(sess, X, y, loss, training_op, steps, seed=10):
    losses = []
    for step in range(steps):
        X_batch, y_batch = data(seed + step)
        _, value = sess.run([training_op, loss], {X: X_batch, y: y_batch})
        losses.append(float(value))
    return losses


def test_book_flow_save_rebuild_restore_and_keep_training(tmp_path):
    X, y, loss, accuracy, training_op = build_mlp()
    saver = Saver()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        first = train(sess, X, y, loss, training_op, 30)
        assert first[-1] < first[0]
        save_path = saver.save(sess, str(tmp_path / "my_model_final.ckpt"))
        saved = values_of(sess, tf.global_variables())
        continued = train(sess, X, y, loss, training_op, 5, seed=100)

    tf.reset_default_graph()
    X, y, loss, accuracy, training_op = build_mlp(seed=99)  # same code, other initial values
    saver = Saver()
    with tf.Session() as sess:
        saver.restore(sess, save_path)
        for name, value in values_of(sess, tf.global_variables()).items():
            assert_same_array(value, saved[name])
        again = train(sess, X, y, loss, training_op, 5, seed=100)
    np.testing.assert_allclose(again, continued, rtol=1e-5)


@pytest.mark.parametrize("form", ["dict", "scope_list"])
def test_book_flow_reuse_hidden123_with_new_top_layers(tmp_path, form):
    X, y, loss, accuracy, training_op = build_mlp()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        train(sess, X, y, loss, training_op, 10)
        save_path = Saver().save(sess, str(tmp_path / "my_model_final.ckpt"))
        saved = values_of(sess, tf.global_variables())

    tf.reset_default_graph()
    X, y, loss, accuracy, training_op = build_mlp(n_hidden4=20, seed=5)  # new hidden4/outputs
    reuse_vars = tf.get_collection(tf.GraphKeys.GLOBAL_VARIABLES, scope="hidden[123]")
    assert sorted(v.op.name for v in reuse_vars) == [
        "hidden1/bias", "hidden1/kernel", "hidden2/bias", "hidden2/kernel", "hidden3/bias",
        "hidden3/kernel"]
    if form == "dict":
        reuse_vars_dict = dict([(var.op.name, var) for var in reuse_vars])
        restore_saver = Saver(reuse_vars_dict)
    else:
        restore_saver = Saver(reuse_vars)
    init = tf.global_variables_initializer()
    with tf.Session() as sess:
        init.run()
        fresh = values_of(sess, tf.global_variables())
        restore_saver.restore(sess, save_path)
        restored = values_of(sess, tf.global_variables())
        for name, value in restored.items():
            assert_same_array(value, saved[name] if name.startswith(("hidden1", "hidden2",
                                                                      "hidden3")) else fresh[name])
        losses = train(sess, X, y, loss, training_op, 20)
        assert losses[-1] < losses[0]
        Saver().save(sess, str(tmp_path / "my_new_model_final.ckpt"))
    assert saver_module.checkpoint_exists(str(tmp_path / "my_new_model_final.ckpt"))


def test_book_flow_import_meta_graph_without_the_building_code(tmp_path):
    X, y, loss, accuracy, training_op = build_mlp()
    saver = Saver()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        train(sess, X, y, loss, training_op, 10)
        saver.save(sess, str(tmp_path / "my_model_final.ckpt"))
        X_test, y_test = data(1234)
        accuracy_before = sess.run(accuracy, {X: X_test, y: y_test})
        continued = train(sess, X, y, loss, training_op, 5, seed=100)
        n_ops = len(tf.get_default_graph().get_operations())

    tf.reset_default_graph()
    saver = import_meta_graph(str(tmp_path / "my_model_final.ckpt.meta"))
    graph = tf.get_default_graph()
    assert len(graph.get_operations()) == n_ops
    X = graph.get_tensor_by_name("X:0")
    y = graph.get_tensor_by_name("y:0")
    accuracy = graph.get_tensor_by_name("eval/accuracy:0")
    training_op = graph.get_operation_by_name("train/GradientDescent")
    assert training_op.type == "NoOp"
    assert (X, y, accuracy, training_op) == tuple(tf.get_collection("my_important_ops"))
    X2, y2, accuracy2, training_op2 = tf.get_collection("my_important_ops")
    assert X2 is X and training_op2 is training_op
    assert [v.op.name for v in tf.trainable_variables()] == [
        f"{layer}/{part}" for layer in ("hidden1", "hidden2", "hidden3", "hidden4", "outputs")
        for part in ("kernel", "bias")]
    assert tf.global_variables()[0] is tf.trainable_variables()[0]
    loss = graph.get_tensor_by_name("loss/loss:0")
    with tf.Session() as sess:
        saver.restore(sess, str(tmp_path / "my_model_final.ckpt"))
        assert sess.run(accuracy, {X: X_test, y: y_test}) == accuracy_before
        again = train(sess, X, y, loss, training_op, 5, seed=100)
        # Variables from the meta graph initialize as the originals did.
        sess.run(tf.global_variables_initializer())
    np.testing.assert_allclose(again, continued, rtol=1e-5)


def test_import_meta_graph_saver_follows_renamed_ops(tmp_path):
    w = tf.Variable([1.0, 2.0], name="w")
    with tf.Session() as sess:
        sess.run(w.initializer)
        Saver().save(sess, str(tmp_path / "m"))
    tf.reset_default_graph()
    tf.Variable([0.0], name="w")  # takes the name "w" first: the imported one becomes w_1
    Saver()
    saver = import_meta_graph(str(tmp_path / "m.meta"))
    imported = tf.global_variables()[1]
    assert imported.op.name == "w_1"
    assert saver.saver_def.restore_op_name == "save/restore_all_1"
    with tf.Session() as sess:
        saver.restore(sess, str(tmp_path / "m"))
        assert sess.run(imported).tolist() == [1.0, 2.0]

    tf.reset_default_graph()
    saver = import_meta_graph(str(tmp_path / "m.meta"), import_scope="copy")
    assert tf.global_variables()[0].op.name == "copy/w"
    with tf.Session() as sess:
        saver.restore(sess, str(tmp_path / "m"))
        assert sess.run("copy/w:0").tolist() == [1.0, 2.0]


# ---- corruption and atomicity -----------------------------------------------------------------
def small_checkpoint(tmp_path):
    values = {"a": np.arange(6, dtype=np.float32).reshape(2, 3), "b": np.array([7, 8], np.int64),
              "c": np.array([b"xy", b"z"], dtype=object), "d": np.float64(2.5)}
    variables = make_variables(values)
    saver = Saver()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        prefix = saver.save(sess, str(tmp_path / "small"), write_meta_graph=False)
    return prefix, variables, saver, values


def restore_outcome(sess, saver, prefix, variables, original, baseline):
    """Restores ``prefix``; returns the error class, or None after checking the values."""
    try:
        saver.restore(sess, prefix)
    except (errors.DataLossError, errors.NotFoundError, errors.InvalidArgumentError) as exc:
        after = values_of(sess, variables)
        for name, value in baseline.items():
            assert_same_array(after[name], value)
        return type(exc)
    restored = values_of(sess, variables)
    for name, value in original.items():
        assert_same_array(restored[name], np.asarray(value))
    return None


def _rewrite_index(prefix, mutate):
    path = tensor_bundle.index_filename(prefix)
    items = read_table(Path(path).read_bytes(), path)
    Path(path).write_bytes(build_table([mutate(key, value) for key, value in items]))


@pytest.mark.parametrize("damage", ["flip_data", "truncate_data", "size_in_index",
                                    "offset_in_index", "delete_data", "delete_index",
                                    "truncate_index", "flip_index"])
def test_corrupted_checkpoints_raise_and_change_nothing(tmp_path, damage):
    prefix, variables, saver, values = small_checkpoint(tmp_path)
    data_path = tensor_bundle.data_filename(prefix)
    index_path = tensor_bundle.index_filename(prefix)
    if damage == "flip_data":
        raw = bytearray(Path(data_path).read_bytes())
        raw[3] ^= 0x10
        Path(data_path).write_bytes(bytes(raw))
    elif damage == "truncate_data":
        Path(data_path).write_bytes(Path(data_path).read_bytes()[:-5])
    elif damage in ("size_in_index", "offset_in_index"):
        def mutate(key, value):
            if key != b"a":
                return key, value
            entry = tensor_bundle._parse_entry(value, 1)
            if damage == "size_in_index":
                return key, tensor_bundle._encode_entry(entry.dtype_enum, entry.shape,
                                                        entry.offset, 1 << 40, entry.crc)
            return key, tensor_bundle._encode_entry(entry.dtype_enum, entry.shape, 4,
                                                    entry.size, entry.crc)
        _rewrite_index(prefix, mutate)
    elif damage == "delete_data":
        os.remove(data_path)
    elif damage == "delete_index":
        os.remove(index_path)
    elif damage == "truncate_index":
        Path(index_path).write_bytes(Path(index_path).read_bytes()[:30])
    else:
        raw = bytearray(Path(index_path).read_bytes())
        raw[5] ^= 0x01
        Path(index_path).write_bytes(bytes(raw))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        baseline = values_of(sess, variables)
        if damage == "delete_index":
            with pytest.raises(ValueError, match="not a valid checkpoint"):
                saver.restore(sess, prefix)
            return
        outcome = restore_outcome(sess, saver, prefix, variables, values, baseline)
    expected = errors.NotFoundError if damage == "delete_data" else errors.DataLossError
    assert outcome is expected


def test_fuzz_random_corruptions_never_give_wrong_values(tmp_path):
    prefix, variables, saver, values = small_checkpoint(tmp_path)
    files = [tensor_bundle.index_filename(prefix), tensor_bundle.data_filename(prefix)]
    pristine = {path: Path(path).read_bytes() for path in files}
    rng = np.random.default_rng(2024)
    outcomes = {}
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        baseline = values_of(sess, variables)
        for _ in range(150):
            path = files[rng.integers(2)]
            raw = bytearray(pristine[path])
            kind = rng.integers(3)
            if kind == 0:
                for _ in range(rng.integers(1, 4)):
                    raw[rng.integers(len(raw))] ^= 1 << int(rng.integers(8))
            elif kind == 1:
                raw = raw[:rng.integers(len(raw))]
            else:
                position = rng.integers(len(raw))
                raw[position:position] = bytes(rng.integers(0, 256, rng.integers(1, 5)).tolist())
            Path(path).write_bytes(bytes(raw))
            outcome = restore_outcome(sess, saver, prefix, variables, values, baseline)
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
            Path(path).write_bytes(pristine[path])
    assert outcomes.get(errors.DataLossError, 0) > 100
    assert restore_outcome(tf.Session(), saver, prefix, variables, values, {}) is None


def test_a_save_that_fails_midway_leaves_the_previous_checkpoint(tmp_path, monkeypatch):
    values = {f"v{i}": np.full([100], i, np.float32) for i in range(5)}
    variables = make_variables(values)
    saver = Saver()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        first = saver.save(sess, str(tmp_path / "model.ckpt"), global_step=1)
        files_before = {name: (tmp_path / name).read_bytes() for name in os.listdir(tmp_path)}
        for var in variables:
            var.load(np.full([100], -1, np.float32), sess)

        serialize = tensor_bundle._serialize_tensor
        calls = []

        def failing(name, value):
            calls.append(name)
            if len(calls) == 3:
                raise OSError(28, "No space left on device")
            return serialize(name, value)
        monkeypatch.setattr(tensor_bundle, "_serialize_tensor", failing)
        for target in (first, str(tmp_path / "model.ckpt-2")):
            calls.clear()
            with pytest.raises(errors.OpError, match="No space left on device"):
                saver.save(sess, target)
        monkeypatch.undo()

        # Same files, same bytes, no temporaries; the state still names the first checkpoint.
        assert {name: (tmp_path / name).read_bytes()
                for name in os.listdir(tmp_path)} == files_before
        assert latest_checkpoint(str(tmp_path)) == first
        saver.restore(sess, latest_checkpoint(str(tmp_path)))
        for var in variables:
            assert_same_array(sess.run(var), values[var.op.name])


def test_adam_slots_and_beta_powers_are_saved_restored_and_training_resumes(tmp_path):
    global_step = tf.Variable(0, trainable=False, name="global_step")
    X, y, loss, accuracy, training_op = build_mlp(optimizer=tf.train.AdamOptimizer(0.01))
    with tf.control_dependencies([training_op]):
        training_op = tf.group(tf.assign_add(global_step, 1), name="step_and_count")
    saver = Saver()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        train(sess, X, y, loss, training_op, 10)
        path = saver.save(sess, str(tmp_path / "adam.ckpt"), global_step=global_step)
        saved = values_of(sess, tf.global_variables())
        continued = train(sess, X, y, loss, training_op, 5, seed=100)
    assert path.endswith("adam.ckpt-10")
    names = dict(tf.train.list_variables(path))
    assert names["hidden1/kernel/Adam"] == names["hidden1/kernel/Adam_1"] == [N_INPUTS, 16]
    assert names["train/beta1_power"] == names["train/beta2_power"] == []
    assert tf.train.load_variable(path, "global_step") == 10
    assert set(names) == set(saved)

    tf.reset_default_graph()
    saver = tf.train.import_meta_graph(path + ".meta")
    graph = tf.get_default_graph()
    X, y = graph.get_tensor_by_name("X:0"), graph.get_tensor_by_name("y:0")
    loss = graph.get_tensor_by_name("loss/loss:0")
    training_op = graph.get_operation_by_name("step_and_count")
    with tf.Session() as sess:
        saver.restore(sess, tf.train.latest_checkpoint(str(tmp_path)))
        for name, value in values_of(sess, tf.global_variables()).items():
            assert_same_array(value, saved[name])
        again = train(sess, X, y, loss, training_op, 5, seed=100)
        assert sess.run("global_step:0") == 15
    np.testing.assert_allclose(again, continued, rtol=1e-5)


_KILLED_SAVE = r"""
import os, sys
import numpy as np
import tfcompat as tf
from tfcompat.lib.io import tensor_bundle
prefix, value, kill_at = sys.argv[1], float(sys.argv[2]), sys.argv[3]
w = tf.Variable(np.full((3, 4), value, np.float32), name="w")
b = tf.Variable(np.full((4,), -value, np.float32), name="b")
steps = []
def hook(step):
    steps.append(step)
    if step == kill_at:
        os._exit(9)  # SIGKILL-like: no cleanup, no finally blocks
tensor_bundle._before_rename = hook
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    tf.train.Saver().save(sess, prefix)
print(",".join(steps))
"""


def _save_in_process(tmp_path, value, kill_at="none"):
    import subprocess
    import sys
    script = tmp_path / "save.py"
    script.write_text(_KILLED_SAVE)
    done = subprocess.run([sys.executable, str(script), str(tmp_path / "my_model_final.ckpt"),
                           str(value), kill_at], capture_output=True, text=True, timeout=120)
    return done


def test_a_save_killed_at_any_step_leaves_the_old_or_the_new_checkpoint(tmp_path):
    """``saver.save(sess, "./my_model_final.ckpt")`` to a fixed prefix, killed before each
    rename of the save sequence: a restore then gets every variable of one checkpoint."""
    first = _save_in_process(tmp_path, 1.0)
    assert first.returncode == 0, first.stderr
    steps = first.stdout.strip().split(",")
    assert len(steps) >= 3  # data and index staged, then replaced (plus the state file)
    for kill_at in steps:
        killed = _save_in_process(tmp_path, 2.0, kill_at)
        assert killed.returncode == 9, killed.stderr
        with tf.Graph().as_default():
            w = tf.Variable(np.zeros((3, 4), np.float32), name="w")
            b = tf.Variable(np.zeros((4,), np.float32), name="b")
            with tf.Session() as sess:
                tf.train.Saver().restore(sess, str(tmp_path / "my_model_final.ckpt"))
                got_w, got_b = sess.run([w, b])
        value = got_w[0, 0]
        assert value in (1.0, 2.0), kill_at
        np.testing.assert_array_equal(got_w, np.full((3, 4), value), err_msg=kill_at)
        np.testing.assert_array_equal(got_b, np.full((4,), -value), err_msg=kill_at)
        # the next save completes whatever state the kill left
        again = _save_in_process(tmp_path, 1.0)
        assert again.returncode == 0, again.stderr

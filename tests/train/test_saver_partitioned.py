"""Saver with partitioned variables: one sliced checkpoint entry per PartitionedVariable, in
TF's V2 bundle layout (golden written by TensorFlow: tests/golden/partitioned_ckpt)."""
import importlib.util
import pathlib

import numpy as np
import pytest

import tfcompat as tf
from tfcompat.lib.io import tensor_bundle
from tfcompat.ops import io_ops

GOLDEN = pathlib.Path(__file__).parent.parent / "golden"
CKPT = GOLDEN / "partitioned_ckpt" / "model.ckpt"


def _maker():
    spec = importlib.util.spec_from_file_location("make_partitioned_checkpoint",
                                                  GOLDEN / "make_partitioned_checkpoint.py")
    maker = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(maker)  # defines build(tf) and values(); TF is imported by main
    return maker


def _whole(sess, variable):
    return sess.run(tf.convert_to_tensor(variable))


def test_golden_restores_and_tfcompat_writes_the_same_bytes(tmp_path):
    maker = _maker()
    expected = np.load(GOLDEN / "partitioned_ckpt" / "expected.npz")
    with tf.Graph().as_default():
        variables = maker.build(tf)
        assert [v.op.name for v in tf.global_variables()] == [
            "emb/table/part_0", "emb/table/part_1", "emb/table/part_2", "bias/part_0",
            "bias/part_1", "bias/part_2", "bias/part_3", "dense"]
        saver = tf.train.Saver()
        with tf.Session() as sess:
            saver.restore(sess, str(CKPT))
            for name, variable in variables.items():
                np.testing.assert_array_equal(_whole(sess, variable),
                                              expected[name.replace("/", "__")])
            saver.save(sess, str(tmp_path / "model.ckpt"), write_meta_graph=False)
    for suffix in (".index", ".data-00000-of-00001"):
        assert (tmp_path / ("model.ckpt" + suffix)).read_bytes() == \
            pathlib.Path(str(CKPT) + suffix).read_bytes()


def test_checkpoint_utils_see_whole_variables():
    expected = np.load(GOLDEN / "partitioned_ckpt" / "expected.npz")
    assert tf.train.list_variables(str(CKPT)) == [("bias", [7]), ("dense", [2, 3]),
                                                  ("emb/table", [10, 4])]
    np.testing.assert_array_equal(tf.train.load_variable(str(CKPT), "emb/table"),
                                  expected["emb__table"])
    reader = tf.train.NewCheckpointReader(str(CKPT))
    assert reader.get_variable_to_shape_map() == {"bias": [7], "dense": [2, 3],
                                                  "emb/table": [10, 4]}
    np.testing.assert_array_equal(reader.get_tensor("bias"), expected["bias"])


def test_bundle_slice_keys_and_entries():
    reader = tensor_bundle.BundleReader(str(CKPT))
    stored = reader.get_stored("emb/table")
    assert stored.full_shape == (10, 4)
    assert [extents for extents, _ in stored.slices] == [((0, 4), (0, 4)), ((4, 3), (0, 4)),
                                                         ((7, 3), (0, 4))]
    assert tensor_bundle.slice_key("emb/table", [(7, 3), (0, 4)]) == \
        b"\x00emb/table\x00\x01\x01\x02\x87\x83\x80\x84"
    # OrderedCode's signed numbers: one byte for [-64, 64), then longer headers (TF's examples).
    assert tensor_bundle._ordered_signed(0x424242) == bytes.fromhex("f0424242")
    assert tensor_bundle._ordered_signed(-0x800) == bytes.fromhex("3800")
    assert tensor_bundle._ordered_signed(-1) == b"\x7f"
    np.testing.assert_array_equal(reader.get_slice("emb/table", [(2, 5), (1, 3)]),
                                  reader.get_tensor("emb/table")[2:7, 1:])
    np.testing.assert_array_equal(reader.get_slice("emb/table", [(2, 5), (0, -1)]),
                                  reader.get_tensor("emb/table")[2:7])


@pytest.mark.parametrize("parts", [None, 2, 5])
def test_restore_into_other_partitionings(parts):
    expected = np.load(GOLDEN / "partitioned_ckpt" / "expected.npz")
    with tf.Graph().as_default():
        partitioner = parts and tf.fixed_size_partitioner(parts)
        table = tf.get_variable("emb/table", [10, 4], partitioner=partitioner)
        dense = tf.get_variable("dense", [2, 3], partitioner=tf.fixed_size_partitioner(2))
        saver = tf.train.Saver({"emb/table": table, "dense": dense})
        with tf.Session() as sess:
            saver.restore(sess, str(CKPT))
            np.testing.assert_array_equal(_whole(sess, table), expected["emb__table"])
            np.testing.assert_array_equal(_whole(sess, dense), expected["dense"])


def test_restore_shape_mismatch_is_tf_error():
    with tf.Graph().as_default():
        table = tf.get_variable("emb/table", [10, 5], partitioner=tf.fixed_size_partitioner(2))
        saver = tf.train.Saver({"emb/table": table})
        with tf.Session() as sess:
            with pytest.raises(tf.errors.InvalidArgumentError,
                               match=r"tensor_name = emb/table; shape in shape_and_slice spec "
                                     r"\[10,5\] does not match the shape stored in checkpoint: "
                                     r"\[10,4\]"):
                saver.restore(sess, str(CKPT))


def test_var_list_forms(tmp_path):
    values = np.arange(12, dtype=np.float32).reshape(6, 2)
    with tf.Graph().as_default():
        v = tf.get_variable("w", initializer=tf.constant(values),
                            partitioner=tf.fixed_size_partitioner(4))
        plain = tf.get_variable("plain", [3])
        by_list = tf.train.Saver([v, plain])
        by_parts = tf.train.Saver(list(v))
        by_dict = tf.train.Saver({"renamed": v})
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for saver, name in [(by_list, "list"), (by_parts, "parts"), (by_dict, "dict")]:
                saver.save(sess, str(tmp_path / name), write_meta_graph=False)
        assert tf.train.list_variables(str(tmp_path / "list")) == [("plain", [3]), ("w", [6, 2])]
        assert tf.train.list_variables(str(tmp_path / "parts")) == [("w", [6, 2])]
        np.testing.assert_array_equal(tf.train.load_variable(str(tmp_path / "dict"), "renamed"),
                                      values)
        other = tf.get_variable("u", [2, 2], partitioner=tf.fixed_size_partitioner(2))
        with pytest.raises(ValueError, match="Slices must all be from the same tensor"):
            tf.train.Saver({"x": [list(v)[0], list(other)[0]]})
        with pytest.raises(ValueError, match="Slices must all be slices"):
            tf.train.Saver({"x": [plain]})
        same_name = tf.Variable(1.0, name="w")
        assert same_name.op.name == "w"
        with pytest.raises(ValueError, match="Mixing slices and non-slices with the same name"):
            tf.train.Saver([v, same_name])
        with pytest.raises(ValueError, match="Slices must all be Variables"):
            tf.train.Saver({"x": [tf.constant(1.0)]})


def test_slots_of_parts_save_as_slices_of_the_slot(tmp_path):
    with tf.Graph().as_default():
        v = tf.get_variable("w", [5, 2], partitioner=tf.fixed_size_partitioner(2),
                            initializer=tf.ones_initializer())
        loss = tf.reduce_sum(tf.matmul(tf.ones([1, 5]), v))
        train = tf.train.AdamOptimizer(0.1).minimize(loss)
        parts = [p for p in tf.global_variables() if p.op.name == "w/part_1/Adam"]
        assert parts[0]._save_slice_info.full_name == "w/Adam"
        assert parts[0]._save_slice_info.spec == "5 2 3,2:0,2"
        saver = tf.train.Saver()
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            sess.run(train)
            saver.save(sess, str(tmp_path / "m"), write_meta_graph=False)
    assert tf.train.list_variables(str(tmp_path / "m")) == [
        ("beta1_power", []), ("beta2_power", []), ("w", [5, 2]), ("w/Adam", [5, 2]),
        ("w/Adam_1", [5, 2])]
    np.testing.assert_allclose(tf.train.load_variable(str(tmp_path / "m"), "w/Adam"),
                               np.full((5, 2), 0.1), rtol=1e-6)


def test_meta_graph_keeps_slice_info(tmp_path):
    with tf.Graph().as_default():
        v = tf.get_variable("w", [5, 2], partitioner=tf.fixed_size_partitioner(2))
        saver = tf.train.Saver()
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            value = _whole(sess, v)
            saver.save(sess, str(tmp_path / "m"))
    with tf.Graph().as_default():
        restorer = tf.train.import_meta_graph(str(tmp_path / "m.meta"))
        parts = tf.global_variables()
        assert [p._save_slice_info.spec for p in parts] == ["5 2 0,3:0,2", "5 2 3,2:0,2"]
        assert {p._save_slice_info.full_name for p in parts} == {"w"}
        with tf.Session() as sess:
            restorer.restore(sess, str(tmp_path / "m"))
            np.testing.assert_array_equal(np.concatenate(sess.run(parts)), value)


def test_save_v2_slice_checks(tmp_path):
    with tf.Graph().as_default():
        with pytest.raises(tf.errors.InvalidArgumentError, match="Need least two elements"):
            io_ops.parse_shape_and_slice(None, "10")
        with pytest.raises(tf.errors.InvalidArgumentError, match="out of bounds"):
            io_ops.parse_shape_and_slice(None, "10 4 8,3:-")
        assert io_ops.parse_shape_and_slice(None, "10 4 8,2:-") == ((10, 4), ((8, 2), (0, -1)))
        save = io_ops.save_v2(str(tmp_path / "x"), ["t"], ["4 2 0,3:-"], [tf.zeros([2, 2])])
        with tf.Session() as sess:
            with pytest.raises(tf.errors.InvalidArgumentError,
                               match="does not match the shape of the tensor to  save"):
                sess.run(save)


def test_sharded_saver_keeps_slices(tmp_path):
    with tf.Graph().as_default():
        v = tf.get_variable("w", [5, 2], partitioner=tf.fixed_size_partitioner(2))
        saver = tf.train.Saver(sharded=True)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            value = _whole(sess, v)
            path = saver.save(sess, str(tmp_path / "m"), write_meta_graph=False)
    stored = tensor_bundle.BundleReader(path).get_stored("w")
    assert isinstance(stored, tensor_bundle.SlicedTensor)
    np.testing.assert_array_equal(np.concatenate([part for _, part in stored.slices]), value)

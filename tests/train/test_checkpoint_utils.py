"""Checkpoint readers: list_variables, load_variable, load_checkpoint, NewCheckpointReader on
TF's goldens and on broken or missing files."""
import json
import shutil
from pathlib import Path

import numpy as np
import pytest

import tfcompat as tf
from tfcompat.framework import errors
from tfcompat.lib.io import tensor_bundle
from tfcompat.train.checkpoint_utils import (CheckpointReader, NewCheckpointReader,
                                             list_variables, load_checkpoint, load_variable)
from tfcompat.train.saver import Saver

GOLDENS = ["mlp_adam", "scalars_and_types"]


def manifest(folder):
    return json.loads((folder / "manifest.json").read_text())


@pytest.mark.parametrize("name", GOLDENS)
def test_list_variables_and_maps_match_the_manifest(name, golden_dir):
    folder = golden_dir(name)
    entries = manifest(folder)["variables"]
    expected = sorted((e["name"], e["shape"]) for e in entries)
    assert list_variables(str(folder / "model.ckpt")) == expected
    assert list_variables(str(folder)) == expected  # a directory: its latest checkpoint
    reader = NewCheckpointReader(str(folder / "model.ckpt"))
    assert isinstance(reader, CheckpointReader)
    assert reader.get_variable_to_shape_map() == {e["name"]: e["shape"] for e in entries}
    assert reader.get_variable_to_dtype_map() == {e["name"]: tf.as_dtype(e["dtype"])
                                                  for e in entries}
    for e in entries:
        assert reader.has_tensor(e["name"]) and reader.has_tensor(e["name"].encode())
    assert not reader.has_tensor("no/such/tensor")


@pytest.mark.parametrize("name", GOLDENS)
def test_load_variable_gives_tfs_values(name, golden_dir):
    folder = golden_dir(name)
    values = np.load(folder / "values.npz")
    reader = load_checkpoint(str(folder))
    for key in values.files:
        for got in (reader.get_tensor(key), load_variable(str(folder / "model.ckpt"), key),
                    load_variable(str(folder), key + ":0")):
            assert got.dtype == values[key].dtype and got.shape == values[key].shape
            assert got.tobytes() == values[key].tobytes()


def test_debug_string(golden_dir):
    folder = golden_dir("scalars_and_types")
    text = NewCheckpointReader(str(folder / "model.ckpt")).debug_string().decode()
    assert "tensors/f32_matrix (DT_FLOAT) [2,3]\n" in text
    assert "scalars/f64 (DT_DOUBLE) []\n" in text
    assert "empty/i64_2d (DT_INT64) [3,0]\n" in text


def test_reader_errors(tmp_path):
    missing = str(tmp_path / "model.ckpt")
    with pytest.raises(errors.NotFoundError, match="Unsuccessful TensorSliceReader constructor: "
                                                   "Failed to find any matching files for "
                                                   + missing):
        NewCheckpointReader(missing)
    with pytest.raises(ValueError, match="Couldn't find 'checkpoint' file or checkpoints in "
                                         "given directory"):
        load_checkpoint(str(tmp_path))
    Path(missing).write_bytes(b"not a checkpoint")
    with pytest.raises(errors.DataLossError, match="not an sstable"):
        NewCheckpointReader(missing)

    prefix = str(tmp_path / "good")
    tensor_bundle.write_bundle(prefix, {"hidden1/kernel": np.ones([2, 2], np.float32),
                                        "hidden1/bias": np.zeros([2], np.float32)})
    reader = NewCheckpointReader(prefix)
    with pytest.raises(errors.NotFoundError, match="Key hidden1/kernal not found in checkpoint "
                                                   ".*Did you mean: hidden1/kernel"):
        reader.get_tensor("hidden1/kernal")
    raw = bytearray(Path(prefix + ".data-00000-of-00001").read_bytes())
    raw[-1] ^= 0x80
    Path(prefix + ".data-00000-of-00001").write_bytes(bytes(raw))
    assert reader.get_tensor("hidden1/bias").tolist() == [0, 0]  # other tensors still read
    with pytest.raises(errors.DataLossError, match="Checksum does not match"):
        reader.get_tensor("hidden1/kernel")
    index = bytearray(Path(prefix + ".index").read_bytes())
    index[2] ^= 0x04
    Path(prefix + ".index").write_bytes(bytes(index))
    with pytest.raises(errors.DataLossError):
        NewCheckpointReader(prefix)


def test_load_checkpoint_of_a_moved_directory_with_absolute_state(tmp_path, golden_dir):
    folder = golden_dir("scalars_and_types")
    copy = tmp_path / "copy"
    shutil.copytree(folder, copy)
    (copy / "checkpoint").write_text('model_checkpoint_path: "/elsewhere/model.ckpt"\n')
    with pytest.raises(ValueError, match="Couldn't find 'checkpoint' file"):
        load_checkpoint(str(copy))  # latest_checkpoint ignores a path whose files are gone
    assert load_variable(str(copy / "model.ckpt"), "scalars/i32") == \
        np.load(folder / "values.npz")["scalars/i32"]


def test_reader_on_a_tfcompat_saved_checkpoint(tmp_path):
    tf.reset_default_graph()
    tf.Variable(np.array([b"a", b"bc"], dtype=object), name="names")
    tf.Variable(np.float16(1.5), name="half")
    saver = Saver()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        path = saver.save(sess, str(tmp_path / "m"), global_step=3)
    assert list_variables(str(tmp_path)) == [("half", []), ("names", [2])]
    assert load_variable(str(tmp_path), "names").tolist() == [b"a", b"bc"]
    assert load_checkpoint(path).get_variable_to_dtype_map() == {"half": tf.float16,
                                                                 "names": tf.string}
    tf.reset_default_graph()

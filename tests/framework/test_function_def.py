"""Functions of a TF-written GraphDef library (tf.data map/filter/flat_map bodies) import
as graph ops and run; TensorFlow's own elements are the golden (tests/golden/
make_tf_data_functions.py)."""
import json
import pathlib

import pytest

import tfcompat as tf
from tfcompat.framework import meta_graph

GOLDEN = pathlib.Path(__file__).parent.parent / "golden"
EXPECTED = json.loads((GOLDEN / "tf_data_functions.json").read_text())


def _check_pipelines(sess, scope=""):
    sess.run(tf.get_collection("numbers_init", scope=scope or None),
             {f"{scope}offset:0": EXPECTED["offset"]})
    numbers = [sess.run(f"{scope}numbers_next:0").tolist() for _ in range(3)]
    assert numbers == EXPECTED["numbers"]
    assert sess.run(f"{scope}numbers_next:0").tolist() == [19]  # the short last batch
    with pytest.raises(tf.errors.OutOfRangeError, match="End of sequence"):
        sess.run(f"{scope}numbers_next:0")
    pairs = [float(sess.run(f"{scope}pairs_next:0")) for _ in range(8)]
    assert pairs == EXPECTED["pairs"]


def test_a_tf_written_meta_graph_with_dataset_functions_imports_and_runs():
    graph = tf.Graph()
    with graph.as_default():
        tf.train.import_meta_graph(str(GOLDEN / "tf_data_functions.meta"))
        map_op = graph.get_operation_by_name("MapDataset")
        body = [op.name for op in graph.get_operations()
                if op.name.startswith("MapDataset/" + map_op.attrs["f"] + "/")]
        assert any(name.endswith("/mul") for name in body)  # the map's own nodes
        captured = graph.get_tensor_by_name("offset:0")
        assert captured in map_op.inputs  # a capture stays an input (other_arguments)
        with tf.Session() as sess:
            _check_pipelines(sess)


def test_tf_written_functions_import_under_a_scope_and_survive_a_tfcompat_round_trip(
        tmp_path):
    graph = tf.Graph()
    with graph.as_default():
        tf.train.import_meta_graph(str(GOLDEN / "tf_data_functions.meta"),
                                   import_scope="first")
        with tf.Session() as sess:
            _check_pipelines(sess, "first/")
        tf.train.export_meta_graph(str(tmp_path / "again.meta"))
    again = tf.Graph()
    with again.as_default():
        tf.train.import_meta_graph(str(tmp_path / "again.meta"))
        with tf.Session() as sess:
            _check_pipelines(sess, "first/")


def test_import_graph_def_instantiates_library_functions():
    graph_def = meta_graph.read_meta_graph_file(str(GOLDEN / "tf_data_functions.meta")).graph_def
    assert sorted(graph_def.library)[0].startswith("__inference_Dataset_")
    graph = tf.Graph()
    with graph.as_default():
        tf.import_graph_def(graph_def, name="g")
        with tf.Session() as sess:
            got = [float(sess.run("g/pairs_next:0")) for _ in range(8)]
    assert got == EXPECTED["pairs"]

"""tf.summary.image / audio / tensor_summary (and text on it) against TensorFlow's serialized
Summaries (tests/golden/make_summary_goldens.py), read back by TensorBoard; also
get_summary_description and all_v2_summary_ops."""
import importlib.util
import io
import pathlib

import numpy as np
import pytest
from PIL import Image
from tensorboard.backend.event_processing import event_accumulator
from tensorboard.compat.proto import summary_pb2

import tfcompat as tf

GOLDEN_DIR = pathlib.Path(__file__).parents[1] / "golden"
_spec = importlib.util.spec_from_file_location("make_summary_goldens",
                                               GOLDEN_DIR / "make_summary_goldens.py")
goldens = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(goldens)
TF_SUMMARIES = {key: value.tobytes()
                for key, value in np.load(GOLDEN_DIR / "summary_goldens.npz").items()}


def _run_summaries():
    tf.reset_default_graph()
    summaries = goldens.build(tf)
    with tf.Session() as sess:
        return summaries, sess.run(summaries)


def _pixels(value):
    return np.asarray(Image.open(io.BytesIO(value.image.encoded_image_string)))


def test_audio_tensor_and_text_summaries_are_tensorflows_bytes():
    _, values = _run_summaries()
    for key in ("audio", "audio_mono", "tensor", "text"):
        assert values[key] == TF_SUMMARIES[key], key


def test_image_summaries_match_tensorflow_pixels():
    summaries, values = _run_summaries()
    assert summaries["image_floats"].op.type == "ImageSummary"
    assert summaries["image_pixels"].name == "fam/pixels:0"
    for key in ("image_floats", "image_positive", "image_pixels"):
        ours = summary_pb2.Summary.FromString(values[key]).value
        theirs = summary_pb2.Summary.FromString(TF_SUMMARIES[key]).value
        assert [v.tag for v in ours] == [v.tag for v in theirs]
        for mine, reference in zip(ours, theirs, strict=True):
            assert (mine.image.height, mine.image.width, mine.image.colorspace) == (
                reference.image.height, reference.image.width, reference.image.colorspace)
            np.testing.assert_array_equal(_pixels(mine), _pixels(reference))
    # the NaN pixel of the second float image is red
    second = summary_pb2.Summary.FromString(values["image_floats"]).value[1]
    assert _pixels(second)[0, 1].tolist() == [255, 0, 0]


def test_event_files_are_read_by_tensorboard(tmp_path):
    tf.reset_default_graph()
    summaries = goldens.build(tf)
    merged = tf.summary.merge_all()
    writer = tf.summary.FileWriter(str(tmp_path))
    with tf.Session() as sess:
        writer.add_summary(sess.run(merged), global_step=7)
    writer.close()
    assert len(tf.get_collection(tf.GraphKeys.SUMMARIES)) == len(summaries)
    accumulator = event_accumulator.EventAccumulator(
        str(tmp_path), size_guidance={event_accumulator.IMAGES: 0,
                                      event_accumulator.AUDIO: 0,
                                      event_accumulator.TENSORS: 0})
    accumulator.Reload()
    tags = accumulator.Tags()
    assert sorted(tags["images"]) == ["fam/fam/pixels/image/0", "floats/image/0",
                                      "floats/image/1", "floats/image/2", "positive/image"]
    assert sorted(tags["audio"]) == ["mono/audio", "sound/audio/0", "sound/audio/1"]
    assert sorted(tags["tensors"]) == ["note", "table"]
    clip = accumulator.Audio("sound/audio/1")[0]
    assert clip.step == 7 and clip.sample_rate == 8000 and clip.length_frames == 5
    assert clip.content_type == "audio/wav"
    table = accumulator.Tensors("table")[0].tensor_proto
    assert list(np.frombuffer(table.tensor_content, np.int32)) == list(range(6))
    assert accumulator.SummaryMetadata("table").summary_description == "a table"
    assert accumulator.Images("positive/image")[0].width == 3


def test_get_summary_description_and_v2_ops():
    tf.reset_default_graph()
    from tfcompat.framework.op_def import make_tensor
    node = make_tensor("TensorSummary", [tf.constant([1.0])],
                       {"description": '{"typeHint": "scalar"}', "labels": [],
                        "display_name": ""}, name="old_style")
    node_def = {n.name: n for n in tf.get_default_graph().as_graph_def().node}["old_style"]
    assert tf.summary.get_summary_description(node_def).type_hint == "scalar"
    with tf.Session() as sess:
        value, = summary_pb2.Summary.FromString(sess.run(node)).value
    assert value.node_name == "old_style" and list(value.tensor.tensor_content) != []
    with pytest.raises(ValueError, match="Can't get_summary_description on Const"):
        tf.summary.get_summary_description(
            tf.get_default_graph().as_graph_def().node[0])
    assert tf.summary.all_v2_summary_ops() == []


def test_bad_image_and_audio_inputs():
    tf.reset_default_graph()
    with pytest.raises(ValueError, match="4-D with last dim 1, 3, or 4"):
        tf.summary.image("bad", np.zeros((2, 2, 2, 2), np.float32))
    with pytest.raises(TypeError, match="must be uint8, float16, float32 or float64"):
        tf.summary.image("bad", np.zeros((1, 2, 2, 1), np.int32))
    with pytest.raises(ValueError, match="Tensor must be 3-D or 2-D"):
        tf.summary.audio("bad", np.zeros(4, np.float32), 100)
    images = tf.placeholder(tf.float32)
    summary = tf.summary.image("late", images)
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match=r"Tensor must be 4-D with last dim 1, 3, or 4, not \[2,2\]"):
            sess.run(summary, {images: np.zeros((2, 2))})

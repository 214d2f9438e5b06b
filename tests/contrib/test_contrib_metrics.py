"""tf.contrib.metrics (slim.metrics): streaming values after two batches, result names and
local variables equal TensorFlow's on the cases of contrib_losses_metrics_cases.py (goldens
from tests/golden/make_contrib_losses_metrics_goldens.py); streaming_concat, accuracy and
the aggregate helpers."""
import importlib.util
import json
from pathlib import Path

import numpy as np
import pytest

import tfcompat as tf

GOLDEN_DIR = Path(__file__).resolve().parents[1] / "golden"
_SPEC = importlib.util.spec_from_file_location("contrib_losses_metrics_cases",
                                               GOLDEN_DIR / "contrib_losses_metrics_cases.py")
CASES = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(CASES)
GOLDEN = json.loads((GOLDEN_DIR / "contrib_losses_metrics_goldens.json").read_text())["metrics"]
metrics = tf.contrib.metrics
# TF's average_precision_at_k names its "max" variable after the name scope "max/" it opens,
# which TF uniquifies to "max_1"; tf.metrics (not this module) names it "max".
TF_UNIQUIFIED = {"average_precision_at_3/max_1": "average_precision_at_3/max"}


def test_every_golden_case_is_tested():
    assert set(CASES.METRIC_CASES) == set(GOLDEN)


@pytest.mark.parametrize("name", sorted(CASES.METRIC_CASES))
def test_streaming_metric_matches_tensorflow(name):
    golden = GOLDEN[name]
    with tf.Graph().as_default():
        feeds, value, update = CASES.METRIC_CASES[name](tf, metrics)
        # The value's name scope is TF's (its last op's index may differ inside tf.metrics).
        assert value.name.rsplit("/", 1)[0] == golden["name"].rsplit("/", 1)[0]
        assert sorted(v.op.name for v in tf.local_variables()) == sorted(
            TF_UNIQUIFIED.get(var_name, var_name) for var_name in golden["variables"])
        with tf.Session() as sess:
            sess.run(tf.local_variables_initializer())
            for feed, expected in zip(feeds, golden["updates"], strict=True):
                np.testing.assert_allclose(sess.run(update, feed), expected, rtol=1e-5,
                                           atol=1e-6)
            np.testing.assert_allclose(sess.run(value), golden["value"], rtol=1e-5,
                                       atol=1e-6)


def test_streaming_concat_grows_along_axis_and_caps():
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [None, 2])
        value, update = metrics.streaming_concat(x, metrics_collections=["m"])
        capped, capped_update = metrics.streaming_concat(x, max_size=3, name="capped")
        assert value.shape.as_list() == [None, 2] and tf.get_collection("m") == [value]
        assert sorted(v.op.name for v in tf.local_variables()) == [
            "capped/array", "streaming_concat/array"]
        first, second = np.arange(4.0).reshape(2, 2), np.arange(4.0, 10.0).reshape(3, 2)
        with tf.Session() as sess:
            sess.run(tf.local_variables_initializer())
            assert sess.run(value).shape == (0, 2)
            sess.run([update, capped_update], {x: first})
            sess.run([update, capped_update], {x: second})
            np.testing.assert_array_equal(sess.run(value), np.concatenate([first, second]))
            np.testing.assert_array_equal(sess.run(capped), np.concatenate([first, second])[:3])
        with pytest.raises(ValueError, match="axis = 2 not in \\[0, 2\\)"):
            metrics.streaming_concat(x, axis=2)
        with pytest.raises(ValueError, match="statically known size"):
            metrics.streaming_concat(tf.placeholder(tf.float32, [2, None]))


def test_accuracy_and_aggregates():
    assert tf.contrib.slim.metrics is metrics
    with tf.Graph().as_default():
        predictions = tf.constant([1, 2, 3, 4])
        labels = tf.constant([1, 2, 0, 4])
        plain = metrics.accuracy(predictions, labels)
        weighted = metrics.accuracy(predictions, labels, weights=tf.constant([1., 1., 2., 0.]))
        with pytest.raises(ValueError, match="Labels should have bool, integer, or string"):
            metrics.accuracy(tf.constant([1.0]), tf.constant([1.0]))
        values, updates = metrics.aggregate_metrics(
            metrics.streaming_mean(tf.constant([1.0, 3.0])),
            metrics.streaming_accuracy(predictions, labels))
        value_map, update_map = metrics.aggregate_metric_map(
            {"mean": metrics.streaming_mean(tf.constant(5.0), name="m2")})
        with pytest.raises(ValueError, match="Expected at least one value_tensor/update_op"):
            metrics.aggregate_metrics()
        confusion = metrics.confusion_matrix(labels, predictions, num_classes=5)
        with tf.Session() as sess:
            sess.run(tf.local_variables_initializer())
            assert sess.run(plain) == pytest.approx(0.75)
            assert sess.run(weighted) == pytest.approx(0.5)
            sess.run(updates + list(update_map.values()))
            assert sess.run(values) == pytest.approx([2.0, 0.75])
            assert sess.run(value_map["mean"]) == pytest.approx(5.0)
            assert sess.run(confusion)[0, 3] == 1
        with pytest.raises(AttributeError, match="does not implement "
                                                 "tf.contrib.metrics.cohen_kappa yet"):
            assert metrics.cohen_kappa is None

"""tf.contrib.losses (slim.losses): values and result names equal TensorFlow's on the cases
of contrib_losses_metrics_cases.py (goldens from tests/golden/
make_contrib_losses_metrics_goldens.py), the LOSSES collection and argument errors."""
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
GOLDEN = json.loads((GOLDEN_DIR / "contrib_losses_metrics_goldens.json").read_text())["losses"]
losses = tf.contrib.losses


def test_every_golden_case_is_tested():
    assert set(CASES.LOSS_CASES) == set(GOLDEN)


@pytest.mark.parametrize("name", sorted(CASES.LOSS_CASES))
def test_loss_matches_tensorflow(name):
    with tf.Graph().as_default():
        loss = CASES.LOSS_CASES[name](tf, losses)
        assert loss.name == GOLDEN[name]["name"]
        with tf.Session() as sess:
            np.testing.assert_allclose(sess.run(loss), GOLDEN[name]["value"], rtol=2e-6,
                                       atol=1e-7)


def test_collection_and_slim_alias():
    assert tf.contrib.slim.losses is losses
    with tf.Graph().as_default():
        predictions = tf.constant(CASES.PREDICTIONS)
        loss = losses.mean_squared_error(predictions, predictions)
        hinge = losses.hinge_loss(tf.constant(CASES.LOGITS), tf.constant(CASES.LOGITS > 0))
        assert losses.get_losses() == [loss] and hinge not in losses.get_losses()
        regularizer = tf.contrib.layers.l2_regularizer(0.5)
        w = tf.get_variable("w", initializer=tf.constant([2.0]), regularizer=regularizer)
        assert losses.get_regularization_losses() != []
        total = losses.get_total_loss()
        with tf.Session() as sess:
            sess.run(w.initializer)
            assert sess.run(total) == pytest.approx(1.0)
            assert sess.run(losses.get_total_loss(add_regularization_losses=False,
                                                  name="data_loss")) == 0.0


def test_argument_errors():
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match="You must specify 'axis'."):
            losses.cosine_distance(tf.ones([2, 2]), tf.ones([2, 2]))
        with pytest.raises(ValueError, match="Shapes"):
            losses.absolute_difference(tf.ones([2, 3]), tf.ones([2, 2]))
        with pytest.raises(ValueError, match="losses.get_shape\\(\\).ndims cannot be None"):
            losses.compute_weighted_loss(tf.placeholder(tf.float32))
        with pytest.raises(AttributeError, match="does not implement "
                                                 "tf.contrib.losses.metric_learning yet"):
            assert losses.metric_learning is None

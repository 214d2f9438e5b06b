"""tf.contrib.predictor: from_saved_model (signature by key, default_input_alternative
fallback, explicit input/output names, tags, argument checks) and from_estimator (the
PREDICT graph restored from the estimator's checkpoint), called with dicts of arrays."""
import numpy as np
import pytest

import tfcompat as tf

predictor = tf.contrib.predictor
X = np.array([[1.0, 2.0], [3.0, -1.0]], np.float32)
W = np.array([[0.5], [-2.0]], np.float32)


def _export(export_dir):
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [None, 2], name="x")
        w = tf.Variable(W, name="w")
        y = tf.matmul(x, w, name="y")
        doubled = tf.multiply(y, 2.0, name="doubled")
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            builder = tf.saved_model.builder.SavedModelBuilder(export_dir)
            predict = tf.saved_model.signature_def_utils.predict_signature_def
            builder.add_meta_graph_and_variables(
                sess, ["serve"], signature_def_map={
                    "serving_default": predict({"x": x}, {"y": y}),
                    "default_input_alternative:twice": predict({"inp": x},
                                                               {"out": doubled})})
            builder.save()


def test_from_saved_model_default_signature_and_alternative(tmp_path):
    export_dir = str(tmp_path / "model")
    _export(export_dir)
    predict_fn = predictor.from_saved_model(export_dir)
    result = predict_fn({"x": X})
    assert list(result) == ["y"]
    np.testing.assert_allclose(result["y"], X @ W)
    assert predict_fn.feed_tensors["x"].name == "x:0"
    assert "SavedModelPredictor with feed tensors" in repr(predict_fn)
    twice = predictor.from_saved_model(export_dir, signature_def_key="twice")
    np.testing.assert_allclose(twice({"inp": X})["out"], 2 * X @ W)
    named = predictor.from_saved_model(export_dir, input_names={"a": "x:0"},
                                       output_names={"b": "doubled:0", "c": "y:0"},
                                       tags="serve")
    out = named({"a": X})
    np.testing.assert_allclose(out["b"], 2 * out["c"])


def test_from_saved_model_errors(tmp_path):
    export_dir = str(tmp_path / "model")
    _export(export_dir)
    predict_fn = predictor.from_saved_model(export_dir)
    with pytest.raises(ValueError, match="unexpected keys in input_dict: {'z'}"):
        predict_fn({"z": X})
    with pytest.raises(ValueError, match='signature_def_key "nope". Available signatures'):
        predictor.from_saved_model(export_dir, signature_def_key="nope")
    with pytest.raises(ValueError, match="must both be specified"):
        predictor.from_saved_model(export_dir, input_names={"a": "x:0"})
    with pytest.raises(ValueError, match="at most one of signature_def_key"):
        predictor.from_saved_model(export_dir, signature_def_key="serving_default",
                                   input_names={"a": "x:0"}, output_names={"b": "y:0"})
    with pytest.raises(RuntimeError, match="could not be found in SavedModel"):
        predictor.from_saved_model(export_dir, tags="train")


def _model_fn(features, labels, mode):
    dense = tf.layers.dense(features["x"], 1, name="out")
    predictions = {"value": dense, "scaled": 3.0 * dense}
    if mode == tf.estimator.ModeKeys.PREDICT:
        return tf.estimator.EstimatorSpec(mode, predictions=predictions)
    loss = tf.losses.mean_squared_error(labels, dense)
    train_op = tf.train.GradientDescentOptimizer(0.1).minimize(
        loss, global_step=tf.train.get_global_step())
    return tf.estimator.EstimatorSpec(mode, loss=loss, train_op=train_op)


def test_from_estimator_matches_estimator_predict(tmp_path):
    estimator = tf.estimator.Estimator(_model_fn, model_dir=str(tmp_path))
    labels = X @ W
    estimator.train(tf.estimator.inputs.numpy_input_fn({"x": X}, labels, batch_size=2,
                                                       shuffle=False, num_epochs=None),
                    steps=2)
    expected = np.array([p["value"] for p in estimator.predict(
        tf.estimator.inputs.numpy_input_fn({"x": X}, shuffle=False))])

    def serving_input_receiver_fn():
        x = tf.placeholder(tf.float32, [None, 2], name="serving_x")
        return tf.estimator.export.ServingInputReceiver({"x": x}, {"inputs": x})

    predict_fn = predictor.from_estimator(estimator, serving_input_receiver_fn)
    result = predict_fn({"inputs": X})
    np.testing.assert_allclose(result["value"], expected, rtol=1e-6)
    np.testing.assert_allclose(result["scaled"], 3 * expected, rtol=1e-6)
    with pytest.raises(KeyError, match="output_key must be one of"):
        predictor.from_estimator(estimator, serving_input_receiver_fn, output_key="nope")


def test_from_estimator_rejects_contrib_estimators(tmp_path):
    columns = tf.contrib.learn.infer_real_valued_columns_from_input(X)
    contrib = tf.contrib.learn.DNNRegressor([2], feature_columns=columns,
                                           model_dir=str(tmp_path))
    with pytest.raises(TypeError, match="from_contrib_estimator"):
        predictor.from_estimator(contrib, lambda: None)
    with pytest.raises(AttributeError, match="does not implement"):
        predictor.from_contrib_estimator  # noqa: B018

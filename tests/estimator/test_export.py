"""Estimator.export_saved_model / export_savedmodel and tf.estimator.export: the SavedModel
of the PREDICT graph serves the trained variables (raw and tf.Example-parsing receivers,
Predict and Classify signatures), in export_dir_base/<timestamp> with assets.extra; the
receivers' and export outputs' checks are TF 1.x's. TensorFlow loading and running these
exports was checked by hand (notes-h-saved.md)."""
import os

import numpy as np
import pytest

import tfcompat as tf

RNG = np.random.RandomState(0)
X = RNG.rand(32, 4).astype(np.float32)
Y = (X.sum(axis=1) > 2).astype(np.int64)


def model_fn(features, labels, mode):
    logits = tf.layers.dense(features["x"], 2, name="logits")
    probabilities = tf.nn.softmax(logits, name="probabilities")
    predictions = {"probabilities": probabilities, "class_ids": tf.argmax(logits, 1)}
    if mode == tf.estimator.ModeKeys.PREDICT:
        export = tf.estimator.export
        return tf.estimator.EstimatorSpec(mode, predictions=predictions, export_outputs={
            "serving_default": export.PredictOutput(predictions),
            "scores": export.ClassificationOutput(scores=probabilities)})
    loss = tf.losses.sparse_softmax_cross_entropy(labels, logits)
    train_op = tf.train.GradientDescentOptimizer(0.5).minimize(loss, tf.train.get_global_step())
    return tf.estimator.EstimatorSpec(mode, loss=loss, train_op=train_op)


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    estimator = tf.estimator.Estimator(model_fn, str(tmp_path_factory.mktemp("est") / "m"))
    estimator.train(tf.estimator.inputs.numpy_input_fn({"x": X}, Y, batch_size=16,
                                                       num_epochs=1, shuffle=False))
    expected = np.stack([p["probabilities"] for p in estimator.predict(
        tf.estimator.inputs.numpy_input_fn({"x": X[:3]}, shuffle=False))])
    return estimator, expected


def test_export_with_a_raw_receiver_serves_the_trained_model(trained, tmp_path):
    estimator, expected = trained
    (tmp_path / "extra.txt").write_text("notes")
    receiver_fn = tf.estimator.export.build_raw_serving_input_receiver_fn(
        {"x": tf.placeholder(tf.float32, [None, 4])}, default_batch_size=None)
    path = estimator.export_saved_model(str(tmp_path / "export"), receiver_fn,
                                        assets_extra={"docs/extra.txt": str(tmp_path /
                                                                            "extra.txt")})
    export_dir = path.decode()
    assert os.path.dirname(export_dir) == str(tmp_path / "export")
    assert os.path.basename(export_dir).isdigit()
    assert sorted(os.listdir(tmp_path / "export")) == [os.path.basename(export_dir)]
    assert open(os.path.join(export_dir, "assets.extra", "docs", "extra.txt")).read() == "notes"
    with tf.Session(graph=tf.Graph()) as sess:
        meta = tf.saved_model.loader.load(sess, [tf.saved_model.SERVING], export_dir)
        # the Classify output needs serialized tf.Examples: left out for a raw receiver
        assert sorted(meta.signature_def) == ["serving_default"]
        signature = meta.signature_def["serving_default"]
        assert sorted(signature.outputs) == ["class_ids", "probabilities"]
        got = sess.run(signature.outputs["probabilities"].name,
                       {signature.inputs["x"].name: X[:3]})
    np.testing.assert_allclose(got, expected, rtol=1e-6)


def test_export_savedmodel_with_a_parsing_receiver_classifies_examples(trained, tmp_path):
    estimator, expected = trained
    spec = {"x": tf.FixedLenFeature([4], tf.float32)}
    receiver_fn = tf.estimator.export.build_parsing_serving_input_receiver_fn(spec)
    export_dir = estimator.export_savedmodel(str(tmp_path), receiver_fn).decode()
    examples = []
    for row in X[:3]:
        examples.append(tf.train.Example(features=tf.train.Features(feature={
            "x": tf.train.Feature(float_list=tf.train.FloatList(value=row))}))
            .SerializeToString())
    with tf.Session(graph=tf.Graph()) as sess:
        meta = tf.saved_model.loader.load(sess, ["serve"], export_dir)
        assert {k: s.method_name for k, s in meta.signature_def.items()} == {
            "scores": "tensorflow/serving/classify",
            "serving_default": "tensorflow/serving/predict"}
        classify = meta.signature_def["scores"]
        assert list(classify.inputs) == ["inputs"]
        got = sess.run(classify.outputs["scores"].name,
                       {classify.inputs["inputs"].name: np.array(examples, dtype=object)})
    np.testing.assert_allclose(got, expected, rtol=1e-6)


def test_export_needs_a_checkpoint(tmp_path):
    estimator = tf.estimator.Estimator(model_fn, str(tmp_path / "untrained"))
    receiver_fn = tf.estimator.export.build_raw_serving_input_receiver_fn(
        {"x": tf.placeholder(tf.float32, [None, 4])})
    with pytest.raises(ValueError, match="Couldn't find trained model at"):
        estimator.export_saved_model(str(tmp_path / "export"), receiver_fn)


def test_receivers_and_export_outputs_check_as_tensorflow_1():
    export = tf.estimator.export
    x = tf.placeholder(tf.float32, [None, 2], name="x")
    receiver = export.ServingInputReceiver(x, x)
    assert list(receiver.features) == ["feature"] and list(receiver.receiver_tensors) == [
        "input"]
    assert export.TensorServingInputReceiver(x, {"x": x}).features is x
    with pytest.raises(ValueError, match="features cannot be empty"):
        export.ServingInputReceiver({}, x)
    with pytest.raises(ValueError, match="receiver_tensors keys must be strings"):
        export.ServingInputReceiver(x, {1: x})
    with pytest.raises(ValueError, match="features must be a Tensor or SparseTensor"):
        export.ServingInputReceiver({"x": [1.0]}, x)
    with pytest.raises(ValueError, match="Prediction output value must be a Tensor"):
        export.PredictOutput({"y": 3})
    assert list(export.PredictOutput(x).outputs) == ["output"]
    with pytest.raises(ValueError, match="Classification scores must be a float32 Tensor"):
        export.ClassificationOutput(scores=tf.cast(x, tf.int32))
    with pytest.raises(ValueError, match="Classification input must be a single string"):
        export.ClassificationOutput(scores=x).as_signature_def({"x": x})
    with pytest.raises(ValueError, match="Regression input must be a single string"):
        export.RegressionOutput(x[:, 0]).as_signature_def({"x": x})
    predict = export.PredictOutput({"y": x})
    with pytest.raises(ValueError, match="none of them is specified as the default"):
        export.get_export_outputs({"a": predict, "b": predict}, None)
    assert sorted(export.get_export_outputs({"a": predict}, None)) == ["a", "serving_default"]
    with pytest.raises(TypeError, match="Values in export_outputs must be ExportOutput"):
        export.get_export_outputs({"a": x}, None)


def test_train_and_evaluate_runs_the_exporters(tmp_path):
    receiver_fn = tf.estimator.export.build_raw_serving_input_receiver_fn(
        {"x": tf.placeholder(tf.float32, [None, 4])})
    config = tf.estimator.RunConfig(save_checkpoints_steps=2)
    estimator = tf.estimator.Estimator(model_fn, str(tmp_path / "m"), config=config)
    train_input = tf.estimator.inputs.numpy_input_fn({"x": X}, Y, batch_size=16,
                                                     num_epochs=None, shuffle=False)
    eval_input = tf.estimator.inputs.numpy_input_fn({"x": X}, Y, batch_size=32, num_epochs=1,
                                                    shuffle=False)
    exporters = [tf.estimator.LatestExporter("latest", receiver_fn, exports_to_keep=1),
                 tf.estimator.FinalExporter("final", receiver_fn),
                 tf.estimator.BestExporter("best", receiver_fn, exports_to_keep=None)]
    results, exports = tf.estimator.train_and_evaluate(
        estimator, tf.estimator.TrainSpec(train_input, max_steps=4),
        tf.estimator.EvalSpec(eval_input, steps=None, exporters=exporters, throttle_secs=0))
    assert results["global_step"] == 4 and len(exports) == 3
    export_root = tmp_path / "m" / "export"
    assert len(os.listdir(export_root / "latest")) == 1   # two exports, the newest kept
    assert len(os.listdir(export_root / "final")) == 1    # only after the final evaluation
    assert os.path.dirname(exports[1].decode()) == str(export_root / "final")
    assert 1 <= len(os.listdir(export_root / "best")) <= 2   # whenever the loss improved
    with pytest.raises(ValueError, match="unique names"):
        tf.estimator.EvalSpec(eval_input, exporters=[exporters[0], exporters[0]])
    with pytest.raises(TypeError, match="must be an Exporter"):
        tf.estimator.EvalSpec(eval_input, exporters=["latest"])

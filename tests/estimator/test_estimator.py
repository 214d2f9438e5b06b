"""tf.estimator.Estimator with a custom model_fn: training stops at steps / max_steps / the
input's end, checkpoints and events go to model_dir and training resumes from them,
evaluate returns the metrics with "loss" and "global_step", predict yields examples."""
import glob
import os

import numpy as np
import pytest

import tfcompat as tf
from tfcompat.summary import summary_iterator

X = np.linspace(-1, 1, 40, dtype=np.float32).reshape(-1, 1)
Y = 3 * X + 1


def model_fn(features, labels, mode, params):
    w = tf.get_variable("w", [1, 1], initializer=tf.zeros_initializer())
    b = tf.get_variable("b", [1], initializer=tf.zeros_initializer())
    prediction = tf.matmul(features["x"], w) + b
    if mode == tf.estimator.ModeKeys.PREDICT:
        return tf.estimator.EstimatorSpec(mode, predictions={"y": prediction, "x": features["x"]})
    loss = tf.reduce_mean(tf.square(prediction - labels))
    train_op = tf.train.GradientDescentOptimizer(params["learning_rate"]).minimize(
        loss, global_step=tf.train.get_global_step())
    return tf.estimator.EstimatorSpec(
        mode, loss=loss, train_op=train_op,
        eval_metric_ops={"mae": tf.metrics.mean_absolute_error(labels, prediction)})


def _input(num_epochs=None, batch_size=10, shuffle=True, y=Y):
    return tf.estimator.inputs.numpy_input_fn({"x": X}, y, batch_size=batch_size,
                                              num_epochs=num_epochs, shuffle=shuffle)


def _events(directory):
    return [event for path in glob.glob(os.path.join(directory, "events.out.tfevents.*"))
            for event in summary_iterator(path)]


def _tags(directory):
    return {value["tag"] for event in _events(directory) for value in event.get("summary", ())}


def test_train_checkpoints_resume_evaluate_and_predict(tmp_path):
    config = tf.estimator.RunConfig(save_checkpoints_steps=30, save_summary_steps=10,
                                    keep_checkpoint_max=2, tf_random_seed=1)
    estimator = tf.estimator.Estimator(model_fn, model_dir=str(tmp_path), config=config,
                                       params={"learning_rate": 0.3})
    assert estimator.latest_checkpoint() is None
    estimator.train(_input(), steps=70)
    assert estimator.latest_checkpoint() == str(tmp_path / "model.ckpt-70")
    kept = sorted(os.path.basename(p)[:-6] for p in glob.glob(str(tmp_path / "*.index")))
    assert kept == ["model.ckpt-60", "model.ckpt-70"]   # keep_checkpoint_max=2
    assert "loss" in _tags(str(tmp_path))
    assert any("graph_def" in event for event in _events(str(tmp_path)))
    np.testing.assert_allclose(estimator.get_variable_value("w"), [[3.0]], atol=1e-3)
    assert "global_step" in estimator.get_variable_names()

    estimator.train(_input(), steps=5)               # resumes from model.ckpt-70
    assert estimator.latest_checkpoint().endswith("model.ckpt-75")
    estimator.train(_input(), max_steps=75)          # already there: skipped
    assert estimator.latest_checkpoint().endswith("model.ckpt-75")
    estimator.train(_input(num_epochs=1))            # 40 rows / 10: 4 steps, then the end
    assert estimator.latest_checkpoint().endswith("model.ckpt-79")

    results = estimator.evaluate(_input(num_epochs=1, batch_size=16, shuffle=False))
    assert sorted(results) == ["global_step", "loss", "mae"] and results["global_step"] == 79
    assert results["mae"] < 1e-3 and results["loss"] < 1e-5
    assert {"loss", "mae"} <= _tags(estimator.eval_dir())
    short = estimator.evaluate(_input(num_epochs=1, batch_size=16, shuffle=False,
                                      y=Y + 1.0), steps=1, name="shifted")
    assert short["mae"] == pytest.approx(1.0, abs=1e-3)
    assert os.path.isdir(str(tmp_path / "eval_shifted"))

    predictions = list(estimator.predict(tf.estimator.inputs.numpy_input_fn(
        {"x": X[:5]}, batch_size=2, shuffle=False)))
    assert len(predictions) == 5 and sorted(predictions[0]) == ["x", "y"]
    np.testing.assert_allclose([p["y"][0] for p in predictions], 3 * X[:5, 0] + 1, atol=1e-3)
    # an input_fn with labels: predict ignores them
    only_y = next(estimator.predict(_input(num_epochs=1, shuffle=False), predict_keys="y"))
    assert sorted(only_y) == ["y"]


def test_argument_errors(tmp_path):
    with pytest.raises(ValueError, match="must include features argument"):
        tf.estimator.Estimator(lambda inputs: None)
    with pytest.raises(ValueError, match="`model_dir` are set both in constructor and "):
        tf.estimator.Estimator(model_fn, model_dir="a",
                               config=tf.estimator.RunConfig(model_dir="b"))
    with pytest.raises(ValueError, match="Can not provide both save_checkpoints_steps and "):
        tf.estimator.RunConfig(save_checkpoints_steps=1, save_checkpoints_secs=1)
    estimator = tf.estimator.Estimator(model_fn, model_dir=str(tmp_path),
                                       params={"learning_rate": 0.1})
    with pytest.raises(ValueError, match="Can not provide both steps and max_steps"):
        estimator.train(_input(), steps=1, max_steps=2)
    with pytest.raises(ValueError, match="Must specify steps > 0, given: 0"):
        estimator.train(_input(), steps=0)
    # no checkpoint: TF 1.15 predicts from the initialised variables (zeros here)
    assert next(estimator.predict(_input()))["y"].tolist() == [0.0]
    with pytest.raises(ValueError, match="Missing train_op"):
        tf.estimator.EstimatorSpec(tf.estimator.ModeKeys.TRAIN, loss=tf.constant(1.0))
    with pytest.raises(ValueError, match="Missing predictions"):
        tf.estimator.EstimatorSpec(tf.estimator.ModeKeys.PREDICT)


def test_run_config_defaults_and_replace():
    config = tf.estimator.RunConfig()
    assert (config.save_checkpoints_secs, config.save_checkpoints_steps) == (600, None)
    assert (config.save_summary_steps, config.keep_checkpoint_max,
            config.log_step_count_steps) == (100, 5, 100)
    stepped = config.replace(save_checkpoints_steps=50, tf_random_seed=3)
    assert (stepped.save_checkpoints_secs, stepped.save_checkpoints_steps,
            stepped.tf_random_seed) == (None, 50, 3)
    with pytest.raises(ValueError, match="Replacing \\['task_id'\\] is not supported"):
        config.replace(task_id=1)


def test_model_fn_without_labels_trains_on_features_and_predict_drops_labels(tmp_path):
    def unsupervised_model_fn(features, mode):
        center = tf.get_variable("center", [1], initializer=tf.zeros_initializer())
        loss = tf.reduce_mean(tf.square(features["x"] - center))
        train_op = tf.train.GradientDescentOptimizer(0.2).minimize(
            loss, global_step=tf.train.get_global_step())
        return tf.estimator.EstimatorSpec(mode, predictions={"center": center + 0 * loss},
                                          loss=loss, train_op=train_op)
    estimator = tf.estimator.Estimator(unsupervised_model_fn, model_dir=str(tmp_path))
    estimator.train(_input(y=None, batch_size=40), steps=40)   # full batches: exact mean
    np.testing.assert_allclose(estimator.get_variable_value("center"), [X.mean()], atol=1e-3)
    with pytest.raises(ValueError, match="model_fn does not take labels, but input_fn "):
        estimator.train(_input(), steps=1)
    prediction = next(estimator.predict(_input(num_epochs=1, shuffle=False)))
    assert prediction["center"] == pytest.approx(X.mean(), abs=1e-3)


class _FakeIterator:
    """What an initializable iterator offers Estimator: initializer and get_next."""

    def __init__(self, arrays):
        self._arrays = arrays
        self.initializer = tf.no_op(name="fake_iterator_init")

    def get_next(self):
        features, labels = tf.estimator.inputs.numpy_input_fn(
            {"x": self._arrays[0]}, self._arrays[1], batch_size=10, shuffle=False)()
        return features, labels


class _FakeDataset:
    """A duck-typed dataset (tf.data lives on another branch)."""

    def __init__(self, *arrays):
        self.arrays = arrays
        self.initialized = []

    def make_initializable_iterator(self):
        iterator = _FakeIterator(self.arrays)
        self.initialized.append(iterator.initializer)
        return iterator


def test_input_fn_returning_a_dataset(tmp_path):
    estimator = tf.estimator.Estimator(model_fn, model_dir=str(tmp_path),
                                       params={"learning_rate": 0.3})
    dataset = _FakeDataset(X, Y)
    estimator.train(lambda: dataset)
    assert estimator.latest_checkpoint().endswith("model.ckpt-4")   # one pass, 40 rows / 10
    assert len(dataset.initialized) == 1
    assert estimator.evaluate(lambda: _FakeDataset(X, Y))["global_step"] == 4


def test_dataset_initializer_hook_runs_the_initializer():
    from tfcompat.estimator.estimator import _iterate_if_dataset
    tf.reset_default_graph()
    marker = tf.Variable(0, name="marker")

    class Iterator:
        initializer = tf.assign(marker, 5)

        def get_next(self):
            return tf.constant(1.0)

    class Dataset:
        def make_initializable_iterator(self):
            return Iterator()

    features, hooks = _iterate_if_dataset(Dataset())
    with tf.Session() as sess:
        sess.run(marker.initializer)
        hooks[0].after_create_session(sess, None)
        assert sess.run([features, marker]) == [1.0, 5]
    assert _iterate_if_dataset((features, None)) == ((features, None), [])


def test_train_and_evaluate_locally(tmp_path):
    class CountEvaluations(tf.train.SessionRunHook):
        count = 0

        def begin(self):
            CountEvaluations.count += 1

    config = tf.estimator.RunConfig(save_checkpoints_steps=10)
    estimator = tf.estimator.Estimator(model_fn, model_dir=str(tmp_path), config=config,
                                       params={"learning_rate": 0.3})
    train_spec = tf.estimator.TrainSpec(_input(), max_steps=30)
    eval_spec = tf.estimator.EvalSpec(_input(num_epochs=1, shuffle=False), steps=None,
                                      hooks=[CountEvaluations()], throttle_secs=0)
    results, exports = tf.estimator.train_and_evaluate(estimator, train_spec, eval_spec)
    assert exports == [] and results["global_step"] == 30 and results["mae"] < 0.05
    assert CountEvaluations.count == 3   # after the saves at steps 10, 20 and 30
    throttled = tf.estimator.EvalSpec(_input(num_epochs=1, shuffle=False), throttle_secs=600,
                                      hooks=[CountEvaluations()])
    results, _ = tf.estimator.train_and_evaluate(
        estimator, tf.estimator.TrainSpec(_input(), max_steps=50), throttled)
    assert results["global_step"] == 50 and CountEvaluations.count == 4   # the final one
    with pytest.raises(TypeError, match="`train_spec` must have type"):
        tf.estimator.train_and_evaluate(estimator, None, eval_spec)
    with pytest.raises(ValueError, match="Must specify max_steps > 0"):
        tf.estimator.TrainSpec(_input(), max_steps=0)


def test_tutorial_style_model_fn_with_layers_losses_metrics_and_logging_hook(tmp_path):
    """The TF 1.x "custom Estimator" tutorial shape: tf.layers, tf.losses, tf.metrics,
    a LoggingTensorHook on a named tensor, predictions dict."""
    rng = np.random.RandomState(0)
    images = rng.normal(size=(120, 6)).astype(np.float32)
    digits = (images[:, 0] > 0).astype(np.int32) + (images[:, 1] > 0).astype(np.int32)

    def cnn_model_fn(features, labels, mode):
        dense = tf.layers.dense(features["x"], units=16, activation=tf.nn.relu)
        dropout = tf.layers.dropout(dense, rate=0.1,
                                    training=mode == tf.estimator.ModeKeys.TRAIN)
        logits = tf.layers.dense(dropout, units=3)
        predictions = {"classes": tf.argmax(logits, axis=1),
                       "probabilities": tf.nn.softmax(logits, name="softmax_tensor")}
        if mode == tf.estimator.ModeKeys.PREDICT:
            return tf.estimator.EstimatorSpec(mode=mode, predictions=predictions)
        loss = tf.losses.sparse_softmax_cross_entropy(labels=labels, logits=logits)
        if mode == tf.estimator.ModeKeys.TRAIN:
            optimizer = tf.train.GradientDescentOptimizer(learning_rate=0.3)
            train_op = optimizer.minimize(loss=loss, global_step=tf.train.get_global_step())
            return tf.estimator.EstimatorSpec(mode=mode, loss=loss, train_op=train_op)
        eval_metric_ops = {"accuracy": tf.metrics.accuracy(labels=labels,
                                                           predictions=predictions["classes"])}
        return tf.estimator.EstimatorSpec(mode=mode, loss=loss, eval_metric_ops=eval_metric_ops)

    classifier = tf.estimator.Estimator(model_fn=cnn_model_fn, model_dir=str(tmp_path))
    logged = []
    logging_hook = tf.train.LoggingTensorHook(
        tensors={"probabilities": "softmax_tensor"}, every_n_iter=50,
        formatter=lambda values: logged.append(values["probabilities"].shape))
    train_input_fn = tf.estimator.inputs.numpy_input_fn(
        x={"x": images}, y=digits, batch_size=20, num_epochs=None, shuffle=True)
    classifier.train(input_fn=train_input_fn, steps=200, hooks=[logging_hook])
    assert logged == [(20, 3)] * 4
    eval_input_fn = tf.estimator.inputs.numpy_input_fn(
        x={"x": images}, y=digits, num_epochs=1, shuffle=False)
    assert classifier.evaluate(input_fn=eval_input_fn)["accuracy"] > 0.9

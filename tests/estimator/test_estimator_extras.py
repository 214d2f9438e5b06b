"""tf.estimator additions: the *Estimator classes with tf.contrib.estimator heads, warm
starting (WarmStartSettings), add_metrics, the parse-spec helpers and the hook re-exports."""

import numpy as np
import pytest

import tfcompat as tf

RNG = np.random.RandomState(1)
X = RNG.normal(size=(120, 3)).astype(np.float32)
Y3 = (X[:, 0] > 0).astype(np.int64) + (X[:, 1] > 0.5)
YR = (X @ np.array([1.0, -2.0, 0.5], np.float32) + 0.3)[:, None]
COLUMNS = [tf.feature_column.numeric_column("x", shape=[3])]


def _input(y, epochs=None, shuffle=True, batch_size=40):
    return tf.estimator.inputs.numpy_input_fn({"x": X}, y, batch_size=batch_size,
                                              num_epochs=epochs, shuffle=shuffle)


def test_hooks_are_tf_train_hooks():
    for name in ["SessionRunHook", "SessionRunArgs", "SessionRunContext", "SessionRunValues",
                 "StopAtStepHook", "CheckpointSaverHook", "CheckpointSaverListener",
                 "LoggingTensorHook", "NanTensorHook", "NanLossDuringTrainingError",
                 "StepCounterHook", "SummarySaverHook", "SecondOrStepTimer"]:
        assert getattr(tf.estimator, name) is getattr(tf.train, name)
    for name in ["FeedFnHook", "FinalOpsHook", "GlobalStepWaiterHook", "ProfilerHook",
                 "VocabInfo"]:   # present exactly when tf.train has them
        assert hasattr(tf.estimator, name) == hasattr(tf.train, name)


def test_dnn_estimator_with_multi_class_head_averages_the_loss(tmp_path):
    head = tf.contrib.estimator.multi_class_head(n_classes=3)
    estimator = tf.estimator.DNNEstimator(head=head, hidden_units=[8],
                                          feature_columns=COLUMNS, model_dir=str(tmp_path),
                                          optimizer=tf.train.AdamOptimizer(0.05))
    estimator.train(_input(Y3), steps=60)
    names = [n for n in estimator.get_variable_names() if "Adam" not in n and "power" not in n]
    assert names == ["dnn/hiddenlayer_0/bias",
                     "dnn/hiddenlayer_0/kernel", "dnn/logits/bias", "dnn/logits/kernel",
                     "global_step"]
    results = estimator.evaluate(_input(Y3, epochs=1, shuffle=False, batch_size=60))
    assert sorted(results) == ["accuracy", "average_loss", "global_step", "loss"]
    # SUM_OVER_BATCH_SIZE: the loss is the batch mean, as average_loss
    assert results["loss"] == pytest.approx(results["average_loss"], rel=1e-5)
    assert results["accuracy"] > 0.8
    with pytest.raises(ValueError, match="n_classes must be > 2"):
        tf.contrib.estimator.multi_class_head(n_classes=2)


def test_linear_and_combined_estimators_with_named_regression_head(tmp_path):
    head = tf.contrib.estimator.regression_head(name="price")
    linear = tf.estimator.LinearEstimator(head=head, feature_columns=COLUMNS,
                                          model_dir=str(tmp_path / "linear"),
                                          optimizer=tf.train.GradientDescentOptimizer(0.1))
    linear.train(_input(YR), steps=80)
    results = linear.evaluate(_input(YR, epochs=1, shuffle=False))
    assert sorted(results) == ["average_loss/price", "global_step", "label/mean/price",
                               "loss", "prediction/mean/price"]
    assert results["average_loss/price"] < 0.01
    np.testing.assert_allclose(linear.get_variable_value("linear/linear_model/x/weights"),
                               [[1.0], [-2.0], [0.5]], atol=0.05)
    combined = tf.estimator.DNNLinearCombinedEstimator(
        head=tf.contrib.estimator.regression_head(), model_dir=str(tmp_path / "combined"),
        linear_feature_columns=COLUMNS, dnn_feature_columns=COLUMNS, dnn_hidden_units=[4])
    combined.train(_input(YR), steps=3)
    names = combined.get_variable_names()
    assert "linear/linear_model/x/weights" in names and "dnn/logits/kernel" in names
    assert combined.get_variable_value("global_step") == 3


def test_baseline_estimator_learns_the_label_mean(tmp_path):
    estimator = tf.estimator.BaselineEstimator(
        head=tf.contrib.estimator.regression_head(), model_dir=str(tmp_path),
        optimizer=tf.train.GradientDescentOptimizer(0.5))
    estimator.train(_input(YR, batch_size=120), steps=30)   # full batches: the exact mean
    assert estimator.get_variable_names() == ["baseline/bias", "global_step"]
    np.testing.assert_allclose(estimator.get_variable_value("baseline/bias"), [YR.mean()],
                               rtol=1e-4)


def test_warm_start_from_a_directory_and_from_settings(tmp_path):
    source = tf.estimator.DNNRegressor(hidden_units=[4], feature_columns=COLUMNS,
                                       model_dir=str(tmp_path / "source"))
    source.train(_input(YR), steps=5)
    kernel = source.get_variable_value("dnn/hiddenlayer_0/kernel")
    # a directory: every trainable variable starts from the checkpoint's value
    warm = tf.estimator.DNNRegressor(hidden_units=[4], feature_columns=COLUMNS,
                                     model_dir=str(tmp_path / "warm"),
                                     warm_start_from=str(tmp_path / "source"),
                                     optimizer=tf.train.GradientDescentOptimizer(0.0))
    warm.train(_input(YR), steps=1)
    np.testing.assert_array_equal(warm.get_variable_value("dnn/hiddenlayer_0/kernel"), kernel)
    np.testing.assert_array_equal(warm.get_variable_value("dnn/logits/bias"),
                                  source.get_variable_value("dnn/logits/bias"))
    assert warm.get_variable_value("global_step") == 1   # not warm-started
    # settings: only the first layer, read from a renamed scope
    settings = tf.estimator.WarmStartSettings(
        ckpt_to_initialize_from=source.latest_checkpoint(),
        vars_to_warm_start="dnn/hiddenlayer_0/kernel",
        var_name_to_prev_var_name={"dnn/hiddenlayer_0/kernel": "dnn/hiddenlayer_0/kernel"})
    partial = tf.estimator.DNNRegressor(hidden_units=[4], feature_columns=COLUMNS,
                                        model_dir=str(tmp_path / "partial"),
                                        warm_start_from=settings,
                                        optimizer=tf.train.GradientDescentOptimizer(0.0))
    partial.train(_input(YR), steps=1)
    np.testing.assert_array_equal(partial.get_variable_value("dnn/hiddenlayer_0/kernel"),
                                  kernel)
    assert not np.array_equal(partial.get_variable_value("dnn/logits/kernel"),
                              source.get_variable_value("dnn/logits/kernel"))
    bad = tf.estimator.DNNRegressor(
        hidden_units=[4], feature_columns=COLUMNS, model_dir=str(tmp_path / "bad"),
        warm_start_from=tf.estimator.WarmStartSettings(
            str(tmp_path / "source"), var_name_to_prev_var_name={"nope": "x"}))
    with pytest.raises(ValueError, match="were not used"):
        bad.train(_input(YR), steps=1)
    with pytest.raises(ValueError, match="must be a string or a WarmStartSettings"):
        tf.estimator.DNNRegressor(hidden_units=[4], feature_columns=COLUMNS,
                                  warm_start_from=3)


def test_add_metrics_adds_a_metric_fn_to_evaluation(tmp_path):
    estimator = tf.estimator.LinearRegressor(feature_columns=COLUMNS, model_dir=str(tmp_path))
    estimator.train(_input(YR), steps=5)

    def metric_fn(labels, predictions):
        return {"mae": tf.metrics.mean_absolute_error(labels, predictions["predictions"])}
    extended = tf.estimator.add_metrics(estimator, metric_fn)
    assert extended.model_dir == estimator.model_dir
    results = extended.evaluate(_input(YR, epochs=1, shuffle=False, batch_size=120))
    predictions = np.concatenate([p["predictions"] for p in estimator.predict(
        _input(None, epochs=1, shuffle=False))])
    assert results["mae"] == pytest.approx(np.abs(predictions - YR[:, 0]).mean(), rel=1e-5)
    assert "average_loss" in results
    with pytest.raises(ValueError, match="not expected args"):
        tf.estimator.add_metrics(estimator, lambda predictions, mode: {})


def test_parse_example_specs():
    spec = tf.estimator.classifier_parse_example_spec(COLUMNS, label_key="y",
                                                      weight_column="w")
    assert spec == {"x": tf.FixedLenFeature((3,), tf.float32),
                    "y": tf.FixedLenFeature((1,), tf.int64),
                    "w": tf.FixedLenFeature((1,), tf.float32)}
    spec = tf.estimator.regressor_parse_example_spec(COLUMNS, label_key="y", label_dimension=2,
                                                     label_default=0.0)
    assert spec["y"] == tf.FixedLenFeature((2,), tf.float32, 0.0)
    with pytest.raises(ValueError, match="label should not be used as feature"):
        tf.estimator.classifier_parse_example_spec(COLUMNS, label_key="x")


def test_binary_head_thresholds_add_metrics_at_each_threshold(tmp_path):
    labels = (X[:, 0] > 0.2).astype(np.int64)
    head = tf.contrib.estimator.binary_classification_head(thresholds=[0.3, 0.7])
    estimator = tf.estimator.LinearEstimator(head=head, feature_columns=COLUMNS,
                                             model_dir=str(tmp_path))
    estimator.train(_input(labels), steps=20)
    results = estimator.evaluate(_input(labels, epochs=1, shuffle=False, batch_size=120))
    logistic = np.concatenate([p["logistic"] for p in estimator.predict(
        _input(None, epochs=1, shuffle=False))])
    for threshold in (0.3, 0.7):
        predicted = logistic >= threshold
        above = logistic > threshold   # TF's *_at_thresholds count predictions > t
        tp = np.sum(above & (labels == 1))
        assert results[f"accuracy/positive_threshold_{threshold:g}"] == pytest.approx(
            np.mean(predicted == labels))
        assert results[f"precision/positive_threshold_{threshold:g}"] == pytest.approx(
            tp / (np.sum(above) + 1e-7), rel=1e-5)
        assert results[f"recall/positive_threshold_{threshold:g}"] == pytest.approx(
            tp / (np.sum(labels == 1) + 1e-7), rel=1e-5)
    with pytest.raises(ValueError, match=r"thresholds not in \(0, 1\)"):
        tf.contrib.estimator.binary_classification_head(thresholds=[1.0])


def test_heads_with_a_loss_fn(tmp_path):
    def absolute_error(labels, logits, features):
        assert set(features) == {"x"}
        return tf.abs(labels - logits)
    estimator = tf.estimator.LinearEstimator(
        head=tf.contrib.estimator.regression_head(loss_fn=absolute_error),
        feature_columns=COLUMNS, model_dir=str(tmp_path / "l1"),
        optimizer=tf.train.GradientDescentOptimizer(0.05))
    estimator.train(_input(YR), steps=30)
    results = estimator.evaluate(_input(YR, epochs=1, shuffle=False, batch_size=120))
    predictions = np.concatenate([p["predictions"] for p in estimator.predict(
        _input(None, epochs=1, shuffle=False))])
    assert results["average_loss"] == pytest.approx(np.abs(predictions - YR[:, 0]).mean(),
                                                    rel=1e-5)

    def per_class(labels, logits):   # [batch, n_classes]: not one loss per example
        return tf.tile(tf.cast(labels, tf.float32), [1, 3]) * logits
    bad = tf.estimator.LinearEstimator(
        head=tf.contrib.estimator.multi_class_head(3, loss_fn=per_class),
        feature_columns=COLUMNS, model_dir=str(tmp_path / "bad"))
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=r"loss_fn must return Tensor of shape \[D0, D1, ... DN, 1\]"):
        bad.train(_input(Y3), steps=1)
    with pytest.raises(ValueError, match="loss_fn must contain argument: logits"):
        tf.contrib.estimator.binary_classification_head(loss_fn=lambda labels, preds: labels)
    with pytest.raises(ValueError, match=r"loss_fn has unexpected args: \['mode'\]"):
        tf.contrib.estimator.regression_head(
            loss_fn=lambda labels, logits, mode: labels)


def test_regression_head_inverse_link_fn(tmp_path):
    head = tf.contrib.estimator.regression_head(inverse_link_fn=tf.exp)
    estimator = tf.estimator.LinearEstimator(head=head, feature_columns=COLUMNS,
                                             model_dir=str(tmp_path))
    estimator.train(_input(YR), steps=2)
    prediction = next(estimator.predict(_input(None, epochs=1, shuffle=False)))
    assert sorted(prediction) == ["logits", "predictions"]
    np.testing.assert_allclose(prediction["predictions"], np.exp(prediction["logits"]),
                               rtol=1e-6)


VocabInfo = tf.train.VocabInfo


def test_warm_start_remaps_a_vocabulary(tmp_path):
    old_vocab, new_vocab = tmp_path / "old.txt", tmp_path / "new.txt"
    old_vocab.write_text("a\nb\nc\n")
    new_vocab.write_text("c\nx\na\n")
    words = np.array(["a", "b", "c", "a"] * 30)

    def columns(vocab, oov):
        word = tf.feature_column.categorical_column_with_vocabulary_file(
            "word", str(vocab), num_oov_buckets=oov)
        return [tf.feature_column.embedding_column(word, 2)]

    def input_fn():
        return tf.estimator.inputs.numpy_input_fn({"word": words}, YR, batch_size=40,
                                                  num_epochs=None, shuffle=True)
    source = tf.estimator.DNNRegressor(hidden_units=[3], feature_columns=columns(old_vocab, 0),
                                       model_dir=str(tmp_path / "source"))
    source.train(input_fn(), steps=3)
    name = "dnn/input_from_feature_columns/input_layer/word_embedding/embedding_weights"
    old_table = source.get_variable_value(name)
    info = VocabInfo(new_vocab=str(new_vocab), new_vocab_size=3, num_oov_buckets=1,
                     old_vocab=str(old_vocab), old_vocab_size=-1,
                     backup_initializer=tf.constant_initializer(7.0), axis=0)
    warm = tf.estimator.DNNRegressor(
        hidden_units=[3], feature_columns=columns(new_vocab, 1),
        model_dir=str(tmp_path / "warm"), optimizer=tf.train.GradientDescentOptimizer(0.0),
        warm_start_from=tf.estimator.WarmStartSettings(
            str(tmp_path / "source"), vars_to_warm_start=None,
            var_name_to_vocab_info={name: info}))
    warm.train(input_fn(), steps=1)
    np.testing.assert_array_equal(warm.get_variable_value(name),
                                  [old_table[2], [7.0, 7.0], old_table[0], [7.0, 7.0]])
    # vars_to_warm_start=None: only the vocabulary variable was warm-started
    assert not np.array_equal(warm.get_variable_value("dnn/hiddenlayer_0/kernel"),
                              source.get_variable_value("dnn/hiddenlayer_0/kernel"))
    unused = tf.estimator.DNNRegressor(
        hidden_units=[3], feature_columns=columns(new_vocab, 1),
        model_dir=str(tmp_path / "unused"),
        warm_start_from=tf.estimator.WarmStartSettings(
            str(tmp_path / "source"), vars_to_warm_start=None,
            var_name_to_vocab_info={"nope": info}))
    # (with the default vars_to_warm_start=".*" TF first fails on the embedding's new shape)
    with pytest.raises(ValueError, match="var_name_to_vocab_info that were not used"):
        unused.train(input_fn(), steps=1)

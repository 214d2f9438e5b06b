"""Canned DNN and linear estimators: TF 1.x variable names, metric keys, predictions,
optimizers by name or object, and that they learn small problems."""
import numpy as np
import pytest

import tfcompat as tf

RNG = np.random.RandomState(0)
X = RNG.normal(size=(240, 4)).astype(np.float32)
Y3 = (X[:, 0] > 0).astype(np.int64) + (X[:, 1] > 0.5)
Y2 = (X[:, 0] + X[:, 1] > 0).astype(np.int64)
COLUMNS = [tf.feature_column.numeric_column("x", shape=[4])]


def _input(y, epochs=None, shuffle=True, batch_size=40):
    return tf.estimator.inputs.numpy_input_fn({"x": X}, y, batch_size=batch_size,
                                              num_epochs=epochs, shuffle=shuffle)


class _OpTypes(tf.train.SessionRunHook):
    """Records the op types of the training graph."""

    def begin(self):
        self.types = {op.type for op in tf.get_default_graph().get_operations()}


def test_dnn_classifier_multiclass_names_metrics_and_predictions(tmp_path):
    estimator = tf.estimator.DNNClassifier(hidden_units=[16, 8], feature_columns=COLUMNS,
                                           n_classes=3, model_dir=str(tmp_path),
                                           config=tf.estimator.RunConfig(tf_random_seed=0))
    op_types = _OpTypes()
    estimator.train(_input(Y3), steps=150, hooks=[op_types])
    assert "ApplyAdagrad" in op_types.types   # the default optimizer
    names = [n for n in estimator.get_variable_names() if not n.endswith("Adagrad")]
    assert names == ["dnn/hiddenlayer_0/bias", "dnn/hiddenlayer_0/kernel",
                     "dnn/hiddenlayer_1/bias", "dnn/hiddenlayer_1/kernel", "dnn/logits/bias",
                     "dnn/logits/kernel", "global_step"]
    assert estimator.get_variable_value("dnn/hiddenlayer_0/kernel").shape == (4, 16)
    results = estimator.evaluate(_input(Y3, epochs=1, shuffle=False, batch_size=120))
    assert sorted(results) == ["accuracy", "average_loss", "global_step", "loss"]
    assert results["accuracy"] > 0.9 and results["global_step"] == 150
    # v1 heads sum the loss over the batch: "loss" is the mean of batch sums.
    assert results["loss"] == pytest.approx(120 * results["average_loss"], rel=1e-5)
    prediction = next(estimator.predict(_input(None, epochs=1, shuffle=False)))
    assert sorted(prediction) == ["class_ids", "classes", "logits", "probabilities"]
    assert prediction["probabilities"].shape == (3,)
    assert prediction["classes"][0] == str(prediction["class_ids"][0]).encode()


def test_binary_dnn_classifier_with_dropout_and_an_optimizer_object(tmp_path):
    estimator = tf.estimator.DNNClassifier(
        hidden_units=[8], feature_columns=COLUMNS, model_dir=str(tmp_path), dropout=0.1,
        activation_fn=tf.nn.tanh, optimizer=tf.train.AdamOptimizer(0.05))
    op_types = _OpTypes()
    estimator.train(_input(Y2), steps=100, hooks=[op_types])
    assert "ApplyAdam" in op_types.types and "Tanh" in op_types.types
    assert estimator.get_variable_value("dnn/logits/kernel").shape == (8, 1)
    results = estimator.evaluate(_input(Y2, epochs=1, shuffle=False))
    assert sorted(results) == ["accuracy", "accuracy_baseline", "auc", "auc_precision_recall",
                               "average_loss", "global_step", "label/mean", "loss",
                               "precision", "prediction/mean", "recall"]
    assert results["accuracy"] > 0.9 and results["auc"] > 0.95
    assert results["label/mean"] == pytest.approx(Y2.mean(), abs=1e-6)
    assert results["accuracy_baseline"] == pytest.approx(max(Y2.mean(), 1 - Y2.mean()))
    prediction = next(estimator.predict(_input(None, epochs=1, shuffle=False)))
    assert sorted(prediction) == ["class_ids", "classes", "logistic", "logits",
                                  "probabilities"]


def test_linear_classifier_and_regressors(tmp_path):
    classifier = tf.estimator.LinearClassifier(COLUMNS, model_dir=str(tmp_path / "lc"),
                                               label_vocabulary=["no", "yes"])
    op_types = _OpTypes()
    words = np.array(["no", "yes"])[Y2]
    classifier.train(_input(words), steps=100, hooks=[op_types])
    assert "ApplyFtrl" in op_types.types
    assert [n for n in classifier.get_variable_names() if "Ftrl" not in n] == [
        "global_step", "linear/linear_model/bias_weights", "linear/linear_model/x/weights"]
    assert classifier.evaluate(_input(words, epochs=1, shuffle=False))["accuracy"] > 0.9
    prediction = next(classifier.predict(_input(None, epochs=1, shuffle=False)))
    assert prediction["classes"][0] in (b"no", b"yes")

    target = X[:, :1] * 2.0 - X[:, 2:3]
    regressor = tf.estimator.LinearRegressor(COLUMNS, model_dir=str(tmp_path / "lr"),
                                             optimizer=tf.train.GradientDescentOptimizer(0.01))
    regressor.train(_input(target), steps=100)
    results = regressor.evaluate(_input(target, epochs=1, shuffle=False))
    assert sorted(results) == ["average_loss", "global_step", "label/mean", "loss",
                               "prediction/mean"]
    assert results["average_loss"] < 1e-3
    np.testing.assert_allclose(
        regressor.get_variable_value("linear/linear_model/x/weights")[:, 0], [2, 0, -1, 0],
        atol=0.02)

    dnn = tf.estimator.DNNRegressor([8], COLUMNS, model_dir=str(tmp_path / "dr"),
                                    optimizer="Adam")
    dnn.train(_input(target[:, 0]), steps=100)
    prediction = next(dnn.predict(_input(None, epochs=1, shuffle=False)))
    assert sorted(prediction) == ["predictions"] and prediction["predictions"].shape == (1,)


def test_canned_argument_errors():
    with pytest.raises(ValueError, match="n_classes must be > 1"):
        tf.estimator.DNNClassifier([3], COLUMNS, n_classes=1)
    with pytest.raises(ValueError, match="Unsupported optimizer name: Nope"):
        estimator = tf.estimator.DNNClassifier([3], COLUMNS, optimizer="Nope")
        estimator.train(_input(Y2), steps=1)
    with pytest.raises(ValueError, match="Mismatched label shape"):
        estimator = tf.estimator.DNNClassifier([3], COLUMNS, n_classes=3)
        estimator.train(tf.estimator.inputs.numpy_input_fn(
            {"x": X}, np.zeros((240, 2), np.int64), shuffle=False), steps=1)


def test_categorical_columns_in_canned_estimators(tmp_path):
    fc = tf.feature_column
    rng = np.random.RandomState(1)
    ids = rng.randint(0, 5, size=200)
    ages = rng.uniform(0, 80, size=200).astype(np.float32)
    words = np.array(["cat", "dog", "owl"])[rng.randint(0, 3, size=200)]
    labels = ((ids >= 3) ^ (ages > 40)).astype(np.int64)
    features = {"id": ids, "age": ages, "word": words}
    id_column = fc.categorical_column_with_identity("id", 5)
    age = fc.numeric_column("age")
    columns = [fc.embedding_column(id_column, 3), fc.bucketized_column(age, [20, 40, 60]),
               fc.indicator_column(fc.categorical_column_with_vocabulary_list(
                   "word", ["cat", "dog", "owl"]))]

    def input_fn(epochs, shuffle):
        return tf.estimator.inputs.numpy_input_fn(features, labels, batch_size=50,
                                                  num_epochs=epochs, shuffle=shuffle)
    dnn = tf.estimator.DNNClassifier([8], columns, model_dir=str(tmp_path / "dnn"),
                                     optimizer=tf.train.AdamOptimizer(0.05))
    dnn.train(input_fn(None, True), steps=120)
    assert dnn.get_variable_value(
        "dnn/input_from_feature_columns/input_layer/id_embedding/embedding_weights"
    ).shape == (5, 3)
    assert dnn.get_variable_value("dnn/hiddenlayer_0/kernel").shape == (3 + 4 + 3, 8)
    assert dnn.evaluate(input_fn(1, False))["accuracy"] > 0.85

    linear = tf.estimator.LinearClassifier([id_column, fc.bucketized_column(age, [20, 40, 60])],
                                           model_dir=str(tmp_path / "linear"))
    linear.train(input_fn(None, True), steps=50)
    assert sorted(n for n in linear.get_variable_names() if "Ftrl" not in n) == [
        "global_step", "linear/linear_model/age_bucketized/weights",
        "linear/linear_model/bias_weights", "linear/linear_model/id/weights"]
    assert linear.get_variable_value("linear/linear_model/id/weights").shape == (5, 1)


def test_dnn_linear_combined_classifier_and_regressor(tmp_path):
    fc = tf.feature_column
    x = fc.numeric_column("x", shape=[4])
    classifier = tf.estimator.DNNLinearCombinedClassifier(
        model_dir=str(tmp_path / "c"), linear_feature_columns=[x], dnn_feature_columns=[x],
        dnn_hidden_units=[8], n_classes=3, dnn_optimizer=tf.train.AdamOptimizer(0.05))
    op_types = _OpTypes()
    classifier.train(_input(Y3), steps=120, hooks=[op_types])
    assert {"ApplyAdam", "ApplyFtrl"} <= op_types.types
    names = [n for n in classifier.get_variable_names()
             if not n.endswith(("Adam", "Adam_1", "Ftrl", "Ftrl_1", "_power"))]
    assert names == ["dnn/hiddenlayer_0/bias", "dnn/hiddenlayer_0/kernel", "dnn/logits/bias",
                     "dnn/logits/kernel", "global_step", "linear/linear_model/bias_weights",
                     "linear/linear_model/x/weights"]
    results = classifier.evaluate(_input(Y3, epochs=1, shuffle=False))
    assert results["global_step"] == 120 and results["accuracy"] > 0.9   # one step per run
    target = X[:, :1] * 2.0
    regressor = tf.estimator.DNNLinearCombinedRegressor(
        model_dir=str(tmp_path / "r"), linear_feature_columns=[x],
        linear_optimizer=tf.train.GradientDescentOptimizer(0.002))
    regressor.train(_input(target), steps=100)
    assert regressor.evaluate(_input(target, epochs=1, shuffle=False))["average_loss"] < 0.01
    with pytest.raises(ValueError, match="Either linear_feature_columns or dnn_feature_"):
        tf.estimator.DNNLinearCombinedClassifier()
    with pytest.raises(ValueError, match="dnn_hidden_units must be defined"):
        tf.estimator.DNNLinearCombinedClassifier(dnn_feature_columns=[x])


def test_baseline_estimators_learn_the_prior_and_the_mean(tmp_path):
    classifier = tf.estimator.BaselineClassifier(model_dir=str(tmp_path / "c"), n_classes=3)
    classifier.train(_input(Y3), steps=150)
    assert classifier.get_variable_names()[:1] == ["baseline/bias"]
    prediction = next(classifier.predict(_input(None, epochs=1, shuffle=False)))
    prior = np.bincount(Y3, minlength=3) / len(Y3)
    np.testing.assert_allclose(prediction["probabilities"], prior, atol=0.03)
    target = X[:, 0] + 3.0
    # Whole-data batches: the bias then converges to the mean itself, not to the last
    # shuffled batch's (the loss sums over the batch, as TF 1.x's canned estimators do).
    regressor = tf.estimator.BaselineRegressor(model_dir=str(tmp_path / "r"),
                                               optimizer=tf.train.GradientDescentOptimizer(0.001))
    regressor.train(_input(target, batch_size=240), steps=100)
    np.testing.assert_allclose(regressor.get_variable_value("baseline/bias"), [target.mean()],
                               atol=0.1)


class _VariableNames(tf.train.SessionRunHook):
    """Records the op names of the training graph's global variables."""

    def begin(self):
        self.names = [v.op.name for v in tf.global_variables()]


def test_canned_models_partition_their_variables_as_tf(tmp_path):
    """TF 1.x builds canned models under min_max partitioners: with no ps tasks every variable
    is one part ``<name>/part_0``, saved in the checkpoint under ``<name>``; an explicit
    ``partitioner`` splits the linear weights."""
    dnn = tf.estimator.DNNClassifier(hidden_units=[3], feature_columns=COLUMNS,
                                     model_dir=str(tmp_path / "dnn"))
    seen = _VariableNames()
    dnn.train(_input(Y2), steps=2, hooks=[seen])
    assert [n for n in seen.names if "Adagrad" not in n] == [
        "global_step", "dnn/hiddenlayer_0/kernel/part_0", "dnn/hiddenlayer_0/bias/part_0",
        "dnn/logits/kernel/part_0", "dnn/logits/bias/part_0"]
    assert "dnn/hiddenlayer_0/kernel/part_0/Adagrad" in seen.names
    assert dnn.get_variable_value("dnn/hiddenlayer_0/kernel").shape == (4, 3)
    linear = tf.estimator.LinearRegressor(
        feature_columns=[tf.feature_column.numeric_column("x", shape=[4])],
        model_dir=str(tmp_path / "linear"), partitioner=tf.fixed_size_partitioner(2))
    seen = _VariableNames()
    linear.train(_input(X[:, 0]), steps=2, hooks=[seen])
    assert [n for n in seen.names if "Ftrl" not in n] == [
        "global_step", "linear/linear_model/x/weights/part_0",
        "linear/linear_model/x/weights/part_1", "linear/linear_model/bias_weights/part_0"]
    assert [n for n in linear.get_variable_names() if "Ftrl" not in n] == [
        "global_step", "linear/linear_model/bias_weights", "linear/linear_model/x/weights"]
    assert linear.get_variable_value("linear/linear_model/x/weights").shape == (4, 1)

"""tf.contrib.learn (the book's first printing): DNNClassifier/DNNRegressor fit, evaluate
and predict on NumPy arrays with contrib's variable names and metric keys; SKCompat;
infer_real_valued_columns_from_input."""
import numpy as np
import pytest

import tfcompat as tf

learn = tf.contrib.learn
RNG = np.random.RandomState(0)
X = RNG.normal(size=(200, 4)).astype(np.float32)
Y3 = (X[:, 0] > 0).astype(np.int64) + (X[:, 1] > 0.5)
Y2 = (X[:, 0] + X[:, 1] > 0).astype(np.int64)


def test_infer_real_valued_columns():
    (column,) = learn.infer_real_valued_columns_from_input(X)
    assert (column.name, column.dimension, column.dtype) == ("", 4, tf.float32)
    columns = learn.infer_real_valued_columns_from_input({"b": np.zeros((3, 2, 2), np.int32),
                                                          "a": np.zeros(3)})
    assert [(c.name, c.dimension, c.dtype) for c in columns] == [("a", 1, tf.float32),
                                                                 ("b", 4, tf.int64)]
    with pytest.raises(ValueError, match="Must be float or int"):
        learn.infer_real_valued_columns_from_input(np.array(["a"]))


def test_dnn_classifier_fit_evaluate_predict(tmp_path):
    columns = learn.infer_real_valued_columns_from_input(X)
    classifier = learn.DNNClassifier(hidden_units=[20, 10], n_classes=3,
                                     feature_columns=columns, model_dir=str(tmp_path),
                                     config=learn.RunConfig(tf_random_seed=1))
    classifier.fit(x=X, y=Y3, batch_size=50, steps=150)
    assert [n for n in classifier.get_variable_names() if "Adagrad" not in n] == [
        "dnn/hiddenlayer_0/biases", "dnn/hiddenlayer_0/weights", "dnn/hiddenlayer_1/biases",
        "dnn/hiddenlayer_1/weights", "dnn/logits/biases", "dnn/logits/weights",
        "global_step"]
    results = classifier.evaluate(X, Y3)
    assert sorted(results) == ["accuracy", "global_step", "loss"] and results["accuracy"] > 0.9
    classes = np.array(list(classifier.predict(X)))
    assert classes.shape == (200,) and np.mean(classes == Y3) == pytest.approx(
        results["accuracy"])
    probabilities = classifier.predict_proba(X, as_iterable=False)
    np.testing.assert_array_equal(probabilities.argmax(1), classes)
    classifier.fit(X, Y3, batch_size=50, steps=10)   # resumes
    assert classifier.evaluate(X, Y3)["global_step"] == 160


def test_skcompat_binary_classifier_and_regressor(tmp_path):
    columns = learn.infer_real_valued_columns_from_input(X)
    classifier = learn.SKCompat(learn.DNNClassifier([10], columns, model_dir=str(tmp_path / "c"),
                                                    optimizer=tf.train.AdamOptimizer(0.01)))
    classifier.fit(X, Y2, batch_size=50, steps=100)
    predictions = classifier.predict(X)
    assert sorted(predictions) == ["classes", "logistic", "logits", "probabilities"]
    assert predictions["probabilities"].shape == (200, 2)
    assert np.mean(predictions["classes"] == Y2) > 0.9
    scores = classifier.score(X, Y2)
    assert sorted(scores) == [
        "accuracy", "accuracy/baseline_label_mean", "accuracy/threshold_0.500000_mean",
        "auc", "auc_precision_recall", "global_step", "labels/actual_label_mean",
        "labels/prediction_mean", "loss", "precision/positive_threshold_0.500000_mean",
        "recall/positive_threshold_0.500000_mean"]

    regressor = learn.DNNRegressor([8], columns, model_dir=str(tmp_path / "r"),
                                   optimizer="Adam")
    regressor.fit(X, X[:, 0] * 2.0, batch_size=40, steps=150)
    assert sorted(regressor.evaluate(X, X[:, 0] * 2.0)) == ["global_step", "loss"]
    scores = np.array(list(regressor.predict(X)))
    assert scores.shape == (200,) and np.mean((scores - X[:, 0] * 2) ** 2) < 0.2


def test_contrib_learn_errors():
    columns = learn.infer_real_valued_columns_from_input(X)
    with pytest.raises(ValueError, match="Classification requires n_classes >= 2"):
        learn.DNNClassifier([3], columns, n_classes=1)
    classifier = learn.DNNClassifier([3], columns)
    with pytest.raises(ValueError, match="Either x or input_fn must be provided"):
        classifier.fit(steps=1)
    with pytest.raises(ValueError, match="Invalid batch_size 0"):
        classifier.fit(X, Y2, batch_size=0, steps=1)

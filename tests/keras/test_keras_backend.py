"""tf.keras.backend in graph mode (values against NumPy), activations, constraints,
regularizers and utils."""
import numpy as np
import pytest

import tfcompat as tf

keras = tf.keras
K = keras.backend
RNG = np.random.RandomState(3)


def test_variables_values_and_function():
    tf.reset_default_graph()
    v = K.variable(np.arange(6.0).reshape(2, 3), name="v")
    assert v.name == "v:0" and K.dtype(v) == "float32" and K.int_shape(v) == (2, 3)
    np.testing.assert_array_equal(K.get_value(v), np.arange(6.0).reshape(2, 3))
    K.set_value(v, np.ones((2, 3)))
    assert K.eval(K.sum(v)) == 6.0 and K.ndim(v) == 2
    K.batch_set_value([(v, np.full((2, 3), 2.0))])
    assert K.batch_get_value([v])[0].sum() == 12.0
    x = K.placeholder(shape=(None, 3))
    y = K.placeholder(ndim=2)
    assert K.is_placeholder(x) and K.int_shape(y) == (None, None)
    loss = K.sum(K.square(K.dot(x, K.transpose(v))))
    grad = K.gradients(loss, [v])[0]
    step = K.function([x], [loss, grad], updates=[(v, v - 0.1 * grad)])
    value, gradient = step([np.ones((1, 3), np.float32)])
    assert value == pytest.approx(72.0) and gradient.shape == (2, 3)  # 2 * 6^2
    np.testing.assert_allclose(K.get_value(v), 2.0 - 0.1 * gradient)
    assert K.floatx() == "float32" and K.epsilon() == 1e-7
    assert K.image_data_format() == "channels_last" and K.backend() == "tensorflow"


def test_math_and_shape_functions_match_numpy():
    tf.reset_default_graph()
    a = RNG.normal(size=(2, 3, 4)).astype(np.float32)
    b = RNG.normal(size=(4, 5)).astype(np.float32)
    ta, tb = K.constant(a), K.constant(b)
    checks = [
        (K.dot(ta, tb), np.einsum("ijk,kl->ijl", a, b)),
        (K.mean(ta, axis=1, keepdims=True), a.mean(1, keepdims=True)),
        (K.std(ta, axis=-1), a.std(-1)),
        (K.max(ta, axis=0), a.max(0)),
        (K.concatenate([ta, ta], axis=-1), np.concatenate([a, a], -1)),
        (K.reshape(ta, (6, 4)), a.reshape(6, 4)),
        (K.permute_dimensions(ta, (2, 0, 1)), a.transpose(2, 0, 1)),
        (K.batch_flatten(ta), a.reshape(2, 12)),
        (K.repeat_elements(ta, 2, axis=1), np.repeat(a, 2, axis=1)),
        (K.clip(ta, -0.5, 0.5), np.clip(a, -0.5, 0.5)),
        (K.relu(ta, alpha=0.1, max_value=1.0), np.minimum(np.where(a > 0, a, 0.1 * a), 1.0)),
        (K.softmax(ta), np.exp(a) / np.exp(a).sum(-1, keepdims=True)),
        (K.temporal_padding(ta, (1, 2)), np.pad(a, [(0, 0), (1, 2), (0, 0)])),
        (K.spatial_3d_padding(K.reshape(ta, (2, 1, 3, 2, 2)), ((0, 1), (1, 0), (0, 0))),
         np.pad(a.reshape(2, 1, 3, 2, 2), [(0, 0), (0, 1), (1, 0), (0, 0), (0, 0)])),
        (K.resize_volumes(K.reshape(ta, (2, 1, 3, 2, 2)), 2, 1, 3, "channels_last"),
         a.reshape(2, 1, 3, 2, 2).repeat(2, 1).repeat(3, 3)),
        (K.one_hot(K.constant([0, 2], dtype="int32"), 3), np.eye(3)[[0, 2]]),
    ]
    values = K.batch_get_value([tensor for tensor, _ in checks])
    for value, (_, expected) in zip(values, checks, strict=True):
        np.testing.assert_allclose(value, expected, rtol=1e-5, atol=1e-6)
    p = np.array([[0.2, 0.8], [0.9, 0.1]], np.float32)
    t = np.array([[0.0, 1.0], [1.0, 0.0]], np.float32)
    np.testing.assert_allclose(K.eval(K.categorical_crossentropy(K.constant(t),
                                                                 K.constant(p))),
                               -np.log([0.8, 0.9]), rtol=1e-5)
    np.testing.assert_allclose(K.eval(K.binary_crossentropy(K.constant(t), K.constant(p))),
                               -(t * np.log(p) + (1 - t) * np.log(1 - p)), rtol=1e-5)


def test_learning_phase_and_rnn():
    tf.reset_default_graph()
    phase = K.learning_phase()
    assert phase.name == "keras_learning_phase:0"
    x = K.placeholder((None, 4, 2))
    value = K.in_train_phase(lambda: x * 2.0, lambda: x)
    data = RNG.normal(size=(3, 4, 2)).astype(np.float32)
    session = K.get_session()
    np.testing.assert_allclose(session.run(value, {x: data, phase: True}), 2 * data)
    np.testing.assert_allclose(session.run(value, {x: data}), data)

    def step(inputs, states):
        total = states[0] + inputs
        return total, [total]
    for unroll in (False, True):
        last, outputs, states = K.rnn(step, x, [K.zeros_like(x[:, 0])], unroll=unroll,
                                      go_backwards=True)
        got = session.run(outputs, {x: data})
        np.testing.assert_allclose(got, np.cumsum(data[:, ::-1], axis=1), rtol=1e-6)
    tf.reset_default_graph()
    K.set_learning_phase(1)
    assert K.learning_phase() is True


def test_activations_constraints_regularizers_utils():
    tf.reset_default_graph()
    x = np.array([[-2.0, -0.5, 0.0, 0.5, 3.0]], np.float32)
    act = keras.activations
    np.testing.assert_allclose(K.eval(act.get("hard_sigmoid")(K.constant(x))),
                               np.clip(0.2 * x + 0.5, 0, 1))
    np.testing.assert_allclose(K.eval(act.elu(K.constant(x), alpha=0.5)),
                               np.where(x > 0, x, 0.5 * np.expm1(x)), rtol=1e-6)
    assert act.get(None) is act.linear and act.serialize(act.tanh) == "tanh"
    with pytest.raises(ValueError, match="Unknown activation function:nope"):
        act.get("nope")
    w = np.array([[3.0, -4.0], [4.0, 3.0]], np.float32)
    np.testing.assert_allclose(K.eval(keras.constraints.MaxNorm(1.0)(K.constant(w))),
                               w / 5.0, rtol=1e-5)
    np.testing.assert_allclose(K.eval(keras.constraints.get("non_neg")(K.constant(w))),
                               np.maximum(w, 0))
    assert K.eval(keras.regularizers.l1_l2(0.1, 0.01)(K.constant(w))) == pytest.approx(
        0.1 * 14 + 0.01 * 50)
    np.testing.assert_array_equal(keras.utils.to_categorical([2, 0], 3),
                                  [[0, 0, 1], [1, 0, 0]])
    # Constraints are applied after each optimizer step.
    model = keras.Sequential([keras.layers.Dense(2, kernel_constraint="non_neg",
                                                 input_shape=(3,))])
    model.compile("sgd", "mse")
    model.fit(RNG.normal(size=(16, 3)), RNG.normal(size=(16, 2)), epochs=2, verbose=0)
    assert model.get_weights()[0].min() >= 0.0


def test_scikit_learn_wrappers():
    tf.reset_default_graph()
    tf.set_random_seed(0)
    np.random.seed(0)
    x = RNG.normal(size=(120, 3)).astype(np.float32)
    labels = np.where(x[:, 0] + x[:, 1] > 0, "yes", "no")

    def build(units=8, loss="sparse_categorical_crossentropy"):
        model = keras.Sequential([keras.layers.Dense(units, activation="relu", input_shape=(3,)),
                                  keras.layers.Dense(2, activation="softmax")])
        model.compile(keras.optimizers.Adam(0.05), loss, metrics=["accuracy"])
        return model
    wrappers = keras.wrappers.scikit_learn
    classifier = wrappers.KerasClassifier(build, units=6, epochs=15, verbose=0)
    assert classifier.get_params()["units"] == 6
    classifier.fit(x, labels)
    assert list(classifier.classes_) == ["no", "yes"]
    predicted = classifier.predict(x)
    assert set(predicted) <= {"no", "yes"} and np.mean(predicted == labels) > 0.9
    assert classifier.predict_proba(x[:4]).shape == (4, 2)
    assert classifier.score(x, labels) == pytest.approx(np.mean(predicted == labels))
    one_hot = wrappers.KerasClassifier(build, loss="categorical_crossentropy", epochs=1,
                                       verbose=0)
    one_hot.fit(x, labels)  # integer labels become one-hot rows for this loss
    with pytest.raises(ValueError, match="nope is not a legal parameter"):
        wrappers.KerasClassifier(build, nope=1)

    def build_regressor():
        model = keras.Sequential([keras.layers.Dense(1, input_shape=(3,))])
        model.compile(keras.optimizers.SGD(0.1), "mse")
        return model
    regressor = wrappers.KerasRegressor(build_regressor, epochs=20, batch_size=16, verbose=0)
    target = x @ np.array([1.0, -1.0, 0.5], np.float32)
    regressor.fit(x, target)
    assert regressor.predict(x).shape == (120,)
    assert -0.01 < regressor.score(x, target) <= 0.0


def test_losses_match_tensorflow():
    """Loss functions and Loss objects against tf_keras (tests/golden/keras_loss_goldens.npz)."""
    import os
    golden = np.load(os.path.join(os.path.dirname(__file__), "..", "golden",
                                  "keras_loss_goldens.npz"))
    tf.reset_default_graph()
    losses = keras.losses
    y_true, y_pred = K.constant(golden["y_true"]), K.constant(golden["y_pred"])
    logits, weights = K.constant(golden["logits"]), golden["weights"]
    values = {name: getattr(losses, name)(y_true, y_pred)
              for name in ("mean_squared_error", "mean_absolute_error",
                           "mean_absolute_percentage_error", "mean_squared_logarithmic_error",
                           "logcosh", "kullback_leibler_divergence", "poisson")}
    values["hinge"] = losses.hinge(K.constant(golden["signs"]), logits)
    values["squared_hinge"] = losses.squared_hinge(K.constant(golden["signs"]), logits)
    values["sparse_logits"] = losses.SparseCategoricalCrossentropy(from_logits=True)(
        np.array([0, 2, 1, 2]), logits, sample_weight=weights)
    values["categorical_smoothed"] = losses.CategoricalCrossentropy(
        from_logits=True, label_smoothing=0.2)(K.constant(golden["onehot"]), logits)
    values["binary_sum"] = losses.BinaryCrossentropy(reduction="sum")(
        (golden["y_true"] > 0.5).astype(np.float32), y_pred)
    values["mse_object"] = losses.MeanSquaredError()(y_true, y_pred, sample_weight=weights)
    got = K.batch_get_value(list(values.values()))
    for name, value in zip(values, got, strict=True):
        np.testing.assert_allclose(value, golden[name], rtol=1e-5, atol=1e-6, err_msg=name)
    # A Loss object in compile: per-example values, sample weights and "accuracy" as Keras.
    model = keras.Sequential([keras.layers.Dense(3, input_shape=(4,))])
    model.compile("sgd", losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy"])
    x = RNG.normal(size=(8, 4)).astype(np.float32)
    labels = np.arange(8) % 3
    loss, accuracy = model.evaluate(x, labels, verbose=0)
    logits_np = model.predict(x).astype(np.float64)
    log_p = logits_np - np.log(np.exp(logits_np).sum(1, keepdims=True))
    assert loss == pytest.approx(-log_p[np.arange(8), labels].mean(), rel=1e-5)
    assert accuracy == pytest.approx(np.mean(logits_np.argmax(1) == labels))


def test_confusion_metrics_match_tensorflow():
    """AUC (ROC, PR, weighted), Precision, Recall accumulated over three batches, against
    tf_keras (tests/golden/keras_loss_goldens.npz)."""
    import os
    golden = np.load(os.path.join(os.path.dirname(__file__), "..", "golden",
                                  "keras_loss_goldens.npz"))
    tf.reset_default_graph()
    labels, scores, weights = golden["labels"], golden["scores"], golden["sample_weights"]
    metrics = {"auc": keras.metrics.AUC(), "auc_pr": keras.metrics.AUC(curve="PR"),
               "precision": keras.metrics.Precision(), "recall": keras.metrics.Recall(),
               "auc_weighted": keras.metrics.AUC(num_thresholds=50)}
    updates = [metric.update_state(labels[i:i + 20], scores[i:i + 20],
                                   weights[i:i + 20] if name == "auc_weighted" else None)
               for name, metric in metrics.items() for i in range(0, 50, 20)]
    session = K.get_session()
    session.run(updates)
    for name, metric in metrics.items():
        assert session.run(metric.result()) == pytest.approx(float(golden[f"metric_{name}"]),
                                                             rel=1e-5), name
    assert [v.name for v in metrics["auc"].variables] == [
        "auc/true_positives:0", "auc/false_positives:0", "auc/true_negatives:0",
        "auc/false_negatives:0"]


def test_ctc_backend_functions_as_keras():
    # Costs and log probabilities printed by tf_keras 2.21 for the same inputs; the decoded
    # paths are padded to the longest path, as Keras 2.2.4-tf's sparse_to_dense does.
    K = tf.keras.backend
    rng = np.random.default_rng(0)
    probs = rng.uniform(size=(2, 6, 4)).astype(np.float32)
    probs /= probs.sum(-1, keepdims=True)
    y_true = np.array([[1, 2, 0], [2, 0, 0]], np.int32)
    with tf.Graph().as_default():
        cost = K.ctc_batch_cost(y_true, probs, np.array([[6], [5]]), np.array([[2], [1]]))
        decoded, log_prob = K.ctc_decode(probs, np.array([6, 5]))
        labels = K.ctc_label_dense_to_sparse(y_true, [2, 1])
        with tf.Session() as sess:
            got = sess.run([cost, decoded[0], log_prob, labels])
    np.testing.assert_allclose(got[0].ravel(), [4.4688954, 3.9838014], rtol=1e-5)
    assert got[1].tolist() == [[0, 1, 0, 2], [2, 1, 2, -1]]
    np.testing.assert_allclose(got[2].ravel(), [4.950439, 5.3720765], rtol=1e-5)
    assert got[3].indices.tolist() == [[0, 0], [0, 1], [1, 0]]
    assert got[3].values.tolist() == [1, 2, 2]


def test_conv3d_and_pool3d_backend_functions():
    K = tf.keras.backend
    rng = np.random.default_rng(1)
    x = rng.normal(size=(1, 4, 4, 4, 2)).astype(np.float32)
    kernel = rng.normal(size=(2, 2, 2, 2, 3)).astype(np.float32)
    with tf.Graph().as_default():
        conv = K.conv3d(tf.constant(x), tf.constant(kernel))
        pooled = K.pool3d(tf.constant(x), (2, 2, 2), (2, 2, 2), pool_mode="avg")
        with tf.Session() as sess:
            conv_value, pooled_value = sess.run([conv, pooled])
    expected = np.zeros((1, 3, 3, 3, 3), np.float32)
    for i in range(2):
        for j in range(2):
            for k in range(2):
                expected += np.einsum("bdhwc,co->bdhwo",
                                      x[:, i:i + 3, j:j + 3, k:k + 3], kernel[i, j, k])
    np.testing.assert_allclose(conv_value, expected, rtol=1e-4, atol=1e-4)
    np.testing.assert_allclose(pooled_value,
                               x.reshape(1, 2, 2, 2, 2, 2, 2, 2).mean(axis=(2, 4, 6)),
                               rtol=1e-5)

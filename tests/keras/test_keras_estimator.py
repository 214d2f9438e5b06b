"""tf.keras.estimator.model_to_estimator: a compiled Keras model trained, evaluated and
used for prediction through tf.estimator, starting from the Keras model's weights."""
import numpy as np
import pytest

import tfcompat as tf

keras = tf.keras
RNG = np.random.RandomState(0)
X = RNG.normal(size=(200, 4)).astype(np.float32)
Y = (X[:, 0] + X[:, 1] > 0).astype(np.int64)


def _model(learning_rate):
    tf.reset_default_graph()
    tf.set_random_seed(0)
    inputs = keras.Input((4,), name="x")
    hidden = keras.layers.Dense(8, activation="relu")(inputs)
    outputs = keras.layers.Dense(2, activation="softmax", name="probs")(hidden)
    model = keras.Model(inputs, outputs)
    model.compile(keras.optimizers.SGD(learning_rate), "sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model


def test_estimator_starts_from_the_keras_weights(tmp_path):
    model = _model(0.0)  # no learning: the estimator must reproduce the Keras model
    loss, accuracy = model.evaluate(X, Y, verbose=0)
    probabilities = model.predict(X[:5])
    estimator = keras.estimator.model_to_estimator(model, model_dir=str(tmp_path))
    inputs = tf.estimator.inputs
    estimator.train(inputs.numpy_input_fn({"x": X}, Y, batch_size=20, num_epochs=None,
                                          shuffle=True), steps=1)
    assert "dense/kernel" in estimator.get_variable_names()
    results = estimator.evaluate(inputs.numpy_input_fn({"x": X}, Y, batch_size=200,
                                                       num_epochs=1, shuffle=False))
    assert results["loss"] == pytest.approx(loss, rel=1e-5)
    assert results["acc"] == pytest.approx(accuracy) and results["global_step"] == 1
    predictions = list(estimator.predict(inputs.numpy_input_fn({"x": X[:5]}, shuffle=False)))
    np.testing.assert_allclose([p["probs"] for p in predictions], probabilities, rtol=1e-5)


def test_estimator_trains(tmp_path):
    estimator = keras.estimator.model_to_estimator(_model(0.5), model_dir=str(tmp_path))
    inputs = tf.estimator.inputs
    estimator.train(inputs.numpy_input_fn({"x": X}, Y, batch_size=20, num_epochs=None,
                                          shuffle=True), steps=100)
    results = estimator.evaluate(inputs.numpy_input_fn({"x": X}, Y, batch_size=50,
                                                       num_epochs=1, shuffle=False))
    assert results["acc"] > 0.9 and results["global_step"] == 100
    with pytest.raises(ValueError, match="has not been compiled yet"):
        keras.estimator.model_to_estimator(keras.Sequential([keras.layers.Dense(
            1, input_shape=(2,))]))

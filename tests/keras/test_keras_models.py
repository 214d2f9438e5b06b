"""tf.keras in graph mode: Sequential with Dense/Dropout/Flatten/Activation, compile, fit,
evaluate, predict; TF 1.x names (dense/kernel, dense_input, dense_1_target), History keys
("acc"), Keras' cross-entropy formulas and default optimizer settings."""
import numpy as np
import pytest

import tfcompat as tf

keras = tf.keras
RNG = np.random.RandomState(0)
X = RNG.normal(size=(256, 4)).astype(np.float32)
Y3 = ((X[:, 0] > 0).astype(int) + (X[:, 1] > 0.5)).astype(np.int64)


def test_sequential_classifier_names_history_and_learning():
    tf.reset_default_graph()
    tf.set_random_seed(0)
    np.random.seed(0)
    model = keras.models.Sequential([
        keras.layers.Dense(16, activation="relu", input_shape=(4,)),
        keras.layers.Dropout(0.1),
        keras.layers.Dense(3, activation="softmax")])
    assert model.input.name == "dense_input:0" and model.output.shape.as_list() == [None, 3]
    model.compile(optimizer=keras.optimizers.Adam(lr=0.05),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    assert model.targets[0].name == "dense_1_target:0" and model.metrics_names == ["loss", "acc"]
    assert [w.name for w in model.weights] == ["dense/kernel:0", "dense/bias:0",
                                               "dense_1/kernel:0", "dense_1/bias:0"]
    history = model.fit(X, Y3, epochs=8, batch_size=32, validation_split=0.25, verbose=0)
    assert sorted(history.history) == ["acc", "loss", "val_acc", "val_loss"]
    assert len(history.history["loss"]) == 8 and history.epoch == list(range(8))
    assert history.history["loss"][-1] < history.history["loss"][0]
    loss, accuracy = model.evaluate(X, Y3, verbose=0)
    assert accuracy > 0.85
    probabilities = model.predict(X)
    assert probabilities.shape == (256, 3)
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0, rtol=1e-5)
    assert np.mean(probabilities.argmax(1) == Y3) == pytest.approx(accuracy)
    # Dropout is off outside fit: predictions are deterministic.
    np.testing.assert_array_equal(model.predict(X[:5]), model.predict(X[:5]))


def test_regression_with_sgd_flatten_and_weights_round_trip():
    tf.reset_default_graph()
    images = RNG.normal(size=(128, 2, 2)).astype(np.float32)
    target = images.reshape(128, 4) @ np.array([1.0, -2.0, 0.5, 3.0], np.float32)
    model = keras.models.Sequential()
    model.add(keras.layers.Flatten(input_shape=(2, 2)))
    model.add(keras.layers.Dense(1))
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.1), loss="mse")

    class Counter(keras.callbacks.Callback):
        batches = epochs = 0

        def on_batch_end(self, batch, logs=None):
            Counter.batches += 1

        def on_epoch_end(self, epoch, logs=None):
            Counter.epochs += 1
            assert sorted(logs) == ["loss"]
    model.fit(images, target, epochs=30, batch_size=16, verbose=0, callbacks=[Counter()])
    assert (Counter.batches, Counter.epochs) == (30 * 8, 30)
    assert model.evaluate(images, target, verbose=0) < 1e-4
    kernel, bias = model.get_weights()
    np.testing.assert_allclose(kernel[:, 0], [1.0, -2.0, 0.5, 3.0], atol=0.01)
    model.set_weights([np.zeros_like(kernel), np.ones_like(bias)])
    np.testing.assert_allclose(model.predict(images[:3]), np.ones((3, 1)))


def test_cross_entropies_follow_keras_formulas():
    tf.reset_default_graph()
    logits = np.array([[2.0, -1.0, 0.5], [0.1, 0.2, 3.0]], np.float32)
    onehot = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]], np.float32)
    softmax = np.exp(logits) / np.exp(logits).sum(1, keepdims=True)
    with tf.Session() as sess:
        from_softmax = sess.run(keras.losses.categorical_crossentropy(
            onehot, tf.nn.softmax(tf.constant(logits))))
        from_probabilities = sess.run(keras.losses.categorical_crossentropy(
            onehot, tf.constant(softmax)))
        sparse = sess.run(keras.losses.sparse_categorical_crossentropy(
            np.array([0, 1]), tf.nn.softmax(tf.constant(logits))))
        binary = sess.run(keras.losses.binary_crossentropy(
            np.array([[1.0], [0.0]], np.float32), tf.constant([[0.0], [1.0]])))
    expected = -np.log(softmax[[0, 1], [0, 1]])
    np.testing.assert_allclose(from_softmax, expected, rtol=1e-5)
    np.testing.assert_allclose(from_probabilities, expected, rtol=1e-5)
    np.testing.assert_allclose(sparse, expected, rtol=1e-5)
    # probabilities 0 and 1 are clipped to [1e-7, 1 - 1e-7] as Keras does (TF 2.21's
    # tf.keras.losses.binary_crossentropy gives these two values, float32 rounding included)
    np.testing.assert_allclose(binary, [16.118095, 15.942385], rtol=1e-5)


def test_binary_accuracy_activation_layer_and_errors():
    tf.reset_default_graph()
    tf.set_random_seed(0)
    np.random.seed(0)
    labels = (X[:, 0] > 0).astype(np.float32)
    model = keras.models.Sequential([keras.layers.Dense(1, input_dim=4),
                                     keras.layers.Activation("sigmoid")])
    model.compile(keras.optimizers.RMSprop(0.05), "binary_crossentropy", metrics=["acc"])
    model.fit(X, labels, epochs=10, verbose=0)
    assert model.evaluate(X, labels, verbose=0)[1] > 0.9
    assert isinstance(keras.optimizers.get("adagrad"), keras.optimizers.Adagrad)
    assert keras.optimizers.get("adagrad").learning_rate == 0.001
    deferred = keras.models.Sequential([keras.layers.Dense(3), keras.layers.Dense(1)])
    deferred.compile("sgd", "mse")  # built (and compiled) by the first fit, from the data
    deferred.fit(X, labels, epochs=1, verbose=0)
    assert deferred.input.shape.as_list() == [None, 4] and len(deferred.weights) == 4
    with pytest.raises(RuntimeError, match="You must compile your model before training"):
        keras.models.Sequential([keras.layers.Dense(3, input_dim=2)]).fit(X, labels)
    with pytest.raises(ValueError, match="Unknown loss function:nope"):
        model.compile("sgd", "nope")


def test_functional_model_from_input_and_layers():
    tf.reset_default_graph()
    tf.set_random_seed(1)
    np.random.seed(1)
    inputs = keras.Input(shape=(4,))
    assert inputs.name == "input_1:0" and inputs.shape.as_list() == [None, 4]
    hidden = keras.layers.Dense(16, activation="relu", name="hidden")(inputs)
    unused = keras.layers.Dense(2, name="unused")(inputs)   # not between inputs and outputs
    outputs = keras.layers.Dense(3, activation="softmax", name="probs")(hidden)
    model = keras.Model(inputs=inputs, outputs=outputs)
    assert [layer.name for layer in model.layers] == ["input_1", "hidden", "probs"]
    assert [w.name for w in model.weights] == ["hidden/kernel:0", "hidden/bias:0",
                                               "probs/kernel:0", "probs/bias:0"]
    model.compile(keras.optimizers.Adam(0.05), "sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    assert model.targets[0].name == "probs_target:0"
    model.fit(X, Y3, epochs=6, verbose=0)
    assert model.evaluate(X, Y3, verbose=0)[1] > 0.85
    assert keras.Input(shape=(2,)).name == "input_2:0"
    with pytest.raises(ValueError, match="Graph disconnected"):
        keras.Model(inputs=keras.Input(shape=(4,)), outputs=unused)
    assert keras.Sequential is keras.models.Sequential


def test_subclassed_model_builds_and_compiles_on_first_fit():
    tf.reset_default_graph()
    tf.set_random_seed(0)
    np.random.seed(0)

    class Classifier(keras.Model):
        def __init__(self):
            super().__init__(name="classifier")
            self.hidden = keras.layers.Dense(16, activation="relu")
            self.blocks = [keras.layers.Dropout(0.1), keras.layers.Dense(3)]

        def call(self, inputs, training=None):
            features = self.hidden(inputs)
            for layer in self.blocks:
                features = layer(features)
            return tf.nn.softmax(features)
    model = Classifier()
    model.compile(keras.optimizers.Adam(0.05), "sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    assert [layer.name for layer in model.layers] == ["dense", "dropout", "dense_1"]
    model.fit(X, Y3, epochs=6, batch_size=32, verbose=0)
    assert [w.name for w in model.trainable_weights] == [
        "classifier/dense/kernel:0", "classifier/dense/bias:0",
        "classifier/dense_1/kernel:0", "classifier/dense_1/bias:0"]
    assert model.targets[0].name == "output_1_target:0" and model.input_names == ["input_1"]
    assert model.evaluate(X, Y3, verbose=0)[1] > 0.85
    assert model.predict(X[:4]).shape == (4, 3)


def test_subclassed_model_weight_keys_are_attribute_paths(tmp_path):
    """TF 2.21's own Keras writes exactly these keys for this model (checked by hand)."""
    tf.reset_default_graph()

    class Model(keras.Model):
        def __init__(self):
            super().__init__()
            self.hidden = keras.layers.Dense(3, activation="relu")
            self.blocks = [keras.layers.Dropout(0.1), keras.layers.Dense(2)]

        def call(self, inputs, training=None):
            features = self.hidden(inputs)
            for layer in self.blocks:
                features = layer(features)
            return features
    model = Model()
    model.compile("sgd", "mse")
    expected = model.predict(X[:5])
    model.save_weights(str(tmp_path / "w"))
    assert sorted(name for name, _ in tf.train.list_variables(str(tmp_path / "w"))) == [
        "_CHECKPOINTABLE_OBJECT_GRAPH", "blocks/1/bias/.ATTRIBUTES/VARIABLE_VALUE",
        "blocks/1/kernel/.ATTRIBUTES/VARIABLE_VALUE", "hidden/bias/.ATTRIBUTES/VARIABLE_VALUE",
        "hidden/kernel/.ATTRIBUTES/VARIABLE_VALUE"]
    model.set_weights([np.zeros(w.shape.as_list()) for w in model.weights])
    model.load_weights(str(tmp_path / "w"))
    np.testing.assert_allclose(model.predict(X[:5]), expected, rtol=1e-6)

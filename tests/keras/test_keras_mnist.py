"""The TF 1.15 tf.keras tutorials' models on a slice of real MNIST (../shared/data/mnist):
the beginner MLP (Flatten, Dense, Dropout, Adam, sparse cross-entropy, accuracy) with its
progress bar, and a small CNN (Conv2D, BatchNormalization, MaxPooling2D) in the functional
API with validation data, evaluate and predict."""
import os
import re

import numpy as np
import pytest

import tfcompat as tf
from tfcompat.examples.tutorials.mnist import input_data
from tfcompat.keras.datasets import mnist

keras = tf.keras


@pytest.fixture(scope="module")
def mnist_data(tmp_path_factory, mnist_source):
    """mnist.load_data() scaled to [0, 1], built once from the IDX files in a temporary
    Keras cache."""
    saved = {name: os.environ.get(name) for name in ("KERAS_HOME", input_data.SOURCE_ENV_VAR)}
    os.environ["KERAS_HOME"] = str(tmp_path_factory.mktemp("keras"))
    os.environ[input_data.SOURCE_ENV_VAR] = str(mnist_source)
    try:
        (x_train, y_train), (x_test, y_test) = mnist.load_data()
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    return (x_train / 255.0, y_train), (x_test / 255.0, y_test)


def test_beginner_tutorial_mlp(mnist_data, capsys):
    (x_train, y_train), (x_test, y_test) = mnist_data
    (x_train, y_train), (x_test, y_test) = (x_train[:3000], y_train[:3000]), (x_test[:1000],
                                                                               y_test[:1000])
    capsys.readouterr()
    tf.reset_default_graph()
    tf.set_random_seed(0)
    np.random.seed(0)
    model = keras.models.Sequential([
        keras.layers.Flatten(input_shape=(28, 28)),
        keras.layers.Dense(128, activation="relu"),
        keras.layers.Dropout(0.2),
        keras.layers.Dense(10, activation="softmax")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    model.fit(x_train, y_train, epochs=2)
    out = capsys.readouterr().out
    assert out.startswith("Train on 3000 samples\nEpoch 1/2\n")
    assert len(re.findall(r"3000/3000 \[={30}\] - \d+s \d+us/sample - loss: 0\.\d{4} - acc: "
                          r"0\.\d{4}\n", out)) == 2
    loss, accuracy = model.evaluate(x_test, y_test, verbose=2)
    assert re.fullmatch(r"1000/1000 - \d+s - loss: 0\.\d{4} - acc: 0\.\d{4}\n",
                        capsys.readouterr().out)
    assert accuracy > 0.85 and loss < 0.5
    predictions = model.predict(x_test)
    assert np.mean(predictions.argmax(1) == y_test) == accuracy


def test_functional_cnn_with_batch_norm(mnist_data):
    (x_train, y_train), (x_test, y_test) = mnist_data
    (x_train, y_train), (x_test, y_test) = (x_train[:1000], y_train[:1000]), (x_test[:500],
                                                                              y_test[:500])
    tf.reset_default_graph()
    tf.set_random_seed(0)
    np.random.seed(0)
    images = keras.Input((28, 28, 1))
    features = keras.layers.Conv2D(8, 3, activation="relu")(images)
    features = keras.layers.BatchNormalization(momentum=0.9)(features)
    features = keras.layers.MaxPooling2D()(features)
    features = keras.layers.Flatten()(features)
    probabilities = keras.layers.Dense(10, activation="softmax")(features)
    model = keras.Model(images, probabilities)
    assert [w.name for w in model.weights][:4] == [
        "conv2d/kernel:0", "conv2d/bias:0", "batch_normalization/gamma:0",
        "batch_normalization/beta:0"]
    model.compile(keras.optimizers.Adam(0.005), "categorical_crossentropy",
                  metrics=["accuracy"])
    history = model.fit(x_train[..., None], keras.utils.to_categorical(y_train, 10),
                        batch_size=50, epochs=2, verbose=0,
                        validation_data=(x_test[..., None],
                                         keras.utils.to_categorical(y_test, 10)))
    assert history.history["val_acc"][-1] > 0.75
    moving_mean = keras.backend.get_value(model.layers[2].moving_mean)
    assert np.all(moving_mean > 0)  # the updates ran with the training steps
    assert model.predict(x_test[:7, ..., None]).shape == (7, 10)

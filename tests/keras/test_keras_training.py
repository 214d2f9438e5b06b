"""tf.keras training in graph mode: the functional API with several inputs and outputs,
nested models, summary, Keras 2.2.4-tf progress bars, callbacks, *_on_batch, weight
checkpoints (TF's keys; a checkpoint written by TF's Keras loads), class weights."""
import csv
import os
import re

import numpy as np
import pytest

import tfcompat as tf
from tfcompat.lib import proto_wire

keras = tf.keras
HERE = os.path.dirname(os.path.abspath(__file__))
RNG = np.random.RandomState(0)
X = RNG.normal(size=(100, 4)).astype(np.float32)
Y = (X[:, 0] + X[:, 1] > 0).astype(np.float32)


def _binary_model(seed=0):
    tf.reset_default_graph()
    tf.set_random_seed(seed)
    np.random.seed(seed)
    model = keras.Sequential([keras.layers.Dense(8, activation="relu", input_shape=(4,)),
                              keras.layers.Dense(1, activation="sigmoid")])
    model.compile(keras.optimizers.Adam(0.05), "binary_crossentropy", metrics=["accuracy"])
    return model


def test_functional_multi_input_multi_output_names_losses_and_nesting():
    tf.reset_default_graph()
    tf.set_random_seed(0)
    a, b = keras.Input((4,), name="a"), keras.Input((2,), name="b")
    joined = keras.layers.Concatenate()([a, b])
    out1 = keras.layers.Dense(1, name="out1")(joined)
    out2 = keras.layers.Dense(3, activation="softmax", name="out2")(joined)
    model = keras.Model([a, b], [out1, out2])
    assert [layer.name for layer in model.layers] == ["a", "b", "concatenate", "out1", "out2"]
    assert model.get_layer("out2") is model.layers[-1] and model.get_layer(index=2).name == \
        "concatenate"
    assert [w.name for w in model.trainable_weights] == [
        "out1/kernel:0", "out1/bias:0", "out2/kernel:0", "out2/bias:0"]
    model.compile("adam", ["mse", "sparse_categorical_crossentropy"], metrics=["accuracy"],
                  loss_weights=[1.0, 0.5])
    assert model.metrics_names == ["loss", "out1_loss", "out2_loss", "out1_acc", "out2_acc"]
    labels = (X[:, 0] > 0).astype(np.int64) + (X[:, 1] > 0)
    total, loss1, loss2, _, acc2 = model.evaluate([X, X[:, :2]], [Y, labels], verbose=0)
    assert total == pytest.approx(loss1 + 0.5 * loss2, rel=1e-5)
    probabilities = model.predict({"a": X, "b": X[:, :2]})[1]
    assert acc2 == pytest.approx(np.mean(probabilities.argmax(1) == labels))
    np.testing.assert_allclose(-np.log(probabilities[np.arange(100), labels]).mean(), loss2,
                               rtol=1e-5)
    history = model.fit([X, X[:, :2]], {"out1": Y, "out2": labels}, epochs=3, verbose=0)
    assert history.history["out2_loss"][-1] < loss2
    # A model called on new inputs reuses its layers (and weights), nested in another model.
    c, d = keras.Input((4,)), keras.Input((2,))
    outer = keras.Model([c, d], keras.layers.Add()(model([c, d])[:1] * 2))
    assert len(outer.trainable_weights) == 4
    np.testing.assert_allclose(outer.predict([X, X[:, :2]]), 2 * model.predict([X, X[:, :2]])[0],
                               rtol=1e-5)


def test_summary_tables():
    model = _binary_model()
    lines = []
    model.summary(print_fn=lines.append)
    assert lines[0] == 'Model: "sequential"' and lines[1] == "_" * 65
    assert lines[2].rstrip() == "Layer (type)                 Output Shape              Param #"
    assert lines[4].rstrip() == "dense (Dense)                (None, 8)                 40"
    assert lines[-4:] == ["Total params: 49", "Trainable params: 49",
                          "Non-trainable params: 0", "_" * 65]
    a, b = keras.Input((3,), name="a"), keras.Input((3,), name="b")
    model = keras.Model([a, b], keras.layers.Dense(2, name="d")(keras.layers.add([a, b])))
    lines = []
    model.summary(print_fn=lines.append)
    assert len(lines[1]) == 98 and lines[2].split() == ["Layer", "(type)", "Output", "Shape",
                                                        "Param", "#", "Connected", "to"]
    assert lines[4].split() == ["a", "(InputLayer)", "[(None,", "3)]", "0"]
    assert lines[8].split() == ["add", "(Add)", "(None,", "3)", "0", "a[0][0]"]
    assert lines[9].strip() == "b[0][0]"


def test_progress_bar_verbose_1_and_2(capsys):
    model = _binary_model()
    model.fit(X, Y, batch_size=32, epochs=2, validation_split=0.2, verbose=1)
    text = capsys.readouterr().out
    assert text.startswith("Train on 80 samples, validate on 20 samples\nEpoch 1/2\n")
    final = re.compile(r"80/80 \[={30}\] - \d+s \d+(us|ms)/sample - loss: \d\.\d{4} - acc: "
                       r"\d\.\d{4} - val_loss: \d\.\d{4} - val_acc: \d\.\d{4}\n")
    assert len(final.findall(text)) == 2 and "Epoch 2/2" in text
    assert "\r32/80 [===========>..................] - ETA: " in text
    model.fit(X, Y, batch_size=50, epochs=1, verbose=2)
    text = capsys.readouterr().out
    assert re.fullmatch(r"Train on 100 samples\nEpoch 1/1\n100/100 - \d+s - loss: \d\.\d{4} - "
                        r"acc: \d\.\d{4}\n", text)
    model.evaluate(X, Y, verbose=1)
    assert re.search(r"100/100 \[={30}\] - \d+s \d+(us|ms)/sample - loss: \d\.\d{4}",
                     capsys.readouterr().out)


def test_early_stopping_checkpoint_csv_scheduler_and_lambda(tmp_path):
    model = _binary_model()
    epochs_seen = []
    stopper = keras.callbacks.EarlyStopping(monitor="loss", min_delta=10.0, patience=1,
                                            restore_best_weights=True)
    checkpoint = keras.callbacks.ModelCheckpoint(str(tmp_path / "w.{epoch:02d}-{loss:.2f}"),
                                                 save_weights_only=True)
    csv_path = tmp_path / "log.csv"
    history = model.fit(X, Y, epochs=10, verbose=0, callbacks=[
        stopper, checkpoint, keras.callbacks.LearningRateScheduler(lambda e: 0.01 / (e + 1)),
        keras.callbacks.CSVLogger(str(csv_path)),
        keras.callbacks.LambdaCallback(on_epoch_end=lambda e, logs: epochs_seen.append(e))])
    assert epochs_seen == [0, 1] and stopper.stopped_epoch == 1 and len(history.epoch) == 2
    assert history.history["lr"] == pytest.approx([0.01, 0.005])
    assert keras.backend.get_value(model.optimizer.lr) == pytest.approx(0.005)
    written = sorted(p.name for p in tmp_path.iterdir() if p.name.endswith(".index"))
    assert [name[:5] for name in written] == ["w.01-", "w.02-"]
    rows = list(csv.reader(open(csv_path)))
    assert rows[0] == ["epoch", "acc", "loss", "lr"] and [r[0] for r in rows[1:]] == ["0", "1"]
    # restore_best_weights: the weights after the first epoch (the best loss) come back.
    model.load_weights(str(tmp_path / written[0][:-len(".index")]))
    after_first = []
    model.fit(X, Y, epochs=5, verbose=0, callbacks=[
        keras.callbacks.LambdaCallback(on_epoch_end=lambda e, logs: after_first.append(
            model.get_weights()) if e == 0 else None),
        keras.callbacks.EarlyStopping(monitor="loss", min_delta=10.0, patience=2,
                                      restore_best_weights=True)])
    assert len(model.history.epoch) == 3
    for restored, best in zip(model.get_weights(), after_first[0], strict=True):
        np.testing.assert_array_equal(restored, best)


def test_checkpoint_best_only_reduce_lr_and_tensorboard(tmp_path, capsys):
    model = _binary_model()
    path = str(tmp_path / "best")
    model.fit(X, Y, epochs=3, verbose=0, validation_data=(X[:20], Y[:20]), callbacks=[
        keras.callbacks.ModelCheckpoint(path, save_best_only=True, save_weights_only=True,
                                        verbose=1),
        keras.callbacks.ReduceLROnPlateau(monitor="loss", min_delta=10.0, patience=1,
                                          factor=0.5),
        keras.callbacks.TensorBoard(str(tmp_path / "logs"))])
    out = capsys.readouterr().out
    assert "Epoch 00001: val_loss improved from inf to" in out and f"saving model to {path}" \
        in out
    # logs["lr"] is the rate the epoch ran with; the reduction applies from the next one.
    assert model.history.history["lr"] == pytest.approx([0.05, 0.05, 0.025])
    assert keras.backend.get_value(model.optimizer.lr) == pytest.approx(0.0125)
    assert os.path.exists(path + ".index")
    events = os.listdir(tmp_path / "logs")
    assert len(events) == 1 and events[0].startswith("events.out.tfevents.")


def test_on_batch_methods_class_weight_and_sample_weight():
    model = _binary_model()
    before = model.test_on_batch(X[:10], Y[:10])
    loss, _ = model.train_on_batch(X[:10], Y[:10])
    assert loss == pytest.approx(before[0], rel=1e-5)
    assert model.test_on_batch(X[:10], Y[:10])[0] < loss
    assert model.predict_on_batch(X[:3]).shape == (3, 1)
    weights = np.where(Y > 0, 2.0, 0.0).astype(np.float32)
    weighted = model.evaluate(X, Y, sample_weight=weights, verbose=0)[0]
    p = model.predict(X)[:, 0].astype(np.float64)
    p = np.clip(p, 1e-7, 1 - 1e-7)
    losses = -(Y * np.log(p) + (1 - Y) * np.log(1 - p))
    assert weighted == pytest.approx(np.mean(losses * weights), rel=1e-4)
    model.fit(X, Y, epochs=1, verbose=0, class_weight={0: 1.0, 1: 3.0})


def test_weights_round_trip_with_tf_keys(tmp_path):
    model = _binary_model()
    path = str(tmp_path / "ckpt")
    model.save_weights(path)
    names = dict(tf.train.list_variables(path))
    assert names == {"layer_with_weights-0/kernel/.ATTRIBUTES/VARIABLE_VALUE": [4, 8],
                     "layer_with_weights-0/bias/.ATTRIBUTES/VARIABLE_VALUE": [8],
                     "layer_with_weights-1/kernel/.ATTRIBUTES/VARIABLE_VALUE": [8, 1],
                     "layer_with_weights-1/bias/.ATTRIBUTES/VARIABLE_VALUE": [1],
                     "_CHECKPOINTABLE_OBJECT_GRAPH": []}
    # The object graph TF's load_weights walks: model -> layer_with_weights-i -> variables.
    nodes = [value for _, _, value in proto_wire.iter_fields(
        tf.train.load_checkpoint(path).get_tensor("_CHECKPOINTABLE_OBJECT_GRAPH").item())]
    root_children = [dict((n, v) for n, _, v in proto_wire.iter_fields(child))
                     for f, _, child in proto_wire.iter_fields(nodes[0]) if f == 1]
    assert [(c[1], c[2]) for c in root_children] == [(1, b"layer_with_weights-0"),
                                                      (4, b"layer_with_weights-1")]
    kernel = dict((n, v) for n, _, v in proto_wire.iter_fields(
        next(v for f, _, v in proto_wire.iter_fields(nodes[2]) if f == 2)))
    assert kernel == {1: b"VARIABLE_VALUE", 2: b"dense/kernel",
                      3: b"layer_with_weights-0/kernel/.ATTRIBUTES/VARIABLE_VALUE"}
    assert os.path.exists(tmp_path / "checkpoint")
    expected = model.predict(X)
    model.fit(X, Y, epochs=1, verbose=0)
    model.load_weights(path)
    np.testing.assert_array_equal(model.predict(X), expected)
    with pytest.raises(ImportError, match="requires h5py"):
        model.save_weights(str(tmp_path / "w.h5"))
    with pytest.raises(ImportError, match="requires h5py"):
        keras.models.load_model(str(tmp_path / "m.h5"))


def test_loads_weights_saved_by_tensorflow_keras():
    tf.reset_default_graph()
    inputs = keras.Input((4,))
    hidden = keras.layers.BatchNormalization()(keras.layers.Dense(3, activation="relu")(inputs))
    model = keras.Model(inputs, keras.layers.Dense(2)(hidden))
    model.load_weights(os.path.join(HERE, "..", "golden", "keras_ckpt", "weights"))
    expected = np.load(os.path.join(HERE, "..", "golden", "keras_ckpt", "expected.npz"))
    np.testing.assert_allclose(model.predict(expected["x"]), expected["y"], rtol=1e-5,
                               atol=1e-6)


def test_input_errors():
    model = _binary_model()
    with pytest.raises(ValueError, match=r"expected dense_input to have shape \(4,\) but got "
                                         r"array with shape \(3,\)"):
        model.fit(X[:, :3], Y, verbose=0)
    with pytest.raises(ValueError, match="same number of samples"):
        model.fit(X, Y[:10], verbose=0)


def test_fit_evaluate_predict_with_datasets(capsys):
    model = _binary_model()
    data = tf.data.Dataset.from_tensor_slices((X, Y)).batch(25)
    history = model.fit(data.repeat(), steps_per_epoch=3, epochs=2, validation_data=data,
                        verbose=1)
    out = capsys.readouterr().out
    assert out.startswith("Train on 3 steps\nEpoch 1/2\n")
    assert len(re.findall(r"3/3 \[={30}\] - \d+s \d+(us|ms)/step - loss: \d\.\d{4} - acc: "
                          r"\d\.\d{4} - val_loss: \d\.\d{4} - val_acc: \d\.\d{4}\n", out)) == 2
    assert len(history.history["val_loss"]) == 2
    # Without steps_per_epoch an epoch is one pass over the dataset (re-initialized).
    batches = []
    model.fit(data, epochs=2, verbose=0, callbacks=[keras.callbacks.LambdaCallback(
        on_batch_end=lambda batch, logs: batches.append(logs["size"]))])
    assert batches == [25, 25, 25, 25] * 2
    loss, accuracy = model.evaluate(data, verbose=1)
    assert re.search(r"4/4 \[={30}\] - \d+s \d+(us|ms)/step - loss: ", capsys.readouterr().out)
    assert [loss, accuracy] == pytest.approx(model.evaluate(X, Y, verbose=0), rel=1e-5)
    predictions = model.predict(tf.data.Dataset.from_tensor_slices(X).batch(30))
    np.testing.assert_allclose(predictions, model.predict(X), rtol=1e-6)


def test_fit_generator_and_sequences(capsys):
    model = _binary_model()

    def batches():
        while True:
            for start in range(0, 100, 20):
                yield X[start:start + 20], Y[start:start + 20]

    class Batches(keras.utils.Sequence):
        epochs_ended = 0

        def __len__(self):
            return 4

        def __getitem__(self, index):
            return X[index * 25:(index + 1) * 25], Y[index * 25:(index + 1) * 25]

        def on_epoch_end(self):
            Batches.epochs_ended += 1
    history = model.fit_generator(batches(), steps_per_epoch=5, epochs=2,
                                  validation_data=Batches(), verbose=1)
    out = capsys.readouterr().out
    assert out.startswith("Epoch 1/2\n") and len(history.history["val_acc"]) == 2
    assert re.search(r"5/5 \[={30}\] - \d+s \d+(us|ms)/step - loss: ", out)
    model.fit(Batches(), epochs=3, verbose=0)
    assert Batches.epochs_ended >= 2
    loss, accuracy = model.evaluate_generator(Batches())
    assert [loss, accuracy] == pytest.approx(model.evaluate(X, Y, verbose=0), rel=1e-5)
    np.testing.assert_allclose(model.predict_generator(batches(), steps=5), model.predict(X),
                               rtol=1e-6)
    with pytest.raises(ValueError, match="only valid for a generator based on the"):
        model.fit_generator(batches(), epochs=1, verbose=0)


def test_configs_json_round_trip_and_clone_model():
    tf.reset_default_graph()
    a, b = keras.Input((4,), name="a"), keras.Input((2,), name="b")
    joined = keras.layers.Concatenate()([a, b])
    shared = keras.layers.Dense(3, activation="tanh", name="shared")
    out1 = keras.layers.Dense(1, name="out1")(shared(joined))
    out2 = keras.layers.Add(name="sum")([shared(joined), shared(joined)])
    inner = keras.Sequential([keras.layers.Dense(2, input_shape=(3,), activation="relu"),
                              keras.layers.Dropout(0.5)], name="inner")
    model = keras.Model([a, b], [out1, inner(out2)], name="outer")
    config = model.get_config()
    assert [entry["name"] for entry in config["layers"]] == [
        "a", "b", "concatenate", "shared", "out1", "sum", "inner"]
    assert config["layers"][3]["inbound_nodes"] == [[["concatenate", 0, 0, {}]]] * 3
    assert config["layers"][5]["inbound_nodes"] == [[["shared", 1, 0, {}], ["shared", 2, 0, {}]]]
    assert config["output_layers"] == [["out1", 0, 0], ["inner", 0, 0]]
    assert config["layers"][3]["config"] == {"units": 3, "activation": "tanh",
                                             "name": "shared", "trainable": True}
    rebuilt = keras.models.model_from_json(model.to_json())
    assert [layer.name for layer in rebuilt.layers] == [layer.name for layer in model.layers]
    assert len(rebuilt.weights) == len(model.weights) == 6
    rebuilt.set_weights(model.get_weights())
    data = [X, X[:, :2]]
    for got, want in zip(rebuilt.predict(data), model.predict(data), strict=True):
        np.testing.assert_allclose(got, want, rtol=1e-6)
    clone = keras.models.clone_model(inner)
    assert type(clone) is type(inner) and clone.input.shape.as_list() == [None, 3]
    assert not any(w is v for w in clone.weights for v in inner.weights)
    with pytest.raises(TypeError, match="Cannot serialize Lambda.function"):
        keras.Sequential([keras.layers.Lambda(lambda t: t, input_shape=(2,))]).to_json()
    assert keras.layers.deserialize(keras.layers.serialize(
        keras.layers.Conv2D(4, 3, padding="same"))).padding == "same"


def test_keras_layers_and_models_mix_with_raw_tf1_code():
    """Keras layers on a tf.placeholder trained by a tf.train optimizer in a tf.Session; the
    Keras model then uses that same (default) session."""
    tf.reset_default_graph()
    tf.set_random_seed(0)
    x = tf.placeholder(tf.float32, [None, 4])
    y = tf.placeholder(tf.float32, [None])
    hidden = keras.layers.Dense(8, activation="relu")(x)
    hidden = keras.layers.Dropout(0.5)(hidden)
    logits = tf.squeeze(keras.layers.Dense(1)(hidden), [1])
    loss = tf.losses.sigmoid_cross_entropy(y, logits)
    train = tf.train.AdamOptimizer(0.05).minimize(loss)
    inputs = keras.Input(tensor=x)
    model = keras.Model(inputs, keras.layers.Activation("sigmoid")(logits[:, None]))
    with tf.Session() as session:
        session.run(tf.global_variables_initializer())
        for _ in range(60):
            session.run(train, {x: X, y: Y, keras.backend.learning_phase(): True})
        assert keras.backend.get_session() is session
        probabilities = model.predict(X)
        expected = session.run(tf.sigmoid(logits), {x: X})
    np.testing.assert_allclose(probabilities[:, 0], expected, rtol=1e-5)
    assert np.mean((probabilities[:, 0] > 0.5) == Y) > 0.9


def test_stateful_metric_objects_in_compile(capsys):
    tf.reset_default_graph()
    np.random.seed(0)

    class PositivesSeen(keras.metrics.Metric):
        """How many predictions above 0.5 so far (a running total, not a mean)."""

        def __init__(self, name="positives_seen"):
            super().__init__(name=name)
            self.total = self.add_weight("total")

        def update_state(self, y_true, y_pred, sample_weight=None):
            return tf.assign_add(self.total, tf.reduce_sum(tf.cast(y_pred > 0.5, tf.float32)))

        def result(self):
            return tf.identity(self.total)
    model = keras.Sequential([keras.layers.Dense(1, activation="sigmoid", input_shape=(4,))])
    model.compile("sgd", "binary_crossentropy",
                  metrics=[keras.metrics.BinaryAccuracy(), PositivesSeen()])
    assert model.metrics_names == ["loss", "binary_accuracy", "positives_seen"]
    history = model.fit(X, Y, batch_size=10, epochs=2, verbose=2)
    assert re.search(r"100/100 - \d+s - loss: \d\.\d{4} - binary_accuracy: \d\.\d{4} - "
                     r"positives_seen: \d+\.\d{4}\n", capsys.readouterr().out)
    # Each epoch counts from zero: at most one per sample.
    assert all(0 <= value <= 100 for value in history.history["positives_seen"])
    loss, accuracy, positives = model.evaluate(X, Y, verbose=0)
    predictions = model.predict(X)[:, 0]
    assert positives == np.sum(predictions > 0.5)
    assert accuracy == pytest.approx(np.mean((predictions > 0.5) == Y))
    mean = keras.metrics.Mean()
    update = mean.update_state([1.0, 2.0, 6.0])
    session = keras.backend.get_session()
    session.run(update)
    assert session.run(mean.result()) == 3.0
    mean.reset_states()
    assert session.run(mean.result()) == 0.0


def test_validation_freq_and_argument_errors():
    model = _binary_model()
    history = model.fit(X, Y, epochs=4, verbose=0, validation_data=(X, Y), validation_freq=2)
    assert len(history.history["loss"]) == 4 and len(history.history["val_loss"]) == 2
    history = model.fit(X, Y, epochs=3, verbose=0, validation_split=0.1, validation_freq=[1])
    assert len(history.history["val_acc"]) == 1
    with pytest.raises(TypeError, match="Unrecognized keyword arguments"):
        model.fit(X, Y, epoch=3)
    with pytest.raises(ValueError, match="steps_per_epoch` with datasets"):
        model.fit(X, Y, steps_per_epoch=2, verbose=0)


def test_masked_sequence_loss_and_metrics():
    """Embedding(mask_zero) -> LSTM(return_sequences) -> TimeDistributed(Dense): padded
    steps add nothing to the loss (which still divides by all steps, as TF 1.15) and are
    left out of the accuracy."""
    tf.reset_default_graph()
    tf.set_random_seed(0)
    ids = np.array([[0, 0, 3, 1], [2, 4, 1, 0]], np.int32)
    labels = np.array([[1, 1, 0, 1], [0, 1, 1, 0]], np.int64)
    inputs = keras.Input((4,), dtype="int32")
    vectors = keras.layers.Embedding(5, 3, mask_zero=True)(inputs)
    sequence = keras.layers.LSTM(4, return_sequences=True)(vectors)
    outputs = keras.layers.TimeDistributed(keras.layers.Dense(2, activation="softmax"))(
        sequence)
    model = keras.Model(inputs, outputs)
    model.compile("sgd", "sparse_categorical_crossentropy", metrics=["accuracy"])
    loss, accuracy = model.evaluate(ids, labels, verbose=0)
    probabilities = model.predict(ids).astype(np.float64)
    mask = ids != 0
    picked = probabilities[np.arange(2)[:, None], np.arange(4)[None, :], labels]
    assert loss == pytest.approx(-(np.log(picked) * mask).sum() / 8, rel=1e-5)
    correct = probabilities.argmax(-1) == labels
    assert accuracy == pytest.approx(correct[mask].mean(), rel=1e-6)

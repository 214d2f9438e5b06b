"""Writes tests/golden/keras_goldens.npz and tests/golden/keras_ckpt/ with TensorFlow 2.21's
tf_keras in graph mode (tf.compat.v1.disable_v2_behavior()), for tests/keras/test_keras_layers.py
and test_keras_training.py. Run with the TF scratch venv:
    /work/tfvenv/bin/python tests/golden/make_keras_goldens.py
Each layer gets seeded random weights (set_weights) and a seeded random input; the file
stores the input, the weights, the output and the variable names."""
import json
import os
import shutil

import numpy as np

os.environ["TF_USE_LEGACY_KERAS"] = "1"
import tensorflow as tf  # noqa: E402

tf.compat.v1.disable_v2_behavior()
import tf_keras as keras  # noqa: E402
from tf_keras.src.layers.rnn import gru_v1, lstm_v1  # noqa: E402 (TF 1.15's LSTM and GRU)

HERE = os.path.dirname(os.path.abspath(__file__))
L = keras.layers
CASES = {
    "conv1d": (lambda: L.Conv1D(3, 2, strides=2, padding="same", activation="relu"), (2, 7, 4)),
    "conv2d": (lambda: L.Conv2D(3, (3, 2), padding="valid"), (2, 6, 5, 2)),
    "conv2d_transpose": (lambda: L.Conv2DTranspose(2, 3, strides=2, padding="same"),
                         (2, 3, 4, 3)),
    "separable_conv2d": (lambda: L.SeparableConv2D(4, 3, depth_multiplier=2), (2, 5, 5, 3)),
    "depthwise_conv2d": (lambda: L.DepthwiseConv2D(3, depth_multiplier=2, padding="same"),
                         (2, 4, 5, 3)),
    "max_pooling1d": (lambda: L.MaxPooling1D(), (2, 7, 3)),
    "average_pooling1d": (lambda: L.AveragePooling1D(3, padding="same"), (2, 7, 3)),
    "max_pooling2d": (lambda: L.MaxPooling2D((2, 3)), (2, 6, 7, 2)),
    "average_pooling2d": (lambda: L.AveragePooling2D(strides=1), (2, 4, 5, 2)),
    "global_average_pooling2d": (lambda: L.GlobalAveragePooling2D(), (2, 4, 5, 3)),
    "global_max_pooling1d": (lambda: L.GlobalMaxPooling1D(), (2, 6, 3)),
    "zero_padding2d": (lambda: L.ZeroPadding2D(((1, 2), (0, 1))), (2, 3, 3, 2)),
    "cropping2d": (lambda: L.Cropping2D(((1, 0), (1, 2))), (2, 5, 6, 2)),
    "up_sampling2d": (lambda: L.UpSampling2D((2, 3)), (2, 2, 3, 2)),
    "up_sampling1d": (lambda: L.UpSampling1D(3), (2, 3, 2)),
    "reshape": (lambda: L.Reshape((-1, 2)), (2, 3, 4)),
    "permute": (lambda: L.Permute((2, 1)), (2, 3, 4)),
    "repeat_vector": (lambda: L.RepeatVector(3), (2, 4)),
    "leaky_re_lu": (lambda: L.LeakyReLU(), (2, 5)),
    "p_re_lu": (lambda: L.PReLU(shared_axes=[1]), (2, 3, 4)),
    "elu": (lambda: L.ELU(alpha=0.5), (2, 5)),
    "re_lu": (lambda: L.ReLU(max_value=0.8, negative_slope=0.1, threshold=0.2), (2, 6)),
    "softmax": (lambda: L.Softmax(axis=1), (2, 3, 4)),
    "batch_normalization": (lambda: L.BatchNormalization(momentum=0.5), (4, 3, 2)),
    "dense": (lambda: L.Dense(3, activation="tanh"), (2, 3, 4)),
    "separable_conv1d": (lambda: L.SeparableConv1D(3, 2, strides=2, depth_multiplier=2,
                                                   padding="same"), (2, 7, 2)),
    "layer_normalization": (lambda: L.LayerNormalization(), (2, 3, 4)),
    "conv_lstm2d": (lambda: L.ConvLSTM2D(3, (3, 2), padding="same", return_sequences=True),
                    (2, 3, 5, 4, 2)),
    "conv_lstm2d_strided": (lambda: L.ConvLSTM2D(2, 3, strides=2, go_backwards=True),
                            (2, 3, 5, 6, 2)),
    "locally_connected1d": (lambda: L.LocallyConnected1D(2, 3, strides=2), (2, 7, 3)),
    "locally_connected2d": (lambda: L.LocallyConnected2D(3, (2, 3), strides=(2, 1),
                                                         activation="relu"), (2, 5, 4, 2)),
}
RECURRENT = {
    "simple_rnn": lambda: L.SimpleRNN(4, return_sequences=True, return_state=True),
    "lstm": lambda: lstm_v1.LSTM(4, return_sequences=True, return_state=True),
    "gru": lambda: gru_v1.GRU(3, return_state=True, go_backwards=True),
    "lstm_unrolled": lambda: lstm_v1.LSTM(2, unroll=True),
    "time_distributed": lambda: L.TimeDistributed(L.Dense(3)),
    "gru_reset_after": lambda: gru_v1.GRU(3, reset_after=True, return_sequences=True),
    # What CuDNNLSTM / CuDNNGRU compute (tf_keras runs those on GPUs only).
    "lstm_sigmoid": lambda: lstm_v1.LSTM(3, recurrent_activation="sigmoid",
                                         return_sequences=True),
    "gru_cudnn_form": lambda: gru_v1.GRU(2, recurrent_activation="sigmoid", reset_after=True,
                                         return_state=True),
    "bidirectional_lstm": lambda: L.Bidirectional(lstm_v1.LSTM(3, return_sequences=True)),
    "bidirectional_gru": lambda: L.Bidirectional(gru_v1.GRU(2, return_state=True),
                                                 merge_mode="ave"),
}
MERGES = {"add": L.Add, "subtract": L.Subtract, "multiply": L.Multiply,
          "average": L.Average, "maximum": L.Maximum, "minimum": L.Minimum,
          "concatenate": lambda: L.Concatenate(axis=1), "dot": lambda: L.Dot(axes=1),
          "dot_normalized": lambda: L.Dot(axes=(2, 2), normalize=True)}


def main():
    rng = np.random.RandomState(0)
    out = {}
    for name, (make, shape) in CASES.items():
        keras.backend.clear_session()
        layer = make()
        x = rng.normal(size=shape).astype(np.float32)
        inputs = keras.Input(batch_shape=shape)
        y = layer(inputs)
        session = tf.compat.v1.keras.backend.get_session()
        weights = [rng.normal(size=w.shape).astype(np.float32) for w in layer.get_weights()]
        if name == "batch_normalization":
            weights[3] = np.abs(weights[3]) + 0.5  # a positive moving variance
        layer.set_weights(weights)
        out[f"{name}/x"] = x
        out[f"{name}/y"] = session.run(y, {inputs: x})
        out[f"{name}/names"] = np.array([w.name for w in layer.weights])
        for i, w in enumerate(weights):
            out[f"{name}/w{i}"] = w
        if name == "batch_normalization":
            training = layer(inputs, training=True)
            out[f"{name}/y_training"] = session.run(training, {inputs: x})
    for name, make in RECURRENT.items():
        keras.backend.clear_session()
        layer = make()
        x = rng.normal(size=(2, 5, 3)).astype(np.float32)
        inputs = keras.Input(batch_shape=x.shape)
        outputs = layer(inputs)
        outputs = outputs if isinstance(outputs, list) else [outputs]
        weights = [rng.normal(size=w.shape).astype(np.float32) for w in layer.get_weights()]
        layer.set_weights(weights)
        values = tf.compat.v1.keras.backend.get_session().run(outputs, {inputs: x})
        out[f"{name}/x"] = x
        out[f"{name}/names"] = np.array([w.name for w in layer.weights])
        for i, w in enumerate(weights):
            out[f"{name}/w{i}"] = w
        for i, value in enumerate(values):
            out[f"{name}/y{i}"] = value
    for name, make in MERGES.items():
        keras.backend.clear_session()
        shape = (2, 3, 4) if name == "dot_normalized" else (2, 4)
        a, b = keras.Input(batch_shape=shape), keras.Input(batch_shape=shape)
        y = make()([a, b])
        xa, xb = (rng.normal(size=shape).astype(np.float32) for _ in range(2))
        out[f"{name}/xa"], out[f"{name}/xb"] = xa, xb
        out[f"{name}/y"] = tf.compat.v1.keras.backend.get_session().run(y, {a: xa, b: xb})
    write_masked(out, rng)
    np.savez_compressed(os.path.join(HERE, "keras_goldens.npz"), **out)
    write_checkpoint(rng)
    write_text_goldens()
    write_loss_goldens()


def write_loss_goldens():
    """Per-example loss functions and reduced Loss objects on fixed data."""
    keras.backend.clear_session()
    rng = np.random.RandomState(7)
    y_true = rng.uniform(0.1, 1.0, size=(4, 3)).astype(np.float32)
    y_pred = rng.uniform(0.1, 1.0, size=(4, 3)).astype(np.float32)
    signs = np.sign(rng.normal(size=(4, 3))).astype(np.float32)
    logits = rng.normal(size=(4, 3)).astype(np.float32)
    onehot = np.eye(3, dtype=np.float32)[[0, 2, 1, 2]]
    weights = np.array([1.0, 0.5, 0.0, 2.0], np.float32)
    losses = keras.losses
    values = {
        name: getattr(losses, name)(y_true, y_pred)
        for name in ("mean_squared_error", "mean_absolute_error",
                     "mean_absolute_percentage_error", "mean_squared_logarithmic_error",
                     "logcosh", "kullback_leibler_divergence", "poisson")}
    values["hinge"] = losses.hinge(signs, logits)
    values["squared_hinge"] = losses.squared_hinge(signs, logits)
    values["sparse_logits"] = losses.SparseCategoricalCrossentropy(from_logits=True)(
        np.array([0, 2, 1, 2]), logits, sample_weight=weights)
    values["categorical_smoothed"] = losses.CategoricalCrossentropy(
        from_logits=True, label_smoothing=0.2)(onehot, logits)
    values["binary_sum"] = losses.BinaryCrossentropy(reduction="sum")(
        (y_true > 0.5).astype(np.float32), y_pred)
    values["mse_object"] = losses.MeanSquaredError()(y_true, y_pred, sample_weight=weights)
    session = tf.compat.v1.keras.backend.get_session()
    out = {name: session.run(value) for name, value in values.items()}
    labels = (rng.rand(50) > 0.5).astype(np.float32)
    scores = np.clip(labels * 0.3 + rng.rand(50) * 0.7, 0, 1).astype(np.float32)
    sample_weights = rng.uniform(0.5, 2.0, size=50).astype(np.float32)
    metrics = {"auc": keras.metrics.AUC(), "auc_pr": keras.metrics.AUC(curve="PR"),
               "precision": keras.metrics.Precision(), "recall": keras.metrics.Recall(),
               "auc_weighted": keras.metrics.AUC(num_thresholds=50)}
    for name, metric in metrics.items():
        weights_or_none = sample_weights if name == "auc_weighted" else None
        updates = [metric.update_state(labels[i:i + 20], scores[i:i + 20],
                                       None if weights_or_none is None
                                       else weights_or_none[i:i + 20])
                   for i in range(0, 50, 20)]
        session.run(tf.compat.v1.variables_initializer(metric.variables))
        session.run(updates)
        out[f"metric_{name}"] = session.run(metric.result())
    np.savez(os.path.join(HERE, "keras_loss_goldens.npz"), y_true=y_true, y_pred=y_pred,
             signs=signs, logits=logits, onehot=onehot, weights=weights, labels=labels,
             scores=scores, sample_weights=sample_weights, **out)


TEXTS = ["The cat sat on the mat.", "The dog ate my homework!", "Cats and dogs; the end",
         "A\tTAB-separated line\nwith a newline"]


def write_text_goldens():
    """Tokenizer and pad_sequences results of keras.preprocessing on TEXTS."""
    from tf_keras.preprocessing import sequence, text
    result = {}
    for name, kwargs in {"default": {}, "oov": {"num_words": 6, "oov_token": "<unk>"},
                         "chars": {"char_level": True, "lower": False}}.items():
        tokenizer = text.Tokenizer(**kwargs)
        tokenizer.fit_on_texts(TEXTS)
        sequences = tokenizer.texts_to_sequences(TEXTS + ["an unseen cat"])
        result[name] = {"word_index": tokenizer.word_index, "sequences": sequences,
                        "texts": tokenizer.sequences_to_texts(sequences),
                        "matrices": {mode: tokenizer.texts_to_matrix(TEXTS, mode).tolist()
                                     for mode in ("binary", "count", "tfidf", "freq")}}
    padded = {}
    for padding in ("pre", "post"):
        for truncating in ("pre", "post"):
            padded[f"{padding}-{truncating}"] = sequence.pad_sequences(
                result["default"]["sequences"], maxlen=4, padding=padding,
                truncating=truncating, value=-1).tolist()
    result["padded"] = padded
    result["padded_default"] = sequence.pad_sequences(result["default"]["sequences"]).tolist()
    result["words"] = text.text_to_word_sequence(TEXTS[3])
    with open(os.path.join(HERE, "keras_text_goldens.json"), "w") as f:
        json.dump(result, f, indent=0)


MASKED = {
    "masked_lstm": (lambda: [L.Embedding(6, 3, mask_zero=True),
                             lstm_v1.LSTM(4, return_sequences=True)], "ids"),
    "masked_bidirectional": (lambda: [L.Embedding(6, 3, mask_zero=True), L.Bidirectional(
        lstm_v1.LSTM(2, return_sequences=True))], "ids"),
    "masking_gru": (lambda: [L.Masking(), gru_v1.GRU(3, go_backwards=True)], "floats"),
    "masking_simple_rnn": (lambda: [L.Masking(), L.SimpleRNN(2, unroll=True)], "floats"),
}


def write_masked(out, rng):
    """Masked sequences (padding ids 0 / all-zero steps, at both ends) through RNNs."""
    ids = np.array([[0, 0, 3, 1, 5], [2, 4, 0, 1, 0]], np.int32)
    floats = rng.normal(size=(2, 5, 3)).astype(np.float32)
    floats[0, :2] = 0.0
    floats[1, 2] = floats[1, 4] = 0.0
    for name, (make, kind) in MASKED.items():
        keras.backend.clear_session()
        x = ids if kind == "ids" else floats
        inputs = keras.Input(batch_shape=x.shape, dtype=x.dtype.name)
        outputs = inputs
        for layer in make():
            outputs = layer(outputs)
        model = keras.Model(inputs, outputs)
        weights = [rng.normal(size=w.shape).astype(np.float32) for w in model.get_weights()]
        model.set_weights(weights)
        out[f"{name}/x"] = x
        out[f"{name}/y"] = model.predict(x)
        for i, w in enumerate(weights):
            out[f"{name}/w{i}"] = w


def write_checkpoint(rng):
    """A small model's weights saved by Model.save_weights (TF format) plus its predictions."""
    keras.backend.clear_session()
    inputs = keras.Input((4,))
    hidden = L.Dense(3, activation="relu")(inputs)
    hidden = L.BatchNormalization()(hidden)
    outputs = L.Dense(2)(hidden)
    model = keras.Model(inputs, outputs)
    weights = [rng.normal(size=w.shape).astype(np.float32) for w in model.get_weights()]
    weights[5] = np.abs(weights[5]) + 0.5
    model.set_weights(weights)
    directory = os.path.join(HERE, "keras_ckpt")
    shutil.rmtree(directory, ignore_errors=True)
    model.save_weights(os.path.join(directory, "weights"))
    x = rng.normal(size=(5, 4)).astype(np.float32)
    np.savez(os.path.join(directory, "expected.npz"), x=x, y=model.predict(x))


if __name__ == "__main__":
    main()

"""tf.keras layers against TF 2.21's tf_keras in graph mode (tests/golden/keras_goldens.npz,
written by tests/golden/make_keras_goldens.py): the same weights and input give the same
output, and the variables have TF's names."""
import os

import numpy as np
import pytest

import tfcompat as tf

keras = tf.keras
L = keras.layers
GOLDEN = np.load(os.path.join(os.path.dirname(__file__), "..", "golden", "keras_goldens.npz"))
CASES = {
    "conv1d": lambda: L.Conv1D(3, 2, strides=2, padding="same", activation="relu"),
    "conv2d": lambda: L.Conv2D(3, (3, 2), padding="valid"),
    "conv2d_transpose": lambda: L.Conv2DTranspose(2, 3, strides=2, padding="same"),
    "separable_conv2d": lambda: L.SeparableConv2D(4, 3, depth_multiplier=2),
    "depthwise_conv2d": lambda: L.DepthwiseConv2D(3, depth_multiplier=2, padding="same"),
    "max_pooling1d": lambda: L.MaxPooling1D(),
    "average_pooling1d": lambda: L.AveragePooling1D(3, padding="same"),
    "max_pooling2d": lambda: L.MaxPooling2D((2, 3)),
    "average_pooling2d": lambda: L.AveragePooling2D(strides=1),
    "global_average_pooling2d": lambda: L.GlobalAveragePooling2D(),
    "global_max_pooling1d": lambda: L.GlobalMaxPooling1D(),
    "zero_padding2d": lambda: L.ZeroPadding2D(((1, 2), (0, 1))),
    "cropping2d": lambda: L.Cropping2D(((1, 0), (1, 2))),
    "up_sampling2d": lambda: L.UpSampling2D((2, 3)),
    "up_sampling1d": lambda: L.UpSampling1D(3),
    "reshape": lambda: L.Reshape((-1, 2)),
    "permute": lambda: L.Permute((2, 1)),
    "repeat_vector": lambda: L.RepeatVector(3),
    "leaky_re_lu": lambda: L.LeakyReLU(),
    "p_re_lu": lambda: L.PReLU(shared_axes=[1]),
    "elu": lambda: L.ELU(alpha=0.5),
    "re_lu": lambda: L.ReLU(max_value=0.8, negative_slope=0.1, threshold=0.2),
    "softmax": lambda: L.Softmax(axis=1),
    "batch_normalization": lambda: L.BatchNormalization(momentum=0.5),
    "dense": lambda: L.Dense(3, activation="tanh"),
    "separable_conv1d": lambda: L.SeparableConv1D(3, 2, strides=2, depth_multiplier=2,
                                                  padding="same"),
    "layer_normalization": lambda: L.LayerNormalization(),
    "conv_lstm2d": lambda: L.ConvLSTM2D(3, (3, 2), padding="same", return_sequences=True),
    "conv_lstm2d_strided": lambda: L.ConvLSTM2D(2, 3, strides=2, go_backwards=True),
    "locally_connected1d": lambda: L.LocallyConnected1D(2, 3, strides=2),
    "locally_connected2d": lambda: L.LocallyConnected2D(3, (2, 3), strides=(2, 1),
                                                        activation="relu"),
}
MERGES = {"add": L.Add, "subtract": L.Subtract, "multiply": L.Multiply,
          "average": L.Average, "maximum": L.Maximum, "minimum": L.Minimum,
          "concatenate": lambda: L.Concatenate(axis=1), "dot": lambda: L.Dot(axes=1),
          "dot_normalized": lambda: L.Dot(axes=(2, 2), normalize=True)}


@pytest.mark.parametrize("name", sorted(CASES))
def test_layer_matches_tensorflow(name):
    tf.reset_default_graph()
    layer = CASES[name]()
    x = GOLDEN[f"{name}/x"]
    inputs = keras.Input(batch_shape=x.shape)
    outputs = layer(inputs)
    names = [str(n) for n in GOLDEN[f"{name}/names"]]
    if name.startswith("conv_lstm2d"):  # TF 1.15 snake-cases ConvLSTM2D as "conv_lst_m2d"
        names = ["conv_lst_m2d/" + n.split("/")[-1] for n in names]
    assert [w.name for w in layer.weights] == names
    layer.set_weights([GOLDEN[f"{name}/w{i}"] for i in range(len(layer.weights))])
    session = keras.backend.get_session()
    expected = GOLDEN[f"{name}/y"]
    assert outputs.shape.as_list() == list(expected.shape)
    np.testing.assert_allclose(session.run(outputs, {inputs: x}), expected, rtol=1e-5,
                               atol=1e-5)
    if name == "batch_normalization":
        training = session.run(outputs, {inputs: x, keras.backend.learning_phase(): True})
        np.testing.assert_allclose(training, GOLDEN[f"{name}/y_training"], rtol=1e-4,
                                   atol=1e-4)


@pytest.mark.parametrize("name", sorted(MERGES))
def test_merge_layer_matches_tensorflow(name):
    tf.reset_default_graph()
    xa, xb = GOLDEN[f"{name}/xa"], GOLDEN[f"{name}/xb"]
    a, b = keras.Input(batch_shape=xa.shape), keras.Input(batch_shape=xb.shape)
    outputs = MERGES[name]()([a, b])
    np.testing.assert_allclose(keras.backend.get_session().run(outputs, {a: xa, b: xb}),
                               GOLDEN[f"{name}/y"], rtol=1e-5, atol=1e-6)


def test_embedding_lambda_noise_dropout_follow_learning_phase():
    tf.reset_default_graph()
    tf.set_random_seed(0)
    ids = keras.Input((3,), dtype="int32")
    embedding = L.Embedding(10, 4)
    vectors = embedding(ids)
    assert [w.name for w in embedding.weights] == ["embedding/embeddings:0"]
    assert vectors.shape.as_list() == [None, 3, 4]
    doubled = L.Lambda(lambda t, factor: t * factor, arguments={"factor": 2.0})(vectors)
    noisy = L.GaussianNoise(1.0)(doubled)
    dropped = L.SpatialDropout1D(0.5)(noisy)
    session = keras.backend.get_session()
    table = session.run(embedding.embeddings)
    assert np.abs(table).max() <= 0.05
    feed = {ids: [[1, 2, 9]]}
    np.testing.assert_allclose(session.run(dropped, feed), 2 * table[[[1, 2, 9]]], rtol=1e-6)
    training = session.run(dropped, {**feed, keras.backend.learning_phase(): True})
    zeroed = np.all(training == 0, axis=1)  # spatial dropout drops whole channels
    assert zeroed.any() or not np.allclose(training, 2 * table[[[1, 2, 9]]])
    assert np.all(np.any(training != 0, axis=1) | zeroed)


def test_alpha_dropout_keeps_selu_statistics():
    tf.reset_default_graph()
    tf.set_random_seed(1)
    x = keras.Input((20000,))
    y = L.AlphaDropout(0.3)(x)
    data = np.random.RandomState(0).normal(size=(1, 20000)).astype(np.float32)
    session = keras.backend.get_session()
    np.testing.assert_array_equal(session.run(y, {x: data}), data)
    dropped = session.run(y, {x: data, keras.backend.learning_phase(): True})
    assert abs(dropped.mean()) < 0.05 and abs(dropped.std() - 1.0) < 0.05
    alpha_p = -1.6732632423543772 * 1.0507009873554805
    a = (0.7 * (1 + 0.3 * alpha_p ** 2)) ** -0.5
    dropped_value = a * alpha_p * 0.7  # a * alpha_p + b with b = -a * alpha_p * rate
    assert abs(np.mean(np.isclose(dropped, dropped_value)) - 0.3) < 0.02


def test_batch_normalization_updates_run_in_fit():
    tf.reset_default_graph()
    model = keras.Sequential([L.BatchNormalization(input_shape=(2,), momentum=0.0)])
    model.compile("sgd", "mse")
    x = np.array([[1.0, 2.0], [3.0, 6.0]], np.float32)
    model.fit(x, x, batch_size=2, epochs=1, verbose=0, shuffle=False)
    layer = model.layers[0]
    assert [w.name for w in layer.weights] == [
        "batch_normalization/gamma:0", "batch_normalization/beta:0",
        "batch_normalization/moving_mean:0", "batch_normalization/moving_variance:0"]
    mean, variance = keras.backend.batch_get_value([layer.moving_mean, layer.moving_variance])
    np.testing.assert_allclose(mean, [2.0, 4.0])
    np.testing.assert_allclose(variance, [1.0, 4.0])  # the batch variance (not fused)
    assert len(layer.non_trainable_weights) == 2 and len(model.trainable_weights) == 2


def test_layer_errors_and_shapes():
    tf.reset_default_graph()
    with pytest.raises(ValueError, match="should be called on a list of inputs"):
        L.Add()(keras.Input((2,)))
    with pytest.raises(ValueError, match="must be consecutive and start from 1"):
        L.Permute((2, 3))
    with pytest.raises(ValueError, match="total size of new array must be unchanged"):
        L.Reshape((5,))(keras.Input((2, 2)))
    assert L.Flatten()(keras.Input((2, 3, 4))).shape.as_list() == [None, 24]
    assert L.Cropping1D((1, 2))(keras.Input((6, 3))).shape.as_list() == [None, 3, 3]
    assert L.ZeroPadding1D(2)(keras.Input((6, 3))).shape.as_list() == [None, 10, 3]
    assert L.GlobalMaxPooling2D()(keras.Input((4, 4, 5))).shape.as_list() == [None, 5]
    dense = L.Dense(2, kernel_regularizer=keras.regularizers.l2(0.1), input_shape=(3,))
    model = keras.Sequential([dense, L.ActivityRegularization(l1=0.01)])
    assert len(model.losses) == 2


RECURRENT = {
    "simple_rnn": lambda: L.SimpleRNN(4, return_sequences=True, return_state=True),
    "lstm": lambda: L.LSTM(4, return_sequences=True, return_state=True),
    "gru": lambda: L.GRU(3, return_state=True, go_backwards=True),
    "lstm_unrolled": lambda: L.LSTM(2, unroll=True),
    "time_distributed": lambda: L.TimeDistributed(L.Dense(3)),
    "gru_reset_after": lambda: L.GRU(3, reset_after=True, return_sequences=True),
    "bidirectional_lstm": lambda: L.Bidirectional(L.LSTM(3, return_sequences=True)),
    "bidirectional_gru": lambda: L.Bidirectional(L.GRU(2, return_state=True),
                                                 merge_mode="ave"),
}


@pytest.mark.parametrize("name", sorted(RECURRENT))
def test_recurrent_layer_matches_tensorflow_v1_layers(name):
    tf.reset_default_graph()
    layer = RECURRENT[name]()
    x = GOLDEN[f"{name}/x"]
    inputs = keras.Input(batch_shape=x.shape)
    outputs = layer(inputs)
    outputs = outputs if isinstance(outputs, list) else [outputs]
    # TF 2.21 puts the cell's name in the path ("lstm/lstm_cell/kernel"); TF 1.15 did not
    # ("lstm/kernel": the cell's name scope was skipped, tensorflow/tensorflow#33776).
    expected_names = ["/".join(part for part in str(n).split("/")
                               if not part.endswith("_cell"))
                      for n in GOLDEN[f"{name}/names"]]
    assert [w.name for w in layer.weights] == expected_names
    layer.set_weights([GOLDEN[f"{name}/w{i}"] for i in range(len(layer.weights))])
    values = keras.backend.get_session().run(outputs, {inputs: x})
    for index, value in enumerate(values):
        expected = GOLDEN[f"{name}/y{index}"]
        assert outputs[index].shape.as_list() == list(expected.shape)
        np.testing.assert_allclose(value, expected, rtol=1e-5, atol=1e-5)


def test_lstm_trains_with_dropout_and_unknown_length():
    tf.reset_default_graph()
    tf.set_random_seed(0)
    np.random.seed(0)
    x = np.random.RandomState(0).normal(size=(64, 6, 2)).astype(np.float32)
    y = x[:, :, 0].sum(axis=1, keepdims=True)
    model = keras.Sequential([L.LSTM(8, dropout=0.1, recurrent_dropout=0.1,
                                     input_shape=(None, 2)),
                              L.Dense(1)])
    assert model.output.shape.as_list() == [None, 1]
    model.compile(keras.optimizers.Adam(0.02), "mse")
    history = model.fit(x, y, epochs=8, batch_size=16, verbose=0)
    assert history.history["loss"][-1] < 0.5 * history.history["loss"][0]
    np.testing.assert_array_equal(model.predict(x[:4]), model.predict(x[:4]))
    assert model.predict(x[:2, :3]).shape == (2, 1)  # any sequence length


def test_cudnn_layers_compute_tensorflow_equivalents():
    """CuDNNLSTM = LSTM with sigmoid gates and the sum of its two biases; CuDNNGRU = GRU with
    sigmoid gates, reset_after and the [input; recurrent] biases flattened."""
    for name, make, convert in (
            ("lstm_sigmoid", lambda: L.CuDNNLSTM(3, return_sequences=True),
             lambda bias: np.concatenate([bias - 0.25, np.full_like(bias, 0.25)])),
            ("gru_cudnn_form", lambda: L.CuDNNGRU(2, return_state=True),
             lambda bias: bias.reshape(-1))):
        tf.reset_default_graph()
        x = GOLDEN[f"{name}/x"]
        inputs = keras.Input(batch_shape=x.shape)
        layer = make()
        outputs = layer(inputs)
        outputs = outputs if isinstance(outputs, list) else [outputs]
        kernel, recurrent, bias = (GOLDEN[f"{name}/w{i}"] for i in range(3))
        assert layer.weights[2].shape.as_list() == [convert(bias).size]  # 8 or 6 * units
        layer.set_weights([kernel, recurrent, convert(bias)])
        values = keras.backend.get_session().run(outputs, {inputs: x})
        for index, value in enumerate(values):
            np.testing.assert_allclose(value, GOLDEN[f"{name}/y{index}"], rtol=1e-5,
                                       atol=1e-5)
    assert L.CuDNNLSTM(2).cell.unit_forget_bias


MASKED = {
    "masked_lstm": (lambda: [L.Embedding(6, 3, mask_zero=True),
                             L.LSTM(4, return_sequences=True)], "int32"),
    "masked_bidirectional": (lambda: [L.Embedding(6, 3, mask_zero=True), L.Bidirectional(
        L.LSTM(2, return_sequences=True))], "int32"),
    "masking_gru": (lambda: [L.Masking(), L.GRU(3, go_backwards=True)], "float32"),
    "masking_simple_rnn": (lambda: [L.Masking(), L.SimpleRNN(2, unroll=True)], "float32"),
}


@pytest.mark.parametrize("name", sorted(MASKED))
def test_masked_sequences_match_tensorflow(name):
    """Embedding(mask_zero=True) / Masking masks reach the RNNs: masked steps keep the
    previous output and state (padding at the start and at the end)."""
    tf.reset_default_graph()
    make, dtype = MASKED[name]
    x = GOLDEN[f"{name}/x"]
    inputs = keras.Input(batch_shape=x.shape, dtype=dtype)
    outputs = inputs
    for layer in make():
        outputs = layer(outputs)
    model = keras.Model(inputs, outputs)
    model.set_weights([GOLDEN[f"{name}/w{i}"] for i in range(len(model.weights))])
    np.testing.assert_allclose(model.predict(x), GOLDEN[f"{name}/y"], rtol=1e-5, atol=1e-5)


def test_3d_shape_layers_and_a_user_cell():
    tf.reset_default_graph()
    volume = np.random.RandomState(0).normal(size=(1, 2, 3, 4, 2)).astype(np.float32)
    x = keras.Input((2, 3, 4, 2))
    outputs = [L.ZeroPadding3D(((1, 0), (0, 2), (1, 1)))(x),
               L.Cropping3D(((0, 1), (1, 1), (1, 2)))(x),
               L.UpSampling3D((1, 2, 3))(x), L.GlobalAveragePooling3D()(x),
               L.SpatialDropout3D(0.5)(x)]
    values = keras.backend.get_session().run(outputs, {x: volume})
    expected = [np.pad(volume, [(0, 0), (1, 0), (0, 2), (1, 1), (0, 0)]),
                volume[:, :1, 1:2, 1:2], volume.repeat(2, axis=2).repeat(3, axis=3),
                volume.mean(axis=(1, 2, 3)), volume]
    for value, tensor, want in zip(values, outputs, expected, strict=True):
        np.testing.assert_allclose(value, want, rtol=1e-6)
        assert tensor.shape.as_list() == [None] + list(want.shape[1:])

    class Accumulator(L.AbstractRNNCell):
        """output = state + inputs @ kernel."""

        state_size = [2]
        output_size = 2

        def build(self, input_shape):
            self.kernel = self.add_weight("kernel", (input_shape[-1].value, 2),
                                          initializer="ones")
            self.built = True

        def call(self, inputs, states):
            output = states[0] + tf.matmul(inputs, self.kernel)
            return output, [output]
    sequence = keras.Input((4, 3))
    total = L.RNN(Accumulator())(sequence)
    data = np.arange(12.0, dtype=np.float32).reshape(1, 4, 3)
    np.testing.assert_allclose(keras.backend.get_session().run(total, {sequence: data}),
                               [[66.0, 66.0]])

"""tf.estimator warm starting: ``warm_start_from`` (a model directory or WarmStartSettings,
with renamed variables) initialises a new Estimator's trainable variables from another
model's checkpoint while the global step starts over; TF's errors."""
import numpy as np
import pytest

import tfcompat as tf

X = np.linspace(-1, 1, 20, dtype=np.float32).reshape(-1, 1)
Y = 3 * X + 1


def _model_fn(weight_name):
    def model_fn(features, labels, mode, params):
        w = tf.get_variable(weight_name, [1, 1], initializer=tf.zeros_initializer())
        b = tf.get_variable("b", [1], initializer=tf.zeros_initializer())
        loss = tf.reduce_mean(tf.square(tf.matmul(features["x"], w) + b - labels))
        train_op = tf.train.GradientDescentOptimizer(params["learning_rate"]).minimize(
            loss, global_step=tf.train.get_global_step())
        return tf.estimator.EstimatorSpec(mode, loss=loss, train_op=train_op)
    return model_fn


def _input():
    return tf.estimator.inputs.numpy_input_fn({"x": X}, Y, batch_size=20, num_epochs=None,
                                              shuffle=False)


def test_warm_start_from_a_model_dir_and_with_renames(tmp_path):
    first = tf.estimator.Estimator(_model_fn("w"), model_dir=str(tmp_path / "first"),
                                   params={"learning_rate": 0.3})
    first.train(_input(), steps=10)
    trained_w, trained_b = first.get_variable_value("w"), first.get_variable_value("b")
    assert abs(trained_w[0, 0]) > 1.0
    # a learning rate of 0 keeps the warm-started values through one step
    second = tf.estimator.Estimator(_model_fn("w"), model_dir=str(tmp_path / "second"),
                                    params={"learning_rate": 0.0},
                                    warm_start_from=first.model_dir)
    second.train(_input(), steps=1)
    np.testing.assert_array_equal(second.get_variable_value("w"), trained_w)
    np.testing.assert_array_equal(second.get_variable_value("b"), trained_b)
    assert second.get_variable_value("global_step") == 1
    settings = tf.estimator.WarmStartSettings(first.model_dir, vars_to_warm_start="kernel",
                                              var_name_to_prev_var_name={"kernel": "w"})
    assert settings.var_name_to_vocab_info == {}
    third = tf.estimator.Estimator(_model_fn("kernel"), model_dir=str(tmp_path / "third"),
                                   params={"learning_rate": 0.0}, warm_start_from=settings)
    third.train(_input(), steps=1)
    np.testing.assert_array_equal(third.get_variable_value("kernel"), trained_w)
    np.testing.assert_array_equal(third.get_variable_value("b"), [0.0])  # not selected


def test_errors():
    with pytest.raises(ValueError, match="`ckpt_to_initialize_from` MUST be set in "
                                         "WarmStartSettings"):
        tf.estimator.WarmStartSettings("")
    with pytest.raises(ValueError, match="warm_start_from must be a string or a "
                                         "WarmStartSettings, instead got <class 'int'>"):
        tf.estimator.Estimator(_model_fn("w"), warm_start_from=3)

"""tf.estimator.experimental: early stopping hooks reading the eval directory's metrics, the
logit function builders and call_logit_fn."""
import numpy as np
import pytest

import tfcompat as tf

RNG = np.random.RandomState(2)
X = RNG.normal(size=(80, 2)).astype(np.float32)
Y = (X @ np.array([1.5, -1.0], np.float32))[:, None]
COLUMNS = [tf.feature_column.numeric_column("x", shape=[2])]
experimental = tf.estimator.experimental


def _input(epochs=None):
    return tf.estimator.inputs.numpy_input_fn({"x": X}, Y, batch_size=20, num_epochs=epochs,
                                              shuffle=False)


def _write_eval_losses(eval_dir, losses):
    writer = tf.summary.FileWriter(str(eval_dir))
    for step, loss in losses:
        writer.add_summary(tf.Summary(value=[tf.Summary.Value(tag="loss", simple_value=loss)]),
                           step)
    writer.close()


def test_read_eval_metrics_of_estimator_evaluations(tmp_path):
    estimator = tf.estimator.LinearRegressor(COLUMNS, model_dir=str(tmp_path))
    estimator.train(_input(), steps=2)
    first = estimator.evaluate(_input(epochs=1))
    estimator.train(_input(), steps=3)
    second = estimator.evaluate(_input(epochs=1))
    from tfcompat.estimator.early_stopping import read_eval_metrics
    metrics = read_eval_metrics(estimator.eval_dir())
    assert list(metrics) == [2, 5]
    assert metrics[2]["loss"] == pytest.approx(first["loss"])
    assert metrics[5]["average_loss"] == pytest.approx(second["average_loss"])


@pytest.mark.parametrize("make_hook, stops", [
    (lambda est, d: experimental.stop_if_lower_hook(est, "loss", 0.55, eval_dir=d,
                                                    run_every_secs=None, run_every_steps=1),
     True),
    (lambda est, d: experimental.stop_if_higher_hook(est, "loss", 1.0, eval_dir=d,
                                                     run_every_secs=None, run_every_steps=1),
     False),
    (lambda est, d: experimental.stop_if_no_decrease_hook(est, "loss", 20, eval_dir=d,
                                                          run_every_secs=None,
                                                          run_every_steps=1), True),
    (lambda est, d: experimental.stop_if_no_decrease_hook(est, "loss", 25, eval_dir=d,
                                                          run_every_secs=None,
                                                          run_every_steps=1), False),
    (lambda est, d: experimental.stop_if_no_increase_hook(est, "loss", 10, eval_dir=d,
                                                          min_steps=25, run_every_secs=None,
                                                          run_every_steps=1), False),
])
def test_early_stopping_hooks(tmp_path, make_hook, stops):
    eval_dir = tmp_path / "metrics"
    # best loss at step 20; higher again at 30 and 40
    _write_eval_losses(eval_dir, [(10, 1.0), (20, 0.5), (30, 0.6), (40, 0.7)])
    estimator = tf.estimator.LinearRegressor(COLUMNS, model_dir=str(tmp_path / "model"))
    hook = make_hook(estimator, str(eval_dir))
    stop_flag = _StopFlag()
    estimator.train(_input(), steps=4, hooks=[hook, stop_flag])
    assert estimator.get_variable_value("global_step") == (1 if stops else 4)
    assert stop_flag.value == stops


class _StopFlag(tf.train.SessionRunHook):
    """Reads signal_early_stopping/STOP when the session ends."""

    def end(self, session):
        stop = [v for v in tf.global_variables() if v.op.name == "signal_early_stopping/STOP"]
        self.value = bool(session.run(stop[0]))


def test_early_stopping_argument_errors():
    estimator = tf.estimator.LinearRegressor(COLUMNS)
    with pytest.raises(ValueError, match="Only one of run_every_secs and run_every_steps"):
        experimental.make_early_stopping_hook(estimator, lambda: True, run_every_secs=1,
                                              run_every_steps=1)
    with pytest.raises(TypeError, match="`should_stop_fn` must be callable"):
        experimental.make_early_stopping_hook(estimator, True)


def test_logit_fn_builders_in_a_custom_model_fn(tmp_path):
    def model_fn(features, labels, mode, params):
        dnn = experimental.dnn_logit_fn_builder(1, [4], COLUMNS, tf.nn.relu, None, None, False)
        linear = experimental.linear_logit_fn_builder(1, COLUMNS)
        with tf.variable_scope("dnn"):
            deep = experimental.call_logit_fn(dnn, features, mode, params, None)
        with tf.variable_scope("linear"):
            wide = experimental.call_logit_fn(linear, features, mode, params, None)
        loss = tf.losses.mean_squared_error(labels, deep + wide)
        train_op = tf.train.GradientDescentOptimizer(0.05).minimize(
            loss, global_step=tf.train.get_global_step())
        return tf.estimator.EstimatorSpec(mode, loss=loss, train_op=train_op)
    estimator = tf.estimator.Estimator(model_fn, model_dir=str(tmp_path))
    estimator.train(_input(), steps=2)
    assert [n for n in estimator.get_variable_names() if n != "global_step"] == [
        "dnn/hiddenlayer_0/bias", "dnn/hiddenlayer_0/kernel", "dnn/logits/bias",
        "dnn/logits/kernel", "linear/linear_model/bias_weights",
        "linear/linear_model/x/weights"]
    with pytest.raises(ValueError, match="logit_fn should return a Tensor or a dictionary"):
        experimental.call_logit_fn(lambda features: [1.0], {}, "train", None, None)


def test_in_memory_evaluator_hook_evaluates_while_training(tmp_path):
    estimator = tf.estimator.LinearRegressor(COLUMNS, model_dir=str(tmp_path),
                                             optimizer=tf.train.GradientDescentOptimizer(0.01),
                                             config=tf.estimator.RunConfig(
                                                 save_checkpoints_steps=1000))
    evaluator = experimental.InMemoryEvaluatorHook(estimator, _input(epochs=1),
                                                   every_n_iter=4, name="in_memory")
    estimator.train(_input(), steps=10, hooks=[evaluator])
    from tfcompat.estimator.early_stopping import read_eval_metrics
    metrics = read_eval_metrics(estimator.eval_dir("in_memory"))
    # before training (step 0), every 4 steps (the hook counts its own runs), at the end
    assert list(metrics) == [0, 4, 8, 10]
    assert metrics[0]["average_loss"] == pytest.approx(float(np.mean(Y ** 2)), rel=1e-5)
    losses = [m["average_loss"] for m in metrics.values()]
    assert losses == sorted(losses, reverse=True)
    final = estimator.evaluate(_input(epochs=1))   # from the step-10 checkpoint
    assert metrics[10]["average_loss"] == pytest.approx(final["average_loss"], rel=1e-5)
    with pytest.raises(ValueError, match="invalid every_n_iter=0"):
        experimental.InMemoryEvaluatorHook(estimator, _input(epochs=1), every_n_iter=0)


def test_stop_at_checkpoint_step_hook(tmp_path):
    estimator = tf.estimator.LinearRegressor(COLUMNS, model_dir=str(tmp_path))
    hook = experimental.make_stop_at_checkpoint_step_hook(estimator, last_step=3)
    estimator.train(_input(), steps=10, hooks=[hook])
    assert estimator.get_variable_value("global_step") == 3

"""slim.learning (create_train_op, train, multiply_gradients, clip_gradient_norms),
slim.evaluation.evaluate_once/evaluation_loop and slim.queues."""
import os

import numpy as np
import pytest

import tfcompat as tf

slim = tf.contrib.slim


def _model(seed=0):
    rng = np.random.RandomState(seed)
    x = tf.constant(rng.randn(8, 4).astype(np.float32))
    y = tf.constant(np.arange(8) % 3)
    net = slim.fully_connected(x, 5, scope="fc1")
    logits = slim.fully_connected(net, 3, activation_fn=None, scope="logits")
    slim.losses.sparse_softmax_cross_entropy(logits, y)
    return logits, y


def test_create_train_op_applies_multipliers_clipping_and_update_ops():
    with tf.Graph().as_default():
        _model()
        counter = tf.Variable(0.0, trainable=False)
        tf.add_to_collection(tf.GraphKeys.UPDATE_OPS, tf.assign_add(counter, 1.0))
        total = slim.losses.get_total_loss()
        w = slim.get_unique_variable("logits/weights")
        grad = tf.gradients(total, w)[0]
        train_op = slim.learning.create_train_op(
            total, tf.train.GradientDescentOptimizer(1.0),
            gradient_multipliers={"logits/weights": 3.0}, clip_gradient_norm=0.05)
        assert train_op.op.name == "train_op/control_dependency"
        assert tf.get_collection(tf.GraphKeys.TRAIN_OP)[-1] is train_op
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            before, g = sess.run([w, grad])
            sess.run(train_op)
            after, step, count = sess.run([w, tf.train.get_global_step(), counter])
        scaled = 3.0 * g
        clipped = scaled * min(1.0, 0.05 / np.linalg.norm(scaled))
        np.testing.assert_allclose(before - after, clipped, rtol=1e-4, atol=1e-7)
        assert step == 1 and count >= 1.0


def test_multiply_and_clip_gradients_errors_and_values():
    with tf.Graph().as_default():
        v = tf.Variable([3.0, 4.0], name="v")
        g = tf.constant([3.0, 4.0])
        with pytest.raises(ValueError, match="`grads_and_vars` must be a list."):
            slim.learning.multiply_gradients(((g, v),), {v: 2.0})
        with pytest.raises(ValueError, match="`gradient_multipliers` is empty."):
            slim.learning.multiply_gradients([(g, v)], {})
        with pytest.raises(ValueError, match="Requested multiple of `None` gradient."):
            slim.learning.multiply_gradients([(None, v)], {"v": 2.0})
        [(scaled, _)] = slim.learning.multiply_gradients([(g, v)], {v: 2.0})
        [(clipped, _), (none, _)] = slim.learning.clip_gradient_norms([(g, v), (None, v)], 1.0)
        with tf.Session() as sess:
            np.testing.assert_allclose(sess.run(scaled), [6.0, 8.0])
            np.testing.assert_allclose(sess.run(clipped), [0.6, 0.8], rtol=1e-6)
        assert none is None


def test_train_saves_checkpoint_and_resumes(tmp_path):
    logdir = str(tmp_path / "train")
    losses = []
    for steps in (3, 5):
        with tf.Graph().as_default():
            _model()
            train_op = slim.learning.create_train_op(
                slim.losses.get_total_loss(), tf.train.GradientDescentOptimizer(0.5))
            losses.append(slim.learning.train(train_op, logdir, number_of_steps=steps,
                                              log_every_n_steps=0, save_summaries_secs=0,
                                              save_interval_secs=0))
    assert tf.train.latest_checkpoint(logdir).endswith("model.ckpt-5")
    assert losses[1] < losses[0]
    with pytest.raises(ValueError, match="`number_of_steps` must be either None"):
        slim.learning.train(train_op, logdir, number_of_steps=0)
    with pytest.raises(ValueError, match="Cannot provide saver because logdir=None"):
        slim.learning.train(train_op, None, saver=object())


def test_train_calls_init_fn_and_stops_on_out_of_range(tmp_path):
    calls = []
    with tf.Graph().as_default():
        data = tf.data.Dataset.from_tensor_slices(np.ones((4, 2), np.float32))
        x = data.make_one_shot_iterator().get_next()
        w = tf.Variable([1.0, 1.0])
        loss = tf.reduce_sum(tf.square(w * x))
        train_op = slim.learning.create_train_op(loss, tf.train.GradientDescentOptimizer(0.1))
        slim.learning.train(train_op, str(tmp_path), init_fn=lambda sess: calls.append(1),
                            save_summaries_secs=0, save_interval_secs=0)
    reader = tf.train.NewCheckpointReader(tf.train.latest_checkpoint(str(tmp_path)))
    assert calls == [1] and reader.get_tensor("global_step") == 4


def test_evaluate_once_and_loop_return_final_metrics(tmp_path):
    logdir = str(tmp_path / "train")
    with tf.Graph().as_default():
        _model()
        train_op = slim.learning.create_train_op(slim.losses.get_total_loss(),
                                                 tf.train.GradientDescentOptimizer(0.5))
        slim.learning.train(train_op, logdir, number_of_steps=2, save_summaries_secs=0,
                            save_interval_secs=0)
    checkpoint = tf.train.latest_checkpoint(logdir)
    with tf.Graph().as_default():
        logits, labels = _model()
        with tf.Session() as sess:
            tf.train.Saver().restore(sess, checkpoint)
            expected = np.mean(sess.run(tf.argmax(logits, 1)) == np.arange(8) % 3)
    results = []
    for run_loop in (False, True):
        with tf.Graph().as_default():
            logits, labels = _model()
            tf.train.get_or_create_global_step()
            values, updates = slim.metrics.aggregate_metric_map({
                "accuracy": slim.metrics.streaming_accuracy(tf.argmax(logits, 1), labels)})
            tf.summary.scalar("accuracy", values["accuracy"])
            if run_loop:
                result = slim.evaluation.evaluation_loop(
                    "", logdir, str(tmp_path / "eval"), num_evals=1,
                    eval_op=list(updates.values()), final_op=values["accuracy"],
                    eval_interval_secs=0, max_number_of_evaluations=1)
            else:
                result = slim.evaluation.evaluate_once(
                    "", checkpoint, str(tmp_path / "eval"), num_evals=2,
                    eval_op=list(updates.values()), final_op=values)["accuracy"]
            results.append(result)
    assert results == [pytest.approx(expected)] * 2
    assert any(name.startswith("events.out") for name in os.listdir(tmp_path / "eval"))


def test_queue_runners_context_runs_and_refuses_nesting():
    with tf.Graph().as_default():
        queue = tf.FIFOQueue(10, tf.float32, shapes=[])
        tf.train.add_queue_runner(tf.train.QueueRunner(queue, [queue.enqueue(1.0)]))
        value = queue.dequeue()
        with tf.Session() as sess:
            with slim.queues.QueueRunners(sess):
                assert sess.run(value) == 1.0
                with pytest.raises(slim.queues.NestedQueueRunnerError):
                    with slim.queues.QueueRunners(sess):
                        pass


def test_evaluation_loop_evaluates_each_new_checkpoint(tmp_path):
    logdir = str(tmp_path / "train")
    with tf.Graph().as_default():
        _model()
        train_op = slim.learning.create_train_op(slim.losses.get_total_loss(),
                                                 tf.train.GradientDescentOptimizer(0.5))
        slim.learning.train(train_op, logdir, number_of_steps=2, save_summaries_secs=0,
                            save_interval_secs=0)
    first = tf.train.latest_checkpoint(logdir)
    with tf.Graph().as_default():
        _model()
        step = tf.train.get_or_create_global_step()
        with tf.Session() as sess:
            tf.train.Saver().restore(sess, first)
            sess.run(tf.assign(step, 7))
            second = tf.train.Saver().save(sess, str(tmp_path / "other" / "model.ckpt"),
                                           global_step=step)
    tf.train.update_checkpoint_state(logdir, first)
    switches = []

    def timeout_fn():
        """Publishes the second checkpoint after the first timeout, then ends the loop."""
        switches.append(1)
        if len(switches) == 1:
            tf.train.update_checkpoint_state(logdir, second)
            return False
        return True

    with tf.Graph().as_default():
        _model()
        global_step = tf.train.get_or_create_global_step()
        # The metric is reset by each session's local init: the mean of the last one's step.
        value, update = slim.metrics.streaming_mean(tf.cast(global_step, tf.float32))
        result = slim.evaluation.evaluation_loop(
            "", logdir, str(tmp_path / "eval"), num_evals=3, eval_op=update, final_op=value,
            eval_interval_secs=0, timeout=0.2, timeout_fn=timeout_fn, summary_op=None)
    assert switches == [1, 1]
    assert result == pytest.approx(7.0)

"""tf.train.maybe_batch, maybe_batch_join, maybe_shuffle_batch and maybe_shuffle_batch_join:
only the inputs whose keep_input is True reach the batches (a scalar per input, or a vector
per element with enqueue_many), constant keep_input decided at graph construction, names,
and TF's errors for keep_input of the wrong rank."""
import numpy as np
import pytest

import tfcompat as tf


def _drain(fetch):
    out = []
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        coord = tf.train.Coordinator()
        threads = tf.train.start_queue_runners(sess=sess, coord=coord)
        try:
            while True:
                out.append(sess.run(fetch))
        except tf.errors.OutOfRangeError:
            pass
        finally:
            coord.request_stop()
            coord.join(threads)
    return out


def _numbers(limit):
    queue = tf.train.range_input_producer(limit, num_epochs=1, shuffle=False)
    return queue.dequeue()


def test_maybe_batch_keeps_the_even_numbers():
    tf.reset_default_graph()
    x = _numbers(12)
    batch = tf.train.maybe_batch([x, x * 10], tf.equal(x % 2, 0), batch_size=2,
                                 allow_smaller_final_batch=True)
    assert batch[0].op.name == "batch"
    got = _drain(batch)
    np.testing.assert_array_equal(np.concatenate([b[0] for b in got]), [0, 2, 4, 6, 8, 10])
    np.testing.assert_array_equal(np.concatenate([b[1] for b in got]), [0, 20, 40, 60, 80, 100])


def test_maybe_batch_enqueue_many_takes_a_vector():
    tf.reset_default_graph()
    x = _numbers(3)
    rows = tf.stack([x * 3, x * 3 + 1, x * 3 + 2])  # 0..8 in three enqueue_many calls
    batch = tf.train.maybe_batch({"v": rows}, tf.greater(rows % 3, 0), batch_size=3,
                                 enqueue_many=True, allow_smaller_final_batch=True)
    got = np.concatenate([b["v"] for b in _drain(batch)])
    np.testing.assert_array_equal(got, [1, 2, 4, 5, 7, 8])


def test_maybe_batch_join_and_constant_keep_input():
    tf.reset_default_graph()
    x = _numbers(4)
    kept = tf.train.maybe_batch_join([[x], [x + 100]], True, batch_size=8,
                                     allow_smaller_final_batch=True)
    assert kept.op.name == "batch_join"
    got = np.concatenate(_drain(kept))  # the two lists share the producer's four numbers
    np.testing.assert_array_equal(np.sort(got % 100), [0, 1, 2, 3])
    tf.reset_default_graph()
    x = _numbers(4)
    tf.train.maybe_batch([x], False, batch_size=2, allow_smaller_final_batch=True)
    runner = tf.get_collection(tf.GraphKeys.QUEUE_RUNNERS)[-1]
    assert [op.type for op in runner.enqueue_ops] == ["NoOp"]


@pytest.mark.parametrize("join", [False, True])
def test_maybe_shuffle_batch_keeps_only_the_selected(join):
    tf.reset_default_graph()
    x = _numbers(20)
    keep = tf.less(x, 10)
    if join:
        batch = tf.train.maybe_shuffle_batch_join([[x]], 5, capacity=20, min_after_dequeue=2,
                                                  keep_input=keep, seed=3,
                                                  allow_smaller_final_batch=True)
        assert batch.op.name == "shuffle_batch_join"
    else:
        batch = tf.train.maybe_shuffle_batch(x, 5, capacity=20, min_after_dequeue=2,
                                             keep_input=keep, seed=3,
                                             allow_smaller_final_batch=True)
        assert batch.op.name == "shuffle_batch"
    got = np.concatenate(_drain(batch))
    np.testing.assert_array_equal(np.sort(got), np.arange(10))


def test_keep_input_rank_errors():
    tf.reset_default_graph()
    x = tf.constant([1, 2])
    with pytest.raises(ValueError, match="`keep_input` cannot be a vector when "
                                         "`enqueue_many=False`."):
        tf.train.maybe_batch([x], [True, False], batch_size=2)
    with pytest.raises(ValueError, match="`keep_input` must be 0 or 1 dimensions."):
        tf.train.maybe_batch([x], [[True]], batch_size=2, enqueue_many=True)
    with pytest.raises(ValueError, match="`keep_input` dimensions must be known at graph "
                                         "construction."):
        tf.train.maybe_shuffle_batch([x], 2, 10, 1, tf.placeholder(tf.bool), enqueue_many=True)

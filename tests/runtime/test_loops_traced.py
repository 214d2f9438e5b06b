"""While loops in traced runs (RunOptions.FULL_TRACE): the step stats list the condition's
and body's ops once per iteration, as TF's do, and the results equal untraced runs'."""
import collections

import numpy as np

import tfcompat as tf

FULL_TRACE = tf.RunOptions(trace_level=tf.RunOptions.FULL_TRACE)


def _traced(sess, fetches, feed_dict):
    run_meta = tf.RunMetadata()
    values = sess.run(fetches, feed_dict, options=FULL_TRACE, run_metadata=run_meta)
    names = [stats.node_name for device in run_meta.step_stats.dev_stats
             for stats in device.node_stats]
    return values, collections.Counter(names), run_meta


def test_each_iteration_is_traced_and_results_equal_untraced_runs():
    graph = tf.Graph()
    with graph.as_default():
        x = tf.placeholder(tf.float64, [3], name="x")
        limit = tf.placeholder(tf.int32, [], name="limit")
        _, doubled = tf.while_loop(lambda i, a: i < limit, lambda i, a: (i + 1, a * 2.0 + 1.0),
                                   [tf.constant(0), x])
        total = tf.reduce_sum(doubled, name="total")
    feed = {x: [0.5, -1.25, 3.0]}
    with tf.Session(graph=graph) as sess:
        for iterations in (4, 1, 0):
            run_feed = {**feed, limit: iterations}
            untraced = [sess.run(total, run_feed) for _ in range(3)]  # held specialisations
            value, counts, _ = _traced(sess, total, run_feed)
            assert value == untraced[0] == sess.run(total, run_feed)
            assert counts["while/mul"] == counts["while/add"] == iterations
            assert counts["while/Less"] == iterations + 1
            assert counts["total"] == 1
            assert "while" not in counts  # the frame is its ops, as in TF's step stats


def test_loop_gradients_with_stacks_equal_untraced_runs():
    graph = tf.Graph()
    with graph.as_default():
        rng = np.random.RandomState(3)
        weights = tf.constant(rng.randn(4, 4) * 0.5, name="weights")
        h0 = tf.placeholder(tf.float64, [2, 4], name="h0")
        _, h = tf.while_loop(lambda i, h: i < 5,
                             lambda i, h: (i + 1, tf.tanh(tf.matmul(h, weights))),
                             [tf.constant(0), h0])
        loss = tf.reduce_sum(h * h)
        grads = tf.gradients(loss, [weights, h0])
    feed = {h0: rng.randn(2, 4)}
    with tf.Session(graph=graph) as sess:
        untraced = [sess.run(grads, feed) for _ in range(3)]
        traced, counts, _ = _traced(sess, grads, feed)
        for got, want in zip(traced, untraced[-1], strict=True):
            np.testing.assert_array_equal(got, want)
        assert counts["while/MatMul"] == counts["while/Tanh"] == 5
        assert counts["gradients/while_grad/while/gradients/while/Tanh_grad/TanhGrad"] == 5
        for got, want in zip(sess.run(grads, feed), untraced[-1], strict=True):
            np.testing.assert_array_equal(got, want)


def test_nested_loops_trace_every_inner_iteration_and_the_profiler_counts_runs():
    graph = tf.Graph()
    with graph.as_default():
        def outer_body(i, acc):
            _, inner = tf.while_loop(lambda j, a: j < 3, lambda j, a: (j + 1, a + 1.0),
                                     [tf.constant(0), acc], name="inner")
            return i + 1, inner
        _, result = tf.while_loop(lambda i, a: i < 2, outer_body,
                                  [tf.constant(0), tf.constant(0.0)], name="outer")
    with tf.Session(graph=graph) as sess:
        value, counts, run_meta = _traced(sess, result, None)
    assert value == 6.0
    assert counts["outer/inner/add"] == 6
    assert counts["outer/add"] == 2
    builder = tf.profiler.ProfileOptionBuilder
    options = builder(builder.time_and_memory(min_bytes=0, min_micros=0)).with_empty_output()
    root = tf.profiler.profile(graph, run_meta=run_meta, options=options.build())
    runs = {}
    stack = [root]
    while stack:
        node = stack.pop()
        runs[node.name] = node.run_count
        stack.extend(node.children)
    assert runs["outer/inner/add"] == 6
    assert runs["outer/add"] == 2

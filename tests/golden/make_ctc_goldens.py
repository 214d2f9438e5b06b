"""Writes ctc_goldens.npz with real TensorFlow (run once with a TF 2.x interpreter:
``python tests/golden/make_ctc_goldens.py tests/golden/ctc_goldens.npz``): ctc_loss values and
gradients over preprocess_collapse_repeated / ctc_merge_repeated / batch-major inputs /
ignore_longer_outputs_than_inputs, ctc_loss_v2 (dense and sparse labels, blank indices), the
greedy and beam search decoders, collapse_repeated and ctc_unique_labels.
tfcompat never imports this."""
import sys

import numpy as np
import tensorflow as tf

tf1 = tf.compat.v1
LABELS = [[1, 1, 2], [0, 3], [2, 0, 2, 1]]


def _sparse(rows):
    indices = [[b, t] for b, row in enumerate(rows) for t in range(len(row))]
    values = [v for row in rows for v in row]
    return (np.array(indices, np.int64), np.array(values, np.int32),
            np.array([len(rows), max(len(r) for r in rows)], np.int64))


def _losses(sess, rng, out, x):
    indices, values, shape = _sparse(LABELS)
    out["indices"], out["values"], out["shape"] = indices, values, shape
    out["seq"] = seq = np.array([6, 5, 6], np.int32)
    labels = tf1.SparseTensor(indices, values, shape)
    xc = tf.constant(x)
    for collapse in (False, True):
        for merge in (False, True):
            key = f"loss_{int(collapse)}{int(merge)}"
            loss = tf1.nn.ctc_loss(labels, xc, seq, preprocess_collapse_repeated=collapse,
                                   ctc_merge_repeated=merge)
            dy = rng.uniform(0.5, 1.5, size=3).astype(np.float32)
            out[key], out[key + "_g"] = sess.run([loss, tf1.gradients(loss, xc, dy)[0]])
            out[key + "_dy"] = dy
    batch_major = tf.constant(np.transpose(x, (1, 0, 2)))
    out["loss_batch_major"] = sess.run(tf1.nn.ctc_loss(labels, batch_major, seq,
                                                       time_major=False))
    short = np.array([6, 1, 6], np.int32)
    loss = tf1.nn.ctc_loss(labels, xc, short, ignore_longer_outputs_than_inputs=True)
    out["loss_ignored"], out["loss_ignored_g"] = sess.run([loss, tf1.gradients(loss, xc)[0]])
    dense = np.array([[1, 1, 2, 0], [3, 4, 0, 0], [2, 4, 2, 1]], np.int32)
    out["dense"], out["dense_len"] = dense, np.array([3, 2, 4], np.int32)
    loss = tf1.nn.ctc_loss_v2(dense, xc, out["dense_len"], seq)
    out["v2_dense"], out["v2_dense_g"] = sess.run([loss, tf1.gradients(loss, xc)[0]])
    loss = tf1.nn.ctc_loss_v2(labels, batch_major, None, seq, logits_time_major=False,
                              blank_index=2)
    out["v2_sparse_blank2"], out["v2_sparse_blank2_g"] = sess.run(
        [loss, tf1.gradients(loss, batch_major)[0]])


def _decoders(sess, out, x):
    seq = np.array([6, 4, 5], np.int32)
    out["dec_seq"] = seq
    for merge in (False, True):
        (decoded,), log_prob = tf1.nn.ctc_greedy_decoder(x, seq, merge_repeated=merge)
        key = f"greedy_{int(merge)}"
        (out[key + "_i"], out[key + "_v"], out[key + "_s"], out[key + "_p"]) = sess.run(
            [decoded.indices, decoded.values, decoded.dense_shape, log_prob])
        decoded, log_prob = tf1.nn.ctc_beam_search_decoder(x, seq, beam_width=4, top_paths=3,
                                                           merge_repeated=merge)
        key = f"beam_{int(merge)}"
        out[key + "_p"] = sess.run(log_prob)
        for k, path in enumerate(decoded):
            (out[f"{key}_{k}_i"], out[f"{key}_{k}_v"], out[f"{key}_{k}_s"]) = sess.run(
                [path.indices, path.values, path.dense_shape])
    decoded, log_prob = tf1.nn.ctc_beam_search_decoder_v2(x, seq, beam_width=6, top_paths=2)
    out["beam_v2_p"] = sess.run(log_prob)
    out["beam_v2_0_v"] = sess.run(decoded[0].values)


def _label_tools(sess, out):
    labels = np.array([[1, 1, 2, 2, 0], [3, 3, 3, 1, 1], [1, 2, 2, 0, 0]], np.int32)
    out["collapse_in"] = labels
    collapsed, lengths = tf1.nn.collapse_repeated(labels, np.array([5, 4, 2], np.int32))
    out["collapsed"], out["collapsed_len"] = sess.run([collapsed, lengths])
    unique_in = np.array([[3, 4, 4, 3, 0], [1, 1, 1, 1, 1]], np.int64)
    out["unique_in"] = unique_in
    out["unique_y"], out["unique_idx"] = sess.run(tf1.nn.ctc_unique_labels(unique_in))


def main(path):
    tf1.disable_eager_execution()
    rng = np.random.default_rng(0)
    x = rng.normal(size=(6, 3, 5)).astype(np.float32) * 2
    out = {"x": x}
    with tf1.Session() as sess:
        _losses(sess, rng, out, x)
        _decoders(sess, out, x)
        _label_tools(sess, out)
    np.savez_compressed(path, **out)


if __name__ == "__main__":
    main(sys.argv[1])

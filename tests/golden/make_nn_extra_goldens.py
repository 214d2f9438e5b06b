"""Writes nn_extra_goldens.npz with real TensorFlow (run once with a TF 2.x interpreter:
``python tests/golden/make_nn_extra_goldens.py tests/golden/nn_extra_goldens.npz``): Conv3D,
MaxPool3D, AvgPool3D values and gradients over SAME/VALID and strides, conv3d_transpose,
dilation2d/erosion2d with gradients, tf.nn.pool with dilation, atrous_conv2d_transpose and the
sparse embedding lookups and fractional pools.
tfcompat never imports this."""
import sys

import numpy as np
import tensorflow as tf

tf1 = tf.compat.v1


def _conv3d(sess, rng, out, x, w):
    xc, wc = tf.constant(x), tf.constant(w)
    for padding in ["SAME", "VALID"]:
        for stride in [1, 2]:
            key = f"conv3d_{padding}_{stride}"
            y = tf1.nn.conv3d(xc, wc, [1, stride, stride, 1, 1], padding)
            dy = rng.normal(size=y.shape.as_list()).astype(np.float32)
            gx, gw = tf1.gradients(y, [xc, wc], dy)
            out[key], out[key + "_gx"], out[key + "_gw"] = sess.run([y, gx, gw])
            out[key + "_dy"] = dy
            for kind, pool in (("max", tf1.nn.max_pool3d), ("avg", tf1.nn.avg_pool3d)):
                name = f"{kind}3d_{padding}_{stride}"
                p = pool(xc, [1, 2, 3, 2, 1], [1, stride, stride, 1, 1], padding)
                dp = rng.normal(size=p.shape.as_list()).astype(np.float32)
                out[name], out[name + "_g"] = sess.run([p, tf1.gradients(p, xc, dp)[0]])
                out[name + "_dy"] = dp
    tw = rng.normal(size=(2, 3, 2, 4, 3)).astype(np.float32)
    out["t3w"] = tw
    out["transpose3d"] = sess.run(tf1.nn.conv3d_transpose(
        xc[:, :3, :3, :3, :], tw, [2, 6, 6, 3, 4], [1, 2, 2, 1, 1], "SAME"))


def _morphology(sess, rng, out):
    x = rng.normal(size=(2, 6, 5, 3)).astype(np.float32)
    k = rng.normal(size=(2, 3, 3)).astype(np.float32)
    out["mx"], out["mk"] = x, k
    xc, kc = tf.constant(x), tf.constant(k)
    for padding in ["SAME", "VALID"]:
        for stride, rate in [(1, 1), (2, 1), (1, 2)]:
            for kind, fn in (("dilation", tf1.nn.dilation2d), ("erosion", tf1.nn.erosion2d)):
                key = f"{kind}_{padding}_{stride}_{rate}"
                y = fn(xc, kc, [1, stride, stride, 1], [1, rate, rate, 1], padding)
                dy = rng.normal(size=y.shape.as_list()).astype(np.float32)
                gx, gk = tf1.gradients(y, [xc, kc], dy)
                out[key], out[key + "_gx"], out[key + "_gk"] = sess.run([y, gx, gk])
                out[key + "_dy"] = dy


def _dilated(sess, rng, out):
    x = rng.normal(size=(2, 9, 8, 3)).astype(np.float32)
    out["px"] = x
    xc = tf.constant(x)
    out["pool_max_2d"] = sess.run(tf1.nn.pool(xc, [2, 3], "MAX", "VALID", dilation_rate=[2, 2]))
    out["pool_avg_2d"] = sess.run(tf1.nn.pool(xc, [3, 2], "AVG", "VALID", dilation_rate=[1, 3]))
    out["pool_avg_1d"] = sess.run(tf1.nn.pool(xc[:, 0], [3], "AVG", "SAME", strides=[2]))
    out["pool_max_1d_dil"] = sess.run(tf1.nn.pool(xc[:, 0], [2], "MAX", "VALID",
                                                  dilation_rate=[3]))
    f = rng.normal(size=(3, 3, 4, 3)).astype(np.float32)
    out["atf"] = f
    for padding in ["SAME", "VALID"]:
        shape = [2, 9, 8, 4] if padding == "SAME" else [2, 13, 12, 4]
        out[f"atrous_t_{padding}"] = sess.run(tf1.nn.atrous_conv2d_transpose(
            xc, f, shape, 2, padding))
        out[f"wstb_{padding}"] = sess.run(tf1.nn.with_space_to_batch(
            xc, [2, 3], padding, lambda inp, n, pad: tf1.nn.conv2d(
                inp, f[:, :, :3, :], [1, 1, 1, 1], pad), filter_shape=[3, 3]))


def _embeddings(sess, out):
    rng = np.random.default_rng(1)
    params = rng.normal(size=(6, 3)).astype(np.float32)
    out["emb_params"] = params
    indices = np.array([[0, 0], [0, 2], [1, 1], [3, 0], [3, 1], [3, 2]], np.int64)
    ids = np.array([1, 4, 4, 0, 5, 1], np.int64)
    weights = np.array([0.5, 2.0, 1.0, -1.0, 3.0, 0.25], np.float32)
    out["emb_indices"], out["emb_ids"], out["emb_weights"] = indices, ids, weights
    sp_ids = tf1.SparseTensor(indices, ids, [5, 3])
    sp_weights = tf1.SparseTensor(indices, weights, [5, 3])
    pc = tf.constant(params)
    for combiner in ("sum", "mean", "sqrtn"):
        for weighted in (False, True):
            key = f"emb_{combiner}_{int(weighted)}"
            y = tf1.nn.embedding_lookup_sparse(pc, sp_ids, sp_weights if weighted else None,
                                               combiner=combiner)
            grad = tf1.convert_to_tensor(tf1.gradients(tf.reduce_sum(y * y), pc)[0])
            out[key], out[key + "_g"] = sess.run([y, grad])
    parts = [pc[:2], pc[2:4], pc[4:]]
    out["emb_partitioned"] = sess.run(tf1.nn.embedding_lookup_sparse(
        parts, sp_ids, sp_weights, partition_strategy="div", combiner="sqrtn"))
    ids3 = tf1.SparseTensor([[0, 0, 0], [0, 0, 1], [0, 1, 0], [1, 1, 1], [1, 1, 2]],
                            np.array([2, -1, 3, 5, 0], np.int64), [2, 2, 3])
    w3 = tf1.SparseTensor(ids3.indices, np.array([1.0, 2.0, 0.0, 0.5, 1.5], np.float32),
                          ids3.dense_shape)
    for combiner in ("mean", "sum"):
        out[f"safe_{combiner}"] = sess.run(tf1.nn.safe_embedding_lookup_sparse(
            pc, ids3, w3, combiner=combiner))
    out["safe_default"] = sess.run(tf1.nn.safe_embedding_lookup_sparse(pc, ids3, None,
                                                                        default_id=4))


def _fractional(sess, out):
    """Pooled values, TF's boundary sequences and input gradients of fixed-seed fractional
    pools (the test pools with TF's sequences: tfcompat draws its own)."""
    rng = np.random.default_rng(2)
    x = rng.normal(size=(2, 9, 8, 3)).astype(np.float32)
    out["fx"] = x
    xc = tf.constant(x)
    for kind, fn in (("max", tf1.nn.fractional_max_pool), ("avg", tf1.nn.fractional_avg_pool)):
        for pseudo, overlapping in ((False, False), (True, True), (False, True)):
            key = f"frac_{kind}_{int(pseudo)}{int(overlapping)}"
            y, rows, cols = fn(xc, [1.0, 1.6, 1.4, 1.0], pseudo_random=pseudo,
                               overlapping=overlapping, deterministic=True, seed=5, seed2=7)
            dy = rng.normal(size=y.shape.as_list()).astype(np.float32)
            (out[key], out[key + "_rows"], out[key + "_cols"], out[key + "_g"]) = sess.run(
                [y, rows, cols, tf1.gradients(y, xc, dy)[0]])
            out[key + "_dy"] = dy


def main(path):
    tf1.disable_eager_execution()
    rng = np.random.default_rng(0)
    x = rng.normal(size=(2, 5, 6, 4, 3)).astype(np.float32)
    w = rng.normal(size=(3, 2, 3, 3, 4)).astype(np.float32)
    out = {"x3": x, "w3": w}
    with tf1.Session() as sess:
        _conv3d(sess, rng, out, x, w)
        _morphology(sess, rng, out)
        _dilated(sess, rng, out)
        _embeddings(sess, out)
        _fractional(sess, out)
    np.savez_compressed(path, **out)


if __name__ == "__main__":
    main(sys.argv[1])

"""Writes conv_goldens.npz with real TensorFlow (run once with a TF 2.x interpreter:
``python tests/golden/make_conv_goldens.py tests/golden/conv_goldens.npz``): Conv2D, MaxPool,
AvgPool values and gradients over SAME/VALID, strides and dilations on odd sizes, plus LRN,
max_pool_with_argmax, depthwise_conv2d and conv2d_transpose. tfcompat never imports this."""
import sys

import numpy as np
import tensorflow as tf

tf1 = tf.compat.v1


def main(path):
    tf1.disable_eager_execution()
    rng = np.random.default_rng(0)
    x = rng.normal(size=(2, 7, 6, 3)).astype(np.float32)
    w = rng.normal(size=(3, 2, 3, 4)).astype(np.float32)
    out = {"x": x, "w": w}
    with tf1.Session() as sess:
        xc, wc = tf.constant(x), tf.constant(w)
        for padding in ["SAME", "VALID"]:
            for stride, dilation in [(1, 1), (2, 1), (1, 2), (3, 1)]:
                y = tf1.nn.conv2d(xc, wc, [1, stride, stride, 1], padding,
                                  dilations=[1, dilation, dilation, 1])
                dy = rng.normal(size=y.shape.as_list()).astype(np.float32)
                gx, gw = tf1.gradients(y, [xc, wc], dy)
                key = f"conv_{padding}_{stride}_{dilation}"
                out[key], out[key + "_gx"], out[key + "_gw"] = sess.run([y, gx, gw])
                out[key + "_dy"] = dy
                for kind, pool in (("max", tf1.nn.max_pool), ("avg", tf1.nn.avg_pool)):
                    pooled = pool(xc, [1, 3, 2, 1], [1, stride, stride, 1], padding)
                    dy = rng.normal(size=pooled.shape.as_list()).astype(np.float32)
                    grad = tf1.gradients(pooled, xc, dy)[0]
                    key = f"{kind}_{padding}_{stride}"
                    out[key], out[key + "_g"] = sess.run([pooled, grad])
                    out[key + "_dy"] = dy
        y = tf1.nn.lrn(xc, 2, 0.5, 0.3, 0.7)
        dy = rng.normal(size=x.shape).astype(np.float32)
        out["lrn"], out["lrn_g"] = sess.run([y, tf1.gradients(y, xc, dy)[0]])
        out["lrn_dy"] = dy
        pooled, argmax = tf1.nn.max_pool_with_argmax(xc, [1, 2, 2, 1], [1, 2, 2, 1], "SAME")
        out["argmax_out"], out["argmax"] = sess.run([pooled, argmax])
        out["dw"] = rng.normal(size=(3, 3, 3, 2)).astype(np.float32)
        out["depthwise"] = sess.run(tf1.nn.depthwise_conv2d(xc, out["dw"], [1, 2, 2, 1],
                                                            "SAME"))
        out["tw"] = rng.normal(size=(3, 3, 5, 3)).astype(np.float32)
        out["transpose"] = sess.run(tf1.nn.conv2d_transpose(
            tf.constant(x[:, :4, :3, :]), out["tw"], [2, 8, 6, 5], [1, 2, 2, 1], "SAME"))
    np.savez(path, **out)


if __name__ == "__main__":
    main(sys.argv[1])

"""TensorFlow side of the by-hand check: import_meta_graph + restore of the tfcompat-written
chapter-11 batch-norm model, same logits, one training step in TF. Run with /work/tfvenv:
    /work/tfvenv/bin/python tests/golden/interop/bn_meta_read_tensorflow.py DIR"""
import sys
import numpy as np
import tensorflow as tf
tf.compat.v1.disable_v2_behavior()
out = sys.argv[1]
e = np.load(out + "/expected.npz")
a = np.load(out + "/after_step.npz")
with tf.compat.v1.Session() as sess:
    saver = tf.compat.v1.train.import_meta_graph(out + "/model.ckpt.meta")
    saver.restore(sess, out + "/model.ckpt")
    g = tf.compat.v1.get_default_graph()
    logits = g.get_tensor_by_name("dnn/logits:0")
    feed = {"X:0": e["x"], "y:0": e["y"]}
    got = sess.run(logits, {"X:0": e["x"]})
    print("logits max abs diff", np.abs(got - e["logits"]).max())
    print("accuracy", sess.run("eval/accuracy:0", feed), "tfcompat", e["acc"])
    train_op = tf.compat.v1.get_collection("train_ops")[0]
    extra = tf.compat.v1.get_collection("extra_update_ops")
    sess.run([train_op, extra], dict(feed, **{"training:0": True}))
    got2 = sess.run(logits, {"X:0": e["x"]})
    print("after one TF training step: logits max abs diff", np.abs(got2 - a["logits"]).max())
    print("trainable", len(tf.compat.v1.trainable_variables()),
          "global", len(tf.compat.v1.global_variables()))

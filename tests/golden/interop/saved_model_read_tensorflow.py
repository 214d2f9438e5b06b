"""TensorFlow side of the by-hand SavedModel check (/work/tfvenv/bin/python THIS DIR): loads
and runs what saved_model_write_tfcompat.py wrote."""
import glob
import sys

import numpy as np
import tensorflow as tf

tf.compat.v1.disable_v2_behavior()
v1 = tf.compat.v1
OUT = sys.argv[1]
X3 = np.array([[1.0, 2.0, 3.0], [-1.0, 0.5, 2.0]], np.float32)
X4 = np.random.RandomState(0).rand(64, 4).astype(np.float32)[:3]

for tags in (["serve"], ["train"]):
    with v1.Session(graph=tf.Graph()) as sess:
        meta = v1.saved_model.loader.load(sess, tags, OUT + "/built")
        print("built", tags, sorted(meta.signature_def), sess.run("total:0", {"x:0": X3}),
              "vocab_bytes", sess.run("vocab_bytes:0"))
with v1.Session(graph=tf.Graph()) as sess:
    v1.saved_model.loader.load(sess, ["serve"], OUT + "/resaved")
    print("resaved", sess.run("y:0", {"x:0": X3}))
for export_dir in sorted(glob.glob(OUT + "/export*/*")):
    with v1.Session(graph=tf.Graph()) as sess:
        meta = v1.saved_model.loader.load(sess, ["serve"], export_dir)
        if "scores" in meta.signature_def:
            signature = meta.signature_def["scores"]
            examples = [tf.train.Example(features=tf.train.Features(feature={
                "x": tf.train.Feature(float_list=tf.train.FloatList(value=row))}))
                .SerializeToString() for row in X4]
            print(export_dir, sess.run(signature.outputs["scores"].name,
                                       {signature.inputs["inputs"].name: examples}))
        else:
            signature = meta.signature_def["serving_default"]
            print(export_dir, sess.run(signature.outputs["probabilities"].name,
                                       {signature.inputs["x"].name: X4}))

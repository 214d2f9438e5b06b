"""Chapter 10 of "Hands-On Machine Learning" (first edition): training an MLP with
TensorFlow's high-level API, as the book writes it (tf.estimator.DNNClassifier on MNIST with
a numeric feature column and numpy_input_fn), shortened to STEPS training steps (the book
trains 40 epochs). Run it unchanged through tfcompat:

    python -m tfcompat tests/programs/chapter10_dnn_classifier.py [STEPS] [MODEL_DIR]

It prints the evaluation results and "accuracy: <test accuracy>".
"""
import sys

import numpy as np
import tensorflow as tf
from tensorflow.examples.tutorials.mnist import input_data

STEPS = int(sys.argv[1]) if len(sys.argv) > 1 else 300
MODEL_DIR = sys.argv[2] if len(sys.argv) > 2 else None

mnist = input_data.read_data_sets("/tmp/data/")
X_train = mnist.train.images
X_test = mnist.test.images
y_train = mnist.train.labels.astype("int")
y_test = mnist.test.labels.astype("int")

feature_cols = [tf.feature_column.numeric_column("X", shape=[28 * 28])]
dnn_clf = tf.estimator.DNNClassifier(hidden_units=[300, 100], n_classes=10,
                                     feature_columns=feature_cols, model_dir=MODEL_DIR)

input_fn = tf.estimator.inputs.numpy_input_fn(
    x={"X": X_train}, y=y_train, num_epochs=40, batch_size=50, shuffle=True)
dnn_clf.train(input_fn=input_fn, steps=STEPS)

test_input_fn = tf.estimator.inputs.numpy_input_fn(
    x={"X": X_test}, y=y_test, shuffle=False)
eval_results = dnn_clf.evaluate(input_fn=test_input_fn)
print(eval_results)

y_pred_iter = dnn_clf.predict(input_fn=test_input_fn)
y_pred = list(y_pred_iter)
print(y_pred[0])
predicted = np.array([p["class_ids"][0] for p in y_pred])
print("predictions agree with evaluate:", np.isclose(np.mean(predicted == y_test),
                                                      eval_results["accuracy"]))
print("accuracy:", eval_results["accuracy"])

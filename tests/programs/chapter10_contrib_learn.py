"""Chapter 10 of "Hands-On Machine Learning" (first printing): the MLP trained with
tf.contrib.learn, as the book writes it (infer_real_valued_columns_from_input,
DNNClassifier, SKCompat), shortened to STEPS training steps (the book runs 40000). Run it
unchanged through tfcompat:

    python -m tfcompat tests/programs/chapter10_contrib_learn.py [STEPS]

It prints "accuracy: <test accuracy>" and the log loss of the predicted probabilities.
"""
import sys

import numpy as np
import tensorflow as tf
from tensorflow.examples.tutorials.mnist import input_data

STEPS = int(sys.argv[1]) if len(sys.argv) > 1 else 300

mnist = input_data.read_data_sets("/tmp/data/")
X_train = mnist.train.images
X_test = mnist.test.images
y_train = mnist.train.labels.astype("int")
y_test = mnist.test.labels.astype("int")

config = tf.contrib.learn.RunConfig(tf_random_seed=42)  # not shown in the book

feature_cols = tf.contrib.learn.infer_real_valued_columns_from_input(X_train)
dnn_clf = tf.contrib.learn.DNNClassifier(hidden_units=[300, 100], n_classes=10,
                                         feature_columns=feature_cols, config=config)
dnn_clf = tf.contrib.learn.SKCompat(dnn_clf)  # if TensorFlow >= 1.1
dnn_clf.fit(X_train, y_train, batch_size=50, steps=STEPS)

y_pred = dnn_clf.predict(X_test)
accuracy = np.mean(y_test == y_pred["classes"])  # the book: sklearn's accuracy_score
y_pred_proba = y_pred["probabilities"]
log_loss = -np.mean(np.log(np.clip(y_pred_proba[np.arange(len(y_test)), y_test], 1e-15, 1)))
print("log loss:", log_loss)
print("accuracy:", accuracy)

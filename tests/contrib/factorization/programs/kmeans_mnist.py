"""K-Means on MNIST as aymericdamien's TensorFlow-Examples kmeans.py writes it (TF 1.x,
tf.contrib.factorization.KMeans with cosine distance and mini-batch updates on the whole
batch): cluster the training images into 25 clusters, label each cluster with the most
frequent digit among its images, and classify the test images by their nearest cluster.
Usage: kmeans_mnist.py [DATA_DIR] [NUM_TRAIN]; exits 1 when the accuracy is too low."""
import sys

import numpy as np
import tensorflow as tf
from tensorflow.contrib.factorization import KMeans
from tensorflow.examples.tutorials.mnist import input_data

data_dir = sys.argv[1] if len(sys.argv) > 1 else "/tmp/data/"
num_train = int(sys.argv[2]) if len(sys.argv) > 2 else 55000
mnist = input_data.read_data_sets(data_dir, one_hot=True)
full_data_x = mnist.train.images[:num_train]

# Parameters
num_steps = 10  # Total steps to train
k = 25  # The number of clusters
num_classes = 10  # The 10 digits
num_features = 784  # Each image is 28x28 pixels

# Input images
X = tf.placeholder(tf.float32, shape=[None, num_features])
# Labels (for assigning a label to a centroid and testing)
Y = tf.placeholder(tf.float32, shape=[None, num_classes])

# K-Means Parameters
kmeans = KMeans(inputs=X, num_clusters=k, distance_metric='cosine',
                use_mini_batch=True)

# Build KMeans graph
training_graph = kmeans.training_graph()

if len(training_graph) > 6:  # Tensorflow 1.4+
    (all_scores, cluster_idx, scores, cluster_centers_initialized,
     cluster_centers_var, init_op, train_op) = training_graph
else:
    (all_scores, cluster_idx, scores, cluster_centers_initialized,
     init_op, train_op) = training_graph

cluster_idx = cluster_idx[0]  # fix for cluster_idx being a tuple
avg_distance = tf.reduce_mean(scores)

# Initialize the variables (i.e. assign their default value)
init_vars = tf.global_variables_initializer()

# Start TensorFlow session
sess = tf.Session()

# Run the initializer
sess.run(init_vars, feed_dict={X: full_data_x})
sess.run(init_op, feed_dict={X: full_data_x})

# Training
for i in range(1, num_steps + 1):
    _, d, idx = sess.run([train_op, avg_distance, cluster_idx],
                         feed_dict={X: full_data_x})
    if i % 5 == 0 or i == 1:
        print("Step %i, Avg Distance: %f" % (i, d))

# Assign a label to each centroid
# Count total number of labels per centroid, using the label of each training
# sample to their closest centroid (given by 'idx')
counts = np.zeros(shape=(k, num_classes))
for i in range(len(idx)):
    counts[idx[i]] += mnist.train.labels[i]
# Assign the most frequent label to the centroid
labels_map = [np.argmax(c) for c in counts]
labels_map = tf.convert_to_tensor(labels_map)

# Evaluation ops
# Lookup: centroid_id -> label
cluster_label = tf.nn.embedding_lookup(labels_map, cluster_idx)
# Compute accuracy
correct_prediction = tf.equal(cluster_label, tf.cast(tf.argmax(Y, 1), tf.int32))
accuracy_op = tf.reduce_mean(tf.cast(correct_prediction, tf.float32))

# Test Model
test_x, test_y = mnist.test.images, mnist.test.labels
accuracy = sess.run(accuracy_op, feed_dict={X: test_x, Y: test_y})
print("Test Accuracy:", accuracy)
sys.exit(0 if accuracy > 0.6 else 1)

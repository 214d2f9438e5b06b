"""A TF 1.x program in the tf.contrib.slim style (run with ``python -m tfcompat``):
pre-train a small slim CNN on 3 synthetic classes with slim.learning.train, fine-tune it on
6 classes in a fresh graph (restore everything but the logits with
slim.assign_from_checkpoint_fn, train the new head only), then evaluate the fine-tuned
checkpoint with slim.evaluation.evaluate_once and slim.metrics.

usage: slim_finetune.py WORKDIR
"""
import os
import sys

import numpy as np
import tensorflow as tf

slim = tf.contrib.slim


def make_data(num_classes, count, seed):
    """Images 12x12x1: class c lights up one of six stripes (row band c, or column band c-3)
    plus noise."""
    rng = np.random.RandomState(seed)
    labels = rng.randint(0, num_classes, count)
    images = rng.normal(0.0, 0.3, (count, 12, 12, 1)).astype(np.float32)
    for i, label in enumerate(labels):
        band = slice(4 * (label % 3), 4 * (label % 3) + 4)
        if label < 3:
            images[i, band, :, 0] += 1.0
        else:
            images[i, :, band, 0] += 1.0
    return images, labels.astype(np.int64)


def cnn(images, num_classes, is_training):
    with slim.arg_scope([slim.conv2d, slim.fully_connected],
                        weights_regularizer=slim.l2_regularizer(1e-4)):
        net = slim.conv2d(images, 8, [3, 3], scope="conv1")
        net = slim.max_pool2d(net, [2, 2], scope="pool1")
        net = slim.conv2d(net, 8, [3, 3], normalizer_fn=slim.batch_norm,
                          normalizer_params={"is_training": is_training}, scope="conv2")
        net = slim.flatten(net)
        net = slim.dropout(net, 0.9, is_training=is_training)
        return slim.fully_connected(net, num_classes, activation_fn=None, scope="logits")


def batches(images, labels, batch_size):
    dataset = tf.data.Dataset.from_tensor_slices((images, labels))
    dataset = dataset.shuffle(256, seed=1).repeat().batch(batch_size)
    return dataset.make_one_shot_iterator().get_next()


def pretrain(logdir):
    images, labels = make_data(3, 384, seed=0)
    with tf.Graph().as_default():
        tf.set_random_seed(0)
        image_batch, label_batch = batches(images, labels, 32)
        logits = cnn(image_batch, 3, is_training=True)
        slim.losses.softmax_cross_entropy(logits, slim.one_hot_encoding(label_batch, 3))
        total_loss = slim.losses.get_total_loss()
        tf.summary.scalar("losses/total_loss", total_loss)
        train_op = slim.learning.create_train_op(total_loss, tf.train.AdamOptimizer(0.01))
        return slim.learning.train(train_op, logdir, number_of_steps=60,
                                   save_summaries_secs=1, log_every_n_steps=20)


def finetune(checkpoint, logdir):
    images, labels = make_data(6, 384, seed=1)
    with tf.Graph().as_default():
        tf.set_random_seed(1)
        image_batch, label_batch = batches(images, labels, 32)
        logits = cnn(image_batch, 6, is_training=True)
        slim.losses.sparse_softmax_cross_entropy(logits, label_batch)
        total_loss = slim.losses.get_total_loss()
        restore = slim.get_variables_to_restore(exclude=["logits", "global_step"])
        init_fn = slim.assign_from_checkpoint_fn(checkpoint, restore)
        train_op = slim.learning.create_train_op(
            total_loss, tf.train.AdamOptimizer(0.02),
            variables_to_train=slim.get_trainable_variables("logits"))
        return slim.learning.train(train_op, logdir, number_of_steps=80, init_fn=init_fn,
                                   save_summaries_secs=0, log_every_n_steps=40)


def evaluate(checkpoint, eval_dir):
    images, labels = make_data(6, 192, seed=2)
    with tf.Graph().as_default():
        dataset = tf.data.Dataset.from_tensor_slices((images, labels)).batch(64)
        image_batch, label_batch = dataset.make_one_shot_iterator().get_next()
        logits = cnn(image_batch, 6, is_training=False)
        predictions = tf.argmax(logits, 1)
        tf.train.get_or_create_global_step()
        names_to_values, names_to_updates = slim.metrics.aggregate_metric_map({
            "accuracy": slim.metrics.streaming_accuracy(predictions, label_batch),
            "recall_at_2": slim.metrics.streaming_recall_at_k(
                logits, tf.cast(label_batch, tf.int32), 2),
        })
        for name, value in names_to_values.items():
            tf.summary.scalar(name, value)
        return slim.evaluation.evaluate_once(
            "", checkpoint, eval_dir, num_evals=3,
            eval_op=list(names_to_updates.values()), final_op=names_to_values)


def main(workdir):
    tf.logging.set_verbosity(tf.logging.INFO)
    pretrain_loss = pretrain(os.path.join(workdir, "pretrain"))
    pretrained = tf.train.latest_checkpoint(os.path.join(workdir, "pretrain"))
    finetune_loss = finetune(pretrained, os.path.join(workdir, "finetune"))
    finetuned = tf.train.latest_checkpoint(os.path.join(workdir, "finetune"))
    reader = tf.train.NewCheckpointReader(finetuned)
    same_conv1 = np.array_equal(reader.get_tensor("conv1/weights"),
                                tf.train.load_variable(pretrained, "conv1/weights"))
    moving_mean = tf.train.load_variable(pretrained, "conv2/BatchNorm/moving_mean")
    results = evaluate(finetuned, os.path.join(workdir, "eval"))
    print(f"pretrain checkpoint: {os.path.basename(pretrained)}")
    print(f"pretrain loss: {pretrain_loss:.4f}")
    print(f"finetune checkpoint: {os.path.basename(finetuned)}")
    print(f"finetune loss: {finetune_loss:.4f}")
    print(f"conv1 kept from pretraining: {same_conv1}")
    print(f"batch norm moving mean updated: {bool(np.any(moving_mean != 0))}")
    print(f"logits shape: {reader.get_variable_to_shape_map()['logits/weights']}")
    print(f"accuracy: {results['accuracy']:.4f}")
    print(f"recall_at_2: {results['recall_at_2']:.4f}")


if __name__ == "__main__":
    main(sys.argv[1])

"""Writes train_goldens.npz with real TensorFlow (run once with a TF 2.x interpreter:
``python tests/golden/make_train_goldens.py tests/golden/train_goldens.npz``): three steps of
ProximalAdagradOptimizer and AdagradDAOptimizer (dense and sparse gradients, with and without
l1/l2) and the values of cosine_decay_restarts / linear_cosine_decay over a range of steps.
tfcompat never imports this."""
import sys

import numpy as np
import tensorflow as tf

tf1 = tf.compat.v1

OPTIMIZERS = {
    "proximal_adagrad": lambda step: tf1.train.ProximalAdagradOptimizer(0.5),
    "proximal_adagrad_l1l2": lambda step: tf1.train.ProximalAdagradOptimizer(
        0.5, initial_accumulator_value=0.2, l1_regularization_strength=0.05,
        l2_regularization_strength=0.1),
    "adagrad_da": lambda step: tf1.train.AdagradDAOptimizer(0.5, step),
    "adagrad_da_l1l2": lambda step: tf1.train.AdagradDAOptimizer(
        0.5, step, initial_gradient_squared_accumulator_value=0.3,
        l1_regularization_strength=0.05, l2_regularization_strength=0.1),
}


def problem():
    """The model both sides build: a dense weight and an embedding read through a gather."""
    rng = np.random.default_rng(0)
    data = {"x": rng.normal(size=(4, 3)).astype(np.float32),
            "y": rng.normal(size=(4, 2)).astype(np.float32),
            "w0": rng.normal(size=(3, 2)).astype(np.float32),
            "e0": rng.normal(size=(5, 2)).astype(np.float32),
            "ids": np.array([0, 3, 3, 1], np.int32)}
    return data


def build(tfm, data):
    w = tfm.Variable(data["w0"], name="w")
    e = tfm.Variable(data["e0"], name="e")
    rows = tfm.gather(e, data["ids"])
    loss = tfm.reduce_sum(tfm.square(tfm.matmul(data["x"], w) - data["y"] + rows))
    return w, e, loss


def main(path):
    tf1.disable_eager_execution()
    data = problem()
    out = dict(data)
    for key, make in OPTIMIZERS.items():
        with tf1.Graph().as_default():
            step = tf1.train.get_or_create_global_step()
            w, e, loss = build(tf1, data)
            opt = make(step)
            train = opt.minimize(loss, global_step=step)
            names = sorted(v.op.name for v in tf1.global_variables())
            out[key + "_names"] = np.array(names)
            with tf1.Session() as sess:
                sess.run(tf1.global_variables_initializer())
                for i in range(3):
                    sess.run(train)
                    for name in opt.get_slot_names():
                        for var, label in ((w, "w"), (e, "e")):
                            out[f"{key}_{i}_{label}_{name}"] = sess.run(opt.get_slot(var, name))
                    out[f"{key}_{i}_w"], out[f"{key}_{i}_e"] = sess.run([w, e])
    steps = np.arange(0, 60, 3)
    with tf1.Graph().as_default(), tf1.Session() as sess:
        step = tf1.placeholder(tf.int64, [])
        restarts = tf1.train.cosine_decay_restarts(0.1, step, 10, t_mul=2.0, m_mul=0.8,
                                                   alpha=0.05)
        restarts_default = tf1.train.cosine_decay_restarts(0.2, step, 7)
        linear = tf1.train.linear_cosine_decay(0.1, step, 40, num_periods=1.5, alpha=0.1,
                                               beta=0.01)
        for name, tensor in (("restarts", restarts), ("restarts_default", restarts_default),
                             ("linear_cosine", linear)):
            out[name] = np.array([sess.run(tensor, {step: s}) for s in steps])
    out["decay_steps"] = steps
    np.savez_compressed(path, **out)


if __name__ == "__main__":
    main(sys.argv[1])

"""tf.contrib.opt: update math against NumPy references (dense and sparse gradients), slot
names, the swapping saver, and the SciPy interface reaching known optima."""
import math

import numpy as np
import pytest

import tfcompat as tf

opt = tf.contrib.opt

INIT = np.array([[1.0, -2.0], [0.5, 3.0], [-1.0, 0.25], [2.0, 2.0]])
TARGET = np.array([[0.3, 0.1], [-0.2, 0.4], [0.0, 1.0], [1.0, -1.0]])
ROWS = np.array([0, 2, 2])  # a repeated row: its gradients are summed


@pytest.fixture(autouse=True)
def _fresh_graph():
    with tf.Graph().as_default():
        yield


def _h(x):
    """A hyperparameter as the update sees it: a float32 tensor's value (TF converts Python
    floats to float32 tensors, then casts them to the variable's dtype)."""
    return float(np.float32(x))


def _dense_grad(var):
    return var - TARGET


def _sparse_grad(var):
    """Rows and summed values of d/dvar 0.5 sum((var[ROWS] - TARGET[ROWS])²)."""
    rows = np.unique(ROWS)
    values = np.stack([sum(var[r] - TARGET[r] for r in ROWS if r == row) for row in rows])
    return rows, values


def _run_optimizer(optimizer, steps, sparse, global_step=False, **minimize_kwargs):
    var = tf.Variable(INIT, name="w")
    if sparse:
        loss = 0.5 * tf.reduce_sum(tf.square(tf.gather(var, ROWS) - TARGET[ROWS]))
    else:
        loss = 0.5 * tf.reduce_sum(tf.square(var - TARGET))
    step = tf.train.get_or_create_global_step() if global_step else None
    train = optimizer.minimize(loss, global_step=step, **minimize_kwargs)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(steps):
            sess.run(train)
        return sess.run(var), var


def _adam_reference(steps, sparse, lr=0.1, beta1=0.9, beta2=0.999, eps=1e-8, lazy=False,
                    nesterov=False, weight_decay=0.0):
    lr, beta1, beta2, eps = map(_h, (lr, beta1, beta2, eps))
    var, m, v = INIT.copy(), np.zeros_like(INIT), np.zeros_like(INIT)
    # The beta powers are float32 variables (TF makes them from Python floats).
    beta1_power, beta2_power = np.float32(beta1), np.float32(beta2)
    for _ in range(steps):
        alpha = lr * math.sqrt(1 - float(beta2_power)) / (1 - float(beta1_power))
        beta1_power, beta2_power = beta1_power * np.float32(beta1), beta2_power * np.float32(
            beta2)
        if sparse:
            rows, values = _sparse_grad(var)
            grad = np.zeros_like(var)
            grad[rows] = values
        else:
            rows, grad = slice(None), _dense_grad(var)
        var = var - weight_decay * var if not sparse else var
        if sparse and weight_decay:
            var[rows] -= weight_decay * var[rows]
        touched = rows if lazy else slice(None)
        m[touched] = beta1 * m[touched] + (1 - beta1) * grad[touched]
        v[touched] = beta2 * v[touched] + (1 - beta2) * grad[touched] ** 2
        numerator = beta1 * m + (1 - beta1) * grad if nesterov else m
        update_rows = rows if (lazy or (nesterov and sparse)) else slice(None)
        var[update_rows] -= (alpha * numerator / (np.sqrt(v) + eps))[update_rows]
    return var


@pytest.mark.parametrize("sparse", [False, True])
def test_lazy_adam_matches_reference(sparse):
    got, var = _run_optimizer(opt.LazyAdamOptimizer(0.1), 3, sparse)
    np.testing.assert_allclose(got, _adam_reference(3, sparse, lazy=sparse), rtol=1e-12)
    if sparse:  # untouched rows never move, unlike Adam's
        np.testing.assert_array_equal(got[[1, 3]], INIT[[1, 3]])


def test_lazy_adam_slot_names():
    var = tf.Variable(INIT, name="emb")
    optimizer = opt.LazyAdamOptimizer()
    optimizer.minimize(tf.reduce_sum(tf.gather(var, [1])))
    names = sorted(v.op.name for v in tf.global_variables())
    assert names == ["beta1_power", "beta2_power", "emb", "emb/LazyAdam", "emb/LazyAdam_1"]
    assert optimizer.get_slot(var, "m").op.name == "emb/LazyAdam"


def _adamax_reference(steps, sparse, lr=0.1, beta1=0.9, beta2=0.999, eps=1e-8):
    lr, beta1, beta2, eps = map(_h, (lr, beta1, beta2, eps))
    var, m, v = INIT.copy(), np.zeros_like(INIT), np.zeros_like(INIT)
    beta1_power = np.float32(beta1)
    for _ in range(steps):
        if sparse:
            rows, grad = _sparse_grad(var)
        else:
            rows, grad = slice(None), _dense_grad(var)
        m[rows] = beta1 * m[rows] + (1 - beta1) * grad
        v[rows] = np.maximum(beta2 * v[rows], np.abs(grad))
        var[rows] -= lr / (1 - float(beta1_power)) * (m[rows] / (v[rows] + eps))
        beta1_power = beta1_power * np.float32(beta1)
    return var


@pytest.mark.parametrize("sparse", [False, True])
def test_adamax_matches_reference(sparse):
    got, var = _run_optimizer(opt.AdaMaxOptimizer(0.1), 3, sparse)
    np.testing.assert_allclose(got, _adamax_reference(3, sparse), rtol=1e-12)
    assert sorted(v.op.name for v in tf.global_variables()) == [
        "beta1_power", "w", "w/AdaMax", "w/AdaMax_1"]


@pytest.mark.parametrize("sparse", [False, True])
def test_nadam_matches_reference(sparse):
    got, _ = _run_optimizer(opt.NadamOptimizer(0.1), 3, sparse)
    np.testing.assert_allclose(got, _adam_reference(3, sparse, nesterov=True), rtol=1e-12)


@pytest.mark.parametrize("sparse", [False, True])
def test_adamw_decays_then_adam(sparse):
    got, _ = _run_optimizer(opt.AdamWOptimizer(0.05, learning_rate=0.1), 3, sparse)
    want = _adam_reference(3, sparse, weight_decay=0.05)
    np.testing.assert_allclose(got, want, rtol=1e-12)


@pytest.mark.parametrize("through_minimize", [False, True])
def test_weight_decay_only_on_decay_var_list(through_minimize):
    a = tf.Variable([1.0, 2.0], name="a")
    b = tf.Variable([3.0, 4.0], name="b")
    loss = tf.reduce_sum(a) + tf.reduce_sum(b)
    optimizer = opt.MomentumWOptimizer(0.1, learning_rate=0.5, momentum=0.9)
    if through_minimize:  # TF 1.15 drops the list on the way to apply_gradients
        train = optimizer.minimize(loss, decay_var_list=[a])
    else:
        train = optimizer.apply_gradients(optimizer.compute_gradients(loss),
                                          decay_var_list=[a])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(train)
        sess.run(train)
        got_a, got_b = sess.run([a, b])
    # momentum accum: 1, then 1.9; a also decays by 10% before each step.
    want_a = np.array([1.0, 2.0]) * 0.9 - 0.5
    want_a = want_a * 0.9 - 0.5 * 1.9
    np.testing.assert_allclose(got_a, want_a, rtol=1e-6)
    want_b = np.array([3.0, 4.0])
    if through_minimize:
        want_b = (want_b * 0.9 - 0.5) * 0.9 - 0.5 * 1.9
    else:
        want_b = want_b - 0.5 - 0.5 * 1.9
    np.testing.assert_allclose(got_b, want_b, rtol=1e-6)
    assert optimizer.get_slot(a, "momentum").op.name == "a/MomentumW"


def test_extend_with_decoupled_weight_decay():
    sgdw_class = opt.extend_with_decoupled_weight_decay(tf.train.GradientDescentOptimizer)
    optimizer = sgdw_class(0.1, 0.5)
    assert isinstance(optimizer, tf.train.GradientDescentOptimizer)
    got, _ = _run_optimizer(optimizer, 2, sparse=False)
    want = INIT.copy()
    for _ in range(2):
        grad = _dense_grad(want)
        want = want - 0.1 * want - 0.5 * grad
    np.testing.assert_allclose(got, want, rtol=1e-12)


def _sign_reference(steps, sparse, scale_fn, lr=0.1, beta=0.9):
    lr, beta = _h(lr), _h(beta)
    var, m = INIT.copy(), np.zeros_like(INIT)
    for _ in range(steps):
        if sparse:
            rows, values = _sparse_grad(var)
            grad = np.zeros_like(var)
            grad[rows] = values
        else:
            rows, grad = slice(None), _dense_grad(var)
        m = beta * m + (1 - beta) * grad
        scale = scale_fn(np.sign(grad) * np.sign(m))
        var[rows] -= (lr * scale * grad)[rows]
    return var


@pytest.mark.parametrize("sparse", [False, True])
def test_add_sign_matches_reference(sparse):
    got, var = _run_optimizer(opt.AddSignOptimizer(0.1, alpha=1.5), 3, sparse)
    np.testing.assert_allclose(got, _sign_reference(3, sparse, lambda s: _h(1.5) + s), rtol=1e-12)
    assert [v.op.name for v in tf.global_variables()] == ["w", "w/AddSignOptimizer"]


@pytest.mark.parametrize("sparse", [False, True])
def test_power_sign_matches_reference(sparse):
    got, _ = _run_optimizer(opt.PowerSignOptimizer(0.1, base=2.0), 3, sparse)
    want = _sign_reference(3, sparse, lambda s: np.exp(_h(math.log(2.0)) * s))
    np.testing.assert_allclose(got, want, rtol=1e-12)


def test_sign_decay_fn_gets_global_step():
    seen = []

    def sign_decay_fn(global_step):
        seen.append(global_step)
        return tf.constant(0.0, tf.float64)

    got, _ = _run_optimizer(opt.AddSignOptimizer(0.1, sign_decay_fn=sign_decay_fn), 2,
                            sparse=False, global_step=True)
    assert seen and seen[0].op.name == "global_step"
    want = INIT.copy()
    for _ in range(2):  # sign_decay 0: plain gradient descent scaled by alpha
        want = want - _h(0.1) * _dense_grad(want)
    np.testing.assert_allclose(got, want, rtol=1e-12)


def test_moving_average_optimizer_and_swapping_saver(tmp_path):
    var = tf.Variable([1.0, 2.0], name="v")
    optimizer = opt.MovingAverageOptimizer(tf.train.GradientDescentOptimizer(1.0),
                                           average_decay=0.5)
    with pytest.raises(RuntimeError, match="Must call apply_gradients"):
        optimizer.swapping_saver()
    train = optimizer.minimize(tf.reduce_sum(var))
    saver = optimizer.swapping_saver()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(train)
        sess.run(train)
        path = saver.save(sess, str(tmp_path / "model"))
    # v: 1,2 -> 0,1 -> -1,0; average (decay 0.5): 0.5,1.5 -> -0.25,0.75.
    reader = tf.train.load_checkpoint(path)
    np.testing.assert_allclose(reader.get_tensor("v"), [-0.25, 0.75])
    np.testing.assert_allclose(reader.get_tensor("v/ExponentialMovingAverage"), [-1.0, 0.0])


def test_scipy_interface_minimises_a_bounded_quadratic():
    x = tf.Variable([3.0, -4.0, 1.0], dtype=tf.float64, name="x")
    loss = tf.reduce_sum(tf.square(x - [1.0, 2.0, -3.0]))
    optimizer = opt.ScipyOptimizerInterface(loss, var_to_bounds={x: (-1.0, 1.5)},
                                            options={"maxiter": 100})
    losses, steps = [], []
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        optimizer.minimize(sess, fetches=[loss], loss_callback=losses.append,
                           step_callback=steps.append)
        got = sess.run(x)
    np.testing.assert_allclose(got, [1.0, 1.5, -1.0], atol=1e-6)
    assert losses[-1] == pytest.approx(0.25 + 4.0, abs=1e-6) and steps


def test_scipy_interface_with_equality_and_inequality_constraints():
    x = tf.Variable([0.0, 0.0], dtype=tf.float64)
    loss = tf.reduce_sum(tf.square(x))
    optimizer = opt.ScipyOptimizerInterface(
        loss, equalities=[x[0] + x[1] - 2.0], inequalities=[x[0] - 1.5], method="SLSQP")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        optimizer.minimize(sess)
        np.testing.assert_allclose(sess.run(x), [1.5, 0.5], atol=1e-6)


def test_scipy_interface_fits_a_logistic_regression():
    rng = np.random.RandomState(0)
    features = rng.randn(40, 2)
    labels = (features @ [1.5, -2.0] + 0.3 * rng.randn(40) > 0).astype(np.float64)
    features_ph = tf.placeholder(tf.float64, [None, 2])
    w = tf.Variable(np.zeros([2, 1]), name="w")
    b = tf.Variable(0.0, dtype=tf.float64, name="b")
    logits = tf.squeeze(tf.matmul(features_ph, w), 1) + b
    loss = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels=labels,
                                                                  logits=logits))
    loss += 0.05 * tf.reduce_sum(tf.square(w))
    gradients = tf.gradients(loss, [w, b])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        opt.ScipyOptimizerInterface(loss, options={"maxiter": 200}).minimize(
            sess, feed_dict={features_ph: features})
        grad_w, grad_b = sess.run(gradients, {features_ph: features})
    assert np.abs(grad_w).max() < 1e-5 and abs(grad_b) < 1e-5


def test_scipy_interface_refuses_set_arguments():
    x = tf.Variable([1.0], dtype=tf.float64)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        with pytest.raises(ValueError, match="var_to_bounds"):
            opt.ScipyOptimizerInterface(tf.reduce_sum(x), bounds=[(0, 1)]).minimize(sess)
        with pytest.raises(ValueError, match="'jac' is set automatically"):
            opt.ScipyOptimizerInterface(tf.reduce_sum(x), jac=False).minimize(sess)


def test_multitask_wrapper_keeps_state_on_all_zero_gradients():
    a = tf.Variable([1.0, 2.0], name="a")
    b = tf.Variable([3.0, 4.0], name="b")
    use_b = tf.placeholder(tf.float32, [])
    loss = tf.reduce_sum(a) + use_b * tf.reduce_sum(b)
    optimizer = opt.MultitaskOptimizerWrapper(tf.train.MomentumOptimizer(0.5, momentum=0.9))
    pairs, norm = opt.clip_gradients_by_global_norm(optimizer.compute_gradients(loss), 1.0)
    train = optimizer.apply_gradients(pairs)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run(norm, {use_b: 0.0}) == pytest.approx(np.sqrt(2.0))
        sess.run(train, {use_b: 0.0})  # b's gradient is all zeros: b and its slot stay
        got_b, b_accum = sess.run([b, optimizer.get_slot(b, "momentum")])
        np.testing.assert_array_equal(got_b, [3.0, 4.0])
        np.testing.assert_array_equal(b_accum, [0.0, 0.0])
        clipped = 1.0 / np.sqrt(2.0)  # a's gradient [1, 1] clipped to norm 1
        np.testing.assert_allclose(sess.run(a), [1.0 - 0.5 * clipped, 2.0 - 0.5 * clipped],
                                   rtol=1e-6)
    with pytest.raises(TypeError, match="must be an instance of tf.train.Optimizer"):
        opt.MultitaskOptimizerWrapper(object())


@pytest.mark.parametrize("sparse", [False, True])
def test_variable_clipping_optimizer_clips_rows_after_the_update(sparse):
    var = tf.Variable(INIT, name="w")
    optimizer = opt.VariableClippingOptimizer(tf.train.GradientDescentOptimizer(0.1),
                                              {var: [1]}, max_norm=1.0)
    if sparse:
        loss = 0.5 * tf.reduce_sum(tf.square(tf.gather(var, ROWS) - TARGET[ROWS]))
    else:
        loss = 0.5 * tf.reduce_sum(tf.square(var - TARGET))
    train = optimizer.minimize(loss)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(train)
        got = sess.run(var)
    if sparse:
        rows, values = _sparse_grad(INIT)
        want = INIT.copy()
        want[rows] -= 0.1 * values
        clipped = rows
    else:
        want, clipped = INIT - 0.1 * _dense_grad(INIT), slice(None)
    norms = np.linalg.norm(want[clipped], axis=1, keepdims=True)
    want[clipped] *= 1.0 / np.maximum(norms, 1.0)
    np.testing.assert_allclose(got, want, rtol=1e-6)
    assert optimizer.get_slot_names() == []

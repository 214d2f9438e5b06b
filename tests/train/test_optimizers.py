"""tf.train optimizers: several steps of every optimizer against a NumPy implementation of
TF 1.x's update rule (float32 to 1e-6), slot and non-slot variables named as TF names them,
the train op and its name scope, None/zero gradients, var_list subsets (frozen variables stay
bit-for-bit), learning rates as tensors, the global step, atomic failing steps, and each
optimizer training a small MLP on real MNIST data."""
import gzip

import numpy as np
import pytest

import tfcompat as tf

f32 = np.float32
rng = np.random.default_rng(3)


def _h(x):
    """A hyperparameter as the kernels see it: a float32 tensor's value."""
    return float(f32(x))


# ---- NumPy references of TF's rules: init(var) -> {slot: array}; step(var, slots, g, t) ----------
def gd(lr):
    def step(var, slots, g, t):
        return var - _h(lr) * g
    return {}, step


def momentum(lr, mu, nesterov=False):
    def step(var, slots, g, t):
        slots["momentum"] = slots["momentum"] * _h(mu) + g
        if nesterov:
            return var - (g * _h(lr) + slots["momentum"] * _h(mu) * _h(lr))
        return var - slots["momentum"] * _h(lr)
    return {"momentum": np.zeros_like}, step


def adagrad(lr, initial=0.1):
    def step(var, slots, g, t):
        slots["accumulator"] = slots["accumulator"] + g * g
        return var - _h(lr) * g / np.sqrt(slots["accumulator"])
    return {"accumulator": lambda v: np.full_like(v, _h(initial))}, step


def rmsprop(lr, decay=0.9, mu=0.0, eps=1e-10, centered=False):
    def step(var, slots, g, t):
        rho = _h(decay)
        slots["rms"] = rho * slots["rms"] + (1 - rho) * g * g
        denominator = slots["rms"] + _h(eps)
        if centered:
            slots["mg"] = rho * slots["mg"] + (1 - rho) * g
            denominator = denominator - slots["mg"] ** 2
        slots["momentum"] = _h(mu) * slots["momentum"] + _h(lr) * g / np.sqrt(denominator)
        return var - slots["momentum"]
    init = {"rms": np.ones_like, "momentum": np.zeros_like}
    if centered:
        init["mg"] = np.zeros_like
    return init, step


def adam(lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    def step(var, slots, g, t):
        # The beta powers are float32 variables multiplied by beta after each step.
        beta1_power, beta2_power = f32(beta1), f32(beta2)
        for _ in range(t):
            beta1_power, beta2_power = beta1_power * f32(beta1), beta2_power * f32(beta2)
        lr_t = _h(lr) * np.sqrt(1 - float(beta2_power)) / (1 - float(beta1_power))
        slots["m"] = _h(beta1) * slots["m"] + (1 - _h(beta1)) * g
        slots["v"] = _h(beta2) * slots["v"] + (1 - _h(beta2)) * g * g
        return var - lr_t * slots["m"] / (np.sqrt(slots["v"]) + _h(eps))
    return {"m": np.zeros_like, "v": np.zeros_like}, step


def ftrl(lr, power=-0.5, initial=0.1, l1=0.0, l2=0.0, shrinkage=0.0):
    def step(var, slots, g, t):
        accum, linear = slots["accum"], slots["linear"]
        new_accum = accum + g * g
        sigma = (new_accum ** -_h(power) - accum ** -_h(power)) / _h(lr)
        linear = linear + g + 2 * _h(shrinkage) * var - sigma * var
        quadratic = new_accum ** -_h(power) / _h(lr) + 2 * _h(l2)
        slots["accum"], slots["linear"] = new_accum, linear
        return np.where(np.abs(linear) > _h(l1),
                        (np.sign(linear) * _h(l1) - linear) / quadratic, 0.0)
    return {"accum": lambda v: np.full_like(v, _h(initial)), "linear": np.zeros_like}, step


def adadelta(lr=0.001, rho=0.95, eps=1e-8):
    def step(var, slots, g, t):
        r = _h(rho)
        slots["accum"] = r * slots["accum"] + (1 - r) * g * g
        update = np.sqrt(slots["accum_update"] + _h(eps)) / np.sqrt(slots["accum"] + _h(eps)) * g
        slots["accum_update"] = r * slots["accum_update"] + (1 - r) * update * update
        return var - _h(lr) * update
    return {"accum": np.zeros_like, "accum_update": np.zeros_like}, step


def proximal_gd(lr, l1=0.0, l2=0.0):
    def step(var, slots, g, t):
        prox = var - _h(lr) * g
        return (np.sign(prox) * np.maximum(np.abs(prox) - _h(lr) * _h(l1), 0)
                / (1 + _h(lr) * _h(l2)))
    return {}, step


# (id, optimizer factory, reference, {slot: TF variable suffix}, non-slot variable names)
OPTIMIZERS = [
    ("GradientDescent", lambda: tf.train.GradientDescentOptimizer(0.1), gd(0.1), {}, []),
    ("Momentum", lambda: tf.train.MomentumOptimizer(0.05, 0.9), momentum(0.05, 0.9),
     {"momentum": "Momentum"}, []),
    ("Nesterov", lambda: tf.train.MomentumOptimizer(0.05, 0.9, use_nesterov=True),
     momentum(0.05, 0.9, nesterov=True), {"momentum": "Momentum"}, []),
    ("Adagrad", lambda: tf.train.AdagradOptimizer(0.1), adagrad(0.1),
     {"accumulator": "Adagrad"}, []),
    ("RMSProp", lambda: tf.train.RMSPropOptimizer(0.01, momentum=0.5), rmsprop(0.01, mu=0.5),
     {"rms": "RMSProp", "momentum": "RMSProp_1"}, []),
    ("CenteredRMSProp",
     lambda: tf.train.RMSPropOptimizer(0.01, decay=0.8, momentum=0.3, epsilon=1e-4,
                                       centered=True),
     rmsprop(0.01, decay=0.8, mu=0.3, eps=1e-4, centered=True),
     {"rms": "RMSProp", "mg": "RMSProp_1", "momentum": "RMSProp_2"}, []),
    ("Adam", lambda: tf.train.AdamOptimizer(0.01), adam(0.01), {"m": "Adam", "v": "Adam_1"},
     ["beta1_power", "beta2_power"]),
    ("Ftrl", lambda: tf.train.FtrlOptimizer(0.3, l1_regularization_strength=0.001,
                                            l2_regularization_strength=0.01),
     ftrl(0.3, l1=0.001, l2=0.01), {"accum": "Ftrl", "linear": "Ftrl_1"}, []),
    ("FtrlV2", lambda: tf.train.FtrlOptimizer(0.3, learning_rate_power=-0.7,
                                              l1_regularization_strength=0.01,
                                              l2_shrinkage_regularization_strength=0.05),
     ftrl(0.3, power=-0.7, l1=0.01, shrinkage=0.05), {"accum": "Ftrl", "linear": "Ftrl_1"},
     []),
    ("Adadelta", lambda: tf.train.AdadeltaOptimizer(1.0, rho=0.9, epsilon=1e-6),
     adadelta(1.0, rho=0.9, eps=1e-6), {"accum": "Adadelta", "accum_update": "Adadelta_1"},
     []),
    ("ProximalGD", lambda: tf.train.ProximalGradientDescentOptimizer(
        0.1, l1_regularization_strength=0.05, l2_regularization_strength=0.1),
     proximal_gd(0.1, 0.05, 0.1), {}, []),
]
IDS = [case[0] for case in OPTIMIZERS]
SHAPES = {"kernel": (3, 4), "bias": (4,)}


def _model(dtype=tf.float32):
    """hidden1/kernel and hidden1/bias (get_variable, the book's naming), values fixed."""
    with tf.variable_scope("hidden1"):
        kernel = tf.get_variable("kernel", initializer=rng.normal(size=(3, 4)).astype(
            dtype.as_numpy_dtype))
        bias = tf.get_variable("bias", initializer=rng.normal(size=4).astype(
            dtype.as_numpy_dtype))
    return kernel, bias


def _values(sess, variables):
    return [np.asarray(v).astype(np.float64) for v in sess.run(list(variables))]


@pytest.mark.parametrize("case_id,make,reference,slot_names,non_slots", OPTIMIZERS, ids=IDS)
def test_apply_gradients_matches_tf_rule(case_id, make, reference, slot_names, non_slots):
    init, step = reference
    with tf.Graph().as_default():
        kernel, bias = _model()
        g_kernel = tf.placeholder(tf.float32, SHAPES["kernel"])
        g_bias = tf.placeholder(tf.float32, SHAPES["bias"])
        optimizer = make()
        train_op = optimizer.apply_gradients([(g_kernel, kernel), (g_bias, bias)])
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            state = {}
            for var, value in zip((kernel, bias), _values(sess, (kernel, bias))):
                state[var] = (value, {name: fn(value) for name, fn in init.items()})
            for t in range(6):
                grads = {kernel: rng.normal(size=SHAPES["kernel"]).astype(f32),
                         bias: rng.normal(size=SHAPES["bias"]).astype(f32)}
                if t == 2:
                    grads[kernel][1] = 0.0  # a zero-gradient row
                sess.run(train_op, {g_kernel: grads[kernel], g_bias: grads[bias]})
                for var in (kernel, bias):
                    value, slots = state[var]
                    value = step(value, slots, grads[var].astype(np.float64), t)
                    got = _values(sess, [var] + [optimizer.get_slot(var, n) for n in slots])
                    np.testing.assert_allclose(got[0], value, rtol=1e-6, atol=1e-6)
                    for name, slot_value in zip(slots, got[1:]):
                        np.testing.assert_allclose(slot_value, slots[name], rtol=1e-6,
                                                   atol=1e-6, err_msg=name)
                    # Continue from what the float32 kernels stored.
                    state[var] = (got[0], dict(zip(slots, got[1:])))


@pytest.mark.parametrize("case_id,make,reference,slot_names,non_slots", OPTIMIZERS, ids=IDS)
def test_minimize_matches_tf_rule_with_graph_gradients(case_id, make, reference, slot_names,
                                                        non_slots):
    # loss = sum(A * W² / 2 + B * W) + sum(c * b² / 2), gradients A * W + B and c * b.
    init, step = reference
    a = rng.uniform(0.5, 1.5, SHAPES["kernel"]).astype(f32)
    b = rng.normal(size=SHAPES["kernel"]).astype(f32)
    c = rng.uniform(0.5, 1.5, SHAPES["bias"]).astype(f32)
    with tf.Graph().as_default():
        kernel, bias = _model()
        loss = (tf.reduce_sum(a * tf.square(kernel) / 2.0 + tf.constant(b) * kernel)
                + tf.reduce_sum(c * tf.square(bias) / 2.0))
        optimizer = make()
        train_op = optimizer.minimize(loss)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            values = _values(sess, (kernel, bias))
            slots = [{n: fn(v) for n, fn in init.items()} for v in values]
            for t in range(5):
                grads = [a * values[0] + b, c * values[1]]
                sess.run(train_op)
                values = [step(v, s, g, t) for v, s, g in zip(values, slots, grads)]
                got = _values(sess, (kernel, bias))
                for g_value, want in zip(got, values):
                    np.testing.assert_allclose(g_value, want, rtol=2e-6, atol=2e-6)
                values = got


@pytest.mark.parametrize("case_id", ["Momentum", "RMSProp", "Adam", "Ftrl"])
def test_float64_variables_use_the_float32_hyperparameters_cast(case_id):
    _, make, (init, step), _, _ = OPTIMIZERS[IDS.index(case_id)]
    with tf.Graph().as_default():
        kernel, bias = _model(tf.float64)
        g = tf.placeholder(tf.float64, SHAPES["kernel"])
        optimizer = make()
        train_op = optimizer.apply_gradients([(g, kernel)])
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            value = sess.run(kernel)
            # Slots start from the exact float64 constants (TF builds them in the var's dtype).
            slots = {n: sess.run(optimizer.get_slot(kernel, n)) for n in init}
            for t in range(4):
                grad = rng.normal(size=SHAPES["kernel"])
                sess.run(train_op, {g: grad})
                value = step(value, slots, grad, t)
            result = sess.run(kernel)
    assert result.dtype == np.float64
    np.testing.assert_allclose(result, value, rtol=1e-12, atol=1e-12)


# ---- slots, names, collections -------------------------------------------------------------------
@pytest.mark.parametrize("case_id,make,reference,slot_names,non_slots", OPTIMIZERS, ids=IDS)
def test_slot_and_non_slot_variables_are_named_like_tf(case_id, make, reference, slot_names,
                                                       non_slots):
    init, _ = reference
    with tf.Graph().as_default() as graph:
        kernel, bias = _model()
        loss = tf.reduce_sum(tf.square(kernel)) + tf.reduce_sum(bias)
        with tf.name_scope("train"):
            optimizer = make()
            train_op = optimizer.minimize(loss)
        name = optimizer.get_name()
        assert train_op.name == f"train/{name}" and train_op.type == "NoOp"
        assert graph.get_collection(tf.GraphKeys.TRAIN_OP) == [train_op]
        assert optimizer.get_slot_names() == sorted(slot_names)
        expected = [f"train/{n}:0" for n in non_slots]  # the caller's name scope, as TF
        for var in (kernel, bias):
            for slot, suffix in slot_names.items():
                slot_var = optimizer.get_slot(var, slot)
                assert slot_var.name == f"{var.op.name}/{suffix}:0"
                assert optimizer.get_slot(var._ref(), slot) is slot_var
                assert slot_var.shape == var.shape and slot_var.dtype == var.dtype
                expected.append(slot_var.name)
        assert optimizer.get_slot(kernel, "no_such_slot") is None
        assert [v.name for v in optimizer.variables()] == sorted(expected)
        trainable = tf.trainable_variables()
        assert [v.name for v in trainable] == ["hidden1/kernel:0", "hidden1/bias:0"]
        assert all(v in tf.global_variables() for v in optimizer.variables())
        update_ops = [op for op in graph.get_operations() if op.type.startswith("Apply")]
        assert sorted(op.name.rsplit("/", 1)[0] for op in update_ops) == [
            f"train/{name}/update_hidden1/bias", f"train/{name}/update_hidden1/kernel"]
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for var in (kernel, bias):
                value = sess.run(var)
                for slot, fn in init.items():
                    np.testing.assert_array_equal(sess.run(optimizer.get_slot(var, slot)),
                                                  fn(value).astype(f32))


def test_adam_beta_powers_are_scalars_stepped_once_per_run():
    with tf.Graph().as_default():
        kernel, bias = _model()
        optimizer = tf.train.AdamOptimizer(0.1, beta1=0.8, beta2=0.99)
        train_op = optimizer.minimize(tf.reduce_sum(kernel) + tf.reduce_sum(bias))
        beta1_power, beta2_power = optimizer._get_beta_accumulators()
        assert beta1_power.name == "beta1_power:0" and beta2_power.name == "beta2_power:0"
        assert beta1_power.shape.ndims == 0 and not beta1_power.trainable
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for _ in range(3):
                sess.run(train_op)
            np.testing.assert_allclose(sess.run([beta1_power, beta2_power]),
                                       [0.8 ** 4, 0.99 ** 4], rtol=1e-6)


def test_rmsprop_ms_starts_at_one_and_adagrad_at_initial_value():
    with tf.Graph().as_default():
        kernel, _ = _model()
        rms = tf.train.RMSPropOptimizer(0.01)
        ada = tf.train.AdagradOptimizer(0.01, initial_accumulator_value=0.25)
        rms.minimize(tf.reduce_sum(kernel), var_list=[kernel])
        ada.minimize(tf.reduce_sum(kernel), var_list=[kernel])
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            np.testing.assert_array_equal(sess.run(rms.get_slot(kernel, "rms")), np.ones((3, 4)))
            np.testing.assert_array_equal(sess.run(ada.get_slot(kernel, "accumulator")),
                                          np.full((3, 4), 0.25, f32))


def test_two_optimizers_and_repeated_minimize_get_unique_names():
    with tf.Graph().as_default():
        kernel, bias = _model()
        loss = tf.reduce_sum(kernel) + tf.reduce_sum(bias)
        first = tf.train.AdamOptimizer()
        op1 = first.minimize(loss)
        op2 = first.minimize(loss)  # the same slots again, a second train op
        second = tf.train.AdamOptimizer(name="Adam2")
        op3 = second.minimize(loss, var_list=[kernel], name="my_step")
        assert (op1.name, op2.name, op3.name) == ("Adam", "Adam_1", "my_step")
        assert first.get_slot(kernel, "m").name == "hidden1/kernel/Adam:0"
        assert second.get_slot(kernel, "m").name == "hidden1/kernel/Adam2:0"
        assert second.get_slot(kernel, "v").name == "hidden1/kernel/Adam2_1:0"
        assert second._get_beta_accumulators()[0].name == "beta1_power_1:0"
        assert len(first.variables()) == 6


def test_slots_follow_the_variable_scope_and_get_slot_by_ref_tensor():
    with tf.Graph().as_default() as graph:
        kernel, _ = _model()
        with tf.variable_scope("outer"):
            optimizer = tf.train.MomentumOptimizer(0.1, 0.9)
            optimizer.minimize(tf.reduce_sum(kernel), var_list=[kernel])
        ref = graph.get_tensor_by_name("hidden1/kernel:0")
        assert optimizer.get_slot(ref, "momentum").name == "outer/hidden1/kernel/Momentum:0"


# ---- gradients: None, zero, subsets --------------------------------------------------------------
def test_none_gradients_are_kept_and_skipped():
    with tf.Graph().as_default():
        kernel, bias = _model()
        unused = tf.Variable(np.arange(3.0, dtype=f32), name="unused")
        optimizer = tf.train.AdamOptimizer(0.1)
        grads_and_vars = optimizer.compute_gradients(tf.reduce_sum(kernel * kernel))
        assert [v for _, v in grads_and_vars] == [kernel, bias, unused]
        assert grads_and_vars[0][0] is not None
        assert grads_and_vars[1][0] is None and grads_and_vars[2][0] is None
        train_op = optimizer.apply_gradients(grads_and_vars)
        assert optimizer.get_slot(bias, "m") is None and optimizer.get_slot(kernel, "m")
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            before = sess.run([kernel, bias, unused])
            sess.run(train_op)
            after = sess.run([kernel, bias, unused])
        assert not np.array_equal(before[0], after[0])
        np.testing.assert_array_equal(before[1], after[1])
        np.testing.assert_array_equal(before[2], after[2])


def test_no_gradients_errors():
    with tf.Graph().as_default():
        kernel, bias = _model()
        x = tf.placeholder(tf.float32, [None])
        loss = tf.reduce_sum(x * 2.0, name="loss")
        optimizer = tf.train.GradientDescentOptimizer(0.1)
        with pytest.raises(ValueError) as info:
            optimizer.minimize(loss)
        assert str(info.value) == (
            "No gradients provided for any variable, check your graph for ops that do not "
            "support gradients, between variables [\"<tf.Variable 'hidden1/kernel:0' "
            "shape=(3, 4) dtype=float32_ref>\", \"<tf.Variable 'hidden1/bias:0' shape=(4,) "
            "dtype=float32_ref>\"] and loss Tensor(\"loss:0\", shape=(), dtype=float32).")
        with pytest.raises(ValueError, match=r"^No gradients provided for any variable: \["):
            optimizer.apply_gradients([(None, kernel), (None, bias)])
        with pytest.raises(ValueError, match="No variables provided."):
            optimizer.apply_gradients([])
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match="No variables to optimize."):
            tf.train.GradientDescentOptimizer(0.1).minimize(tf.constant(1.0) * 2.0)


@pytest.mark.parametrize("case_id,make,reference,slot_names,non_slots", OPTIMIZERS, ids=IDS)
def test_var_list_subset_leaves_frozen_variables_bit_for_bit(case_id, make, reference,
                                                             slot_names, non_slots):
    with tf.Graph().as_default():
        kernel, bias = _model()
        with tf.variable_scope("hidden2"):
            kernel2 = tf.get_variable("kernel", initializer=rng.normal(size=(4, 2)).astype(f32))
        x = tf.constant(rng.normal(size=(5, 3)).astype(f32))
        loss = tf.reduce_sum(tf.square(tf.matmul(tf.maximum(tf.matmul(x, kernel) + bias, 0.0),
                                                 kernel2)))
        train_vars = tf.get_collection(tf.GraphKeys.TRAINABLE_VARIABLES, scope="hidden2")
        optimizer = make()
        train_op = optimizer.minimize(loss, var_list=train_vars)
        assert optimizer.get_slot(kernel, next(iter(slot_names), "x")) is None
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            frozen = [v.copy() for v in sess.run([kernel, bias])]
            trained = sess.run(kernel2)
            for _ in range(3):
                sess.run(train_op)
            now = sess.run([kernel, bias, kernel2])
    assert all(np.array_equal(a, b) and a.tobytes() == b.tobytes()
               for a, b in zip(frozen, now[:2]))
    assert not np.array_equal(trained, now[2])


def test_zero_gradients_change_nothing_and_stay_finite():
    for case_id, make, _, slot_names, _ in OPTIMIZERS:
        with tf.Graph().as_default():
            kernel, bias = _model()
            optimizer = make()
            train_op = optimizer.minimize(tf.reduce_sum(kernel * 0.0), var_list=[kernel])
            with tf.Session() as sess:
                sess.run(tf.global_variables_initializer())
                before = sess.run(kernel)
                for _ in range(3):
                    sess.run(train_op)
                after = sess.run([kernel] + [optimizer.get_slot(kernel, s) for s in slot_names])
        assert all(np.all(np.isfinite(a)) for a in after), case_id
        if case_id not in ("Ftrl", "FtrlV2", "ProximalGD"):  # these shrink towards zero
            np.testing.assert_array_equal(after[0], before, err_msg=case_id)


# ---- learning rates as tensors, the global step --------------------------------------------------
def test_decaying_learning_rate_tensor_and_global_step():
    with tf.Graph().as_default():
        kernel, bias = _model()
        global_step = tf.Variable(0, trainable=False, name="global_step")
        learning_rate = tf.train.exponential_decay(0.1, global_step, 2, 0.5)
        optimizer = tf.train.GradientDescentOptimizer(learning_rate)
        loss = tf.reduce_sum(kernel * kernel) / 2.0
        train_op = optimizer.minimize(loss, global_step=global_step)
        assert train_op.type == "AssignAdd" and train_op.name == "GradientDescent"
        update = tf.get_default_graph().get_operation_by_name("GradientDescent/update")
        assert update.type == "NoOp" and update in train_op.control_inputs
        assert tf.get_collection(tf.GraphKeys.TRAIN_OP) == [train_op]
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            value = sess.run(kernel).astype(np.float64)
            for t in range(5):
                sess.run(train_op)
                lr = f32(0.1) * f32(0.5) ** f32(t / 2)
                value = value - float(lr) * value
                assert tf.train.global_step(sess, global_step) == t + 1
            np.testing.assert_allclose(sess.run(kernel), value, rtol=1e-5)


def test_learning_rate_placeholder_and_callable():
    with tf.Graph().as_default():
        kernel, _ = _model()
        lr = tf.placeholder(tf.float32, [], name="lr")
        by_feed = tf.train.MomentumOptimizer(lr, 0.9).minimize(
            tf.reduce_sum(kernel), var_list=[kernel])
        calls = []

        def schedule():
            calls.append(1)
            return tf.constant(0.5)
        by_callable = tf.train.GradientDescentOptimizer(schedule).minimize(
            tf.reduce_sum(kernel), var_list=[kernel])
        assert calls == [1]
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            start = sess.run(kernel)
            sess.run(by_feed, {lr: 0.1})
            sess.run(by_feed, {lr: 0.2})
            # accum: 1 then 1.9; var -= 0.1 * 1 + 0.2 * 1.9
            np.testing.assert_allclose(sess.run(kernel), start - 0.48, rtol=1e-6)
            sess.run(by_callable)
            np.testing.assert_allclose(sess.run(kernel), start - 0.98, rtol=1e-6)


def test_get_or_create_global_step_with_adam():
    with tf.Graph().as_default():
        kernel, _ = _model()
        step = tf.train.get_or_create_global_step()
        optimizer = tf.train.AdamOptimizer(0.01)
        with tf.name_scope("train"):
            train_op = optimizer.minimize(tf.reduce_sum(kernel), global_step=step)
        assert train_op.name == "train/Adam" and train_op.type == "AssignAdd"
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for _ in range(4):
                sess.run(train_op)
            assert sess.run(step) == 4 and sess.run(step).dtype == np.int64
            np.testing.assert_allclose(sess.run("train/beta1_power:0"), 0.9 ** 5, rtol=1e-6)


def test_failing_step_changes_no_variable_slot_or_step():
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [None, None], name="X")
        kernel, bias = _model()
        step = tf.Variable(0, trainable=False, name="global_step")
        loss = tf.reduce_mean(tf.square(tf.matmul(x, kernel) + bias))
        optimizer = tf.train.AdamOptimizer(0.1)
        train_op = optimizer.minimize(loss, global_step=step)
        everything = tf.global_variables()
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            sess.run(train_op, {x: np.ones((2, 3))})
            before = sess.run(everything)
            with pytest.raises(tf.errors.InvalidArgumentError, match="X"):
                sess.run(train_op)  # X not fed
            with pytest.raises(tf.errors.InvalidArgumentError):
                sess.run(train_op, {x: np.ones((2, 5))})  # MatMul fails at run time
            after = sess.run(everything)
            assert sess.run(step) == 1
    for a, b in zip(before, after):
        np.testing.assert_array_equal(a, b)


def test_constraint_is_applied_after_the_update():
    with tf.Graph().as_default():
        w = tf.Variable([2.0, -3.0], name="w",
                        constraint=lambda v: tf.clip_by_value(v, -1.0, 1.0))
        train_op = tf.train.GradientDescentOptimizer(0.1).minimize(tf.reduce_sum(w))
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            sess.run(train_op)
            np.testing.assert_allclose(sess.run(w), [1.0, -1.0])


def test_argument_errors():
    with tf.Graph().as_default():
        kernel, _ = _model()
        optimizer = tf.train.GradientDescentOptimizer(0.1)
        with pytest.raises(ValueError, match="gate_gradients must be one of"):
            optimizer.compute_gradients(tf.reduce_sum(kernel), gate_gradients=7)
        with pytest.raises(ValueError, match=r"Invalid type tf.int32 for Const.*expected: "
                                             r"\[tf.float16, tf.bfloat16, tf.float32, "
                                             r"tf.float64\]"):
            optimizer.minimize(tf.constant(1))
        gated = optimizer.compute_gradients(tf.reduce_sum(kernel),
                                            gate_gradients=optimizer.GATE_GRAPH)
        assert gated[0][0].op.type == "Identity"
    with pytest.raises(ValueError, match="Must specify the optimizer name"):
        tf.train.GradientDescentOptimizer(0.1, name="")
    with pytest.raises(ValueError, match="initial_accumulator_value must be positive"):
        tf.train.AdagradOptimizer(0.1, initial_accumulator_value=0.0)
    with pytest.raises(ValueError, match="learning_rate_power 0.500000 needs to be negative"):
        tf.train.FtrlOptimizer(0.1, learning_rate_power=0.5)
    with pytest.raises(ValueError, match="l1_regularization_strength -1.000000 needs"):
        tf.train.FtrlOptimizer(0.1, l1_regularization_strength=-1.0)
    assert isinstance(tf.train.AdamOptimizer(), tf.train.Optimizer)
    with pytest.raises(AttributeError, match="tf.train.NoSuchThing"):
        tf.train.NoSuchThing  # noqa: B018


# ---- real MNIST: every optimizer trains the chapter's kind of MLP --------------------------------
def _mnist(folder, n):
    with gzip.open(folder / "train-images-idx3-ubyte.gz", "rb") as f:
        x = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 784)[:n]
    with gzip.open(folder / "train-labels-idx1-ubyte.gz", "rb") as f:
        y = np.frombuffer(f.read(), np.uint8, offset=8)[:n]
    return x.astype(f32) / 255.0, y.astype(np.int64)


MNIST_OPTIMIZERS = {
    "GradientDescent": lambda: tf.train.GradientDescentOptimizer(0.2),
    "Momentum": lambda: tf.train.MomentumOptimizer(0.02, 0.9),
    "Nesterov": lambda: tf.train.MomentumOptimizer(0.02, 0.9, use_nesterov=True),
    "Adagrad": lambda: tf.train.AdagradOptimizer(0.05),
    "RMSProp": lambda: tf.train.RMSPropOptimizer(0.001, momentum=0.9, decay=0.9,
                                                 epsilon=1e-10),
    "CenteredRMSProp": lambda: tf.train.RMSPropOptimizer(0.001, centered=True),
    "Adam": lambda: tf.train.AdamOptimizer(0.002),
    "Ftrl": lambda: tf.train.FtrlOptimizer(0.2),
    "Adadelta": lambda: tf.train.AdadeltaOptimizer(1.0),
    "ProximalGD": lambda: tf.train.ProximalGradientDescentOptimizer(
        0.2, l1_regularization_strength=1e-5),
}


@pytest.fixture(scope="module")
def mnist(mnist_source):
    return _mnist(mnist_source, 6000)


@pytest.mark.parametrize("name", sorted(MNIST_OPTIMIZERS))
def test_optimizer_trains_mlp_on_mnist(name, mnist):
    images, labels = mnist
    train_x, train_y = images[:5000], labels[:5000]
    test_x, test_y = images[5000:], labels[5000:]
    with tf.Graph().as_default():
        tf.set_random_seed(42)
        X = tf.placeholder(tf.float32, shape=(None, 784), name="X")
        y = tf.placeholder(tf.int64, shape=(None,), name="y")
        with tf.name_scope("dnn"):
            w1 = tf.Variable(tf.truncated_normal([784, 64], stddev=2 / np.sqrt(784)),
                             name="w1")
            b1 = tf.Variable(tf.zeros([64]), name="b1")
            w2 = tf.Variable(tf.truncated_normal([64, 10], stddev=2 / np.sqrt(64)),
                             name="w2")
            b2 = tf.Variable(tf.zeros([10]), name="b2")
            hidden = tf.maximum(tf.matmul(X, w1) + b1, 0.0)
            logits = tf.matmul(hidden, w2) + b2
        with tf.name_scope("loss"):
            shifted = logits - tf.stop_gradient(tf.reduce_max(logits, axis=1, keepdims=True))
            log_probs = shifted - tf.log(tf.reduce_sum(tf.exp(shifted), axis=1, keepdims=True))
            loss = -tf.reduce_mean(tf.reduce_sum(tf.one_hot(y, 10) * log_probs, axis=1))
        with tf.name_scope("train"):
            training_op = MNIST_OPTIMIZERS[name]().minimize(loss)
        accuracy = tf.reduce_mean(tf.cast(tf.equal(tf.argmax(logits, 1), y), tf.float32))
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            start = sess.run(loss, {X: test_x, y: test_y})
            order = np.random.default_rng(0).permutation(5000)
            for step in range(200):
                batch = order[(step * 50) % 5000:(step * 50) % 5000 + 50]
                sess.run(training_op, {X: train_x[batch], y: train_y[batch]})
            end, acc = sess.run([loss, accuracy], {X: test_x, y: test_y})
    assert np.isfinite(end)
    assert end < 0.5 * start, (name, start, end)
    assert acc > 0.8, (name, acc)

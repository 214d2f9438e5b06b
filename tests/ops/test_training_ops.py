"""Apply* ops: several steps against NumPy implementations of TF 1.x's kernel formulas
(float32 to 1e-6, float64 to 1e-12), in-place updates of the Session's arrays, TF's static
and run-time errors, and that a failing step changes nothing."""
import numpy as np
import pytest

import tfcompat as tf
from tfcompat.ops import training_ops

rng = np.random.default_rng(11)
SHAPE = (3, 4)


# ---- NumPy references: TF's formulas, each returning the new (var, *slots) -----------------
def ref_gd(var, grad, alpha):
    return (var - alpha * grad,)


def ref_momentum(var, accum, grad, lr, momentum, use_nesterov=False):
    accum = accum * momentum + grad
    if use_nesterov:
        return var - (grad * lr + accum * momentum * lr), accum
    return var - accum * lr, accum


def ref_adagrad(var, accum, grad, lr, update_slots=True):
    if update_slots:
        accum = accum + grad * grad
    return var - lr * grad / np.sqrt(accum), accum


def ref_rms_prop(var, ms, mom, grad, lr, rho, momentum, epsilon):
    ms = rho * ms + (1 - rho) * grad * grad
    mom = momentum * mom + lr * grad / np.sqrt(ms + epsilon)
    return var - mom, ms, mom


def ref_centered_rms_prop(var, mg, ms, mom, grad, lr, rho, momentum, epsilon):
    ms = rho * ms + (1 - rho) * grad * grad
    mg = rho * mg + (1 - rho) * grad
    mom = momentum * mom + lr * grad / np.sqrt(ms - mg * mg + epsilon)
    return var - mom, mg, ms, mom


def ref_adam(var, m, v, grad, beta1_power, beta2_power, lr, beta1, beta2, epsilon,
             use_nesterov=False):
    lr_t = lr * np.sqrt(1 - beta2_power) / (1 - beta1_power)
    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * grad * grad
    numerator = (grad * (1 - beta1) + beta1 * m) if use_nesterov else m
    return var - lr_t * numerator / (np.sqrt(v) + epsilon), m, v


def ref_ftrl(var, accum, linear, grad, lr, l1, l2, lr_power, l2_shrinkage=0.0):
    new_accum = accum + grad * grad
    sigma = (new_accum ** -lr_power - accum ** -lr_power) / lr
    linear = linear + grad + 2 * l2_shrinkage * var - sigma * var
    quadratic = new_accum ** -lr_power / lr + 2 * l2
    var = np.where(np.abs(linear) > l1, (np.sign(linear) * l1 - linear) / quadratic, 0.0)
    return var, new_accum, linear


def ref_adadelta(var, accum, accum_update, grad, lr, rho, epsilon):
    accum = rho * accum + (1 - rho) * grad * grad
    update = np.sqrt(accum_update + epsilon) / np.sqrt(accum + epsilon) * grad
    accum_update = rho * accum_update + (1 - rho) * update * update
    return var - lr * update, accum, accum_update


def ref_proximal_gd(var, grad, alpha, l1, l2):
    prox = var - alpha * grad
    return (np.sign(prox) * np.maximum(np.abs(prox) - alpha * l1, 0) / (1 + alpha * l2),)


def _positive(shape=SHAPE):
    return rng.uniform(0.2, 1.5, shape)


# (id, builder, reference, slot initial values, scalar hyperparameters, attrs); the
# hyperparameters are given as the builder's keyword arguments in TF's order.
CASES = [
    ("gd", training_ops.apply_gradient_descent, ref_gd, [], {"alpha": 0.3}, {}),
    ("momentum", training_ops.apply_momentum, ref_momentum, [np.zeros],
     {"lr": 0.1, "momentum": 0.9}, {}),
    ("momentum_nesterov", training_ops.apply_momentum, ref_momentum, [np.zeros],
     {"lr": 0.1, "momentum": 0.9}, {"use_nesterov": True}),
    ("adagrad", training_ops.apply_adagrad, ref_adagrad, [lambda s: np.full(s, 0.1)],
     {"lr": 0.2}, {}),
    ("adagrad_no_slot_update", training_ops.apply_adagrad, ref_adagrad, [_positive],
     {"lr": 0.2}, {"update_slots": False}),
    ("rms_prop", training_ops.apply_rms_prop, ref_rms_prop, [np.ones, np.zeros],
     {"lr": 0.01, "rho": 0.9, "momentum": 0.5, "epsilon": 1e-10}, {}),
    ("centered_rms_prop", training_ops.apply_centered_rms_prop, ref_centered_rms_prop,
     [np.zeros, np.ones, np.zeros],
     {"lr": 0.01, "rho": 0.9, "momentum": 0.3, "epsilon": 1e-3}, {}),
    ("adam", training_ops.apply_adam, ref_adam, [np.zeros, np.zeros],
     {"beta1_power": 0.9 ** 3, "beta2_power": 0.999 ** 3, "lr": 0.01, "beta1": 0.9,
      "beta2": 0.999, "epsilon": 1e-8}, {}),
    ("adam_nesterov", training_ops.apply_adam, ref_adam, [np.zeros, np.zeros],
     {"beta1_power": 0.9, "beta2_power": 0.999, "lr": 0.01, "beta1": 0.9, "beta2": 0.999,
      "epsilon": 1e-8}, {"use_nesterov": True}),
    ("ftrl", training_ops.apply_ftrl, ref_ftrl, [lambda s: np.full(s, 0.1), np.zeros],
     {"lr": 0.5, "l1": 0.001, "l2": 0.01, "lr_power": -0.5}, {}),
    ("ftrl_power", training_ops.apply_ftrl, ref_ftrl, [_positive, np.zeros],
     {"lr": 0.5, "l1": 0.05, "l2": 0.2, "lr_power": -0.3}, {}),
    ("ftrl_v2", training_ops.apply_ftrl_v2, ref_ftrl, [lambda s: np.full(s, 0.1), np.zeros],
     {"lr": 0.5, "l1": 0.001, "l2": 0.01, "l2_shrinkage": 0.1, "lr_power": -0.5}, {}),
    ("adadelta", training_ops.apply_adadelta, ref_adadelta, [np.zeros, np.zeros],
     {"lr": 1.0, "rho": 0.95, "epsilon": 1e-6}, {}),
    ("proximal_gd", training_ops.apply_proximal_gradient_descent, ref_proximal_gd, [],
     {"alpha": 0.3, "l1": 0.1, "l2": 0.2}, {}),
    ("proximal_gd_no_l1", training_ops.apply_proximal_gradient_descent, ref_proximal_gd, [],
     {"alpha": 0.3, "l1": 0.0, "l2": 0.2}, {}),
]
IDS = [case[0] for case in CASES]
OP_TYPES = {
    "gd": "ApplyGradientDescent", "momentum": "ApplyMomentum", "adagrad": "ApplyAdagrad",
    "rms_prop": "ApplyRMSProp", "centered_rms_prop": "ApplyCenteredRMSProp",
    "adam": "ApplyAdam", "ftrl": "ApplyFtrl", "ftrl_v2": "ApplyFtrlV2",
    "adadelta": "ApplyAdadelta", "proximal_gd": "ApplyProximalGradientDescent",
}


def _grad_name(builder):
    return "delta" if builder in (training_ops.apply_gradient_descent,
                                  training_ops.apply_proximal_gradient_descent) else "grad"


def _build(builder, dtype, var0, slots0, hyper, attrs, grad_shape=SHAPE):
    tf_dtype = tf.as_dtype(dtype)
    var = tf.Variable(var0.astype(dtype), name="var")
    slots = [tf.Variable(s.astype(dtype), name=f"slot{i}") for i, s in enumerate(slots0)]
    grad = tf.placeholder(tf_dtype, grad_shape, name="grad")
    kwargs = {_grad_name(builder): grad, **hyper, **attrs}
    out = builder(var, *slots, **kwargs)
    return var, slots, grad, out


@pytest.mark.parametrize("dtype,tol", [(np.float32, 1e-6), (np.float64, 1e-12)])
@pytest.mark.parametrize("case_id,builder,reference,slot_inits,hyper,attrs", CASES, ids=IDS)
def test_steps_match_tf_formula(case_id, builder, reference, slot_inits, hyper, attrs, dtype,
                                tol):
    var0 = rng.normal(size=SHAPE)
    slots0 = [init(SHAPE) for init in slot_inits]
    grads = [rng.normal(size=SHAPE) for _ in range(5)]
    grads[2][0, :] = 0.0  # zero gradients on a row
    with tf.Graph().as_default():
        var, slots, grad, out = _build(builder, dtype, var0, slots0, hyper, attrs)
        assert out.op.type == OP_TYPES[case_id.replace("_nesterov", "").replace(
            "_no_slot_update", "").replace("_power", "").replace("_no_l1", "")]
        assert out.shape.as_list() == list(SHAPE) and out.dtype.base_dtype == tf.as_dtype(dtype)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            # The reference works in float64 on the values the op really sees: the dtype's
            # rounding of the inputs and hyperparameters.
            state = [np.asarray(a, dtype).astype(np.float64) for a in [var0] + slots0]
            h = {k: float(np.asarray(v, dtype)) for k, v in hyper.items()}
            for g in grads:
                g = np.asarray(g, dtype)
                result = sess.run(out, {grad: g})
                state = list(reference(*state, g.astype(np.float64), **h, **attrs))
                np.testing.assert_allclose(result, state[0], rtol=tol, atol=tol)
                state = [np.asarray(a, dtype).astype(np.float64) for a in state]
            values = sess.run([var] + slots)
    for got, want in zip(values, state):
        assert got.dtype == dtype
        np.testing.assert_allclose(got, want, rtol=tol, atol=tol)


@pytest.mark.parametrize("case_id,builder,reference,slot_inits,hyper,attrs", CASES, ids=IDS)
def test_updates_session_arrays_in_place(case_id, builder, reference, slot_inits, hyper,
                                         attrs):
    with tf.Graph().as_default():
        var, slots, grad, out = _build(builder, np.float32, rng.normal(size=SHAPE),
                                       [init(SHAPE) for init in slot_inits], hyper, attrs)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            store = sess._state.variables
            before = [store[v.op] for v in [var] + slots]
            fetched = sess.run(out, {grad: rng.normal(size=SHAPE)})
            after = [store[v.op] for v in [var] + slots]
            assert all(a is b for a, b in zip(before, after))
            # The fetched output is a copy: the next step does not change it.
            kept = fetched.copy()
            sess.run(out, {grad: rng.normal(size=SHAPE)})
            np.testing.assert_array_equal(fetched, kept)


def test_zero_gradient_leaves_variables_finite_and_unchanged_where_tf_does():
    with tf.Graph().as_default():
        var0 = rng.normal(size=SHAPE)
        grad = tf.placeholder(tf.float32, SHAPE)
        v_gd, v_adam, v_ada = (tf.Variable(var0.astype(np.float32)) for _ in range(3))
        m, v = tf.Variable(tf.zeros(SHAPE)), tf.Variable(tf.zeros(SHAPE))
        acc = tf.Variable(tf.fill(SHAPE, 0.1))
        ops = [training_ops.apply_gradient_descent(v_gd, 0.5, grad),
               training_ops.apply_adam(v_adam, m, v, 0.9, 0.999, 0.01, 0.9, 0.999, 1e-8, grad),
               training_ops.apply_adagrad(v_ada, acc, 0.5, grad)]
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for _ in range(3):
                sess.run(ops, {grad: np.zeros(SHAPE)})
            for value in sess.run([v_gd, v_adam, v_ada]):
                np.testing.assert_array_equal(value, var0.astype(np.float32))
            assert np.all(np.isfinite(sess.run([m, v, acc])))


def test_gradient_aliasing_a_slot_is_read_before_the_update():
    # grad = accum's current value (a view of the slot): TF computes with the old value.
    with tf.Graph().as_default():
        var = tf.Variable([1.0, 2.0])
        accum = tf.Variable([0.5, 0.25])
        out = training_ops.apply_momentum(var, accum, 0.1, accum._ref(), 0.9)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            result = sess.run(out)
            new_accum = np.float32([0.5, 0.25]) * np.float32(0.9) + np.float32([0.5, 0.25])
            np.testing.assert_allclose(sess.run(accum), new_accum, rtol=1e-7)
            np.testing.assert_allclose(result, np.float32([1, 2]) - 0.1 * new_accum, rtol=1e-6)


def test_read_only_storage_is_replaced_not_written():
    with tf.Graph().as_default():
        var = tf.Variable([1.0, 2.0])
        out = training_ops.apply_gradient_descent(var, 1.0, tf.constant([1.0, 1.0]))
        with tf.Session() as sess:
            sess.run(var.initializer)
            frozen = sess._state.variables[var.op]
            frozen.setflags(write=False)
            np.testing.assert_array_equal(sess.run(out), [0.0, 1.0])
            np.testing.assert_array_equal(frozen, [1.0, 2.0])
            np.testing.assert_array_equal(sess.run(var), [0.0, 1.0])


# ---- names and builders ----------------------------------------------------------------------
def test_op_names_attrs_and_ref_inputs():
    with tf.Graph().as_default():
        var = tf.Variable(tf.zeros([2]), name="w")
        m, v = tf.Variable(tf.zeros([2]), name="m"), tf.Variable(tf.zeros([2]), name="v")
        out = training_ops.apply_adam(var, m, v, 0.9, 0.999, 0.1, 0.9, 0.999, 1e-8,
                                      tf.ones([2]), use_nesterov=True, name="step")
        assert out.op.name == "step" and out.op.type == "ApplyAdam"
        assert out.op.get_attr("use_nesterov") is True
        assert out.op.get_attr("use_locking") is False
        assert out.dtype.is_ref_dtype
        assert [t.name for t in out.op.inputs[:3]] == ["w:0", "m:0", "v:0"]
        default = training_ops.apply_gradient_descent(var, 0.1, tf.ones([2]))
        assert default.op.name == "ApplyGradientDescent"
        assert training_ops.__all__ == []
        assert not hasattr(tf, "apply_adam")


# ---- TF's errors ---------------------------------------------------------------------------------
def test_static_errors():
    with tf.Graph().as_default():
        var = tf.Variable(tf.zeros([2, 3]), name="w")
        acc = tf.Variable(tf.zeros([2, 3]), name="acc")
        with pytest.raises(ValueError, match=r"Dimension 1 in both shapes must be equal, but "
                                             r"are 3 and 4.*'ApplyAdagrad'"):
            training_ops.apply_adagrad(var, acc, 0.1, tf.zeros([2, 4]))
        with pytest.raises(ValueError, match="Shapes must be equal rank, but are 2 and 1"):
            training_ops.apply_gradient_descent(var, 0.1, tf.zeros([6]))
        with pytest.raises(ValueError, match="Shape must be rank 0 but is rank 1"):
            training_ops.apply_adagrad(var, acc, tf.constant([0.1, 0.2]), tf.zeros([2, 3]))
        with pytest.raises(TypeError, match="Input 'grad' of 'ApplyAdagrad' Op has type "
                                            "float64 that does not match type float32"):
            training_ops.apply_adagrad(var, acc, 0.1, tf.zeros([2, 3], tf.float64))
        with pytest.raises(TypeError, match="requires that input 'accum' be a mutable tensor"):
            training_ops.apply_adagrad(var, acc.value(), 0.1, tf.zeros([2, 3]))
        with pytest.raises(TypeError, match="not in list of allowed values"):
            training_ops.apply_gradient_descent(tf.Variable([1, 2]), 1, tf.constant([1, 1]))


def test_uninitialized_slot_raises_failed_precondition_and_changes_nothing():
    with tf.Graph().as_default():
        var = tf.Variable([1.0, 2.0], name="w")
        acc = tf.Variable([0.1, 0.1], name="w_acc")
        out = training_ops.apply_adagrad(var, acc, 0.1, tf.constant([1.0, 1.0]))
        with tf.Session() as sess:
            sess.run(var.initializer)
            with pytest.raises(tf.errors.FailedPreconditionError,
                               match="Attempting to use uninitialized variables: w_acc"):
                sess.run(out)
            np.testing.assert_array_equal(sess.run(var), [1.0, 2.0])


def test_run_time_shape_and_value_errors():
    with tf.Graph().as_default():
        var = tf.Variable([1.0, 2.0], name="w")
        grad = tf.placeholder(tf.float32, [None])
        lr = tf.placeholder(tf.float32)
        acc, lin = tf.Variable([0.1, 0.1]), tf.Variable([0.0, 0.0])
        gd = training_ops.apply_gradient_descent(var, lr, grad)
        ftrl = training_ops.apply_ftrl(var, acc, lin, grad, lr, 0.0, 0.0, -0.5)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            with pytest.raises(tf.errors.InvalidArgumentError,
                               match=r"var and delta do not have the same shape\[2\] \[3\]"):
                sess.run(gd, {grad: [1.0, 1.0, 1.0], lr: 0.1})
            with pytest.raises(tf.errors.InvalidArgumentError,
                               match=r"alpha is not a scalar: \[2,2\]"):
                sess.run(gd, {grad: [1.0, 1.0], lr: np.ones((2, 2))})
            with pytest.raises(tf.errors.InvalidArgumentError, match="lr is not a positive"):
                sess.run(ftrl, {grad: [1.0, 1.0], lr: -0.1})
            np.testing.assert_array_equal(sess.run([var, acc, lin]),
                                          np.float32([[1.0, 2.0], [0.1, 0.1], [0.0, 0.0]]))
            # TF's legacy scalar: ApplyGradientDescent accepts a 1-element vector alpha.
            np.testing.assert_allclose(sess.run(gd, {grad: [1.0, 1.0], lr: [0.5]}), [0.5, 1.5])


def test_failing_step_changes_no_variable():
    # The read-only part (a missing feed) fails before any Apply op runs.
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [2], name="x")
        var = tf.Variable([1.0, 2.0])
        m, v = tf.Variable([0.0, 0.0]), tf.Variable([0.0, 0.0])
        other = tf.Variable([3.0, 4.0])
        first = training_ops.apply_gradient_descent(other, 0.1, tf.constant([1.0, 1.0]))
        second = training_ops.apply_adam(var, m, v, 0.9, 0.999, 0.1, 0.9, 0.999, 1e-8, x * 2.0)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            with pytest.raises(tf.errors.InvalidArgumentError, match="x"):
                sess.run([first, second])
            np.testing.assert_array_equal(sess.run([var, m, v, other]),
                                          [[1, 2], [0, 0], [0, 0], [3, 4]])


@pytest.mark.parametrize("runs_before", [0, 2])
def test_a_later_apply_op_failing_leaves_the_earlier_ones_unapplied(runs_before):
    """Two optimizers' updates in one run, the second one's learning rate fed badly: the
    first update (checked fine) must not be committed either. ``runs_before`` good runs
    first, so the failure also happens in the specialised (generated) plan."""
    with tf.Graph().as_default():
        first_var, second_var = tf.Variable([1.0, 2.0], name="a"), tf.Variable([3.0], name="b")
        lr = tf.placeholder(tf.float32, name="lr")
        first = training_ops.apply_gradient_descent(first_var, 0.5, tf.constant([1.0, 1.0]))
        second = training_ops.apply_gradient_descent(second_var, lr, tf.constant([1.0]))
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for _ in range(runs_before):
                sess.run([first, second], {lr: 1.0})
            before = sess.run([first_var, second_var])
            with pytest.raises(tf.errors.InvalidArgumentError, match="alpha is not a scalar"):
                sess.run([first, second], {lr: np.ones((2, 2), np.float32)})
            after = sess.run([first_var, second_var])
    for old, new in zip(before, after):
        np.testing.assert_array_equal(old, new)
    assert before[0].tolist() == [1.0 - 0.5 * runs_before, 2.0 - 0.5 * runs_before]


def test_an_uninitialised_slot_of_one_variable_fails_the_whole_optimizer_step():
    with tf.Graph().as_default():
        a, b = tf.Variable([1.0, 2.0], name="a"), tf.Variable([3.0, 4.0], name="b")
        optimizer = tf.train.MomentumOptimizer(0.1, 0.9)
        train_op = optimizer.minimize(tf.reduce_sum(a * a) + tf.reduce_sum(b * b))
        with tf.Session() as sess:
            sess.run([a.initializer, b.initializer, optimizer.get_slot(a, "momentum").initializer])
            for _ in range(2):
                with pytest.raises(tf.errors.FailedPreconditionError, match="b/Momentum"):
                    sess.run(train_op)
                assert sess.run(a).tolist() == [1.0, 2.0]
                assert sess.run(optimizer.get_slot(a, "momentum")).tolist() == [0.0, 0.0]


def test_reference_and_specialized_runs_agree():
    # The second run with the same feed shapes goes through the generated plan.
    with tf.Graph().as_default():
        grad = tf.placeholder(tf.float32, SHAPE)
        var = tf.Variable(np.ones(SHAPE, np.float32))
        ms, mom = tf.Variable(tf.ones(SHAPE)), tf.Variable(tf.zeros(SHAPE))
        out = training_ops.apply_rms_prop(var, ms, mom, 0.01, 0.9, 0.5, 1e-10, grad)
        state = [np.ones(SHAPE), np.ones(SHAPE), np.zeros(SHAPE)]
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for _ in range(4):
                g = rng.normal(size=SHAPE).astype(np.float32)
                result = sess.run(out, {grad: g})
                state = list(ref_rms_prop(*state, g.astype(np.float64), np.float32(0.01),
                                          np.float32(0.9), np.float32(0.5),
                                          np.float32(1e-10)))
                np.testing.assert_allclose(result, state[0], rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("case_id,builder,reference,slot_inits,hyper,attrs", CASES, ids=IDS)
def test_scalar_variables(case_id, builder, reference, slot_inits, hyper, attrs):
    # 0-d variables: NumPy ufuncs give scalars there, the kernels must still work in place.
    var0 = np.array(0.7)
    slots0 = [np.asarray(init(())) for init in slot_inits]
    with tf.Graph().as_default():
        var, slots, grad, out = _build(builder, np.float32, var0, slots0, hyper, attrs,
                                       grad_shape=())
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            store = sess._state.variables
            before = store[var.op]
            state = [np.float32(a).astype(np.float64) for a in [var0] + slots0]
            h = {k: float(np.float32(v)) for k, v in hyper.items()}
            for g in (0.5, -0.25, 0.0):
                result = sess.run(out, {grad: g})
                state = list(reference(*state, np.float64(np.float32(g)), **h, **attrs))
                np.testing.assert_allclose(result, state[0], rtol=1e-6, atol=1e-6)
            assert store[var.op] is before and result.shape == ()


def test_a_fed_learning_rate_array_changed_in_place_between_runs_is_read_again():
    """Scalars of read-only inputs (folded constants) are converted once; a fed array is
    writable and must be read on every run, even when it is the same object."""
    with tf.Graph().as_default():
        var = tf.Variable([1.0, 1.0], name="w")
        lr = tf.placeholder(tf.float32, name="lr")
        const_step = training_ops.apply_gradient_descent(var, 0.25, tf.constant([1.0, 1.0]))
        fed_step = training_ops.apply_gradient_descent(var, lr, tf.constant([1.0, 1.0]))
        rate = np.array(0.5, np.float32)
        with tf.Session() as sess:
            sess.run(var.initializer)
            expected = 1.0
            for value in (0.5, 0.5, 0.125, 0.125, 0.0):
                rate[...] = value
                sess.run(fed_step, {lr: rate})
                expected -= value
                np.testing.assert_allclose(sess.run(var), [expected] * 2)
            for _ in range(3):
                sess.run(const_step)
                expected -= 0.25
            np.testing.assert_allclose(sess.run(var), [expected] * 2)


# ---- batched updates of specialised plans ----------------------------------------------------
def _count_reference_checks(monkeypatch):
    """Names of the Apply ops whose reference check runs (the batched path skips it)."""
    checked = []
    original = training_ops._ApplyOp.split_kernel

    def counting(self, op, ctx):
        check, commit = original(self, op, ctx)

        def counted(*values):
            checked.append(op.name)
            return check(*values)
        return counted, commit
    monkeypatch.setattr(training_ops._ApplyOp, "split_kernel", counting)
    return checked


def _three_variable_step(make_optimizer, dtype):
    """A training step over a matrix, a vector and a 0-d variable; returns the train op and
    the variables."""
    rng = np.random.default_rng(5)
    w = tf.Variable(rng.normal(size=(4, 3)), dtype=dtype, name="w")
    b = tf.Variable(rng.normal(size=3), dtype=dtype, name="b")
    s = tf.Variable(0.5, dtype=dtype, name="s")
    x = tf.constant(rng.normal(size=(5, 4)), dtype=dtype)
    loss = tf.reduce_sum(tf.square(tf.matmul(x, w) * s + b))
    return make_optimizer().minimize(loss), [w, b, s]


_OPTIMIZERS = {
    "gd": lambda: tf.train.GradientDescentOptimizer(0.01),
    "momentum": lambda: tf.train.MomentumOptimizer(0.01, 0.9, use_nesterov=True),
    "adagrad": lambda: tf.train.AdagradOptimizer(0.05),
    "rmsprop": lambda: tf.train.RMSPropOptimizer(0.01, momentum=0.5, centered=True),
    "adam": lambda: tf.train.AdamOptimizer(0.01),
}


@pytest.mark.parametrize("dtype", [tf.float32, tf.float64])
@pytest.mark.parametrize("name", sorted(_OPTIMIZERS))
def test_specialised_runs_apply_an_optimizers_updates_as_one_batch(name, dtype, monkeypatch):
    """After the first (reference) run no update is checked one by one, and the batched
    Numba updates give the reference interpreter's values."""
    results = {}
    for executor in ("numpy", ""):
        monkeypatch.setenv("TFCOMPAT_EXECUTOR", executor)
        checked = _count_reference_checks(monkeypatch)
        with tf.Graph().as_default():
            train_op, variables = _three_variable_step(_OPTIMIZERS[name], dtype)
            with tf.Session() as sess:
                sess.run(tf.global_variables_initializer())
                for _ in range(6):
                    sess.run(train_op)
                results[executor] = sess.run(variables)
        expected_checks = 6 * 3 if executor == "numpy" else 3
        assert len(checked) == expected_checks, checked
        monkeypatch.undo()
    tol = 1e-5 if dtype == tf.float32 else 1e-12
    for got, want in zip(results[""], results["numpy"]):
        np.testing.assert_allclose(got, want, rtol=tol, atol=tol)


def test_new_storage_between_batched_runs_is_checked_and_updated():
    """A variable given new storage (an assign, here read-only as a restored array may be)
    or a slot left uninitialised between specialised runs: the batch does not vouch for
    the run, the reference path replaces, raises or updates as in the first run."""
    with tf.Graph().as_default():
        var = tf.Variable([1.0, 2.0], name="w")
        optimizer = tf.train.MomentumOptimizer(0.5, 0.5)
        train_op = optimizer.minimize(tf.reduce_sum(var))
        accum = optimizer.get_slot(var, "momentum")
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for _ in range(3):
                sess.run(train_op)  # accum 1, 1.5, 1.75; var -= 0.5 accum
            np.testing.assert_allclose(sess.run(var), [1.0 - 2.125, 2.0 - 2.125])
            sess.run(var.assign([10.0, 20.0]))
            frozen = np.array([10.0, 20.0], np.float32)
            frozen.setflags(write=False)
            sess._state.variables[var.op] = frozen
            sess.run(train_op)  # accum 1.875
            np.testing.assert_allclose(sess.run(var), [10.0 - 0.9375, 20.0 - 0.9375])
            np.testing.assert_array_equal(frozen, [10.0, 20.0])
            del sess._state.variables[accum.op]
            with pytest.raises(tf.errors.FailedPreconditionError, match="w/Momentum"):
                sess.run(train_op)
            np.testing.assert_allclose(sess.run(var), [10.0 - 0.9375, 20.0 - 0.9375])
            sess.run(accum.initializer)
            sess.run(train_op)
            np.testing.assert_allclose(sess.run(var), [10.0 - 1.4375, 20.0 - 1.4375])


@pytest.mark.parametrize("runs_before", [0, 3])
def test_a_gradient_viewing_a_slot_and_a_legacy_scalar_in_specialised_runs(runs_before):
    """Runs the batch cannot vouch for take the reference path in specialised plans too: a
    gradient that is the slot itself (read before the update: Nesterov momentum reads the
    gradient after it has written the slot) and a learning rate given as a 1-element vector
    (TF's legacy scalar)."""
    with tf.Graph().as_default():
        var = tf.Variable([1.0, 2.0])
        accum = tf.Variable([0.5, 0.25])
        lr = tf.placeholder(tf.float32)
        momentum = training_ops.apply_momentum(var, accum, 0.1, accum._ref(), 0.9,
                                               use_nesterov=True)
        other = tf.Variable([3.0, 4.0])
        descent = training_ops.apply_gradient_descent(other, lr, tf.constant([1.0, 1.0]))
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            want_var, want_accum = np.float32([1, 2]), np.float32([0.5, 0.25])
            want_other = np.float32([3, 4])
            for rate in [0.5] * runs_before + [[0.25], 0.5]:
                sess.run([momentum, descent], {lr: rate})
                grad = want_accum
                want_accum = want_accum * np.float32(0.9) + grad
                want_var = want_var - (grad * np.float32(0.1)
                                       + want_accum * np.float32(0.9) * np.float32(0.1))
                want_other = want_other - np.float32(rate)
            np.testing.assert_allclose(sess.run([var, accum, other]),
                                       [want_var, want_accum, want_other], rtol=1e-6)

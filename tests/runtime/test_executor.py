"""The runtime pipeline: pruning, ordering, shape specialisation and error mapping."""
import numpy as np
import pytest

import tfcompat as tf
from tfcompat.runtime.plan import order, prune


def _plan_of(sess):
    """The compiled plan of the last new (fetches, feeds) signature the session ran."""
    return list(sess._plans.values())[-1]


def test_prune_stops_at_fed_tensors_and_ref_inputs():
    with tf.Graph().as_default():
        a = tf.placeholder(tf.float32, [2], name="a")
        b = tf.identity(a * 2.0, name="b")
        c = tf.add(b, 1.0, name="c")
        v = tf.Variable(tf.zeros([2]), name="v")
        assign = tf.assign(v, c, name="assign_v")
        needed = prune([c.op], {b})
        assert c.op in needed and b.op not in needed and a.op not in needed
        assert len(needed) == 2  # c and its constant operand
        assert v.op not in prune([assign.op], set())


def test_mutating_ops_run_after_all_reads():
    with tf.Graph().as_default():
        v = tf.Variable(1.0, name="v")
        update = tf.assign_add(v, 1.0, name="update")
        read = tf.identity(v, name="read_late")
        ordered = order(prune([update.op, read.op], set()), set())
        names = [op.name for op in ordered]
        assert names.index("update") > names.index("read_late")
        with tf.Session() as sess:
            sess.run(v.initializer)
            before, _ = sess.run([read, update])
            assert before == 1.0 and sess.run(v) == 2.0


def test_specialised_plan_folds_shape_bookkeeping_and_replans_on_new_shapes():
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [None, 3])
        w = tf.Variable(np.ones((3, 2), np.float32))
        loss = tf.reduce_mean(tf.square(tf.matmul(x, w) - 1.0))
        grad = tf.gradients(loss, w)[0]
        with tf.Session() as sess:
            sess.run(w.initializer)
            for batch in (4, 4, 7, 4):
                xv = np.arange(batch * 3, dtype=np.float32).reshape(batch, 3) / 10
                expected = 2 * xv.T @ (xv @ np.ones((3, 2)) - 1.0) / (batch * 2)
                np.testing.assert_allclose(sess.run(grad, {x: xv}), expected, rtol=1e-5)
            compiled = _plan_of(sess)
            assert set(compiled.specializations) == {((4, 3),), ((7, 3),)}
            special = compiled.specializations[((4, 3),)]
            kept = {step.op.type for step in special.steps}
            assert "Shape" not in kept and "BroadcastGradientArgs" not in kept
            assert len(special.steps) < len(compiled.plan.steps)


def test_reference_executor_switch(monkeypatch):
    monkeypatch.setenv("TFCOMPAT_EXECUTOR", "numpy")
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [None])
        y = tf.reduce_sum(x * x)
        with tf.Session() as sess:
            for _ in range(3):
                assert sess.run(y, {x: [1.0, 2.0]}) == 5.0
            assert _plan_of(sess).specializations == {}


@pytest.mark.parametrize("runs_before", [0, 1])
def test_failure_in_specialised_run_names_op_and_rolls_back(runs_before):
    with tf.Graph().as_default():
        v = tf.Variable(np.zeros(2, np.float32), name="v")
        x = tf.placeholder(tf.float32, [None], name="x")
        assigned = tf.assign(v, [5.0, 5.0])
        with tf.control_dependencies([assigned]):
            bad = tf.reshape(x, [3], name="bad_reshape")
        with tf.Session() as sess:
            sess.run(v.initializer)
            for _ in range(runs_before):
                sess.run(bad, {x: [1.0, 2.0, 3.0]})
                sess.run(v.initializer)
            with pytest.raises(tf.errors.InvalidArgumentError, match="bad_reshape"):
                sess.run(bad, {x: [1.0, 2.0, 3.0, 4.0]})
            np.testing.assert_array_equal(sess.run(v), [0.0, 0.0])


def test_fetched_values_do_not_alias_variable_storage():
    with tf.Graph().as_default():
        v = tf.Variable(np.zeros(3, np.float32))
        inc = tf.assign_add(v, np.ones(3, np.float32))
        with tf.Session() as sess:
            sess.run(v.initializer)
            first = sess.run(v)
            for _ in range(3):
                sess.run(inc)
            np.testing.assert_array_equal(first, 0.0)
            np.testing.assert_array_equal(sess.run(tf.identity(v)), 3.0)


@pytest.mark.parametrize("make_view", [
    lambda v: tf.split(v, 2)[0], lambda v: tf.split(v, [1, 1])[1], lambda v: tf.unstack(v)[0],
    lambda v: tf.reverse(v, [0]), lambda v: tf.transpose(v), lambda v: v[1:],
    lambda v: tf.slice(v, [0, 0], [1, 2]), lambda v: tf.reshape(v, [4]),
    lambda v: tf.expand_dims(v, 0), lambda v: tf.identity(v)])
def test_fetched_views_of_a_variable_do_not_change_with_later_in_place_updates(make_view):
    """Ops whose NumPy kernels return views (np.split, moveaxis, flip, slicing...) mark
    ``may_alias_input``, so a fetched view is copied before an optimizer writes in place."""
    with tf.Graph().as_default():
        v = tf.Variable([[1.0, 2.0], [3.0, 4.0]])
        view = make_view(v)
        train = tf.train.GradientDescentOptimizer(1.0).minimize(tf.reduce_sum(v))
        with tf.Session() as sess:
            sess.run(v.initializer)
            for _ in range(4):  # reference, then specialised runs
                fetched = sess.run(view)
                expected = fetched.copy()
                sess.run(train)
                np.testing.assert_array_equal(fetched, expected)


def _kept_arrays(plan, op):
    """The arrays bound into the kernel of ``op``'s step in the plan's specialisation."""
    (special,) = plan.specializations.values()
    (step,) = [s for s in special.steps if s.op is op]
    return [cell.cell_contents for cell in step.kernel.__closure__ or ()
            if isinstance(cell.cell_contents, np.ndarray)]


def test_a_matmul_read_only_within_the_run_writes_into_storage_the_plan_keeps():
    """A specialised MatMul whose product nothing sees after the run writes it with BLAS
    into one array kept by the plan; a fetched product is a new array every run, and a
    run whose shapes no longer fit the kept array (a variable re-assigned without shape
    validation) computes a new one."""
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [None, 3])
        w = tf.Variable(np.ones((3, 2), np.float32), validate_shape=False)
        hidden = tf.matmul(x, w)
        total = tf.reduce_sum(hidden, axis=1)
        reshape_w = tf.assign(w, np.ones((3, 4), np.float32), validate_shape=False)
        with tf.Session() as sess:
            sess.run(w.initializer)
            feed = {x: np.arange(6, dtype=np.float32).reshape(2, 3)}
            fetched = [sess.run([total, hidden], feed) for _ in range(4)]
            assert _kept_arrays(_plan_of(sess), hidden.op) == []
            for got_total, got_hidden in fetched:
                np.testing.assert_array_equal(got_total, [6.0, 24.0])
                np.testing.assert_array_equal(got_hidden, [[3.0, 3.0], [12.0, 12.0]])
            assert len({id(h) for _, h in fetched}) == 4
            # Fetching only the sum: the product goes into the plan's storage.
            sums = [sess.run(total, feed) for _ in range(4)]
            buffers = _kept_arrays(_plan_of(sess), hidden.op)
            assert [b.shape for b in buffers] == [(2, 2)]
            np.testing.assert_array_equal(sums[-1], [6.0, 24.0])
            np.testing.assert_array_equal(buffers[0], [[3.0, 3.0], [12.0, 12.0]])
            sess.run(reshape_w)
            np.testing.assert_array_equal(sess.run(total, feed), [12.0, 48.0])


def test_plan_prints_readably():
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [2], name="x")
        y = tf.exp(x, name="y")
        with tf.Session() as sess:
            sess.run(y, {x: [0.0, 1.0]})
            text = repr(_plan_of(sess).plan)
    assert "Exp(f0)  # y" in text


def test_integer_labels_do_not_block_folding_of_the_loss_gradient_bookkeeping():
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [None, 4])
        labels = tf.placeholder(tf.int64, [None])
        w = tf.Variable(np.ones((4, 3), np.float32))
        loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(
            labels=labels, logits=tf.matmul(x, w)))
        grad = tf.gradients(loss, w)[0]
        with tf.Session() as sess:
            sess.run(w.initializer)
            feed = {x: np.ones((5, 4), np.float32), labels: np.arange(5) % 3}
            first = sess.run(grad, feed)
            np.testing.assert_allclose(sess.run(grad, feed), first)
            special = list(_plan_of(sess).specializations.values())[0]
            assert not {step.op.type for step in special.steps} & {"Shape", "Size"}


@pytest.mark.parametrize("activation", ["relu", "elu", "selu", "leaky_relu", "sigmoid", "tanh"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_fast_kernels_of_specialised_plans_match_the_reference(activation, dtype, monkeypatch):
    x_value = np.random.default_rng(0).normal(size=(6, 5)).astype(dtype)

    def gradient_twice():
        with tf.Graph().as_default():
            x = tf.placeholder(tf.as_dtype(dtype), [None, 5])
            y = getattr(tf.nn, activation)(x)
            grad = tf.gradients(tf.reduce_sum(y * y), x)[0]
            with tf.Session() as sess:
                return [sess.run(grad, {x: x_value}) for _ in range(2)]

    specialised = gradient_twice()[1]
    monkeypatch.setenv("TFCOMPAT_EXECUTOR", "numpy")
    reference = gradient_twice()[1]
    np.testing.assert_allclose(specialised, reference, rtol=1e-6 if dtype == np.float32 else 1e-13)


@pytest.mark.parametrize("make_optimizer", [
    lambda: tf.train.GradientDescentOptimizer(0.1),
    lambda: tf.train.MomentumOptimizer(0.1, 0.9),
    lambda: tf.train.MomentumOptimizer(0.1, 0.9, use_nesterov=True),
    lambda: tf.train.AdagradOptimizer(0.1),
    lambda: tf.train.RMSPropOptimizer(0.01, momentum=0.9),
    lambda: tf.train.RMSPropOptimizer(0.01, centered=True),
    lambda: tf.train.AdamOptimizer(0.01),
], ids=["sgd", "momentum", "nesterov", "adagrad", "rmsprop", "centered_rmsprop", "adam"])
def test_numba_optimizer_updates_match_the_numpy_reference(make_optimizer, monkeypatch):
    rng = np.random.default_rng(1)
    x_value = rng.normal(size=(8, 3)).astype(np.float32)
    y_value = rng.normal(size=(8, 2)).astype(np.float32)

    def train(steps=5):
        with tf.Graph().as_default():
            x, y = tf.constant(x_value), tf.constant(y_value)
            w = tf.Variable(np.full((3, 2), 0.5, np.float32))
            loss = tf.reduce_mean(tf.square(tf.matmul(x, w) - y))
            step = make_optimizer().minimize(loss)
            with tf.Session() as sess:
                sess.run(tf.global_variables_initializer())
                for _ in range(steps):
                    sess.run(step)
                return sess.run(w)

    fast = train()
    monkeypatch.setenv("TFCOMPAT_EXECUTOR", "numpy")
    np.testing.assert_allclose(fast, train(), rtol=2e-6, atol=1e-7)


def test_fetched_variable_is_the_value_before_the_same_runs_in_place_update():
    with tf.Graph().as_default():
        w = tf.Variable(np.ones(3, np.float32))
        loss = tf.reduce_sum(w * w)
        train = tf.train.GradientDescentOptimizer(0.25).minimize(loss)
        with tf.Session() as sess:
            sess.run(w.initializer)
            for step in range(3):  # reference run, then the specialised plan
                w_value, loss_value, _ = sess.run([w, loss, train])
                expected = 0.5 ** step
                np.testing.assert_allclose(w_value, expected)
                np.testing.assert_allclose(loss_value, 3 * expected ** 2)


# --- branches resolved per value of a fed scalar bool -------------------------------------------

def _bn_dropout_net(training):
    """Batch norm + dropout on a tiny dense layer, steered by ``training`` as the book does."""
    tf.set_random_seed(7)
    x = tf.placeholder(tf.float32, [None, 4], name="x")
    hidden = tf.layers.dense(x, 5, kernel_initializer=tf.glorot_uniform_initializer(seed=1))
    normed = tf.layers.batch_normalization(hidden, training=training, momentum=0.9)
    out = tf.layers.dropout(tf.nn.elu(normed), 0.5, training=training, seed=3)
    loss = tf.reduce_mean(tf.square(out))
    train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    return x, loss, [train, tf.get_collection(tf.GraphKeys.UPDATE_OPS)]


def _train_alternating(monkeypatch, executor):
    monkeypatch.setenv("TFCOMPAT_EXECUTOR", executor)
    with tf.Graph().as_default():
        training = tf.placeholder_with_default(False, (), name="training")
        x, loss, step = _bn_dropout_net(training)
        data = np.random.RandomState(0).rand(6, 4).astype(np.float32)
        losses = []
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for flag in (True, True, False, True, False, False, True, True):
                losses.append(sess.run([loss, step], {x: data, training: flag})[0])
            losses.append(sess.run(loss, {x: data}))  # the default, not fed
            variables = sess.run(tf.global_variables())
            plans = list(sess._plans.values())
    return losses, variables, plans


def test_fed_bool_cond_is_resolved_per_value_and_matches_the_reference(monkeypatch):
    reference_losses, reference_vars, _ = _train_alternating(monkeypatch, "numpy")
    losses, variables, plans = _train_alternating(monkeypatch, "")
    np.testing.assert_allclose(losses, reference_losses, rtol=1e-5)
    for ours, expected in zip(variables, reference_vars):
        np.testing.assert_allclose(ours, expected, rtol=1e-5, atol=1e-7)
    training_plan = next(p for p in plans if len(p._key_feeds) == 1 and len(p.specializations) == 2)
    assert {key[-1] for key in training_plan.specializations} == {True, False}
    for special in training_plan.specializations.values():
        kinds = {step.op.type for step in special.steps}
        assert not kinds & {"Switch", "Merge"}
        assert not any(step.maybe_dead for step in special.steps)
        assert "DEAD" not in special.source.split("def run", 1)[1]
    updates = {key[-1]: sum(step.op.type == "AssignSub" for step in special.steps)
               for key, special in training_plan.specializations.items()}
    assert updates == {True: 2, False: 0}  # moving mean/variance only move in training


def test_fetching_the_branch_not_taken_still_fails_every_time():
    with tf.Graph().as_default():
        flag = tf.placeholder(tf.bool, (), name="flag")
        x = tf.placeholder(tf.float32, [None], name="x")
        out = tf.cond(flag, lambda: x * 2.0, lambda: x - 1.0)
        in_true_branch = out.op.inputs[1]  # the Merge's second input: x * 2
        with tf.Session() as sess:
            for _ in range(3):
                assert sess.run(in_true_branch, {flag: True, x: [1.0]}) == [2.0]
                with pytest.raises(tf.errors.InvalidArgumentError, match="not taken"):
                    sess.run(in_true_branch, {flag: False, x: [1.0]})


def test_conds_on_computed_predicates_stay_decided_at_run_time():
    """A predicate that is not a fed scalar bool (a comparison of fed data, a variable) keeps
    its Switch, nested inside a resolved cond or not."""
    with tf.Graph().as_default():
        flag = tf.placeholder(tf.bool, (), name="flag")
        x = tf.placeholder(tf.float32, (), name="x")
        v = tf.Variable(True, name="v")
        inner = lambda: tf.cond(x > 0.0, lambda: x * 10.0, lambda: x * 100.0)  # noqa: E731
        out = tf.cond(flag, inner, lambda: tf.cond(v, lambda: x + 1.0, lambda: x - 1.0))
        with tf.Session() as sess:
            sess.run(v.initializer)
            cases = [(True, 1.0, 10.0), (True, -1.0, -100.0), (False, 2.0, 3.0),
                     (True, 2.0, 20.0), (True, -2.0, -200.0), (False, 5.0, 6.0)]
            for fed_flag, fed_x, expected in cases * 2:
                assert sess.run(out, {flag: fed_flag, x: fed_x}) == pytest.approx(expected)
            specials = _plan_of(sess).specializations
            sess.run(v.assign(False))
            assert sess.run(out, {flag: False, x: 5.0}) == pytest.approx(4.0)
            assert len(specials) == 2
            for special in specials.values():
                switches = sum(step.op.type == "Switch" for step in special.steps)
                assert switches > 0  # x > 0 when flag is True, v when it is False


def test_apply_ops_of_a_step_form_one_update_group_in_the_specialised_plan():
    """Also when the generic plan has them on tf.cond branches (batch norm's training flag):
    the specialisation resolves the branches, then groups the updates."""
    from tfcompat.runtime.plan import UpdateGroup
    with tf.Graph().as_default():
        training = tf.placeholder_with_default(False, (), name="training")
        x, loss, step = _bn_dropout_net(training)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for _ in range(2):
                sess.run(step, {x: np.ones((3, 4), np.float32), training: True})
            compiled = _plan_of(sess)
    assert not any(isinstance(s, UpdateGroup) for s in compiled.plan.steps)
    assert any(s.maybe_dead and s.op.type == "ApplyGradientDescent" for s in compiled.plan.steps)
    (special,) = compiled.specializations.values()
    (group,) = [s for s in special.steps if isinstance(s, UpdateGroup)]
    assert [m.op.type for m in group.members] == ["ApplyGradientDescent"] * 4
    assert not any(s.op.type == "ApplyGradientDescent" and s is not group
                   for s in special.steps)
    assert "update group:" in repr(group)


def test_adam_updates_form_one_group_though_each_reads_the_beta_powers(monkeypatch):
    """Each ApplyAdam consumes reads of beta1_power and beta2_power placed just before it;
    reads of variables the pending updates do not write move before them, so the updates
    still form one batched group (they were four single updates), with the same values
    as the reference interpreter."""
    from tfcompat.runtime.plan import UpdateGroup

    def train(executor):
        monkeypatch.setenv("TFCOMPAT_EXECUTOR", executor)
        with tf.Graph().as_default():
            tf.set_random_seed(1)
            x = tf.placeholder(tf.float32, [None, 4])
            hidden = tf.layers.dense(x, 5, activation=tf.nn.elu)
            loss = tf.reduce_mean(tf.square(tf.layers.dense(hidden, 1)))
            step = tf.train.AdamOptimizer(0.1).minimize(loss)
            with tf.Session() as sess:
                sess.run(tf.global_variables_initializer())
                data = np.arange(12, dtype=np.float32).reshape(3, 4) / 12
                for _ in range(4):
                    sess.run(step, {x: data})
                compiled = _plan_of(sess)  # the training step's plan
                return sess.run(tf.trainable_variables()), compiled

    fast, compiled = train("auto")
    reference, _ = train("numpy")
    (special,) = compiled.specializations.values()
    (group,) = [s for s in special.steps if isinstance(s, UpdateGroup)]
    assert [m.op.type for m in group.members] == ["ApplyAdam"] * 4
    for got, want in zip(fast, reference):
        np.testing.assert_array_equal(got, want)


def _xent_batch(rng, dtype, rows, classes):
    """Logits of mixed scales with a NaN, a +inf and a -inf row among them."""
    data = rng.normal(size=(rows, classes)) * rng.uniform(0.1, 40.0, size=(rows, 1))
    data[1, classes // 2] = np.nan
    data[2, 0] = np.inf
    data[3, :] = -np.inf
    return data.astype(dtype)


@pytest.mark.parametrize("dtype, label_dtype, classes", [
    (np.float32, np.int64, 4), (np.float32, np.int32, 10), (np.float64, np.int64, 10),
    (np.float32, np.int64, 3), (np.float32, np.int64, 300)])
def test_sparse_xent_is_bitwise_the_reference_in_specialised_plans_with_tfs_errors(
        monkeypatch, dtype, label_dtype, classes):
    """The specialised plans' cross-entropy (Numba loops around NumPy's exp, pairwise row
    sums and log: libm's exp differed in the last bits) gives the reference kernel's bits,
    NaN and infinities included, and TF's error for a label out of range."""
    rng = np.random.default_rng(classes)
    batches = [_xent_batch(rng, dtype, 6, classes) for _ in range(3)]
    labels_fed = rng.integers(0, classes, 6).astype(label_dtype)
    bad_labels = labels_fed.copy()
    bad_labels[3] = classes

    def run_all(executor):
        monkeypatch.setenv("TFCOMPAT_EXECUTOR", executor)
        with tf.Graph().as_default():
            logits = tf.placeholder(tf.as_dtype(dtype), [None, classes])
            labels = tf.placeholder(tf.as_dtype(label_dtype), [None])
            xent = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits)
            grad = tf.gradients(tf.reduce_mean(xent), logits)[0]
            with tf.Session() as sess:
                values = [sess.run([xent, grad], {logits: batch, labels: labels_fed})
                          for batch in batches + batches]
                with pytest.raises(tf.errors.InvalidArgumentError,  # in the generated plan
                                   match=f"label value of {classes} which is outside the "
                                         "valid range"):
                    sess.run([xent, grad], {logits: batches[0], labels: bad_labels})
                kernels = [step.kernel for special in _plan_of(sess).specializations.values()
                           for step in special.steps
                           if step.op.type == "SparseSoftmaxCrossEntropyWithLogits"]
        return values, kernels

    reference, none = run_all("numpy")
    fast, kernels = run_all("")
    assert none == [] and [k.__module__ for k in kernels] == ["tfcompat.runtime.rules.nn"]
    assert np.isnan(reference[0][0][1]) and np.isfinite(reference[0][0][0])
    for (loss_a, grad_a), (loss_b, grad_b) in zip(reference, fast):
        np.testing.assert_array_equal(loss_b, loss_a)
        np.testing.assert_array_equal(grad_b, grad_a)
        assert loss_b.tobytes() == loss_a.tobytes() and grad_b.tobytes() == grad_a.tobytes()


def test_sparse_xent_fast_rule_leaves_unusual_inputs_to_the_reference():
    """A transposed (Fortran-ordered) batch, an empty one and float16 take the reference
    kernel: same values as the reference interpreter, TF's shapes."""
    from tfcompat.runtime import lowering
    with tf.Graph().as_default():
        logits = tf.placeholder(tf.float32, [None, 5])
        labels = tf.placeholder(tf.int64, [None])
        xent = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits)
        fast = lowering.lookup_fast_kernel(xent.op, None)
        reference = xent.op.op_def.kernel(xent.op, None)
        data = np.random.default_rng(1).normal(size=(5, 7)).astype(np.float32).T
        picked = np.array([0, 4, 2, 1, 3, 0, 4])
        for features in (data, np.zeros((0, 5), np.float32), data.astype(np.float16)):
            for got, want in zip(fast(features, picked[:len(features)]),
                                 reference(features, picked[:len(features)])):
                assert got.dtype == want.dtype and got.shape == want.shape
                np.testing.assert_array_equal(got, want)


def test_stateful_ops_reached_by_control_dependencies_run_every_run(monkeypatch):
    """A py_func and a random op that only a control dependency reaches still run in every
    run of a specialised plan (they used to be dropped as unread after the first run): the
    py_func is called each time and the random op's sequence advances as on the reference
    interpreter."""
    monkeypatch.setenv("TFCOMPAT_FUSION", "0")

    def five_runs_then_draw(executor):
        monkeypatch.setenv("TFCOMPAT_EXECUTOR", executor)
        calls = []

        def count(x):
            calls.append(1)
            return x

        with tf.Graph().as_default():
            v = tf.Variable(1.0)
            noise = tf.random_uniform([], seed=3)
            seen = tf.py_func(count, [v + 0.0], tf.float32)
            with tf.control_dependencies([seen, noise]):
                out = v * 3.0
            with tf.Session() as sess:
                sess.run(v.initializer)
                assert [sess.run(out) for _ in range(5)] == [3.0] * 5
                return len(calls), sess.run(noise)

    assert five_runs_then_draw("") == five_runs_then_draw("numpy")
    assert five_runs_then_draw("")[0] == 5

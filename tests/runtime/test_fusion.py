"""The fusion tier: hot specialised plans with their elementwise chains in generated Numba
kernels give the reference interpreter's results (TFCOMPAT_EXECUTOR=numpy) to float
round-off, on every fusible op and on the chapter's kinds of networks."""
import numpy as np
import pytest

import tfcompat as tf
from tfcompat.framework.op_def import make_tensor, registered_op_types
from tfcompat.runtime import fusion, lowering
from tfcompat.runtime.fusion import FusedStep


@pytest.fixture
def fuse_early(monkeypatch, tmp_path):
    """Fusion after 2 specialised runs (the 4th run of a plan builds the fused form from a
    reference run, the 5th calls it), generated kernels in a fresh cache folder."""
    monkeypatch.setenv("TFCOMPAT_FUSE_AFTER", "2")
    monkeypatch.setenv("TFCOMPAT_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("TFCOMPAT_FUSION", raising=False)
    return tmp_path


def _special_steps(sess):
    """The steps of every specialisation of the session's plans."""
    return [step for plan in sess._plans.values() for special in plan.specializations.values()
            for step in special.steps]


def _fused_types(sess):
    return [[m.op.type for m in step.members] for step in _special_steps(sess)
            if isinstance(step, FusedStep)]


_SPECIAL = np.array([np.nan, np.inf, -np.inf, 0.0, -0.0, -2.5, -0.75, 0.3, 1.0, 4.0, 1e-30,
                     -1e30], np.float32)


def _values(shape, seed, dtype=np.float32):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=shape).astype(dtype)
    flat = x.reshape(-1)
    flat[:len(_SPECIAL)] = _SPECIAL[:flat.size]
    return x


# Each case: (op type, builder of the op from placeholders a (6, 5), b (6, 5), row (5,)).
_CASES = [
    ("Add", lambda a, b, row: tf.add(a, row)),
    ("AddV2", lambda a, b, row: make_tensor("AddV2", [a, b])),
    ("Sub", lambda a, b, row: tf.subtract(a, b)),
    ("Mul", lambda a, b, row: tf.multiply(a, row)),
    ("RealDiv", lambda a, b, row: tf.realdiv(a, b)),
    ("Div", lambda a, b, row: make_tensor("Div", [a, b])),
    ("SquaredDifference", lambda a, b, row: tf.squared_difference(a, row)),
    ("Neg", lambda a, b, row: tf.negative(a)),
    ("Square", lambda a, b, row: tf.square(a)),
    ("Sqrt", lambda a, b, row: tf.sqrt(a)),
    ("Rsqrt", lambda a, b, row: tf.rsqrt(a)),
    ("Reciprocal", lambda a, b, row: tf.reciprocal(a)),
    ("SqrtGrad", lambda a, b, row: make_tensor("SqrtGrad", [a, b])),
    ("RsqrtGrad", lambda a, b, row: make_tensor("RsqrtGrad", [a, b])),
    ("ReciprocalGrad", lambda a, b, row: make_tensor("ReciprocalGrad", [a, b])),
    ("Floor", lambda a, b, row: tf.floor(a * 3.0)),
    ("Ceil", lambda a, b, row: tf.ceil(a * 3.0)),
    ("Round", lambda a, b, row: tf.round(a * 2.0)),  # halves: ties to even
    ("Relu", lambda a, b, row: tf.nn.relu(a)),
    ("ReluGrad", lambda a, b, row: make_tensor("ReluGrad", [a, b])),
    ("Elu", lambda a, b, row: tf.nn.elu(a * 8.0)),  # down to expm1's -1 plateau
    ("Selu", lambda a, b, row: tf.nn.selu(a * 8.0)),
    ("EluGrad", lambda a, b, row: make_tensor("EluGrad", [a, b])),
    ("SigmoidGrad", lambda a, b, row: make_tensor("SigmoidGrad", [a, b])),
    ("TanhGrad", lambda a, b, row: make_tensor("TanhGrad", [a, b])),
    ("BiasAdd", lambda a, b, row: tf.nn.bias_add(a, row)),
    ("AddN", lambda a, b, row: tf.add_n([a, b, a])),
    ("BroadcastTo", lambda a, b, row: tf.broadcast_to(row, [6, 5]) * a),
    ("Reshape", lambda a, b, row: tf.reshape(row * 2.0, [1, 5])),
    ("ExpandDims", lambda a, b, row: tf.expand_dims(row * 2.0, 0)),
    ("Squeeze", lambda a, b, row: tf.squeeze(tf.reshape(row, [1, 5]) * 2.0)),
    ("Sum", lambda a, b, row: tf.reduce_sum(a * b, axis=0)),
    ("Sum", lambda a, b, row: tf.reduce_sum(a * b, axis=[])),  # a copy
    ("Mean", lambda a, b, row: tf.reduce_mean(a * b, axis=[])),
    ("ZerosLike", lambda a, b, row: tf.zeros_like(a) + b),
    ("OnesLike", lambda a, b, row: tf.ones_like(a) * b),
    ("Mean", lambda a, b, row: tf.reduce_mean(a * b, axis=0, keepdims=True)),
    ("BiasAddGrad", lambda a, b, row: make_tensor("BiasAddGrad", [a * b],
                                                  {"data_format": "NHWC"})),
]


def _run_case(build, dtype, executor, monkeypatch):
    monkeypatch.setenv("TFCOMPAT_EXECUTOR", executor)
    tf_dtype = tf.as_dtype(dtype)
    with tf.Graph().as_default():
        a = tf.placeholder(tf_dtype, [None, 5], name="a")
        b = tf.placeholder(tf_dtype, [None, 5], name="b")
        row = tf.placeholder(tf_dtype, [5], name="row")
        out = tf.negative(build(a, b, row), name="out")  # a second member for the cluster
        feed = {a: _values((6, 5), 1, dtype), b: _values((6, 5), 2, dtype)[::-1].copy(),
                row: _values((5,), 3, dtype)[::-1].copy()}
        with tf.Session() as sess:
            results = [sess.run(out, feed) for _ in range(6)]
            return results, _fused_types(sess)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("op_type,build", _CASES, ids=[case[0] for case in _CASES])
def test_each_fusible_op_matches_its_reference_kernel(op_type, build, dtype, fuse_early,
                                                      monkeypatch):
    expected, _ = _run_case(build, dtype, "numpy", monkeypatch)
    results, fused = _run_case(build, dtype, "", monkeypatch)
    assert any(op_type in members and len(members) > 1 for members in fused), fused
    for got in results:
        assert got.dtype == dtype
        if op_type in ("Elu", "Selu"):  # expm1: a vectorised float32 one, libm's for float64
            np.testing.assert_allclose(got, expected[0], rtol=4 * np.finfo(dtype).eps, atol=0)
        else:  # each operation rounded as the reference's NumPy pass rounds it
            np.testing.assert_array_equal(got, expected[0])


def test_every_op_with_a_formula_or_reduction_is_covered():
    covered = {case[0] for case in _CASES}
    lowering._load()
    fusible = set(lowering._FUSION_FORMULAS) | set(lowering._FUSION_REDUCTIONS)
    assert fusible <= set(registered_op_types())
    assert fusible <= covered, sorted(fusible - covered)


def test_column_sums_add_rows_in_numpys_order(fuse_early):
    """Sum/Mean over axis 0 equal NumPy's bit for bit: the loop accumulates row after row
    in float32, as ``np.add.reduce(x, axis=0)`` does."""
    data = np.random.default_rng(0).normal(size=(257, 33)).astype(np.float32) * 1e3
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [None, 33])
        total = tf.reduce_sum(x * 3.0, axis=0)
        mean = tf.reduce_mean(x * 3.0, axis=0)
        with tf.Session() as sess:
            for _ in range(5):
                got_total, got_mean = sess.run([total, mean], {x: data})
            assert _fused_types(sess)
    np.testing.assert_array_equal(got_total, np.add.reduce(data * np.float32(3), axis=0))
    np.testing.assert_array_equal(got_mean, np.mean(data * np.float32(3), axis=0))


def _chapter_networks():
    """The chapter's kinds of training steps: batch norm + ELU + SGD, dropout + ReLU +
    momentum, deep ELU + Adam, leaky ReLU + l1 + clipped gradients, frozen layers +
    max-norm, and the chapter's other optimizers and learning-rate schedule."""
    def bn(training):
        x = tf.placeholder(tf.float32, [None, 20], name="x")
        h = x
        for units in (16, 8):
            h = tf.layers.dense(h, units, kernel_initializer=tf.variance_scaling_initializer(
                2.0, seed=units))
            h = tf.nn.elu(tf.layers.batch_normalization(h, training=training, momentum=0.9))
        logits = tf.layers.batch_normalization(tf.layers.dense(h, 4), training=training)
        return x, logits, tf.train.GradientDescentOptimizer(0.05)

    def dropout(training):
        x = tf.placeholder(tf.float32, [None, 20], name="x")
        h = tf.layers.dropout(x, 0.5, training=training, seed=1)
        h = tf.layers.dense(h, 16, activation=tf.nn.relu,
                            kernel_initializer=tf.glorot_uniform_initializer(seed=2))
        h = tf.layers.dropout(h, 0.5, training=training, seed=3)
        return x, tf.layers.dense(h, 4), tf.train.MomentumOptimizer(0.05, 0.9)

    def deep_adam(training):
        x = tf.placeholder(tf.float32, [None, 20], name="x")
        h = x
        for i in range(3):
            h = tf.layers.dense(h, 12, activation=tf.nn.elu,
                                kernel_initializer=tf.glorot_uniform_initializer(seed=i))
        return x, tf.layers.dense(h, 4), tf.train.AdamOptimizer(0.01)

    def leaky_l1_clipped(training):
        x = tf.placeholder(tf.float32, [None, 20], name="x")
        h = tf.layers.dense(x, 16, activation=tf.nn.leaky_relu,
                            kernel_regularizer=tf.contrib.layers.l1_regularizer(0.01),
                            kernel_initializer=tf.glorot_uniform_initializer(seed=4))
        h = tf.layers.dense(h, 16, activation=tf.nn.sigmoid,
                            kernel_initializer=tf.glorot_uniform_initializer(seed=5))
        return x, tf.layers.dense(h, 4, activation=tf.nn.tanh), "clipped"

    def optimizer_net(optimizer):
        def build(training):
            x = tf.placeholder(tf.float32, [None, 20], name="x")
            h = tf.layers.dense(x, 12, activation=tf.nn.relu,
                                kernel_initializer=tf.glorot_uniform_initializer(seed=6))
            return x, tf.layers.dense(h, 4), optimizer()
        return build

    def decayed_sgd():
        step = tf.train.get_or_create_global_step()
        rate = tf.train.exponential_decay(0.1, step, 3, 0.5, staircase=True)
        return tf.train.GradientDescentOptimizer(rate)

    def frozen_max_norm(training):
        """Transfer learning's frozen lower layer (a var_list) and a max-norm clip op."""
        x = tf.placeholder(tf.float32, [None, 20], name="x")
        frozen = tf.layers.dense(x, 12, activation=tf.nn.elu, name="frozen",
                                 kernel_initializer=tf.glorot_uniform_initializer(seed=7))
        top = tf.layers.dense(tf.stop_gradient(frozen), 4, name="top")
        weights = tf.get_default_graph().get_tensor_by_name("top/kernel:0")
        tf.add_to_collection("max_norm", tf.assign(weights, tf.clip_by_norm(weights, 0.5,
                                                                             axes=1)))
        return x, top, "frozen"

    return {"bn": bn, "dropout": dropout, "deep_adam": deep_adam,
            "leaky_l1_clipped": leaky_l1_clipped, "frozen_max_norm": frozen_max_norm,
            "nesterov": optimizer_net(lambda: tf.train.MomentumOptimizer(
                0.05, 0.9, use_nesterov=True)),
            "adagrad": optimizer_net(lambda: tf.train.AdagradOptimizer(0.1)),
            "rmsprop": optimizer_net(lambda: tf.train.RMSPropOptimizer(0.01, momentum=0.9)),
            "decayed_sgd": optimizer_net(decayed_sgd)}


def _train(name, executor, monkeypatch, steps=7):
    monkeypatch.setenv("TFCOMPAT_EXECUTOR", executor)
    rng = np.random.default_rng(0)
    batches = [(rng.normal(size=(9, 20)).astype(np.float32), rng.integers(0, 4, 9))
               for _ in range(3)] + [(rng.normal(size=(5, 20)).astype(np.float32),
                                      rng.integers(0, 4, 5))]  # a smaller last batch
    with tf.Graph().as_default():
        tf.set_random_seed(11)
        training = tf.placeholder_with_default(False, (), name="training")
        x, logits, optimizer = _chapter_networks()[name](training)
        y = tf.placeholder(tf.int64, [None], name="y")
        loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y,
                                                                              logits=logits))
        loss += tf.losses.get_regularization_loss()
        if optimizer == "clipped":
            optimizer = tf.train.GradientDescentOptimizer(0.1)
            grads = optimizer.compute_gradients(loss)
            train = optimizer.apply_gradients([(tf.clip_by_value(g, -0.5, 0.5), v)
                                               for g, v in grads])
        elif optimizer == "frozen":
            train = tf.train.GradientDescentOptimizer(0.1).minimize(
                loss, var_list=tf.trainable_variables("top"))
        else:
            train = optimizer.minimize(loss, global_step=tf.train.get_global_step())
        fetches = [loss, train, tf.get_collection(tf.GraphKeys.UPDATE_OPS)]
        max_norm = tf.get_collection("max_norm")
        losses = []
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for _ in range(steps):
                for xb, yb in batches:
                    losses.append(sess.run(fetches, {x: xb, y: yb, training: True})[0])
                    sess.run(max_norm)
            accuracy = sess.run(tf.reduce_mean(tf.cast(tf.nn.in_top_k(logits, y, 1),
                                                       tf.float32)),
                                {x: batches[0][0], y: batches[0][1]})
            return losses, sess.run(tf.global_variables()), accuracy, _fused_types(sess)


@pytest.mark.parametrize("name", sorted(_chapter_networks()))
def test_fused_training_matches_the_reference_executor(name, fuse_early, monkeypatch):
    ref_losses, ref_vars, ref_accuracy, _ = _train(name, "numpy", monkeypatch)
    losses, variables, accuracy, fused = _train(name, "", monkeypatch)
    assert fused, "the training plans should have reached the fusion tier"
    np.testing.assert_allclose(losses, ref_losses, rtol=1e-4, atol=1e-6)
    for got, expected in zip(variables, ref_vars):
        np.testing.assert_allclose(got, expected, rtol=1e-4, atol=1e-6)
    assert accuracy == ref_accuracy


def test_bn_step_is_a_few_fused_kernels(fuse_early):
    """Batch norm's statistics, normalisation and gradient chains each become one kernel."""
    with tf.Graph().as_default():
        training = tf.placeholder_with_default(False, (), name="training")
        x = tf.placeholder(tf.float32, [None, 6])
        h = tf.layers.batch_normalization(tf.layers.dense(x, 5), training=training)
        loss = tf.reduce_mean(tf.square(tf.nn.elu(h)))
        train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
        fetches = [train, tf.get_collection(tf.GraphKeys.UPDATE_OPS)]
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for _ in range(5):
                sess.run(fetches, {x: np.ones((4, 6), np.float32), training: True})
            plan = max(sess._plans.values(), key=lambda p: len(p.plan.steps))
            (special,) = plan.specializations.values()
    assert special.fused
    fused = [step for step in special.steps if isinstance(step, FusedStep)]
    member_types = {m.op.type for step in fused for m in step.members}
    assert {"Mean", "SquaredDifference", "Rsqrt", "RsqrtGrad", "BiasAddGrad",
            "BroadcastTo"} <= member_types
    assert sum(len(step.members) for step in fused) > 3 * len(fused)
    assert "fused:" in repr(fused[0])
    # Chains of passes run as consecutive loops of one kernel: the forward pass (mean,
    # variance, per-feature scale, normalisation and activation), and the backward pass.
    kernel_types = [{m.op.type for m in step.members} for step in fused]
    assert any({"Mean", "SquaredDifference", "Rsqrt", "Elu"} <= types
               for types in kernel_types), kernel_types
    assert any({"RsqrtGrad", "BiasAddGrad"} <= types for types in kernel_types)


def test_a_vector_chain_on_a_column_mean_and_its_reader_share_a_kernel(fuse_early, monkeypatch):
    """v = 2·mean(exp(x)) − 1 is a (C,) chain on x's column mean; y = x·v + v runs in
    the same kernel as a later loop (v is fetched too), with the reference's results."""
    values = np.random.default_rng(3).normal(size=(7, 5)).astype(np.float32)
    results = {}
    for executor in ("numpy", ""):
        monkeypatch.setenv("TFCOMPAT_EXECUTOR", executor)
        with tf.Graph().as_default():
            x = tf.placeholder(tf.float32, [None, 5])
            v = tf.reduce_mean(tf.exp(x), axis=0) * 2.0 - 1.0
            y = x * v + v
            with tf.Session() as sess:
                for _ in range(5):
                    results[executor] = sess.run([y, v], {x: values})
                (plan,) = sess._plans.values()
    (special,) = plan.specializations.values()
    kernels = [{m.op for m in step.members} for step in special.steps
               if isinstance(step, FusedStep)]
    assert any({v.op, y.op} <= ops for ops in kernels)  # v's chain and y in one kernel
    for got, want in zip(results[""], results["numpy"]):
        np.testing.assert_allclose(got, want, rtol=1e-6)


def test_a_later_loop_reads_an_earlier_loops_matrix_kept_in_a_scratch_array(fuse_early,
                                                                           monkeypatch):
    """y = (2x − mean(2x)) · 3: the centring needs the finished mean, so it is a second loop
    that reads 2x, which nothing outside the kernel uses, from a scratch array."""
    values = np.random.default_rng(4).normal(size=(6, 3))
    results = {}
    for executor in ("numpy", ""):
        monkeypatch.setenv("TFCOMPAT_EXECUTOR", executor)
        with tf.Graph().as_default():
            x = tf.placeholder(tf.float64, [None, 3])
            doubled = x * 2.0
            y = (doubled - tf.reduce_mean(doubled, axis=0)) * 3.0
            with tf.Session() as sess:
                for _ in range(5):
                    results[executor] = sess.run(y, {x: values})
                (plan,) = sess._plans.values()
    (special,) = plan.specializations.values()
    (kernel,) = [step for step in special.steps if isinstance(step, FusedStep)]
    assert {doubled.op, y.op} <= {m.op for m in kernel.members}
    assert len(kernel.outputs) == 1 and "p0[i, j] = t0" in kernel.source  # 2x: scratch
    np.testing.assert_allclose(results[""], results["numpy"], rtol=1e-12)
    np.testing.assert_allclose(results[""], (values * 2 - (values * 2).mean(0)) * 3)


def test_values_that_die_with_the_run_are_written_into_storage_the_plan_keeps(fuse_early):
    """Fused outputs read only inside the run go into buffers bound to the kernel (the same
    arrays every run); fetched ones, and values a fetched view shows, are new arrays, so
    what a run returned never changes with later runs."""
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [None, 3])
        hidden = tf.exp(x) * 2.0 + 1.0  # read by the matmul only
        hidden_out = tf.sqrt(x * x + 1.0)
        seen = tf.transpose(hidden_out)  # a view of a fused output is fetched
        fetched = tf.tanh(x) - 0.5
        product = tf.matmul(hidden, tf.ones([3, 2]))
        with tf.Session() as sess:
            runs = []
            for k in range(6):
                feed = {x: np.full((4, 3), 0.1 * k, np.float32)}
                runs.append((sess.run([product, seen, fetched], feed), feed[x].copy()))
            (plan,) = sess._plans.values()
    (special,) = plan.specializations.values()
    assert special.fused
    (kernel,) = [step for step in special.steps if isinstance(step, FusedStep)]
    slot_of = {m.op: m.outputs[0] for m in kernel.members}
    assert slot_of[hidden.op] not in kernel.outputs  # written into storage, not returned
    assert {slot_of[hidden_out.op], slot_of[fetched.op]} <= set(kernel.outputs)
    (buffer,) = [a for a in kernel.kernel.args if isinstance(a, np.ndarray)]
    assert buffer.shape == (4, 3)
    (matmul,) = [step for step in special.steps if step.op is product.op]
    assert matmul.inputs[0] == "b" + slot_of[hidden.op][1:]  # the plan's name for it
    for (got_product, got_seen, got_fetched), values in runs:  # none overwritten later
        np.testing.assert_allclose(got_product, np.repeat(
            (np.exp(values) * 2 + 1).sum(1, keepdims=True), 2, axis=1), rtol=1e-6)
        np.testing.assert_allclose(got_seen, np.sqrt(values * values + 1).T, rtol=1e-6)
        np.testing.assert_allclose(got_fetched, np.tanh(values) - 0.5, rtol=1e-6, atol=1e-7)


def test_folded_scalars_are_literals_of_the_kernel_source(fuse_early, monkeypatch):
    """A folded scalar constant is written into the generated code, exactly (repr of the
    float the kernel would read), and is no longer an argument; other inputs still are."""
    results = {}
    for executor in ("numpy", ""):
        monkeypatch.setenv("TFCOMPAT_EXECUTOR", executor)
        with tf.Graph().as_default():
            x = tf.placeholder(tf.float32, [None, 2])
            y = tf.maximum(x * 0.1 + tf.constant(np.inf, tf.float32), -1.0) \
                - tf.exp(x) * tf.constant(-np.inf) + tf.constant(np.nan) * 0.0
            z = tf.exp(x) * (1.0 / 3.0)
            with tf.Session() as sess:
                for _ in range(5):
                    results[executor] = sess.run([y, z], {x: [[1.0, -2.0]]})
                (plan,) = sess._plans.values()
    (special,) = plan.specializations.values()
    sources = "\n".join(step.source for step in special.steps if isinstance(step, FusedStep))
    assert repr(float(np.float32(0.1))) in sources and repr(float(np.float32(1 / 3))) in sources
    assert "math.inf" in sources and "-math.inf" in sources
    for step in special.steps:
        if isinstance(step, FusedStep):
            assert not any(slot.startswith("c") for slot in step.inputs)
    for got, want in zip(results[""], results["numpy"]):
        np.testing.assert_array_equal(got, want)


def test_generated_kernels_are_files_in_the_cache_folder_shared_by_same_structures(
        fuse_early, monkeypatch):
    """One source per cluster structure (sizes are arguments), written once under its hash,
    with Numba's on-disk cache beside it."""
    def run(units):
        with tf.Graph().as_default():
            x = tf.placeholder(tf.float32, [None, units])
            out = tf.reduce_sum(tf.nn.relu(x * 2.0 + 1.0), axis=0)
            with tf.Session() as sess:
                for _ in range(5):
                    sess.run(out, {x: np.ones((3, units), np.float32)})
                return [s.source for s in _special_steps(sess) if isinstance(s, FusedStep)]

    first, second = run(7), run(11)
    assert first and first == second
    folder = fuse_early / "fused"
    sources = sorted(folder.glob("fused_*.py"))
    assert [p.read_text() for p in sources] == first
    assert list((folder / "__pycache__").glob("*.nbi")), "Numba should cache the kernel"
    assert not list(folder.glob("*.tmp"))


def test_a_variable_that_changes_shape_falls_back_to_the_reference_path(fuse_early):
    with tf.Graph().as_default():
        v = tf.Variable(np.ones(3, np.float32), name="v", validate_shape=False)
        out = tf.sqrt(v * 4.0 + 5.0)
        grow = tf.assign(v, np.arange(6, dtype=np.float32), validate_shape=False)
        with tf.Session() as sess:
            sess.run(v.initializer)
            for _ in range(6):
                np.testing.assert_allclose(sess.run(out), np.full(3, 3.0))
            assert _fused_types(sess)
            sess.run(grow)
            np.testing.assert_allclose(sess.run(out), np.sqrt(np.arange(6) * 4.0 + 5.0),
                                       rtol=1e-6)


def test_updates_and_reads_keep_their_order_around_fused_chains(fuse_early, monkeypatch):
    """A read ordered after an update by a control dependency sees the new value, with
    fused chains on both sides."""
    def run(executor):
        monkeypatch.setenv("TFCOMPAT_EXECUTOR", executor)
        with tf.Graph().as_default():
            v = tf.Variable(np.arange(4, dtype=np.float32), name="v")
            before = (v * 2.0 + 1.0) * 3.0
            update = tf.assign_add(v, before)
            with tf.control_dependencies([update]):
                after = (tf.identity(v) - 1.0) * 0.5
            with tf.Session() as sess:
                sess.run(v.initializer)
                return [sess.run([before, after]) for _ in range(6)]

    expected, got = run("numpy"), run("")
    for (b0, a0), (b1, a1) in zip(expected, got):
        np.testing.assert_allclose(b1, b0)
        np.testing.assert_allclose(a1, a0)


def test_fusion_switch_and_threshold(monkeypatch, tmp_path):
    monkeypatch.setenv("TFCOMPAT_CACHE_DIR", str(tmp_path))
    monkeypatch.setenv("TFCOMPAT_FUSION", "0")
    assert fusion.hot_threshold() is None
    monkeypatch.setenv("TFCOMPAT_FUSION", "1")
    monkeypatch.setenv("TFCOMPAT_FUSE_AFTER", "soon")
    with pytest.raises(ValueError, match="TFCOMPAT_FUSE_AFTER must be a number"):
        fusion.hot_threshold()
    monkeypatch.setenv("TFCOMPAT_FUSE_AFTER", "5")
    assert fusion.hot_threshold() == 5
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [None])
        out = (x * 2.0 + 1.0) * x
        with tf.Session() as sess:
            for runs in range(1, 8):
                sess.run(out, {x: [1.0, 2.0]})
                fused = bool(_fused_types(sess))
                assert fused == (runs > 6), runs  # 1 reference run, 5 specialised, refused
    monkeypatch.setenv("TFCOMPAT_FUSION", "0")
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [None])
        out = (x * 2.0 + 1.0) * x
        with tf.Session() as sess:
            for _ in range(10):
                sess.run(out, {x: [1.0, 2.0]})
            assert not _fused_types(sess)


def test_an_unusable_cache_folder_leaves_the_plan_unfused_with_a_warning(monkeypatch,
                                                                         tmp_path):
    blocker = tmp_path / "not_a_folder"
    blocker.write_text("")
    monkeypatch.setenv("TFCOMPAT_CACHE_DIR", str(blocker))
    monkeypatch.setenv("TFCOMPAT_FUSE_AFTER", "1")
    monkeypatch.setattr(fusion, "_loaded", {})  # kernels loaded by earlier tests: none
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [None])
        out = (x * 2.0 + 1.0) * x
        with tf.Session() as sess:
            with pytest.warns(RuntimeWarning, match="fusing a hot plan failed"):
                results = [sess.run(out, {x: [1.0, 2.0]}) for _ in range(5)]
            assert not _fused_types(sess)
    for result in results:
        np.testing.assert_allclose(result, [3.0, 10.0])

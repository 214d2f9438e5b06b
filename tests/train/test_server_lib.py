"""tf.train.ClusterSpec, tf.train.Server and sessions on server targets (in one process)."""
import socket

import numpy as np
import pytest

import tfcompat as tf


@pytest.fixture(autouse=True)
def fresh_graph():
    tf.reset_default_graph()


def test_cluster_spec_forms_and_queries():
    spec = tf.train.ClusterSpec({"worker": ["w0:2222", "w1:2222"], "ps": {1: "p1:2222"}})
    assert spec.jobs == ["ps", "worker"]
    assert spec.as_dict() == {"ps": {1: "p1:2222"}, "worker": ["w0:2222", "w1:2222"]}
    assert spec.num_tasks("worker") == 2 and spec.num_tasks("ps") == 1
    assert spec.task_indices("ps") == [1]
    assert spec.job_tasks("ps") == [None, "p1:2222"]
    assert spec.task_address("worker", 1) == "w1:2222"
    assert tf.train.ClusterSpec(spec) == spec and bool(spec)
    assert not tf.train.ClusterSpec({})
    with pytest.raises(ValueError, match="No such job in cluster: 'chief'"):
        spec.num_tasks("chief")
    with pytest.raises(ValueError, match="No task with index 0 in job 'ps'"):
        spec.task_address("ps", 0)
    with pytest.raises(TypeError, match="must be a dictionary mapping"):
        tf.train.ClusterSpec(["w0:2222"])
    with pytest.raises(TypeError, match="Task index 'a' must be an integer"):
        tf.train.ClusterSpec({"ps": {"a": "p:1"}})


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def cluster():
    """A ps and a worker task in this process, on loopback ports."""
    spec = tf.train.ClusterSpec({"ps": [f"127.0.0.1:{_free_port()}"],
                                 "worker": [f"127.0.0.1:{_free_port()}"]})
    servers = [tf.train.Server(spec, "ps", 0), tf.train.Server(spec, job_name="worker",
                                                               task_index=0)]
    yield spec, servers
    for server in servers:
        server._impl.stop(None)


def _linear_model(spec):
    with tf.device(tf.train.replica_device_setter(cluster=spec)):
        x = tf.placeholder(tf.float32, [None, 3], name="x")
        y = tf.placeholder(tf.float32, [None, 1], name="y")
        w = tf.get_variable("w", [3, 1], initializer=tf.zeros_initializer())
        b = tf.get_variable("b", [], initializer=tf.zeros_initializer())
        loss = tf.reduce_mean(tf.square(tf.matmul(x, w) + b - y))
        step = tf.train.get_or_create_global_step()
        train = tf.train.GradientDescentOptimizer(0.1).minimize(loss, global_step=step)
    return x, y, w, loss, step, train


def test_session_on_worker_trains_ps_variables_that_outlive_the_session(cluster):
    spec, (ps, worker) = cluster
    assert worker.target == "grpc://" + spec.task_address("worker", 0)
    rng = np.random.RandomState(0)
    xs = rng.randn(32, 3).astype(np.float32)
    ys = xs @ np.array([[1.0], [-2.0], [0.5]], np.float32) + 0.25
    x, y, w, loss, step, train = _linear_model(spec)
    assert w.op.device == "/job:ps/task:0" and loss.op.device == "/job:worker"
    with tf.Session(worker.target) as sess:
        sess.run(tf.global_variables_initializer())
        first = sess.run(loss, {x: xs, y: ys})
        for _ in range(60):
            sess.run(train, {x: xs, y: ys})
        result = sess.run({"loss": loss, "step": step}, feed_dict={x: xs, y: ys})
    assert result["step"] == 60 and result["loss"] < 0.05 * first
    # The ps holds the trained values: a second session (even on the ps) sees them.
    with tf.Session(ps.target) as sess:
        np.testing.assert_allclose(sess.run(loss, {x: xs, y: ys}), result["loss"], rtol=1e-6)
        assert sess.run(step) == 60
        assert sorted(d.name for d in sess.list_devices()) == [
            "/job:ps/replica:0/task:0/device:CPU:0", "/job:worker/replica:0/task:0/device:CPU:0"]
    tf.Session.reset(worker.target)
    with tf.Session(worker.target) as sess:
        with pytest.raises(tf.errors.FailedPreconditionError, match="uninitialized") as info:
            sess.run(loss, {x: xs, y: ys})
        assert info.value.op is not None and info.value.op.graph is tf.get_default_graph()


def test_remote_session_errors_and_fetch_structures(cluster):
    spec, (ps, worker) = cluster
    with pytest.raises(tf.errors.UnknownError, match="Could not start gRPC server"):
        tf.train.Server(spec, "ps", 0)  # its port is taken by the running ps
    with tf.device("/job:ps/task:3"):
        bad = tf.constant(1.0, name="bad")
    with tf.Session(worker.target) as sess:
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match="Cannot assign a device for operation bad"):
            sess.run(bad)
    tf.reset_default_graph()
    names = tf.constant([b"a", b"bc"], name="names")
    with tf.device("/job:ps/task:0"):
        counter = tf.Variable(0, name="counter")
    bump = tf.assign_add(counter, 2)
    with tf.Session(worker.target) as sess:
        sess.run(counter.initializer)
        out = sess.run((names, {"n": bump}, [bump.op]))
        assert out[0].tolist() == [b"a", b"bc"] and out[1]["n"] == 2 and out[2] == [None]
        assert sess.run(counter) == 2  # one run executes the op once


def test_local_server_and_unreachable_target():
    server = tf.train.Server.create_local_server(
        config=tf.ConfigProto(allow_soft_placement=True))  # the default of its sessions
    try:
        assert server.target.startswith("grpc://localhost:")
        assert not server.target.endswith(":0")
        with tf.device("/job:local/task:0/gpu:0"):
            v = tf.Variable(5.0, name="v")
        with tf.Session(server.target) as sess:
            sess.run(v.initializer)
            sess.run(tf.assign(v, 7.0))
        with tf.Session(server.target.encode()) as sess:  # TF also takes bytes targets
            assert sess.run(v) == 7.0
        interactive = tf.InteractiveSession(server.target)
        try:
            assert tf.get_default_session() is interactive and v.eval() == 7.0
        finally:
            interactive.close()
        assert tf.get_default_session() is None
    finally:
        server._impl.stop(None)
    config = tf.ConfigProto(operation_timeout_in_ms=300)
    with pytest.raises(tf.errors.UnavailableError, match="failed to connect"):
        tf.Session(f"grpc://127.0.0.1:{_free_port()}", config=config)
    with pytest.raises(tf.errors.UnavailableError):
        tf.InteractiveSession(f"grpc://127.0.0.1:{_free_port()}", config=config)
    assert tf.get_default_session() is None


def test_in_graph_replication_towers_and_remote_placement_log(cluster, capsys):
    spec, (ps, worker) = cluster
    with tf.device("/job:ps/task:0"):
        w = tf.Variable([[2.0], [1.0]], name="w")
    losses = []
    for index in range(2):
        with tf.device(f"/job:worker/task:{index}"):
            x = tf.fill([4, 2], float(index + 1), name=f"x{index}")
            losses.append(tf.reduce_mean(tf.matmul(x, w), name=f"tower{index}"))
    total = tf.add_n(losses, name="total")
    assert losses[1].op.device == "/job:worker/task:1"
    # The worker's server knows only its own two-task cluster: task 1 is unknown to it.
    with tf.Session(worker.target) as sess:
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match="was explicitly assigned to /job:worker/task:1"):
            sess.run(total)
    # In a cluster of a ps and two workers, each tower runs in its worker's task.
    towers_spec = tf.train.ClusterSpec({"ps": [f"127.0.0.1:{_free_port()}"],
                                        "worker": [f"127.0.0.1:{_free_port()}",
                                                   f"127.0.0.1:{_free_port()}"]})
    servers = [tf.train.Server(towers_spec, job, index)
               for job, index in (("ps", 0), ("worker", 0), ("worker", 1))]
    config = tf.ConfigProto(log_device_placement=True)
    try:
        with tf.Session(servers[0].target, config=config) as sess:
            sess.run(w.initializer)
            assert sess.run(total) == 3.0 + 6.0
            # Each tower's partition was registered with its own task's worker.
            for server, own in zip(servers, ("w", "tower0", "tower1"), strict=True):
                names = {op.name for partition in server._impl.worker._graphs.values()
                         for op in partition.graph.get_operations()}
                assert own in names and not ({"w", "tower0", "tower1"} - {own}) & names
    finally:
        for server in servers:
            server._impl.stop(None)
    out = capsys.readouterr().out
    assert "tower1: (Mean): /job:worker/replica:0/task:1/device:CPU:0" in out
    assert "w: (VariableV2): /job:ps/replica:0/task:0/device:CPU:0" in out


def test_run_needing_an_unreachable_ps_times_out(cluster):
    spec, (ps, worker) = cluster
    lonely = tf.train.ClusterSpec({"ps": [f"127.0.0.1:{_free_port()}"], "worker": ["127.0.0.1:0"]})
    server = tf.train.Server(lonely, "worker", 0)
    try:
        with tf.device("/job:ps/task:0"):
            v = tf.Variable(1.0, name="v")
        local = tf.constant(2.0, name="local")
        config = tf.ConfigProto(operation_timeout_in_ms=400)
        with tf.Session(server.target, config=config) as sess:
            assert sess.run(local) == 2.0  # runs not reading ps variables need no ps
            with pytest.raises(tf.errors.DeadlineExceededError,
                               match="Task /job:ps/replica:0/task:0/device:CPU:0 did not "):
                sess.run(v)
    finally:
        server._impl.stop(None)


def test_run_options_timeout_bounds_one_run():
    lonely = tf.train.ClusterSpec({"ps": [f"127.0.0.1:{_free_port()}"], "worker": ["127.0.0.1:0"]})
    server = tf.train.Server(lonely, "worker", 0)
    try:
        with tf.device("/job:ps/task:0"):
            v = tf.Variable(1.0, name="v")
        options = tf.RunOptions(timeout_in_ms=300)
        assert options.trace_level == tf.RunOptions.NO_TRACE
        with tf.Session(server.target) as sess:
            with pytest.raises(tf.errors.DeadlineExceededError,
                               match="Task /job:ps/replica:0/task:0/device:CPU:0 did not "):
                sess.run(v, options=options)
    finally:
        server._impl.stop(None)


def _train_small_network(target, steps=25):
    """Trainable values after ``steps`` Adam steps of a small batch-norm network."""
    graph = tf.Graph()
    with graph.as_default():
        tf.set_random_seed(3)
        x = tf.placeholder(tf.float32, [None, 12])
        labels = tf.placeholder(tf.int64, [None])
        hidden = tf.layers.dense(x, 16, activation=tf.nn.elu, name="hidden")
        hidden = tf.layers.batch_normalization(hidden, training=True, momentum=0.9)
        logits = tf.layers.dense(hidden, 4, name="logits")
        loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(
            labels=labels, logits=logits))
        with tf.control_dependencies(tf.get_collection(tf.GraphKeys.UPDATE_OPS)):
            train = tf.train.AdamOptimizer(0.01).minimize(loss)
        rng = np.random.RandomState(0)
        batches = [(rng.randn(20, 12).astype(np.float32), rng.randint(0, 4, 20))
                   for _ in range(5)]
        with tf.Session(target) as sess:
            sess.run(tf.global_variables_initializer())
            for step in range(steps):
                xs, ys = batches[step % len(batches)]
                sess.run(train, {x: xs, labels: ys})
            return sess.run(tf.global_variables())


def test_remote_training_equals_local_training_bit_for_bit():
    server = tf.train.Server.create_local_server()
    try:
        local = _train_small_network("")
        remote = _train_small_network(server.target)
    finally:
        server._impl.stop(None)
    assert len(local) == len(remote) > 10
    for expected, actual in zip(local, remote, strict=True):
        np.testing.assert_array_equal(actual, expected)


def test_concurrent_runs_from_threads_and_sessions_lose_no_update(cluster):
    import threading
    spec, (ps, worker) = cluster
    with tf.device("/job:ps/task:0"):
        counter = tf.Variable(0, name="counter")
        total = tf.Variable(0.0, name="total")
    bump = tf.assign_add(counter, 1)
    add = tf.assign_add(total, 0.5)
    sessions = [tf.Session(worker.target), tf.Session(ps.target)]
    sessions[0].run(tf.variables_initializer([counter, total]))

    def work(sess, op):
        for _ in range(25):
            sess.run(op)

    threads = [threading.Thread(target=work, args=(sess, op))
               for sess in sessions for op in (bump, bump, add)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sessions[1].run([counter, total]) == [100, 25.0]  # 4 x 25 bumps, 2 x 25 adds
    for sess in sessions:
        sess.close()


def test_containers_scope_variables_and_reset_empties_only_those_named(cluster):
    spec, (ps, worker) = cluster
    with tf.device("/job:ps/task:0"):
        with tf.container("experiment"):
            scoped = tf.Variable(1.0, name="scoped")
            with tf.container(""):
                plain = tf.Variable(2.0, name="plain")
        other = tf.Variable(3.0, name="other")
    assert scoped.op.get_attr("container") == "experiment"
    assert plain.op.get_attr("container") == other.op.get_attr("container") == ""
    with tf.Session(worker.target) as sess:
        sess.run(tf.global_variables_initializer())
    tf.Session.reset(worker.target, ["experiment"])
    with tf.Session(ps.target) as sess:
        assert sess.run(tf.report_uninitialized_variables()).tolist() == [b"scoped"]
        assert sess.run([plain, other]) == [2.0, 3.0]
    tf.Session.reset(ps.target)
    with tf.Session(ps.target) as sess:
        assert len(sess.run(tf.report_uninitialized_variables())) == 3


def test_monitored_training_sessions_of_a_chief_and_a_waiting_worker(cluster, tmp_path):
    spec, (ps, worker) = cluster

    def train_until(last_step, **session_args):
        """Steps run by a MonitoredTrainingSession (in a graph of its own, as each worker
        process builds) until the global step reaches ``last_step``."""
        with tf.Graph().as_default():
            with tf.device(tf.train.replica_device_setter(cluster=spec)):
                w = tf.Variable(0.0, name="w")
                step = tf.train.get_or_create_global_step()
                train = tf.train.GradientDescentOptimizer(0.1).minimize(
                    tf.square(w - 3.0), global_step=step)
            count = 0
            with tf.train.MonitoredTrainingSession(
                    hooks=[tf.train.StopAtStepHook(last_step=last_step)], **session_args) as sess:
                while not sess.should_stop():
                    sess.run(train)
                    count += 1
            return count

    # A non-chief worker waits for the chief's initialisation (here: in vain).
    with pytest.raises(tf.errors.DeadlineExceededError, match="not ready after waiting 1 secs"):
        train_until(10, master=ps.target, is_chief=False, max_wait_secs=1)
    chief_steps = train_until(20, master=worker.target, is_chief=True,
                              checkpoint_dir=str(tmp_path), save_checkpoint_steps=10)
    assert chief_steps == 20 and tf.train.latest_checkpoint(str(tmp_path)) is not None
    # The other worker finds the model initialised and trains on from step 20: it does not
    # initialise it again.
    assert train_until(30, master=ps.target, is_chief=False) == 10

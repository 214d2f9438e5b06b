"""Steps split by task: the partitions and their _Send/_Recv pairs, the rendezvous, aborted
steps, resources that live in their task, and synchronous replicas on two worker tasks."""
import socket
import threading
import time

import numpy as np
import pytest

import tfcompat as tf
from tfcompat.distributed.partition import partition
from tfcompat.distributed.worker import Rendezvous
from tfcompat.framework.graph_def import parse_graph_def
from tfcompat.framework.op_def import make_op
from tfcompat.runtime import plan
from tfcompat.runtime.placer import Placer

PS = "/job:ps/replica:0/task:0/device:CPU:0"
WORKER = "/job:worker/replica:0/task:0/device:CPU:0"


@pytest.fixture(autouse=True)
def fresh_graph():
    tf.reset_default_graph()


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def servers():
    """A ps and two worker tasks in this process, on loopback ports."""
    spec = tf.train.ClusterSpec({"ps": [f"127.0.0.1:{_free_port()}"],
                                 "worker": [f"127.0.0.1:{_free_port()}",
                                            f"127.0.0.1:{_free_port()}"]})
    started = [tf.train.Server(spec, job, index)
               for job, index in (("ps", 0), ("worker", 0), ("worker", 1))]
    yield spec, started
    for server in started:
        server._impl.stop(None)


def _placed(graph):
    placer = Placer(graph, [WORKER, PS], tf.ConfigProto())
    placer.place()
    return placer.assigned


def test_edges_between_tasks_become_send_recv_pairs_and_feeds_go_where_they_are_read():
    with tf.device("/job:ps/task:0"):
        w = tf.Variable([[1.0], [2.0]], name="w")
    with tf.device("/job:worker/task:0"):
        x = tf.placeholder(tf.float32, [None, 2], name="x")
        y = tf.matmul(x, w, name="y")
    with tf.device("/job:ps/task:0"):
        scaled = tf.multiply(x, 2.0, name="scaled")  # reads the feed on the ps too
        bump = tf.assign_add(w, tf.transpose(tf.reduce_sum(y * scaled, 0, keepdims=True)),
                             name="bump")
    with tf.device("/job:worker/task:0"), tf.control_dependencies([bump]):
        done = tf.no_op(name="done")
    parts = partition(_placed(tf.get_default_graph()), [y], [done], {x})
    ps, worker = parts[("ps", 0)], parts[("worker", 0)]
    ps_nodes = {n.name: n for n in parse_graph_def(ps.graph_def)}
    worker_nodes = {n.name: n for n in parse_graph_def(worker.graph_def)}
    # The ref consumer (AssignAdd) sits with its variable, whatever the scope asked.
    assert ps_nodes["bump"].device == PS and "bump" not in worker_nodes
    # One pair per tensor and receiving task, with the same key on both sides.
    sends = {n.attr["tensor_name"]: n for n in ps_nodes.values() if n.op == "_Send"}
    sends.update({n.attr["tensor_name"]: n for n in worker_nodes.values() if n.op == "_Send"})
    recvs = {n.attr["tensor_name"]: n for nodes in (ps_nodes, worker_nodes)
             for n in nodes.values() if n.op == "_Recv"}
    assert set(sends) == set(recvs) == {"w/read:0", "y:0", "^bump"}
    for name, send in sends.items():
        recv = recvs[name]
        assert (send.attr["send_device"], send.attr["recv_device"]) == (
            recv.attr["send_device"], recv.attr["recv_device"])
    assert recvs["w/read:0"].device == WORKER and recvs["y:0"].device == PS
    # The control edge sends a scalar made after the AssignAdd.
    control = ps_nodes[sends["^bump"].input[0]]
    assert control.op == "Const" and control.input == ["^bump"]
    assert worker_nodes["done"].input == ["^" + recvs["^bump"].name]
    # The fed value goes to both partitions that read it, through a Placeholder standing in
    # for the fed tensor in each.
    for part, nodes in ((ps, ps_nodes), (worker, worker_nodes)):
        (stand_in,) = part.feeds.values()
        assert list(part.feeds) == ["x:0"] and nodes[stand_in[:-2]].op == "Placeholder"
    assert worker.fetches == ["y:0"] and "done" in worker.targets
    assert all(name in ps.targets for name in (n.name for n in ps_nodes.values()
                                               if n.op == "_Send"))


def test_recv_ops_run_when_nothing_else_can():
    with tf.device("/job:ps/task:0"):
        v = tf.Variable(1.0, name="v")
    graph = tf.get_default_graph()
    received = make_op("_Recv", attrs={
        "tensor_type": tf.float32, "tensor_name": "g:0", "send_device": WORKER,
        "recv_device": PS, "send_device_incarnation": 0, "client_terminated": False},
        name="g_recv")
    assign = tf.assign(v, 2.0, name="set_v")
    late = tf.add(v.value(), 1.0, name="late")
    apply = tf.assign_add(v, received.outputs[0], name="apply")
    needed = plan.prune([apply.op, late.op, assign.op], set())
    ordered = [op.name for op in plan.order(needed, set())]
    # Read-only work, then the update that needs nothing from elsewhere, then the wait.
    assert ordered.index("g_recv") > max(ordered.index("late"), ordered.index("set_v"))
    assert graph.get_operation_by_name("g_recv").type == "_Recv"


def test_send_and_recv_fail_outside_a_distributed_step():
    received = make_op("_Recv", attrs={
        "tensor_type": tf.float32, "tensor_name": "t:0", "send_device": WORKER,
        "recv_device": PS, "send_device_incarnation": 0, "client_terminated": False},
        name="lonely_recv")
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match="can only run in a partition of a distributed step"):
            sess.run(received.outputs[0])


def test_rendezvous_keys_values_by_step_and_ends_aborted_waits():
    rendezvous = Rendezvous()
    rendezvous.send(7, f"{PS};{WORKER};a:0", np.array(1.0))
    rendezvous.send(8, f"{PS};{WORKER};a:0", np.array(3.0))
    threading.Timer(0.05, rendezvous.send, [7, f"{PS};{WORKER};b:0", np.array(2.0)]).start()
    assert float(rendezvous.receive(7, f"{PS};{WORKER};b:0", 5.0)) == 2.0  # waits for it
    assert float(rendezvous.receive(7, f"{PS};{WORKER};a:0", 1.0)) == 1.0  # step 7's
    with pytest.raises(tf.errors.DeadlineExceededError, match="waiting for"):
        rendezvous.receive(7, f"{PS};{WORKER};a:0", 0.05)  # taken already
    threading.Timer(0.1, rendezvous.abort, [8, "a partition failed"]).start()
    started = time.monotonic()
    with pytest.raises(tf.errors.CancelledError, match="a partition failed"):
        rendezvous.receive(8, f"{PS};{WORKER};z:0", 30.0)
    assert time.monotonic() - started < 10
    rendezvous.send(8, f"{PS};{WORKER};late:0", np.array(4.0))  # dropped: step aborted
    with pytest.raises(tf.errors.CancelledError):
        rendezvous.receive(8, f"{PS};{WORKER};late:0", 0.05)


def test_a_failing_partition_aborts_the_step_everywhere_and_changes_nothing(servers):
    spec, (ps, worker, _) = servers
    with tf.device(tf.train.replica_device_setter(cluster=spec)):
        x = tf.placeholder(tf.float32, [None, 2], name="x")
        w = tf.Variable([[1.0], [1.0]], name="w")
        loss = tf.reduce_sum(tf.matmul(tf.debugging.check_numerics(x, "bad input"), w))
        train = tf.train.GradientDescentOptimizer(0.5).minimize(loss)
    config = tf.ConfigProto(operation_timeout_in_ms=30000)
    with tf.Session(worker.target, config=config) as sess:
        sess.run(w.initializer)
        started = time.monotonic()
        # The ps partition waits for the gradient the worker's partition never sends.
        with pytest.raises(tf.errors.InvalidArgumentError, match="bad input") as info:
            sess.run(train, {x: [[np.nan, 1.0]]})
        assert time.monotonic() - started < 10  # aborted, not timed out
        assert info.value.op is not None and info.value.op.graph is tf.get_default_graph()
        np.testing.assert_array_equal(sess.run(w), [[1.0], [1.0]])
        sess.run(train, {x: [[1.0, 2.0]]})
        np.testing.assert_array_equal(sess.run(w), [[0.5], [0.0]])


def test_shared_queues_live_in_their_task_and_private_ones_in_the_session(servers):
    spec, (ps, worker, _) = servers
    with tf.device("/job:ps/task:0"):
        shared = tf.FIFOQueue(10, tf.float32, shapes=[], shared_name="inbox", name="shared")
        private = tf.FIFOQueue(10, tf.float32, shapes=[], name="private")
    with tf.device("/job:worker/task:0"):
        values = tf.constant([1.0, 2.0, 3.0])
    fill = [shared.enqueue_many([values]), private.enqueue_many([values])]
    with tf.Session(worker.target) as sess:
        sess.run(fill)
        assert sess.run([shared.size(), private.size()]) == [3, 3]
    with tf.Session(worker.target) as sess:  # a new session: same task, same shared queue
        assert sess.run([shared.size(), private.size()]) == [3, 0]
        assert sess.run(shared.dequeue_many(3)).tolist() == [1.0, 2.0, 3.0]
    tf.Session.reset(worker.target)
    with tf.Session(worker.target) as sess:
        assert sess.run(shared.size()) == 0


def test_sync_replicas_on_two_worker_tasks_aggregate_each_step(servers):
    """Two worker tasks (each its own session, as two worker processes), the accumulators
    and token queue on the ps: the same schedule gives TensorFlow's result (the round after
    the initial tokens is stale)."""
    spec, (ps, *workers) = servers
    with tf.device("/job:ps/task:0"):
        step = tf.train.get_or_create_global_step()
        w = tf.Variable(np.array([1.0, 2.0], np.float32), name="w")
    trains, opts = [], []
    for index, c in enumerate(([1.0, 0.0], [3.0, 4.0])):
        with tf.device(tf.train.replica_device_setter(
                cluster=spec, worker_device=f"/job:worker/task:{index}")):
            loss = tf.reduce_sum(w * np.array(c, np.float32))
            opt = tf.train.SyncReplicasOptimizer(tf.train.GradientDescentOptimizer(0.5),
                                                 replicas_to_aggregate=2, total_num_replicas=2)
            trains.append(opt.minimize(loss, global_step=step))
            opts.append(opt)
    accumulator = opts[0]._accumulator_list[0][0]
    assert accumulator._accumulator_ref.op.device == "/job:ps/task:0"
    pending = accumulator.num_accumulated()
    sessions = [tf.Session(server.target) for server in workers]
    try:
        sessions[0].run([tf.global_variables_initializer(), tf.local_variables_initializer()])
        sessions[0].run(opts[0].chief_init_op)
        sessions[1].run([tf.local_variables_initializer(), opts[1].local_step_init_op])
        sessions[0].run(opts[0].get_init_tokens_op())
        coord = tf.train.Coordinator()
        opts[0].get_chief_queue_runner().create_threads(sessions[0], coord=coord, daemon=True,
                                                        start=True)
        barrier = threading.Barrier(2, timeout=60)

        def work(index):
            for _ in range(6):
                barrier.wait()
                sessions[index].run(trains[index])
                while sessions[index].run(pending) != 0:
                    time.sleep(0.001)
                barrier.wait()

        threads = [threading.Thread(target=work, args=(k,)) for k in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(90)
        assert sessions[1].run(step) == 5
        np.testing.assert_array_equal(sessions[1].run(w), [-4.0, -3.0])
        coord.request_stop()
    finally:
        for session in sessions:
            session.close()


def test_a_cond_branch_not_taken_travels_dead_to_the_other_task(servers):
    spec, (ps, worker, _) = servers
    with tf.device("/job:ps/task:0"):
        v = tf.Variable(1.0, name="v")
    with tf.device("/job:worker/task:0"):
        training = tf.placeholder(tf.bool, [], name="training")
        x = tf.placeholder(tf.float32, [], name="x")
        doubled = x * 2.0
        # The Switch of ``doubled`` is on the worker, the AssignAdd that takes its true
        # output on the ps (with its variable).
        result = tf.cond(training, lambda: tf.assign_add(v, doubled), lambda: doubled + v)
    with tf.Session(worker.target) as sess:
        sess.run(v.initializer)
        for _ in range(3):  # (the later runs take the specialised plans)
            assert sess.run(result, {training: False, x: 5.0}) == 11.0
            assert sess.run(v) == 1.0
        assert sess.run(result, {training: True, x: 5.0}) == 11.0
        assert sess.run(result, {training: True, x: 0.5}) == 12.0
        assert sess.run(result, {training: False, x: 1.0}) == 14.0
        assert sess.run(v) == 12.0


def test_a_dataset_iterator_keeps_its_place_across_a_sessions_step_signatures(servers):
    spec, (ps, worker, _) = servers
    with tf.device("/job:ps/task:0"):
        scale = tf.Variable(10.0, name="scale")
    with tf.device("/job:worker/task:0"):
        dataset = tf.data.Dataset.range(5).map(lambda n: tf.cast(n, tf.float32))
        element = dataset.make_one_shot_iterator().get_next()
        scaled = element * scale
    with tf.Session(worker.target) as sess:
        sess.run(scale.initializer)
        assert sess.run(element) == 0.0
        assert sess.run(scaled) == 10.0  # another signature, the same iterator
        assert sess.run([element, scale]) == [2.0, 10.0]
        assert sess.run(scaled) == 30.0
        assert sess.run(element) == 4.0
        with pytest.raises(tf.errors.OutOfRangeError):
            sess.run(scaled)
    with tf.Session(worker.target) as sess:  # a new session starts the pipeline again
        assert sess.run(element) == 0.0
    # A function body reading a tensor of another task (the ps's variable) gets it sent.
    with tf.device("/job:worker/task:0"):
        reads_ps = tf.data.Dataset.range(3).map(lambda n: tf.cast(n, tf.float32) * scale)
        iterator = reads_ps.make_initializable_iterator()
        following = iterator.get_next()
    with tf.Session(worker.target) as sess:
        sess.run(iterator.initializer)
        assert [sess.run(following) for _ in range(3)] == [0.0, 10.0, 20.0]


def test_run_options_timeout_bounds_a_blocked_dequeue_on_another_task(servers):
    spec, (ps, worker, _) = servers
    with tf.device("/job:ps/task:0"):
        queue = tf.FIFOQueue(5, tf.float32, shapes=[], shared_name="empty", name="empty")
    with tf.device("/job:worker/task:0"):
        doubled = queue.dequeue() * 2.0
    with tf.Session(worker.target) as sess:
        started = time.monotonic()
        with pytest.raises(tf.errors.DeadlineExceededError,
                           match="Timed out waiting for notification"):
            sess.run(doubled, options=tf.RunOptions(timeout_in_ms=200))
        assert time.monotonic() - started < 10
        sess.run(queue.enqueue(3.0))
        assert sess.run(doubled) == 6.0


def test_dynamic_rnn_trained_on_a_worker_with_ps_variables_equals_local_training(servers):
    """The forward loop, its stacks and the gradient loop run in the worker's partition
    (a loop runs whole, with its stack pushes); the cell's variables live on the ps."""
    spec, (ps, worker, _) = servers
    rng = np.random.RandomState(0)
    xs, ys = rng.randn(6, 5, 3).astype(np.float32), rng.randint(0, 4, 6)
    losses = []
    for target, setter in (("", None), (worker.target,
                                        tf.train.replica_device_setter(cluster=spec))):
        with tf.Graph().as_default(), tf.device(setter):
            tf.set_random_seed(1)
            x = tf.placeholder(tf.float32, [None, 5, 3])
            y = tf.placeholder(tf.int64, [None])
            _, state = tf.nn.dynamic_rnn(tf.nn.rnn_cell.BasicRNNCell(8), x, dtype=tf.float32)
            loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(
                labels=y, logits=tf.layers.dense(state, 4)))
            train = tf.train.AdamOptimizer(0.01).minimize(loss)
            with tf.Session(target) as sess:
                sess.run(tf.global_variables_initializer())
                for _ in range(4):
                    sess.run(train, {x: xs, y: ys})
                losses.append(sess.run(loss, {x: xs, y: ys}))
    assert losses[0] == losses[1]
    # ... and one reading a fed placeholder gets the fed value.
    with tf.device("/job:worker/task:0"):
        factor = tf.placeholder(tf.float32, [], name="factor")
        fed_map = tf.data.Dataset.range(2).map(lambda n: tf.cast(n + 1, tf.float32) * factor)
        fed_iterator = fed_map.make_initializable_iterator()
        fed_next = fed_iterator.get_next()
    with tf.Session(worker.target) as sess:
        sess.run(fed_iterator.initializer, {factor: 3.0})
        assert [sess.run(fed_next) for _ in range(2)] == [3.0, 6.0]


def test_every_value_a_step_sends_is_received(servers):
    """No value is left in a rendezvous after a step: receives a specialised plan would
    drop (only a control edge or a ref input's producer reads them) still run."""
    spec, (ps, worker, _) = servers
    with tf.device(tf.train.replica_device_setter(cluster=spec)):
        x = tf.placeholder(tf.float32, [None, 4], name="x")
        training = tf.placeholder_with_default(False, [], name="training")
        hidden = tf.layers.batch_normalization(tf.layers.dense(x, 3), training=training)
        loss = tf.reduce_mean(tf.square(hidden))
        with tf.control_dependencies(tf.get_collection(tf.GraphKeys.UPDATE_OPS)):
            train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    values = np.random.RandomState(0).randn(8, 4).astype(np.float32)
    with tf.Session(worker.target) as sess:
        sess.run(tf.global_variables_initializer())
        for step in range(6):  # the reference run, then specialised ones
            sess.run(train, {x: values, training: step % 2 == 0})
            sess.run(loss, {x: values})
    for server in (ps, worker):
        assert server._impl.worker.rendezvous._values == {}


def test_saver_saves_and_restores_variables_of_two_ps_tasks(tmp_path):
    spec = tf.train.ClusterSpec({"ps": [f"127.0.0.1:{_free_port()}",
                                        f"127.0.0.1:{_free_port()}"],
                                 "worker": [f"127.0.0.1:{_free_port()}"]})
    started = [tf.train.Server(spec, job, index)
               for job, index in (("ps", 0), ("ps", 1), ("worker", 0))]
    try:
        with tf.device(tf.train.replica_device_setter(cluster=spec)):
            a = tf.Variable([1.0, 2.0], name="a")
            b = tf.Variable(3.0, name="b")
            saver = tf.train.Saver()
            bump = [tf.assign_add(a, [1.0, 1.0]), tf.assign_add(b, 1.0)]
        assert (a.op.device, b.op.device) == ("/job:ps/task:0", "/job:ps/task:1")
        with tf.Session(started[2].target) as sess:
            sess.run(tf.global_variables_initializer())
            path = saver.save(sess, str(tmp_path / "model"))
            sess.run(bump)
            saver.restore(sess, path)  # the Assigns run on each variable's ps
            assert sess.run(a).tolist() == [1.0, 2.0] and sess.run(b) == 3.0
        assert dict(tf.train.list_variables(path)) == {"a": [2], "b": []}
    finally:
        for server in started:
            server._impl.stop(None)

"""The BLAS thread policy: available CPUs, ConfigProto's bound, and the CPUs other
processes leave idle."""
import types

import numpy as np

import tfcompat as tf
from tfcompat.runtime import threads


class _FakeBlas:
    """A threadpoolctl controller recording the counts set."""

    def __init__(self):
        self.limits = []
        self.lib_controllers = [types.SimpleNamespace(num_threads=4,
                                                      set_num_threads=self.limits.append)]


def _policy(monkeypatch, cpus=4):
    monkeypatch.delenv("TFCOMPAT_BLAS_THREADS", raising=False)
    policy = threads.BlasThreads()
    policy.cpus, policy.pinned = cpus, 0
    policy._measures_others = True
    fake = _FakeBlas()
    policy._controller, policy._current = fake, 4
    return policy, fake


def test_available_cpus_follow_affinity_and_the_cgroup_quota(monkeypatch):
    monkeypatch.setattr(threads.os, "sched_getaffinity", lambda pid: {0, 1, 2, 3, 4, 5})
    monkeypatch.setattr(threads, "_cgroup_quota", lambda: None)
    assert threads.available_cpus() == 6
    monkeypatch.setattr(threads, "_cgroup_quota", lambda: 1.5)  # cpu.max "150000 100000"
    assert threads.available_cpus() == 2


def test_cgroup_v2_quota_is_read(monkeypatch, tmp_path):
    real_open = open

    def fake_open(path, *args, **kwargs):
        if path == "/sys/fs/cgroup/cpu.max":
            return real_open(tmp_path / "cpu.max", *args, **kwargs)
        raise OSError(path)
    (tmp_path / "cpu.max").write_text("250000 100000\n")
    monkeypatch.setattr("builtins.open", fake_open)
    assert threads._cgroup_quota() == 2.5
    (tmp_path / "cpu.max").write_text("max 100000\n")
    assert threads._cgroup_quota() is None


def test_the_session_config_bounds_the_threads(monkeypatch):
    policy, fake = _policy(monkeypatch)
    policy._next_sample = float("inf")
    policy.before_run(limit=1)
    policy.before_run(limit=1)  # unchanged: the library is not called again
    policy.before_run(limit=8)  # within the available CPUs
    assert fake.limits == [1, 4]


def test_busy_machines_get_fewer_threads(monkeypatch):
    policy, fake = _policy(monkeypatch, cpus=2)
    samples = threads.AGREEING_SAMPLES + 2
    clock = iter(float(k) for k in range(samples))
    busy = iter(200 * k for k in range(samples))  # two cores busy all the time (100 Hz)...
    own = iter(0.3 * k for k in range(samples))   # ...of which this process used 0.3 s a second
    monkeypatch.setattr(threads.time, "monotonic", lambda: next(clock))
    monkeypatch.setattr(threads, "_busy_jiffies", lambda: next(busy))
    monkeypatch.setattr(threads.os, "times", lambda: types.SimpleNamespace(
        user=next(own), system=0.0))
    policy._ticks = 100
    policy.before_run()  # the first sample: no rate yet
    assert fake.limits == [2]
    for _ in range(threads.AGREEING_SAMPLES - 1):  # others use 1.7 cores: not yet sustained
        policy.before_run()
    assert fake.limits == [2]
    policy.before_run()  # sustained: one thread
    assert fake.limits == [2, 1]


def test_sessions_with_an_intra_op_config_still_compute_the_same(monkeypatch):
    config = tf.ConfigProto(intra_op_parallelism_threads=1, inter_op_parallelism_threads=1)
    a = np.random.default_rng(0).random((64, 64), dtype=np.float32)
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, (64, 64))
        product = tf.matmul(x, x)
        with tf.Session(config=config) as sess:
            np.testing.assert_allclose(sess.run(product, {x: a}), a @ a, rtol=1e-5)


def test_the_environment_pins_the_threads(monkeypatch):
    monkeypatch.setenv("TFCOMPAT_BLAS_THREADS", "1")
    policy = threads.BlasThreads()
    fake = _FakeBlas()
    policy._controller, policy._current = fake, 4
    policy.before_run()
    assert fake.limits == [1]

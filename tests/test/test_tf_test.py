"""tf.test: TestCase (sessions, evaluate, asserts), the device queries, temp dirs, stubs,
Benchmark, assert_equal_graph_def and create_local_cluster."""
import os
import subprocess
import sys
import textwrap
import unittest

import numpy as np
import pytest

import tfcompat as tf
from tfcompat.lib import proto_wire as pw


class SessionsAndAssertsTest(tf.test.TestCase):

    def test_each_test_starts_with_a_fresh_seeded_graph(self):
        self.assertEqual(tf.get_default_graph().get_operations(), [])
        self.assertEqual(tf.get_default_graph().seed, 87654321)
        self.assertEqual(np.random.get_state()[1][0], np.random.RandomState(87654321)
                         .get_state()[1][0])

    def test_cached_session_is_reused_and_default(self):
        x = tf.constant([1.0, 2.0])
        with self.cached_session() as first:
            self.assertIs(tf.get_default_session(), first)
            self.assertAllEqual(self.evaluate(x * 2), [2.0, 4.0])
            self.assertEqual(tf.constant(1.0).device, "/device:CPU:0")
        with self.test_session() as second:
            self.assertIs(first, second)
        with self.session() as other:
            self.assertIsNot(other, first)
        graph = tf.Graph()
        with self.assertRaisesRegex(ValueError, "graph used to get the cached session"):
            with self.cached_session(graph=graph):
                pass
        with self.test_session(graph=graph) as sess:
            self.assertIs(sess.graph, graph)
            self.assertIs(tf.get_default_graph(), graph)

    def test_evaluate_without_a_default_session(self):
        self.assertAllClose(self.evaluate({"a": tf.constant(3.0)}), {"a": 3.0})
        self.assertTrue(os.path.isdir(self.get_temp_dir()))
        self.assertEqual(self.get_temp_dir(), self.get_temp_dir())
        self.assertTrue(self.get_temp_dir().startswith(tf.test.get_temp_dir()))

    def test_asserts_pass_and_fail_as_tf(self):
        self.assertAllClose({"a": [1.0, np.nan], "b": (1, 2)},
                            {"a": np.array([1.0 + 1e-7, np.nan]), "b": [1, 2]})
        self.assertAllClose(tf.constant([1.0, 2.0]), [1.0, 2.0])
        with self.assertRaises(AssertionError):
            self.assertAllClose([1.0, 2.0], [1.0, 2.1])
        with self.assertRaisesRegex(AssertionError, "Shape mismatch"):
            self.assertAllClose(np.zeros(2), np.zeros(3))
        with self.assertRaisesRegex(AssertionError, "mismatched keys"):
            self.assertAllClose({"a": 1}, {"b": 1})
        self.assertNotAllClose([1.0], [2.0])
        self.assertAllEqual([np.nan, 1.0], np.array([np.nan, 1.0]))
        with self.assertRaises(AssertionError):
            self.assertAllEqual([1, 2], [1, 3])
        self.assertAllInRange([0.0, 0.5, 1.0], 0.0, 1.0)
        with self.assertRaisesRegex(AssertionError, r"1 of the 3 element\(s\) are outside "
                                                    r"the range \(0.0, 1.0\]"):
            self.assertAllInRange([0.0, 0.5, 1.0], 0.0, 1.0, open_lower_bound=True)
        with self.assertRaisesRegex(AssertionError, "are NaN"):
            self.assertAllInRange([np.nan], 0.0, 1.0)
        self.assertNear(1.0, 1.05, 0.1)
        with self.assertRaisesRegex(AssertionError, r"1.000000 != 1.200000 \+/- 0.100000"):
            self.assertNear(1.0, 1.2, 0.1)
        self.assertArrayNear([1.0, 2.0], [1.01, 1.99], 0.02)
        self.assertShapeEqual(np.zeros((2, 3)), tf.zeros([2, 3]))
        with self.assertRaisesRegex(TypeError, "must be a Tensor"):
            self.assertShapeEqual(np.zeros(2), [0, 0])
        self.assertDeviceEqual("/cpu:0", "/device:CPU:0")
        with self.assertRaises(AssertionError):
            self.assertDeviceEqual("/cpu:0", "/cpu:1")
        self.assertAllGreater([2, 3], 1)
        self.assertAllLessEqual([2, 3], 3)

    def test_assert_raises_op_error(self):
        x = tf.placeholder(tf.float32)
        with self.cached_session() as sess:
            with self.assertRaisesOpError("must feed a value for placeholder"):
                sess.run(x)
            with self.assertRaisesRegex(AssertionError, "Exception of type"):
                with self.assertRaisesOpError("some other text"):
                    sess.run(x)

    @tf.test.disable_with_predicate(lambda: True, "disabled by predicate")
    def check_disabled(self):
        raise AssertionError("should not run")

    def test_disable_with_predicate_skips(self):
        with self.assertRaisesRegex(unittest.SkipTest, "disabled by predicate"):
            self.check_disabled()


def test_device_queries_and_paths():
    assert tf.test.is_gpu_available() is False and tf.test.gpu_device_name() == ""
    assert not any(f() for f in (tf.test.is_built_with_cuda, tf.test.is_built_with_rocm,
                                 tf.test.is_built_with_gpu_support, tf.test.is_built_with_xla))
    assert tf.test.mock is unittest.mock
    assert os.path.isfile(tf.test.test_src_dir_path("test/test_util.py"))
    assert isinstance(tf.test.benchmark_config(), tf.ConfigProto)


def test_main_runs_the_scripts_tests():
    script = textwrap.dedent("""
        import tfcompat as tf
        class T(tf.test.TestCase):
            def test_add(self):
                self.assertAllEqual(self.evaluate(tf.constant(1) + 2), 3)
            def test_fails(self):
                self.assertAllEqual([1], [2])
        if __name__ == "__main__":
            tf.test.main()
        """)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         timeout=120, env=dict(os.environ, PYTHONPATH=os.getcwd()))
    assert out.returncode == 1
    assert "Ran 3 tests" in out.stderr and "FAILED (failures=1, skipped=1)" in out.stderr


class _Target:
    value = 1

    @staticmethod
    def static():
        return "static"


def test_stub_out_for_testing():
    target = _Target()
    with tf.test.StubOutForTesting() as stubs:
        stubs.Set(_Target, "static", staticmethod(lambda: "stubbed"))
        stubs.SmartSet(target, "value", 2)
        stubs.SmartSet(os.path, "sep", "#")
        assert _Target.static() == "stubbed" and target.value == 2 and os.path.sep == "#"
    assert _Target.static() == "static" and target.value == 1 and "value" not in vars(target)
    assert os.path.sep == "/"
    with pytest.raises(AttributeError, match="Attribute not found"):
        tf.test.StubOutForTesting().SmartSet(target, "missing", 1)


class _MatMulBenchmark(tf.test.Benchmark):
    def benchmark_matmul(self):
        with tf.Graph().as_default(), tf.Session() as sess:
            product = tf.matmul(tf.ones([8, 8]), tf.ones([8, 8]))
            return self.run_op_benchmark(sess, product, min_iters=3, mbs=1,
                                         extras={"size": 8})


def test_benchmark_reports_entries(tmp_path, monkeypatch, capsys):
    result = _MatMulBenchmark().benchmark_matmul()
    assert result["iters"] == 3 and result["wall_time"] > 0 and result["extras"] == {"size": 8}
    assert result["throughput"] == pytest.approx(1 / result["wall_time"])
    printed = capsys.readouterr().out
    assert "name: '_MatMulBenchmark.benchmark_matmul'" in printed and "iters: 3" in printed
    monkeypatch.setenv("TEST_REPORT_FILE_PREFIX", str(tmp_path) + "/")
    _MatMulBenchmark().report_benchmark(iters=5, wall_time=0.5, name="a/b",
                                        extras={"note": "x"})
    data = (tmp_path / "_MatMulBenchmark.a__b").read_bytes()
    (number, _, entry), = pw.iter_fields(data)
    fields = {n: v for n, _, v in pw.iter_fields(entry)}
    assert number == 1 and fields[1] == b"_MatMulBenchmark.a/b" and fields[2] == 5
    with pytest.raises(IOError, match="File already exists"):
        _MatMulBenchmark().report_benchmark(iters=5, name="a/b")


def test_assert_equal_graph_def():
    def graph(value, order):
        with tf.Graph().as_default() as g:
            if order:
                a, b = tf.constant(value, name="a"), tf.constant(2.0, name="b")
            else:
                b, a = tf.constant(2.0, name="b"), tf.constant(value, name="a")
            tf.add(a, b, name="sum")
        return g.as_graph_def()
    tf.test.assert_equal_graph_def(graph(1.0, True), graph(1.0, False))
    with pytest.raises(AssertionError, match="Node named 'a' has attr 'value'"):
        tf.test.assert_equal_graph_def(graph(1.0, True), graph(3.0, True))
    with tf.Graph().as_default() as g:
        tf.constant(1.0, name="c")
    with pytest.raises(AssertionError, match="Found unexpected node 'c'"):
        tf.test.assert_equal_graph_def(g.as_graph_def(), graph(1.0, True))
    with pytest.raises(TypeError, match="Expected tf.GraphDef for actual, got str"):
        tf.test.assert_equal_graph_def("x", graph(1.0, True))


def test_create_local_cluster_runs_variables_on_ps():
    workers, ps_servers = tf.test.create_local_cluster(num_workers=1, num_ps=1)
    assert len(workers) == 1 and len(ps_servers) == 1
    with tf.Graph().as_default():
        with tf.device("/job:ps/task:0"):
            v = tf.Variable(3.0)
        with tf.device("/job:worker/task:0"):
            doubled = v * 2
        with tf.Session(workers[0].target) as sess:
            sess.run(v.initializer)
            assert sess.run(doubled) == 6.0

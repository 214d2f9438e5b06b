"""tf.config: one CPU device and no GPU, TF's errors for GPU-only settings on it, and the
process thread defaults that new sessions take."""
import numpy as np
import pytest

import tfcompat as tf


def test_the_process_has_one_cpu_and_no_gpu():
    experimental = tf.config.experimental
    assert experimental.list_physical_devices("GPU") == []
    (cpu,) = experimental.list_physical_devices("CPU")
    assert cpu == ("/physical_device:CPU:0", "CPU") and cpu.device_type == "CPU"
    assert experimental.list_physical_devices() == [cpu] == tf.config.list_physical_devices()
    assert [d.name for d in tf.config.experimental.list_logical_devices("cpu")] == \
        ["/job:localhost/replica:0/task:0/device:CPU:0"]
    assert tf.config.experimental.get_visible_devices() == [cpu]


def test_the_memory_growth_idiom_runs_and_gpu_settings_on_the_cpu_fail_as_in_tf():
    for gpu in tf.config.experimental.list_physical_devices("GPU"):
        tf.config.experimental.set_memory_growth(gpu, True)  # never reached: no GPU
    cpu = tf.config.experimental.list_physical_devices("CPU")[0]
    with pytest.raises(ValueError, match="Cannot set memory growth on non-GPU devices"):
        tf.config.experimental.set_memory_growth(cpu, True)
    with pytest.raises(ValueError, match="Unrecognized device"):
        tf.config.experimental.set_visible_devices(
            [tf.config.experimental.PhysicalDevice("/physical_device:GPU:0", "GPU")])
    tf.config.experimental.set_visible_devices([cpu], "CPU")
    assert tf.config.experimental.get_visible_devices("CPU") == [cpu]


def test_thread_settings_are_kept_and_new_sessions_take_the_intra_op_count():
    threading = tf.config.threading
    assert threading.get_intra_op_parallelism_threads() == 0
    try:
        threading.set_intra_op_parallelism_threads(1)
        threading.set_inter_op_parallelism_threads(2)
        assert threading.get_intra_op_parallelism_threads() == 1
        assert threading.get_inter_op_parallelism_threads() == 2
        with tf.Graph().as_default():
            product = tf.matmul(tf.ones([4, 4]), tf.ones([4, 4]))
            with tf.Session() as sess:
                assert sess._intra_op_threads == 1
                np.testing.assert_array_equal(sess.run(product), np.full((4, 4), 4.0))
            config = tf.ConfigProto(intra_op_parallelism_threads=2)
            with tf.Session(config=config) as sess:
                assert sess._intra_op_threads == 2  # the session's config wins
        with pytest.raises(ValueError, match=">= 0"):
            threading.set_intra_op_parallelism_threads(-1)
    finally:
        threading.set_intra_op_parallelism_threads(0)
        threading.set_inter_op_parallelism_threads(0)


def test_optimizer_settings_are_kept():
    assert tf.config.optimizer.get_jit() is False
    try:
        tf.config.optimizer.set_jit(True)
        tf.config.optimizer.set_experimental_options({"constant_folding": True})
        assert tf.config.optimizer.get_jit() is True
        assert tf.config.optimizer.get_experimental_options() == {"constant_folding": True}
    finally:
        tf.config.optimizer.set_jit(False)
        tf.config.optimizer._settings["options"].clear()

"""``tf.test``: TestCase and the test helpers of TF 1.15 (gradient checkers, temp dirs,
device queries, local clusters, benchmarks, graph comparison, stubs)."""
from tfcompat.test.benchmark import Benchmark, benchmark_config  # noqa: F401
from tfcompat.test.googletest import (StubOutForTesting, get_temp_dir, main,  # noqa: F401
                                      mock, test_src_dir_path)
from tfcompat.test.gradient_checker import (check_gradients, compute_gradient,  # noqa: F401
                                            compute_gradient_error)
from tfcompat.test.test_util import (TestCase, assert_equal_graph_def,  # noqa: F401
                                     create_local_cluster, disable_with_predicate,
                                     gpu_device_name, is_built_with_cuda,
                                     is_built_with_gpu_support, is_built_with_rocm,
                                     is_built_with_xla, is_gpu_available)

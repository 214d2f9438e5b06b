"""tfcompat: the TensorFlow 1.x graph/session API on NumPy and Numba.

Use it as ``import tfcompat as tf``. This module is the ``tf`` namespace and only
re-exports: the op builders listed in each ``tfcompat.ops.*.__all__``, the framework
classes, and the TF1 sub-namespaces (``tf.nn``, ``tf.train``, ``tf.layers`` ...), which are
imported on first use so ``import tfcompat`` stays fast.
"""
import importlib as _importlib
import platform as _platform

from tfcompat.framework import errors  # noqa: F401
from tfcompat.framework import graph_def as _graph_def
from tfcompat.framework.dtypes import (DType, as_dtype, bfloat16, bool, complex64,  # noqa
                                       complex128, double, float16, float32, float64, half,
                                       int8, int16, int32, int64, string, uint8, uint16, uint32,
                                       uint64)
from tfcompat.framework.dtypes import resource, variant  # noqa: F401
from tfcompat.ops.gradients_impl import gradients  # noqa: F401
from tfcompat.framework.graph_def import GraphDef, import_graph_def  # noqa: F401
from tfcompat.ops.indexed_slices import (IndexedSlices, IndexedSlicesValue,  # noqa
                                         convert_to_tensor_or_indexed_slices)
from tfcompat.ops.init_ops import (constant_initializer, glorot_normal_initializer,  # noqa
                                         glorot_uniform_initializer, ones_initializer,
                                         random_normal_initializer, random_uniform_initializer,
                                         truncated_normal_initializer,
                                         variance_scaling_initializer, zeros_initializer)
from tfcompat.framework.ops import (Graph, GraphKeys, Operation, Tensor,  # noqa: F401
                                    add_to_collection, add_to_collections, colocate_with,
                                    control_dependencies, convert_to_tensor, device,
                                    get_collection, get_collection_ref, get_default_graph,
                                    name_scope, reset_default_graph)
from tfcompat.framework.ops import op_scope, register_tensor_conversion_function  # noqa: F401
from tfcompat.framework.random_seed import set_random_seed  # noqa: F401
from tfcompat.ops.template import make_template  # noqa: F401
from tfcompat.ops.variables import moving_average_variables  # noqa: F401
from tfcompat.framework.random_seed import get_seed  # noqa: F401
from tfcompat.framework.errors import OpError  # noqa: F401
from tfcompat.ops.init_ops import (orthogonal_initializer,  # noqa: F401
                                         uniform_unit_scaling_initializer)
from tfcompat.framework.gradient_registry import (NoGradient, NotDifferentiable,  # noqa: F401
                                                  RegisterGradient, no_gradient)
from tfcompat.framework.v1_switches import (AggregationMethod,  # noqa: F401
                                            UnconnectedGradients, disable_eager_execution,
                                            disable_resource_variables, disable_v2_behavior,
                                            disable_v2_tensorshape, executing_eagerly,
                                            get_logger, init_scope, no_regularizer,
                                            resource_variables_enabled)
from tfcompat.framework.v1_switches import VariableAggregation, VariableSynchronization  # noqa
from tfcompat.framework.tensor_spec import TensorSpec  # noqa: F401
from tfcompat.framework.tensor_shape import Dimension, TensorShape  # noqa: F401
from tfcompat.framework.tensor_util import make_ndarray, make_tensor_proto  # noqa: F401
from tfcompat.ops.variable_scope import (AUTO_REUSE, VariableScope,  # noqa: F401
                                               get_variable, get_variable_scope, variable_scope)
from tfcompat.ops.variable_scope import get_local_variable, variable_op_scope  # noqa: F401
from tfcompat.ops.variables import (Variable, all_variables,  # noqa: F401
                                          assert_variables_initialized, global_variables,
                                          global_variables_initializer,
                                          initialize_all_variables, is_variable_initialized,
                                          local_variables, local_variables_initializer,
                                          model_variables, report_uninitialized_variables,
                                          trainable_variables, variables_initializer)
from tfcompat.client.session import InteractiveSession, Session, get_default_session  # noqa
from tfcompat.framework.config import (ConfigProto, GPUOptions, GraphOptions,  # noqa: F401
                                      OptimizerOptions, RunOptions)
from tfcompat.framework.graph_def import NodeDef  # noqa: F401
from tfcompat.framework.meta_graph import MetaGraphDef  # noqa: F401
from tfcompat.framework.signature_def import TensorInfo  # noqa: F401
from tfcompat.framework.step_stats import RunMetadata  # noqa: F401
from tfcompat.lib.summary_proto import SessionLog  # noqa: F401
from tfcompat.framework.device import DeviceSpec  # noqa: F401
from tfcompat.framework.ops import container  # noqa: F401
from tfcompat.ops.array_ops import *  # noqa: F401,F403
from tfcompat.ops.array_ops_extra import *  # noqa: F401,F403
from tfcompat.ops.case_ops import *  # noqa: F401,F403
from tfcompat.ops.check_ops import *  # noqa: F401,F403
from tfcompat.ops.check_ops import print_v2 as print  # noqa: F401,A004
from tfcompat.ops.clip_ops import *  # noqa: F401,F403
from tfcompat.ops.fake_quant_ops import *  # noqa: F401,F403
from tfcompat.ops.control_flow_ops import *  # noqa: F401,F403
from tfcompat.ops.custom_gradient import *  # noqa: F401,F403
from tfcompat.ops.file_ops import *  # noqa: F401,F403
from tfcompat.ops.data_flow_ops import *  # noqa: F401,F403
from tfcompat.ops.accumulator_ops import *  # noqa: F401,F403
from tfcompat.ops.functional_ops import *  # noqa: F401,F403
from tfcompat.ops.image_ops import *  # noqa: F401,F403
from tfcompat.ops.linalg_ops import *  # noqa: F401,F403
from tfcompat.ops.loop_ops import *  # noqa: F401,F403
from tfcompat.ops.lookup_ops import *  # noqa: F401,F403
from tfcompat.ops.manip_ops import *  # noqa: F401,F403
from tfcompat.ops.math_ops import *  # noqa: F401,F403
from tfcompat.ops.math_ops import _range as range  # noqa: F401,A004
from tfcompat.ops.nn_ops import *  # noqa: F401,F403
from tfcompat.ops.parsing_ops import *  # noqa: F401,F403
from tfcompat.ops.partition_ops import *  # noqa: F401,F403
from tfcompat.ops.partitioned_variables import *  # noqa: F401,F403
from tfcompat.ops.random_ops import *  # noqa: F401,F403
from tfcompat.ops.scatter_ops import *  # noqa: F401,F403
from tfcompat.ops.set_ops import edit_distance  # noqa: F401
from tfcompat.ops.session_ops import *  # noqa: F401,F403
from tfcompat.ops.sparse_ops import *  # noqa: F401,F403
from tfcompat.ops.script_ops import *  # noqa: F401,F403
from tfcompat.ops.special_math_ops import *  # noqa: F401,F403
from tfcompat.ops.spectral_ops import *  # noqa: F401,F403
from tfcompat.ops.state_ops import *  # noqa: F401,F403
from tfcompat.ops.string_ops import *  # noqa: F401,F403
from tfcompat.ops.tensor_array_ops import *  # noqa: F401,F403

sub = subtract  # noqa: F405
mul = multiply  # noqa: F405
neg = negative  # noqa: F405
initialize_local_variables = local_variables_initializer  # TF1's deprecated names
initialize_variables = variables_initializer

__version__ = "1.15.0"
VERSION = __version__
GIT_VERSION = "tfcompat"
GRAPH_DEF_VERSION = _graph_def.GRAPH_DEF_PRODUCER  # the versions.producer tfcompat writes
GRAPH_DEF_VERSION_MIN_CONSUMER = 0
GRAPH_DEF_VERSION_MIN_PRODUCER = 0
COMPILER_VERSION = _platform.python_compiler()  # no C++ build: the interpreter's compiler
CXX11_ABI_FLAG = 0
MONOLITHIC_BUILD = 0
newaxis = None

# TF1 sub-namespaces, imported on first attribute access.
_SUBMODULES = {"nn", "layers", "train", "contrib", "losses", "summary", "keras", "examples",
               "initializers", "compat", "app", "logging", "test", "metrics", "runner",
               "image", "estimator", "feature_column", "data", "python_io"}
_SUBMODULES |= {"sparse", "strings", "gfile", "io", "graph_util", "lookup", "queue", "sets",
                "distributions"}
_SUBMODULES |= {"math", "linalg", "random", "debugging", "spectral", "signal", "bitwise",
                "manip", "dtypes", "version", "quantization", "nest"}
_SUBMODULES |= {"saved_model", "config"}
_SUBMODULES |= {"profiler"}
_SUBMODULES |= {"tpu"}
_SUBMODULES |= {"audio"}


# Classes living in sub-namespaces that TF 1.x also exposes at the top level.
_LAZY_ATTRIBUTES = {"Summary": ("summary", "Summary"), "flags": ("app", "flags")}


def __getattr__(name):
    if name in _LAZY_ATTRIBUTES:
        module, attribute = _LAZY_ATTRIBUTES[name]
        return getattr(_importlib.import_module(f"tfcompat.{module}"), attribute)
    if name in _SUBMODULES:
        try:
            return _importlib.import_module(f"tfcompat.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"tfcompat.{name}":
                raise
    raise AttributeError(f"module 'tensorflow' has no attribute '{name}': tfcompat does not "
                         f"implement tf.{name} yet")

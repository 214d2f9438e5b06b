"""``tf.config`` (TF 1.15, with the ``list_physical_devices`` family TF 2.1 moved up from
``experimental``): the devices this process has and its threading/JIT settings.

tfcompat runs on the CPU: the process has one physical CPU device and no GPU, so the usual
``for gpu in tf.config.experimental.list_physical_devices("GPU"):
tf.config.experimental.set_memory_growth(gpu, True)`` does nothing, as on a CPU-only TF.
``threading.set_intra_op_parallelism_threads(n)`` sets the BLAS threads of the sessions
made afterwards whose ``ConfigProto`` leaves ``intra_op_parallelism_threads`` at 0.
"""
from tfcompat.config import experimental, optimizer, threading  # noqa: F401
from tfcompat.config.experimental import (LogicalDevice, PhysicalDevice,  # noqa: F401
                                          get_visible_devices, list_logical_devices,
                                          list_physical_devices, set_visible_devices)

__all__ = ["experimental", "optimizer", "threading", "list_physical_devices",
           "list_logical_devices", "get_visible_devices", "set_visible_devices",
           "PhysicalDevice", "LogicalDevice"]

"""``tf.contrib.cluster_resolver`` (TF 1.15): ``TPUClusterResolver`` only. tfcompat reaches no
TPU, so constructing one raises the ValueError TF raises when it finds no TPU to connect to.
Any other name raises the "not implemented yet" AttributeError."""
import os


class TPUClusterResolver:
    """``TPUClusterResolver(tpu=None, zone=None, project=None, job_name="worker",
    coordinator_name=None, coordinator_address=None, credentials="default", service=None,
    discovery_url=None)``: ``tpu`` (or the TPU_NAME environment variable) names the TPU, as
    in TF; whichever it is, tfcompat cannot connect to it and raises a ValueError."""

    def __init__(self, tpu=None, zone=None, project=None, job_name="worker",
                 coordinator_name=None, coordinator_address=None, credentials="default",
                 service=None, discovery_url=None):
        if isinstance(tpu, list):
            if not tpu:
                raise ValueError("At least one TPU must be specified.")
            if len(tpu) != 1:
                raise NotImplementedError(
                    "Using multiple TPUs in a single session is not yet implemented")
            tpu = tpu[0]
        tpu = tpu or os.environ.get("TPU_NAME")
        if not tpu:
            raise ValueError("Please provide a TPU Name to connect to.")
        if isinstance(tpu, bytes):
            tpu = tpu.decode()
        raise ValueError(f"Could not connect to the TPU {tpu!r}: tfcompat runs on the CPU and "
                         f"reaches no TPU (use TPUEstimator with use_tpu=False)")


def __getattr__(name):
    raise AttributeError(f"module 'tensorflow.contrib.cluster_resolver' has no attribute "
                         f"'{name}': tfcompat does not implement "
                         f"tf.contrib.cluster_resolver.{name} yet")

"""Placement: assigns every op of a graph one of the devices a session has (TF 1.x
``common_runtime/placer.cc``).

An op's requested device (``Operation.device``) may name any subset of job, replica, task,
device type and index; it is placed on the first device matching every named field, and ops
that name nothing go to the session's default device. When nothing matches, TF 1.x fails the
run with ``InvalidArgumentError`` unless ``allow_soft_placement`` is on, which drops the device
type and index from the request (a ``/gpu:0`` op then runs on the CPU); an unknown job or
task stays an error. An op that takes a variable's ref (an Assign, an Apply*) or a resource
handle (a queue's enqueue) goes where the variable or resource is, whatever it asked for
(TF's placer colocates the two ends of ref and resource edges: with a
``replica_device_setter`` a variable's Assign asks for the worker and runs on the ps).
``log_device_placement`` prints ``name: (Type): device`` per op, as TF's
placer does. Like TF, the whole graph is placed (not only what a run needs), ops added since
the last run are placed on the next one.
"""
from tfcompat.framework import debug_flags, dtypes, errors
from tfcompat.framework.device import DeviceSpec

_MATCHED_FIELDS = ("job", "replica", "task", "device_type", "device_index")


class Placer:
    """Places the ops of one graph on ``devices`` (canonical full names, the first is the
    default) for a session configured by ``config``."""

    def __init__(self, graph, devices, config):
        self._graph = graph
        self._devices = list(devices)
        self._specs = [DeviceSpec.from_string(name) for name in self._devices]
        self._soft = bool(config.allow_soft_placement)
        self._log = bool(config.log_device_placement)
        self._placed = 0
        self.assigned = {}  # Operation -> the device name it was placed on

    def place(self):
        """Places the ops created since the last call (a no-op when there are none)."""
        ops = self._graph._ops
        while self._placed < len(ops):
            op = ops[self._placed]
            device = self._device_for(op)
            self.assigned[op] = device
            if self._log or debug_flags.get_log_device_placement():
                print(f"{op.name}: ({op.type}): {device}", flush=True)
            self._placed += 1

    def _device_for(self, op):
        for tensor in op.inputs:
            if (tensor.dtype.is_ref_dtype or tensor.dtype == dtypes.resource) \
                    and tensor.op in self.assigned:
                return self.assigned[tensor.op]
        if not op.device:
            return self._devices[0]
        try:
            requested = DeviceSpec.from_string(op.device)
        except ValueError as exc:
            raise errors.InvalidArgumentError(
                None, op, f"Malformed device specification '{op.device}' in node "
                f"{op.name}: {exc}") from None
        found = self._first_match(requested)
        if found is None and self._soft:
            found = self._first_match(requested.replace(device_type=None, device_index=None))
        if found is None:
            gpu_hint = " The requested device appears to be a GPU, but CUDA is not enabled." \
                if requested.device_type == "GPU" else ""
            raise errors.InvalidArgumentError(
                None, op, f"Cannot assign a device for operation {op.name}: {{{{node "
                f"{op.name}}}}} was explicitly assigned to {op.device} but available devices "
                f"are [ {', '.join(self._devices)} ]. Make sure the device specification "
                f"refers to a valid device.{gpu_hint}")
        return found

    def _first_match(self, requested):
        for name, spec in zip(self._devices, self._specs, strict=True):
            if all(getattr(requested, field) is None
                   or getattr(requested, field) == getattr(spec, field)
                   for field in _MATCHED_FIELDS):
                return name
        return None


def local_devices(config, job="localhost", task=0):
    """The device names of one process configured by ``config``: its CPUs
    (``device_count["CPU"]``, default 1)."""
    return [f"/job:{job}/replica:0/task:{task}/device:CPU:{index}"
            for index in range(config.cpu_count())]

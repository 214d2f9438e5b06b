"""``tf.config.experimental``: the process's devices (one CPU, no GPU) and their settings."""
import collections

PhysicalDevice = collections.namedtuple("PhysicalDevice", ["name", "device_type"])
LogicalDevice = collections.namedtuple("LogicalDevice", ["name", "device_type"])
VirtualDeviceConfiguration = collections.namedtuple("VirtualDeviceConfiguration",
                                                    ["memory_limit"])

_CPU = PhysicalDevice("/physical_device:CPU:0", "CPU")
_visible = [_CPU]


def list_physical_devices(device_type=None):
    """The physical devices of ``device_type`` ("CPU", "GPU" ...; None: all)."""
    return [d for d in (_CPU,) if device_type is None or d.device_type == device_type.upper()]


def list_logical_devices(device_type=None):
    """The logical devices made from the visible physical ones."""
    return [LogicalDevice(f"/job:localhost/replica:0/task:0/device:{d.device_type}:0",
                          d.device_type) for d in _visible
            if device_type is None or d.device_type == device_type.upper()]


def get_visible_devices(device_type=None):
    return [d for d in _visible if device_type is None or d.device_type == device_type.upper()]


def set_visible_devices(devices, device_type=None):
    """Which physical devices the runtime uses; the CPU always stays (TF's ValueError for a
    device this process does not have)."""
    devices = [devices] if isinstance(devices, PhysicalDevice) else list(devices)
    for device in devices:
        if device not in list_physical_devices():
            raise ValueError(f"Unrecognized device: {device!r}")
    _visible[:] = [_CPU]


def get_memory_growth(device):
    _check_gpu(device, "memory growth")


def set_memory_growth(device, enable):
    """TF's error for a device that is not a GPU (this process has no GPU to set)."""
    _check_gpu(device, "memory growth")


def get_virtual_device_configuration(device):
    _check_known(device)
    return None


def set_virtual_device_configuration(device, virtual_devices):
    _check_known(device)
    if virtual_devices:
        raise ValueError("Setting virtual device configuration is not supported on this "
                         "device: tfcompat runs on one CPU device")


_device_policy = None
_synchronous = True


def get_device_policy():
    return _device_policy


def set_device_policy(device_policy):
    global _device_policy
    if device_policy not in (None, "silent", "silent_for_int32", "warn", "explicit"):
        raise ValueError(f"Not a valid device policy: {device_policy!r}")
    _device_policy = device_policy


def get_synchronous_execution():
    return _synchronous


def set_synchronous_execution(enable):
    global _synchronous
    _synchronous = bool(enable)


def _check_known(device):
    if device not in list_physical_devices():
        raise ValueError(f"Unrecognized device: {device!r}")


def _check_gpu(device, what):
    _check_known(device)
    raise ValueError(f"Cannot set {what} on non-GPU devices")

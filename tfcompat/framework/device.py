"""Device names: ``tf.DeviceSpec`` and the merging ``tf.device`` scopes do (TF 1.x
``framework/device.py`` and ``device_spec.py``).

A device name is ``/job:<name>/replica:<int>/task:<int>/device:<TYPE>:<index>``; every part
is optional, ``/cpu:0`` and ``/gpu:1`` are the short forms of ``/device:CPU:0`` and
``/device:GPU:1``, and ``*`` as the index means any device of that type. ``tf.device``
scopes merge partial names: the fields an inner scope names win, the outer scope fills in the
rest; ``tf.device(None)`` hides every enclosing scope and ``tf.device("")`` changes nothing.
"""
import copy

_SHORT_DEVICE_TYPES = frozenset({"CPU", "GPU", "TPU", "CUSTOM", "EPU"})
_FIELDS = ("job", "replica", "task", "device_type", "device_index")


class DeviceSpec:
    """A (partial) device name (``tf.DeviceSpec``, TF 1.x's mutable ``DeviceSpecV1``)."""

    def __init__(self, job=None, replica=None, task=None, device_type=None, device_index=None):
        self.job = job
        self.replica = None if replica is None else int(replica)
        self.task = None if task is None else int(task)
        self.device_type = _device_type(device_type)
        self.device_index = None if device_index is None else int(device_index)

    @classmethod
    def from_string(cls, spec):
        """The DeviceSpec a device string names (ValueError for an unknown part)."""
        return cls().parse_from_string(spec)

    def parse_from_string(self, spec):
        """Sets the fields ``spec`` names, clearing the others; returns self."""
        job = replica = task = device_type = device_index = None
        for part in (spec or "").split("/"):
            pieces = part.split(":")
            head = pieces[0]
            if len(pieces) == 2 and head in ("job", "replica", "task"):
                if head == "job":
                    job = pieces[1]
                elif head == "replica":
                    replica = _index(pieces[1], spec)
                else:
                    task = _index(pieces[1], spec)
            elif len(pieces) in (1, 2) and head.upper() in _SHORT_DEVICE_TYPES:
                device_type = _only_type(device_type, head.upper(), spec)
                if len(pieces) == 2 and pieces[1] != "*":
                    device_index = _index(pieces[1], spec)
            elif len(pieces) == 3 and head == "device":
                device_type = _only_type(device_type, pieces[1], spec)
                if pieces[2] != "*":
                    device_index = _index(pieces[2], spec)
            elif head:
                raise ValueError(f"Unknown attribute: '{head}' in '{spec}'")
        self.__init__(job, replica, task, device_type, device_index)
        return self

    def merge_from(self, dev):
        """Takes every field ``dev`` sets (its fields win)."""
        for field in _FIELDS:
            value = getattr(dev, field)
            if value is not None:
                setattr(self, field, value)

    def make_merged_spec(self, dev):
        """A copy of this spec with ``dev``'s set fields merged in."""
        merged = copy.copy(self)
        merged.merge_from(dev)
        return merged

    def replace(self, **kwargs):
        """A copy with the given fields replaced."""
        values = {field: getattr(self, field) for field in _FIELDS}
        values.update(kwargs)
        return DeviceSpec(**values)

    def to_string(self):
        """The canonical name: ``/job:ps/replica:0/task:1/device:CPU:0`` (parts set only)."""
        out = ""
        if self.job is not None:
            out += "/job:" + self.job
        if self.replica is not None:
            out += f"/replica:{self.replica}"
        if self.task is not None:
            out += f"/task:{self.task}"
        if self.device_type is not None:
            index = "*" if self.device_index is None else str(self.device_index)
            out += f"/device:{self.device_type}:{index}"
        return out

    @property
    def is_empty(self):
        return all(getattr(self, field) is None for field in _FIELDS)

    def __eq__(self, other):
        return isinstance(other, DeviceSpec) and self.to_string() == other.to_string()

    def __hash__(self):
        return hash(self.to_string())

    def __repr__(self):
        return f"<DeviceSpec {self.to_string()!r}>"


def _device_type(device_type):
    if device_type is not None and device_type.upper() in ("CPU", "GPU"):
        return device_type.upper()
    return device_type


def _only_type(current, new, spec):
    if current is not None:
        raise ValueError(f"Cannot specify multiple device types: {spec}")
    return new


def _index(text, spec):
    try:
        return int(text)
    except ValueError:
        raise ValueError(f"Invalid device index '{text}' in '{spec}'") from None


def canonical_name(device):
    """The canonical string of a device string or DeviceSpec ('' for None)."""
    if device is None:
        return ""
    if isinstance(device, DeviceSpec):
        return device.to_string()
    return DeviceSpec.from_string(device).to_string()


def check_valid(spec):
    """Raises ValueError when ``spec`` is not a device string."""
    DeviceSpec.from_string(spec)


def merge_onto(spec, current_device):
    """``current_device`` (the name inner scopes chose) completed by ``spec``'s fields."""
    return spec.make_merged_spec(DeviceSpec.from_string(current_device or "")).to_string()


def merge_device(spec):
    """A device function merging ``spec`` under the device an op already has
    (``tf.compat.v1`` ``merge_device``)."""
    if not isinstance(spec, DeviceSpec):
        spec = DeviceSpec.from_string(spec or "")

    def device_function(op):
        return merge_onto(spec, op.device)
    return device_function

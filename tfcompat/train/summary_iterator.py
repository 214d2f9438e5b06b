"""``tf.train.summary_iterator(path)``: the events of an event file (written by
``tf.summary.FileWriter``) as objects with the fields of TF's ``Event`` protobuf:
``wall_time``, ``step``, ``file_version``, ``graph_def`` (serialized bytes) and ``summary``
(``summary.value``: entries with ``tag`` and ``simple_value``, or the serialized ``histo`` /
``tensor``), and ``HasField(name)`` for the optional ones."""
from tfcompat.lib import summary_proto
from tfcompat.lib.io.tf_record import read_records


class _Message:
    """Fields as attributes; ``HasField`` tells which optional ones were in the record."""

    _OPTIONAL = ()

    def __init__(self, **fields):
        self._present = {name for name in self._OPTIONAL if name in fields}
        for name in self._OPTIONAL:
            setattr(self, name, fields.pop(name, None))
        for name, value in fields.items():
            setattr(self, name, value)

    def HasField(self, name):  # noqa: N802 (protobuf API name)
        if name not in self._OPTIONAL:
            raise ValueError(f'Protocol message has no singular "{name}" field.')
        return name in self._present

    def __repr__(self):
        fields = ", ".join(f"{k}={v!r}" for k, v in vars(self).items() if k != "_present")
        return f"{type(self).__name__}({fields})"


class SummaryValue(_Message):
    """``Summary.Value``: ``tag`` and one of ``simple_value``, ``histo``, ``tensor``."""

    _OPTIONAL = ("simple_value", "histo", "tensor")


class Summary(_Message):
    """``Summary``: a list of values."""


class Event(_Message):
    """``Event``: ``wall_time``, ``step`` and one of ``file_version``, ``graph_def``,
    ``summary``, ``session_log`` (a ``tf.SessionLog``), ``tagged_run_metadata`` (``tag``
    and the serialized ``run_metadata``)."""

    _OPTIONAL = ("file_version", "graph_def", "summary", "session_log", "tagged_run_metadata")


def summary_iterator(path):
    """Yields each Event of the event file ``path`` in order."""
    for record in read_records(path):
        fields = summary_proto.parse_event(record)
        if "summary" in fields:
            fields["summary"] = Summary(value=[SummaryValue(**v) for v in fields["summary"]])
        yield Event(**fields)

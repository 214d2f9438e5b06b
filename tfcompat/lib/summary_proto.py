"""Summary, HistogramProto and Event protobufs, written by hand (TF's summary.proto and
event.proto field numbers), plus the parsing our own ``summary_iterator`` needs."""
import struct

import numpy as np

from tfcompat.lib import proto_wire as pw

FILE_VERSION = "brain.Event:2"


def _default_bucket_limits():
    """TF's histogram buckets: ±1e-12 growing by 10% up to 1e20, ±DBL_MAX and 0."""
    positive = []
    value = 1.0e-12
    while value < 1.0e20:
        positive.append(value)
        value *= 1.1
    positive.append(np.finfo(np.float64).max)
    return [-v for v in reversed(positive)] + [0.0] + positive


BUCKET_LIMITS = _default_bucket_limits()


def histogram_proto(values):
    """HistogramProto bytes for ``values`` (finite numbers), with TF's bucketing: a value goes
    to the first bucket whose limit exceeds it, and runs of empty buckets collapse into one."""
    values = np.asarray(values, dtype=np.float64).ravel()
    counts = [0.0] * len(BUCKET_LIMITS)
    if values.size:
        indices = np.searchsorted(BUCKET_LIMITS, values, side="right")
        for index, count in zip(*np.unique(indices, return_counts=True), strict=True):
            counts[int(index)] = float(count)
        low, high = float(values.min()), float(values.max())
    else:
        low, high = np.finfo(np.float64).max, -np.finfo(np.float64).max
    limits, buckets = [], []
    i = 0
    while i < len(counts):
        end, count = BUCKET_LIMITS[i], counts[i]
        i += 1
        if count <= 0.0:
            while i < len(counts) and counts[i] <= 0.0:
                end, count = BUCKET_LIMITS[i], counts[i]
                i += 1
        limits.append(end)
        buckets.append(count)
    return (pw.field_double(1, low) + pw.field_double(2, high)
            + pw.field_double(3, float(values.size)) + pw.field_double(4, float(values.sum()))
            + pw.field_double(5, float(np.dot(values, values)))
            + pw.field_bytes(6, struct.pack(f"<{len(limits)}d", *limits))
            + pw.field_bytes(7, struct.pack(f"<{len(buckets)}d", *buckets)))


def summary_value(tag, simple_value=None, histo=None, tensor=None, plugin_name=None,
                  image=None, audio=None, metadata=None, node_name=None):
    """One Summary.Value (tag = 1, simple_value = 2, image = 4, histo = 5, audio = 6,
    node_name = 7, tensor = 8, metadata = 9: given as bytes, or built from plugin_name)."""
    out = b"" if tag is None else pw.field_bytes(1, tag)
    if simple_value is not None:
        out += pw.field_float(2, float(simple_value))
    if image is not None:
        out += pw.field_bytes(4, image)
    if histo is not None:
        out += pw.field_bytes(5, histo)
    if audio is not None:
        out += pw.field_bytes(6, audio)
    if node_name is not None:
        out += pw.field_bytes(7, node_name)
    if tensor is not None:
        out += pw.field_bytes(8, tensor)
    if plugin_name is not None:
        metadata = summary_metadata(plugin_name=plugin_name)
    if metadata is not None:
        out += pw.field_bytes(9, metadata)
    return out


def summary_metadata(plugin_name=None, plugin_content=None, display_name=None,
                     summary_description=None):
    """SummaryMetadata bytes (plugin_data = 1 {plugin_name = 1, content = 2},
    display_name = 2, summary_description = 3)."""
    out = b""
    if plugin_name is not None:
        plugin = pw.field_bytes(1, plugin_name)
        if plugin_content:
            plugin += pw.field_bytes(2, plugin_content)
        out += pw.field_bytes(1, plugin)
    if display_name:
        out += pw.field_bytes(2, display_name)
    if summary_description:
        out += pw.field_bytes(3, summary_description)
    return out


def image_proto(height, width, colorspace, encoded):
    """Summary.Image bytes (height = 1, width = 2, colorspace = 3, encoded_image_string = 4)."""
    return (pw.field_varint(1, height) + pw.field_varint(2, width) +
            pw.field_varint(3, colorspace) + pw.field_bytes(4, encoded))


def audio_proto(sample_rate, num_channels, length_frames, encoded, content_type="audio/wav"):
    """Summary.Audio bytes (sample_rate = 1 float, num_channels = 2, length_frames = 3,
    encoded_audio_string = 4, content_type = 5)."""
    return (pw.field_float(1, float(sample_rate)) + pw.field_varint(2, num_channels) +
            pw.field_varint(3, length_frames) + pw.field_bytes(4, encoded) +
            pw.field_bytes(5, content_type))


def summary(values):
    """A Summary message from encoded Values (repeated field 1)."""
    return b"".join(pw.field_bytes(1, v) for v in values)


def summary_tags(data):
    """The tags of a serialized Summary, in order."""
    tags = []
    for number, _, value in pw.iter_fields(data):
        if number == 1:
            for n, _, v in pw.iter_fields(value):
                if n == 1:
                    tags.append(v.decode("utf-8", "replace"))
    return tags


class SessionLog(pw.DeclaredMessage):
    """``tf.SessionLog``: a session's start, stop or checkpoint in an event file (a START
    tells TensorBoard to drop the events of later steps left by an earlier run)."""

    STATUS_UNSPECIFIED, START, STOP, CHECKPOINT = 0, 1, 2, 3
    FIELDS = (("status", 1, "enum"), ("checkpoint_path", 2, "string"), ("msg", 3, "string"))


class TaggedRunMetadata(pw.DeclaredMessage):
    """A run's serialized ``RunMetadata`` under a tag (TensorBoard's "Session runs")."""

    FIELDS = (("tag", 1, "string"), ("run_metadata", 2, "bytes"))


def event(wall_time, step=0, file_version=None, graph_def=None, summary_bytes=None,
          session_log=None, tagged_run_metadata=None):
    """An Event's bytes: ``session_log`` and ``tagged_run_metadata`` are serialized
    messages."""
    out = pw.field_double(1, wall_time)
    if step:
        out += pw.field_varint(2, int(step))
    for number, value in ((3, file_version), (4, graph_def), (5, summary_bytes),
                          (7, session_log), (8, tagged_run_metadata)):
        if value is not None:
            out += pw.field_bytes(number, value)
    return out


def parse_event(data):
    """A dict with wall_time, step and the fields present (file_version, graph_def, summary:
    list of {tag, simple_value?, histo?})."""
    result = {"wall_time": 0.0, "step": 0}
    for number, _, value in pw.iter_fields(data):
        if number == 1:
            result["wall_time"] = struct.unpack("<d", value.to_bytes(8, "little"))[0]
        elif number == 2:
            result["step"] = pw.as_int64(value)
        elif number == 3:
            result["file_version"] = value.decode()
        elif number == 4:
            result["graph_def"] = value
        elif number == 5:
            result["summary"] = [_parse_value(v) for n, _, v in pw.iter_fields(value) if n == 1]
        elif number == 7:
            result["session_log"] = SessionLog.FromString(value)
        elif number == 8:
            result["tagged_run_metadata"] = TaggedRunMetadata.FromString(value)
    return result


def _parse_value(data):
    value = {}
    for number, _, raw in pw.iter_fields(data):
        if number == 1:
            value["tag"] = raw.decode("utf-8", "replace")
        elif number == 2:
            value["simple_value"] = struct.unpack("<f", raw.to_bytes(4, "little"))[0]
        elif number == 5:
            value["histo"] = raw
        elif number == 8:
            value["tensor"] = raw
    return value


__all__ = ["SessionLog", "TaggedRunMetadata", "histogram_proto", "summary_value", "summary",
           "event", "parse_event", "summary_tags", "FILE_VERSION", "summary_metadata",
           "image_proto", "audio_proto"]

"""``tf.summary``: summary ops and ``FileWriter`` producing event files TensorBoard reads."""
import json
import re

import numpy as np

from tfcompat.framework import dtypes, ops
from tfcompat.framework.op_def import make_tensor
from tfcompat.lib import summary_proto
from tfcompat.ops import array_ops
from tfcompat.ops import summary_ops  # noqa: F401 (registers the ops)
from tfcompat.summary.writer import FileWriter, FileWriterCache, summary_iterator  # noqa: F401

_INVALID_TAG_CHARACTERS = re.compile(r"[^-/\w\.]")


def _clean_tag(name):
    """TF's clean_tag: illegal characters become '_', a leading '/' is dropped."""
    if name is None:
        return None
    new_name = _INVALID_TAG_CHARACTERS.sub("_", name).lstrip("/")
    return new_name


class _summary_scope:
    """TF 1.x summary_scope: the op is named by a name scope built from (family/)name, and the
    tag is that scope's full name (so "loss/MSE" inside ``tf.name_scope("loss")``)."""

    def __init__(self, name, family, values):
        self._name, self._family, self._values = _clean_tag(name), _clean_tag(family), values

    def __enter__(self):
        base = self._name if self._family is None else f"{self._family}/{self._name}"
        self._scope = ops.name_scope(base, None, self._values)
        scope = self._scope.__enter__()
        tag = scope.rstrip("/")
        if self._family is not None:
            tag = f"{self._family}/{tag}"
        return tag, scope

    def __exit__(self, *exc):
        return self._scope.__exit__(*exc)


def _collect(tensor, collections, default):
    for key in (default if collections is None else collections):
        ops.add_to_collection(key, tensor)


def scalar(name, tensor, collections=None, family=None):
    """``tf.summary.scalar``: a Summary with one simple_value; ``tensor`` must be a scalar."""
    tensor = ops.convert_to_tensor(tensor)
    if tensor.shape.ndims not in (None, 0):
        raise ValueError(f"tf.summary.scalar '{name}' needs a scalar tensor, but "
                         f"'{tensor.name}' has shape {tensor.shape}")
    with _summary_scope(name, family, [tensor]) as (tag, scope):
        out = make_tensor("ScalarSummary", [array_ops.constant(tag, dtype=dtypes.string,
                                                               name="tags"), tensor],
                          name=scope)
    _collect(out, collections, [ops.GraphKeys.SUMMARIES])
    return out


def histogram(name, values, collections=None, family=None):
    """``tf.summary.histogram``: a Summary with a histogram of ``values`` (real numbers)."""
    values = ops.convert_to_tensor(values)
    if not (values.dtype.base_dtype.is_floating or values.dtype.base_dtype.is_integer):
        raise TypeError(f"tf.summary.histogram '{name}' needs real numbers, but "
                        f"'{values.name}' has dtype {values.dtype.base_dtype.name}")
    with _summary_scope(name, family, [values]) as (tag, scope):
        out = make_tensor("HistogramSummary", [array_ops.constant(tag, dtype=dtypes.string,
                                                                  name="tag"), values],
                          name=scope)
    _collect(out, collections, [ops.GraphKeys.SUMMARIES])
    return out


def text(name, tensor, collections=None):
    """``tf.summary.text``: a string tensor shown by TensorBoard's text plugin."""
    tensor = ops.convert_to_tensor(tensor)
    if tensor.dtype.base_dtype != dtypes.string:
        raise ValueError(f"tf.summary.text '{name}' expects a string tensor, got "
                         f"{tensor.dtype.base_dtype.name}")
    return tensor_summary(name, tensor, collections=collections,
                          summary_metadata=summary_proto.summary_metadata(plugin_name="text"))


def _metadata_bytes(summary_metadata):
    if summary_metadata is None:
        return b""
    if isinstance(summary_metadata, bytes):
        return summary_metadata
    return summary_metadata.SerializeToString()


def tensor_summary(name, tensor, summary_description=None, collections=None,
                   summary_metadata=None, family=None, display_name=None):
    """``tf.summary.tensor_summary``: the whole tensor in a Summary (TensorSummaryV2), with
    a SummaryMetadata (a serialized one, or an object with SerializeToString) whose
    summary_description / display_name the arguments set."""
    tensor = ops.convert_to_tensor(tensor)
    metadata = _metadata_bytes(summary_metadata)
    if summary_description is not None or display_name is not None:
        metadata = metadata + summary_proto.summary_metadata(
            display_name=display_name, summary_description=summary_description)
    with _summary_scope(name, family, [tensor]) as (tag, scope):
        out = make_tensor("TensorSummaryV2", [
            array_ops.constant(tag, dtype=dtypes.string, name="tag"), tensor,
            array_ops.constant(metadata, dtype=dtypes.string,
                               name="serialized_summary_metadata")], name=scope)
    _collect(out, collections, [ops.GraphKeys.SUMMARIES])
    return out


_RED = np.array([255, 0, 0, 255], np.uint8)


def image(name, tensor, max_outputs=3, collections=None, family=None):
    """``tf.summary.image``: up to ``max_outputs`` images of a [batch, height, width,
    1|3|4] uint8 or float tensor as PNGs (floats scaled into [0, 255] per image as TF
    does; pixels with NaN or Inf drawn red)."""
    tensor = ops.convert_to_tensor(tensor)
    with _summary_scope(name, family, [tensor]) as (tag, scope):
        out = make_tensor("ImageSummary", [array_ops.constant(tag, dtype=dtypes.string,
                                                              name="tag"), tensor],
                          {"max_images": int(max_outputs), "bad_color": _RED,
                           "T": tensor.dtype.base_dtype}, name=scope)
    _collect(out, collections, [ops.GraphKeys.SUMMARIES])
    return out


def audio(name, tensor, sample_rate, max_outputs=3, collections=None, family=None):
    """``tf.summary.audio``: up to ``max_outputs`` clips of a float32 [batch, frames] or
    [batch, frames, channels] tensor (values in [-1, 1]) as 16-bit WAV files."""
    tensor = ops.convert_to_tensor(tensor, dtype=dtypes.float32)
    with _summary_scope(name, family, [tensor]) as (tag, scope):
        rate = ops.convert_to_tensor(sample_rate, dtype=dtypes.float32, name="sample_rate")
        out = make_tensor("AudioSummaryV2", [array_ops.constant(tag, dtype=dtypes.string,
                                                                name="tag"), tensor, rate],
                          {"max_outputs": int(max_outputs)}, name=scope)
    _collect(out, collections, [ops.GraphKeys.SUMMARIES])
    return out


class SummaryDescription:
    """The SummaryDescription message: ``type_hint``."""

    def __init__(self, type_hint=""):
        self.type_hint = type_hint

    def __eq__(self, other):
        return isinstance(other, SummaryDescription) and other.type_hint == self.type_hint

    def __repr__(self):
        return f'type_hint: "{self.type_hint}"' if self.type_hint else ""


def get_summary_description(node_def):
    """``tf.summary.get_summary_description``: the SummaryDescription of a TensorSummary
    node, parsed from its JSON ``description`` attr (ValueError for other ops)."""
    if node_def.op != "TensorSummary":
        raise ValueError(f"Can't get_summary_description on {node_def.op}")
    description = node_def.attr.get("description", b"")
    description = getattr(description, "s", description)
    if isinstance(description, bytes):
        description = description.decode()
    fields = json.loads(description) if description else {}
    unknown = set(fields) - {"typeHint", "type_hint"}
    if unknown:
        raise ValueError(f'Message type "tensorflow.SummaryDescription" has no field named '
                         f'"{sorted(unknown)[0]}".')
    return SummaryDescription(fields.get("typeHint", fields.get("type_hint", "")))


def all_v2_summary_ops():
    """``tf.summary.all_v2_summary_ops``: the graph's tf.contrib.summary ops (TF's
    collection "_SUMMARY_V2")."""
    return ops.get_collection(_SUMMARY_V2_COLLECTION)


_SUMMARY_V2_COLLECTION = "_SUMMARY_V2"


def initialize(graph=None, session=None):
    """``tf.summary.initialize``: runs the tf.contrib.summary writers' init ops (and writes
    ``graph``) — tf.contrib.summary.initialize; RuntimeError without a default writer."""
    from tfcompat.contrib import summary as contrib_summary
    contrib_summary.initialize(graph=graph, session=session)


def merge(inputs, collections=None, name=None):
    """``tf.summary.merge``: one Summary holding the values of all ``inputs``."""
    inputs = [ops.convert_to_tensor(t) for t in inputs]
    for t in inputs:
        if t.dtype.base_dtype != dtypes.string:
            raise TypeError(f"tf.summary.merge expects serialized summaries (string tensors), "
                            f"got {t.name} of dtype {t.dtype.base_dtype.name}")
    with ops.name_scope(name, "Merge", inputs) as scope:
        out = make_tensor("MergeSummary", inputs, {"N": len(inputs)}, name=scope)
    _collect(out, collections, [])
    return out


def merge_all(key=ops.GraphKeys.SUMMARIES, scope=None, name=None):
    """Merges every summary in collection ``key``; None when there are none (TF 1.x)."""
    summaries = ops.get_collection(key, scope=scope)
    if not summaries:
        return None
    return merge(summaries, name=name)


class Summary:
    """A Summary built in Python, as notebooks do to log values computed outside the graph:
    ``tf.Summary(value=[tf.Summary.Value(tag=..., simple_value=...)])``."""

    class Value:
        def __init__(self, tag="", simple_value=None, node_name=None):
            self.tag = tag
            self.simple_value = simple_value

    def __init__(self, value=()):
        self.value = list(value)

    def SerializeToString(self):  # noqa: N802 (protobuf API name)
        return summary_proto.summary([summary_proto.summary_value(v.tag, v.simple_value)
                                      for v in self.value])

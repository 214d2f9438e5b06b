"""``tf.contrib.deprecated``: TF 1.x's pre-``tf.summary`` summary functions.

Unlike ``tf.summary``, the tag is used as given (no name scope prefix), ``scalar_summary``
takes tags shaped like its values, and the op is named by ``name`` (default "ScalarSummary",
"HistogramSummary", ...), as TF 1.15's ``logging_ops`` does.
"""
import numpy as np

from tfcompat.framework import dtypes, ops
from tfcompat.framework.op_def import make_tensor
from tfcompat.ops import summary_ops  # noqa: F401 (registers the ops)
from tfcompat.summary import merge as _merge

__all__ = ["audio_summary", "histogram_summary", "image_summary", "merge_all_summaries",
           "merge_summary", "scalar_summary"]

_RED = np.array([255, 0, 0, 255], np.uint8)


def _summary(op_type, default_name, tag, tensor, attrs, collections, name, extra=()):
    """The ``op_type`` summary of string ``tag`` and ``tensor`` (+ ``extra`` inputs) under a
    name scope, added to ``collections`` (default: SUMMARIES)."""
    with ops.name_scope(name, default_name, [tag, tensor]) as scope:
        tag = ops.convert_to_tensor(tag, dtype=dtypes.string)
        inputs = [tag, tensor] + [build() for build in extra]
        out = make_tensor(op_type, inputs, attrs, name=scope)
    for key in (collections if collections is not None else [ops.GraphKeys.SUMMARIES]):
        ops.add_to_collection(key, out)
    return out


def scalar_summary(tags, values, collections=None, name=None):
    """One simple_value per element of ``values``, tagged by the same-shaped ``tags``."""
    values = ops.convert_to_tensor(values)
    return _summary("ScalarSummary", "ScalarSummary", tags, values, None, collections, name)


def histogram_summary(tag, values, collections=None, name=None):
    """A histogram of ``values`` under ``tag``."""
    values = ops.convert_to_tensor(values)
    return _summary("HistogramSummary", "HistogramSummary", tag, values, None, collections,
                    name)


def image_summary(tag, tensor, max_images=3, collections=None, name=None):
    """Up to ``max_images`` PNG images of a [batch, height, width, 1|3|4] tensor."""
    tensor = ops.convert_to_tensor(tensor)
    attrs = {"max_images": int(max_images), "bad_color": _RED,
             "T": tensor.dtype.base_dtype}
    return _summary("ImageSummary", "ImageSummary", tag, tensor, attrs, collections, name)


def audio_summary(tag, tensor, sample_rate, max_outputs=3, collections=None, name=None):
    """Up to ``max_outputs`` WAV clips of a float32 [batch, frames(, channels)] tensor."""
    tensor = ops.convert_to_tensor(tensor, dtype=dtypes.float32)

    def rate():
        return ops.convert_to_tensor(sample_rate, dtype=dtypes.float32, name="sample_rate")
    return _summary("AudioSummaryV2", "AudioSummary", tag, tensor,
                    {"max_outputs": int(max_outputs)}, collections, name, extra=(rate,))


def merge_summary(inputs, collections=None, name=None):
    """One Summary holding the values of all ``inputs`` (``tf.summary.merge``)."""
    return _merge(inputs, collections=collections, name=name or "MergeSummary")


def merge_all_summaries(key=ops.GraphKeys.SUMMARIES):
    """Merges every summary in collection ``key``; None when there are none."""
    summaries = ops.get_collection(key)
    return merge_summary(summaries) if summaries else None


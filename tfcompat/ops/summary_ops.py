"""Summary ops (TF's logging_ops): each outputs a serialized ``Summary`` protobuf as a
scalar string tensor, fetchable with ``sess.run`` and written by ``tf.summary.FileWriter``."""
import numpy as np

from tfcompat.framework import dtypes, errors, tensor_shape
from tfcompat.framework.graph_def import tensor_proto
from tfcompat.framework.op_def import OpDef, register_op
from tfcompat.lib import summary_proto


class _SummaryOp(OpDef):
    differentiable = False

    def infer(self, op):
        return [(tensor_shape.scalar(), dtypes.string)]


def _tag_text(tag):
    tag = tag.item() if isinstance(tag, np.ndarray) else tag
    return tag.decode() if isinstance(tag, bytes) else str(tag)


@register_op
class ScalarSummary(_SummaryOp):
    """Summary with one ``simple_value`` per tag (``tf.summary.scalar``)."""

    def infer(self, op):
        tags, values = op.inputs
        if not values.dtype.base_dtype.is_numeric and not values.dtype.is_bool:
            raise TypeError(f"tf.summary.scalar '{op.name}': values must be numeric, got "
                            f"{values.dtype.base_dtype.name}")
        if not tags.shape.is_compatible_with(values.shape):
            raise ValueError(f"tf.summary.scalar '{op.name}': tags and values must have the "
                             f"same shape, got {tags.shape} and {values.shape}; the tensor "
                             "must be a scalar")
        return super().infer(op)

    def kernel(self, op, ctx):
        def scalar_summary(tags, values):
            if np.shape(tags) != np.shape(values):
                raise errors.InvalidArgumentError(
                    None, op, f"tags and values not the same shape: {list(np.shape(tags))} != "
                              f"{list(np.shape(values))} (tag '{_tag_text(np.ravel(tags)[0])}')")
            items = [summary_proto.summary_value(_tag_text(t), simple_value=float(v))
                     for t, v in zip(np.ravel(tags), np.ravel(values))]
            return np.array(summary_proto.summary(items), dtype=object)
        return scalar_summary


@register_op
class HistogramSummary(_SummaryOp):
    """Summary with a histogram of all values (``tf.summary.histogram``)."""

    def infer(self, op):
        values = op.inputs[1]
        if not (values.dtype.base_dtype.is_floating or values.dtype.base_dtype.is_integer):
            raise TypeError(f"tf.summary.histogram '{op.name}': values must be real numbers, "
                            f"got {values.dtype.base_dtype.name}")
        return super().infer(op)

    def kernel(self, op, ctx):
        def histogram_summary(tag, values):
            values = np.asarray(values, dtype=np.float64)
            if not np.all(np.isfinite(values)):
                raise errors.InvalidArgumentError(
                    None, op, f"Nan in summary histogram for: {_tag_text(tag)}")
            value = summary_proto.summary_value(
                _tag_text(tag), histo=summary_proto.histogram_proto(values))
            return np.array(summary_proto.summary([value]), dtype=object)
        return histogram_summary


@register_op
class TensorSummaryV2(_SummaryOp):
    """Summary holding a whole tensor with plugin metadata (``tf.summary.text``)."""

    def kernel(self, op, ctx):
        plugin = op.attrs["plugin_name"]

        def tensor_summary(tag, tensor):
            value = summary_proto.summary_value(_tag_text(tag), tensor=tensor_proto(
                np.asarray(tensor)), plugin_name=plugin)
            return np.array(summary_proto.summary([value]), dtype=object)
        return tensor_summary


@register_op
class MergeSummary(_SummaryOp):
    """Concatenates Summary protos (``tf.summary.merge``); duplicate tags are an error."""

    def kernel(self, op, ctx):
        def merge_summary(*summaries):
            seen = set()
            for data in summaries:
                for tag in summary_proto.summary_tags(data.item()):
                    if tag in seen:
                        raise errors.InvalidArgumentError(None, op, f"Duplicate tag {tag} found "
                                                          "in summary inputs")
                    seen.add(tag)
            return np.array(b"".join(s.item() for s in summaries), dtype=object)
        return merge_summary

"""``slim.summaries`` (TF 1.15 contrib/slim/python/slim/summaries.py): histogram, image,
scalar and zero-fraction summaries named after the tensor's op ('<prefix>/<op name>',
zero fractions '.../Fraction_of_Zero_Values'). With ``print_summary`` a scalar or image
summary stays out of SUMMARIES and a ``tf.Print`` of the tensor (which passes the summary
through) is added there instead."""
from tfcompat import summary
from tfcompat.framework import ops

__all__ = ["add_histogram_summary", "add_image_summary", "add_scalar_summary",
           "add_zero_fraction_summary", "add_histogram_summaries", "add_image_summaries",
           "add_scalar_summaries", "add_zero_fraction_summaries"]


def _summary_name(tensor, name=None, prefix=None, postfix=None):
    name = name or tensor.op.name
    if prefix:
        name = prefix + "/" + name
    if postfix:
        name = name + "/" + postfix
    return name


def _printed(make_summary, tensor, name, prefix, print_summary):
    summary_name = _summary_name(tensor, name, prefix)
    op = make_summary(summary_name, tensor, collections=[] if print_summary else None)
    if print_summary:
        from tfcompat.ops.check_ops import Print
        op = Print(op, [tensor], summary_name)
        ops.add_to_collection(ops.GraphKeys.SUMMARIES, op)
    return op


def add_histogram_summary(tensor, name=None, prefix=None):
    """A histogram summary of ``tensor``."""
    return summary.histogram(_summary_name(tensor, name, prefix), tensor)


def add_image_summary(tensor, name=None, prefix=None, print_summary=False):
    """An image summary of ``tensor`` (NHWC)."""
    return _printed(summary.image, tensor, name, prefix, print_summary)


def add_scalar_summary(tensor, name=None, prefix=None, print_summary=False):
    """A scalar summary of ``tensor``."""
    return _printed(summary.scalar, tensor, name, prefix, print_summary)


def add_zero_fraction_summary(tensor, name=None, prefix=None, print_summary=False):
    """A scalar summary of the fraction of zeros of ``tensor``."""
    from tfcompat import nn
    name = _summary_name(tensor, name, prefix, "Fraction_of_Zero_Values")
    return add_scalar_summary(nn.zero_fraction(tensor), name, print_summary=print_summary)


def add_histogram_summaries(tensors, prefix=None):
    return [add_histogram_summary(tensor, prefix=prefix) for tensor in tensors]


def add_image_summaries(tensors, prefix=None):
    return [add_image_summary(tensor, prefix=prefix) for tensor in tensors]


def add_scalar_summaries(tensors, prefix=None, print_summary=False):
    return [add_scalar_summary(tensor, prefix=prefix, print_summary=print_summary)
            for tensor in tensors]


def add_zero_fraction_summaries(tensors, prefix=None):
    return [add_zero_fraction_summary(tensor, prefix=prefix) for tensor in tensors]

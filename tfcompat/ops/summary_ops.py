"""Summary ops (TF's logging_ops): each outputs a serialized ``Summary`` protobuf as a
scalar string tensor, fetchable with ``sess.run`` and written by ``tf.summary.FileWriter``."""
import struct
import zlib

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
                     for t, v in zip(np.ravel(tags), np.ravel(values), strict=True)]
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
    """Summary holding a whole tensor and the SummaryMetadata given serialized as the third
    input (``tf.summary.tensor_summary``, ``tf.summary.text``)."""

    def kernel(self, op, ctx):
        def tensor_summary(tag, tensor, serialized_summary_metadata):
            value = summary_proto.summary_value(
                _tag_text(tag), tensor=tensor_proto(np.asarray(tensor)),
                metadata=_as_bytes(serialized_summary_metadata))
            return np.array(summary_proto.summary([value]), dtype=object)
        return tensor_summary


@register_op
class TensorSummary(_SummaryOp):
    """TF 1.x's first tensor summary: the tensor under the op's node name, with the attrs
    ``description`` (a JSON SummaryDescription), ``labels`` and ``display_name``."""

    def kernel(self, op, ctx):
        def tensor_summary(tensor):
            value = summary_proto.summary_value(None, node_name=op.name,
                                                tensor=tensor_proto(np.asarray(tensor)))
            return np.array(summary_proto.summary([value]), dtype=object)
        return tensor_summary


def _as_bytes(value):
    value = value.item() if isinstance(value, np.ndarray) else value
    return value if isinstance(value, bytes) else str(value).encode()


def _check_image_shape(op, shape):
    """[batch, height, width, channels] with 1, 3 or 4 channels (TF's message)."""
    if len(shape) != 4 or shape[3] not in (1, 3, 4):
        raise errors.InvalidArgumentError(
            None, op, f"Tensor must be 4-D with last dim 1, 3, or 4, not "
                      f"[{','.join(str(d) for d in shape)}]")


def _png(image):
    """A PNG file of a [height, width, channels] uint8 image (8-bit gray / RGB / RGBA, no
    filtering, zlib level 6)."""
    height, width, channels = image.shape
    color_type = {1: 0, 3: 2, 4: 6}[channels]
    rows = np.concatenate([np.zeros((height, 1), np.uint8),
                           image.reshape(height, width * channels)], axis=1)

    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data +
                struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    header = struct.pack(">IIBBBBB", width, height, 8, color_type, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) +
            chunk(b"IDAT", zlib.compress(rows.tobytes(), 6)) + chunk(b"IEND", b""))


def _image_as_uint8(image, bad_color):
    """TF's NormalizeFloatImage for one float [h, w, c] image: non-negative images scale by
    255 / max, others by 127 / max|value| around 128 (truncating casts); a pixel with a
    non-finite channel becomes ``bad_color``."""
    finite = np.all(np.isfinite(image), axis=-1)
    values = image[finite]
    low = float(values.min()) if values.size else np.inf
    high = float(values.max()) if values.size else -np.inf
    if low < 0:
        largest = max(abs(low), abs(high))
        scale, offset = (0.0 if largest < 1e-6 else 127.0 / largest), 128.0
    else:
        scale, offset = (0.0 if high < 1e-6 else 255.0 / high), 0.0
    with np.errstate(invalid="ignore"):
        scaled = (image.astype(np.float32) * np.float32(scale) + np.float32(offset))
    out = np.where(finite[..., None], scaled, 0).astype(np.uint8)
    out[~finite] = bad_color[:image.shape[-1]]
    return out


@register_op
class ImageSummary(_SummaryOp):
    """Up to ``max_images`` PNG images of a [batch, h, w, 1|3|4] tensor, tagged
    "<tag>/image" when max_images is 1, else "<tag>/image/<i>" (``tf.summary.image``)."""

    def infer(self, op):
        image = op.inputs[1]
        if image.dtype.base_dtype not in (dtypes.uint8, dtypes.float32, dtypes.float16,
                                          dtypes.float64):
            raise TypeError(f"tf.summary.image '{op.name}': tensor must be uint8, float16, "
                            f"float32 or float64, got {image.dtype.base_dtype.name}")
        shape = image.shape
        if shape.ndims is not None and (shape.ndims != 4 or shape[3].value not in (
                None, 1, 3, 4)):
            raise ValueError(f"tf.summary.image '{op.name}': Tensor must be 4-D with last dim "
                             f"1, 3, or 4, not {shape}")
        return super().infer(op)

    def kernel(self, op, ctx):
        max_images = op.attrs["max_images"]
        bad_color = np.asarray(op.attrs["bad_color"], np.uint8)

        def image_summary(tag, images):
            return np.array(image_summary_bytes(op, tag, images, max_images, bad_color),
                            dtype=object)
        return image_summary


def image_summary_bytes(op, tag, images, max_images, bad_color):
    """The Summary of ImageSummary (and of the v2 WriteImageSummary)."""
    _check_image_shape(op, images.shape)
    base = _tag_text(tag)
    values = []
    for i, image in enumerate(images[:max_images]):
        if image.dtype != np.uint8:
            image = _image_as_uint8(image, bad_color)
        height, width, channels = image.shape
        values.append(summary_proto.summary_value(
            f"{base}/image" if max_images == 1 else f"{base}/image/{i}",
            image=summary_proto.image_proto(height, width, channels, _png(image))))
    return summary_proto.summary(values)


def _wav(frames, sample_rate):
    """16-bit PCM WAV bytes of float [frames, channels] samples (TF's wav_io: round(x *
    32768) clamped to int16)."""
    length, channels = frames.shape
    samples = np.clip(np.round(frames.astype(np.float32) * np.float32(32768.0)),
                      -32768, 32767).astype("<i2")
    data = samples.tobytes()
    fmt = struct.pack("<HHIIHH", 1, channels, sample_rate, sample_rate * channels * 2,
                      channels * 2, 16)
    body = b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt + b"data" + struct.pack(
        "<I", len(data)) + data
    return b"RIFF" + struct.pack("<I", len(body)) + body


@register_op
class AudioSummaryV2(_SummaryOp):
    """Up to ``max_outputs`` WAV clips of a float [batch, frames(, channels)] tensor in
    [-1, 1], tagged "<tag>/audio" or "<tag>/audio/<i>" (``tf.summary.audio``)."""

    def infer(self, op):
        audio, rate = op.inputs[1], op.inputs[2]
        if audio.dtype.base_dtype != dtypes.float32:
            raise TypeError(f"tf.summary.audio '{op.name}': tensor must be float32, got "
                            f"{audio.dtype.base_dtype.name}")
        if audio.shape.ndims not in (None, 2, 3):
            raise ValueError(f"tf.summary.audio '{op.name}': Tensor must be 3-D or 2-D, got: "
                             f"{audio.shape}")
        if rate.shape.num_elements() not in (None, 1):
            raise ValueError(f"tf.summary.audio '{op.name}': sample_rate must be rank-0 or "
                             f"contain a single value")
        return super().infer(op)

    def kernel(self, op, ctx):
        max_outputs = op.attrs["max_outputs"]

        def audio_summary(tag, audio, sample_rate):
            return np.array(audio_summary_bytes(op, tag, audio, sample_rate, max_outputs),
                            dtype=object)
        return audio_summary


def audio_summary_bytes(op, tag, audio, sample_rate, max_outputs):
    """The Summary of AudioSummaryV2 (and of the v2 WriteAudioSummary)."""
    if audio.ndim not in (2, 3):
        raise errors.InvalidArgumentError(
            None, op, f"Tensor must be 3-D or 2-D, got: {list(audio.shape)}")
    rate = float(np.ravel(sample_rate)[0])
    clips = audio if audio.ndim == 3 else audio[:, :, None]
    base = _tag_text(tag)
    values = []
    for i, clip in enumerate(clips[:max_outputs]):
        values.append(summary_proto.summary_value(
            f"{base}/audio" if max_outputs == 1 else f"{base}/audio/{i}",
            audio=summary_proto.audio_proto(rate, clip.shape[1], clip.shape[0],
                                            _wav(clip, int(rate)))))
    return summary_proto.summary(values)


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

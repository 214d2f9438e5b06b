"""``tf.signal`` (and ``tf.contrib.signal``): the Fourier transforms of
``ops/spectral_ops.py`` plus TF 1.15's framing, windows, short-time Fourier transforms, mel
filterbanks, DCTs and MFCCs, composed from existing ops with TF's names, defaults and errors."""
import math

import numpy as np

from tfcompat.framework import dtypes, ops
from tfcompat.framework.op_def import constant_value
from tfcompat.ops import array_ops, control_flow_ops, manip_ops, math_ops
from tfcompat.ops.spectral_ops import (fft, fft2d, fft3d, ifft, ifft2d, ifft3d,  # noqa: F401
                                       irfft, rfft)

_MEL_BREAK_FREQUENCY_HERTZ = 700.0
_MEL_HIGH_FREQUENCY_Q = 1127.0


def _static_int(tensor):
    """The tensor's value as a Python int, or None when it is not known while building."""
    value = constant_value(tensor)
    return None if value is None else int(np.ravel(value)[0])


def _scalar_int(value, name):
    tensor = ops.convert_to_tensor(value, dtype=dtypes.int32, name=name)
    tensor.shape.assert_has_rank(0)
    return tensor


def _num_frames(length, frame_length, frame_step, pad_end):
    """TF's frame count: ceil(length / step) with pad_end, else 1 + (length - frame) // step
    (never negative); Python ints when all three are ints, tensors otherwise."""
    if all(isinstance(v, int) for v in (length, frame_length, frame_step)):
        if pad_end:
            return -(-length // frame_step)
        return max(0, 1 + (length - frame_length) // frame_step)
    if pad_end:
        return -math_ops.floordiv(-length, frame_step)
    return math_ops.maximum(0, 1 + math_ops.floordiv(length - frame_length, frame_step))


def frame(signal, frame_length, frame_step, pad_end=False, pad_value=0, axis=-1, name=None):
    """``tf.signal.frame``: slides a ``frame_length`` window by ``frame_step`` along ``axis``,
    the axis becoming [frames, frame_length]; ``pad_end`` pads with ``pad_value`` so that
    ceil(length / frame_step) frames fit."""
    with ops.name_scope(name, "frame", [signal, frame_length, frame_step, pad_value]):
        signal = ops.convert_to_tensor(signal, name="signal")
        frame_length_t = _scalar_int(frame_length, "frame_length")
        frame_step_t = _scalar_int(frame_step, "frame_step")
        rank = signal.shape.with_rank_at_least(1).ndims
        if rank is None:
            raise ValueError("tfcompat's tf.signal.frame needs a signal of known rank")
        axis = int(axis) + rank if int(axis) < 0 else int(axis)
        if not 0 <= axis < rank:
            raise ValueError(f"axis {axis} is out of range for a signal of rank {rank}")
        static_length = signal.shape[axis].value
        length = static_length if static_length is not None else array_ops.shape(signal)[axis]
        frame_length_v = _static_int(frame_length_t)
        frame_step_v = _static_int(frame_step_t)
        fl = frame_length_v if frame_length_v is not None else frame_length_t
        fs = frame_step_v if frame_step_v is not None else frame_step_t
        num_frames = _num_frames(length, fl, fs, pad_end)
        if pad_end:
            needed = (num_frames - 1) * fs + fl - length
            pad_samples = max(0, needed) if isinstance(needed, int) else \
                math_ops.maximum(0, needed)
            paddings = [[0, 0]] * axis + [[0, pad_samples]] + [[0, 0]] * (rank - axis - 1)
            signal = array_ops.pad(signal, paddings, constant_values=ops.convert_to_tensor(
                pad_value, dtype=signal.dtype.base_dtype, name="pad_value"))
        starts = math_ops._range(num_frames) * frame_step_t
        indices = array_ops.expand_dims(starts, 1) + array_ops.expand_dims(
            math_ops._range(frame_length_t), 0)
        framed = array_ops.gather(signal, indices, axis=axis)
        static_frames = num_frames if isinstance(num_frames, int) else None
        framed.set_shape(signal.shape[:axis].concatenate([static_frames, frame_length_v])
                         .concatenate(signal.shape[axis + 1:]))
        return framed


def overlap_and_add(signal, frame_step, name=None):
    """``tf.signal.overlap_and_add``: sums frames [..., frames, frame_length] laid
    ``frame_step`` apart into [..., (frames - 1) * frame_step + frame_length]."""
    with ops.name_scope(name, "overlap_and_add", [signal, frame_step]):
        signal = ops.convert_to_tensor(signal, name="signal")
        rank = signal.shape.with_rank_at_least(2).ndims
        if rank is None:
            raise ValueError("tfcompat's tf.signal.overlap_and_add needs a signal of known rank")
        frame_step_t = _scalar_int(frame_step, "frame_step")
        if not frame_step_t.dtype.is_integer:
            raise ValueError(f"frame_step must be an integer. Got {frame_step_t.dtype}")
        dims = array_ops.shape(signal)
        frames, frame_length = dims[-2], dims[-1]
        output_length = (frames - 1) * frame_step_t + frame_length
        # [frames, frame_length, outer...] flattened on its first two axes, summed per sample.
        leading = [rank - 2, rank - 1] + list(range(rank - 2))
        moved = array_ops.transpose(signal, leading)
        moved = array_ops.reshape(moved, array_ops.concat([[-1], dims[:-2]], 0))
        sample_ids = array_ops.expand_dims(math_ops._range(frames) * frame_step_t, 1) + \
            array_ops.expand_dims(math_ops._range(frame_length), 0)
        summed = math_ops.unsorted_segment_sum(
            moved, array_ops.reshape(sample_ids, [-1]), output_length)
        result = array_ops.transpose(summed, list(range(1, rank - 1)) + [0])
        frames_v, length_v = signal.shape[-2].value, signal.shape[-1].value
        step_v = _static_int(frame_step_t)
        static_out = None if None in (frames_v, length_v, step_v) else \
            max(0, (frames_v - 1) * step_v + length_v) if frames_v else 0
        result.set_shape(signal.shape[:-2].concatenate([static_out]))
        return result


def _raised_cosine_window(name, default_name, window_length, periodic, dtype, a, b):
    """a - b·cos(2π n / N) for n < window_length, N = window_length - 1, plus one when
    ``periodic`` and the length is even (TF's formula); a single 1 for length 1."""
    dtype = dtypes.as_dtype(dtype)
    if not dtype.is_floating:
        raise ValueError(f"dtype must be a floating point type. Found {dtype}")
    with ops.name_scope(name, default_name, [window_length, periodic]):
        window_length = _scalar_int(window_length, "window_length")
        static_length = _static_int(window_length)
        if static_length == 1:
            return array_ops.ones([1], dtype=dtype)
        periodic = math_ops.cast(
            ops.convert_to_tensor(periodic, dtype=dtypes.bool, name="periodic"), dtypes.int32)
        periodic.shape.assert_has_rank(0)
        even = 1 - math_ops.mod(window_length, 2)
        denominator = math_ops.cast(window_length + periodic * even - 1, dtype)
        count = math_ops.cast(math_ops._range(window_length), dtype)
        cos_arg = ops.convert_to_tensor(2 * np.pi, dtype=dtype) * count / denominator
        if static_length is not None:
            return a - b * math_ops.cos(cos_arg)
        return control_flow_ops.cond(math_ops.equal(window_length, 1),
                                     lambda: array_ops.ones([1], dtype=dtype),
                                     lambda: a - b * math_ops.cos(cos_arg))


def hann_window(window_length, periodic=True, dtype=dtypes.float32, name=None):
    """``tf.signal.hann_window``: 0.5 - 0.5·cos(2π n / N)."""
    return _raised_cosine_window(name, "hann_window", window_length, periodic, dtype, 0.5, 0.5)


def hamming_window(window_length, periodic=True, dtype=dtypes.float32, name=None):
    """``tf.signal.hamming_window``: 0.54 - 0.46·cos(2π n / N)."""
    return _raised_cosine_window(name, "hamming_window", window_length, periodic, dtype,
                                 0.54, 0.46)


def _enclosing_power_of_two(value):
    """The smallest power of two >= ``value`` (an int or a scalar int32 tensor)."""
    static = _static_int(value) if isinstance(value, ops.Tensor) else value
    if static is not None:
        return int(2 ** math.ceil(math.log2(static)))
    exponent = math_ops.ceil(math_ops.log(math_ops.cast(value, dtypes.float32)) / math.log(2.0))
    return math_ops.cast(math_ops.pow(2.0, exponent), dtypes.int32)


def _length_vector(length):
    """[length] for the FFT ops, a constant when the length is known while building."""
    static = _static_int(length) if isinstance(length, ops.Tensor) else length
    return [static] if static is not None else array_ops.reshape(length, [1])


def stft(signals, frame_length, frame_step, fft_length=None, window_fn=hann_window,
         pad_end=False, name=None):
    """``tf.signal.stft``: frames the innermost axis, multiplies each frame by
    ``window_fn(frame_length, dtype)`` and takes its RFFT of ``fft_length`` (default: the
    enclosing power of two): [..., frames, fft_length // 2 + 1] complex."""
    with ops.name_scope(name, "stft", [signals, frame_length, frame_step]):
        signals = ops.convert_to_tensor(signals, name="signals")
        signals.shape.with_rank_at_least(1)
        frame_length = _scalar_int(frame_length, "frame_length")
        frame_step = _scalar_int(frame_step, "frame_step")
        if fft_length is None:
            fft_length = _enclosing_power_of_two(frame_length)
        else:
            fft_length = _scalar_int(fft_length, "fft_length")
        framed = frame(signals, frame_length, frame_step, pad_end=pad_end)
        if window_fn is not None:
            framed = framed * window_fn(frame_length, dtype=framed.dtype.base_dtype)
        return rfft(framed, _length_vector(fft_length))


def inverse_stft_window_fn(frame_step, forward_window_fn=hann_window, name=None):
    """``tf.signal.inverse_stft_window_fn``: a window function giving the forward window
    divided by the overlapping sum of its squares, so that inverse_stft inverts stft."""
    def inverse_stft_window_fn_inner(frame_length, dtype):
        with ops.name_scope(name, "inverse_stft_window_fn", [forward_window_fn]):
            step = _scalar_int(frame_step, "frame_step")
            length = _scalar_int(frame_length, "frame_length")
            forward_window = forward_window_fn(length, dtype=dtype)
            squares = math_ops.square(forward_window)
            overlaps = -math_ops.floordiv(-length, step)
            squares = array_ops.pad(squares, [[0, overlaps * step - length]])
            squares = array_ops.reshape(squares, array_ops.stack([overlaps, step]))
            squares = math_ops.reduce_sum(squares, 0, keepdims=True)
            squares = array_ops.tile(squares, array_ops.stack([overlaps, 1]))
            squares = array_ops.reshape(squares, array_ops.reshape(overlaps * step, [1]))
            return forward_window / squares[:length]
    return inverse_stft_window_fn_inner


def _fit_inner_length(frames, frame_length):
    """Cuts or zero-pads the innermost axis to ``frame_length`` (TF's inverse_stft step)."""
    rank = frames.shape.ndims
    static_length, inner = _static_int(frame_length), frames.shape[-1].value
    if static_length is not None and inner is not None:
        if inner > static_length:
            return frames[..., :static_length]
        if inner < static_length:
            return array_ops.pad(frames, [[0, 0]] * (rank - 1) + [[0, static_length - inner]])
        return frames
    frames = frames[..., :frame_length]
    missing = math_ops.maximum(0, frame_length - array_ops.shape(frames)[-1])
    frames = array_ops.pad(frames, [[0, 0]] * (rank - 1) + [[0, missing]])
    frames.set_shape(frames.shape[:-1].concatenate([static_length]))
    return frames


def inverse_stft(stfts, frame_length, frame_step, fft_length=None, window_fn=hann_window,
                 name=None):
    """``tf.signal.inverse_stft``: IRFFT of each frame, cut or padded to ``frame_length``,
    times ``window_fn(frame_length)``, overlap-added ``frame_step`` apart."""
    with ops.name_scope(name, "inverse_stft", [stfts]):
        stfts = ops.convert_to_tensor(stfts, name="stfts")
        if stfts.shape.with_rank_at_least(2).ndims is None:
            raise ValueError("tfcompat's tf.signal.inverse_stft needs stfts of known rank")
        frame_length = _scalar_int(frame_length, "frame_length")
        frame_step = _scalar_int(frame_step, "frame_step")
        if fft_length is None:
            fft_length = _enclosing_power_of_two(frame_length)
        else:
            fft_length = _scalar_int(fft_length, "fft_length")
        real_frames = irfft(stfts, _length_vector(fft_length))
        real_frames = _fit_inner_length(real_frames, frame_length)
        if window_fn is not None:
            real_frames = real_frames * window_fn(frame_length,
                                                  dtype=stfts.dtype.real_dtype)
        return overlap_and_add(real_frames, frame_step)


def _hertz_to_mel(frequencies_hertz):
    return _MEL_HIGH_FREQUENCY_Q * np.log(1.0 + frequencies_hertz / _MEL_BREAK_FREQUENCY_HERTZ)


def _validate_mel_arguments(num_mel_bins, sample_rate, lower_edge_hertz, upper_edge_hertz,
                            dtype):
    if num_mel_bins <= 0:
        raise ValueError(f"num_mel_bins must be positive. Got: {num_mel_bins}")
    if sample_rate <= 0.0:
        raise ValueError(f"sample_rate must be positive. Got: {sample_rate}")
    if lower_edge_hertz < 0.0:
        raise ValueError(f"lower_edge_hertz must be non-negative. Got: {lower_edge_hertz}")
    if lower_edge_hertz >= upper_edge_hertz:
        raise ValueError(f"lower_edge_hertz {lower_edge_hertz:.1f} >= upper_edge_hertz "
                         f"{upper_edge_hertz:.1f}")
    if upper_edge_hertz > sample_rate / 2:
        raise ValueError(f"upper_edge_hertz must not be larger than the Nyquist frequency "
                         f"(sample_rate / 2). Got {upper_edge_hertz} for sample_rate: "
                         f"{sample_rate}")
    if not dtype.is_floating:
        raise ValueError(f"dtype must be a floating point type. Got: {dtype}")


def linear_to_mel_weight_matrix(num_mel_bins=20, num_spectrogram_bins=129, sample_rate=8000,
                                lower_edge_hertz=125.0, upper_edge_hertz=3800.0,
                                dtype=dtypes.float32, name=None):
    """``tf.signal.linear_to_mel_weight_matrix``: [num_spectrogram_bins, num_mel_bins]
    triangular filters evenly spaced on the HTK mel scale (1127·ln(1 + f / 700)) between the
    edge frequencies; the DC bin's row is zero, as in TF."""
    dtype = dtypes.as_dtype(dtype)
    with ops.name_scope(name, "linear_to_mel_weight_matrix") as scope:
        _validate_mel_arguments(num_mel_bins, sample_rate, lower_edge_hertz, upper_edge_hertz,
                                dtype)
        np_dtype = dtype.as_numpy_dtype
        linear = np.linspace(0.0, sample_rate / 2.0, int(num_spectrogram_bins),
                             dtype=np_dtype)[1:]
        bins_mel = _hertz_to_mel(linear.astype(np.float64))[:, np.newaxis]
        edges = np.linspace(_hertz_to_mel(float(lower_edge_hertz)),
                            _hertz_to_mel(float(upper_edge_hertz)), int(num_mel_bins) + 2)
        lower, center, upper = edges[:-2], edges[1:-1], edges[2:]
        lower_slopes = (bins_mel - lower) / (center - lower)
        upper_slopes = (upper - bins_mel) / (upper - center)
        weights = np.maximum(0.0, np.minimum(lower_slopes, upper_slopes))
        weights = np.concatenate([np.zeros((1, int(num_mel_bins))), weights], axis=0)
        return ops.convert_to_tensor(weights.astype(np_dtype), dtype=dtype, name=scope)


def _validate_dct_arguments(tensor, dct_type, n, axis, norm):
    if axis != -1:
        raise NotImplementedError(f"axis must be -1. Got: {axis}")
    if n is not None and n < 1:
        raise ValueError("n should be a positive integer or None")
    if dct_type not in (1, 2, 3):
        raise ValueError("Only Types I, II and III (I)DCT are supported.")
    if dct_type == 1:
        if norm == "ortho":
            raise ValueError("Normalization is not supported for the Type-I DCT.")
        inner = tensor.shape[-1].value if tensor.shape.ndims else None
        if inner is not None and inner < 2:
            raise ValueError("Type-I DCT requires the dimension to be greater than one.")
    if norm not in (None, "ortho"):
        raise ValueError(f"Unknown normalization. Expected None or 'ortho', got: {norm}")


def _dct_matrix(dct_type, size, norm):
    """M with dct(x) = x @ M for length-``size`` vectors (TF's / scipy's unnormalised
    definitions; 'ortho' scales type II's outputs and type III's inputs orthonormally)."""
    n = np.arange(size, dtype=np.float64)[:, np.newaxis]
    k = np.arange(size, dtype=np.float64)[np.newaxis, :]
    if dct_type == 1:
        matrix = 2.0 * np.cos(np.pi * n * k / (size - 1))
        matrix[0, :] = 1.0
        matrix[-1, :] = (-1.0) ** np.arange(size)
        return matrix
    if dct_type == 2:
        matrix = 2.0 * np.cos(np.pi * k * (2.0 * n + 1.0) / (2.0 * size))
        if norm == "ortho":
            matrix[:, 0] *= np.sqrt(1.0 / (4.0 * size))
            matrix[:, 1:] *= np.sqrt(1.0 / (2.0 * size))
        return matrix
    matrix = 2.0 * np.cos(np.pi * n * (2.0 * k + 1.0) / (2.0 * size))
    matrix[0, :] = 1.0
    if norm == "ortho":
        matrix[0, :] *= np.sqrt(1.0 / size)
        matrix[1:, :] *= np.sqrt(1.0 / (2.0 * size))
    return matrix


def dct(input, type=2, n=None, axis=-1, norm=None, name=None):  # noqa: A002
    """``tf.signal.dct``: the type I, II or III discrete cosine transform of the innermost
    axis (cut or zero-padded to ``n``), unnormalised as scipy's or orthonormal ("ortho"),
    computed as a product with the transform's cosine matrix."""
    with ops.name_scope(name, "dct", [input]):
        x = ops.convert_to_tensor(input, name="input")
        _validate_dct_arguments(x, type, n, axis, norm)
        rank = x.shape.ndims
        inner = x.shape[-1].value if rank else None
        if rank is None or inner is None:
            raise ValueError("tfcompat's tf.signal.dct needs an input whose innermost "
                             "dimension is known")
        if n is not None and n < inner:
            x, inner = x[..., :n], n
        elif n is not None and n > inner:
            x, inner = array_ops.pad(x, [[0, 0]] * (rank - 1) + [[0, n - inner]]), n
        matrix = ops.convert_to_tensor(
            _dct_matrix(type, inner, norm).astype(x.dtype.as_numpy_dtype), name="dct_matrix")
        return math_ops.tensordot(x, matrix, [[rank - 1], [0]])


def idct(input, type=2, n=None, axis=-1, norm=None, name=None):  # noqa: A002
    """``tf.signal.idct``: the DCT of the inverse type (I↔I, II↔III; named "dct" as in TF);
    ``idct(dct(x))`` is x with norm="ortho", 2·N·x (type I: 2·(N - 1)·x) without."""
    if type not in (1, 2, 3):
        raise ValueError("Only Types I, II and III (I)DCT are supported.")
    inverse_type = {1: 1, 2: 3, 3: 2}[type]
    return dct(input, type=inverse_type, n=n, axis=axis, norm=norm, name=name)


def mfccs_from_log_mel_spectrograms(log_mel_spectrograms, name=None):
    """``tf.signal.mfccs_from_log_mel_spectrograms``: the type II DCT of the innermost axis
    scaled by 1/sqrt(2·num_mel_bins), i.e. orthonormal but for the first coefficient (as
    TF 1.15, HTK's convention)."""
    with ops.name_scope(name, "mfccs_from_log_mel_spectrograms", [log_mel_spectrograms]):
        spectrograms = ops.convert_to_tensor(log_mel_spectrograms,
                                             name="log_mel_spectrograms")
        inner = spectrograms.shape[-1].value if spectrograms.shape.ndims else None
        if inner == 0:
            raise ValueError(f"num_mel_bins must be positive. Got: {spectrograms}")
        dct2 = dct(spectrograms, type=2)
        return dct2 * math_ops.rsqrt(math_ops.cast(inner, dct2.dtype.base_dtype) * 2.0)


def _shift_halves(name, default_name, x, axes, sign):
    """Rolls each of ``axes`` (default: all) by sign·(size // 2), TF's fftshift/ifftshift."""
    with ops.name_scope(name, default_name, [x]):
        x = ops.convert_to_tensor(x, name="input")
        if axes is None:
            if x.shape.ndims is None:
                raise ValueError(f"tfcompat's tf.signal.{default_name} needs an input of "
                                 "known rank when axes is None")
            axes = list(range(x.shape.ndims))
        single = isinstance(axes, int)
        axes = [axes] if single else list(axes)
        sizes = [x.shape[axis].value if x.shape.ndims else None for axis in axes]
        if None in sizes:
            shape = array_ops.shape(x)
            shift = [sign * math_ops.floordiv(shape[axis], 2) for axis in axes]
            shift = array_ops.stack(shift)
        else:
            shift = [sign * (size // 2) for size in sizes]
        return manip_ops.roll(x, shift[0] if single else shift, axes[0] if single else axes)


def fftshift(x, axes=None, name=None):
    """``tf.signal.fftshift``: moves the zero-frequency term to the centre of ``axes``."""
    return _shift_halves(name, "fftshift", x, axes, 1)


def ifftshift(x, axes=None, name=None):
    """``tf.signal.ifftshift``: the inverse of fftshift (rolls back by size // 2)."""
    return _shift_halves(name, "ifftshift", x, axes, -1)


def _fit_axis(x, axis, size):
    """Cuts or zero-pads static-rank ``x`` along negative ``axis`` to ``size`` (an int)."""
    rank, current = x.shape.ndims, x.shape[axis].value
    if current == size:
        return x
    position = rank + axis
    available = current if current is not None else array_ops.shape(x)[axis]
    kept = math_ops.minimum(size, available) if current is None else min(size, current)
    cut = array_ops.slice(x, [0] * rank, [-1] * position + [kept] + [-1] * (-axis - 1))
    missing = size - kept
    paddings = [[0, 0]] * position + [[0, missing]] + [[0, 0]] * (-axis - 1)
    fitted = array_ops.pad(cut, paddings)
    fitted.set_shape(x.shape[:position].concatenate([size]).concatenate(x.shape[position + 1:]))
    return fitted


def _fft_along(x, axis, inverse):
    """The 1-D (I)FFT of negative ``axis``: swapped innermost, transformed, swapped back."""
    rank = x.shape.ndims
    perm = list(range(rank))
    perm[rank + axis], perm[-1] = perm[-1], perm[rank + axis]
    transform = ifft if inverse else fft
    return array_ops.transpose(transform(array_ops.transpose(x, perm)), perm)


def _real_nd_lengths(x, fft_length, rank, inverse):
    if fft_length is not None:
        lengths = [int(v) for v in np.ravel(fft_length)]
    else:
        lengths = [x.shape[axis].value for axis in range(-rank, 0)]
        if inverse and lengths[-1] is not None:
            lengths[-1] = 2 * (lengths[-1] - 1)
    if None in lengths or len(lengths) != rank:
        raise ValueError(f"tfcompat's {rank}-D real FFTs need fft_length or inner dimensions "
                         "known while building")
    return lengths


def _real_nd_transform(rank, inverse):
    """rfft2d/rfft3d (RFFT of the innermost axis, then FFTs of the others, each axis cut or
    zero-padded to its fft_length) and irfft2d/irfft3d (the reverse), as numpy's rfftn."""
    default_name = f"{'i' if inverse else ''}rfft{rank}d"

    def transform(input_tensor, fft_length=None, name=None):
        with ops.name_scope(name, default_name, [input_tensor]):
            x = ops.convert_to_tensor(input_tensor, name="input_tensor")
            if x.shape.with_rank_at_least(rank).ndims is None:
                raise ValueError(f"tfcompat's tf.signal.{default_name} needs an input of "
                                 "known rank")
            lengths = _real_nd_lengths(x, fft_length, rank, inverse)
            if not inverse:
                x = rfft(x, [lengths[-1]])
            for axis in range(-rank, -1):
                x = _fft_along(_fit_axis(x, axis, lengths[axis]), axis, inverse)
            return irfft(x, [lengths[-1]]) if inverse else x
    transform.__name__ = default_name
    transform.__doc__ = (f"``tf.signal.{default_name}(input_tensor, fft_length=None)``: the "
                         f"{rank}-D {'inverse ' if inverse else ''}real FFT of the innermost "
                         "axes, composed of 1-D transforms.")
    return transform


rfft2d = _real_nd_transform(2, inverse=False)
irfft2d = _real_nd_transform(2, inverse=True)
rfft3d = _real_nd_transform(3, inverse=False)
irfft3d = _real_nd_transform(3, inverse=True)

__all__ = ["fft", "fft2d", "fft3d", "ifft", "ifft2d", "ifft3d", "rfft", "irfft", "frame",
           "overlap_and_add", "hann_window", "hamming_window", "stft", "inverse_stft",
           "inverse_stft_window_fn", "linear_to_mel_weight_matrix", "dct", "idct",
           "mfccs_from_log_mel_spectrograms", "fftshift", "ifftshift", "rfft2d", "irfft2d",
           "rfft3d", "irfft3d"]

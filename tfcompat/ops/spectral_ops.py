"""Discrete Fourier transforms (TF's spectral_ops / gen_spectral_ops): FFT, IFFT and their
2-D and 3-D forms over the innermost dimensions of complex tensors, RFFT/IRFFT for real
signals; gradients as TF's (the inverse transform, scaled by the transform's size)."""
import numpy as np

from tfcompat.framework import dtypes, ops, tensor_shape
from tfcompat.framework.op_def import OpDef, constant_value, make_tensor, register_op
from tfcompat.ops import array_ops, math_ops


class _ComplexTransform(OpDef):
    """A complex-to-complex transform over the ``rank`` innermost dimensions."""

    rank = 1
    inverse = False

    def infer(self, op):
        x = op.inputs[0]
        if not x.dtype.is_complex:
            raise TypeError(f"Value passed to parameter 'input' has DataType "
                            f"{x.dtype.base_dtype.name} not in list of allowed values: "
                            "complex64, complex128")
        if x.shape.ndims is not None and x.shape.ndims < self.rank:
            raise ValueError(f"Shape must be at least rank {self.rank} but is rank "
                             f"{x.shape.ndims} for '{op.name}' (op: '{op.type}')")
        return [(x.shape, x.dtype.base_dtype)]

    def kernel(self, op, ctx):
        transform = np.fft.ifftn if self.inverse else np.fft.fftn
        axes = tuple(range(-self.rank, 0))
        return lambda x: transform(x, axes=axes).astype(x.dtype, copy=False)

    def grad(self, op, dy):
        size = math_ops.cast(math_ops.reduce_prod(array_ops.shape(dy)[-self.rank:]),
                             dy.dtype.base_dtype)
        partner = _TRANSFORMS[(self.rank, not self.inverse)]
        transformed = make_tensor(partner, [dy])
        return [transformed / size if self.inverse else transformed * size]


@register_op
class FFT(_ComplexTransform):
    pass


@register_op
class IFFT(_ComplexTransform):
    inverse = True


@register_op
class FFT2D(_ComplexTransform):
    rank = 2


@register_op
class IFFT2D(_ComplexTransform):
    rank = 2
    inverse = True


@register_op
class FFT3D(_ComplexTransform):
    rank = 3


@register_op
class IFFT3D(_ComplexTransform):
    rank = 3
    inverse = True


_TRANSFORMS = {(1, False): "FFT", (1, True): "IFFT", (2, False): "FFT2D",
               (2, True): "IFFT2D", (3, False): "FFT3D", (3, True): "IFFT3D"}


def _transform_builder(op_type):
    def builder(input, name=None):  # noqa: A002
        return make_tensor(op_type, [ops.convert_to_tensor(input)], name=name or op_type)
    builder.__name__ = op_type.lower()
    builder.__doc__ = f"``tf.{op_type.lower()}(input, name=None)``."
    return builder


fft = _transform_builder("FFT")
ifft = _transform_builder("IFFT")
fft2d = _transform_builder("FFT2D")
ifft2d = _transform_builder("IFFT2D")
fft3d = _transform_builder("FFT3D")
ifft3d = _transform_builder("IFFT3D")


class _RealTransform(OpDef):
    """RFFT (float32 → complex64, fft_length // 2 + 1 outputs) and IRFFT (back) over the
    innermost dimension; RFFT's gradient as TF's (IRFFT's is not written in tfcompat)."""

    inverse = False

    def infer(self, op):
        x, length = op.inputs
        value = constant_value(length)
        size = None if value is None else int(np.ravel(value)[0])
        if self.inverse:
            dtype = dtypes.float32 if x.dtype.base_dtype == dtypes.complex64 else dtypes.float64
        else:
            dtype = dtypes.complex64 if x.dtype.base_dtype == dtypes.float32 \
                else dtypes.complex128
            size = None if size is None else size // 2 + 1
        shape = x.shape[:-1].concatenate([size]) if x.shape.ndims else \
            tensor_shape.unknown_shape()
        return [(shape, dtype)]

    def kernel(self, op, ctx):
        transform = np.fft.irfft if self.inverse else np.fft.rfft
        out_type = self.infer(op)[0][1].as_numpy_dtype
        return lambda x, length: transform(x, n=int(np.ravel(length)[0]), axis=-1).astype(
            out_type)


@register_op
class RFFT(_RealTransform):
    def grad(self, op, dy):
        """dx_j = Re(sum_k dy_k e^(+2 pi i jk/n)): the gradient zero-filled to the full
        spectrum, IFFT times n, real part, cut or zero-padded to the input's length."""
        from tfcompat.ops import special_math_ops
        x, length = op.inputs
        rank = dy.shape.ndims
        if rank is None:
            raise ValueError("RFFT's gradient needs a tensor of known rank")
        n = length[-1]
        inner_pad = [[0, 0]] * (rank - 1)
        spectrum = array_ops.pad(dy, inner_pad + [[0, n - (n // 2 + 1)]])
        full = special_math_ops.real(make_tensor("IFFT", [spectrum]))
        full = full * math_ops.cast(n, full.dtype.base_dtype)
        input_length = array_ops.shape(x)[-1]
        grown = array_ops.pad(full, inner_pad + [[0, math_ops.maximum(input_length - n, 0)]])
        begin = array_ops.zeros([rank], dtypes.int32)
        size = array_ops.concat([array_ops.fill([rank - 1], -1), [input_length]], 0)
        return [array_ops.slice(grown, begin, size), None]


@register_op
class IRFFT(_RealTransform):
    inverse = True


def _as_vector(length):
    return length if length.shape.ndims == 1 else array_ops.reshape(length, [1])


def rfft(input_tensor, fft_length=None, name=None):
    """``tf.spectral.rfft(input_tensor, fft_length=None)``."""
    with ops.name_scope(name, "rfft", [input_tensor]) as scope:
        x = ops.convert_to_tensor(input_tensor, name="input_tensor")
        if fft_length is None:
            inner = x.shape[-1].value if x.shape.ndims else None
            fft_length = [inner] if inner is not None else array_ops.shape(x)[-1:]
        length = ops.convert_to_tensor(fft_length, dtype=dtypes.int32, name="fft_length")
        return make_tensor("RFFT", [x, _as_vector(length)], name=scope)


def irfft(input_tensor, fft_length=None, name=None):
    """``tf.spectral.irfft(input_tensor, fft_length=None)``: fft_length defaults to
    2·(inner - 1)."""
    with ops.name_scope(name, "irfft", [input_tensor]) as scope:
        x = ops.convert_to_tensor(input_tensor, name="input_tensor")
        if fft_length is None:
            inner = x.shape[-1].value if x.shape.ndims else None
            fft_length = [2 * (inner - 1)] if inner is not None else \
                2 * (array_ops.shape(x)[-1:] - 1)
        length = ops.convert_to_tensor(fft_length, dtype=dtypes.int32, name="fft_length")
        return make_tensor("IRFFT", [x, _as_vector(length)], name=scope)


__all__ = ["fft", "ifft", "fft2d", "ifft2d", "fft3d", "ifft3d"]

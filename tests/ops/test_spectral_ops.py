"""FFTs against numpy.fft, static shapes, float64 finite-difference gradients through the
real and imaginary parts, and the tf.spectral / tf.signal names."""
import numpy as np
import pytest

import tfcompat as tf
from tfcompat.test import check_gradients

rng = np.random.default_rng(21)


@pytest.mark.parametrize("builder,reference,axes", [
    (tf.fft, np.fft.fftn, (-1,)), (tf.ifft, np.fft.ifftn, (-1,)),
    (tf.fft2d, np.fft.fftn, (-2, -1)), (tf.ifft2d, np.fft.ifftn, (-2, -1)),
    (tf.fft3d, np.fft.fftn, (-3, -2, -1)), (tf.ifft3d, np.fft.ifftn, (-3, -2, -1)),
], ids=["fft", "ifft", "fft2d", "ifft2d", "fft3d", "ifft3d"])
def test_complex_transforms(builder, reference, axes):
    re, im = rng.normal(size=(2, 3, 4)), rng.normal(size=(2, 3, 4))
    z = re + 1j * im
    with tf.Graph().as_default():
        out = builder(tf.constant(z))
        assert out.shape.as_list() == [2, 3, 4] and out.dtype == tf.complex128
        np.testing.assert_allclose(tf.Session().run(out), reference(z, axes=axes), atol=1e-12)
        with pytest.raises(TypeError, match="complex64, complex128"):
            builder(tf.constant(re))
    weights = rng.normal(size=(2, 3, 4))

    def loss(a, b):
        transformed = builder(tf.complex(a, b))
        return tf.real(transformed) * weights + tf.imag(transformed)
    check_gradients(loss, re, im)


def test_real_transforms_and_namespaces():
    x = rng.normal(size=(2, 8)).astype(np.float32)
    with tf.Graph().as_default():
        spectrum = tf.spectral.rfft(x)
        assert spectrum.shape.as_list() == [2, 5] and spectrum.dtype == tf.complex64
        back = tf.signal.irfft(spectrum)
        values = tf.Session().run([spectrum, back])
    np.testing.assert_allclose(values[0], np.fft.rfft(x), rtol=1e-4, atol=1e-4)
    np.testing.assert_allclose(values[1], x, rtol=1e-4, atol=1e-5)
    assert tf.spectral.fft is tf.fft and tf.signal.ifft2d is tf.ifft2d


def test_deprecated_aliases():
    assert tf.initialize_variables is tf.variables_initializer
    assert tf.initialize_local_variables is tf.local_variables_initializer
    assert tf.no_regularizer(tf.constant(1.0)) is None
    with tf.Graph().as_default():
        init = tf.orthogonal_initializer(seed=1)([3, 3], dtype=tf.float64)
        q = tf.Session().run(init)
    np.testing.assert_allclose(q @ q.T, np.eye(3), atol=1e-12)


@pytest.mark.parametrize("length,fft_length", [(8, 8), (7, 8), (8, 6), (9, 9)],
                         ids=["same", "padded", "cropped", "odd"])
def test_rfft_gradient(length, fft_length):
    weights = rng.normal(size=(2, fft_length // 2 + 1))

    def loss(x):
        spectrum = tf.spectral.rfft(x, [fft_length])
        return tf.real(spectrum) * weights + tf.imag(spectrum)
    check_gradients(loss, rng.normal(size=(2, length)))


def test_abs_of_complex_is_the_real_magnitude():
    with tf.Graph().as_default():
        z = tf.constant([3 + 4j, 0j, -1j], dtype=tf.complex64)
        magnitude = tf.abs(z)
        assert magnitude.op.type == "ComplexAbs" and magnitude.dtype == tf.float32
        gradient = tf.gradients(magnitude, z)[0]
        values = tf.Session().run([magnitude, gradient])
    np.testing.assert_allclose(values[0], [5, 0, 1])
    np.testing.assert_allclose(values[1], [0.6 + 0.8j, 0, -1j], atol=1e-7)
    check_gradients(lambda a, b: tf.abs(tf.complex(a, b)), rng.normal(size=4),
                    rng.normal(size=4))

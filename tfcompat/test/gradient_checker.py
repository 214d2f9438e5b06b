"""Finite-difference gradient checks (``tf.test.compute_gradient``/``_error``) and
``check_gradients``, the projection check every differentiable op's test uses."""
import numpy as np

from tfcompat.client.session import Session
from tfcompat.framework import dtypes, ops
from tfcompat.ops.gradients_impl import gradients
from tfcompat.ops import array_ops, math_ops


def _session(session):
    return session if session is not None else Session()


def compute_gradient(x, x_shape, y, y_shape, x_init_value=None, delta=1e-3,
                     init_targets=None, extra_feed_dict=None, session=None):
    """Returns (theoretical, numerical) Jacobians of ``y`` w.r.t. ``x``, each of shape
    [x.size, y.size], the way TF 1.x's gradient_checker lays them out."""
    sess = _session(session)
    if init_targets:
        sess.run(init_targets)
    feed = dict(extra_feed_dict or {})
    x_dtype = x.dtype.base_dtype.as_numpy_dtype
    x_value = (np.asarray(x_init_value, dtype=x_dtype) if x_init_value is not None
               else np.random.default_rng(0).uniform(-1, 1, x_shape).astype(x_dtype))
    x_size, y_size = int(np.prod(x_shape)), int(np.prod(y_shape))
    dy = array_ops.placeholder(y.dtype.base_dtype, y_shape)
    dx = gradients(y, x, grad_ys=dy)[0]
    theoretical = np.zeros((x_size, y_size))
    for j in range(y_size):
        seed = np.zeros(y_size, dtype=y.dtype.base_dtype.as_numpy_dtype)
        seed[j] = 1
        if dx is not None:
            value = sess.run(dx, {**feed, x: x_value, dy: seed.reshape(y_shape)})
            theoretical[:, j] = np.asarray(value).ravel()
    numerical = np.zeros((x_size, y_size))
    flat = x_value.reshape(-1)
    for i in range(x_size):
        original = flat[i]
        flat[i] = original + delta
        up = np.asarray(sess.run(y, {**feed, x: x_value}), dtype=np.float64).ravel()
        flat[i] = original - delta
        down = np.asarray(sess.run(y, {**feed, x: x_value}), dtype=np.float64).ravel()
        flat[i] = original
        numerical[i, :] = (up - down) / (2 * delta)
    return theoretical, numerical


def compute_gradient_error(x, x_shape, y, y_shape, x_init_value=None, delta=1e-3,
                           init_targets=None, extra_feed_dict=None, session=None):
    """The largest absolute difference between the theoretical and numerical Jacobians."""
    theoretical, numerical = compute_gradient(x, x_shape, y, y_shape, x_init_value, delta,
                                              init_targets, extra_feed_dict, session)
    return float(np.max(np.abs(theoretical - numerical))) if theoretical.size else 0.0


def check_gradients(build, *inputs, delta=1e-6, atol=1e-7, rtol=1e-6, seed=0):
    """Checks the gradients ``build`` defines against central differences, in float64.

    ``build`` maps input tensors (placeholders holding ``inputs``) to one output tensor. The
    output is projected on a random direction u, so one backward pass checks the full
    vector-Jacobian product: d<u, f(x)>/dx analytic vs numeric, for every input element.
    Returns the largest absolute error; raises AssertionError when it exceeds the tolerance.
    """
    # C order: the finite differences perturb the inputs through flat views.
    inputs = [np.array(v, dtype=np.float64, order="C") for v in inputs]
    graph = ops.Graph()
    with graph.as_default():
        placeholders = [array_ops.placeholder(dtypes.float64, v.shape) for v in inputs]
        output = build(*placeholders)
        output = math_ops.cast(output, dtypes.float64)
        direction = array_ops.placeholder(dtypes.float64, output.shape)
        projected = math_ops.reduce_sum(output * direction)
        grads = gradients(projected, placeholders)
        with Session(graph=graph) as sess:
            feed = dict(zip(placeholders, inputs))
            out_value = np.asarray(sess.run(output, feed))
            u = np.random.default_rng(seed).uniform(0.5, 1.5, out_value.shape)
            u *= np.where(np.random.default_rng(seed + 1).random(out_value.shape) < 0.5, -1, 1)
            feed[direction] = u
            fetch = [g for g in grads if g is not None]
            analytic_values = iter(sess.run(fetch, feed))
            worst = 0.0
            for index, value in enumerate(inputs):
                analytic = (np.zeros_like(value) if grads[index] is None
                            else np.asarray(next(analytic_values)))
                numeric = np.zeros_like(value)
                flat = value.reshape(-1)
                for i in range(flat.size):
                    original = flat[i]
                    flat[i] = original + delta
                    up = sess.run(projected, feed)
                    flat[i] = original - delta
                    down = sess.run(projected, feed)
                    flat[i] = original
                    numeric.reshape(-1)[i] = (up - down) / (2 * delta)
                error = np.abs(analytic - numeric)
                bound = atol + rtol * np.abs(numeric)
                if np.any(error > bound):
                    raise AssertionError(
                        f"gradient mismatch for input {index} of shape {value.shape}:\n"
                        f"analytic:\n{analytic}\nnumeric:\n{numeric}")
                worst = max(worst, float(error.max()) if error.size else 0.0)
            return worst

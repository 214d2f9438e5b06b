"""``tf.contrib.image.interpolate_spline`` (TF 1.15 ``interpolate_spline.py``): a polyharmonic
spline through [b, n, d] train points with [b, n, k] values (phi(r) = r for order 1,
r^2 log r for order 2, r^4 log r for 4, r^order (log r for even orders) otherwise, plus a
linear term), fitted by one ``matrix_solve`` of TF's block system and evaluated at
[b, m, d] query points; ``regularization_weight`` adds a ridge to the kernel matrix.
"""
from tfcompat.framework import ops
from tfcompat.ops import array_ops, linalg_ops, math_ops

#: Keeps log and sqrt of squared distances finite (TF's EPSILON).
EPSILON = 0.0000000001


def _cross_squared_distance_matrix(x, y):
    """[b, n, m] squared distances between the rows of x [b, n, d] and y [b, m, d]."""
    x_norm_squared = array_ops.expand_dims(math_ops.reduce_sum(math_ops.square(x), 2), 2)
    y_norm_squared = array_ops.expand_dims(math_ops.reduce_sum(math_ops.square(y), 2), 1)
    x_y_transpose = math_ops.matmul(x, y, adjoint_b=True)
    return x_norm_squared - 2 * x_y_transpose + y_norm_squared


def _pairwise_squared_distance_matrix(x):
    """[b, n, n] squared distances between the rows of x [b, n, d]."""
    x_x_transpose = math_ops.matmul(x, x, adjoint_b=True)
    x_norm_squared = array_ops.expand_dims(linalg_ops.matrix_diag_part(x_x_transpose), 2)
    return (x_norm_squared - 2 * x_x_transpose
            + array_ops.transpose(x_norm_squared, [0, 2, 1]))


def _phi(r, order):
    """The spline kernel of squared distances ``r``."""
    with ops.name_scope("phi"):
        if order == 1:
            return math_ops.sqrt(math_ops.maximum(r, EPSILON))
        if order == 2:
            return 0.5 * r * math_ops.log(math_ops.maximum(r, EPSILON))
        if order == 4:
            return 0.5 * math_ops.square(r) * math_ops.log(math_ops.maximum(r, EPSILON))
        r = math_ops.maximum(r, EPSILON)
        if order % 2 == 0:
            return 0.5 * math_ops.pow(r, 0.5 * order) * math_ops.log(r)
        return math_ops.pow(r, 0.5 * order)


def _solve_interpolation(train_points, train_values, order, regularization_weight):
    """(w [b, n, k], v [b, d + 1, k]): the kernel and linear weights."""
    b, n, d = train_points.shape.as_list()
    k = train_values.shape.as_list()[2]
    c, f = train_points, train_values
    with ops.name_scope("construct_linear_system"):
        matrix_a = _phi(_pairwise_squared_distance_matrix(c), order)
        if regularization_weight > 0:
            matrix_a += regularization_weight * array_ops.expand_dims(
                array_ops.eye(n, dtype=c.dtype), 0)
        matrix_b = array_ops.concat([c, array_ops.ones_like(c[..., :1])], 2)
        left_block = array_ops.concat([matrix_a, array_ops.transpose(matrix_b, [0, 2, 1])], 1)
        lhs_zeros = array_ops.zeros([b, d + 1, d + 1], c.dtype)
        right_block = array_ops.concat([matrix_b, lhs_zeros], 1)
        lhs = array_ops.concat([left_block, right_block], 2)
        rhs = array_ops.concat([f, array_ops.zeros([b, d + 1, k], c.dtype)], 1)
    with ops.name_scope("solve_linear_system"):
        w_v = linalg_ops.matrix_solve(lhs, rhs)
        return w_v[:, :n, :], w_v[:, n:, :]


def _apply_interpolation(query_points, train_points, w, v, order):
    rbf_term = math_ops.matmul(
        _phi(_cross_squared_distance_matrix(query_points, train_points), order), w)
    query_points_pad = array_ops.concat(
        [query_points, array_ops.ones_like(query_points[..., :1])], 2)
    return rbf_term + math_ops.matmul(query_points_pad, v)


def interpolate_spline(train_points, train_values, query_points, order,
                       regularization_weight=0.0, name="interpolate_spline"):
    """The spline's values [b, m, k] at ``query_points`` (static b, n, d, k required)."""
    with ops.name_scope(name):
        train_points = ops.convert_to_tensor(train_points)
        train_values = ops.convert_to_tensor(train_values)
        query_points = ops.convert_to_tensor(query_points)
        with ops.name_scope("solve"):
            w, v = _solve_interpolation(train_points, train_values, order,
                                        regularization_weight)
        with ops.name_scope("predict"):
            return _apply_interpolation(query_points, train_points, w, v, order)

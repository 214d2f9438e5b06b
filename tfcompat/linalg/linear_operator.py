"""``tf.linalg.LinearOperator`` and its structured subclasses (TF's ops/linalg/linear_operator*.py).

Each operator knows its static shape and how to build its dense matrix; the generic methods
(matmul, solve, determinant ...) work on that matrix through the linalg ops, so gradients
flow through them. Diagonal and triangular operators take their cheaper paths for the
determinant and solves, as TF's do."""
import numpy as np

from tfcompat.framework import dtypes, ops, tensor_shape
from tfcompat.framework.op_def import constant_value
from tfcompat.ops import array_ops, linalg_ops, math_ops


class LinearOperator:
    """Base class: a (batch of) [M, N] linear operators with TF's hints and methods.
    Subclasses give ``_shape()`` (a TensorShape) and ``_to_dense()``."""

    def __init__(self, dtype, graph_parents=None, is_non_singular=None, is_self_adjoint=None,
                 is_positive_definite=None, is_square=None, name=None):
        if is_positive_definite:
            if is_non_singular is False:
                raise ValueError("A positive definite matrix is always non-singular.")
            is_non_singular = True
        self._dtype = dtypes.as_dtype(dtype) if dtype is not None else None
        self._graph_parents = list(graph_parents or [])
        self._is_non_singular = is_non_singular
        self._is_self_adjoint = is_self_adjoint
        self._is_positive_definite = is_positive_definite
        self._is_square_hint = is_square
        self._name = name or type(self).__name__

    # ---- hints and shapes
    dtype = property(lambda self: self._dtype)
    name = property(lambda self: self._name)
    graph_parents = property(lambda self: self._graph_parents)
    is_non_singular = property(lambda self: self._is_non_singular)
    is_self_adjoint = property(lambda self: self._is_self_adjoint)
    is_positive_definite = property(lambda self: self._is_positive_definite)

    @property
    def is_square(self):
        rows, cols = self.shape[-2].value, self.shape[-1].value
        if rows is not None and cols is not None:
            return rows == cols
        return self._is_square_hint

    @property
    def shape(self):
        return self._shape()

    @property
    def batch_shape(self):
        return self.shape[:-2]

    @property
    def tensor_rank(self):
        return self.shape.ndims

    @property
    def domain_dimension(self):
        return self.shape[-1]

    @property
    def range_dimension(self):
        return self.shape[-2]

    def _scope(self, name, values=()):
        return ops.name_scope(self.name, values=list(values)) if name is None else \
            _nested_scope(self.name, name, values)

    def shape_tensor(self, name="shape_tensor"):
        with self._scope(name):
            if self.shape.is_fully_defined():
                return array_ops.constant(self.shape.as_list(), dtype=dtypes.int32)
            return array_ops.shape(self.to_dense())

    def batch_shape_tensor(self, name="batch_shape_tensor"):
        with self._scope(name):
            return self.shape_tensor()[:-2]

    def tensor_rank_tensor(self, name="tensor_rank_tensor"):
        with self._scope(name):
            return array_ops.size(self.shape_tensor())

    def domain_dimension_tensor(self, name="domain_dimension_tensor"):
        with self._scope(name):
            return self.shape_tensor()[-1]

    def range_dimension_tensor(self, name="range_dimension_tensor"):
        with self._scope(name):
            return self.shape_tensor()[-2]

    # ---- dense forms
    def to_dense(self, name="to_dense"):
        with self._scope(name):
            return self._to_dense()

    def diag_part(self, name="diag_part"):
        with self._scope(name):
            return linalg_ops.matrix_diag_part(self._to_dense())

    def trace(self, name="trace"):
        with self._scope(name):
            return math_ops.reduce_sum(self.diag_part(), axis=[-1])

    def add_to_tensor(self, x, name="add_to_tensor"):
        with self._scope(name, [x]):
            return self._to_dense() + ops.convert_to_tensor(x, name="x")

    # ---- products and solves
    def matmul(self, x, adjoint=False, adjoint_arg=False, name="matmul"):
        if isinstance(x, LinearOperator):
            left = LinearOperatorAdjoint(self) if adjoint else self
            right = LinearOperatorAdjoint(x) if adjoint_arg else x
            return LinearOperatorComposition([left, right])
        with self._scope(name, [x]):
            x = ops.convert_to_tensor(x, name="x")
            return math_ops.matmul(self._to_dense(), x, adjoint_a=adjoint, adjoint_b=adjoint_arg)

    def __matmul__(self, other):
        return self.matmul(other)

    def matvec(self, x, adjoint=False, name="matvec"):
        with self._scope(name, [x]):
            x = ops.convert_to_tensor(x, name="x")
            product = self.matmul(array_ops.expand_dims(x, -1), adjoint=adjoint)
            return array_ops.squeeze(product, axis=[-1])

    def solve(self, rhs, adjoint=False, adjoint_arg=False, name="solve"):
        if self.is_non_singular is False:
            raise NotImplementedError("Exact solve not implemented for an operator that is "
                                      "expected to be singular.")
        if self.is_square is False:
            raise NotImplementedError("Exact solve not implemented for an operator that is "
                                      "expected to not be square.")
        with self._scope(name, [rhs]):
            rhs = ops.convert_to_tensor(rhs, name="rhs")
            if adjoint_arg:
                rhs = array_ops.matrix_transpose(rhs, conjugate=True)
            return self._solve(rhs, adjoint)

    def _solve(self, rhs, adjoint):
        return linalg_ops.matrix_solve(self._to_dense(), rhs, adjoint=adjoint)

    def solvevec(self, rhs, adjoint=False, name="solve"):
        with self._scope(name, [rhs]):
            rhs = ops.convert_to_tensor(rhs, name="rhs")
            solution = self.solve(array_ops.expand_dims(rhs, -1), adjoint=adjoint)
            return array_ops.squeeze(solution, axis=[-1])

    # ---- determinants
    def _check_square(self, what):
        if self.is_square is False:
            raise NotImplementedError(f"{what} not implemented for an operator that is "
                                      "expected to not be square.")

    def determinant(self, name="det"):
        self._check_square("Determinant")
        with self._scope(name):
            return self._determinant()

    def _determinant(self):
        return linalg_ops.matrix_determinant(self._to_dense())

    def log_abs_determinant(self, name="log_abs_det"):
        self._check_square("Determinant")
        with self._scope(name):
            return self._log_abs_determinant()

    def _log_abs_determinant(self):
        return linalg_ops.log_matrix_determinant(self._to_dense())[1]

    # ---- derived operators
    def adjoint(self, name="adjoint"):
        if self.is_self_adjoint:
            return self
        return LinearOperatorAdjoint(self)

    H = property(lambda self: self.adjoint())

    def inverse(self, name="inverse"):
        if self.is_square is False:
            raise ValueError("Cannot take the Inverse: This operator represents a non square "
                             "matrix.")
        if self.is_non_singular is False:
            raise ValueError("Cannot take the Inverse: This operator represents a singular "
                             "matrix.")
        return LinearOperatorInversion(self)

    def cholesky(self, name="cholesky"):
        if not self.is_positive_definite or not self.is_self_adjoint:
            raise ValueError("Cholesky decomposition only exists for self-adjoint positive "
                             "definite operators.")
        return LinearOperatorLowerTriangular(linalg_ops.cholesky(self.to_dense()),
                                             is_non_singular=True, is_square=True)

    # ---- run-time checks
    def assert_non_singular(self, name="assert_non_singular"):
        from tfcompat.ops import check_ops
        with self._scope(name):
            singular_values = linalg_ops.svd(self._to_dense(), compute_uv=False)
            smallest = math_ops.reduce_min(singular_values, axis=[-1])
            largest = math_ops.reduce_max(singular_values, axis=[-1])
            eps = np.finfo(self.dtype.as_numpy_dtype).eps
            return check_ops.assert_less(
                largest * eps, smallest,
                message="Singular matrix up to precision epsilon.")

    def assert_positive_definite(self, name="assert_positive_definite"):
        from tfcompat.ops import check_ops
        with self._scope(name):
            return check_ops.verify_tensor_all_finite(
                linalg_ops.cholesky(self._to_dense()), "Matrix is not positive definite.").op

    def assert_self_adjoint(self, name="assert_self_adjoint"):
        from tfcompat.ops import check_ops
        with self._scope(name):
            dense = self._to_dense()
            return check_ops.assert_equal(dense, array_ops.matrix_transpose(
                dense, conjugate=True), message="Matrix was not equal to its adjoint.")


def _nested_scope(outer, inner, values):
    """name_scope(outer) then name_scope(inner), as one context manager."""
    import contextlib

    @contextlib.contextmanager
    def scope():
        with ops.name_scope(outer, values=list(values)):
            with ops.name_scope(inner) as name:
                yield name
    return scope()


def _static_int(value):
    """A Python int from an int or a constant tensor, else None."""
    if isinstance(value, (int, np.integer)):
        return int(value)
    known = constant_value(ops.convert_to_tensor(value))
    return None if known is None else int(known)


class LinearOperatorFullMatrix(LinearOperator):
    """``tf.linalg.LinearOperatorFullMatrix(matrix, ...)``: the given [..., M, N] matrix."""

    def __init__(self, matrix, is_non_singular=None, is_self_adjoint=None,
                 is_positive_definite=None, is_square=None, name="LinearOperatorFullMatrix"):
        with ops.name_scope(name, values=[matrix]):
            self._matrix = ops.convert_to_tensor(matrix, name="matrix")
        if self._matrix.shape.ndims is not None and self._matrix.shape.ndims < 2:
            raise ValueError(f"Argument matrix must have at least 2 dimensions.  Found: "
                             f"{self._matrix}")
        super().__init__(self._matrix.dtype.base_dtype, [self._matrix], is_non_singular,
                         is_self_adjoint, is_positive_definite, is_square, name)

    def _shape(self):
        return self._matrix.shape

    def _to_dense(self):
        return self._matrix


class LinearOperatorDiag(LinearOperator):
    """``tf.linalg.LinearOperatorDiag(diag, ...)``: the square diagonal matrix of ``diag``."""

    def __init__(self, diag, is_non_singular=None, is_self_adjoint=None,
                 is_positive_definite=None, is_square=True, name="LinearOperatorDiag"):
        if is_square is False:
            raise ValueError("Only square diagonal operators currently supported.")
        with ops.name_scope(name, values=[diag]):
            self._diag = ops.convert_to_tensor(diag, name="diag")
        if self._diag.shape.ndims == 0:
            raise ValueError(f"Argument diag must have at least 1 dimension.  Found: "
                             f"{self._diag}")
        if is_self_adjoint is None and not self._diag.dtype.is_complex:
            is_self_adjoint = True
        super().__init__(self._diag.dtype.base_dtype, [self._diag], is_non_singular,
                         is_self_adjoint, is_positive_definite, True, name)

    diag = property(lambda self: self._diag)

    def _shape(self):
        return self._diag.shape.concatenate(self._diag.shape[-1:])

    def _to_dense(self):
        return linalg_ops.matrix_diag(self._diag)

    def diag_part(self, name="diag_part"):
        with self._scope(name):
            return array_ops.identity(self._diag)

    def _solve(self, rhs, adjoint):
        return rhs / array_ops.expand_dims(self._diag, -1)

    def _determinant(self):
        return math_ops.reduce_prod(self._diag, axis=[-1])

    def _log_abs_determinant(self):
        return math_ops.reduce_sum(math_ops.log(math_ops.abs(self._diag)), axis=[-1])


class LinearOperatorLowerTriangular(LinearOperator):
    """``tf.linalg.LinearOperatorLowerTriangular(tril, ...)``: the lower triangle of
    ``tril`` (the rest is ignored)."""

    def __init__(self, tril, is_non_singular=None, is_self_adjoint=None,
                 is_positive_definite=None, is_square=None,
                 name="LinearOperatorLowerTriangular"):
        if is_square is False:
            raise ValueError("Only square lower triangular operators supported at this time.")
        with ops.name_scope(name, values=[tril]):
            self._tril = linalg_ops.matrix_band_part(ops.convert_to_tensor(tril, name="tril"),
                                                     -1, 0)
        super().__init__(self._tril.dtype.base_dtype, [self._tril], is_non_singular,
                         is_self_adjoint, is_positive_definite, True, name)

    def _shape(self):
        return self._tril.shape

    def _to_dense(self):
        return self._tril

    def _solve(self, rhs, adjoint):
        return linalg_ops.matrix_triangular_solve(self._tril, rhs, lower=True, adjoint=adjoint)

    def _determinant(self):
        return math_ops.reduce_prod(linalg_ops.matrix_diag_part(self._tril), axis=[-1])

    def _log_abs_determinant(self):
        return math_ops.reduce_sum(
            math_ops.log(math_ops.abs(linalg_ops.matrix_diag_part(self._tril))), axis=[-1])


class _SizedOperator(LinearOperator):
    """Operators given by sizes (identity, zeros): static ``num_rows`` etc."""

    def _sizes(self, num_rows, num_columns, batch_shape):
        rows = _static_int(num_rows)
        columns = rows if num_columns is None else _static_int(num_columns)
        if rows is None or columns is None:
            raise ValueError("tfcompat: num_rows and num_columns must be known at graph "
                             "construction")
        if rows < 0 or columns < 0:
            raise ValueError(f"Argument num_rows must be non-negative.  Found: {rows}")
        batch = [] if batch_shape is None else [int(d) for d in np.ravel(
            constant_value(ops.convert_to_tensor(batch_shape, dtype=dtypes.int32))
            if not isinstance(batch_shape, (list, tuple)) else batch_shape)]
        self._rows, self._columns, self._batch = rows, columns, batch

    def _shape(self):
        return tensor_shape.TensorShape(self._batch + [self._rows, self._columns])


class LinearOperatorIdentity(_SizedOperator):
    """``tf.linalg.LinearOperatorIdentity(num_rows, batch_shape=None, dtype=None, ...)``."""

    def __init__(self, num_rows, batch_shape=None, dtype=None, is_non_singular=True,
                 is_self_adjoint=True, is_positive_definite=True, is_square=True,
                 assert_proper_shapes=False, name="LinearOperatorIdentity"):
        self._sizes(num_rows, None, batch_shape)
        super().__init__(dtype or dtypes.float32, None, is_non_singular, is_self_adjoint,
                         is_positive_definite, is_square, name)

    def _to_dense(self):
        return array_ops.eye(self._rows, batch_shape=self._batch or None, dtype=self.dtype)

    def _solve(self, rhs, adjoint):
        return rhs + array_ops.zeros(self._batch + [self._rows, 1], dtype=self.dtype)

    def _determinant(self):
        return array_ops.ones(self._batch, dtype=self.dtype)

    def _log_abs_determinant(self):
        return array_ops.zeros(self._batch, dtype=self.dtype)


class LinearOperatorScaledIdentity(_SizedOperator):
    """``tf.linalg.LinearOperatorScaledIdentity(num_rows, multiplier, ...)``: multiplier · I
    (the multiplier's shape is the batch shape)."""

    def __init__(self, num_rows, multiplier, is_non_singular=None, is_self_adjoint=None,
                 is_positive_definite=None, is_square=True, assert_proper_shapes=False,
                 name="LinearOperatorScaledIdentity"):
        with ops.name_scope(name, values=[multiplier]):
            self._multiplier = ops.convert_to_tensor(multiplier, name="multiplier")
        if self._multiplier.shape.ndims is None:
            raise ValueError("tfcompat: the multiplier's rank must be known")
        self._sizes(num_rows, None, self._multiplier.shape.as_list())
        super().__init__(self._multiplier.dtype.base_dtype, [self._multiplier],
                         is_non_singular, is_self_adjoint, is_positive_definite, is_square,
                         name)

    multiplier = property(lambda self: self._multiplier)

    def _scale(self):
        return array_ops.expand_dims(array_ops.expand_dims(self._multiplier, -1), -1)

    def _to_dense(self):
        return self._scale() * array_ops.eye(self._rows, dtype=self.dtype)

    def _solve(self, rhs, adjoint):
        return rhs / self._scale()

    def _determinant(self):
        return math_ops.pow(self._multiplier, array_ops.constant(self._rows, dtype=self.dtype))

    def _log_abs_determinant(self):
        return array_ops.constant(self._rows, dtype=self.dtype) * math_ops.log(
            math_ops.abs(self._multiplier))


class LinearOperatorZeros(_SizedOperator):
    """``tf.linalg.LinearOperatorZeros(num_rows, num_columns=None, batch_shape=None, ...)``."""

    def __init__(self, num_rows, num_columns=None, batch_shape=None, dtype=None,
                 is_non_singular=False, is_self_adjoint=True, is_positive_definite=False,
                 is_square=True, assert_proper_shapes=False, name="LinearOperatorZeros"):
        if is_non_singular:
            raise ValueError("A Zeros operator is always singular.")
        self._sizes(num_rows, num_columns, batch_shape)
        super().__init__(dtype or dtypes.float32, None, is_non_singular,
                         is_self_adjoint if self._rows == self._columns else False,
                         is_positive_definite, self._rows == self._columns, name)

    def _to_dense(self):
        return array_ops.zeros(self._batch + [self._rows, self._columns], dtype=self.dtype)

    def _determinant(self):
        return array_ops.zeros(self._batch, dtype=self.dtype)


class _Combination(LinearOperator):
    """Operators built from others (composition, Kronecker, block diagonal)."""

    def __init__(self, operators, joiner, hints, name):
        operators = list(operators)
        if not operators:
            raise ValueError(f"Expected a non-empty list of operators. Found: {operators}")
        dtype = operators[0].dtype
        for operator in operators[1:]:
            if operator.dtype != dtype:
                raise TypeError(f"Expected all operators to have the same dtype.  Found "
                                f"{operator.dtype} in {operator.name} and {dtype} in "
                                f"{operators[0].name}.")
        self._operators = operators
        super().__init__(dtype, None, *hints, name=name or joiner.join(o.name for o in operators))

    operators = property(lambda self: self._operators)

    def _dense_parts(self):
        return [operator.to_dense() for operator in self._operators]


class LinearOperatorComposition(_Combination):
    """``tf.linalg.LinearOperatorComposition(operators, ...)``: their product, left to
    right."""

    def __init__(self, operators, is_non_singular=None, is_self_adjoint=None,
                 is_positive_definite=None, is_square=None, name=None):
        super().__init__(operators, "_o_", (is_non_singular, is_self_adjoint,
                                            is_positive_definite, is_square), name)

    def _shape(self):
        first, last = self._operators[0].shape, self._operators[-1].shape
        return first[:-1].concatenate(last[-1:])

    def _to_dense(self):
        parts = self._dense_parts()
        product = parts[0]
        for part in parts[1:]:
            product = math_ops.matmul(product, part)
        return product


class LinearOperatorKronecker(_Combination):
    """``tf.linalg.LinearOperatorKronecker(operators, ...)``: their Kronecker product."""

    def __init__(self, operators, is_non_singular=None, is_self_adjoint=None,
                 is_positive_definite=None, is_square=None, name=None):
        super().__init__(operators, "_x_", (is_non_singular, is_self_adjoint,
                                            is_positive_definite, is_square), name)

    def _shape(self):
        rows = cols = 1
        for operator in self._operators:
            rows = None if rows is None or operator.shape[-2].value is None \
                else rows * operator.shape[-2].value
            cols = None if cols is None or operator.shape[-1].value is None \
                else cols * operator.shape[-1].value
        return self._operators[0].batch_shape.concatenate([rows, cols])

    def _to_dense(self):
        shape = self.shape
        if not shape.is_fully_defined():
            raise ValueError("tfcompat: LinearOperatorKronecker needs static shapes")
        parts = self._dense_parts()
        product = parts[0]
        for part in parts[1:]:
            rows, cols = product.shape[-2].value, product.shape[-1].value
            p_rows, p_cols = part.shape[-2].value, part.shape[-1].value
            expanded = (array_ops.expand_dims(array_ops.expand_dims(product, -1), -3)
                        * array_ops.expand_dims(array_ops.expand_dims(part, -2), -4))
            product = array_ops.reshape(expanded, shape[:-2].as_list()
                                        + [rows * p_rows, cols * p_cols])
        return product


class LinearOperatorBlockDiag(_Combination):
    """``tf.linalg.LinearOperatorBlockDiag(operators, ...)``: the square blocks on the
    diagonal of a larger operator."""

    def __init__(self, operators, is_non_singular=None, is_self_adjoint=None,
                 is_positive_definite=None, is_square=True, name=None):
        super().__init__(operators, "_ds_", (is_non_singular, is_self_adjoint,
                                             is_positive_definite, True), name)

    def _shape(self):
        rows = cols = 0
        for operator in self._operators:
            rows = None if rows is None or operator.shape[-2].value is None \
                else rows + operator.shape[-2].value
            cols = None if cols is None or operator.shape[-1].value is None \
                else cols + operator.shape[-1].value
        return self._operators[0].batch_shape.concatenate([rows, cols])

    def _to_dense(self):
        shape = self.shape
        if not shape.is_fully_defined():
            raise ValueError("tfcompat: LinearOperatorBlockDiag needs static shapes")
        batch = [[0, 0]] * (shape.ndims - 2)
        total_rows, total_cols = shape[-2].value, shape[-1].value
        dense, row, col = None, 0, 0
        for part in self._dense_parts():
            rows, cols = part.shape[-2].value, part.shape[-1].value
            placed = array_ops.pad(part, batch + [[row, total_rows - row - rows],
                                                  [col, total_cols - col - cols]])
            dense = placed if dense is None else dense + placed
            row, col = row + rows, col + cols
        return dense


class LinearOperatorInversion(LinearOperator):
    """``tf.linalg.LinearOperatorInversion(operator, ...)``: the inverse of ``operator``."""

    def __init__(self, operator, is_non_singular=None, is_self_adjoint=None,
                 is_positive_definite=None, is_square=None, name=None):
        self._operator = operator
        super().__init__(operator.dtype, None, True if is_non_singular is None
                         else is_non_singular, operator.is_self_adjoint
                         if is_self_adjoint is None else is_self_adjoint,
                         operator.is_positive_definite if is_positive_definite is None
                         else is_positive_definite, True, name or operator.name + "_inv")

    operator = property(lambda self: self._operator)

    def _shape(self):
        return self._operator.shape

    def _to_dense(self):
        return linalg_ops.matrix_inverse(self._operator.to_dense())

    def _solve(self, rhs, adjoint):
        return self._operator.matmul(rhs, adjoint=adjoint)

    def _determinant(self):
        return math_ops.reciprocal(self._operator.determinant())

    def _log_abs_determinant(self):
        return math_ops.negative(self._operator.log_abs_determinant())


class LinearOperatorAdjoint(LinearOperator):
    """``tf.linalg.LinearOperatorAdjoint(operator, ...)``: the adjoint of ``operator``."""

    def __init__(self, operator, is_non_singular=None, is_self_adjoint=None,
                 is_positive_definite=None, is_square=None, name=None):
        self._operator = operator
        super().__init__(operator.dtype, None,
                         operator.is_non_singular if is_non_singular is None
                         else is_non_singular,
                         operator.is_self_adjoint if is_self_adjoint is None
                         else is_self_adjoint,
                         operator.is_positive_definite if is_positive_definite is None
                         else is_positive_definite, is_square,
                         name or operator.name + "_adjoint")

    operator = property(lambda self: self._operator)

    def _shape(self):
        shape = self._operator.shape
        return shape[:-2].concatenate([shape[-1], shape[-2]])

    def _to_dense(self):
        return array_ops.matrix_transpose(self._operator.to_dense(), conjugate=True)

    def _solve(self, rhs, adjoint):
        return self._operator.solve(rhs, adjoint=not adjoint)

    def _determinant(self):
        return self._operator.determinant()

    def _log_abs_determinant(self):
        return self._operator.log_abs_determinant()


class LinearOperatorLowRankUpdate(LinearOperator):
    """``tf.linalg.LinearOperatorLowRankUpdate(base_operator, u, diag_update=None, v=None)``:
    base + U diag(diag_update) Vᴴ (V defaults to U, diag_update to ones)."""

    def __init__(self, base_operator, u, diag_update=None, v=None,
                 is_diag_update_positive=None, is_non_singular=None, is_self_adjoint=None,
                 is_positive_definite=None, is_square=None, name="LinearOperatorLowRankUpdate"):
        with ops.name_scope(name, values=[u, diag_update, v]):
            self._u = ops.convert_to_tensor(u, name="u", dtype=base_operator.dtype)
            self._v = self._u if v is None else ops.convert_to_tensor(
                v, name="v", dtype=base_operator.dtype)
            self._diag_update = None if diag_update is None else ops.convert_to_tensor(
                diag_update, name="diag_update", dtype=base_operator.dtype)
        self._base = base_operator
        if is_self_adjoint is None and v is None and base_operator.is_self_adjoint:
            is_self_adjoint = True
        super().__init__(base_operator.dtype, None, is_non_singular, is_self_adjoint,
                         is_positive_definite, is_square, name)

    base_operator = property(lambda self: self._base)
    u = property(lambda self: self._u)
    v = property(lambda self: self._v)
    diag_update = property(lambda self: self._diag_update)

    def _shape(self):
        return self._base.shape

    def _to_dense(self):
        u = self._u
        if self._diag_update is not None:
            u = u * array_ops.expand_dims(self._diag_update, -2)
        return self._base.to_dense() + math_ops.matmul(u, self._v, adjoint_b=True)


class LinearOperatorHouseholder(LinearOperator):
    """``tf.linalg.LinearOperatorHouseholder(reflection_axis, ...)``: I - 2vvᴴ/(vᴴv), the
    reflection through the hyperplane orthogonal to v."""

    def __init__(self, reflection_axis, is_non_singular=None, is_self_adjoint=None,
                 is_positive_definite=None, is_square=None, name="LinearOperatorHouseholder"):
        if is_self_adjoint is False:
            raise ValueError("A Householder operator is always self adjoint.")
        if is_non_singular is False:
            raise ValueError("A Householder operator is always non-singular.")
        if is_positive_definite is True:
            raise ValueError("A Householder operator is always non-positive definite.")
        if is_square is False:
            raise ValueError("A Householder operator is always square.")
        with ops.name_scope(name, values=[reflection_axis]):
            self._axis = ops.convert_to_tensor(reflection_axis, name="reflection_axis")
        super().__init__(self._axis.dtype.base_dtype, [self._axis], True, True,
                         is_positive_definite, True, name)

    reflection_axis = property(lambda self: self._axis)

    def _shape(self):
        return self._axis.shape.concatenate(self._axis.shape[-1:])

    def _to_dense(self):
        v = array_ops.expand_dims(self._axis, -1)
        outer = math_ops.matmul(v, v, adjoint_b=True)
        norm = math_ops.reduce_sum(self._axis * self._axis, axis=[-1], keepdims=True)
        size = self._axis.shape[-1].value
        identity = array_ops.eye(size if size is not None else array_ops.shape(self._axis)[-1],
                                 dtype=self.dtype)
        return identity - 2.0 * outer / array_ops.expand_dims(norm, -1)

    def _determinant(self):
        return -array_ops.ones(array_ops.shape(self._axis)[:-1], dtype=self.dtype)

    def _log_abs_determinant(self):
        return array_ops.zeros(array_ops.shape(self._axis)[:-1], dtype=self.dtype)


class LinearOperatorPermutation(LinearOperator):
    """``tf.linalg.LinearOperatorPermutation(perm, dtype=tf.float32, ...)``: the matrix
    with a one in row i at column perm[i]."""

    def __init__(self, perm, dtype=dtypes.float32, is_non_singular=None, is_self_adjoint=None,
                 is_positive_definite=None, is_square=None, name="LinearOperatorPermutation"):
        with ops.name_scope(name, values=[perm]):
            self._perm = ops.convert_to_tensor(perm, name="perm")
        if not self._perm.dtype.is_integer:
            raise TypeError(f"Argument perm must be integer dtype. Found: {self._perm}")
        super().__init__(dtype, [self._perm], True, is_self_adjoint, is_positive_definite,
                         True, name)

    perm = property(lambda self: self._perm)

    def _shape(self):
        return self._perm.shape.concatenate(self._perm.shape[-1:])

    def _to_dense(self):
        size = self._perm.shape[-1].value
        if size is None:
            size = array_ops.shape(self._perm)[-1]
        return array_ops.one_hot(self._perm, size, dtype=self.dtype)


class LinearOperatorToeplitz(LinearOperator):
    """``tf.linalg.LinearOperatorToeplitz(col, row, ...)``: T[i, j] = col[i - j] on and below
    the diagonal, row[j - i] above it (row[0] is ignored)."""

    def __init__(self, col, row, is_non_singular=None, is_self_adjoint=None,
                 is_positive_definite=None, is_square=None, name="LinearOperatorToeplitz"):
        with ops.name_scope(name, values=[row, col]):
            self._row = ops.convert_to_tensor(row, name="row")
            self._col = ops.convert_to_tensor(col, name="col", dtype=self._row.dtype)
        super().__init__(self._row.dtype.base_dtype, [self._row, self._col], is_non_singular,
                         is_self_adjoint, is_positive_definite, True, name)

    row = property(lambda self: self._row)
    col = property(lambda self: self._col)

    def _shape(self):
        shape = self._col.shape
        return shape.concatenate(shape[-1:]) if shape.ndims is not None else shape

    def _to_dense(self):
        size = self._col.shape[-1].value
        if size is None:
            raise ValueError("tfcompat: LinearOperatorToeplitz needs the size statically")
        values = array_ops.concat([array_ops.reverse(self._row[..., 1:], [-1]), self._col], -1)
        index = size - 1 + np.arange(size)[:, None] - np.arange(size)[None, :]
        return array_ops.gather(values, index.astype(np.int32), axis=-1)

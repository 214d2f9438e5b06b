"""tf.Dimension and tf.TensorShape (tfcompat/framework/tensor_shape.py) as in TF 1.x."""
import pickle

import numpy as np
import pytest

import tfcompat as tf
from tfcompat.framework import tensor_shape
from tfcompat.framework.tensor_shape import Dimension, TensorShape


def test_dimension_values_and_errors():
    assert Dimension(3).value == 3 and Dimension(None).value is None
    assert Dimension(Dimension(4)).value == 4 and Dimension(np.int64(5)).value == 5
    assert Dimension("7").value == 7
    assert str(Dimension(None)) == "?" and repr(Dimension(3)) == "Dimension(3)"
    assert int(Dimension(3)) == 3 and [0, 1, 2, 3][Dimension(2)] == 2
    with pytest.raises(ValueError, match="Dimension -1 must be >= 0"):
        Dimension(-1)
    with pytest.raises(ValueError, match="Ambiguous dimension: 1.5"):
        Dimension(1.5)
    with pytest.raises(TypeError):
        Dimension([1])
    with pytest.raises(TypeError):
        Dimension(tf.float32)


def test_dimension_equality_is_unknown_for_unknown_dims():
    assert Dimension(3) == 3 and Dimension(3) == Dimension(3)
    assert (Dimension(3) == Dimension(4)) is False and Dimension(3) != 4
    assert (Dimension(None) == 3) is None and (Dimension(None) != Dimension(None)) is None
    assert (Dimension(3) == "x") is False
    assert (Dimension(2) < 3) is True and (Dimension(None) < 3) is None
    assert Dimension(3) >= 3 and Dimension(4) > Dimension(3) and Dimension(3) <= 3


def test_dimension_arithmetic():
    assert (Dimension(3) + 4).value == 7 and (4 + Dimension(3)).value == 7
    assert (Dimension(3) * Dimension(None)).value is None
    assert (Dimension(7) // 2).value == 3 and (7 // Dimension(2)).value == 3
    assert (Dimension(7) % 4).value == 3 and (10 - Dimension(3)).value == 7
    with pytest.raises(TypeError, match="please use // instead"):
        Dimension(4) / 2


def test_dimension_merge_and_compatibility():
    assert Dimension(None).merge_with(3).value == 3
    assert Dimension(3).merge_with(None).value == 3
    assert Dimension(3).is_compatible_with(None) and not Dimension(3).is_compatible_with(4)
    with pytest.raises(ValueError, match="Dimensions 3 and 4 are not compatible"):
        Dimension(3).merge_with(4)
    assert tensor_shape.dimension_value(Dimension(5)) == 5
    assert tensor_shape.dimension_value(5) == 5


def test_shape_printing_like_tf1():
    assert str(TensorShape([None, 784])) == "(?, 784)"
    assert str(TensorShape([300])) == "(300,)"
    assert str(TensorShape([])) == "()"
    assert str(TensorShape(None)) == "<unknown>"
    assert repr(TensorShape([None, 3])) == "TensorShape([Dimension(None), Dimension(3)])"
    assert repr(TensorShape(None)) == "TensorShape(None)"


def test_shape_properties():
    s = TensorShape([None, 784])
    assert s.ndims == 2 and s.rank == 2 and len(s) == 2
    assert s.as_list() == [None, 784] and [d.value for d in s.dims] == [None, 784]
    assert s[1].value == 784 and s[0].value is None and s[-1].value == 784
    assert s[1:].as_list() == [784]
    assert not s.is_fully_defined() and s.num_elements() is None
    full = TensorShape([2, 3, 4])
    assert full.is_fully_defined() and full.num_elements() == 24
    assert TensorShape([]).num_elements() == 1
    unknown = TensorShape(None)
    assert unknown.ndims is None and unknown.dims is None and not unknown
    assert unknown[0].value is None
    assert unknown[1:3].as_list() == [None, None] and unknown[1:].ndims is None
    with pytest.raises(ValueError, match="as_list\\(\\) is not defined on an unknown"):
        unknown.as_list()
    with pytest.raises(ValueError, match="Cannot take the length of shape with unknown rank"):
        len(unknown)
    with pytest.raises(ValueError, match="Cannot iterate over a shape with unknown rank"):
        iter(unknown)
    assert TensorShape(3).as_list() == [3]
    assert TensorShape(TensorShape([1, 2])).as_list() == [1, 2]


def test_shape_compatibility_merge_and_ranks():
    a = TensorShape([None, 784])
    assert a.is_compatible_with([50, 784]) and not a.is_compatible_with([50, 783])
    assert not a.is_compatible_with([784]) and a.is_compatible_with(TensorShape(None))
    assert a.merge_with([50, None]).as_list() == [50, 784]
    with pytest.raises(ValueError, match="are not compatible"):
        a.merge_with([50, 783])
    with pytest.raises(ValueError):
        a.assert_is_compatible_with([1, 2, 3])
    assert TensorShape(None).with_rank(2).as_list() == [None, None]
    with pytest.raises(ValueError, match="must have rank 3"):
        a.with_rank(3)
    assert a.with_rank_at_least(1) is a and a.with_rank_at_most(2) is a
    with pytest.raises(ValueError, match="must have rank at least 3"):
        a.with_rank_at_least(3)
    with pytest.raises(ValueError, match="must have rank at most 1"):
        a.with_rank_at_most(1)
    with pytest.raises(ValueError, match="must have the same rank"):
        a.assert_same_rank([1])
    with pytest.raises(ValueError, match="is not fully defined"):
        a.assert_is_fully_defined()
    assert TensorShape([1, 2]).most_specific_compatible_shape([1, 3]).as_list() == [1, None]
    assert TensorShape([1]).most_specific_compatible_shape([1, 3]).ndims is None


def test_shape_concatenation_equality_and_hash():
    assert TensorShape([1]).concatenate([None, 2]).as_list() == [1, None, 2]
    assert (TensorShape([1]) + TensorShape([2])).as_list() == [1, 2]
    assert TensorShape([1]).concatenate(TensorShape(None)).ndims is None
    assert TensorShape([1, 2]) == TensorShape([1, 2]) == [1, 2]
    assert TensorShape([1, 2]) != TensorShape([2, 1])
    assert hash(TensorShape([1, 2])) == hash(TensorShape([1, 2]))
    assert pickle.loads(pickle.dumps(TensorShape([None, 3]))).as_list() == [None, 3]
    assert pickle.loads(pickle.dumps(Dimension(3))).value == 3
    assert tensor_shape.unknown_shape(2).as_list() == [None, None]
    assert tensor_shape.scalar().as_list() == []


def test_tensors_print_static_shapes_like_the_book():
    x = tf.Graph()
    with x.as_default():
        X = tf.placeholder(tf.float32, shape=(None, 28 * 28), name="X")
        w = tf.zeros([784, 300])
        hidden = tf.matmul(X, w)
        assert str(hidden.shape) == "(?, 300)"
        assert hidden.get_shape().as_list() == [None, 300]
        assert tf.TensorShape is TensorShape and tf.Dimension is Dimension

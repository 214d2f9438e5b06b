"""tf.nest on lists, tuples, namedtuples and dicts (sorted keys)."""
import collections

import pytest

import tfcompat as tf

Point = collections.namedtuple("Point", ["x", "y"])


def test_flatten_and_pack():
    structure = {"b": [1, (2, 3)], "a": Point(4, 5)}
    assert tf.nest.flatten(structure) == [4, 5, 1, 2, 3]
    assert tf.nest.flatten(7) == [7]
    packed = tf.nest.pack_sequence_as(structure, [10, 20, 30, 40, 50])
    assert packed == {"b": [30, (40, 50)], "a": Point(10, 20)}
    assert isinstance(packed["a"], Point)
    with pytest.raises(ValueError, match="Could not pack sequence"):
        tf.nest.pack_sequence_as(structure, [1, 2])
    assert tf.nest.is_nested([1]) and not tf.nest.is_nested("ab")


def test_map_structure_and_assert_same_structure():
    assert tf.nest.map_structure(lambda a, b: a + b, [1, (2, 3)], [10, (20, 30)]) == \
        [11, (22, 33)]
    with pytest.raises(ValueError, match="same nested structure"):
        tf.nest.assert_same_structure([1, 2], [1, [2]])
    with pytest.raises(TypeError, match="same sequence type"):
        tf.nest.assert_same_structure([1, 2], (1, 2))
    tf.nest.assert_same_structure([1, 2], (1, 2), check_types=False)
    with pytest.raises(ValueError, match="same set of keys"):
        tf.nest.assert_same_structure({"a": 1}, {"b": 1})
    with tf.Graph().as_default():
        tensors = tf.nest.map_structure(tf.constant, {"x": 1.0, "y": [2.0]})
        assert tf.Session().run(tensors) == {"x": 1.0, "y": [2.0]}


def test_mapping_views_are_sequences_as_in_tf_1_15():
    """TF's nest takes d.values(), d.keys() and d.items() as sequences of their items (in
    their order) and packs them back as lists: legacy code passes
    ``var_list=weights.values()`` to ``minimize``."""
    weights = {"b": 2, "a": 1}
    assert tf.nest.flatten(weights.values()) == [2, 1]
    assert tf.nest.flatten(weights.keys()) == ["b", "a"]
    assert tf.nest.flatten(weights.items()) == ["b", 2, "a", 1]
    assert tf.nest.pack_sequence_as(weights.values(), [5, 6]) == [5, 6]
    with tf.Graph().as_default():
        variables = {"w": tf.Variable(3.0, name="w"), "v": tf.Variable(4.0, name="v")}
        loss = variables["w"] * variables["v"]
        train = tf.train.GradientDescentOptimizer(0.5).minimize(loss,
                                                                var_list=variables.values())
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            sess.run(train)
            assert sess.run(list(variables.values())) == [1.0, 2.5]

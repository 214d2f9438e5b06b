"""tf.TensorSpec and the variable distribution enums."""
import tfcompat as tf


def test_tensor_spec_compatibility_equality_and_from_tensor():
    spec = tf.TensorSpec([None, 3], tf.float32, name="x")
    with tf.Graph().as_default():
        fitting = tf.placeholder(tf.float32, [5, 3], name="batch")
        assert spec.is_compatible_with(fitting)
        assert not spec.is_compatible_with(tf.placeholder(tf.float64, [5, 3]))
        assert not spec.is_compatible_with(tf.placeholder(tf.float32, [5, 4]))
        derived = tf.TensorSpec.from_tensor(fitting)
    assert derived.name == "batch" and derived.shape.as_list() == [5, 3]
    assert spec == tf.TensorSpec([None, 3], tf.float32, "x")
    assert spec != tf.TensorSpec([None, 3], tf.float32, "y")
    assert spec.most_specific_compatible_type(derived).shape.as_list() == [None, 3]
    assert repr(spec) == "TensorSpec(shape=(?, 3), dtype=tf.float32, name='x')"


def test_variable_enums_as_tf_1_15():
    assert tf.VariableAggregation.ONLY_FIRST_TOWER is tf.VariableAggregation.ONLY_FIRST_REPLICA
    assert [m.value for m in tf.VariableAggregation] == [0, 1, 2, 3]
    assert tf.VariableSynchronization.ON_READ.value == 3
    with tf.Graph().as_default():
        v = tf.get_variable("v", [2], synchronization=tf.VariableSynchronization.AUTO,
                            aggregation=tf.VariableAggregation.MEAN)
        assert v.name == "v:0"

"""``tf.estimator.classifier_parse_example_spec`` / ``regressor_parse_example_spec`` (TF 1.15
``canned/parsing_utils.py``): the feature columns' parse spec plus the label's (and the
weight column's)."""
from tfcompat.feature_column import feature_column as fc
from tfcompat.framework import dtypes
from tfcompat.ops.parsing_ops import FixedLenFeature


def _add_label_and_weight(spec, label_key, label_spec, weight_column):
    if label_key in spec:
        raise ValueError(f"label should not be used as feature. label_key: {label_key}, "
                         f"features: {list(spec)}")
    spec[label_key] = label_spec
    if weight_column is None:
        return spec
    if isinstance(weight_column, str):
        weight_column = fc.numeric_column(weight_column)
    if not isinstance(weight_column, fc._NumericColumn):
        raise ValueError(f"weight_column should be an instance of "
                         f"tf.feature_column.numeric_column. Given type: "
                         f"{type(weight_column)} value: {weight_column}")
    spec.update(weight_column._parse_example_spec)
    return spec


def classifier_parse_example_spec(feature_columns, label_key, label_dtype=dtypes.int64,
                                  label_default=None, weight_column=None):
    """The parse spec of a classifier's examples: label ``FixedLenFeature((1,),
    label_dtype, label_default)``."""
    spec = fc.make_parse_example_spec(feature_columns)
    label_spec = FixedLenFeature((1,), dtypes.as_dtype(label_dtype), label_default)
    return _add_label_and_weight(spec, label_key, label_spec, weight_column)


def regressor_parse_example_spec(feature_columns, label_key, label_dtype=dtypes.float32,
                                 label_default=None, label_dimension=1, weight_column=None):
    """The parse spec of a regressor's examples: label ``FixedLenFeature((label_dimension,),
    label_dtype, label_default)``."""
    spec = fc.make_parse_example_spec(feature_columns)
    label_spec = FixedLenFeature((label_dimension,), dtypes.as_dtype(label_dtype),
                                 label_default)
    return _add_label_and_weight(spec, label_key, label_spec, weight_column)

"""``tf.feature_column`` (TF 1.x): column constructors, ``input_layer`` and
``linear_model``; see ``feature_column.py`` for how categorical ids are represented."""
from tfcompat.feature_column.feature_column import (  # noqa: F401
    bucketized_column, categorical_column_with_hash_bucket, categorical_column_with_identity,
    categorical_column_with_vocabulary_file, categorical_column_with_vocabulary_list,
    crossed_column, embedding_column, indicator_column,
    input_layer, linear_model, make_parse_example_spec, numeric_column,
    shared_embedding_columns, weighted_categorical_column)


def __getattr__(name):
    raise AttributeError(f"module 'tensorflow._api.v1.feature_column' has no attribute "
                         f"'{name}': tfcompat does not implement tf.feature_column.{name} yet")

"""``tf.keras.wrappers``: ``scikit_learn`` (KerasClassifier, KerasRegressor)."""
from tfcompat.keras.wrappers import scikit_learn

__all__ = ["scikit_learn"]

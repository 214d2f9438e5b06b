"""``tensorflow.examples.tutorials``: TF 1.x's tutorial data helpers."""

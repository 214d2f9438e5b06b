"""Op definitions, one class per TF op type, grouped by family like tensorflow/python/ops."""

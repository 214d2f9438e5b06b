"""Keras' engine: layer call tracking (``base_layer``), functional networks (``network``) and
the compile/fit/evaluate/predict loops (``training``)."""

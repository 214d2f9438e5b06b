"""``tf.quantization``: the fake-quantisation ops of ``ops/fake_quant_ops.py`` (TF's
quantized dtypes and quantize/dequantize ops are not in tfcompat)."""
from tfcompat.ops.fake_quant_ops import *  # noqa: F401,F403

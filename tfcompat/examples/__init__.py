"""``tensorflow.examples``: the tutorial helpers TF 1.x shipped (``tutorials.mnist.input_data``)."""

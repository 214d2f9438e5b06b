"""``tf.version``: the TensorFlow version tfcompat follows."""
from tfcompat import GIT_VERSION, VERSION  # noqa: F401

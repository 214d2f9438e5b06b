"""Protobuf text format of GraphDefs and tf.train.write_graph: the text equals what
TensorFlow's text_format writes for the same GraphDef bytes (checked once against TF 2.21;
the expected text below is its output)."""
import numpy as np

import tfcompat as tf
from tfcompat.lib.proto_text import graph_def_to_text

EXPECTED = '''node {
  name: "x"
  op: "Placeholder"
  attr {
    key: "dtype"
    value {
      type: DT_FLOAT
    }
  }
  attr {
    key: "shape"
    value {
      shape {
        dim {
          size: -1
        }
        dim {
          size: 2
        }
      }
    }
  }
}
node {
  name: "y"
  op: "LeakyRelu"
  input: "x"
  attr {
    key: "T"
    value {
      type: DT_FLOAT
    }
  }
  attr {
    key: "alpha"
    value {
      f: 0.3
    }
  }
}
node {
  name: "s"
  op: "Const"
  attr {
    key: "dtype"
    value {
      type: DT_STRING
    }
  }
  attr {
    key: "value"
    value {
      tensor {
        dtype: DT_STRING
        tensor_shape {
        }
        string_val: "a\\nb\\001"
      }
    }
  }
}
node {
  name: "v"
  op: "Const"
  attr {
    key: "dtype"
    value {
      type: DT_FLOAT
    }
  }
  attr {
    key: "value"
    value {
      tensor {
        dtype: DT_FLOAT
        tensor_shape {
          dim {
            size: 2
          }
        }
        tensor_content: "\\000\\000\\300?\\000\\000\\000\\300"
      }
    }
  }
}
versions {
  producer: 134
}
'''


def _graph():
    graph = tf.Graph()
    with graph.as_default():
        x = tf.placeholder(tf.float32, [None, 2], name="x")
        tf.nn.leaky_relu(x, alpha=0.3, name="y")
        tf.constant("a\nb\x01", name="s")
        tf.constant(np.array([1.5, -2.0], np.float32), name="v")
    return graph


def test_graph_def_text_matches_tensorflow():
    assert graph_def_to_text(_graph().as_graph_def().SerializeToString()) == EXPECTED


def test_write_graph_text_and_binary(tmp_path):
    graph = _graph()
    path = tf.train.write_graph(graph, str(tmp_path / "logs"), "graph.pbtxt")
    assert path == str(tmp_path / "logs" / "graph.pbtxt")
    with open(path) as f:
        assert f.read() == EXPECTED
    binary = tf.io.write_graph(graph.as_graph_def(), str(tmp_path / "logs"), "graph.pb",
                               as_text=False)
    with open(binary, "rb") as f:
        assert f.read() == graph.as_graph_def().SerializeToString()
    assert sorted(tf.gfile.ListDirectory(str(tmp_path / "logs"))) == ["graph.pb", "graph.pbtxt"]

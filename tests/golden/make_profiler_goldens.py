"""Writes tests/golden/profiler_goldens.json: tf.profiler parameter and FLOP counts.

Run with the TensorFlow scratch venv (never a project dependency):
    /work/tfvenv/bin/python tests/golden/make_profiler_goldens.py
profiler_cases.py holds the graphs and options (tests/profiler/test_profiler.py profiles the
same with tfcompat); for each (case, profile) this records the root's totals, every
displayed node's counts and the text report written.
"""
import json
import os
import sys
import tempfile

os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")  # tf.layers needs tf-keras

import tensorflow.compat.v1 as tf  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import profiler_cases  # noqa: E402

tf.disable_v2_behavior()


def flatten(node, out, depth=0):
    """[depth, name, own and total parameters and float ops, definitions] of each node;
    an "op" view's type nodes give the names of their graph nodes instead."""
    if hasattr(node, "graph_nodes"):
        last = [graph_node.name for graph_node in node.graph_nodes]
    else:
        last = node.total_definition_count
    out.append([depth, node.name, node.parameters, node.total_parameters,
                node.float_ops, node.total_float_ops, last])
    for child in node.children:
        flatten(child, out, depth + 1)
    return out


def main():
    goldens = {}
    for case, profile in profiler_cases.CASE_PROFILES:
        cmd, options = profiler_cases.PROFILES[profile]
        graph = tf.Graph()
        with graph.as_default():
            profiler_cases.CASES[case](tf)
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "report.txt")
            node = tf.profiler.profile(graph, cmd=cmd,
                                       options=options(tf).with_file_output(path).build())
            with open(path) as f:
                text = f.read()
        goldens[f"{case}/{profile}"] = {"nodes": flatten(node, []), "text": text}
        if (case, profile) == ("cnn_training", "flops"):  # the test compares its totals only
            goldens[f"{case}/{profile}"] = {"nodes": flatten(node, [])[:1]}
        if (case, profile) in (("small_linear", "default"), ("small_linear", "graph_params"),
                               ("small_linear", "op_min_params")):
            goldens[f"{case}/{profile}"]["proto_text"] = str(node)
    builder = tf.profiler.ProfileOptionBuilder
    goldens["options"] = {
        "default": builder().build(),
        "trainable_variables_parameter": builder.trainable_variables_parameter(),
        "float_operation": builder.float_operation(),
        "time_and_memory": builder.time_and_memory(),
        "time_and_memory_args": builder.time_and_memory(5, 6, 7, 8, 9, 10, 11),
        "chained": profiler_cases.chained_options(builder)}
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "profiler_goldens.json"), "w") as f:
        json.dump(goldens, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()

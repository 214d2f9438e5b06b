"""tf.profiler: option dicts, parameter and FLOP counts, the scope and graph views' filters
and text reports, checked against TensorFlow's (tests/golden/profiler_goldens.json)."""
import importlib.util
import json
import pathlib
import re

import pytest

import tfcompat as tf
from tfcompat.profiler import flops_registry
from tfcompat.profiler.tfprof_node import format_number

GOLDEN = pathlib.Path(__file__).parent.parent / "golden"
GOLDENS = json.loads((GOLDEN / "profiler_goldens.json").read_text())


def _cases():
    spec = importlib.util.spec_from_file_location("profiler_cases",
                                                  GOLDEN / "profiler_cases.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


CASES = _cases()


def _flatten(node, out, depth=0):
    if hasattr(node, "graph_nodes"):
        last = [graph_node.name for graph_node in node.graph_nodes]
    else:
        last = node.total_definition_count
    out.append([depth, node.name, node.parameters, node.total_parameters,
                node.float_ops, node.total_float_ops, last])
    for child in node.children:
        _flatten(child, out, depth + 1)
    return out


#: Op types TF 2.21's tf.add and 3-D tf.matmul make, and the TF 1.15 ones tfcompat makes.
TF1_TYPES = {"AddV2": "Add", "BatchMatMulV2": "BatchMatMul"}


def _tf1_report(text):
    """A report of TF 2.21 with TF 1.15's op types (op-view lines keep their widths)."""
    for tf2_type, tf1_type in TF1_TYPES.items():
        text = text.replace(f", {tf2_type},", f", {tf1_type},")
        text = re.sub(f"^{tf2_type}", tf1_type.ljust(len(tf2_type)), text, flags=re.M)
    return text


def _profile(case, profile, tmp_path):
    cmd, options = CASES.PROFILES[profile]
    graph = tf.Graph()
    with graph.as_default():
        CASES.CASES[case](tf)
    report = tmp_path / "report.txt"
    node = tf.profiler.profile(graph, cmd=cmd,
                               options=options(tf).with_file_output(str(report)).build())
    return node, report.read_text()


@pytest.mark.parametrize("case,profile", CASES.CASE_PROFILES)
def test_profile_matches_tensorflow(case, profile, tmp_path):
    node, text = _profile(case, profile, tmp_path)
    expected = GOLDENS[f"{case}/{profile}"]
    if case in CASES.GRADIENT_CASES and profile == "flops":
        # tf.gradients names (and for a Mean, forms) some ops differently: compare counts
        assert node.total_parameters == expected["nodes"][0][3]
        assert node.total_float_ops == expected["nodes"][0][5]
        if case == "conv_gradients":
            assert sorted(row[2:] for row in _flatten(node, [])) == sorted(
                row[2:] for row in expected["nodes"])
        return
    assert _flatten(node, []) == [[depth, TF1_TYPES.get(name, name), *counts]
                                  for depth, name, *counts in expected["nodes"]]
    assert text == _tf1_report(expected["text"])
    if "proto_text" in expected:
        assert str(node) == expected["proto_text"]


@pytest.mark.parametrize("name", sorted(GOLDENS["options"]))
def test_option_dicts_match_tensorflow(name):
    builder = tf.profiler.ProfileOptionBuilder
    made = {"default": lambda: builder().build(),
            "trainable_variables_parameter": builder.trainable_variables_parameter,
            "float_operation": builder.float_operation,
            "time_and_memory": builder.time_and_memory,
            "time_and_memory_args": lambda: builder.time_and_memory(5, 6, 7, 8, 9, 10, 11),
            "chained": lambda: CASES.chained_options(builder)}[name]()
    assert made == GOLDENS["options"][name]


def test_builder_copies_its_options():
    start = tf.profiler.ProfileOptionBuilder.float_operation()
    builder = tf.profiler.ProfileOptionBuilder(start).with_accounted_types(["MatMul"])
    built = builder.build()
    built["account_type_regexes"].append("Conv2D")
    assert start["account_type_regexes"] == [".*"]
    assert builder.build()["account_type_regexes"] == ["MatMul"]


def test_parameter_count_idiom_prints_the_report(capsys):
    with tf.Graph().as_default() as graph:
        CASES.dense_mlp(tf)
        params = tf.profiler.profile(
            tf.get_default_graph(),
            options=tf.profiler.ProfileOptionBuilder.trainable_variables_parameter())
        flops = tf.profiler.profile(
            graph, options=tf.profiler.ProfileOptionBuilder.float_operation())
    assert params.total_parameters == 20 * 16 + 16 + 16 * 5 + 5
    assert flops.total_float_ops == GOLDENS["dense_mlp/flops"]["nodes"][0][5]
    out = capsys.readouterr().out
    assert out == (GOLDENS["dense_mlp/params"]["text"] + GOLDENS["dense_mlp/flops"]["text"])


def test_keras_flops_idiom_with_an_empty_run_metadata(capsys):
    with tf.Graph().as_default():
        model = tf.keras.Sequential([tf.keras.layers.Dense(16, input_shape=(20,)),
                                     tf.keras.layers.Dense(5)])
        model(tf.placeholder(tf.float32, [8, 20]))
        graph = tf.keras.backend.get_session().graph
        flops = tf.profiler.profile(
            graph=graph, run_meta=tf.RunMetadata(), cmd="op",
            options=tf.profiler.ProfileOptionBuilder.float_operation())
    assert isinstance(flops, tf.profiler.MultiGraphNodeProto)
    types = {child.name: child for child in _chain(flops)}
    assert types["MatMul"].float_ops == 2 * 8 * 20 * 16 + 2 * 8 * 16 * 5
    assert types["BiasAdd"].float_ops == 8 * 16 + 8 * 5
    assert flops.total_float_ops == sum(node.float_ops for node in types.values())
    assert capsys.readouterr().out.splitlines()[6] == "node name | # float_ops"


def _chain(node):
    """The op view's type nodes, each nested as the previous one's only child."""
    while node.children:
        (node,) = node.children
        yield node


def test_default_options_count_trainable_parameters(capsys):
    with tf.Graph().as_default():
        CASES.small_linear(tf)
        node = tf.profiler.profile()
    assert node.name == "_TFProfRoot"
    assert node.total_parameters == 12
    assert [child.name for child in node.children] == ["lin"]
    assert "lin/w (3x4, 12/12 params)" in capsys.readouterr().out


def test_empty_output_prints_nothing(capsys):
    options = (tf.profiler.ProfileOptionBuilder(
        tf.profiler.ProfileOptionBuilder.float_operation()).with_empty_output().build())
    with tf.Graph().as_default() as graph:
        CASES.conv_net(tf)
    node = tf.profiler.profile(graph, options=options)
    assert node.total_float_ops == GOLDENS["conv_net/flops"]["nodes"][0][5]
    assert capsys.readouterr().out == ""


def test_unknown_shapes_are_skipped_and_counted_on_stderr(capsys):
    with tf.Graph().as_default() as graph:
        x = tf.placeholder(tf.float32, [None, 3])
        tf.matmul(x, tf.ones([3, 2]), name="unknown_batch")
        tf.matmul(tf.ones([4, 3]), tf.ones([3, 2]), name="known")
        tf.nn.relu(x)  # no formula: not counted as missing
    options = tf.profiler.ProfileOptionBuilder.float_operation()
    options["output"] = "none"
    node = tf.profiler.profile(graph, options=options)
    assert [child.name for child in node.children] == ["known"]
    assert node.total_float_ops == 2 * 3 * 4 * 2
    assert capsys.readouterr().err == "1 ops no flops stats due to incomplete shapes.\n"


def test_backprop_and_grad_formulas():
    with tf.Graph().as_default():
        dy = tf.ones([2, 4, 4, 6])
        image = tf.ones([2, 8, 8, 3])
        strides = [1, 2, 2, 1]
        input_grad = tf.nn.conv2d_backprop_input([2, 8, 8, 3], tf.ones([3, 3, 3, 6]), dy,
                                                 strides, "SAME")
        filter_grad = tf.nn.conv2d_backprop_filter(image, [3, 3, 3, 6], dy, strides, "SAME")
        bias = tf.ones([6])
        (bias_grad,) = tf.gradients(tf.nn.bias_add(dy, bias), [bias])
        nchw = tf.nn.max_pool(tf.ones([1, 3, 4, 4]), [1, 1, 2, 2], [1, 1, 2, 2], "VALID",
                              data_format="NCHW")
        add_n = tf.add_n([tf.ones([5]), tf.ones([5]), tf.ones([5])])
    assert flops_registry.float_ops(input_grad.op) == 2 * (2 * 8 * 8 * 3) * (3 * 3 * 3 * 6) \
        // (3 * 2 * 2)
    assert flops_registry.float_ops(filter_grad.op) == 2 * (2 * 8 * 8 * 3) * (3 * 3 * 3 * 6) \
        // (3 * 2 * 2)
    assert bias_grad.op.type == "BiasAddGrad"
    assert flops_registry.float_ops(bias_grad.op) == 2 * 4 * 4 * 6 - 6
    with pytest.raises(ValueError, match="Only NHWC format"):
        flops_registry.float_ops(nchw.op)
    assert flops_registry.float_ops(add_n.op) == 10
    assert flops_registry.float_ops(add_n.op.inputs[0].op) is None


def test_bad_commands_and_options_raise():
    graph = tf.Graph()
    with pytest.raises(tf.errors.InvalidArgumentError, match="unknown cmd: nonsense"):
        tf.profiler.profile(graph, cmd="nonsense")
    with pytest.raises(NotImplementedError, match="cmd 'code'"):
        tf.profiler.profile(graph, cmd="code")
    bad_select = tf.profiler.ProfileOptionBuilder().select(["params", "colour"]).build()
    with pytest.raises(tf.errors.InvalidArgumentError, match="Invalid select option: colour"):
        tf.profiler.profile(graph, options=bad_select)
    with pytest.raises(NotImplementedError, match="op_log"):
        tf.profiler.profile(graph, op_log=object())
    timeline = tf.profiler.ProfileOptionBuilder().with_timeline_output("t.json").build()
    with pytest.raises(NotImplementedError, match="timeline"):
        tf.profiler.profile(graph, options=timeline)


def test_unimplemented_names_say_so():
    with pytest.raises(AttributeError, match="does not implement tf.profiler.write_op_log"):
        tf.profiler.write_op_log  # noqa: B018
    with pytest.raises(AttributeError, match="does not implement tf.profiler.advise yet"):
        tf.profiler.advise  # noqa: B018


def test_number_formats():
    assert [format_number(n) for n in (999, 1000, 100350, 2500000, 3 * 10**9)] == [
        "999", "1.00k", "100.35k", "2.50m", "3.00b"]
    assert [format_number(n, "B") for n in (0, 1500, 2 * 10**6)] == ["0B", "1.50KB", "2.00MB"]
    assert [format_number(n, "us") for n in (7, 1500, 2 * 10**6)] == ["7us", "1.50ms",
                                                                     "2.00sec"]

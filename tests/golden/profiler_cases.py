"""Graphs and tf.profiler options profiled by make_profiler_goldens.py (real TensorFlow,
compat.v1) and by tests/profiler/test_profiler.py (tfcompat). ``CASES``: case name -> graph
builder ``build(tf)``; ``PROFILES``: profile name -> (cmd, ``options(tf)``).

The graphs avoid builders whose op layout differs between tfcompat and TF 2.21 (depthwise_conv2d
adds space-to-batch constants in TF); the gradient graph's op names differ, so the test compares
its counts, not its names."""


def dense_mlp(tf):
    x = tf.placeholder(tf.float32, [8, 20], name="x")
    labels = tf.placeholder(tf.float32, [8, 5], name="labels")
    hidden = tf.layers.dense(x, 16, activation=tf.nn.relu)
    logits = tf.layers.dense(hidden, 5)
    tf.reduce_mean(tf.square(logits - labels))
    tf.add_n([tf.nn.l2_loss(v) for v in tf.trainable_variables()], name="l2")


def conv_net(tf):
    images = tf.placeholder(tf.float32, [2, 12, 12, 3], name="images")
    with tf.variable_scope("conv1"):
        kernel = tf.get_variable("weights", [3, 3, 3, 4])
        bias = tf.get_variable("biases", [4], initializer=tf.zeros_initializer())
        conv = tf.nn.conv2d(images, kernel, [1, 1, 1, 1], "SAME")
        act = tf.nn.relu(tf.nn.bias_add(conv, bias))
    pool = tf.nn.max_pool(act, [1, 2, 2, 1], [1, 2, 2, 1], "VALID", name="pool1")
    with tf.variable_scope("conv2"):
        kernel = tf.get_variable("weights", [3, 3, 4, 6])
        conv = tf.nn.conv2d(pool, kernel, [1, 2, 2, 1], "VALID")
    avg = tf.nn.avg_pool(conv, [1, 2, 2, 1], [1, 1, 1, 1], "SAME", name="pool2")
    depth = tf.get_variable("depthwise", [3, 3, 6, 2], trainable=False)
    tf.nn.depthwise_conv2d_native(avg, depth, [1, 1, 1, 1], "SAME", name="dw")


def reductions_softmax(tf):
    a = tf.placeholder(tf.float32, [4, 6], name="a")
    b = tf.placeholder(tf.float32, [6, 3], name="b")
    with tf.name_scope("head"):
        logits = tf.matmul(a, b, name="logits")
        probs = tf.nn.softmax(logits)
        tf.reduce_sum(probs, axis=1, name="row_sum")
        tf.argmax(probs, axis=1, name="best")
        scaled = tf.math.rsqrt(tf.abs(logits) + 1.0, name="rsqrt")
        tf.maximum(scaled, tf.log(probs), name="max")
    c = tf.placeholder(tf.float32, [3, 4, 5], name="c")
    d = tf.placeholder(tf.float32, [3, 5, 2], name="d")
    tf.matmul(c, d, name="batched")
    tf.matmul(a, b, transpose_a=False, name="plain")
    tf.matmul(tf.placeholder(tf.float32, [6, 4]), b, transpose_a=True, name="transposed")
    tf.reduce_mean(tf.placeholder(tf.float32, [None, 3]), name="unknown_mean")


def small_linear(tf):
    x = tf.placeholder(tf.float32, [2, 3], name="x")
    with tf.variable_scope("lin"):
        w = tf.get_variable("w", [3, 4])
        tf.matmul(x, w)
    tf.Variable(tf.zeros([5]), trainable=False, name="counter")


def conv_gradients(tf):
    images = tf.placeholder(tf.float32, [2, 8, 8, 3], name="images")
    target = tf.placeholder(tf.float32, [2, 2, 2, 4], name="target")
    kernel = tf.get_variable("kernel", [3, 3, 3, 4])
    conv = tf.nn.conv2d(images, kernel, [1, 2, 2, 1], "SAME", name="conv")
    pooled = tf.nn.max_pool(tf.nn.relu(conv), [1, 2, 2, 1], [1, 2, 2, 1], "VALID", name="max")
    smooth = tf.nn.avg_pool(pooled, [1, 2, 2, 1], [1, 1, 1, 1], "SAME", name="avg")
    loss = tf.reduce_mean(tf.squared_difference(smooth, target), name="loss")
    tf.gradients(loss, [images, kernel], name="grads")


def cnn_training(tf):
    images = tf.placeholder(tf.float32, [4, 28, 28, 1], name="images")
    labels = tf.placeholder(tf.int64, [4], name="labels")
    net = tf.layers.conv2d(images, 8, 5, padding="same", activation=tf.nn.relu)
    net = tf.layers.max_pooling2d(net, 2, 2)
    net = tf.layers.conv2d(net, 16, 3, activation=tf.nn.relu)
    net = tf.layers.dense(tf.layers.flatten(net), 32, activation=tf.nn.relu)
    logits = tf.layers.dense(net, 10)
    loss = tf.reduce_mean(
        tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits))
    tf.train.AdamOptimizer(1e-3).minimize(loss)


CASES = {"dense_mlp": dense_mlp, "conv_net": conv_net,
         "reductions_softmax": reductions_softmax, "small_linear": small_linear,
         "conv_gradients": conv_gradients, "cnn_training": cnn_training}


def _builder(tf, *select):
    return tf.profiler.ProfileOptionBuilder().select(list(select))


PROFILES = {
    "params": ("scope", lambda tf: tf.profiler.ProfileOptionBuilder(
        tf.profiler.ProfileOptionBuilder.trainable_variables_parameter())),
    "flops": ("scope", lambda tf: tf.profiler.ProfileOptionBuilder(
        tf.profiler.ProfileOptionBuilder.float_operation())),
    "graph_params": ("graph", lambda tf: tf.profiler.ProfileOptionBuilder(
        tf.profiler.ProfileOptionBuilder.trainable_variables_parameter())),
    "graph_flops": ("graph", lambda tf: tf.profiler.ProfileOptionBuilder(
        tf.profiler.ProfileOptionBuilder.float_operation())),
    "default": ("scope", lambda tf: tf.profiler.ProfileOptionBuilder()),
    "all_columns": ("scope", lambda tf: _builder(
        tf, "params", "float_ops", "occurrence", "micros", "bytes", "device", "op_types",
        "input_shapes", "peak_bytes", "residual_bytes", "output_bytes", "tensor_value")),
    "graph_all_columns": ("graph", lambda tf: _builder(
        tf, "params", "float_ops", "occurrence", "op_types", "input_shapes")),
    "depth_2": ("scope", lambda tf: _builder(tf, "params", "float_ops").with_max_depth(2)),
    "graph_depth_2": ("graph", lambda tf: _builder(tf, "params").with_max_depth(2)),
    "start": ("scope", lambda tf: _builder(tf, "params", "float_ops").with_node_names(
        start_name_regexes=["lin/w", "conv2.*"])),
    "trim": ("scope", lambda tf: _builder(tf, "params", "float_ops").with_node_names(
        trim_name_regexes=["lin/w", ".*Initializer"])),
    "hide": ("scope", lambda tf: _builder(tf, "params", "float_ops").with_node_names(
        hide_name_regexes=["lin", "dense.*"]).account_displayed_op_only(True)),
    "show": ("scope", lambda tf: _builder(tf, "float_ops").with_node_names(
        show_name_regexes=[".*Init.*"])),
    "accounted_types": ("scope", lambda tf: _builder(tf, "params", "float_ops")
                        .with_accounted_types(["Mul|MatMul|Placeholder"]).order_by("params")),
    "min_params": ("scope", lambda tf: _builder(tf, "params").with_min_parameters(5)),
    "min_flops_by_name": ("scope", lambda tf: _builder(tf, "float_ops")
                          .with_min_float_operations(100).order_by("name")),
    "time_and_memory": ("scope", lambda tf: tf.profiler.ProfileOptionBuilder(
        tf.profiler.ProfileOptionBuilder.time_and_memory())),
    "op_time_and_memory": ("op", lambda tf: tf.profiler.ProfileOptionBuilder(
        tf.profiler.ProfileOptionBuilder.time_and_memory(min_micros=0, min_bytes=0))),
    "op_flops": ("op", lambda tf: tf.profiler.ProfileOptionBuilder(
        tf.profiler.ProfileOptionBuilder.float_operation())),
    "op_params": ("op", lambda tf: tf.profiler.ProfileOptionBuilder(
        tf.profiler.ProfileOptionBuilder.trainable_variables_parameter())),
    "op_columns": ("op", lambda tf: _builder(
        tf, "params", "float_ops", "bytes", "peak_bytes", "occurrence", "micros", "device",
        "op_types")),
    "op_min_params": ("op", lambda tf: _builder(tf, "params", "float_ops").order_by("params")
                      .with_min_parameters(1)),
    "op_depth": ("op", lambda tf: _builder(tf, "float_ops").with_max_depth(3)),
    "op_flops_by_name": ("op", lambda tf: tf.profiler.ProfileOptionBuilder(
        tf.profiler.ProfileOptionBuilder.float_operation()).order_by("name")),
    "op_start_trim": ("op", lambda tf: _builder(tf, "float_ops").with_node_names(
        start_name_regexes=["I.*"], trim_name_regexes=["R.*"]).with_min_float_operations(13)),
    "op_hide": ("op", lambda tf: _builder(tf, "params", "float_ops").with_node_names(
        hide_name_regexes=["Mul", "Const"], show_name_regexes=["[A-S].*"])
        .account_displayed_op_only(True)),
}
#: Graphs with tf.gradients, whose op names differ from TF's: compared by their counts.
GRADIENT_CASES = ("conv_gradients", "cnn_training")
#: The profiles of every case; the option profiles only on the graphs named with them.
CASE_PROFILES = [(case, profile) for case in CASES
                 for profile in ("params", "flops", "graph_params", "graph_flops", "op_flops",
                                 "op_params")
                 if case not in GRADIENT_CASES]
CASE_PROFILES += [("conv_gradients", "flops"), ("cnn_training", "params"),
                  ("cnn_training", "flops")]
CASE_PROFILES += [("small_linear", profile) for profile in PROFILES
                  if profile not in ("params", "flops", "graph_params", "graph_flops",
                                     "op_flops", "op_params")]
CASE_PROFILES += [("conv_net", "start"), ("conv_net", "trim"), ("dense_mlp", "hide"),
                  ("dense_mlp", "min_flops_by_name")]


def chained_options(builder):
    """Every builder method applied once, in turn."""
    return (builder(builder.float_operation()).with_max_depth(3)
            .with_min_memory(1, 2, 3, 4).with_min_execution_time(5, 6, 7)
            .with_min_parameters(8).with_min_occurrence(9).with_min_float_operations(10)
            .with_accounted_types(["MatMul"]).with_node_names(["a"], ["b"], ["c"], ["d"])
            .account_displayed_op_only(False).with_empty_output().with_stdout_output()
            .with_timeline_output("t.json").with_pprof_output("p.pb.gz")
            .with_file_output("out.txt").order_by("params").select(["params", "micros"])
            .with_step(2).build())

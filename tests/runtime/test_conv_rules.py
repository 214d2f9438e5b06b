"""runtime/rules/conv.py: the im2col/GEMM convolutions and the Numba pooling passes give the
NumPy reference kernels' results over strides, dilations, SAME/VALID on odd sizes, in
float32 and float64; NCHW falls back to the reference; a trained CNN uses the fast kernels."""
from types import SimpleNamespace

import numpy as np
import pytest

import tfcompat as tf
from tfcompat.runtime import lowering, threads
from tfcompat.runtime.rules import conv as conv_rules

rng = np.random.default_rng(21)

CASES = [((2, 7, 6, 3), (3, 2, 3, 4), 1, 1, "SAME"), ((2, 7, 6, 3), (3, 3, 3, 2), 2, 1, "SAME"),
         ((1, 8, 7, 2), (2, 3, 2, 3), 3, 1, "VALID"), ((1, 9, 8, 2), (3, 3, 2, 2), 1, 2, "SAME"),
         ((2, 6, 7, 1), (2, 2, 1, 5), 2, 1, "VALID")]


def _both(op, *inputs):
    fast = lowering.lookup_fast_kernel(op, None)
    assert fast is not None
    return fast(*inputs), op.op_def.kernel(op, None)(*inputs)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("shape,kernel_shape,stride,dilation,padding", CASES)
def test_fast_convolutions_match_reference(shape, kernel_shape, stride, dilation, padding,
                                           dtype):
    x = rng.normal(size=shape).astype(dtype)
    kernel = rng.normal(size=kernel_shape).astype(dtype)
    with tf.Graph().as_default():
        y = tf.nn.conv2d(x, kernel, [1, stride, stride, 1], padding,
                         dilations=[1, dilation, dilation, 1])
        dy = rng.normal(size=y.shape.as_list()).astype(dtype)
        dx, dk = tf.gradients(y, [y.op.inputs[0], y.op.inputs[1]], dy)
    fast, reference = _both(y.op, x, kernel)
    tolerance = 1e-5 if dtype == np.float32 else 1e-12
    np.testing.assert_allclose(fast, reference, rtol=tolerance, atol=tolerance)
    sizes = np.array(shape, np.int32)
    fast, reference = _both(dx.op, sizes, kernel, dy)
    np.testing.assert_allclose(fast, reference, rtol=tolerance, atol=tolerance)
    fast, reference = _both(dk.op, x, np.array(kernel_shape, np.int32), dy)
    np.testing.assert_allclose(fast, reference, rtol=tolerance, atol=tolerance * 10)


@pytest.mark.parametrize("parts", [1, 2])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("ksize,stride,padding", [((3, 2), 2, "SAME"), ((2, 2), 2, "VALID"),
                                                  ((3, 3), 1, "SAME"), ((2, 3), 3, "VALID")])
def test_fast_pools_match_reference(ksize, stride, padding, dtype, parts, monkeypatch):
    monkeypatch.setattr(threads.BlasThreads, "parts", lambda self: parts)
    x = rng.normal(size=(3, 7, 8, 3)).astype(dtype)
    x[0, 0, 0, 0] = x[0, 0, 1, 0]  # a tie: the first maximum takes the gradient
    args = ([1, *ksize, 1], [1, stride, stride, 1], padding)
    with tf.Graph().as_default():
        xc = tf.constant(x)
        maxed, averaged = tf.nn.max_pool(xc, *args), tf.nn.avg_pool(xc, *args)
        dy = rng.normal(size=maxed.shape.as_list()).astype(dtype)
        max_grad = tf.gradients(maxed, xc, dy)[0]
        avg_grad = tf.gradients(averaged, xc, dy)[0]
    y = maxed.op.op_def.kernel(maxed.op, None)(x)
    for op, inputs in ((maxed.op, [x]), (averaged.op, [x]), (max_grad.op, [x, y, dy]),
                       (avg_grad.op, [np.array(x.shape, np.int32), dy])):
        fast, reference = _both(op, *inputs)
        assert fast.dtype == reference.dtype and fast.shape == reference.shape
        np.testing.assert_allclose(fast, reference, rtol=1e-6, atol=1e-6)


def test_nchw_and_nan_cases():
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [1, 2, 5, 5])
        conv = tf.nn.conv2d(x, tf.zeros([3, 3, 2, 2]), [1, 1, 1, 1], "SAME",
                            data_format="NCHW")
        assert lowering.lookup_fast_kernel(conv.op, None) is None
        nhwc = tf.nn.max_pool(tf.placeholder(tf.float32, [1, 4, 4, 1]), [1, 2, 2, 1],
                              [1, 2, 2, 1], "VALID")
    values = rng.normal(size=(1, 4, 4, 1)).astype(np.float32)
    values[0, 1, 1, 0] = np.nan
    fast, reference = _both(nhwc.op, values)
    np.testing.assert_array_equal(fast, reference)
    assert np.isnan(fast[0, 0, 0, 0])


def test_cnn_training_uses_the_fast_kernels(monkeypatch):
    calls = []
    plain = conv_rules._im2col

    def counting(*args):
        calls.append(1)
        return plain(*args)
    monkeypatch.setattr(conv_rules, "_im2col", counting)
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [None, 8, 8, 1])
        y = tf.placeholder(tf.int32, [None])
        net = tf.layers.conv2d(x, 4, 3, padding="same", activation=tf.nn.relu)
        net = tf.layers.max_pooling2d(net, 2, 2)
        logits = tf.layers.dense(tf.reshape(net, [-1, 64]), 3)
        loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y,
                                                                             logits=logits))
        train = tf.train.AdamOptimizer(0.01).minimize(loss)
        feed = {x: rng.random((6, 8, 8, 1)).astype(np.float32), y: rng.integers(0, 3, 6)}
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            first = sess.run(loss, feed)
            for _ in range(30):
                sess.run(train, feed)
            assert sess.run(loss, feed) < first
    assert calls


def _sparse_dy(shape, dtype, density=0.2):
    """dy with about ``density`` of its entries nonzero (as a max pool's gradient leaves)."""
    dy = rng.normal(size=shape).astype(dtype)
    dy[rng.random(shape) >= density] = 0.0
    return dy


def _counting(monkeypatch, name):
    calls = []
    plain = getattr(conv_rules, name)

    def counting(*args):
        calls.append(1)
        return plain(*args)
    monkeypatch.setattr(conv_rules, name, counting)
    return calls


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("shape,kernel_shape,stride,dilation,padding", CASES)
def test_zero_skipping_gradients_match_reference(shape, kernel_shape, stride, dilation,
                                                 padding, dtype, monkeypatch):
    sparse_input = _counting(monkeypatch, "_sparse_input_grad")
    sparse_filter = _counting(monkeypatch, "_sparse_filter_grad")
    x = rng.normal(size=shape).astype(dtype)
    kernel = rng.normal(size=kernel_shape).astype(dtype)
    with tf.Graph().as_default():
        y = tf.nn.conv2d(x, kernel, [1, stride, stride, 1], padding,
                         dilations=[1, dilation, dilation, 1])
        dy = _sparse_dy(y.shape.as_list(), dtype)
        dx, dk = tf.gradients(y, [y.op.inputs[0], y.op.inputs[1]], dy)
    tolerance = 1e-5 if dtype == np.float32 else 1e-12
    fast, reference = _both(dx.op, np.array(shape, np.int32), kernel, dy)
    np.testing.assert_allclose(fast, reference, rtol=tolerance, atol=tolerance)
    fast, reference = _both(dk.op, x, np.array(kernel_shape, np.int32), dy)
    np.testing.assert_allclose(fast, reference, rtol=tolerance, atol=tolerance * 10)
    assert sparse_input and sparse_filter


def test_zero_skipping_keeps_nan_propagation(monkeypatch):
    """A NaN weight or input reaches the gradients through the skipped zeros (0 * NaN), as
    in the dense product: such runs take the dense path; a NaN in dy is never skipped."""
    sparse_input = _counting(monkeypatch, "_sparse_input_grad")
    x = rng.normal(size=(2, 6, 6, 3)).astype(np.float32)
    kernel = rng.normal(size=(3, 3, 3, 4)).astype(np.float32)
    with tf.Graph().as_default():
        y = tf.nn.conv2d(x, kernel, [1, 2, 2, 1], "SAME")
        dy = _sparse_dy(y.shape.as_list(), np.float32)
        dx, dk = tf.gradients(y, [y.op.inputs[0], y.op.inputs[1]], dy)
    sizes, kernel_sizes = np.array(x.shape, np.int32), np.array(kernel.shape, np.int32)
    nan_kernel = kernel.copy()
    nan_kernel[1, 1, 0, 2] = np.nan
    fast, reference = _both(dx.op, sizes, nan_kernel, dy)
    np.testing.assert_allclose(fast, reference, rtol=1e-5, atol=1e-5)
    assert np.isnan(fast).any() and not sparse_input
    nan_x = x.copy()
    nan_x[1, 2, 3, 1] = np.inf
    with np.errstate(invalid="ignore"):
        fast, reference = _both(dk.op, nan_x, kernel_sizes, dy)
    np.testing.assert_allclose(fast, reference, rtol=1e-5, atol=1e-4)
    assert np.isnan(fast).any()
    nan_dy = dy.copy()
    nan_dy[0, 1, 1, 3] = np.nan
    fast, reference = _both(dx.op, sizes, kernel, nan_dy)
    np.testing.assert_allclose(fast, reference, rtol=1e-5, atol=1e-5)
    assert np.isnan(fast).any() and sparse_input


def _two_conv_net(x_input):
    net = tf.layers.conv2d(x_input, 4, 3, padding="same", activation=tf.nn.relu)
    net = tf.layers.conv2d(net, 6, 3, strides=2, padding="same", activation=tf.nn.relu)
    net = tf.layers.max_pooling2d(net, 2, 2)
    return tf.layers.dense(tf.reshape(net, [-1, 2 * 2 * 6]), 3)


def test_forward_and_filter_gradient_share_the_patch_matrix(monkeypatch):
    """In a CNN's specialised plan each Conv2D hands its patch matrix to the
    Conv2DBackpropFilter of the same input (one im2col per convolution and run), with
    the reference's gradients, bit for bit the same run after run."""
    im2col_calls = _counting(monkeypatch, "_im2col")
    monkeypatch.setattr(threads.BlasThreads, "parts", lambda self: 2)
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [None, 8, 8, 2])
        y = tf.placeholder(tf.int32, [None])
        loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(
            labels=y, logits=_two_conv_net(x)))
        kernels = [v for v in tf.trainable_variables() if "kernel" in v.name][:2]
        grads = tf.gradients(loss, kernels)
        feed = {x: rng.random((5, 8, 8, 2)).astype(np.float32), y: rng.integers(0, 3, 5)}
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            reference = sess.run(grads, feed)  # the first run: the reference interpreter
            specialised = sess.run(grads, feed)
            del im2col_calls[:]
            again = sess.run(grads, feed)
            (special,) = list(sess._plans.values())[-1].specializations.values()
    assert len(im2col_calls) == 2 * 5  # each conv's image blocks: one an image (8 blocks)
    forward = [s for s in special.steps if s.op.type == "Conv2D"]
    assert len(forward) == 2 and all(len(step.outputs) == 2 for step in forward)
    read = {slot for step in special.steps if step.op.type != "Conv2D" for slot in step.inputs}
    assert {step.outputs[1] for step in forward} <= read
    for got, want, repeat in zip(specialised, reference, again, strict=True):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)
        np.testing.assert_array_equal(got, repeat)


def test_shared_patches_give_the_unshared_kernel_bit_for_bit():
    x = rng.random((3, 7, 7, 2)).astype(np.float32)
    dy = rng.normal(size=(3, 4, 4, 5)).astype(np.float32)
    sizes = np.array([3, 3, 2, 5], np.int32)
    with tf.Graph().as_default():
        dk = tf.nn.conv2d_backprop_filter(x, sizes, dy, [1, 2, 2, 1], "SAME")
    patches = conv_rules._patches(conv_rules._Buffers(), x,
                                  *conv_rules._conv_windows(dk.op, x.shape, tuple(sizes)))
    shared = conv_rules._filter_grad_kernel(dk.op, None, True)(x, sizes, dy, patches)
    np.testing.assert_array_equal(shared, lowering.lookup_fast_kernel(dk.op, None)(x, sizes, dy))


def test_variable_inputs_do_not_share_patches():
    """A convolution of variable storage builds its own patches in the filter gradient
    (an update could change the variable between the two steps)."""
    with tf.Graph().as_default():
        image = tf.Variable(rng.random((2, 6, 6, 2)).astype(np.float32))
        kernel = tf.Variable(rng.random((3, 3, 2, 3)).astype(np.float32))
        loss = tf.reduce_sum(tf.square(tf.nn.conv2d(image, kernel, [1, 1, 1, 1], "SAME")))
        train = tf.train.GradientDescentOptimizer(0.01).minimize(loss)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for _ in range(3):
                sess.run(train)
            (special,) = list(sess._plans.values())[-1].specializations.values()
    forward = [s for s in special.steps if s.op.type == "Conv2D"]
    assert forward and all(len(step.outputs) == 1 for step in forward)


def test_bias_and_relu_run_in_the_convolution_output_pass():
    """conv2d -> bias_add -> relu is one specialised step (its values in between never
    materialised) with the reference's results, NaN included; a fetched pre-activation
    stops the chain there (the Relu keeps its own step)."""
    x = rng.normal(size=(3, 6, 6, 2)).astype(np.float32)
    with tf.Graph().as_default():
        xp = tf.placeholder(tf.float32, [None, 6, 6, 2])
        kernel = tf.constant(rng.normal(size=(3, 3, 2, 4)).astype(np.float32))
        bias = tf.placeholder(tf.float32, [4])
        pre = tf.nn.bias_add(tf.nn.conv2d(xp, kernel, [1, 1, 1, 1], "SAME"), bias)
        out = tf.nn.relu(pre)
        bias_value = np.array([0.5, -0.25, np.nan, 0.0], np.float32)
        with tf.Session() as sess:
            results = [sess.run(out, {xp: x, bias: bias_value}) for _ in range(3)]
            (special,) = list(sess._plans.values())[-1].specializations.values()
            both = [sess.run([out, pre], {xp: x, bias: bias_value}) for _ in range(3)]
            (apart,) = list(sess._plans.values())[-1].specializations.values()
    assert [step.op.type for step in special.steps] == ["Conv2D"]
    assert np.isnan(results[0][..., 2]).all()
    for got in results[1:]:
        np.testing.assert_allclose(got, results[0], rtol=1e-5, atol=1e-6)
        np.testing.assert_array_equal(got, results[-1])
    assert [step.op.type for step in apart.steps] == ["Conv2D", "Relu"]
    np.testing.assert_allclose(both[-1][0], results[0], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(both[-1][1], both[0][1], rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("parts", [1, 2])
def test_relu_layer_gradients_run_as_one_step(parts, monkeypatch):
    """A conv layer's MaxPoolGrad -> ReluGrad -> BiasAddGrad is one specialised step that
    scatters through the argmax its MaxPool kept (and ReluGrad -> BiasAddGrad of the
    layer below another), with the reference's gradients for every variable, NaN in the
    upstream gradient included, however many blocks the work is cut into."""
    monkeypatch.setattr(threads.BlasThreads, "parts", lambda self: parts)
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [None, 8, 8, 2])
        scale = tf.placeholder(tf.float32, [])
        logits = _two_conv_net(x)
        loss = tf.reduce_sum(logits * scale)
        variables = tf.trainable_variables()
        grads = tf.gradients(loss, variables)
        feed = {x: rng.normal(size=(4, 8, 8, 2)).astype(np.float32), scale: 1.0}
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            reference = sess.run(grads, feed)
            fast = sess.run(grads, feed)
            (special,) = list(sess._plans.values())[-1].specializations.values()
            nan_grads = sess.run(grads, {**feed, scale: np.nan})
    types = [step.op.type for step in special.steps]
    assert "MaxPoolGrad" not in types and types.count("ReluGrad") == 1
    assert types.count("Conv2DBackpropInput") == 0  # in the layer below's chained step
    assert types.count("Conv2DBackpropFilter") == 1  # paired with that chained step
    (pool,) = [step for step in special.steps if step.op.type == "MaxPool"]
    assert any(pool.outputs[1] in step.inputs for step in special.steps
               if step.op.type == "ReluGrad")
    assert "BiasAddGrad" in types  # the dense layer's (rank 2) stays apart
    for got, want in zip(fast, reference, strict=True):
        np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-6)
    assert all(np.isnan(g).all() for g in nan_grads[:4])


@pytest.mark.parametrize("parts", [1, 2, 3])
def test_work_cut_in_blocks_gives_the_reference_results(parts, monkeypatch):
    """However many blocks the run's threads cut the work into, the kernels give the
    reference's results (the zero-skipping and the dense paths), bit for bit the same
    from one call to the next."""
    monkeypatch.setattr(threads.BlasThreads, "parts", lambda self: parts)
    x = rng.normal(size=(5, 9, 8, 3)).astype(np.float32)
    kernel = rng.normal(size=(3, 3, 3, 4)).astype(np.float32)
    bias = rng.normal(size=4).astype(np.float32)
    with tf.Graph().as_default():
        y = tf.nn.relu(tf.nn.bias_add(tf.nn.conv2d(x, kernel, [1, 2, 2, 1], "SAME"), bias))
        conv = y.op.inputs[0].op.inputs[0]
        dx, dk = tf.gradients(conv, [conv.op.inputs[0], conv.op.inputs[1]],
                              _sparse_dy(conv.shape.as_list(), np.float32))
        dense_dy = rng.normal(size=conv.shape.as_list()).astype(np.float32)
    fused = conv_rules._conv2d_kernel(conv.op, None, True, (y.op.inputs[0].op, y.op))
    out, cols = fused(x, kernel, bias)
    np.testing.assert_allclose(out, np.maximum(
        conv.op.op_def.kernel(conv.op, None)(x, kernel) + bias, 0), rtol=1e-5, atol=1e-5)
    sizes, kernel_sizes = np.array(x.shape, np.int32), np.array(kernel.shape, np.int32)
    for dy in (_sparse_dy(conv.shape.as_list(), np.float32), dense_dy):
        for op, inputs in ((dx.op, (sizes, kernel, dy)), (dk.op, (x, kernel_sizes, dy))):
            fast, reference = _both(op, *inputs)
            np.testing.assert_allclose(fast, reference, rtol=1e-5, atol=1e-4)
            np.testing.assert_array_equal(fast, lowering.lookup_fast_kernel(op, None)(*inputs))
        shared = conv_rules._filter_grad_kernel(dk.op, None, True)(x, kernel_sizes, dy, cols)
        np.testing.assert_allclose(shared, _both(dk.op, x, kernel_sizes, dy)[1], rtol=1e-5,
                                   atol=1e-4)


def test_convolution_plans_take_the_threads_as_blocks():
    """A run of a plan with convolutions gives the Session's threads to the kernels'
    blocks and keeps BLAS at one thread; a plan without them gives the threads to BLAS."""
    policy = threads.policy()
    cpus = min(2, policy.cpus)
    config = tf.ConfigProto(intra_op_parallelism_threads=2)
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [None, 6, 6, 2])
        conv = tf.reduce_sum(tf.nn.conv2d(x, tf.ones([3, 3, 2, 3]), [1, 1, 1, 1], "SAME"))
        dense = tf.reduce_sum(tf.matmul(tf.reshape(x, [-1, 72]), tf.ones([72, 4])))
        feed = {x: rng.random((2, 6, 6, 2)).astype(np.float32)}
        with tf.Session(config=config) as sess:
            sess.run(conv, feed)
            assert (policy.parts(), policy.blas_threads()) == (cpus, 1)
            sess.run(dense, feed)
            assert (policy.parts(), policy.blas_threads()) == (1, cpus)


def _chain_ops(dtype):
    """The ops of two conv layers' gradients: (Conv2DBackpropInput of the upper layer,
    ReluGrad and BiasAddGrad of the lower one, its Conv2DBackpropFilter)."""
    with tf.Graph().as_default():
        x = tf.placeholder(dtype, [None, 9, 7, 2])
        kernel, bias = tf.zeros([3, 2, 2, 4], dtype), tf.zeros([4], dtype)
        lower = tf.nn.relu(tf.nn.bias_add(tf.nn.conv2d(x, kernel, [1, 1, 1, 1], "SAME"),
                                          bias))
        upper = tf.nn.conv2d(lower, tf.zeros([3, 3, 4, 5], dtype), [1, 2, 2, 1], "SAME")
        kernel_grad, bias_grad = tf.gradients(upper, [kernel, bias])
    relu_grad = bias_grad.op.inputs[0].op
    return [relu_grad.inputs[0].op, relu_grad, bias_grad.op, kernel_grad.op]


@pytest.mark.parametrize("parts", [1, 2, 3])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_input_relu_filter_chain_gives_the_three_steps_results(dtype, parts, monkeypatch):
    """The chained step Conv2DBackpropInput -> ReluGrad (+ BiasAddGrad) ->
    Conv2DBackpropFilter gives what the three steps give one after the other: sparse and
    dense upstream gradients, with and without the forward's patches, NaN in the upstream
    gradient, the kernel or the layer's output, over odd sizes and any block count."""
    monkeypatch.setattr(threads.BlasThreads, "parts", lambda self: parts)
    monkeypatch.setattr(conv_rules, "_CACHED_BYTES", 1)  # one image a block
    backprop_input, relu_grad, bias_grad, backprop_filter = _chain_ops(dtype)
    steps = [SimpleNamespace(op=op, kernel=kernel) for op, kernel in (
        (backprop_input, lowering.lookup_fast_kernel(backprop_input, None)),
        (relu_grad, conv_rules._relu_layer_grad_kernel(None, relu_grad, bias_grad)),
        (backprop_filter, conv_rules._filter_grad_kernel(backprop_filter, None, True)))]
    chained = conv_rules._input_relu_filter_kernel(None, *steps)
    x = rng.normal(size=(5, 9, 7, 2)).astype(dtype)
    y = np.maximum(rng.normal(size=(5, 9, 7, 4)), 0).astype(dtype)
    kernel = rng.normal(size=(3, 3, 4, 5)).astype(dtype)
    sizes, filter_sizes = np.array(y.shape, np.int32), np.array([3, 2, 2, 4], np.int32)
    patches = conv_rules._patches(conv_rules._Buffers(), x, *conv_rules._conv_windows(
        backprop_filter, x.shape, (3, 2, 2, 4)))
    nan_kernel, nan_y = kernel.copy(), y.copy()
    nan_kernel[1, 2, 3, 0], nan_y[3, 4, 5, 1] = np.nan, np.nan
    tolerance = 1e-4 if dtype == np.float32 else 1e-11
    for dy, weights, layer in ((_sparse_dy((5, 5, 4, 5), dtype), kernel, y),
                               (rng.normal(size=(5, 5, 4, 5)).astype(dtype), kernel, y),
                               (_sparse_dy((5, 5, 4, 5), dtype), nan_kernel, y),
                               (_sparse_dy((5, 5, 4, 5), dtype), kernel, nan_y)):
        dy[2, 1, 1, 3] = np.nan if layer is y and weights is kernel else dy[2, 1, 1, 3]
        relu_out, want_bias = steps[1].kernel(steps[0].kernel(sizes, weights, dy), layer)
        want_filter = backprop_filter.op_def.kernel(backprop_filter, None)(
            x, filter_sizes, relu_out)
        for extra in ((patches,), (None,), ()):
            bias, filter_grad = chained(sizes, weights, dy, layer, x, filter_sizes, *extra)
            assert bias.dtype == filter_grad.dtype == dtype
            np.testing.assert_allclose(bias, want_bias, rtol=tolerance, atol=tolerance)
            np.testing.assert_allclose(filter_grad, want_filter, rtol=tolerance,
                                       atol=tolerance)
            again = chained(sizes, weights, dy, layer, x, filter_sizes, *extra)
            np.testing.assert_array_equal(again[1], filter_grad)
    wrong_sizes = np.array([5, 9, 7, 3], np.int32)  # the chain raises what its steps raise
    with pytest.raises(Exception) as raised:
        steps[0].kernel(wrong_sizes, kernel, dy)
    with pytest.raises(type(raised.value)):
        chained(wrong_sizes, kernel, dy, y, x, filter_sizes)


def test_input_relu_filter_chain_is_one_step_of_a_cnn_plan():
    """In a CNN's specialised plan the lower layer's backward pass is one step (no
    Conv2DBackpropInput, the ReluGrad and its result never materialised) with the
    reference interpreter's gradients; a fetched ReluGrad result keeps the steps apart."""
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [None, 8, 8, 2])
        y = tf.placeholder(tf.int32, [None])
        loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(
            labels=y, logits=_two_conv_net(x)))
        variables = tf.trainable_variables()
        grads = tf.gradients(loss, variables)
        relu_out = [op for op in tf.get_default_graph().get_operations()
                    if op.type == "ReluGrad"][-1].outputs[0]
        feed = {x: rng.normal(size=(3, 8, 8, 2)).astype(np.float32),
                y: rng.integers(0, 3, 3)}
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            reference = sess.run(grads, feed)
            chained = [sess.run(grads, feed) for _ in range(2)][-1]
            (special,) = list(sess._plans.values())[-1].specializations.values()
            apart = [sess.run(grads + [relu_out], feed) for _ in range(2)][-1]
            (unchained,) = list(sess._plans.values())[-1].specializations.values()
    types = [step.op.type for step in special.steps]
    assert "Conv2DBackpropInput" not in types and types.count("ReluGrad") == 1
    assert [step.op.type for step in unchained.steps].count("ReluGrad") == 2
    for got, want, split in zip(chained, reference, apart[:-1], strict=True):
        np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-6)
        np.testing.assert_allclose(split, want, rtol=1e-4, atol=1e-6)


def test_run_tasks_runs_independent_work_side_by_side(monkeypatch):
    """threads.run_tasks gives each task's result in order; a task cuts its own work into
    one block (so its results do not depend on the threads), nested calls run in turn and
    a task's error reaches the caller."""
    policy = threads.policy()
    monkeypatch.setattr(policy, "_asked", 2)
    seen = []

    def task(value):
        seen.append(policy.parts())
        return policy.run_tasks([lambda: value, lambda: -value]) if value == 3 else value
    assert policy.run_tasks([lambda: task(1), lambda: task(3)]) == [1, [3, -3]]
    assert seen == [1, 1] and policy.parts() == min(2, policy.cpus)

    def failing():
        raise ValueError("inside a task")
    with pytest.raises(ValueError, match="inside a task"):
        policy.run_tasks([lambda: 1, failing])
    assert policy.parts() == min(2, policy.cpus)


@pytest.mark.parametrize("parts", [1, 2])
def test_independent_convolution_gradients_are_one_paired_step(parts, monkeypatch):
    """A convolution's filter and input gradients (neither reading the other) run as one
    step of two tasks, with the reference's gradients, bit for bit the same run after
    run and whether the tasks run side by side or in turn."""
    monkeypatch.setattr(threads.BlasThreads, "parts", lambda self: parts)
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float64, [None, 7, 6, 3])
        kernel = tf.Variable(rng.normal(size=(3, 3, 3, 4)))
        loss = tf.reduce_sum(tf.sin(tf.nn.conv2d(x, kernel, [1, 2, 2, 1], "SAME")))
        grads = tf.gradients(loss, [x, kernel])
        feed = {x: rng.normal(size=(3, 7, 6, 3))}
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            reference = sess.run(grads, feed)
            runs = [sess.run(grads, feed) for _ in range(2)]
            (special,) = list(sess._plans.values())[-1].specializations.values()
    (pair,) = [step for step in special.steps if step.op.type in (
        "Conv2DBackpropFilter", "Conv2DBackpropInput")]
    assert len(pair.outputs) == 2
    for got, want, again in zip(runs[0], reference, runs[1], strict=True):
        np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-12)
        np.testing.assert_array_equal(got, again)


def test_large_dense_gradients_of_a_convolution_plan_are_paired(monkeypatch):
    """In a plan with convolutions a dense layer's two gradient products run as one step
    of two tasks when they are large (PAIRED_PRODUCT), apart when small, with the
    reference's gradients."""
    monkeypatch.setattr(threads.BlasThreads, "parts", lambda self: 2)
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [None, 8, 8, 2])
        net = tf.layers.conv2d(x, 16, 3, padding="same", activation=tf.nn.relu)
        hidden = tf.layers.dense(tf.reshape(net, [-1, 1024]), 128, activation=tf.nn.relu)
        loss = tf.reduce_sum(tf.layers.dense(hidden, 3))
        variables = tf.trainable_variables()
        grads = tf.gradients(loss, variables)
        feed = {x: rng.normal(size=(8, 8, 8, 2)).astype(np.float32)}
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            reference = sess.run(grads, feed)
            fast = [sess.run(grads, feed) for _ in range(2)][-1]
            (special,) = list(sess._plans.values())[-1].specializations.values()
    products = [(step.op.name, len(step.outputs)) for step in special.steps
                if step.op.type == "MatMul" and "gradients" in step.op.name]
    assert [outputs for name, outputs in products if "dense/" in name] == [2]
    assert [outputs for name, outputs in products if "dense_1/" in name] == [1, 1]
    for got, want in zip(fast, reference, strict=True):
        np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("window,stride,padding", [(2, 2, "VALID"), (3, 3, "SAME"),
                                                   (3, 2, "SAME")])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_pooled_relu_layer_gradient_matches_the_reference_chain(window, stride, padding,
                                                                  dtype, monkeypatch):
    """The ReLU layer's fused MaxPoolGrad -> ReluGrad -> BiasAddGrad through the forward's
    argmax gives the reference ops' results, overlapping windows or not: ties, zeros,
    negative and NaN layer outputs, NaN upstream."""
    monkeypatch.setattr(threads.BlasThreads, "parts", lambda self: 2)
    with tf.Graph().as_default():
        y = tf.placeholder(dtype, [3, 7, 9, 4])
        pooled = tf.nn.max_pool(y, [1, window, window, 1], [1, stride, stride, 1], padding)
        relu_input = tf.placeholder(dtype, [3, 7, 9, 4])
        relu, bias = tf.nn.relu(relu_input), tf.zeros([4], dtype)
        bias_grad = tf.gradients(tf.nn.bias_add(relu_input, bias), bias)[0]
        dy = tf.placeholder(dtype, pooled.shape.as_list())
        pool_grad = tf.gradients(pooled, y, dy)[0]
        relu_grad = tf.gradients(relu, relu_input, pool_grad)[0]
    values = np.round(rng.normal(size=(3, 7, 9, 4)), 1).astype(dtype)  # ties
    values[values < -1] = 0.0
    values[1, 2, 3, 1], values[2, 5, 6, 3] = np.nan, -np.inf
    upstream = rng.normal(size=pooled.shape.as_list()).astype(dtype)
    upstream[0, 1, 1, 2] = np.nan
    run = {op: op.op_def.kernel(op, None) for op in (pooled.op, pool_grad.op, relu_grad.op,
                                                     bias_grad.op)}
    pooled_value = run[pooled.op](values)
    argmax = np.empty(pooled_value.shape, np.int32)
    geometry = conv_rules._geometry(*conv_rules.nn_conv_ops._pool_windows(pool_grad.op,
                                                                          values.shape))
    conv_rules._max_pool(values, geometry, np.empty_like(pooled_value), argmax, True)
    want = run[relu_grad.op](run[pool_grad.op](values, pooled_value, upstream), values)
    fused = conv_rules._relu_layer_grad_kernel(None, relu_grad.op, bias_grad.op, pool_grad.op)
    with np.errstate(invalid="ignore"):
        got, got_bias = fused(values, pooled_value, upstream, argmax)
    np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(got_bias, run[bias_grad.op](want), rtol=1e-5, atol=1e-5)
    assert np.isnan(got[0]).any() and np.isnan(got_bias[2])

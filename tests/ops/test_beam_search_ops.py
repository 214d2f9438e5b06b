"""GatherTree: TF 1.15's test cases, bad parents, short lengths, the Numba rule against the
NumPy reference, static and run-time shape errors."""
import numpy as np
import pytest

import tfcompat as tf
from tfcompat.ops.beam_search_ops import gather_tree, gather_tree_reference
from tfcompat.runtime.rules.beam_search import _gather_tree_loops


def _time_major(batch_major):
    return np.array(batch_major, np.int32).transpose([1, 0, 2])


STEP_IDS = _time_major([[[1, 2, 3], [4, 5, 6], [7, 8, 9], [-1, -1, -1]]])
PARENT_IDS = _time_major([[[0, 0, 0], [0, 1, 1], [2, 1, 2], [-1, -1, -1]]])


def _run_twice(beams):
    """The reference interpreter's result (first run) and the specialised plan's."""
    with tf.Session() as sess:
        return sess.run(beams), sess.run(beams)


@pytest.mark.parametrize("steps, lengths, expected", [
    (slice(None), [3], [[2, 2, 2], [6, 5, 6], [7, 8, 9], [10, 10, 10]]),
    (slice(2, None), [1], [[7, 8, 9], [10, 10, 10]]),
    (slice(None), [0], [[10, 10, 10]] * 4),
])
def test_gather_tree_traces_beams_back(steps, lengths, expected):
    with tf.Graph().as_default():
        beams = gather_tree(STEP_IDS[steps], PARENT_IDS[steps], lengths, 10)
        assert beams.shape.as_list() == list(STEP_IDS[steps].shape)
        for got in _run_twice(beams):
            np.testing.assert_array_equal(got[:, 0], expected)


def test_gather_tree_bad_parent_writes_minus_one_and_end_token_stops_beams():
    step_ids = _time_major([[[2, 3, 4], [5, 10, 7], [8, 9, 1]]])
    parent_ids = _time_major([[[0, 0, 0], [0, 5, 1], [1, 1, 2]]])
    want = np.array([[-1, 10, 10], [-1, 10, 10], [3, 7, 1]]).T[:, None, :]
    np.testing.assert_array_equal(
        gather_tree_reference(step_ids, parent_ids, np.array([3], np.int32), 10), want)
    with tf.Graph().as_default():
        for got in _run_twice(gather_tree(step_ids, parent_ids, [3], 10)):
            np.testing.assert_array_equal(got, want)


def test_numba_loops_equal_the_reference_on_random_beams():
    rng = np.random.default_rng(0)
    step_ids = rng.integers(0, 6, size=(7, 4, 5)).astype(np.int32)
    parent_ids = rng.integers(0, 5, size=(7, 4, 5)).astype(np.int32)
    lengths = np.array([7, 3, 0, 9], np.int32)
    np.testing.assert_array_equal(_gather_tree_loops(step_ids, parent_ids, lengths, np.int32(5)),
                                  gather_tree_reference(step_ids, parent_ids, lengths, 5))


def test_gather_tree_shape_and_dtype_errors():
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match="Shape must be rank 3 but is rank 2"):
            gather_tree(STEP_IDS[0], PARENT_IDS[0], [3], 10)
        with pytest.raises(ValueError, match="Dimensions must be equal, but are 1 and 2"):
            gather_tree(STEP_IDS, PARENT_IDS, [3, 3], 10)
        with pytest.raises(TypeError, match="not in list of allowed values: int32"):
            gather_tree(STEP_IDS.astype(np.int64), PARENT_IDS, [3], 10)
        step = tf.placeholder(tf.int32)
        beams = gather_tree(step, PARENT_IDS, [3], 10)
        assert not beams.op.op_def.differentiable
        with tf.Session() as sess:
            with pytest.raises(tf.errors.InvalidArgumentError,
                               match="step_ids.shape must match parent_ids.shape"):
                sess.run(beams, {step: STEP_IDS[:2]})

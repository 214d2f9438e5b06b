"""Decoding helpers of ``tf.contrib.seq2seq`` (TF 1.15 ``helper.py``): what a BasicDecoder
feeds its cell at each step and how it picks sample ids from the cell's outputs.

``TrainingHelper`` reads the ground-truth inputs from TensorArrays (teacher forcing);
``GreedyEmbeddingHelper`` feeds back the embedded argmax, ``SampleEmbeddingHelper`` an
embedded sample from the (temperature-scaled) softmax; the scheduled helpers mix the two by
a Bernoulli draw per batch row (sample id -1 marks "not sampled", as TF does);
``InferenceHelper`` and ``CustomHelper`` take the user's functions.
"""
from tfcompat.framework import dtypes, nest, ops, tensor_shape
from tfcompat.ops import array_ops, control_flow_ops, math_ops, random_ops
from tfcompat.ops.tensor_array_ops import TensorArray
from tfcompat.rnn.rnn import _transpose_batch_time

__all__ = ["Helper", "TrainingHelper", "GreedyEmbeddingHelper", "SampleEmbeddingHelper",
           "CustomHelper", "ScheduledEmbeddingTrainingHelper",
           "ScheduledOutputTrainingHelper", "InferenceHelper"]


def _unstack_ta(inp):
    return TensorArray(dtype=inp.dtype, size=array_ops.shape(inp)[0],
                       element_shape=inp.shape[1:]).unstack(inp)


def _embedding_fn(embedding):
    if callable(embedding):
        return embedding
    from tfcompat import nn
    return lambda ids: nn.embedding_lookup(embedding, ids)


def _bernoulli(probability, batch_size, seed):
    """A [batch_size] bool draw, True with ``probability`` (a scalar or per-row vector)."""
    uniform = random_ops.random_uniform([batch_size], dtype=probability.dtype, seed=seed)
    return math_ops.less(uniform, probability)


def _categorical(logits, seed):
    """One int32 sample id per row of ``logits`` (TF's Categorical(logits).sample())."""
    draws = random_ops.multinomial(logits, 1, seed=seed, output_dtype=dtypes.int32)
    return array_ops.reshape(draws, [-1])


def _check_probability(sampling_probability):
    probability = ops.convert_to_tensor(sampling_probability, name="sampling_probability")
    if probability.shape.ndims not in (0, 1):
        raise ValueError(f"sampling_probability must be either a scalar or a vector. "
                         f"saw shape: {probability.shape}")
    return probability


class Helper:
    """Interface of the helpers: ``batch_size``, ``sample_ids_shape``, ``sample_ids_dtype``,
    ``initialize()``, ``sample(time, outputs, state)`` and ``next_inputs(time, outputs,
    state, sample_ids)`` -> (finished, next_inputs, next_state)."""

    @property
    def batch_size(self):
        raise NotImplementedError

    @property
    def sample_ids_shape(self):
        raise NotImplementedError

    @property
    def sample_ids_dtype(self):
        raise NotImplementedError

    def initialize(self, name=None):
        raise NotImplementedError

    def sample(self, time, outputs, state, name=None):
        raise NotImplementedError

    def next_inputs(self, time, outputs, state, sample_ids, name=None):
        raise NotImplementedError


class CustomHelper(Helper):
    """A helper made of ``initialize_fn() -> (finished, next_inputs)``,
    ``sample_fn(time, outputs, state)`` and ``next_inputs_fn(time, outputs, state,
    sample_ids)``; the batch size is the size of the first ``finished``."""

    def __init__(self, initialize_fn, sample_fn, next_inputs_fn, sample_ids_shape=None,
                 sample_ids_dtype=None):
        self._initialize_fn = initialize_fn
        self._sample_fn = sample_fn
        self._next_inputs_fn = next_inputs_fn
        self._batch_size = None
        self._sample_ids_shape = tensor_shape.TensorShape(sample_ids_shape or [])
        self._sample_ids_dtype = sample_ids_dtype or dtypes.int32

    @property
    def batch_size(self):
        if self._batch_size is None:
            raise ValueError("batch_size accessed before initialize was called")
        return self._batch_size

    @property
    def sample_ids_shape(self):
        return self._sample_ids_shape

    @property
    def sample_ids_dtype(self):
        return self._sample_ids_dtype

    def initialize(self, name=None):
        with ops.name_scope(name, f"{type(self).__name__}Initialize"):
            finished, next_inputs = self._initialize_fn()
            if self._batch_size is None:
                self._batch_size = array_ops.size(finished)
        return finished, next_inputs

    def sample(self, time, outputs, state, name=None):
        with ops.name_scope(name, f"{type(self).__name__}Sample", [time, outputs, state]):
            return self._sample_fn(time=time, outputs=outputs, state=state)

    def next_inputs(self, time, outputs, state, sample_ids, name=None):
        with ops.name_scope(name, f"{type(self).__name__}NextInputs",
                            [time, outputs, state]):
            return self._next_inputs_fn(time=time, outputs=outputs, state=state,
                                        sample_ids=sample_ids)


class TrainingHelper(Helper):
    """Teacher forcing: step t's input is ``inputs[:, t]`` ([batch, time, ...], or
    [time, batch, ...] with ``time_major``); a row is finished once t + 1 reaches its
    ``sequence_length``; sample ids are the argmax of the outputs."""

    def __init__(self, inputs, sequence_length, time_major=False, name=None):
        with ops.name_scope(name, "TrainingHelper", [inputs, sequence_length]):
            inputs = nest.map_structure(lambda x: ops.convert_to_tensor(x, name="inputs"),
                                        inputs)
            self._inputs = inputs
            if not time_major:
                inputs = nest.map_structure(_transpose_batch_time, inputs)
            self._input_tas = nest.map_structure(_unstack_ta, inputs)
            self._sequence_length = ops.convert_to_tensor(sequence_length,
                                                          name="sequence_length")
            if self._sequence_length.shape.ndims != 1:
                raise ValueError(f"Expected sequence_length to be a vector, but received "
                                 f"shape: {self._sequence_length.shape}")
            self._zero_inputs = nest.map_structure(lambda x: array_ops.zeros_like(x[0, :]),
                                                   inputs)
            self._batch_size = array_ops.size(sequence_length)

    @property
    def inputs(self):
        return self._inputs

    @property
    def sequence_length(self):
        return self._sequence_length

    @property
    def batch_size(self):
        return self._batch_size

    @property
    def sample_ids_shape(self):
        return tensor_shape.TensorShape([])

    @property
    def sample_ids_dtype(self):
        return dtypes.int32

    def _inputs_at(self, time, finished):
        return control_flow_ops.cond(
            math_ops.reduce_all(finished), lambda: self._zero_inputs,
            lambda: nest.map_structure(lambda ta: ta.read(time), self._input_tas))

    def initialize(self, name=None):
        with ops.name_scope(name, "TrainingHelperInitialize"):
            finished = math_ops.equal(0, self._sequence_length)
            return finished, self._inputs_at(0, finished)

    def sample(self, time, outputs, name=None, **unused_kwargs):
        with ops.name_scope(name, "TrainingHelperSample", [time, outputs]):
            return math_ops.cast(math_ops.argmax(outputs, axis=-1), dtypes.int32)

    def next_inputs(self, time, outputs, state, name=None, **unused_kwargs):
        with ops.name_scope(name, "TrainingHelperNextInputs", [time, outputs, state]):
            next_time = time + 1
            finished = math_ops.greater_equal(next_time, self._sequence_length)
            return finished, self._inputs_at(next_time, finished), state


class ScheduledEmbeddingTrainingHelper(TrainingHelper):
    """Teacher forcing where, with ``sampling_probability`` per row and step, the input is
    instead the embedding of an id sampled from the outputs' softmax (scheduled sampling)."""

    def __init__(self, inputs, sequence_length, embedding, sampling_probability,
                 time_major=False, seed=None, scheduling_seed=None, name=None):
        with ops.name_scope(name, "ScheduledEmbeddingSamplingWrapper",
                            [embedding, sampling_probability]):
            self._embedding_fn = _embedding_fn(embedding)
            self._sampling_probability = _check_probability(sampling_probability)
            self._seed = seed
            self._scheduling_seed = scheduling_seed
            super().__init__(inputs=inputs, sequence_length=sequence_length,
                             time_major=time_major, name=name)

    def initialize(self, name=None):
        return super().initialize(name=name)

    def sample(self, time, outputs, state, name=None):
        with ops.name_scope(name, "ScheduledEmbeddingTrainingHelperSample",
                            [time, outputs, state]):
            select = _bernoulli(self._sampling_probability, self.batch_size,
                                self._scheduling_seed)
            return math_ops.where(select, _categorical(outputs, self._seed),
                                  array_ops.fill([self.batch_size], -1))

    def next_inputs(self, time, outputs, state, sample_ids, name=None):
        with ops.name_scope(name, "ScheduledEmbeddingTrainingHelperNextInputs",
                            [time, outputs, state, sample_ids]):
            finished, base_next_inputs, state = super().next_inputs(
                time=time, outputs=outputs, state=state, sample_ids=sample_ids, name=name)
            sampling = math_ops.greater(sample_ids, -1)

            def maybe_sample():
                embedded = self._embedding_fn(math_ops.maximum(sample_ids, 0))
                return math_ops.where(sampling, embedded, base_next_inputs)
            next_inputs = control_flow_ops.cond(math_ops.reduce_all(finished),
                                                lambda: base_next_inputs, maybe_sample)
            return finished, next_inputs, state


class ScheduledOutputTrainingHelper(TrainingHelper):
    """Teacher forcing where, with ``sampling_probability`` per row and step, the input is
    instead the cell's output (through ``next_inputs_fn``, then concatenated with the
    step's ``auxiliary_inputs`` when given); sample ids are the draws as int32 0/1."""

    def __init__(self, inputs, sequence_length, sampling_probability, time_major=False,
                 seed=None, next_inputs_fn=None, auxiliary_inputs=None, name=None):
        with ops.name_scope(name, "ScheduledOutputTrainingHelper",
                            [inputs, auxiliary_inputs, sampling_probability]):
            self._sampling_probability = _check_probability(sampling_probability)
            if auxiliary_inputs is None:
                maybe_concatenated_inputs = inputs
                self._auxiliary_input_tas = None
            else:
                inputs = ops.convert_to_tensor(inputs, name="inputs")
                auxiliary_inputs = ops.convert_to_tensor(auxiliary_inputs,
                                                         name="auxiliary_inputs")
                maybe_concatenated_inputs = array_ops.concat((inputs, auxiliary_inputs), -1)
                if not time_major:
                    auxiliary_inputs = _transpose_batch_time(auxiliary_inputs)
                self._auxiliary_input_tas = _unstack_ta(auxiliary_inputs)
            self._seed = seed
            self._next_inputs_fn = next_inputs_fn
            super().__init__(inputs=maybe_concatenated_inputs,
                             sequence_length=sequence_length, time_major=time_major,
                             name=name)

    def initialize(self, name=None):
        return super().initialize(name=name)

    def sample(self, time, outputs, state, name=None):
        with ops.name_scope(name, "ScheduledOutputTrainingHelperSample",
                            [time, outputs, state]):
            draws = _bernoulli(self._sampling_probability, self.batch_size, self._seed)
            return math_ops.cast(draws, dtypes.int32)

    def _sampled_inputs(self, time, outputs):
        if self._next_inputs_fn is not None:
            outputs = self._next_inputs_fn(outputs)
        if self._auxiliary_input_tas is None:
            return outputs
        return array_ops.concat((outputs, self._auxiliary_input_tas.read(time + 1)), -1)

    def next_inputs(self, time, outputs, state, sample_ids, name=None):
        with ops.name_scope(name, "ScheduledOutputTrainingHelperNextInputs",
                            [time, outputs, state, sample_ids]):
            finished, base_next_inputs, state = super().next_inputs(
                time=time, outputs=outputs, state=state, sample_ids=sample_ids, name=name)
            sampling = math_ops.cast(sample_ids, dtypes.bool)
            keep_base = math_ops.logical_or(math_ops.reduce_all(finished),
                                            math_ops.logical_not(math_ops.reduce_any(sampling)))
            next_inputs = control_flow_ops.cond(
                keep_base, lambda: base_next_inputs,
                lambda: math_ops.where(sampling, self._sampled_inputs(time, outputs),
                                       base_next_inputs))
            return finished, next_inputs, state


class GreedyEmbeddingHelper(Helper):
    """Inference: feeds back the embedding of the argmax of the outputs, starting from
    ``start_tokens``; a row is finished when it emits ``end_token``."""

    def __init__(self, embedding, start_tokens, end_token):
        self._embedding_fn = _embedding_fn(embedding)
        self._start_tokens = ops.convert_to_tensor(start_tokens, dtype=dtypes.int32,
                                                   name="start_tokens")
        self._end_token = ops.convert_to_tensor(end_token, dtype=dtypes.int32,
                                                name="end_token")
        if self._start_tokens.shape.ndims != 1:
            raise ValueError("start_tokens must be a vector")
        self._batch_size = array_ops.size(start_tokens)
        if self._end_token.shape.ndims != 0:
            raise ValueError("end_token must be a scalar")
        self._start_inputs = self._embedding_fn(self._start_tokens)

    @property
    def batch_size(self):
        return self._batch_size

    @property
    def sample_ids_shape(self):
        return tensor_shape.TensorShape([])

    @property
    def sample_ids_dtype(self):
        return dtypes.int32

    def initialize(self, name=None):
        finished = array_ops.tile([False], [self._batch_size])
        return finished, self._start_inputs

    def sample(self, time, outputs, state, name=None):
        if not isinstance(outputs, ops.Tensor):
            raise TypeError(f"Expected outputs to be a single Tensor, got: {type(outputs)}")
        return math_ops.argmax(outputs, axis=-1, output_type=dtypes.int32)

    def next_inputs(self, time, outputs, state, sample_ids, name=None):
        finished = math_ops.equal(sample_ids, self._end_token)
        next_inputs = control_flow_ops.cond(math_ops.reduce_all(finished),
                                            lambda: self._start_inputs,
                                            lambda: self._embedding_fn(sample_ids))
        return finished, next_inputs, state


class SampleEmbeddingHelper(GreedyEmbeddingHelper):
    """Inference feeding back the embedding of an id sampled from softmax(outputs /
    ``softmax_temperature``)."""

    def __init__(self, embedding, start_tokens, end_token, softmax_temperature=None,
                 seed=None):
        super().__init__(embedding, start_tokens, end_token)
        self._softmax_temperature = softmax_temperature
        self._seed = seed

    def sample(self, time, outputs, state, name=None):
        if not isinstance(outputs, ops.Tensor):
            raise TypeError(f"Expected outputs to be a single Tensor, got: {type(outputs)}")
        logits = outputs if self._softmax_temperature is None else \
            outputs / self._softmax_temperature
        return _categorical(logits, self._seed)


class InferenceHelper(Helper):
    """Inference on real-valued outputs: ``sample_fn(outputs)`` gives the sample ids,
    which (through ``next_inputs_fn`` when given) are the next inputs; ``end_fn(sample_ids)``
    says which rows are finished."""

    def __init__(self, sample_fn, sample_shape, sample_dtype, start_inputs, end_fn,
                 next_inputs_fn=None):
        self._sample_fn = sample_fn
        self._end_fn = end_fn
        self._sample_shape = tensor_shape.TensorShape(sample_shape)
        self._sample_dtype = sample_dtype
        self._next_inputs_fn = next_inputs_fn
        self._batch_size = array_ops.shape(start_inputs)[0]
        self._start_inputs = ops.convert_to_tensor(start_inputs, name="start_inputs")

    @property
    def batch_size(self):
        return self._batch_size

    @property
    def sample_ids_shape(self):
        return self._sample_shape

    @property
    def sample_ids_dtype(self):
        return self._sample_dtype

    def initialize(self, name=None):
        return array_ops.tile([False], [self._batch_size]), self._start_inputs

    def sample(self, time, outputs, state, name=None):
        return self._sample_fn(outputs)

    def next_inputs(self, time, outputs, state, sample_ids, name=None):
        next_inputs = sample_ids if self._next_inputs_fn is None else \
            self._next_inputs_fn(sample_ids)
        return self._end_fn(sample_ids), next_inputs, state

"""``tf.contrib.factorization.KMeans`` (TF 1.15 clustering_ops.py): the k-means training
graph — variables ``clusters`` and ``initialized`` (mini-batch: also a counts variable, and
with several steps per iteration ``clusters_updated`` and ``update_in_steps``), an init op
that adds centers until ``num_clusters`` are chosen, full-batch Lloyd steps and the
mini-batch running-average update, for squared Euclidean or cosine distance."""
from tfcompat import nn
from tfcompat.framework import dtypes, ops
from tfcompat.ops import (array_ops, array_ops_extra, check_ops, control_flow_ops, loop_ops,
                          math_ops, random_ops, scatter_ops, state_ops, variables)
from tfcompat.ops.clustering_ops import (kmc2_chain_initialization,
                                         kmeans_plus_plus_initialization, nearest_neighbors)

SQUARED_EUCLIDEAN_DISTANCE = "squared_euclidean"
COSINE_DISTANCE = "cosine"
RANDOM_INIT = "random"
KMEANS_PLUS_PLUS_INIT = "kmeans_plus_plus"
KMC2_INIT = "kmc2"
CLUSTERS_VAR_NAME = "clusters"


class KMeans:
    """Builds the graph of k-means clustering of ``inputs`` (one tensor or a list of
    shards, rows assumed randomly permuted) into ``num_clusters`` clusters.

    ``initial_clusters``: "random", "kmeans_plus_plus", "kmc2", a function
    f(inputs, k) returning up to k centers, or a tensor/array of the centers.
    ``use_mini_batch``: each step updates centers from the batch with per-center learning
    rate 1 / count; with ``mini_batch_steps_per_iteration`` > 1 the updates go to a copy
    that is synced back to ``clusters`` every that many steps."""

    def __init__(self, inputs, num_clusters, initial_clusters=RANDOM_INIT,
                 distance_metric=SQUARED_EUCLIDEAN_DISTANCE, use_mini_batch=False,
                 mini_batch_steps_per_iteration=1, random_seed=0,
                 kmeans_plus_plus_num_retries=2, kmc2_chain_length=200):
        if isinstance(initial_clusters, str) and initial_clusters not in (
                RANDOM_INIT, KMEANS_PLUS_PLUS_INIT, KMC2_INIT):
            raise ValueError(f"Unsupported initialization algorithm '{initial_clusters}'")
        if distance_metric not in (SQUARED_EUCLIDEAN_DISTANCE, COSINE_DISTANCE):
            raise ValueError(f"Unsupported distance metric '{distance_metric}'")
        self._inputs = inputs if isinstance(inputs, list) else [inputs]
        self._num_clusters = num_clusters
        self._initial_clusters = initial_clusters
        self._distance_metric = distance_metric
        self._use_mini_batch = use_mini_batch
        self._mini_batch_steps_per_iteration = int(mini_batch_steps_per_iteration)
        self._random_seed = random_seed
        self._kmeans_plus_plus_num_retries = kmeans_plus_plus_num_retries
        self._kmc2_chain_length = kmc2_chain_length

    @classmethod
    def _distance_graph(cls, inputs, clusters, distance_metric):
        """Per input, the [rows, num_clusters] distances to every center."""
        if distance_metric == SQUARED_EUCLIDEAN_DISTANCE:
            return [math_ops.reduce_sum(math_ops.square(inp), 1, keepdims=True)
                    - 2 * math_ops.matmul(inp, clusters, transpose_b=True)
                    + array_ops.transpose(math_ops.reduce_sum(math_ops.square(clusters), 1,
                                                              keepdims=True))
                    for inp in inputs]
        return [1 - math_ops.matmul(inp, clusters, transpose_b=True) for inp in inputs]

    def _infer_graph(self, inputs, clusters):
        """(all_scores, scores, cluster_idx), each a tuple with one tensor per input: the
        distances to all centers, to the nearest center, and the nearest center's index."""
        all_scores = self._distance_graph(inputs, clusters, self._distance_metric)
        if self._distance_metric == COSINE_DISTANCE and not self._clusters_l2_normalized():
            clusters = nn.l2_normalize(clusters, dim=1)
        scores, cluster_idx = [], []
        for inp in inputs:
            indices, distances = nearest_neighbors(inp, clusters, 1)
            if self._distance_metric == COSINE_DISTANCE:
                # Between unit vectors the cosine distance is half the squared Euclidean one.
                distances *= 0.5
            scores.append(array_ops.squeeze(distances, [-1]))
            cluster_idx.append(array_ops.squeeze(indices, [-1]))
        return tuple(all_scores), tuple(scores), tuple(cluster_idx)

    def _clusters_l2_normalized(self):
        """Whether the stored centers are kept of unit length."""
        return self._distance_metric == COSINE_DISTANCE and (
            not self._use_mini_batch or self._mini_batch_steps_per_iteration > 1)

    def _create_variables(self, num_clusters):
        """(clusters, initialized, counts or None, the centers updated each step, the steps
        left before the next sync or None)."""
        init_value = array_ops.constant([], dtype=dtypes.float32)
        cluster_centers = variables.Variable(init_value, name=CLUSTERS_VAR_NAME,
                                                  validate_shape=False)
        initialized = variables.Variable(False, dtype=dtypes.bool, name="initialized")
        if self._use_mini_batch and self._mini_batch_steps_per_iteration > 1:
            cluster_centers_updated = variables.Variable(
                init_value, name="clusters_updated", validate_shape=False)
            update_in_steps = variables.Variable(
                self._mini_batch_steps_per_iteration, dtype=dtypes.int64,
                name="update_in_steps")
            cluster_counts = variables.Variable(
                array_ops.zeros([num_clusters], dtype=dtypes.int64))
            return (cluster_centers, initialized, cluster_counts, cluster_centers_updated,
                    update_in_steps)
        cluster_counts = (variables.Variable(array_ops.ones([num_clusters],
                                                                 dtype=dtypes.int64))
                          if self._use_mini_batch else None)
        return cluster_centers, initialized, cluster_counts, cluster_centers, None

    def training_graph(self):
        """TF's 6-tuple (all_scores, cluster_idx, scores, cluster_centers_initialized,
        init_op, training_op): run init_op until cluster_centers_initialized is True, then
        training_op once per Lloyd iteration (or mini-batch step)."""
        if isinstance(self._initial_clusters, str) or callable(self._initial_clusters):
            initial_clusters = self._initial_clusters
            num_clusters = ops.convert_to_tensor(self._num_clusters)
        else:
            initial_clusters = ops.convert_to_tensor(self._initial_clusters)
            # TF infers the counts' static length from shape(initial_clusters)[0]; tfcompat
            # takes the static row count where there is one.
            num_clusters = (initial_clusters.shape[0].value if initial_clusters.shape.ndims
                            else None)
            if num_clusters is None:
                num_clusters = array_ops.shape(initial_clusters)[0]
            num_clusters = ops.convert_to_tensor(num_clusters)
        inputs = self._inputs
        (cluster_centers_var, initialized, total_counts, cluster_centers_updated,
         update_in_steps) = self._create_variables(num_clusters)
        init_op = _InitializeClustersOpFactory(
            self._inputs, num_clusters, initial_clusters, self._distance_metric,
            self._random_seed, self._kmeans_plus_plus_num_retries, self._kmc2_chain_length,
            cluster_centers_var, cluster_centers_updated, initialized).op()
        cluster_centers = cluster_centers_var
        if self._distance_metric == COSINE_DISTANCE:
            inputs = [nn.l2_normalize(inp, dim=1) for inp in inputs]
            if not self._clusters_l2_normalized():
                cluster_centers = nn.l2_normalize(cluster_centers, dim=1)
        all_scores, scores, cluster_idx = self._infer_graph(inputs, cluster_centers)
        if self._use_mini_batch:
            sync_updates_op = self._mini_batch_sync_updates_op(
                update_in_steps, cluster_centers_var, cluster_centers_updated, total_counts)
            with ops.control_dependencies([sync_updates_op]):
                training_op = self._mini_batch_training_op(
                    inputs, cluster_idx, cluster_centers_updated, total_counts)
        else:
            training_op = self._full_batch_training_op(inputs, num_clusters, cluster_idx,
                                                       cluster_centers_var)
        return all_scores, cluster_idx, scores, initialized, init_op, training_op

    def _mini_batch_sync_updates_op(self, update_in_steps, cluster_centers_var,
                                    cluster_centers_updated, total_counts):
        """Every ``mini_batch_steps_per_iteration`` steps: copy the updated centers into
        ``clusters`` and zero the counts; otherwise count one step down."""
        if not (self._use_mini_batch and self._mini_batch_steps_per_iteration > 1):
            return control_flow_ops.no_op()

        def sync():
            with ops.control_dependencies([state_ops.assign(
                    update_in_steps, self._mini_batch_steps_per_iteration - 1)]):
                centers = cluster_centers_updated
                if self._distance_metric == COSINE_DISTANCE:
                    centers = nn.l2_normalize(cluster_centers_updated, dim=1)
                with ops.control_dependencies([state_ops.assign(cluster_centers_var,
                                                                centers)]):
                    with ops.control_dependencies([state_ops.assign(
                            total_counts, array_ops.zeros_like(total_counts))]):
                        return array_ops.identity(update_in_steps)

        return control_flow_ops.cond(update_in_steps <= 0, sync,
                                     lambda: state_ops.assign_sub(update_in_steps, 1))

    def _mini_batch_training_op(self, inputs, cluster_idx_list, cluster_centers,
                                total_counts):
        """x += (sum of the k new points - k x) / (n + k) for each center with old value x,
        old count n and k points of the batch assigned to it; counts += k."""
        update_ops = []
        for inp, cluster_idx in zip(inputs, cluster_idx_list, strict=True):
            cluster_idx = array_ops.reshape(cluster_idx, [-1])
            unique_ids, unique_idx = array_ops_extra.unique(cluster_idx)
            num_unique = array_ops.size(unique_ids)
            old_counts = array_ops.gather(total_counts, unique_ids)
            old_centers = array_ops.gather(cluster_centers, unique_ids)
            count_updates = math_ops.unsorted_segment_sum(
                array_ops.ones_like(unique_idx, dtype=total_counts.dtype), unique_idx,
                num_unique)
            center_updates = math_ops.unsorted_segment_sum(inp, unique_idx, num_unique)
            broadcast_shape = array_ops.concat(
                [array_ops.reshape(num_unique, [1]),
                 array_ops.ones(array_ops.reshape(array_ops.rank(inp) - 1, [1]),
                                dtype=dtypes.int32)], 0)
            center_updates -= math_ops.cast(array_ops.reshape(count_updates, broadcast_shape),
                                            inp.dtype) * old_centers
            learning_rate = math_ops.reciprocal(math_ops.cast(old_counts + count_updates,
                                                              inp.dtype))
            center_updates *= array_ops.reshape(learning_rate, broadcast_shape)
            update_ops.append(scatter_ops.scatter_add(total_counts, unique_ids, count_updates))
            update_ops.append(scatter_ops.scatter_add(cluster_centers, unique_ids,
                                                      center_updates))
        return control_flow_ops.group(*update_ops)

    def _full_batch_training_op(self, inputs, num_clusters, cluster_idx_list,
                                cluster_centers):
        """One Lloyd step: each center becomes the mean of its points (sum / (count +
        1e-6)), re-normalised for cosine distance."""
        epsilon = array_ops.constant(1e-6, dtype=inputs[0].dtype)
        cluster_sums, cluster_counts = [], []
        for inp, cluster_idx in zip(inputs, cluster_idx_list, strict=True):
            cluster_sums.append(math_ops.unsorted_segment_sum(inp, cluster_idx, num_clusters))
            ones = array_ops.ones(array_ops.reshape(array_ops.shape(inp)[0], [-1]))
            cluster_counts.append(math_ops.unsorted_segment_sum(
                array_ops.reshape(ones, [-1, 1]), cluster_idx, num_clusters))
        new_centers = math_ops.add_n(cluster_sums) / (
            math_ops.cast(math_ops.add_n(cluster_counts), cluster_sums[0].dtype) + epsilon)
        if self._clusters_l2_normalized():
            new_centers = nn.l2_normalize(new_centers, dim=1)
        return state_ops.assign(cluster_centers, new_centers)


class _InitializeClustersOpFactory:
    """The init op: while fewer than ``num_clusters`` centers are chosen, choose more (all
    remaining from one batch for random / k-means++ / given centers; one per
    ``kmc2_chain_length`` points for k-MC²), append them to ``clusters`` (and its updated
    copy) and set ``initialized`` once all are there; when all are, assert ``initialized``."""

    def __init__(self, inputs, num_clusters, initial_clusters, distance_metric, random_seed,
                 kmeans_plus_plus_num_retries, kmc2_chain_length, cluster_centers,
                 cluster_centers_updated, cluster_centers_initialized):
        self._inputs = inputs
        self._num_clusters = num_clusters
        self._initial_clusters = initial_clusters
        self._distance_metric = distance_metric
        self._random_seed = random_seed
        self._kmeans_plus_plus_num_retries = kmeans_plus_plus_num_retries
        self._kmc2_chain_length = kmc2_chain_length
        self._cluster_centers = cluster_centers
        self._cluster_centers_updated = cluster_centers_updated
        self._cluster_centers_initialized = cluster_centers_initialized
        self._num_selected = array_ops.shape(self._cluster_centers)[0]
        self._num_remaining = self._num_clusters - self._num_selected
        self._num_data = math_ops.add_n([array_ops.shape(i)[0] for i in self._inputs])

    def _normalized(self, centers):
        if self._distance_metric == COSINE_DISTANCE:
            return nn.l2_normalize(centers, dim=1)
        return centers

    def _random(self):
        indices = random_ops.random_uniform(
            array_ops.reshape(self._num_remaining, [-1]), minval=0,
            maxval=math_ops.cast(self._num_data, dtypes.int64), seed=self._random_seed,
            dtype=dtypes.int64)
        return nn.embedding_lookup(self._inputs, indices, partition_strategy="div")

    def _kmeans_plus_plus(self):
        return kmeans_plus_plus_initialization(
            self._normalized(self._inputs[0]),
            math_ops.cast(self._num_remaining, dtypes.int64), self._random_seed,
            self._kmeans_plus_plus_num_retries)

    def _kmc2_multiple_centers(self):
        """Adds one center per ``kmc2_chain_length`` rows of the first shard (at least one,
        at most the remaining): the first row when none is chosen yet, else the end of a
        k-MC² chain over that subset's distances to the chosen centers."""
        first_shard = self._inputs[0]
        batch_size = array_ops.shape(first_shard)[0]
        max_to_sample = math_ops.cast(batch_size / self._kmc2_chain_length,
                                      dtype=dtypes.int32)
        num_to_sample = math_ops.maximum(math_ops.minimum(self._num_remaining, max_to_sample),
                                         1)

        def body(i, _):
            def sample_first():
                return self._normalized(array_ops.reshape(first_shard[0], [1, -1]))

            def sample_kmc2_chain():
                start = i * self._kmc2_chain_length
                subset = first_shard[start:start + self._kmc2_chain_length]
                _, distances = nearest_neighbors(subset, self._cluster_centers, 1)
                new_index = kmc2_chain_initialization(array_ops.squeeze(distances),
                                                      self._random_seed)
                new_center = self._normalized(array_ops.reshape(subset[new_index], [1, -1]))
                return array_ops.concat([self._cluster_centers, new_center], 0)

            new_centers = control_flow_ops.cond(math_ops.equal(self._num_selected, 0),
                                                sample_first, sample_kmc2_chain)
            assigned = self._assign_centers(new_centers)
            return i + 1, self._num_clusters - array_ops.shape(assigned)[0]

        _, num_remaining = loop_ops.while_loop(lambda i, _: math_ops.less(i, num_to_sample),
                                               body, [0, 0])
        return num_remaining

    def _assign_centers(self, centers):
        assigned = state_ops.assign(self._cluster_centers, centers, validate_shape=False)
        if self._cluster_centers_updated is not self._cluster_centers:
            assigned = state_ops.assign(self._cluster_centers_updated, assigned,
                                        validate_shape=False)
        return assigned

    def _choose_initial_centers(self):
        if isinstance(self._initial_clusters, str) and self._initial_clusters == RANDOM_INIT:
            # A batch no larger than the remaining count is taken whole.
            return control_flow_ops.cond(self._num_data <= self._num_remaining,
                                         lambda: array_ops.concat(self._inputs, 0),
                                         self._random)
        if isinstance(self._initial_clusters, str):  # KMEANS_PLUS_PLUS_INIT
            with ops.control_dependencies([check_ops.assert_greater_equal(
                    self._num_data, self._num_remaining)]):
                return self._kmeans_plus_plus()
        if callable(self._initial_clusters):
            return self._initial_clusters(self._inputs, self._num_remaining)
        with ops.control_dependencies([check_ops.assert_equal(
                self._num_remaining, array_ops.shape(self._initial_clusters)[0])]):
            return self._initial_clusters

    def _add_new_centers(self):
        """Adds centers; returns how many are still missing."""
        new_centers = self._normalized(self._choose_initial_centers())
        all_centers = control_flow_ops.cond(
            math_ops.equal(self._num_selected, 0), lambda: new_centers,
            lambda: array_ops.concat([self._cluster_centers, new_centers], 0))
        return self._num_clusters - array_ops.shape(self._assign_centers(all_centers))[0]

    def _initialize(self):
        with ops.control_dependencies([check_ops.assert_positive(self._num_remaining)]):
            if isinstance(self._initial_clusters, str) and self._initial_clusters == KMC2_INIT:
                num_now_remaining = self._kmc2_multiple_centers()
            else:
                num_now_remaining = self._add_new_centers()
            return control_flow_ops.cond(
                math_ops.equal(num_now_remaining, 0),
                lambda: state_ops.assign(self._cluster_centers_initialized, True),
                control_flow_ops.no_op)

    def op(self):
        """The cluster initializer op."""
        return control_flow_ops.cond(
            math_ops.equal(self._num_remaining, 0),
            lambda: check_ops.assert_equal(self._cluster_centers_initialized, True),
            self._initialize)

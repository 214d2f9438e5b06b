"""``tf.estimator.experimental.KMeans`` = ``tf.contrib.factorization.KMeansClustering``
(TF 1.15): an Estimator whose model_fn builds the KMeans training graph of
tf.contrib.factorization on the input points; training first runs the init op (chief) until
the centers are chosen, each step is one Lloyd iteration or mini-batch step; the loss and the
``score`` metric are the sum of the distances of the points to their nearest center."""
import time

from tfcompat import logging, metrics, summary
from tfcompat.contrib.factorization import clustering_ops
from tfcompat.estimator.estimator import Estimator
from tfcompat.estimator.export import PredictOutput
from tfcompat.estimator.model_fn import EstimatorSpec
from tfcompat.feature_column import feature_column as fc
from tfcompat.ops import array_ops, control_flow_ops, math_ops, state_ops
from tfcompat.saved_model import signature_constants
from tfcompat.train import session_run_hook, training_util


class _LossRelativeChangeHook(session_run_hook.SessionRunHook):
    """Stops training once |loss - previous| / (1 + |previous|) falls below ``tolerance``."""

    def __init__(self, loss_tensor, tolerance):
        self._loss_tensor = loss_tensor
        self._tolerance = tolerance
        self._prev_loss = None

    def before_run(self, run_context):
        return session_run_hook.SessionRunArgs(self._loss_tensor)

    def after_run(self, run_context, run_values):
        loss = run_values.results
        if self._prev_loss:
            relative_change = abs(loss - self._prev_loss) / (1 + abs(self._prev_loss))
            if relative_change < self._tolerance:
                run_context.request_stop()
        self._prev_loss = loss


class _InitializeClustersHook(session_run_hook.SessionRunHook):
    """After the session is made, the chief runs the init op until the centers are all
    chosen; other workers wait for that."""

    def __init__(self, init_op, is_initialized_var, is_chief):
        self._init_op = init_op
        self._is_initialized_var = is_initialized_var
        self._is_chief = is_chief

    def after_create_session(self, session, coord):
        while True:
            try:
                if session.run(self._is_initialized_var):
                    break
                if self._is_chief:
                    session.run(self._init_op)
                else:
                    time.sleep(1)
            except RuntimeError as error:
                logging.info(error)


def _parse_features_if_necessary(features, feature_columns):
    """A dict of features becomes one [n, k] matrix: the feature columns' input layer, or
    the features concatenated in sorted key order; anything else is used as is."""
    if not isinstance(features, dict):
        return features
    if feature_columns:
        return fc.input_layer(features, feature_columns)
    keys = sorted(features.keys())
    return array_ops.concat([features[k] for k in keys], axis=1)


class _ModelFn:
    """The estimator's model_fn(features, mode, config)."""

    def __init__(self, num_clusters, initial_clusters, distance_metric, random_seed,
                 use_mini_batch, mini_batch_steps_per_iteration, kmeans_plus_plus_num_retries,
                 relative_tolerance, feature_columns):
        self._num_clusters = num_clusters
        self._initial_clusters = initial_clusters
        self._distance_metric = distance_metric
        self._random_seed = random_seed
        self._use_mini_batch = use_mini_batch
        self._mini_batch_steps_per_iteration = mini_batch_steps_per_iteration
        self._kmeans_plus_plus_num_retries = kmeans_plus_plus_num_retries
        self._relative_tolerance = relative_tolerance
        self._feature_columns = feature_columns

    def model_fn(self, features, mode, config):
        input_points = _parse_features_if_necessary(features, self._feature_columns)
        (all_distances, model_predictions, losses, is_initialized, init_op,
         training_op) = clustering_ops.KMeans(
            inputs=input_points, num_clusters=self._num_clusters,
            initial_clusters=self._initial_clusters, distance_metric=self._distance_metric,
            use_mini_batch=self._use_mini_batch,
            mini_batch_steps_per_iteration=self._mini_batch_steps_per_iteration,
            random_seed=self._random_seed,
            kmeans_plus_plus_num_retries=self._kmeans_plus_plus_num_retries).training_graph()
        loss = math_ops.reduce_sum(losses)
        summary.scalar("loss/raw", loss)
        incr_step = state_ops.assign_add(training_util.get_global_step(), 1)
        training_op = control_flow_ops._with_dependencies([training_op, incr_step], loss)
        training_hooks = [_InitializeClustersHook(init_op, is_initialized, config.is_chief)]
        if self._relative_tolerance is not None:
            training_hooks.append(_LossRelativeChangeHook(loss, self._relative_tolerance))
        export_outputs = {
            KMeansClustering.ALL_DISTANCES: PredictOutput(all_distances[0]),
            KMeansClustering.CLUSTER_INDEX: PredictOutput(model_predictions[0]),
            signature_constants.DEFAULT_SERVING_SIGNATURE_DEF_KEY:
                PredictOutput(model_predictions[0])}
        return EstimatorSpec(
            mode=mode,
            predictions={KMeansClustering.ALL_DISTANCES: all_distances[0],
                         KMeansClustering.CLUSTER_INDEX: model_predictions[0]},
            loss=loss, train_op=training_op,
            eval_metric_ops={KMeansClustering.SCORE: metrics.mean(loss)},
            training_hooks=training_hooks, export_outputs=export_outputs)


class KMeansClustering(Estimator):
    """An Estimator for k-means clustering: ``train(input_fn)`` runs Lloyd iterations
    (full batch) or mini-batch steps, ``cluster_centers()`` reads the ``clusters``
    variable, ``predict_cluster_index`` / ``transform`` yield each point's nearest center
    index / distances to all centers, ``score`` is the summed distance to nearest
    centers."""

    SQUARED_EUCLIDEAN_DISTANCE = clustering_ops.SQUARED_EUCLIDEAN_DISTANCE
    COSINE_DISTANCE = clustering_ops.COSINE_DISTANCE
    RANDOM_INIT = clustering_ops.RANDOM_INIT
    KMEANS_PLUS_PLUS_INIT = clustering_ops.KMEANS_PLUS_PLUS_INIT
    SCORE = "score"
    CLUSTER_INDEX = "cluster_index"
    ALL_DISTANCES = "all_distances"
    CLUSTER_CENTERS_VAR_NAME = clustering_ops.CLUSTERS_VAR_NAME

    def __init__(self, num_clusters, model_dir=None, initial_clusters=RANDOM_INIT,
                 distance_metric=SQUARED_EUCLIDEAN_DISTANCE, random_seed=0,
                 use_mini_batch=True, mini_batch_steps_per_iteration=1,
                 kmeans_plus_plus_num_retries=2, relative_tolerance=None, config=None,
                 feature_columns=None):
        if isinstance(initial_clusters, str) and initial_clusters not in (
                KMeansClustering.RANDOM_INIT, KMeansClustering.KMEANS_PLUS_PLUS_INIT):
            raise ValueError(f"Unsupported initialization algorithm '{initial_clusters}'")
        if distance_metric not in (KMeansClustering.SQUARED_EUCLIDEAN_DISTANCE,
                                   KMeansClustering.COSINE_DISTANCE):
            raise ValueError(f"Unsupported distance metric '{distance_metric}'")
        model = _ModelFn(num_clusters, initial_clusters, distance_metric, random_seed,
                         use_mini_batch, mini_batch_steps_per_iteration,
                         kmeans_plus_plus_num_retries, relative_tolerance, feature_columns)
        super().__init__(model_fn=model.model_fn, model_dir=model_dir, config=config)

    def _predict_one_key(self, input_fn, predict_key):
        for result in self.predict(input_fn=input_fn, predict_keys=[predict_key]):
            yield result[predict_key]

    def predict_cluster_index(self, input_fn):
        """Yields the index of the nearest center of each input point."""
        yield from self._predict_one_key(input_fn, KMeansClustering.CLUSTER_INDEX)

    def score(self, input_fn):
        """The sum of the distances of the points of one input_fn batch to their nearest
        centers."""
        return self.evaluate(input_fn=input_fn, steps=1)[KMeansClustering.SCORE]

    def transform(self, input_fn):
        """Yields each point's distances to all centers."""
        yield from self._predict_one_key(input_fn, KMeansClustering.ALL_DISTANCES)

    def cluster_centers(self):
        """The cluster centers of the latest checkpoint."""
        return self.get_variable_value(KMeansClustering.CLUSTER_CENTERS_VAR_NAME)

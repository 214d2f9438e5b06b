"""``tf.estimator.Exporter`` and its kinds, which ``train_and_evaluate`` calls after each
evaluation (TF 1.15's exporter.py): each writes SavedModels through
``Estimator.export_saved_model`` into ``<model_dir>/export/<name>/<timestamp>``.

- ``LatestExporter`` exports after every evaluation and keeps the newest
  ``exports_to_keep``;
- ``FinalExporter`` exports once, after the final evaluation;
- ``BestExporter`` exports when the evaluation beats the best one so far by ``compare_fn``
  (default: a smaller "loss"), the best starting from the evaluation results already in the
  model's eval event files.
"""
import glob
import os
import shutil

from tfcompat import logging
from tfcompat.framework import errors


class Exporter:
    """``tf.estimator.Exporter``: the base class, with ``name`` and ``export``."""

    @property
    def name(self):
        raise NotImplementedError("Exporter.name")

    def export(self, estimator, export_path, checkpoint_path, eval_result,
               is_the_final_export):
        """Exports the model; returns the export directory, or None."""
        raise NotImplementedError("Exporter.export")


class _SavedModelExporter(Exporter):
    """The shared part: a name, a serving input receiver, assets and text options."""

    def __init__(self, name, serving_input_receiver_fn, assets_extra=None, as_text=False):
        if not name:
            raise ValueError("`name` must be a nonempty string.")
        if serving_input_receiver_fn is None:
            raise ValueError("`serving_input_receiver_fn` must be defined.")
        self._name = name
        self._serving_input_receiver_fn = serving_input_receiver_fn
        self._assets_extra = assets_extra
        self._as_text = as_text

    @property
    def name(self):
        return self._name

    def _save(self, estimator, export_path, checkpoint_path):
        exported = estimator.export_saved_model(
            export_path, self._serving_input_receiver_fn, assets_extra=self._assets_extra,
            as_text=self._as_text, checkpoint_path=checkpoint_path)
        return exported


def _keep_newest(export_path, exports_to_keep):
    """Deletes all but the ``exports_to_keep`` newest timestamped exports."""
    if exports_to_keep is None:
        return
    exports = sorted((int(os.path.basename(p)), p) for p in glob.glob(
        os.path.join(export_path, "*")) if os.path.basename(p).isdigit())
    for _, path in exports[:-exports_to_keep] if exports_to_keep else exports:
        try:
            shutil.rmtree(path)
        except OSError as error:
            logging.warning("Can not delete %s recursively: %s", path, error)


def _check_exports_to_keep(exports_to_keep):
    if exports_to_keep is not None and exports_to_keep <= 0:
        raise ValueError("`exports_to_keep`, if provided, must be positive number")


class LatestExporter(_SavedModelExporter):
    """``tf.estimator.LatestExporter(name, serving_input_receiver_fn, assets_extra=None,
    as_text=False, exports_to_keep=5)``."""

    def __init__(self, name, serving_input_receiver_fn, assets_extra=None, as_text=False,
                 exports_to_keep=5):
        super().__init__(name, serving_input_receiver_fn, assets_extra, as_text)
        _check_exports_to_keep(exports_to_keep)
        self._exports_to_keep = exports_to_keep

    def export(self, estimator, export_path, checkpoint_path, eval_result,
               is_the_final_export):
        exported = self._save(estimator, export_path, checkpoint_path)
        _keep_newest(export_path, self._exports_to_keep)
        return exported


class FinalExporter(_SavedModelExporter):
    """``tf.estimator.FinalExporter(name, serving_input_receiver_fn, assets_extra=None,
    as_text=False)``: exports only after the final evaluation."""

    def export(self, estimator, export_path, checkpoint_path, eval_result,
               is_the_final_export):
        if not is_the_final_export:
            return None
        logging.info("Performing the final export in the end of training.")
        return self._save(estimator, export_path, checkpoint_path)


def _loss_smaller(best_eval_result, current_eval_result):
    """TF's default compare_fn: True when the current "loss" is smaller."""
    key = "loss"
    if not best_eval_result or key not in best_eval_result:
        raise ValueError("best_eval_result cannot be empty or no loss is found in it.")
    if not current_eval_result or key not in current_eval_result:
        raise ValueError("current_eval_result cannot be empty or no loss is found in it.")
    return best_eval_result[key] > current_eval_result[key]


class BestExporter(_SavedModelExporter):
    """``tf.estimator.BestExporter(name='best_exporter', serving_input_receiver_fn=None,
    event_file_pattern='eval/*.tfevents.*', compare_fn=_loss_smaller, assets_extra=None,
    as_text=False, exports_to_keep=5)``."""

    def __init__(self, name="best_exporter", serving_input_receiver_fn=None,
                 event_file_pattern="eval/*.tfevents.*", compare_fn=_loss_smaller,
                 assets_extra=None, as_text=False, exports_to_keep=5):
        super().__init__(name, serving_input_receiver_fn, assets_extra, as_text)
        if compare_fn is None:
            raise ValueError("`compare_fn` must not be None.")
        _check_exports_to_keep(exports_to_keep)
        self._compare_fn = compare_fn
        self._event_file_pattern = event_file_pattern
        self._exports_to_keep = exports_to_keep
        self._model_dir = None
        self._best_eval_result = None

    def export(self, estimator, export_path, checkpoint_path, eval_result,
               is_the_final_export):
        if self._model_dir != estimator.model_dir and self._event_file_pattern:
            self._model_dir = estimator.model_dir
            pattern = os.path.join(estimator.model_dir, self._event_file_pattern)
            self._best_eval_result = self._best_in_event_files(pattern)
        if self._best_eval_result is None or self._compare_fn(self._best_eval_result,
                                                              eval_result):
            logging.info("Exporting a better model (%s instead of %s)...", eval_result,
                         self._best_eval_result)
            self._best_eval_result = eval_result
            exported = self._save(estimator, export_path, checkpoint_path)
            _keep_newest(export_path, self._exports_to_keep)
            return exported
        return None

    def _best_in_event_files(self, pattern):
        """The best evaluation result written as scalar summaries in the event files."""
        from tfcompat.train.summary_iterator import summary_iterator
        best = None
        for path in glob.glob(pattern):
            try:
                for event in summary_iterator(path):
                    values = {value.tag: value.simple_value for value in event.summary.value
                              if value.HasField("simple_value")} if event.HasField(
                                  "summary") else {}
                    if values and (best is None or self._compare_fn(best, values)):
                        best = values
            except errors.DataLossError as error:
                logging.warning("Could not read %s: %s", path, error)
        return best

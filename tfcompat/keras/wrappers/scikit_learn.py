"""scikit-learn style wrappers of Keras models (Keras 2.2.4-tf): ``build_fn`` makes a
compiled model from the ``sk_params`` it names; ``fit``/``predict``/``evaluate`` take the
ones their signatures name. Duck-typed: scikit-learn itself is not needed."""
import copy
import inspect

import numpy as np

from tfcompat.keras import losses
from tfcompat.keras.models import Sequential
from tfcompat.keras.utils.np_utils import to_categorical


class BaseWrapper:
    """``BaseWrapper(build_fn=None, **sk_params)``: ``get_params``/``set_params`` as
    scikit-learn estimators."""

    def __init__(self, build_fn=None, **sk_params):
        self.build_fn = build_fn
        self.sk_params = sk_params
        self.check_params(sk_params)

    def _legal_functions(self):
        build = self.build_fn if self.build_fn is not None else self.__call__
        return [Sequential.fit, Sequential.predict, Sequential.evaluate, build]

    def check_params(self, params):
        """Raises ValueError for a parameter no function takes."""
        for name in params:
            if not any(name in inspect.signature(fn).parameters
                       for fn in self._legal_functions()):
                if name != "nb_epoch":
                    raise ValueError(f"{name} is not a legal parameter")

    def get_params(self, **params):
        result = copy.deepcopy(self.sk_params)
        result.update({"build_fn": self.build_fn})
        return result

    def set_params(self, **params):
        self.check_params(params)
        self.sk_params.update(params)
        return self

    def filter_sk_params(self, fn, override=None):
        """The sk_params ``fn`` takes, updated with ``override``."""
        names = inspect.signature(fn).parameters
        result = {name: value for name, value in self.sk_params.items() if name in names}
        result.update(override or {})
        return result

    def _build(self):
        build = self.build_fn if self.build_fn is not None else self.__call__
        return build(**self.filter_sk_params(build))

    def fit(self, x, y, **kwargs):
        """Builds a new model and fits it; returns its History."""
        self.model = self._build()
        y = self._prepare_targets(np.asarray(y))
        history = self.model.fit(x, y, **self.filter_sk_params(Sequential.fit, kwargs))
        return history

    def _prepare_targets(self, y):
        return y

    def _wants_one_hot(self, y):
        loss = self.model.loss
        return (losses.base_function(losses.get(loss)) is losses.categorical_crossentropy
                and len(y.shape) != 2)


class KerasClassifier(BaseWrapper):
    """Classifier: ``classes_`` from the labels; ``predict`` gives labels,
    ``predict_proba`` probabilities, ``score`` the accuracy metric."""

    def _prepare_targets(self, y):
        if len(y.shape) == 2 and y.shape[1] > 1:
            self.classes_ = np.arange(y.shape[1])
        elif (len(y.shape) == 2 and y.shape[1] == 1) or len(y.shape) == 1:
            self.classes_ = np.unique(y)
            y = np.searchsorted(self.classes_, y)
        else:
            raise ValueError(f"Invalid shape for y: {y.shape}")
        self.n_classes_ = len(self.classes_)
        return to_categorical(y) if self._wants_one_hot(y) else y

    def predict(self, x, **kwargs):
        kwargs = self.filter_sk_params(Sequential.predict_classes, kwargs)
        probabilities = self.model.predict(x, **kwargs)
        if probabilities.shape[-1] > 1:
            classes = probabilities.argmax(axis=-1)
        else:
            classes = (probabilities > 0.5).astype("int32")
        return self.classes_[classes]

    def predict_proba(self, x, **kwargs):
        probabilities = self.model.predict(x, **self.filter_sk_params(Sequential.predict,
                                                                      kwargs))
        if probabilities.shape[1] == 1:
            probabilities = np.hstack([1 - probabilities, probabilities])
        return probabilities

    def score(self, x, y, **kwargs):
        y = np.searchsorted(self.classes_, y)
        if self._wants_one_hot(y):
            y = to_categorical(y)
        outputs = self.model.evaluate(x, y, **self.filter_sk_params(Sequential.evaluate,
                                                                    kwargs))
        outputs = outputs if isinstance(outputs, list) else [outputs]
        for name, output in zip(self.model.metrics_names, outputs, strict=True):
            if name in ("accuracy", "acc"):
                return output
        raise ValueError("The model is not configured to compute accuracy. You should pass "
                         "`metrics=[\"accuracy\"]` to the `model.compile()` method.")


class KerasRegressor(BaseWrapper):
    """Regressor: ``predict`` gives the squeezed outputs, ``score`` minus the loss."""

    def predict(self, x, **kwargs):
        return np.squeeze(self.model.predict(x, **self.filter_sk_params(Sequential.predict,
                                                                        kwargs)))

    def score(self, x, y, **kwargs):
        loss = self.model.evaluate(x, y, **self.filter_sk_params(Sequential.evaluate, kwargs))
        return -(loss[0] if isinstance(loss, list) else loss)

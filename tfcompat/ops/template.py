"""``tf.make_template`` (TF 1.x ``ops/template.py``): a function whose variables are created
on its first call, in a variable scope of its own, and shared by every later call."""
import functools

from tfcompat.framework import ops
from tfcompat.ops import variable_scope


class Template:
    """A wrapped function sharing its variables between calls (``tf.make_template``)."""

    def __init__(self, name, func, create_scope_now=False, unique_name=None,
                 custom_getter=None):
        if name is None:
            raise ValueError("name cannot be None.")
        self._func = func
        self._name = name
        self._unique_name = unique_name
        self._custom_getter = custom_getter
        self._variable_scope = None
        self._variables_created = False
        if create_scope_now:
            with variable_scope.variable_scope(unique_name, name,
                                               custom_getter=custom_getter) as scope:
                self._variable_scope = scope

    def _call_func(self, args, kwargs):
        trainable_at_start = len(ops.get_collection(ops.GraphKeys.TRAINABLE_VARIABLES))
        result = self._func(*args, **kwargs)
        if self._variables_created:
            trainable = ops.get_collection(ops.GraphKeys.TRAINABLE_VARIABLES)
            if len(trainable) != trainable_at_start:
                raise ValueError("Trainable variable created when calling a template after the "
                                 "first time, perhaps you used tf.Variable when you meant "
                                 f"tf.get_variable: {trainable[trainable_at_start:]}")
        self._variables_created = True
        return result

    def __call__(self, *args, **kwargs):
        if self._variable_scope is not None:
            with variable_scope.variable_scope(self._variable_scope,
                                               reuse=True if self._variables_created else None):
                return self._call_func(args, kwargs)
        with variable_scope.variable_scope(self._unique_name, self._name,
                                           custom_getter=self._custom_getter) as scope:
            self._variable_scope = scope
            return self._call_func(args, kwargs)

    @property
    def name(self):
        return self._name

    @property
    def func(self):
        return self._func

    @property
    def variable_scope(self):
        return self._variable_scope

    var_scope = variable_scope

    @property
    def variable_scope_name(self):
        return self._variable_scope.name if self._variable_scope is not None else None

    def _collection(self, key):
        if self._variable_scope is None:
            return []
        return ops.get_collection(key, self._variable_scope.name + "/")

    @property
    def variables(self):
        return self.global_variables + self.local_variables

    @property
    def trainable_variables(self):
        return self._collection(ops.GraphKeys.TRAINABLE_VARIABLES)

    @property
    def global_variables(self):
        return self._collection(ops.GraphKeys.GLOBAL_VARIABLES)

    @property
    def local_variables(self):
        return self._collection(ops.GraphKeys.LOCAL_VARIABLES)


def make_template(name_, func_, create_scope_now_=False, unique_name_=None,
                  custom_getter_=None, **kwargs):
    """``tf.make_template(name_, func_, create_scope_now_=False, unique_name_=None,
    custom_getter_=None, **kwargs)``: ``kwargs`` are bound to ``func_``."""
    if kwargs:
        func_ = functools.partial(func_, **kwargs)
    return Template(name_, func_, create_scope_now=create_scope_now_, unique_name=unique_name_,
                    custom_getter=custom_getter_)

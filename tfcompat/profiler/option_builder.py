"""tf.profiler.ProfileOptionBuilder: the option dicts tf.profiler.profile reads (TF 1.15)."""
import copy

#: The op type tf.profiler gives the ops of tf.trainable_variables() (tfprof_logger's name).
TRAINABLE_VARIABLES = "_trainable_variables"


def _base_options(**overrides):
    """TF's option dict with every filter open, updated by ``overrides``."""
    options = {"max_depth": 100, "min_bytes": 0, "min_micros": 0, "min_params": 0,
               "min_float_ops": 0, "min_occurrence": 0, "order_by": "name",
               "account_type_regexes": [".*"], "start_name_regexes": [".*"],
               "trim_name_regexes": [], "show_name_regexes": [".*"], "hide_name_regexes": [],
               "account_displayed_op_only": False, "select": ["micros"], "step": -1,
               "output": "stdout"}
    options.update(overrides)
    return options


class ProfileOptionBuilder:
    """Builds the options dict of ``tf.profiler.profile``.

    As in TF, the static methods return ready-made dicts (trainable parameters, float ops,
    time and memory); an instance starts from TF's defaults (or a copy of a given dict), each
    ``with_*``/``order_by``/``select`` call sets options and returns the builder, and
    ``build()`` returns a copy of the dict.
    """

    def __init__(self, options=None):
        self._options = copy.deepcopy(options) if options is not None else _base_options()

    @staticmethod
    def trainable_variables_parameter():
        """Options counting the parameters of trainable variables (for the "scope" view)."""
        return _base_options(max_depth=10000, account_type_regexes=[TRAINABLE_VARIABLES],
                             account_displayed_op_only=True, select=["params"])

    @staticmethod
    def float_operation():
        """Options counting float operations of the ops with a registered FLOPs formula."""
        return _base_options(max_depth=10000, min_float_ops=1, order_by="float_ops",
                             account_displayed_op_only=True, select=["float_ops"])

    @staticmethod
    def time_and_memory(min_micros=1, min_bytes=1, min_accelerator_micros=0,
                        min_cpu_micros=0, min_peak_bytes=0, min_residual_bytes=0,
                        min_output_bytes=0):
        """Options showing the ops' run time and memory (TF's keys and order)."""
        options = {"max_depth": 10000, "min_bytes": min_bytes, "min_peak_bytes": min_peak_bytes,
                   "min_residual_bytes": min_residual_bytes,
                   "min_output_bytes": min_output_bytes, "min_micros": min_micros,
                   "min_accelerator_micros": min_accelerator_micros,
                   "min_cpu_micros": min_cpu_micros}
        options.update((key, value) for key, value in _base_options(
            order_by="micros", account_displayed_op_only=True,
            select=["micros", "bytes"]).items() if key not in options)
        return options

    def build(self):
        """A copy of the options dict built so far."""
        return copy.deepcopy(self._options)

    def _set(self, **options):
        self._options.update(options)
        return self

    def with_max_depth(self, max_depth):
        """Shows nodes down to ``max_depth`` (name-scope depth in the "scope" view)."""
        return self._set(max_depth=max_depth)

    def with_min_memory(self, min_bytes=0, min_peak_bytes=0, min_residual_bytes=0,
                        min_output_bytes=0):
        """Shows only nodes with at least these memory figures."""
        return self._set(min_bytes=min_bytes, min_peak_bytes=min_peak_bytes,
                         min_residual_bytes=min_residual_bytes,
                         min_output_bytes=min_output_bytes)

    def with_min_execution_time(self, min_micros=0, min_accelerator_micros=0,
                                min_cpu_micros=0):
        """Shows only nodes with at least these execution times."""
        return self._set(min_micros=min_micros, min_accelerator_micros=min_accelerator_micros,
                         min_cpu_micros=min_cpu_micros)

    def with_min_parameters(self, min_params):
        """Shows only nodes holding at least ``min_params`` parameters."""
        return self._set(min_params=min_params)

    def with_min_occurrence(self, min_occurrence):
        """Shows only nodes made of at least ``min_occurrence`` graph nodes."""
        return self._set(min_occurrence=min_occurrence)

    def with_min_float_operations(self, min_float_ops):
        """Shows only nodes with at least ``min_float_ops`` float operations."""
        return self._set(min_float_ops=min_float_ops)

    def with_accounted_types(self, account_type_regexes):
        """Accounts (and shows) only nodes with a type matching one of the regexes."""
        return self._set(account_type_regexes=copy.copy(account_type_regexes))

    def with_node_names(self, start_name_regexes=None, show_name_regexes=None,
                        hide_name_regexes=None, trim_name_regexes=None):
        """Sets the name regexes where display starts, shows, hides and stops descending."""
        regexes = {"start_name_regexes": start_name_regexes,
                   "show_name_regexes": show_name_regexes,
                   "hide_name_regexes": hide_name_regexes,
                   "trim_name_regexes": trim_name_regexes}
        return self._set(**{key: copy.copy(value) for key, value in regexes.items()
                            if value is not None})

    def account_displayed_op_only(self, is_true):
        """Whether totals count only the nodes displayed (else every accounted node)."""
        return self._set(account_displayed_op_only=is_true)

    def with_empty_output(self):
        """Writes no report."""
        return self._set(output="none")

    def with_stdout_output(self):
        """Prints the report to stdout."""
        return self._set(output="stdout")

    def with_file_output(self, outfile):
        """Writes the report to ``outfile``."""
        return self._set(output=f"file:outfile={outfile}")

    def with_timeline_output(self, timeline_file):
        """Asks for a timeline json file (TF's option string)."""
        return self._set(output=f"timeline:outfile={timeline_file}")

    def with_pprof_output(self, pprof_file):
        """Asks for a pprof profile file (TF's option string)."""
        return self._set(output=f"pprof:outfile={pprof_file}")

    def order_by(self, attribute):
        """Orders displayed siblings by ``attribute`` (name, params, float_ops, ...)."""
        return self._set(order_by=attribute)

    def select(self, attributes):
        """Sets the attributes the report shows."""
        return self._set(select=copy.copy(attributes))

    def with_step(self, step):
        """Which profiled step to use (-1: the average of all)."""
        return self._set(step=step)

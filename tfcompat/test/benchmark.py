"""``tf.test.Benchmark`` and ``tf.test.benchmark_config`` (TF 1.15
``platform/benchmark.py``).

``report_benchmark`` logs the entry and prints it as a ``BenchmarkEntries`` text proto; when
the environment variable TEST_REPORT_FILE_PREFIX is set it writes the serialized proto to
``<prefix><name>`` ("/" in the name as "__"), as TF's benchmark reporter does.
"""
import inspect
import os
import time

import numpy as np

from tfcompat import logging
from tfcompat.framework.config import ConfigProto
from tfcompat.lib import proto_wire as pw

TEST_REPORTER_TEST_ENV = "TEST_REPORT_FILE_PREFIX"


def benchmark_config():
    """The ConfigProto for benchmarks. TF's turns grappler's dependency optimization off;
    tfcompat has no grappler, so it is the default ConfigProto."""
    return ConfigProto()


def _entry_value(value):
    if isinstance(value, (int, float, np.number)) and not isinstance(value, bool):
        return pw.field_double(1, float(value)), f"double_value: {float(value)!r}"
    return pw.field_bytes(2, str(value).encode()), f"string_value: {str(value)!r}"


def _benchmark_entry(name, iters, cpu_time, wall_time, throughput, extras, metrics):
    """A BenchmarkEntry (tensorflow/core/util/test_log.proto) as bytes and as text."""
    data = pw.field_bytes(1, name.encode())
    text = [f"  name: {name!r}"]
    if iters is not None:
        data += pw.field_varint(2, int(iters))
        text.append(f"  iters: {int(iters)}")
    for number, field, value in ((3, "cpu_time", cpu_time), (4, "wall_time", wall_time),
                                 (5, "throughput", throughput)):
        if value is not None:
            data += pw.field_double(number, float(value))
            text.append(f"  {field}: {float(value)!r}")
    for key, value in sorted((extras or {}).items()):
        value_bytes, value_text = _entry_value(value)
        data += pw.field_bytes(6, pw.field_bytes(1, str(key).encode()) +
                               pw.field_bytes(2, value_bytes))
        text.append(f"  extras {{ key: {str(key)!r} value {{ {value_text} }} }}")
    for metric in metrics or []:
        data += pw.field_bytes(7, pw.field_bytes(1, metric["name"].encode()) +
                               pw.field_double(2, float(metric["value"])))
        text.append(f"  metrics {{ name: {metric['name']!r} value: "
                    f"{float(metric['value'])!r} }}")
    return data, "entry {\n" + "\n".join(text) + "\n}"


def _report(name, iters, cpu_time, wall_time, throughput, extras, metrics):
    logging.info("Benchmark [%s] iters: %d, wall_time: %g, cpu_time: %g, throughput: %g, "
                 "extras: %s, metrics: %s", name, -1 if iters is None else iters,
                 -1 if wall_time is None else wall_time, -1 if cpu_time is None else cpu_time,
                 -1 if throughput is None else throughput, extras or None, metrics or None)
    entry, text = _benchmark_entry(name, iters, cpu_time, wall_time, throughput, extras,
                                   metrics)
    prefix = os.environ.get(TEST_REPORTER_TEST_ENV)
    if prefix is None:
        print(text)
        return
    output_path = prefix + name.replace("/", "__")
    if os.path.exists(output_path):
        raise IOError(f"File already exists: {output_path}")
    with open(output_path, "wb") as out:
        out.write(pw.field_bytes(1, entry))   # BenchmarkEntries { entry }


class Benchmark:
    """``tf.test.Benchmark``: subclass it and write ``benchmark*`` methods that call
    ``report_benchmark`` or ``run_op_benchmark``; entries are named "<Class>.<method>"."""

    def _name(self, overwrite_name=None):
        """"<class>.<method>" of the outermost frame whose ``self`` is a Benchmark."""
        for frame in reversed(inspect.stack()):
            if isinstance(frame.frame.f_locals.get("self"), Benchmark):
                calling = frame.frame.f_locals["self"]
                return f"{type(calling).__name__}.{overwrite_name or frame.function}"
        raise ValueError("Unable to determine calling Benchmark class.")

    def report_benchmark(self, iters=None, cpu_time=None, wall_time=None, throughput=None,
                         extras=None, name=None, metrics=None):
        """Reports one benchmark entry (times in seconds)."""
        _report(self._name(name), iters, cpu_time, wall_time, throughput, extras, metrics)

    def run_op_benchmark(self, sess, op_or_tensor, feed_dict=None, burn_iters=2,
                         min_iters=10, store_trace=False, store_memory_usage=True, name=None,
                         extras=None, mbs=0):
        """Runs ``op_or_tensor`` ``burn_iters`` times unmeasured, then ``min_iters`` times;
        reports and returns {"iters", "wall_time" (the median), "extras", "name",
        "throughput" (mbs / wall_time)}."""
        for _ in range(burn_iters):
            sess.run(op_or_tensor, feed_dict=feed_dict)
        deltas = []
        for _ in range(min_iters):
            start = time.time()
            sess.run(op_or_tensor, feed_dict=feed_dict)
            deltas.append(time.time() - start)
        median = float(np.median(deltas)) if deltas else 0.0
        values = {"iters": min_iters, "wall_time": median,
                  "extras": extras if extras is not None else {}, "name": name,
                  "throughput": mbs / median if median else 0.0}
        self.report_benchmark(**values)
        return values

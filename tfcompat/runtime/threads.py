"""How many threads the BLAS that NumPy links may use for a Session's runs.

OpenBLAS starts one thread per core it sees and spin-waits them between calls. Where those
cores are busy with other work, or a container's CPU quota is smaller than the host, its
threads fight for the cores and a training step gets many times slower (on the 2-core test
machine with two busy processes, M1's step went from 0.55 ms to 3-13 ms with 2 BLAS threads
and stayed at 0.78 ms with one). The policy:

- at most the CPUs this process may run on: its affinity mask, bounded by a cgroup quota
  (``cpu.max`` of cgroup v2, ``cpu.cfs_quota_us`` of v1);
- exactly ``ConfigProto.intra_op_parallelism_threads`` (within those CPUs) for the runs of
  a Session whose config sets it, or ``TFCOMPAT_BLAS_THREADS``;
- otherwise at most the CPUs other processes leave idle, measured from ``/proc/stat``
  against this process's own CPU time four times a second and changed only when four
  measurements in a row agree (sustained load, not a burst between two of our runs), so a
  loaded machine gets one BLAS thread rather than threads that wait for each other.

Plans holding kernels that cut their own work into blocks (the convolutions,
``rules/conv.py``, declared with ``lowering.own_threads``) get that count as blocks
(``parts``, run by ``run_parts``: the calling thread and blocking worker threads) and
BLAS at one thread.

OpenBLAS's results depend on its thread count in the last bits (its partition of a product
changes the order of additions), as TF's do on its intra-op setting: runs are bitwise
repeatable while the count stays, and a pinned count keeps it. The count is changed
through threadpoolctl (the well-kept library for this), only when it changes; a run pays
one clock read otherwise.
"""
import contextlib
import math
import os
import threading
import time

#: Seconds between two measurements of the other processes' CPU use.
SAMPLE_SECONDS = 0.25
#: Measurements in a row that must agree before the count changes: load sustained for a
#: second, not another program's burst between two of our runs.
AGREEING_SAMPLES = 4


def available_cpus():
    """The CPUs this process can use: its affinity, bounded by a cgroup CPU quota."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cpus = os.cpu_count() or 1
    quota = _cgroup_quota()
    if quota is not None:
        cpus = min(cpus, max(1, math.ceil(quota)))
    return cpus


def _cgroup_quota():
    """CPUs allowed by the cgroup's quota (quota / period), or None when unlimited."""
    try:
        with open("/sys/fs/cgroup/cpu.max") as f:
            quota, period = f.read().split()[:2]
        return None if quota == "max" else int(quota) / int(period)
    except (OSError, ValueError):
        pass
    try:
        with open("/sys/fs/cgroup/cpu/cpu.cfs_quota_us") as f:
            quota = int(f.read())
        with open("/sys/fs/cgroup/cpu/cpu.cfs_period_us") as f:
            period = int(f.read())
        return None if quota <= 0 else quota / period
    except (OSError, ValueError):
        return None


def _busy_jiffies():
    """Busy CPU time of the whole machine in clock ticks (all CPUs), or None."""
    try:
        with open("/proc/stat") as f:
            fields = f.readline().split()[1:]
    except OSError:
        return None
    values = [int(v) for v in fields]
    idle = values[3] + (values[4] if len(values) > 4 else 0)  # idle + iowait
    guest = sum(values[8:10]) if len(values) > 9 else 0     # counted in user already
    return sum(values) - idle - guest


class BlasThreads:
    """The process's BLAS thread policy (one per process: the library's count is global)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._controller = None
        self._current = None
        self._next_sample = 0.0
        self._last = None  # (monotonic time, machine busy ticks, own CPU seconds)
        self._idle_cpus = None
        self._measured, self._agreeing = None, 0  # the last measurement, how many agree
        self._asked = 1  # the blocks a kernel may run in the run in progress
        self._workers = None  # (pid, executor) of the block threads
        self._task = threading.local()  # .alone: a task of run_tasks runs on this thread
        self.cpus = available_cpus()
        pinned = os.environ.get("TFCOMPAT_BLAS_THREADS", "").strip()
        self.pinned = max(1, min(self.cpus, int(pinned))) if pinned.isdigit() else 0
        # /proc/stat covers every CPU of the machine: it tells what other processes leave
        # only where this process may use all of them and no quota shares them out.
        self._measures_others = self.cpus == os.cpu_count() and _cgroup_quota() is None
        self._ticks = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100

    def _blas(self):
        if self._controller is None:
            from threadpoolctl import ThreadpoolController
            self._controller = ThreadpoolController().select(user_api="blas")
            counts = [lib.num_threads for lib in self._controller.lib_controllers]
            self._current = min(counts) if counts else 1
        return self._controller

    def before_run(self, limit=0, own_threads=False):
        """Sets the thread count for a run: ``limit`` (a Session's intra-op setting, 0:
        none) or ``TFCOMPAT_BLAS_THREADS`` within the available CPUs, else the available
        CPUs other processes leave idle. It goes to BLAS, or, for a plan whose kernels
        run blocks on threads of their own (``own_threads``), to those blocks (``parts``),
        with BLAS at one thread: OpenBLAS's workers spin after each product and would
        take the cores from the blocks (measured on the CNN of benchmarks/bench_cnn.py
        at batch 200: 63.5 ms a step with two BLAS threads, 43.6 with two blocks)."""
        if limit > 0 or self.pinned:
            wanted = min(limit or self.pinned, self.cpus)
        else:
            now = time.monotonic()
            if now >= self._next_sample and self._measures_others:
                self._sample(now)
            wanted = self.cpus if self._idle_cpus is None else self._idle_cpus
        self._asked = wanted if own_threads else 1
        if own_threads:
            wanted = 1
        if wanted != self._current:
            with self._lock:
                controller = self._blas()
                if wanted != self._current and controller.lib_controllers:
                    self._set(controller, wanted)

    def _set(self, controller, count):
        for library in controller.lib_controllers:
            library.set_num_threads(count)
        self._current = count

    @contextlib.contextmanager
    def at_most(self, count):
        """At most ``count`` BLAS threads while the block runs (a while loop's many small
        products, where handing work to another thread costs more than it gains), then the
        count before."""
        with self._lock:
            controller = self._blas()
            previous = self._current
            lowered = previous > count and bool(controller.lib_controllers)
            if lowered:
                self._set(controller, count)
        try:
            yield
        finally:
            if lowered:
                with self._lock:
                    self._set(controller, previous)

    def parts(self):
        """Into how many blocks a kernel may cut its work in the run in progress: the count
        ``before_run`` gave a plan with ``own_threads``, else one (and one within a task
        of ``run_tasks``)."""
        if getattr(self._task, "alone", False):
            return 1
        return max(1, min(self._asked, self.cpus))

    def run_tasks(self, tasks):
        """Runs the independent callables ``tasks`` side by side, as the blocks of
        ``run_parts`` (at most ``parts()`` at a time), each cutting its own work into no
        blocks (``parts()`` is one while it runs, so its results do not depend on the
        threads); returns their results in order."""
        results = [None] * len(tasks)

        def run(part, first, last):
            alone, self._task.alone = getattr(self._task, "alone", False), True
            try:
                for index in range(first, last):
                    results[index] = tasks[index]()
            finally:
                self._task.alone = alone
        self.run_parts(run, len(tasks), min(len(tasks), self.parts()))
        return results

    def blas_threads(self):
        """The thread count NumPy's BLAS runs with now (1 before any run set it)."""
        return self._current or 1

    def run_parts(self, task, count, parts=None):
        """Runs ``task(part, start, stop)`` over [0, count) cut into ``parts`` (default
        ``parts()``) contiguous blocks, the same cut for the same count and parts (results
        that sum the blocks in order repeat bit for bit, whichever thread ran a block).
        The calling thread and up to ``cpus - 1`` worker threads take blocks in turn, one
        BLAS thread each meanwhile; a worker that has not started when the caller runs out
        of blocks is called off, so a busy machine's late wake-ups never delay the run.
        Returns the number of blocks."""
        parts = max(1, min(parts or self.parts(), count))
        bounds = [count * k // parts for k in range(parts + 1)]
        if parts == 1 or self.cpus == 1:
            for k in range(parts):
                task(k, bounds[k], bounds[k + 1])
            return parts
        if self._workers is None or self._workers[0] != os.getpid():
            with self._lock:  # (a forked child has none of its parent's worker threads)
                if self._workers is None or self._workers[0] != os.getpid():
                    from concurrent.futures import ThreadPoolExecutor
                    self._workers = (os.getpid(),
                                     ThreadPoolExecutor(self.cpus - 1, "tfcompat-part"))
        import itertools

        import numpy as np
        settings = np.geterr()  # NumPy's error state is per thread: the caller's applies
        taken = itertools.count()  # next() on it is atomic under the GIL

        def take_blocks():
            with np.errstate(**settings):
                k = next(taken)
                while k < parts:
                    task(k, bounds[k], bounds[k + 1])
                    k = next(taken)
        with self.at_most(1):
            helpers = [self._workers[1].submit(take_blocks)
                       for _ in range(min(self.cpus, parts) - 1)]
            try:
                take_blocks()
            finally:
                for helper in helpers:
                    if not helper.cancel():
                        helper.result()
        return parts

    def _sample(self, now):
        self._next_sample = now + SAMPLE_SECONDS
        busy = _busy_jiffies()
        times = os.times()
        own = times.user + times.system
        last, self._last = self._last, (now, busy, own)
        if busy is None or last is None or now - last[0] < SAMPLE_SECONDS / 2:
            return
        elapsed = now - last[0]
        others = max(0.0, (busy - last[1]) / self._ticks - (own - last[2])) / elapsed
        # Cores the other processes leave; a part-busy core still serves one thread.
        idle = max(1, min(self.cpus, math.floor(self.cpus - others + 0.5)))
        self._agreeing = self._agreeing + 1 if idle == self._measured else 1
        self._measured = idle
        if self._agreeing >= AGREEING_SAMPLES:
            self._idle_cpus = idle


_POLICY = None


def policy():
    """The process's ``BlasThreads``."""
    global _POLICY
    if _POLICY is None:
        _POLICY = BlasThreads()
    return _POLICY

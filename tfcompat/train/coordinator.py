"""``tf.train.Coordinator`` (TF 1.x ``training/coordinator.py``): lets threads stop together
and report the exception that stopped them."""
import contextlib
import sys
import threading
import time

from tfcompat.framework import errors


class Coordinator:
    """``request_stop`` ends the run; ``join`` waits for the registered threads and re-raises
    the exception given to ``request_stop`` (the OutOfRangeError of an input that ran out is
    a normal end, as are ``clean_stop_exception_types``)."""

    def __init__(self, clean_stop_exception_types=None):
        if clean_stop_exception_types is None:
            clean_stop_exception_types = (errors.OutOfRangeError,)
        self._clean_stop_exception_types = tuple(clean_stop_exception_types)
        self._lock = threading.Lock()
        self._stop_event = threading.Event()
        self._exc_info_to_raise = None
        self._joined = False
        self._registered_threads = set()

    def request_stop(self, ex=None):
        """Asks every thread to stop; an exception ``ex`` (or exc_info) is re-raised by
        ``join`` unless it is a clean stop or came after the stop was requested (as TF: a
        queue runner's cancelled enqueue while stopping is not an error)."""
        with self._lock:
            if ex is not None and not self._joined and self._exc_info_to_raise is None \
                    and not self._stop_event.is_set():
                if isinstance(ex, tuple):
                    exc_info = ex
                else:
                    exc_info = (type(ex), ex, ex.__traceback__)
                if not issubclass(exc_info[0], self._clean_stop_exception_types):
                    self._exc_info_to_raise = exc_info
            self._stop_event.set()

    def clear_stop(self):
        with self._lock:
            self._joined = False
            self._exc_info_to_raise = None
            self._stop_event.clear()

    def should_stop(self):
        return self._stop_event.is_set()

    @contextlib.contextmanager
    def stop_on_exception(self):
        """Requests a stop with any exception raised in the block (which it swallows)."""
        try:
            yield
        except BaseException:  # noqa: BLE001 - TF reports every exception this way
            self.request_stop(ex=sys.exc_info())

    def wait_for_stop(self, timeout=None):
        """True once a stop is requested; False after ``timeout`` seconds."""
        return self._stop_event.wait(timeout)

    def register_thread(self, thread):
        with self._lock:
            self._registered_threads.add(thread)

    def join(self, threads=None, stop_grace_period_secs=120, ignore_live_threads=False):
        """Waits for the threads (and the registered ones) after a stop request; raises
        RuntimeError naming threads still alive after the grace period, then the stored
        exception."""
        threads = set(threads or ()) | self._registered_threads
        while any(t.is_alive() for t in threads) and not self.wait_for_stop(0.05):
            pass
        deadline = time.monotonic() + stop_grace_period_secs
        for thread in threads:
            thread.join(max(0.0, deadline - time.monotonic()))
        with self._lock:
            self._joined = True
            self._registered_threads = set()
            exc_info = self._exc_info_to_raise
        stragglers = [t.name for t in threads if t.is_alive()]
        if exc_info is not None:
            raise exc_info[1].with_traceback(exc_info[2])
        if stragglers and not ignore_live_threads:
            raise RuntimeError(f"Coordinator stopped with threads still running: "
                               f"{' '.join(stragglers)}")

    @property
    def joined(self):
        return self._joined

    def raise_requested_exception(self):
        with self._lock:
            if self._exc_info_to_raise is not None:
                raise self._exc_info_to_raise[1].with_traceback(self._exc_info_to_raise[2])


class LooperThread(threading.Thread):
    """A daemon thread that calls ``run_loop`` (by default ``target(*args, **kwargs)``) every
    ``timer_interval_secs`` seconds (back to back when None) until the coordinator stops;
    an exception in it becomes the coordinator's stop request."""

    def __init__(self, coord, timer_interval_secs, target=None, args=None, kwargs=None):
        if not isinstance(coord, Coordinator):
            raise ValueError("'coord' argument must be a Coordinator: %s" % coord)
        super().__init__()
        self.daemon = True
        self._coord = coord
        self._timer_interval_secs = timer_interval_secs
        self._target = target
        if self._target:
            self._args = args or ()
            self._kwargs = kwargs or {}
        elif args or kwargs:
            raise ValueError("'args' and 'kwargs' argument require that you also pass "
                             "'target'")
        self._coord.register_thread(self)

    @staticmethod
    def loop(coord, timer_interval_secs, target, args=None, kwargs=None):
        """Starts and returns a LooperThread calling ``target`` periodically."""
        looper = LooperThread(coord, timer_interval_secs, target=target, args=args,
                              kwargs=kwargs)
        looper.start()
        return looper

    def run(self):
        with self._coord.stop_on_exception():
            self.start_loop()
            if self._timer_interval_secs is None:
                while not self._coord.should_stop():
                    self.run_loop()
            else:
                next_timer_time = time.time()
                while not self._coord.wait_for_stop(max(next_timer_time - time.time(), 0)):
                    next_timer_time += self._timer_interval_secs
                    self.run_loop()
            self.stop_loop()

    def start_loop(self):
        """Called once when the thread starts."""

    def stop_loop(self):
        """Called once when the loop ends."""

    def run_loop(self):
        """Called at every interval; calls the target."""
        if self._target:
            self._target(*self._args, **self._kwargs)

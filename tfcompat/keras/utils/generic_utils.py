"""``Progbar``: Keras 2.2.4-tf's progress bar.

verbose=1 redraws one line ("32/80 [===========>..................] - ETA: 0s - loss:
0.7434") with a carriage return (backspaces first on a terminal) at most every ``interval``
seconds, and ends the epoch with "80/80 [==============================] - 1s 7ms/sample -
loss: 0.6975" and a newline; verbose=2 prints only that last line, as "80/80 - 1s - loss:
0.6975". On a non-POSIX, non-terminal stdout each redraw starts a new line instead.
Values are averaged over the samples seen (weighted by step size) unless their name is in
``stateful_metrics``; averages are shown with 4 decimals, or in %.4e below 1e-3.
"""
import sys
import time


class Progbar:
    """``Progbar(target, width=30, verbose=1, interval=0.05, stateful_metrics=None,
    unit_name='step')``."""

    def __init__(self, target, width=30, verbose=1, interval=0.05, stateful_metrics=None,
                 unit_name="step"):
        self.target = target
        self.width = width
        self.verbose = verbose
        self.interval = interval
        self.unit_name = unit_name
        self.stateful_metrics = set(stateful_metrics or ())
        # As Keras: a terminal, a notebook or any POSIX system redraws in place.
        self._dynamic_display = ((hasattr(sys.stdout, "isatty") and sys.stdout.isatty())
                                 or "ipykernel" in sys.modules or "posix" in sys.modules)
        self._total_width = 0
        self._seen_so_far = 0
        self._values = {}
        self._start = time.time()
        self._last_update = 0

    def _accumulate(self, current, values):
        step = current - self._seen_so_far
        for name, value in values:
            if name in self.stateful_metrics:
                self._values[name] = [value, 1]
            elif name not in self._values:
                self._values[name] = [value * step, step]
            else:
                self._values[name][0] += value * step
                self._values[name][1] += step
        self._seen_so_far = current

    def _values_text(self):
        text = ""
        for name, (total, count) in self._values.items():
            average = total / max(1, count)
            text += f" - {name}: " + (f"{average:.4f}" if abs(average) > 1e-3
                                      else f"{average:.4e}")
        return text

    def _bar(self, current):
        digits = len(str(self.target))
        bar = f"{current:{digits}d}/{self.target} ["
        done = int(self.width * current / self.target)
        if done > 0:
            bar += "=" * (done - 1) + (">" if current < self.target else "=")
        return bar + "." * (self.width - done) + "]"

    def _timing(self, current, now):
        per_unit = (now - self._start) / current if current else 0
        if self.target is not None and current < self.target:
            eta = per_unit * (self.target - current)
            if eta > 3600:
                eta_text = f"{int(eta // 3600)}:{int(eta % 3600 // 60):02d}:{int(eta % 60):02d}"
            elif eta > 60:
                eta_text = f"{int(eta // 60)}:{int(eta % 60):02d}"
            else:
                eta_text = f"{int(eta)}s"
            return f" - ETA: {eta_text}"
        text = f" - {now - self._start:.0f}s"
        if per_unit >= 1 or per_unit == 0:
            return text + f" {per_unit:.0f}s/{self.unit_name}"
        if per_unit >= 1e-3:
            return text + f" {per_unit * 1e3:.0f}ms/{self.unit_name}"
        return text + f" {per_unit * 1e6:.0f}us/{self.unit_name}"

    def update(self, current, values=None):
        """Records ``values`` (name, value for the last step) at step ``current``; redraws."""
        self._accumulate(current, values or [])
        now = time.time()
        finished = self.target is not None and current >= self.target
        if self.verbose == 1:
            if now - self._last_update < self.interval and not finished:
                return
            previous_width = self._total_width
            sys.stdout.write("\b" * previous_width + "\r" if self._dynamic_display else "\n")
            bar = self._bar(current) if self.target is not None else f"{current:7d}/Unknown"
            info = self._timing(current, now) + self._values_text()
            self._total_width = len(bar) + len(info)
            if previous_width > self._total_width:
                info += " " * (previous_width - self._total_width)
            sys.stdout.write(bar + info + ("\n" if finished else ""))
            sys.stdout.flush()
        elif self.verbose == 2 and finished:
            digits = len(str(self.target))
            sys.stdout.write(f"{current:{digits}d}/{self.target} - {now - self._start:.0f}s"
                             + self._values_text() + "\n")
            sys.stdout.flush()
        self._last_update = now

    def add(self, n, values=None):
        self.update(self._seen_so_far + n, values)

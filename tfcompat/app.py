"""``tf.app``: ``tf.app.run()`` and the ``tf.app.flags`` / ``tf.flags`` interface that TF 1.x
scripts use, built on argparse (TF used absl-py)."""
import argparse
import sys


class _FlagValues:
    """``tf.app.flags.FLAGS``: flags defined with ``DEFINE_*``, parsed from sys.argv on first
    attribute access (or by ``tf.app.run``)."""

    def __init__(self):
        object.__setattr__(self, "_defs", {})
        object.__setattr__(self, "_values", {})
        object.__setattr__(self, "_parsed", False)
        object.__setattr__(self, "_required", [])

    def _define(self, name, default, help_text, kind):
        self._defs[name] = (default, help_text, kind)
        self._values[name] = default

    def _parse(self, argv):
        parser = argparse.ArgumentParser(add_help=True)
        argv = list(argv)
        for i, arg in enumerate(argv[1:], start=1):  # absl-style --flag=true for booleans
            name, _, value = arg[2:].partition("=")
            if arg.startswith("--") and value and self._defs.get(name, (0, 0, None))[2] is bool:
                argv[i] = f"--{name}" if value.lower() in ("1", "true", "yes") else f"--no{name}"
        for name, (default, help_text, kind) in self._defs.items():
            if kind is bool:
                parser.add_argument(f"--{name}", action="store_true", default=default,
                                    help=help_text)
                parser.add_argument(f"--no{name}", dest=name, action="store_false")
            elif kind is list:
                parser.add_argument(f"--{name}", default=default, help=help_text,
                                    type=lambda s: s.split(","))
            else:
                parser.add_argument(f"--{name}", default=default, type=kind, help=help_text)
        known, rest = parser.parse_known_args(argv[1:])
        self._values.update(vars(known))
        object.__setattr__(self, "_parsed", True)
        for name in self._required:
            if self._values.get(name) is None:
                raise ValueError(f"flag --{name}=None: Flag --{name} must have a value other "
                                 f"than None.")
        return [argv[0]] + rest

    def __getattr__(self, name):
        if not self._parsed:
            self._parse(sys.argv)
        try:
            return self._values[name]
        except KeyError:
            raise AttributeError(f"Unknown flag: {name}") from None

    def __setattr__(self, name, value):
        self._values[name] = value

    def __contains__(self, name):
        return name in self._defs

    def __call__(self, argv):
        return self._parse(argv)


class _Flags:
    """The ``tf.app.flags`` module."""

    def __init__(self):
        self.FLAGS = _FlagValues()

    def DEFINE_string(self, name, default, help, **kwargs):  # noqa: N802, A002
        self.FLAGS._define(name, default, help, str)

    def DEFINE_integer(self, name, default, help, **kwargs):  # noqa: N802, A002
        self.FLAGS._define(name, default, help, int)

    def DEFINE_float(self, name, default, help, **kwargs):  # noqa: N802, A002
        self.FLAGS._define(name, default, help, float)

    def DEFINE_boolean(self, name, default, help, **kwargs):  # noqa: N802, A002
        self.FLAGS._define(name, default, help, bool)

    def DEFINE_list(self, name, default, help, **kwargs):  # noqa: N802, A002
        self.FLAGS._define(name, default, help, list)

    DEFINE_bool = DEFINE_boolean

    def mark_flag_as_required(self, flag_name, flag_values=None):
        """absl's check that ``flag_name`` is given: parsing raises while it is None."""
        (flag_values or self.FLAGS)._required.append(flag_name)

    def mark_flags_as_required(self, flag_names, flag_values=None):
        for flag_name in flag_names:
            self.mark_flag_as_required(flag_name, flag_values)


flags = _Flags()


def run(main=None, argv=None):
    """Parses flags, then calls ``main(argv)`` (or ``__main__.main``) and exits with its
    return value, as ``tf.app.run`` does."""
    argv = flags.FLAGS(sys.argv if argv is None else argv)
    if main is None:
        main = sys.modules["__main__"].main
    sys.exit(main(argv))

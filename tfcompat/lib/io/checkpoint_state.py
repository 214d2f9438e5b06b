"""The ``checkpoint`` state file: a text-format ``CheckpointState`` protobuf.

Reproduces TF's ``update_checkpoint_state_internal`` (what a ``Saver`` writes, including its
relative/absolute path rules, replaced atomically) and the parsing side of
``get_checkpoint_state`` (relative paths joined onto the directory).  The text-format parser
accepts what protobuf's ``text_format.Merge`` accepts for this message: comments, blank
lines, ``;``/``,`` separators, adjacent string literals, C-style and octal escapes.
"""
import dataclasses
import os
import re

from tfcompat.lib.io.tensor_bundle import atomic_replace


@dataclasses.dataclass
class CheckpointState:
    """``tensorflow.CheckpointState``; prefixes are oldest first, newest last."""

    model_checkpoint_path: str = ""
    all_model_checkpoint_paths: list = dataclasses.field(default_factory=list)
    all_model_checkpoint_timestamps: list = dataclasses.field(default_factory=list)
    last_preserved_timestamp: float = 0.0


class CheckpointStateParseError(ValueError):
    """The state file is not a valid text-format CheckpointState (TF logs it, returns None)."""


_STRING_FIELDS = ("model_checkpoint_path", "all_model_checkpoint_paths")
_REPEATED_FIELDS = ("all_model_checkpoint_paths", "all_model_checkpoint_timestamps")
_FIELD_ORDER = ("model_checkpoint_path", "all_model_checkpoint_paths",
                "all_model_checkpoint_timestamps", "last_preserved_timestamp")

# --------------------------------------------------------------------------- text format

_SIMPLE_ESCAPES = {"n": 10, "r": 13, "t": 9, '"': 34, "'": 39, "\\": 92,
                   "a": 7, "b": 8, "f": 12, "v": 11, "?": 63}
_ESCAPE_OUT = {10: "\\n", 13: "\\r", 9: "\\t", 34: '\\"', 39: "\\'", 92: "\\\\"}

_TOKEN = re.compile(r"""
      (?P<skip> \s+ | \#[^\n]* )
    | (?P<string> "(?:[^"\\\n]|\\.)*" | '(?:[^'\\\n]|\\.)*' )
    | (?P<number> [-+]?(?:[0-9.][\w.+-]* | (?:inf(?:inity)?|nan)\b) )
    | (?P<ident> [A-Za-z_]\w* )
    | (?P<punct> [:;,] )
    """, re.VERBOSE | re.IGNORECASE)
_ESCAPE = re.compile(r"\\(?:([0-7]{1,3})|x([0-9a-fA-F]{1,2})|(.))", re.DOTALL)


def _escape(text):
    """Quotes a string as protobuf's text format does (UTF-8 kept, control bytes in octal)."""
    out = []
    for char in text:
        code = ord(char)
        if code in _ESCAPE_OUT:
            out.append(_ESCAPE_OUT[code])
        elif code < 0x20 or code == 0x7F:
            out.append("\\%03o" % code)
        else:
            out.append(char)
    return '"%s"' % "".join(out)


def _unescape(literal):
    """The bytes a quoted literal (quotes included) stands for."""
    out = bytearray()
    body = literal[1:-1]
    pos = 0
    for match in _ESCAPE.finditer(body):
        out += body[pos:match.start()].encode("utf-8")
        octal, hexa, simple = match.groups()
        if octal or hexa:
            code = int(octal, 8) if octal else int(hexa, 16)
            if code > 0xFF:
                raise ValueError("octal escape out of range: \\%s" % octal)
            out.append(code)
        elif simple in _SIMPLE_ESCAPES:
            out.append(_SIMPLE_ESCAPES[simple])
        else:
            raise ValueError("invalid escape sequence \\%s" % simple)
        pos = match.end()
    out += body[pos:].encode("utf-8")
    return bytes(out)


def _tokens(text):
    """Yields (kind, text, line) tokens, raising ValueError on a character that starts none."""
    pos, line = 0, 1
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None:
            raise ValueError("line %d: unexpected character %r" % (line, text[pos]))
        if match.lastgroup != "skip":
            yield match.lastgroup, match.group(), line
        line += match.group().count("\n")
        pos = match.end()


def parse_checkpoint_state(text, filename="<string>"):
    """Parses text-format CheckpointState; raises `CheckpointStateParseError` if malformed."""
    state = CheckpointState()
    try:
        tokens = list(_tokens(text))
        i = 0

        def take(*kinds):
            nonlocal i
            if i >= len(tokens):
                raise ValueError("unexpected end of file")
            kind, value, line = tokens[i]
            if kind not in kinds:
                raise ValueError("line %d: expected %s, found %r" % (line, "/".join(kinds), value))
            i += 1
            return value, line

        while i < len(tokens):
            name, line = take("ident")
            if name not in _FIELD_ORDER:
                raise ValueError("line %d: unknown field %r in CheckpointState" % (line, name))
            if take("punct")[0] != ":":
                raise ValueError("line %d: expected ':' after %s" % (line, name))
            if name in _STRING_FIELDS:
                raw = _unescape(take("string")[0])
                while i < len(tokens) and tokens[i][0] == "string":  # "a" "b" is "ab"
                    raw += _unescape(take("string")[0])
                value = raw.decode("utf-8")
            else:
                value = float(take("number")[0])
            if name in _REPEATED_FIELDS:
                getattr(state, name).append(value)
            else:
                setattr(state, name, value)  # a repeated singular field: the last one wins
            if i < len(tokens) and tokens[i][1] in (";", ","):
                i += 1
    except (ValueError, UnicodeError) as exc:
        raise CheckpointStateParseError(
            "Cannot parse checkpoint state file %s: %s" % (filename, exc)) from None
    return state


def checkpoint_state_to_text(state):
    """Serializes like protobuf's ``text_format.MessageToString``: one field per line."""
    lines = []
    for name in _FIELD_ORDER:
        value = getattr(state, name)
        values = value if name in _REPEATED_FIELDS else [value] if value else []
        for item in values:
            lines.append("%s: %s\n" % (name, _escape(item) if name in _STRING_FIELDS
                                       else repr(float(item))))
    return "".join(lines)


# --------------------------------------------------------------------------- files

def _relative_to(path, start):
    return os.path.relpath(path, start) if os.path.isabs(path) else path


def _rebase_relative(path, start):
    return path if os.path.isabs(path) else os.path.relpath(path, start)


def write_checkpoint_state(save_dir, model_checkpoint_path, all_model_checkpoint_paths=None,
                           latest_filename="checkpoint", save_relative_paths=False,
                           all_model_checkpoint_timestamps=None, last_preserved_timestamp=None):
    """Atomically writes ``save_dir/latest_filename`` as TF's Saver does.

    ``model_checkpoint_path`` is appended to ``all_model_checkpoint_paths`` unless it is
    already last.  With ``save_relative_paths`` absolute paths are made relative to
    ``save_dir``; when ``save_dir`` itself is relative, relative paths are rewritten relative
    to it (so ``./sub/m.ckpt-5`` is stored as ``m.ckpt-5`` in ``./sub/checkpoint``).
    """
    save_dir = os.fspath(save_dir)
    model_path = os.fspath(model_checkpoint_path)
    all_paths = [os.fspath(p) for p in all_model_checkpoint_paths or ()]
    if save_relative_paths:
        model_path = _relative_to(model_path, save_dir)
        all_paths = [_relative_to(p, save_dir) for p in all_paths]
    if not all_paths or all_paths[-1] != model_path:
        all_paths.append(model_path)
    timestamps = list(all_model_checkpoint_timestamps or ())
    if timestamps and len(timestamps) != len(all_paths):
        raise ValueError("Checkpoint timestamps, if provided, must match checkpoint paths "
                         "(%d timestamps for %d paths)" % (len(timestamps), len(all_paths)))
    if not os.path.isabs(save_dir):
        # Relative paths are relative to the current directory, like save_dir: re-base them.
        model_path = _rebase_relative(model_path, save_dir)
        all_paths = [_rebase_relative(p, save_dir) for p in all_paths]

    state_path = os.path.join(save_dir, latest_filename or "checkpoint")
    if state_path == model_path:
        raise RuntimeError("Save path '%s' conflicts with path used for checkpoint state.  "
                           "Please use a different save path." % model_checkpoint_path)
    state = CheckpointState(model_path, all_paths, timestamps, last_preserved_timestamp or 0.0)
    with atomic_replace(state_path) as (f,):
        f.write(checkpoint_state_to_text(state).encode("utf-8"))


def read_checkpoint_state(checkpoint_dir, latest_filename="checkpoint"):
    """The CheckpointState in ``checkpoint_dir``, or None if there is no state file.

    Relative paths are joined onto ``checkpoint_dir``, as ``tf.train.get_checkpoint_state``
    does.  A malformed file raises `CheckpointStateParseError` (TF logs a warning and returns
    None); a file without ``model_checkpoint_path`` raises ValueError, as in TF.
    """
    checkpoint_dir = os.fspath(checkpoint_dir)
    path = os.path.join(checkpoint_dir, latest_filename or "checkpoint")
    try:
        with open(path, "rb") as f:
            data = f.read()
    except FileNotFoundError:
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CheckpointStateParseError(
            "Cannot parse checkpoint state file %s: %s" % (path, exc)) from None
    state = parse_checkpoint_state(text, path)
    if not state.model_checkpoint_path:
        raise ValueError("Invalid checkpoint state loaded from %s" % checkpoint_dir)
    state.model_checkpoint_path = os.path.join(checkpoint_dir, state.model_checkpoint_path)
    state.all_model_checkpoint_paths = [os.path.join(checkpoint_dir, p)
                                        for p in state.all_model_checkpoint_paths]
    return state

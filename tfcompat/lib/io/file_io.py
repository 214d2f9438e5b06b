"""File access as TF's ``lib/io/file_io.py`` gives it (``tf.gfile``, ``tf.io.gfile``), on the
local filesystem through Python's os/shutil/glob, with TF's error classes and messages
(NotFoundError for a missing path, AlreadyExistsError where TF refuses to overwrite).
"""
import collections
import errno
import glob as _glob
import os
import shutil

from tfcompat.framework import errors

FileStatistics = collections.namedtuple("FileStatistics",
                                        ["length", "mtime_nsec", "is_directory"])


def _path(name):
    return os.fsdecode(name)


def _os_error(exc, name):
    """The TF error for an OSError about ``name``."""
    message = f"{_path(name)}; {exc.strerror or exc}"
    if exc.errno == errno.ENOENT:
        return errors.NotFoundError(None, None, message)
    if exc.errno == errno.EEXIST:
        return errors.AlreadyExistsError(None, None, message)
    if exc.errno in (errno.EACCES, errno.EPERM):
        return errors.PermissionDeniedError(None, None, message)
    return errors.FailedPreconditionError(None, None, message)


class GFile:
    """``tf.gfile.GFile(name, mode='r')``: a file object; text modes read and write str,
    binary ("b") modes bytes. Opening is deferred to the first read or write, as TF's."""

    def __init__(self, name, mode="r"):
        self.__name = _path(name)
        self.__mode = mode
        self._file = None
        if mode.replace("b", "").replace("+", "") not in ("r", "w", "a"):
            raise errors.PermissionDeniedError(None, None,
                                               "mode is not 'r' or 'w' or 'a' or 'r+' or 'w+'")

    @property
    def name(self):
        return self.__name

    @property
    def mode(self):
        return self.__mode

    def _stream(self):
        if self._file is None:
            try:
                self._file = open(self.__name, self.__mode if "b" in self.__mode
                                  else self.__mode + "b")
            except OSError as exc:
                raise _os_error(exc, self.__name) from None
        return self._file

    def _out(self, data):
        return data if "b" in self.__mode else data.decode("utf-8")

    def size(self):
        return stat(self.__name).length

    def read(self, n=-1):
        return self._out(self._stream().read(-1 if n is None else n))

    def readline(self):
        return self._out(self._stream().readline())

    def readlines(self):
        return [self._out(line) for line in self._stream().readlines()]

    def write(self, file_content):
        data = file_content.encode("utf-8") if isinstance(file_content, str) else file_content
        self._stream().write(data)

    def seek(self, offset=None, whence=0, position=None):
        if position is not None:
            offset = position
        self._stream().seek(offset, whence)

    def tell(self):
        return self._stream().tell()

    def flush(self):
        if self._file is not None:
            self._file.flush()

    def close(self):
        if self._file is not None:
            self._file.close()
            self._file = None

    def __iter__(self):
        return self

    def __next__(self):
        line = self.readline()
        if not line:
            raise StopIteration
        return line

    next = __next__

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


FastGFile = GFile


def file_exists(filename):
    """Whether the path exists (file or directory)."""
    return os.path.exists(_path(filename))


def delete_file(filename):
    """Removes a file; NotFoundError when there is none."""
    try:
        os.remove(_path(filename))
    except OSError as exc:
        raise _os_error(exc, filename) from None


def read_file_to_string(filename, binary_mode=False):
    with GFile(filename, "rb" if binary_mode else "r") as f:
        return f.read()


def write_string_to_file(filename, file_content):
    with GFile(filename, "w") as f:
        f.write(file_content)


def get_matching_files(filename):
    """The paths matching a glob pattern (or a list of patterns), sorted per pattern."""
    patterns = [filename] if isinstance(filename, (str, bytes)) else list(filename)
    return [match for pattern in patterns for match in sorted(_glob.glob(_path(pattern)))]


def create_dir(dirname):
    """Creates one directory; AlreadyExistsError if it exists, NotFoundError without its
    parent."""
    try:
        os.mkdir(_path(dirname))
    except OSError as exc:
        raise _os_error(exc, dirname) from None


def recursive_create_dir(dirname):
    """Creates a directory and its missing parents (no error if it exists)."""
    try:
        os.makedirs(_path(dirname), exist_ok=True)
    except OSError as exc:
        raise _os_error(exc, dirname) from None


def copy(oldpath, newpath, overwrite=False):
    """Copies a file; AlreadyExistsError if ``newpath`` exists and not ``overwrite``."""
    if not overwrite and file_exists(newpath):
        raise errors.AlreadyExistsError(None, None, f"file already exists: {_path(newpath)}")
    try:
        shutil.copyfile(_path(oldpath), _path(newpath))
    except OSError as exc:
        raise _os_error(exc, oldpath) from None


def rename(oldname, newname, overwrite=False):
    """Renames (moves) a file or directory; AlreadyExistsError if ``newname`` exists and
    not ``overwrite``."""
    if not overwrite and file_exists(newname):
        raise errors.AlreadyExistsError(None, None, f"file already exists: {_path(newname)}")
    try:
        os.replace(_path(oldname), _path(newname))
    except OSError as exc:
        raise _os_error(exc, oldname) from None


def delete_recursively(dirname):
    """Removes a directory tree (or a file); NotFoundError if the path does not exist."""
    path = _path(dirname)
    if not os.path.exists(path):
        raise errors.NotFoundError(None, None, f"{path}; No such file or directory")
    if os.path.isdir(path) and not os.path.islink(path):
        shutil.rmtree(path)
    else:
        os.remove(path)


def is_directory(dirname):
    return os.path.isdir(_path(dirname))


def list_directory(dirname):
    """The names (not paths) of the entries of a directory; NotFoundError if it is not one."""
    path = _path(dirname)
    if not os.path.isdir(path):
        raise errors.NotFoundError(None, None, f"Could not find directory {path}")
    return sorted(os.listdir(path))


def walk(top, in_order=True):
    """(directory, subdirectory names, file names) for ``top`` and every directory below it,
    parents first (``in_order``) or last."""
    top = _path(top)
    if not is_directory(top):
        return
    names = list_directory(top)
    subdirs = [n for n in names if is_directory(os.path.join(top, n))]
    files = [n for n in names if n not in subdirs]
    if in_order:
        yield top, subdirs, files
    for subdir in subdirs:
        yield from walk(os.path.join(top, subdir), in_order)
    if not in_order:
        yield top, subdirs, files


def stat(filename):
    """FileStatistics(length, mtime_nsec, is_directory); NotFoundError if missing."""
    try:
        info = os.stat(_path(filename))
    except OSError as exc:
        raise _os_error(exc, filename) from None
    return FileStatistics(info.st_size, info.st_mtime_ns, os.path.isdir(_path(filename)))

"""``tf.gfile``: TF 1.x's file API (local filesystem), ``tfcompat.lib.io.file_io``."""
from tfcompat.lib.io.file_io import FastGFile, GFile  # noqa: F401
from tfcompat.lib.io.file_io import GFile as Open  # noqa: F401
from tfcompat.lib.io.file_io import copy as Copy  # noqa: F401
from tfcompat.lib.io.file_io import create_dir as MkDir  # noqa: F401
from tfcompat.lib.io.file_io import delete_file as Remove  # noqa: F401
from tfcompat.lib.io.file_io import delete_recursively as DeleteRecursively  # noqa: F401
from tfcompat.lib.io.file_io import file_exists as Exists  # noqa: F401
from tfcompat.lib.io.file_io import get_matching_files as Glob  # noqa: F401
from tfcompat.lib.io.file_io import is_directory as IsDirectory  # noqa: F401
from tfcompat.lib.io.file_io import list_directory as ListDirectory  # noqa: F401
from tfcompat.lib.io.file_io import recursive_create_dir as MakeDirs  # noqa: F401
from tfcompat.lib.io.file_io import rename as Rename  # noqa: F401
from tfcompat.lib.io.file_io import stat as Stat  # noqa: F401
from tfcompat.lib.io.file_io import walk as Walk  # noqa: F401

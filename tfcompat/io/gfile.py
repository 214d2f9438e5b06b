"""``tf.io.gfile``: the file API under TF 2's names (local filesystem)."""
from tfcompat.lib.io.file_io import GFile, copy, rename, stat, walk  # noqa: F401
from tfcompat.lib.io.file_io import create_dir as mkdir  # noqa: F401
from tfcompat.lib.io.file_io import delete_file as remove  # noqa: F401
from tfcompat.lib.io.file_io import delete_recursively as rmtree  # noqa: F401
from tfcompat.lib.io.file_io import file_exists as exists  # noqa: F401
from tfcompat.lib.io.file_io import get_matching_files as glob  # noqa: F401
from tfcompat.lib.io.file_io import is_directory as isdir  # noqa: F401
from tfcompat.lib.io.file_io import list_directory as listdir  # noqa: F401
from tfcompat.lib.io.file_io import recursive_create_dir as makedirs  # noqa: F401

"""``tf.strings``: the TF 1.x string namespace."""
from tfcompat.ops.string_ops import regex_full_match, regex_replace, substr  # noqa: F401
from tfcompat.ops.string_ops import string_format as format  # noqa: F401,A004
from tfcompat.ops.string_ops import string_join as join  # noqa: F401
from tfcompat.ops.string_ops import string_length as length  # noqa: F401
from tfcompat.ops.string_ops import string_strip as strip  # noqa: F401
from tfcompat.ops.string_ops import string_to_hash_bucket_fast as to_hash_bucket_fast  # noqa
from tfcompat.ops.string_ops import string_to_hash_bucket_strong as to_hash_bucket_strong  # noqa
from tfcompat.ops.string_ops import string_to_number as to_number  # noqa: F401
from tfcompat.ops.string_ops import strings_split as split  # noqa: F401
from tfcompat.ops.string_ops import string_to_hash_bucket as to_hash_bucket  # noqa: F401

"""MNIST loading as TF 1.x's ``tensorflow.examples.tutorials.mnist.input_data`` did.

Reproduces ``tensorflow/contrib/learn/python/learn/datasets/mnist.py`` (with ``base.py``'s
``Datasets`` and download step): the four gzipped IDX files are read from ``train_dir``, fetched
there first when missing; the first ``validation_size`` training examples become the validation
set; images are float32 in [0, 1] (or uint8 0..255 with ``dtype=uint8``), flattened to 784
columns when ``reshape``; labels are uint8 digits, or float64 one-hot rows of width 10.
``DataSet.next_batch`` shuffles the whole set at its first call and at every epoch start, and a
batch that crosses the end of an epoch is the rest of that epoch followed by the start of the
next, reshuffled one.

Deliberate differences from TF:

* ``TFCOMPAT_MNIST_SOURCE`` (an http(s) URL, a ``file://`` URL or a folder) wins over
  ``source_url``, so an offline machine can redirect unchanged scripts to a local copy.
* Fetched files must have a known byte size and SHA-256 and are written atomically: a failed
  check raises ``ValueError`` and leaves nothing in ``train_dir``.
* A source that cannot be reached raises ``MNISTUnavailableError``, an ``OSError`` whose message
  says which files are missing, where to put them and how to set ``TFCOMPAT_MNIST_SOURCE``.
* A malformed IDX file (bad gzip, wrong magic number, truncated, wrong size) raises
  ``ValueError`` naming the file, never a struct/zlib traceback.
* Each ``DataSet`` shuffles with its own ``numpy.random.RandomState(seed)`` (unseeded when
  ``seed`` is None) instead of reseeding NumPy's global generator; TF 1.x seeded with
  ``random_seed.get_seed(seed)[1]``, which is ``seed`` itself whenever one is given.
"""
import collections
import gzip
import hashlib
import http.client
import math
import os
import struct
import tempfile
import urllib.error
import urllib.parse
import urllib.request
import zlib

import numpy

from tfcompat.framework import dtypes

# CVDF mirror of http://yann.lecun.com/exdb/mnist/, the default of TF 1.x.
DEFAULT_SOURCE_URL = "https://storage.googleapis.com/cvdf-datasets/mnist/"
SOURCE_ENV_VAR = "TFCOMPAT_MNIST_SOURCE"

TRAIN_IMAGES = "train-images-idx3-ubyte.gz"
TRAIN_LABELS = "train-labels-idx1-ubyte.gz"
TEST_IMAGES = "t10k-images-idx3-ubyte.gz"
TEST_LABELS = "t10k-labels-idx1-ubyte.gz"
FILENAMES = (TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS)

# (byte size, SHA-256) accepted for each fetched file: as the CVDF mirror serves it, and as the
# recompressed copies (gzip -9, file name stored) of some offline mirrors. Both decompress to the
# same IDX bytes.
KNOWN_FILES = {
    TRAIN_IMAGES: {
        (9912422, "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609"),
        (9630634, "db8f937d487057fb14a9f0fbe97f0bc8d311ab41b750d41e1ff37c43b9e55e19"),
    },
    TRAIN_LABELS: {
        (28881, "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c"),
        (28902, "51fc562b6747b666fbf6e84ce29d43c3cb5f9c388c664d43b33f02095313405a"),
    },
    TEST_IMAGES: {
        (1648877, "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6"),
        (1602073, "cfeddb84311ecf044fc6a5b0f6ee8a24d265d4e83e388400186eb114082f4209"),
    },
    TEST_LABELS: {
        (4542, "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6"),
        (4540, "e41c74e484045d39b462a7790a4af51301bd9b0b24f0154798d713ec68c45920"),
    },
}

# IDX magic numbers: 0x0000_08_NN, unsigned bytes with NN dimensions.
IMAGES_MAGIC = 2051
LABELS_MAGIC = 2049

_FETCH_TIMEOUT_S = 60

Datasets = collections.namedtuple("Datasets", ["train", "validation", "test"])


class MNISTUnavailableError(OSError):
    """The MNIST files are missing and could not be fetched.

    ``location`` is where the fetch was tried, ``reason`` why it failed."""

    def __init__(self, message, location, reason):
        super().__init__(message)
        self.location = location
        self.reason = reason


def source_hint():
    """The sentence telling users how to point tfcompat at their own copy of the files."""
    return (f"set {SOURCE_ENV_VAR} to a folder, a file:// URL or an http(s) URL that holds "
            f"{', '.join(FILENAMES)} (the default source is {DEFAULT_SOURCE_URL}).")


def read_idx(f, magic, kind):
    """Reads a gzipped IDX file of unsigned bytes from the binary file object ``f``.

    Returns a read-only uint8 array shaped by the header's dimensions. ``magic`` is the number
    the file must start with, ``kind`` ("image", "label") words the errors. Raises ValueError
    when the file is not gzip, has another magic number, or holds fewer or more bytes than its
    header declares.
    """
    name = getattr(f, "name", "<stream>")
    compressed = f.read()
    try:
        payload = gzip.decompress(compressed)
    except (OSError, EOFError, zlib.error) as exc:
        raise ValueError(f"MNIST {kind} file {name} is not a valid gzip file: {exc}") from None
    ndim = magic & 0xFF
    header_size = 4 * (1 + ndim)
    if len(payload) >= 4:
        (found_magic,) = struct.unpack(">I", payload[:4])
        if found_magic != magic:
            raise ValueError(f"Invalid magic number {found_magic} in MNIST {kind} file: {name} "
                             f"(expected {magic})")
    if len(payload) < header_size:
        raise ValueError(f"MNIST {kind} file {name} is truncated: {len(payload)} bytes, less "
                         f"than its {header_size}-byte IDX header")
    shape = struct.unpack(f">{ndim}I", payload[4:header_size])
    expected = math.prod(shape)  # exact: a damaged header may declare absurd sizes
    found = len(payload) - header_size
    if found < expected:
        raise ValueError(f"MNIST {kind} file {name} is truncated: its header declares shape "
                         f"{shape}, {expected} bytes of data, but only {found} follow")
    if found > expected:
        raise ValueError(f"MNIST {kind} file {name} has the wrong size: its header declares "
                         f"shape {shape}, {expected} bytes of data, but {found} follow")
    return numpy.frombuffer(payload, dtype=numpy.uint8, offset=header_size).reshape(shape)


def extract_images(f):
    """Extracts the images into a 4-D uint8 array [index, y, x, depth] (depth 1)."""
    print("Extracting", getattr(f, "name", "<stream>"))
    return read_idx(f, IMAGES_MAGIC, "image")[..., numpy.newaxis]


def dense_to_one_hot(labels_dense, num_classes):
    """Converts class labels to one-hot float64 rows."""
    labels_dense = numpy.asarray(labels_dense).ravel()
    if labels_dense.size and labels_dense.max() >= num_classes:
        raise ValueError(f"label {labels_dense.max()} is out of range for {num_classes} classes")
    labels_one_hot = numpy.zeros((labels_dense.shape[0], num_classes))
    labels_one_hot[numpy.arange(labels_dense.shape[0]), labels_dense] = 1
    return labels_one_hot


def extract_labels(f, one_hot=False, num_classes=10):
    """Extracts the labels into a 1-D uint8 array, or one-hot rows when ``one_hot``."""
    print("Extracting", getattr(f, "name", "<stream>"))
    labels = read_idx(f, LABELS_MAGIC, "label")
    return dense_to_one_hot(labels, num_classes) if one_hot else labels


class DataSet:
    """A set of examples with ``next_batch``, as ``mnist.train`` was in TF 1.x.

    ``one_hot`` only shapes fake batches; ``dtype`` is uint8 to keep the pixels in 0..255 or
    float32 to rescale them into [0, 1]; ``seed`` makes the shuffles reproducible.
    """

    def __init__(self, images, labels, fake_data=False, one_hot=False, dtype=dtypes.float32,
                 reshape=True, seed=None):
        self._rng = numpy.random.RandomState(seed)
        dtype = dtypes.as_dtype(dtype).base_dtype
        if dtype not in (dtypes.uint8, dtypes.float32):
            raise TypeError(f"Invalid image dtype {dtype!r}, expected uint8 or float32")
        self.one_hot = one_hot
        if fake_data:
            self._num_examples = 10000
        else:
            if images.shape[0] != labels.shape[0]:
                raise ValueError(f"images and labels differ in length: images.shape: "
                                 f"{images.shape} labels.shape: {labels.shape}")
            self._num_examples = images.shape[0]
            if reshape:
                if images.ndim != 4 or images.shape[3] != 1:
                    raise ValueError(f"reshape=True needs images of shape [examples, rows, "
                                     f"columns, 1], got {images.shape}")
                images = images.reshape(images.shape[0], images.shape[1] * images.shape[2])
            if dtype == dtypes.float32:
                # Scaled by a float32 1/255, not divided, to match TF's values bit for bit.
                images = images.astype(numpy.float32)
                images *= 1.0 / 255.0
        self._images = images
        self._labels = labels
        self._epochs_completed = 0
        self._index_in_epoch = 0

    @property
    def images(self):
        return self._images

    @property
    def labels(self):
        return self._labels

    @property
    def num_examples(self):
        return self._num_examples

    @property
    def epochs_completed(self):
        return self._epochs_completed

    def _shuffle(self):
        permutation = self._rng.permutation(self._num_examples)
        self._images = self._images[permutation]
        self._labels = self._labels[permutation]

    def next_batch(self, batch_size, fake_data=False, shuffle=True):
        """Returns the next ``batch_size`` (images, labels).

        The epoch counter moves when a batch first needs examples past the end, so a batch that
        ends exactly at the end of an epoch leaves ``epochs_completed`` unchanged until the next
        call, as in TF.
        """
        if fake_data:
            fake_image = [1] * 784
            fake_label = [1] + [0] * 9 if self.one_hot else 0
            return [fake_image] * batch_size, [fake_label] * batch_size
        start = self._index_in_epoch
        if self._epochs_completed == 0 and start == 0 and shuffle:
            self._shuffle()
        if start + batch_size <= self._num_examples:
            end = self._index_in_epoch = start + batch_size
            return self._images[start:end], self._labels[start:end]
        self._epochs_completed += 1
        images_rest = self._images[start:self._num_examples]
        labels_rest = self._labels[start:self._num_examples]
        if shuffle:
            self._shuffle()
        self._index_in_epoch = batch_size - (self._num_examples - start)
        end = self._index_in_epoch
        return (numpy.concatenate((images_rest, self._images[:end]), axis=0),
                numpy.concatenate((labels_rest, self._labels[:end]), axis=0))


def resolve_source(source_url=DEFAULT_SOURCE_URL):
    """Where to fetch from: ``TFCOMPAT_MNIST_SOURCE`` if set, else ``source_url`` (empty means the
    default, as in TF). A ``file://`` URL becomes a folder path."""
    source = os.environ.get(SOURCE_ENV_VAR) or source_url or DEFAULT_SOURCE_URL
    if source.startswith("file:"):
        return urllib.request.url2pathname(urllib.parse.urlparse(source).path)
    return source


def _location(source, filename):
    if "://" in source:
        return source.rstrip("/") + "/" + filename
    return os.path.join(os.path.expanduser(source), filename)


def _read_location(location):
    if "://" in location:
        with urllib.request.urlopen(location, timeout=_FETCH_TIMEOUT_S) as response:
            return response.read()
    with open(location, "rb") as f:
        return f.read()


def _failure_reason(exc):
    if isinstance(exc, urllib.error.HTTPError):
        exc.close()  # an HTTPError is also the open response
        return f"HTTP error {exc.code}: {exc.reason}"
    if isinstance(exc, urllib.error.URLError):
        return str(exc.reason)
    return str(exc) or type(exc).__name__


def fetch(location, filename):
    """Returns the bytes of MNIST file ``filename`` read from ``location`` (a URL or a path).

    Raises MNISTUnavailableError when it cannot be read (its message says only what failed, for
    the caller to complete), ValueError when its size or SHA-256 is not one of ``KNOWN_FILES``.
    """
    try:
        data = _read_location(location)
    except (OSError, http.client.HTTPException) as exc:
        reason = _failure_reason(exc)
        raise MNISTUnavailableError(f"could not fetch {location} ({reason})", location,
                                    reason) from None
    digest = hashlib.sha256(data).hexdigest()
    known = KNOWN_FILES[filename]
    if (len(data), digest) not in known:
        expected = " or ".join(f"{size} bytes with SHA-256 {sha}" for size, sha in sorted(known))
        raise ValueError(f"Checksum mismatch for {filename} fetched from {location}: got "
                         f"{len(data)} bytes with SHA-256 {digest}, expected {expected}. The "
                         f"source holds a damaged or different file; nothing was written.")
    return data


def write_atomically(path, write):
    """Calls ``write(binary_file)`` on a temporary file beside ``path``, then renames it to
    ``path``: readers never see a partial file, and a failure leaves ``path`` as it was."""
    directory = os.path.dirname(os.path.abspath(path))
    fd, temp_path = tempfile.mkstemp(dir=directory, prefix=f".{os.path.basename(path)}.",
                                     suffix=".part")
    try:
        with os.fdopen(fd, "wb") as f:
            write(f)
        os.chmod(temp_path, 0o644)  # mkstemp's 0600 would hide the data from other users
        os.replace(temp_path, path)
    except BaseException:
        os.unlink(temp_path)
        raise


def maybe_download(filename, work_directory, source_url=DEFAULT_SOURCE_URL):
    """Returns the path of ``filename`` in ``work_directory``, fetching it first if missing.

    Unlike TF's ``base.maybe_download``, ``source_url`` is the folder or URL holding the file,
    not the file's own URL, and ``TFCOMPAT_MNIST_SOURCE`` wins over it.
    """
    path = os.path.join(work_directory, filename)
    if os.path.exists(path):
        return path
    os.makedirs(work_directory, exist_ok=True)
    try:
        data = fetch(_location(resolve_source(source_url), filename), filename)
    except MNISTUnavailableError as exc:
        missing = [name for name in FILENAMES
                   if not os.path.exists(os.path.join(work_directory, name))]
        raise MNISTUnavailableError(
            f"MNIST data unavailable: {exc}.\nNeeded files: {', '.join(missing)}.\n"
            f"Copy them into {os.path.abspath(work_directory)}, or {source_hint()}",
            exc.location, exc.reason) from None
    write_atomically(path, lambda f: f.write(data))
    print("Successfully downloaded", filename, len(data), "bytes.")
    return path


def _extract(path, extractor, **kwargs):
    with open(path, "rb") as f:
        return extractor(f, **kwargs)


def read_data_sets(train_dir, fake_data=False, one_hot=False, dtype=dtypes.float32,
                   reshape=True, validation_size=5000, seed=None, source_url=DEFAULT_SOURCE_URL):
    """Returns ``Datasets(train, validation, test)`` of ``DataSet`` objects (TF 1.x API).

    Raises MNISTUnavailableError (an OSError) when files are missing and cannot be fetched,
    ValueError for damaged files or a ``validation_size`` outside [0, training examples],
    TypeError for a ``dtype`` other than uint8 or float32.
    """
    if fake_data:
        def fake():
            return DataSet([], [], fake_data=True, one_hot=one_hot, dtype=dtype, seed=seed)
        return Datasets(train=fake(), validation=fake(), test=fake())

    paths = {name: maybe_download(name, train_dir, source_url) for name in FILENAMES}
    train_images = _extract(paths[TRAIN_IMAGES], extract_images)
    train_labels = _extract(paths[TRAIN_LABELS], extract_labels, one_hot=one_hot)
    test_images = _extract(paths[TEST_IMAGES], extract_images)
    test_labels = _extract(paths[TEST_LABELS], extract_labels, one_hot=one_hot)

    if not 0 <= validation_size <= len(train_images):
        raise ValueError(f"Validation size should be between 0 and {len(train_images)}. "
                         f"Received: {validation_size}.")
    options = dict(dtype=dtype, reshape=reshape, seed=seed)
    train = DataSet(train_images[validation_size:], train_labels[validation_size:], **options)
    validation = DataSet(train_images[:validation_size], train_labels[:validation_size],
                         **options)
    test = DataSet(test_images, test_labels, **options)
    return Datasets(train=train, validation=validation, test=test)


def load_mnist(train_dir="MNIST-data"):
    return read_data_sets(train_dir)

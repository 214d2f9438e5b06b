"""``slim.data_decoder.DataDecoder`` (TF 1.15 contrib/slim/python/slim/data/
data_decoder.py): the interface of decoders turning a serialized record into item
tensors."""
import abc

__all__ = ["DataDecoder"]


class DataDecoder(abc.ABC):
    """``decode(data, items)`` returns one tensor per item; ``list_items()`` names them."""

    @abc.abstractmethod
    def decode(self, data, items):
        """The tensors of ``items`` decoded from ``data``."""

    @abc.abstractmethod
    def list_items(self):
        """The names of the items this decoder can produce."""

"""``slim.dataset.Dataset`` (TF 1.15 contrib/slim/python/slim/data/dataset.py)."""

__all__ = ["Dataset"]


class Dataset:
    """A dataset description: ``data_sources`` (files or glob patterns), the ``reader``
    class, a ``decoder`` (a DataDecoder), ``num_samples`` and ``items_to_descriptions``;
    extra keyword arguments become attributes too."""

    def __init__(self, data_sources, reader, decoder, num_samples, items_to_descriptions,
                 **kwargs):
        kwargs.update(data_sources=data_sources, reader=reader, decoder=decoder,
                      num_samples=num_samples, items_to_descriptions=items_to_descriptions)
        self.__dict__.update(kwargs)

"""slim's input pipeline modules (TF 1.15 contrib/slim/python/slim/data): ``dataset``,
``data_decoder``, ``data_provider``, ``dataset_data_provider``, ``parallel_reader``,
``prefetch_queue`` and ``tfexample_decoder``, reached as ``slim.<module>`` and
``slim.data.<module>``."""

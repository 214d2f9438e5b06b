"""``Predictor``: TF 1.15 contrib's base class, a session with named feed and fetch tensors."""


class Predictor:
    """Runs ``fetch_tensors`` with ``feed_tensors`` fed from a dict of inputs.

    As in TF 1.15: keys not in ``feed_tensors`` raise ValueError; inputs left out (or None)
    are simply not fed; the result is a dict keyed like ``fetch_tensors``.
    """

    _graph = _session = _feed_tensors = _fetch_tensors = None

    @property
    def graph(self):
        return self._graph

    @property
    def session(self):
        return self._session

    @property
    def feed_tensors(self):
        return self._feed_tensors

    @property
    def fetch_tensors(self):
        return self._fetch_tensors

    def __repr__(self):
        return (f"{type(self).__name__} with feed tensors {self._feed_tensors} and "
                f"fetch_tensors {self._fetch_tensors}")

    def __call__(self, input_dict):
        """Returns {output key: NumPy array} for ``input_dict`` ({input key: array})."""
        unexpected_keys = set(input_dict) - set(self.feed_tensors)
        if unexpected_keys:
            raise ValueError(f"Got unexpected keys in input_dict: {unexpected_keys}")
        feed_dict = {tensor: input_dict[key] for key, tensor in self.feed_tensors.items()
                     if input_dict.get(key) is not None}
        return self._session.run(fetches=self.fetch_tensors, feed_dict=feed_dict)


def tensors_by_name(graph, names):
    """{key: graph tensor} for {key: tensor name}."""
    return {key: graph.get_tensor_by_name(name) for key, name in names.items()}

"""``tf.train.ClusterSpec`` and ``tf.train.Server`` (TF 1.x ``training/server_lib.py``).

A ClusterSpec maps job names to the network addresses of their tasks, as a list (task i at
position i) or a dict of task index -> address. A Server is one task of a cluster: it serves
gRPC on the address its task has in the ClusterSpec (tfcompat's runtime is in
``tfcompat/distributed``); ``tf.Session(server.target)`` runs graphs on it, and the variables
placed on a task live in that task's server. Like TF 1.x's, these servers are
unauthenticated: run them on trusted networks only.
"""
from tfcompat.framework import config as config_lib


class ClusterSpec:
    """The jobs of a cluster and the addresses of their tasks (``tf.train.ClusterSpec``)."""

    def __init__(self, cluster):
        if isinstance(cluster, ClusterSpec):
            self._cluster = {job: dict(tasks) for job, tasks in cluster._cluster.items()}
            return
        if not isinstance(cluster, dict):
            raise TypeError("`cluster` must be a dictionary mapping one or more job names to "
                            "lists of network addresses, or a `ClusterDef` protocol buffer")
        self._cluster = {}
        for job, tasks in cluster.items():
            if isinstance(job, bytes):
                job = job.decode()
            if not isinstance(job, str):
                raise TypeError(f"Job name {job!r} must be bytes or unicode")
            if isinstance(tasks, (list, tuple)):
                tasks = dict(enumerate(tasks))
            elif not isinstance(tasks, dict):
                raise TypeError(f"The tasks for job {job!r} must be a list or a dictionary "
                                f"from integers to strings.")
            for index, address in tasks.items():
                if not isinstance(index, int) or isinstance(index, bool):
                    raise TypeError(f"Task index {index!r} must be an integer")
                if not isinstance(address, str):
                    raise TypeError(f"Task address {address!r} must be bytes or unicode")
            self._cluster[job] = dict(tasks)

    def __bool__(self):
        return bool(self._cluster)

    def __eq__(self, other):
        return isinstance(other, ClusterSpec) and self._cluster == other._cluster

    def __ne__(self, other):
        return not self == other

    def __str__(self):
        return "ClusterSpec(" + repr(self.as_dict()) + ")"

    __repr__ = __str__

    @property
    def jobs(self):
        """The job names, sorted."""
        return sorted(self._cluster)

    def as_dict(self):
        """{job: [addresses]} where a job's indices are 0..n-1, else {job: {index: address}}."""
        out = {}
        for job in self.jobs:
            indices = self.task_indices(job)
            if indices == list(range(len(indices))):
                out[job] = [self._cluster[job][i] for i in indices]
            else:
                out[job] = {i: self._cluster[job][i] for i in indices}
        return out

    def _tasks(self, job_name):
        try:
            return self._cluster[job_name]
        except KeyError:
            raise ValueError(f"No such job in cluster: {job_name!r}") from None

    def num_tasks(self, job_name):
        """How many tasks ``job_name`` has."""
        return len(self._tasks(job_name))

    def task_indices(self, job_name):
        """The sorted task indices of ``job_name``."""
        return sorted(self._tasks(job_name))

    def task_address(self, job_name, task_index):
        """The address of one task."""
        tasks = self._tasks(job_name)
        try:
            return tasks[task_index]
        except KeyError:
            raise ValueError(f"No task with index {task_index!r} in job {job_name!r}") from None

    def job_tasks(self, job_name):
        """The addresses of ``job_name``'s tasks by index, None where an index is missing."""
        tasks = self._tasks(job_name)
        return [tasks.get(i) for i in range(max(tasks) + 1)] if tasks else []


class Server:
    """An in-process server for one task of a cluster (``tf.train.Server``)."""

    def __init__(self, server_or_cluster_def, job_name=None, task_index=None, protocol=None,
                 config=None, start=True):
        from tfcompat.distributed.server import TaskServer
        self._cluster = ClusterSpec(server_or_cluster_def)
        job_name = job_name or _only(self._cluster.jobs, "job_name", "jobs")
        if task_index is None:
            task_index = _only(self._cluster.task_indices(job_name), "task_index", "tasks")
        address = self._cluster.task_address(job_name, task_index)
        if protocol not in (None, "grpc"):
            raise ValueError(f"Unsupported protocol {protocol!r}: tfcompat servers speak "
                             f"'grpc'")
        self._impl = TaskServer(self._cluster, job_name, task_index, address,
                                config_lib.as_config(config))
        if start:
            self.start()

    def start(self):
        """Starts serving (the first call; later ones do nothing)."""
        self._impl.start()

    def join(self):
        """Blocks until the server shuts down."""
        self._impl.join()

    @property
    def target(self):
        """``grpc://host:port``, what ``tf.Session`` takes to run on this server."""
        return "grpc://" + self._impl.address

    @property
    def cluster_spec(self):
        return self._impl.cluster

    @staticmethod
    def create_local_server(config=None, start=True):
        """A one-task server on localhost with a free port (job ``local``)."""
        return Server({"local": ["localhost:0"]}, protocol="grpc", config=config, start=start)


def _only(values, argument, what):
    if len(values) != 1:
        raise ValueError(f"Must specify an explicit `{argument}` if the cluster has more than "
                         f"one of {what}: {values}")
    return values[0]

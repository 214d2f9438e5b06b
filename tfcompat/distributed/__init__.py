"""tfcompat's distributed runtime on gRPC: task servers (``server.py``) with a master that
splits steps by task (``master.py``, ``partition.py``) and a worker that runs the parts and
keeps the task's resources (``worker.py``), remote sessions (``remote_session.py``) and the
wire format (``wire.py``)."""

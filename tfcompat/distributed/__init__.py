"""tfcompat's distributed runtime on gRPC: task servers (``server.py``), their master service
(``master.py``), remote sessions (``remote_session.py``) and the wire format (``wire.py``)."""

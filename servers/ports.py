import socket


def free_port(also_free_offset: int = 0) -> int:
    """A loopback port that is free now (and so is port + also_free_offset, for gRPC twins)."""
    while True:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        if port + also_free_offset > 65535:
            continue
        if not also_free_offset:
            return port
        with socket.socket() as twin:
            try:
                twin.bind(("127.0.0.1", port + also_free_offset))
                return port
            except OSError:
                continue

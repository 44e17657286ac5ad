"""Configuration of the docs build's kernels (docs/_ext/build_kernels.py)."""

import logging


class _NoTcpNotice(logging.Filter):
    """Drops ipykernel's notice that it listens on TCP without encryption.

    The docs build's kernels listen on 127.0.0.1, for the length of one page, and talk only
    to the build; myst-nb and jupyter-cache offer no way to give the kernel manager the ipc
    transport (or CurveZMQ keys) that would silence it. Every other message stays.
    """

    def filter(self, record):
        return not str(record.msg).startswith("Kernel is running over TCP without encryption")


logging.getLogger("IPKernelApp").addFilter(_NoTcpNotice())

"""The sandbox's child process has no input and no display: both channels are the kernel's.

In Jupyter, the kernel's input channel and display sockets belong to the parent process (the
kernel). A forked child of :mod:`sgdlib.grading.sandbox` that read ``input()`` would wait for an
answer that never comes, until the time limit, and one that showed a figure would write into
the kernel's sockets. :func:`cut_off_from_kernel` makes the first a clear error and collects the
second, to be thrown away.
"""

from __future__ import annotations

import builtins
import io
import sys
from typing import Any

__all__ = ["NO_DEBUGGER", "NO_INPUT", "cut_off_from_kernel"]

NO_INPUT = "input() is not available inside check; give your function its values as arguments"
NO_DEBUGGER = ("breakpoint() and debuggers are not available inside check: debug your function in a "
               "cell of its own")


class _NoInput(io.TextIOBase):
    """The child's ``sys.stdin``: reading it raises ``RuntimeError(NO_INPUT)``."""

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> str:
        raise RuntimeError(NO_INPUT)

    def readline(self, size: int | None = -1) -> str:
        raise RuntimeError(NO_INPUT)


def cut_off_from_kernel() -> None:
    """In the child only: ``input()``, ``sys.stdin`` and ``breakpoint()`` raise a
    ``RuntimeError`` that says why, and IPython's display() (``plt.show()`` in a notebook) is
    collected instead of sent. Never call it in the kernel itself."""
    def refuse_input(prompt: object = "") -> str:
        raise RuntimeError(NO_INPUT)

    def refuse_debugger(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError(NO_DEBUGGER)

    builtins.input = refuse_input
    sys.stdin = _NoInput()
    sys.breakpointhook = refuse_debugger
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    if shell is not None:
        from IPython.core.displaypub import CapturingDisplayPublisher

        shell.display_pub = CapturingDisplayPublisher()

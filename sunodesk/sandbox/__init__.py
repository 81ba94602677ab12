"""The built-in sandbox: a local Evolink-compatible server with real audio and fault switches.

``SandboxServer(speed=100).start()`` serves on 127.0.0.1; ``server.faults.set(...)`` switches
faults on; ``run_forever(port, speed, state_dir)`` is what ``sunodesk sandbox`` calls.
"""

from sunodesk.sandbox.faults import Faults
from sunodesk.sandbox.server import SandboxServer, run_forever

__all__ = ["Faults", "SandboxServer", "run_forever"]

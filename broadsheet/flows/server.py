"""Prefect's temporary server for a run with no Prefect server configured, started as the run starts.

With no server configured, Prefect starts a temporary one at the first flow call and the run
waits for it: the server's imports, its app and, in a new Prefect home, its database take 5 to
20 s on a small machine, and starting it from the run's own process also imports the server's
modules there (about 4 s), which the run never uses. :func:`temporary_server` launches the same
server (Prefect's app, with the settings Prefect gives its temporary server) in a process of its
own before the run imports anything, so that it comes up on another core while the run imports
the pipeline; the command line then points the flows at it. The server is this process's, shared
by its runs, and stopped when the process exits, after Prefect has sent it the last logs. In a new
Prefect home the server's process creates the database itself, faster than Prefect's start-up
would (:mod:`broadsheet.flows.server_process`).

Nothing here imports Prefect: deciding whether a server is configured after all (a profile, a
`prefect.toml`) is left to the caller, which has Prefect's settings.
"""

from __future__ import annotations

import atexit
import contextlib
import http.client
import importlib.util
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

# What Prefect sets for its own temporary server (prefect.server.api.server.SubprocessASGIServer):
# no UI, only the services of a temporary server, the app built once.
SERVER_ENV = {"PREFECT_UI_ENABLED": "0", "PREFECT__SERVER_EPHEMERAL": "1", "PREFECT__SERVER_FINAL": "1"}
# Unless the user says otherwise: the block types (storage, credentials, notifications) are written
# into the database so that a UI or a deployment can offer them; the flows of a run use none, the
# temporary server has no UI, and registering them takes seconds in a new Prefect home.
SERVER_DEFAULTS = {"PREFECT_API_BLOCKS_REGISTER_ON_START": "false"}
# uvicorn's exit status when it cannot start, e.g. when another process took the port first.
STARTUP_FAILURE = 3
PORT_TRIES = 5
POLL_S = 0.05
# What runs in the server's process: a new database made quickly, then Prefect's app under uvicorn.
PROCESS_MODULE = "broadsheet.flows.server_process"


class ServerStartError(RuntimeError):
    pass


class TemporaryServer:
    """Prefect's server app under uvicorn on 127.0.0.1, in a child process."""

    def __init__(self) -> None:
        self.port: int | None = None
        self.process: subprocess.Popen | None = None
        self.ready = False
        self._tries = 0

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api"

    def launch(self) -> None:
        self.port = _free_port()
        self._tries += 1
        if importlib.util.find_spec("prefect") is None:
            raise ServerStartError("Prefect is not installed")
        # -P: the working directory is not put on the server's import path, where a file of the
        # user's could stand in for a module; this package is found where this process found it.
        package_root = str(Path(__file__).resolve().parents[2])
        entry = f"import sys; sys.path.append({package_root!r}); from {PROCESS_MODULE} import main; main()"
        command = [sys.executable, "-P", "-c", entry, "--port", str(self.port)]
        environment = {**SERVER_DEFAULTS, **os.environ, **SERVER_ENV}
        self.process = subprocess.Popen(command, env=environment, stdin=subprocess.DEVNULL)

    def wait(self, timeout_s: float) -> str:
        """The server's API URL once it answers; raises ServerStartError if it ends or does not answer in time."""
        deadline = time.monotonic() + timeout_s
        while not self.ready:
            status = self.process.poll() if self.process is not None else None
            if status == STARTUP_FAILURE and self._tries < PORT_TRIES:
                self.launch()
                continue
            if status is not None:
                raise ServerStartError(f"Prefect's temporary server stopped at start-up with exit status {status}")
            if _healthy(self.port):
                self.ready = True
            elif time.monotonic() > deadline:
                self.stop()
                raise ServerStartError(
                    f"Prefect's temporary server did not answer within {timeout_s:.0f} s "
                    "(PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS)"
                )
            else:
                time.sleep(POLL_S)
        return self.api_url

    def stop(self) -> None:
        process, self.process, self.ready = self.process, None, False
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


_server: TemporaryServer | None = None


def temporary_server() -> TemporaryServer:
    """This process's temporary server, launched now if it is not running; it stops at exit."""
    global _server
    if _server is None or _server.process is None:
        _server = TemporaryServer()
        _server.launch()
        # Registered before Prefect is imported, so it runs after Prefect's own exit handlers,
        # which send the server the run's last logs and events.
        atexit.register(_server.stop)
    return _server


def configured_elsewhere(environ: os._Environ | dict = os.environ) -> bool:
    """Whether the environment may name a Prefect server or profile, so that starting one is
    likely wasted; the caller still checks Prefect's own settings before using it."""
    if environ.get("PREFECT_API_URL") or environ.get("PREFECT_PROFILE"):
        return True
    home = Path(environ.get("PREFECT_HOME") or Path.home() / ".prefect")
    return (home / "profiles.toml").exists()


def _free_port() -> int:
    with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _healthy(port: int | None) -> bool:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
    try:
        connection.request("GET", "/api/health")
        return connection.getresponse().status == 200
    except (OSError, http.client.HTTPException):
        return False
    finally:
        connection.close()

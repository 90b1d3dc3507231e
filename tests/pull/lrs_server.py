"""A real xAPI LRS on loopback for the pull tests: Ralph (the Open edX LRS, PyPI
``ralph-malph``), installed by ``make install-dev`` in its own environment ``.venv-lrs``
(it pins click, FastAPI and pydantic versions of its own), started with its file-system
backend on a free port with one basic-auth user.

Ralph's file-system backend is its development backend and refuses a second write to its
statements file (operation "create"); the server is started with that backend's default
operation set to "append", the one change, so that statements can be posted more than once
through the statements API. Everything else (authentication, validation, queries, the
``more`` links) is Ralph's own code."""

from __future__ import annotations

import base64
import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.pull.servers import free_port, stop

REPO = Path(__file__).resolve().parents[2]
USER, PASSWORD = "m2if", "lrs-pw-not-secret"
# One process: Ralph's own `ralph auth` command (through its click group, in-process) writes
# the user's credentials, then uvicorn serves Ralph's API (a separate `ralph auth` process
# paid a second interpreter start and import of Ralph: 2.6-2.8 s -> 1.2-1.4 s to a ready LRS).
LAUNCHER = """
import sys
from ralph.backends.data.base import BaseOperationType
from ralph.backends.data.fs import FSDataBackend
from ralph.cli import cli
FSDataBackend.default_operation_type = BaseOperationType.APPEND
cli.main(["auth", "-u", sys.argv[2], "-p", sys.argv[3], "-s", "all", "-M", sys.argv[4], "-w"],
         standalone_mode=False)
import uvicorn
uvicorn.run("ralph.api:app", host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
"""


def ralph_python() -> Path:
    """The interpreter of the environment Ralph is installed in."""
    given = os.environ.get("M2IF_TEST_RALPH_PYTHON")
    path = Path(given) if given else REPO / ".venv-lrs" / "bin" / "python"
    if not path.is_file():
        raise FileNotFoundError(f"Ralph is not installed ({path}): make install-dev installs "
                                "it in .venv-lrs")
    return path


@dataclass
class Ralph:
    port: int

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}/xAPI"

    def post(self, statements: list[dict[str, Any]], chunk: int = 5000) -> None:
        """Store statements through the LRS's own statements API (POST /statements)."""
        token = base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
        for start in range(0, len(statements), chunk):
            body = json.dumps(statements[start:start + chunk]).encode()
            request = urllib.request.Request(
                f"{self.endpoint}/statements", data=body, method="POST",
                headers={"X-Experience-API-Version": "1.0.3",
                         "Content-Type": "application/json",
                         "Authorization": f"Basic {token}"})
            with urllib.request.urlopen(request, timeout=300) as response:
                assert response.status == 200, response.status


@contextlib.contextmanager
def ralph() -> Iterator[Ralph]:
    python = ralph_python()
    home = Path(tempfile.mkdtemp(prefix="m2if-lrs-"))
    (home / "data").mkdir()
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(home),
           "RALPH_APP_DIR": str(home), "RALPH_AUTH_FILE": str(home / "auth.json"),
           "RALPH_RUNSERVER_BACKEND": "fs",
           "RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH": str(home / "data"),
           "RALPH_RUNSERVER_MAX_SEARCH_HITS_COUNT": "100000"}
    try:
        port = free_port()
        log = (home / "server.log").open("wb")
        process = subprocess.Popen([str(python), "-c", LAUNCHER, str(port), USER, PASSWORD,
                                    "mailto:m2if-tests@example.org"], env=env,
                                   stdout=log, stderr=subprocess.STDOUT, cwd=home)
        try:
            deadline = time.monotonic() + 60
            while True:
                if process.poll() is not None:
                    raise RuntimeError("Ralph stopped at start: " + (home / "server.log")
                                       .read_text(errors="replace")[-800:])
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/__heartbeat__",
                                           timeout=2).close()
                    break
                except (urllib.error.URLError, OSError):
                    if time.monotonic() > deadline:
                        raise RuntimeError("Ralph did not answer in 60 s") from None
                    time.sleep(0.2)
            yield Ralph(port)
        finally:
            stop(process)
            log.close()
    finally:
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":  # a manual check: start, print the endpoint, wait
    with ralph() as lrs:
        print(lrs.endpoint, file=sys.stderr)
        time.sleep(3600)

"""The live preview's web server: uvicorn in a thread, on a socket bound to 127.0.0.1.

The main thread watches the files and builds (`handout.preview.rebuild`); the app it serves
(the preview and the editor's pages) is made by `handout.editor.app`.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable

from starlette.types import ASGIApp

from handout.content.errors import UserError

GRACE_S = 2
"""How long a stopping server waits for its open answers: a page's event stream (see
`handout.preview.events`) never ends by itself, if the preview was not closed first."""


class Server:
    """uvicorn serving the app in a thread, on a socket bound to 127.0.0.1 beforehand (so
    that port 0 picks a free port, and a port in use is a clean error)."""

    def __init__(self, app_for: Callable[[int], ASGIApp], port: int) -> None:
        """`app_for(port)` makes the app once the port is known (it answers only requests
        addressed to that port)."""
        import uvicorn

        self.socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            self.socket.bind(("127.0.0.1", port))
        except OSError as error:
            self.socket.close()
            raise UserError(
                f"cannot serve on 127.0.0.1:{port}: {error.strerror}; choose another port with "
                "--port (0 picks a free one)"
            ) from error
        self.socket.listen(128)  # connections wait in the queue until uvicorn has started
        self.port: int = self.socket.getsockname()[1]
        app = app_for(self.port)
        config = uvicorn.Config(
            app,
            log_level="warning",
            access_log=False,
            lifespan="off",
            timeout_graceful_shutdown=GRACE_S,
        )
        self.uvicorn = uvicorn.Server(config)
        self.thread = threading.Thread(
            target=self.uvicorn.run, kwargs={"sockets": [self.socket]}, name="server", daemon=True
        )
        self.thread.start()

    def stop(self) -> None:
        self.uvicorn.should_exit = True
        self.thread.join(timeout=10)
        self.socket.close()

"""Serves one app instance from a release whose front end is already built: the serving half of
``reflex run --env prod --single-port`` (front end and back end on one port, Granian), without its
build step.

Why not ``reflex run`` itself: it rebuilds the front end at every start, and two builds of the
same code give different asset file names. Instances that build for themselves then serve pages
naming assets the other instances do not have, and an instance that restarts deletes and replaces
the files of its release while it builds. So the release is built once by
``deploy/bin/build-frontend`` (``reflex export --frontend-only``) and every instance serves that
same build.

A worker that dies (a crash, the OOM killer) is replaced at once: Granian as Reflex starts it
stops every worker and exits when one dies, and the whole instance would be down until systemd
started it again.

    python deploy/lib/serve.py PORT [HOST]
"""

from __future__ import annotations

import sys
from typing import Any

from granian import server as granian_server
from reflex.utils import exec as reflex_exec  # noqa: TID251  (an operator script, not the app)
from reflex.utils import prerequisites  # noqa: TID251
from reflex_base import constants
from reflex_base.config import get_config
from reflex_base.environment import environment


class RespawningServer(granian_server.Server):  # type: ignore[misc,valid-type]
    """Granian with the options Reflex gives it, plus a new worker in place of one that dies
    (Granian still exits, for systemd to restart, when a replaced worker dies within seconds)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, respawn_failed_workers=True, **kwargs)


def main() -> int:
    port = int(sys.argv[1])
    host = sys.argv[2] if len(sys.argv) > 2 else "127.0.0.1"
    static = prerequisites.get_web_dir() / constants.Dirs.STATIC
    if not (static / "index.html").is_file():
        print(
            f"The front end of this release is not built ({static} is missing): "
            "run deploy/bin/build-frontend first",
            file=sys.stderr,
        )
        return 78
    environment.REFLEX_ENV_MODE.set(constants.Env.PROD)
    environment.REFLEX_SKIP_COMPILE.set(True)
    config = get_config()
    config._set_persistent(frontend_port=port, backend_port=port)
    granian_server.Server = RespawningServer  # what Reflex's production runner instantiates
    reflex_exec.run_backend_prod(host, port, config.loglevel.subprocess_level(), True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

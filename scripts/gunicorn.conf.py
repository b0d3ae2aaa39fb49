"""gunicorn settings of `make run` and bench/web.py: the portal's web server.

    cd / && CKAN_INI=$PWD/ckan.ini .venv/bin/gunicorn -c scripts/gunicorn.conf.py \
        --bind 127.0.0.1:5000 'ckanext.mogi.wsgi:create_app()'

Start it from a directory other than the repository root: gunicorn puts its
start-up directory on sys.path, and there the source tree's ``ckanext/mogi``
(without ``schemas/``, which only the wheel has) would shadow the installed
wheel. scripts/serve.sh (make run) and bench/web.py do that.

Sizing: two processes per CPU core available to this process (CKAN renders
its pages in Python, under the GIL, so processes are what scale on the CPU;
two per core keep the cores busy while a process waits on PostgreSQL, which
runs on the same machine) and a few threads in each (``gthread``) to overlap
the waits on PostgreSQL and Redis. Measured with bench/web.py on 2 cores:
4 x 2 served 28 req/s with 8 clients, 2 x 4 served 19 (bench/README.md).
MOGI_WEB_WORKERS / MOGI_WEB_THREADS override them.
"""

import os

worker_class = "gthread"
workers = int(os.environ.get("MOGI_WEB_WORKERS") or 2 * len(os.sched_getaffinity(0)))
threads = int(os.environ.get("MOGI_WEB_THREADS") or 4)
# A page that takes longer than this has a bug; the worker is restarted.
timeout = 120
graceful_timeout = 20
keepalive = 5
# Each worker loads CKAN itself (no preload): no database connection is ever
# shared between forked processes.
preload_app = False
accesslog = None
# gunicorn's control socket defaults to one path per user ($HOME/.gunicorn):
# two servers (make run, bench/web.py, the tests) would fight over it.
control_socket_disable = True

"""Production gunicorn settings: `gunicorn -c deploy/gunicorn.conf.py solidaire.wsgi`.

Threaded workers keep connections alive between a page and its form post; a process
per core (plus one to cover database waits) with a few threads each keeps both cores
busy without queueing requests behind a slow one. Every value can be set from the
environment. Access logs are off: the proxy in front logs what it must, and this
process then never writes visitors' addresses.
"""

import multiprocessing
import os

bind = os.environ.get("SOLIDAIRE_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("SOLIDAIRE_WORKERS", multiprocessing.cpu_count() + 1))
worker_class = "gthread"
threads = int(os.environ.get("SOLIDAIRE_THREADS", "4"))
keepalive = 5
# A worker is replaced after this many requests (with jitter), so a slow leak never grows.
max_requests = 20000
max_requests_jitter = 2000
timeout = 30
graceful_timeout = 20
accesslog = None
errorlog = "-"
loglevel = os.environ.get("SOLIDAIRE_LOG_LEVEL", "warning")

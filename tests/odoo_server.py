"""A live Odoo 11 server on loopback, as the end-to-end tests and benchmarks run it.

Threaded (workers=0, what tests/conftest.py's `odoo_url` uses) or prefork
(workers > 0: HTTP workers, cron workers and the longpolling process, the way
production runs), optionally with OCA queue_job's job runner
(server_wide_modules web,queue_job; channels from ODOO_QUEUE_JOB_CHANNELS).

    server = OdooServer(db, workers=4, queue_channels="root:4", smtp=("127.0.0.1", 2525))
    server.start()          # waits until /web/login answers 200
    server.url              # http://127.0.0.1:<port>
    server.worker_pids()    # prefork HTTP/cron workers (children of the master)
    server.stop()

Everything listens on 127.0.0.1; ports are free ones picked at start.
"""
import importlib.util
import os
import signal
import subprocess
import time

import requests

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# the addon's SMTP sink (a test module of the addon, loaded by path: tests/ is
# not a package of the addon), and its free-port helper
_spec = importlib.util.spec_from_file_location(
    "smtp_sink", os.path.join(ROOT, "candidate_nurture", "tests", "smtp_sink.py"))
smtp_sink = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(smtp_sink)
free_port = smtp_sink.free_port


class OdooServer(object):

    def __init__(self, db, workers=0, cron_threads=0, smtp=None, queue_channels=None,
                 log_name=None, extra_args=(), env=None):
        self.db = db
        self.workers = workers
        self.cron_threads = cron_threads
        self.smtp = smtp
        self.queue_channels = queue_channels
        self.extra_args = list(extra_args)
        self.extra_env = dict(env or {})
        self.port = free_port()
        self.longpolling_port = free_port()
        self.url = "http://127.0.0.1:%d" % self.port
        self.log = os.path.join(ROOT, ".logs", "%s.log" % (
            log_name or "server-%s-w%d" % (db, workers)))
        self.proc = None

    def command(self):
        cmd = [os.path.join(ROOT, "runtime", "odoo"), "-d", self.db,
               "--db-filter=^%s$" % self.db, "--http-port=%d" % self.port,
               "--longpolling-port=%d" % self.longpolling_port,
               "--workers=%d" % self.workers, "--max-cron-threads=%d" % self.cron_threads,
               "--logfile=%s" % self.log, "--log-level=info"]
        if self.smtp:
            cmd += ["--smtp=%s" % self.smtp[0], "--smtp-port=%d" % self.smtp[1]]
        if self.queue_channels:
            cmd += ["--load=web,queue_job"]
        return cmd + self.extra_args

    def start(self, timeout=180):
        """Start Odoo and wait until /web/login answers 200; on failure, raise with
        the end of the server's log, so that the cause shows where the tests ran."""
        os.makedirs(os.path.dirname(self.log), exist_ok=True)
        if os.path.exists(self.log):
            os.remove(self.log)  # the log of this start only: tests read it
        env = dict(os.environ, **self.extra_env)
        if self.queue_channels:
            env["ODOO_QUEUE_JOB_CHANNELS"] = self.queue_channels
        self.proc = subprocess.Popen(self.command(), cwd=ROOT, env=env, start_new_session=True)
        deadline = time.time() + timeout
        last = "no answer"
        while time.time() < deadline:
            if self.proc.poll() is not None:
                last = "Odoo exited with status %s" % self.proc.returncode
                break
            try:
                # the first page also builds the asset bundles (lessc), slow on a
                # busy machine: one request waits for it (a new request every
                # minute would start another build beside the first)
                resp = requests.get(self.url + "/web/login", timeout=max(5, deadline - time.time()))
                if resp.status_code == 200:
                    return self
                last = "/web/login answered %d" % resp.status_code
            except requests.ConnectionError:
                last = "connection refused"  # not listening yet
            except requests.Timeout:
                last = "/web/login did not answer"
            time.sleep(0.5)
        self.stop()
        raise RuntimeError("Odoo on %s not ready within %d s (last: %s); the end of %s:\n%s"
                           % (self.url, timeout, last, self.log, self.log_tail()))

    def log_tail(self, lines=40):
        try:
            with open(self.log, errors="replace") as handle:
                return "".join(handle.readlines()[-lines:])
        except OSError:
            return ""

    def worker_pids(self):
        """Pids of the prefork master's direct children (HTTP and cron workers,
        the longpolling process excluded: it is a separate program)."""
        import psutil
        master = psutil.Process(self.proc.pid)
        return [child.pid for child in master.children()
                if "gevent" not in child.cmdline()]

    def stop(self):
        if self.proc is None or self.proc.poll() is not None:
            return
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

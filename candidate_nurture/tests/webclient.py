"""A form as Odoo 11's web client drives it, for tests where onchanges matter.

Odoo 11 has no ``odoo.tests.common.Form`` (it came with 12.0). ``ClientForm``
follows what ``web/static/src/js/views/basic/basic_model.js`` does with a new
record, against the real view and the real server methods:

- ``default_get`` with the view's fields, then ``onchange`` with every field
  (``_makeDefaultRecord``); each edit of a field with an onchange calls
  ``onchange`` again with all values, x2many lines as commands;
- lines of a one2many are edited in the list or in the popup form of the
  field; on save, the web client drops every field that is read-only in the
  view the line was last edited in, unless the field has ``force_save``
  (``_generateChanges`` / ``_isFieldProtected``), and the same for the main
  record's fields in the form view;
- on save it calls ``create`` with what is left.
"""
import json

from lxml import etree


def _eval_domain(domain, values):
    """A view modifier's domain (as fields_view_get writes it) on values."""
    def leaf(item):
        name, op, right = item
        left = values.get(name)
        if op == "=":
            return left == right or (right is False and not left)
        if op == "!=":
            return not (left == right or (right is False and not left))
        if op == "in":
            return left in right
        if op == "not in":
            return left not in right
        if op == "<":
            return left < right
        if op == ">":
            return left > right
        raise NotImplementedError(op)

    stack = []
    for item in reversed(domain):
        if item == "|":
            stack.append(stack.pop() or stack.pop())
        elif item == "&":
            stack.append(stack.pop() and stack.pop())
        elif item == "!":
            stack.append(not stack.pop())
        else:
            stack.append(leaf(item))
    return all(stack)


class _View(object):
    """Fields of one view: modifiers and force_save per field."""

    def __init__(self, arch):
        self.fields = {}
        for node in etree.fromstring(arch).iter("field"):
            self.fields[node.get("name")] = {
                "modifiers": json.loads(node.get("modifiers") or "{}"),
                "force_save": bool(node.get("force_save")),
            }

    def protected(self, name, values):
        info = self.fields.get(name)
        if info is None:
            return False
        readonly = info["modifiers"].get("readonly", False)
        if isinstance(readonly, list):
            readonly = _eval_domain(readonly, values)
        return bool(readonly) and not info["force_save"]


class ClientLine(object):
    """A new line: its values, its virtual id (ref) and the view it was edited in."""

    _refs = [0]

    def __init__(self, form, field, values):
        self.form, self.field, self.values = form, field, dict(values)
        self.edited_in = None
        self._refs[0] += 1
        self.ref = "virtual_%d" % self._refs[0]

    def __getitem__(self, name):
        return self.values.get(name)


class ClientForm(object):
    """A new record of ``model`` in its form view, as the web client makes it."""

    def __init__(self, env, model, view_xmlid=None, context=None):
        self.env = env(context=dict(env.context, **(context or {})))
        self.model = self.env[model]
        view_id = self.env.ref(view_xmlid).id if view_xmlid else None
        info = self.model.fields_view_get(view_id=view_id, view_type="form")
        self.fields = info["fields"]
        self.view = _View(info["arch"])
        self.subviews = {}
        for name, field in self.fields.items():
            for view_type, sub in (field.get("views") or {}).items():
                self.subviews.setdefault(name, {})[view_type] = _View(sub["arch"])
        self.spec = self.model._onchange_spec(view_info=info)
        self.names = list(self.view.fields)
        self.values = {}
        self.warnings = []
        # applyDefaultValues: the defaults, and for every other field of the
        # view 0, [] or null (None), all sent to the first onchange
        for name in self.names:
            kind = self._type(name)
            self.values[name] = 0 if kind in ("integer", "float", "monetary") else (
                [] if kind in ("one2many", "many2many") else None)
        self._apply(self.model.default_get(self.names))
        self._onchange(self.names)

    # ------------------------------------------------------------------
    # values as the client holds them
    # ------------------------------------------------------------------
    def _type(self, name):
        return self.fields[name]["type"]

    def _apply(self, values):
        for name, value in values.items():
            if name not in self.fields:
                continue
            kind = self._type(name)
            if kind == "many2one":
                self.values[name] = value[0] if isinstance(value, (list, tuple)) else value
            elif kind == "many2many":
                ids = list(self.values.get(name) or [])
                for command in value or []:
                    if command[0] == 6:
                        ids = list(command[2])
                    elif command[0] == 4:
                        ids.append(command[1])
                    elif command[0] in (3, 5):
                        ids = [] if command[0] == 5 else [i for i in ids if i != command[1]]
                self.values[name] = ids
            elif kind == "one2many":
                old = list(self.values.get(name) or [])
                by_ref = dict((line.ref, line) for line in old)
                lines = old
                for command in value or []:
                    if command[0] == 5:
                        lines = []
                    elif command[0] == 0:
                        # a line the client knows (its virtual id) keeps what
                        # the client knows of it, as basic_model.js does
                        line = by_ref.get(command[1])
                        if line is None:
                            line = ClientLine(self, name, {})
                        line.values.update(self._line_values(name, command[2]))
                        lines.append(line)
                    elif command[0] == 1:
                        raise NotImplementedError("lines saved in the database")
                self.values[name] = lines
            else:
                self.values[name] = value

    def _line_values(self, field, values):
        result = {}
        for name, value in values.items():
            if isinstance(value, (list, tuple)) and len(value) == 2 and isinstance(value[0], int):
                value = value[0]  # many2one as (id, name)
            result[name] = value
        return result

    def _server_values(self, for_save=False):
        """Values as the client sends them (all of them for an onchange, what is
        not protected for a save)."""
        result = {}
        for name in self.names:
            if name not in self.values:
                continue
            if for_save and self.view.protected(name, self.values):
                continue
            kind = self._type(name)
            value = self.values[name]
            if kind == "many2many":
                value = [(6, 0, list(value or []))]
            elif kind == "one2many":
                value = [(0, 0 if for_save else line.ref, self._line_server_values(line, for_save))
                         for line in value or []]
            result[name] = value
        return result

    def _line_server_values(self, line, for_save):
        view = self.subviews.get(line.field, {}).get(line.edited_in or "tree")
        values = {}
        for name, value in line.values.items():
            if for_save and view is not None and view.protected(name, line.values):
                continue
            values[name] = value
        return values

    def _onchange(self, names):
        names = [n for n in names if self.spec.get(n)] if isinstance(names, list) else names
        if isinstance(names, list) and not names:
            return
        result = self.model.onchange(self._server_values(), names, self.spec)
        if result.get("warning"):
            self.warnings.append(result["warning"])
        self._apply(result.get("value") or {})

    # ------------------------------------------------------------------
    # what a user does
    # ------------------------------------------------------------------
    def __getitem__(self, name):
        return self.values.get(name)

    def invisible(self, name):
        """Whether the form hides this field now (its invisible modifier, on
        values as the client evaluates them: null is False)."""
        values = dict((key, False if value is None else value) for key, value in self.values.items())
        for key, value in values.items():
            if isinstance(value, list) and value and isinstance(value[0], ClientLine):
                values[key] = []
        modifier = self.view.fields[name]["modifiers"].get("invisible", False)
        if isinstance(modifier, list):
            return _eval_domain(modifier, values)
        return bool(modifier)

    def set(self, name, value):
        """Type in a field of the form (many2many: a list of ids)."""
        self.values[name] = value
        if self.spec.get(name):
            self._onchange(name)

    def lines(self, field):
        return self.values.get(field) or []

    def edit_line(self, field, index, view_type="form", **values):
        """Open a line (its popup form, or in the list) and change it, then save
        the line back into the form (the parent's onchange runs)."""
        line = self.lines(field)[index]
        line.values.update(values)
        line.edited_in = view_type
        if self.spec.get(field):
            self._onchange(field)
        return line

    def save(self):
        """Create the record with what the web client sends."""
        return self.model.create(self._server_values(for_save=True))

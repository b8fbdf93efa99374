# Copyright 2026 candidate_nurture contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Telling Odoo's mail gateway at work from someone calling its hooks.

Odoo 11 processes incoming email in ``mail.thread.message_process``: the
fetchmail scheduler calls it (as the cron's user, the superuser by default),
and so does the mailgate script, over XML-RPC as the user it is configured
with (``--userid``, 1 by default). It routes the message and calls the target
record's ``message_update`` / ``message_new`` (through
``message_route_process``, which switches to the route's user with ``sudo``),
or ``message_receive_bounce`` for a bounce.

All of them are public methods: any logged-in user, portal users included,
can call ``hr.talent.message_update`` directly, or
``mail.thread.message_route_process`` with a route naming the superuser. So
the hooks of candidate_nurture act (stop follow-ups) only while a real
``message_process`` runs on this transaction, started by the superuser or a
Settings administrator (``base.group_system``: who runs fetchmail's "Fetch Now"
and whom the mailgate script is configured with). The mark lives on the
cursor, which no RPC argument (context included) reaches.
"""
from odoo import SUPERUSER_ID, api, models

_GATEWAY_MARK = "_nurture_mail_gateway"


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    @api.model
    def message_process(self, model, message, custom_values=None, save_original=False,
                        strip_attachments=False, thread_id=None):
        cr = self.env.cr
        previous = getattr(cr, _GATEWAY_MARK, None)
        setattr(cr, _GATEWAY_MARK, self._nurture_gateway_user_trusted())
        try:
            return super(MailThread, self).message_process(
                model, message, custom_values=custom_values, save_original=save_original,
                strip_attachments=strip_attachments, thread_id=thread_id)
        finally:
            setattr(cr, _GATEWAY_MARK, previous)

    @api.model
    def _nurture_gateway_user_trusted(self):
        """Who may feed real incoming mail: the superuser, Settings administrators."""
        return self.env.uid == SUPERUSER_ID or self.env.user.has_group("base.group_system")

    @api.model
    def _nurture_in_mail_gateway(self):
        """True while a trusted message_process handles an incoming email here."""
        return bool(getattr(self.env.cr, _GATEWAY_MARK, False))

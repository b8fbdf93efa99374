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
from odoo import SUPERUSER_ID, api, models, tools

from ..lib import public

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

    # ------------------------------------------------------------------
    # Chatter notes in batches
    # ------------------------------------------------------------------
    @api.multi
    def _nurture_log_notes(self, bodies):
        """One internal note per record, ``bodies`` being {record id: html}:
        the messages ``message_post(body=..., subtype="mail.mt_note")`` writes,
        for a batch (the refusal wizard's notes). Returns the mail.message records.

        message_post runs Odoo's notification machinery for every note, one
        record at a time: followers searched, the message formatted for the
        bus even when nobody is to get it, Reply-To, record name and the
        thread's first message searched. A note notifies only the followers
        subscribed to notes, rarely anyone: the records where someone would
        be notified still go through message_post; for the others the same
        values are prepared for the whole batch in a few queries and the
        message is created without the notification step (Odoo's own
        ``message_create_from_mail_mail``, with which mail.mail creates its
        message). For models whose message_post adds nothing to a note but the
        candidate as author (hr.applicant, hr.talent: lib/public.py).
        """
        Message = self.env["mail.message"]
        records = self.filtered(lambda r: bodies.get(r.id) is not None)
        if not records:
            return Message
        author = public.with_candidate_author(self.env.context, {})
        author_id = author.get("author_id")
        if author_id is None:
            author_id = Message._get_default_author().id
        slow = records._nurture_notified_by_note(author_id)
        messages = Message
        for record in slow:
            messages |= record.message_post(body=bodies[record.id], subtype="mail.mt_note")
        fast = records - slow
        if not fast:
            return messages
        email_from = author.get("email_from") or Message._get_default_from()
        reply_to = fast._nurture_reply_to(email_from)
        names = dict(fast.sudo().name_get())
        parents = fast._nurture_thread_parents()
        subtype_id = self.env["ir.model.data"].xmlid_to_res_id("mail.mt_note")
        Create = Message.with_context(message_create_from_mail_mail=True)
        created = []
        for rid in fast.ids:
            created.append(Create.create({
                "author_id": author_id, "email_from": email_from, "model": self._name,
                "res_id": rid, "body": bodies[rid], "subject": False,
                "message_type": "notification", "subtype_id": subtype_id,
                "parent_id": parents.get(rid, False), "partner_ids": [],
                "attachment_ids": [], "reply_to": reply_to[rid], "record_name": names[rid],
                "message_id": tools.generate_tracking_message_id("%s-%s" % (rid, self._name)),
            }).id)
        # message_post's last step, once the batch is written: each creation
        # emptied its record's cache, the batch is read again at once
        fast = self.browse(fast.ids)
        new = Message.browse(created)
        for record, message in zip(fast, new):
            record._message_post_after_hook(message)
        return messages | new

    @api.multi
    def _nurture_notified_by_note(self, author_id):
        """The records on which a note would notify someone: a channel or an
        employee other than the author following notes (mail.message._notify)."""
        subtype = self.env.ref("mail.mt_note")
        followers = self.env["mail.followers"].sudo().search([
            ("res_model", "=", self._name), ("res_id", "in", self.ids),
            ("subtype_ids", "in", subtype.id)])
        if not followers:
            return self.browse()
        notify_author = self.env.context.get("mail_notify_author")
        group_user = self.env.ref("base.group_user")
        notified = set()
        for follower in followers:
            partner = follower.partner_id
            if follower.channel_id or (
                    partner and (notify_author or partner.id != author_id) and (
                        not subtype.internal or (partner.user_ids and group_user in
                                                 partner.user_ids[0].groups_id))):
                notified.add(follower.res_id)
        return self.filtered(lambda r: r.id in notified)

    @api.multi
    def _nurture_reply_to(self, default):
        """{record id: Reply-To} as mail.message computes it for one record.

        message_get_reply_to takes a batch, but when an alias domain is set
        without a catch-all alias and only some records have an alias, it
        gives every record the default: then it is asked record by record."""
        Thread = self.env[self._name]
        params = self.env["ir.config_parameter"].sudo()
        if params.get_param("mail.catchall.domain") and not params.get_param(
                "mail.catchall.alias"):
            result = {}
            for rid in self.ids:
                result.update(Thread.message_get_reply_to([rid], default=default))
            return result
        return Thread.message_get_reply_to(self.ids, default=default)

    @api.multi
    def _nurture_thread_parents(self):
        """{record id: parent message id} of a new message without parent, as
        message_post finds it in a flat thread: the record's first email, else
        its first message (of those the user may read)."""
        if not self._mail_flat_thread:
            return {}
        rows = self.env["mail.message"].search_read(
            [("model", "=", self._name), ("res_id", "in", self.ids)],
            ["res_id", "message_type"], order="id")
        first, first_email = {}, {}
        for row in rows:
            first.setdefault(row["res_id"], row["id"])
            if row["message_type"] == "email":
                first_email.setdefault(row["res_id"], row["id"])
        return dict((rid, first_email.get(rid) or first[rid]) for rid in self.ids
                    if rid in first)

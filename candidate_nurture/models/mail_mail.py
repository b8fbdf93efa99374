# Copyright 2026 candidate_nurture contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import re

from werkzeug import utils as werkzeug_utils

from odoo import api, fields, models, tools

from ..lib import headers as hdr
from ..lib import tokens

CLICK_TOKEN_PURPOSE = "candidate_nurture.mail_click"
# links of our emails to talents counted through link_tracker: our own job
# and event pages (never the signed candidate pages, which count themselves)
DEFAULT_TRACKED_PATHS = "/jobs,/event"
HREF_RE = re.compile(r"""(\bhref=(["']))([^"']+)\2""")

# mail.mail state -> refusal email state of the applicant it was sent for
# (an outgoing mail is "scheduled" while its sending date is in the future,
# else "queued": refuse_email_state below)
_STATE_MAP = {"sent": "sent", "exception": "failed", "cancel": "cancelled",
              "outgoing": "queued"}
# values that become email headers (record_name feeds Odoo's Reply-To)
_HEADER_FIELDS = ("subject", "email_from", "email_to", "email_cc", "reply_to", "record_name")


def refuse_email_state(mail_state, scheduled_date, now):
    """The refusal email state an applicant shows for its mail: an outgoing
    mail is scheduled while its sending date (UTC strings) is still ahead,
    queued otherwise."""
    if mail_state == "outgoing":
        return "scheduled" if scheduled_date and scheduled_date > now else "queued"
    return _STATE_MAP.get(mail_state)


class MailMail(models.Model):
    _inherit = "mail.mail"

    # follow-up emails know their enrolment and step: each step is sent once
    nurture_enrollment_id = fields.Many2one(
        "hr.talent.enrollment", "Follow-up Enrolment", index=True, ondelete="set null",
        readonly=True)
    nurture_step_id = fields.Many2one(
        "hr.talent.sequence.step", "Follow-up Step", ondelete="set null", readonly=True)

    _sql_constraints = [
        ("nurture_step_once", "UNIQUE(nurture_enrollment_id, nurture_step_id)",
         "A follow-up step is sent only once per enrolment."),
    ]

    # ------------------------------------------------------------------
    # Refusal emails: the applicant shows the state of its email
    # ------------------------------------------------------------------
    @api.multi
    def write(self, vals):
        res = super(MailMail, self).write(vals)
        new_state = _STATE_MAP.get(vals.get("state"))
        if new_state and self.ids:
            applicants = self.env["hr.applicant"].sudo().with_context(active_test=False).search(
                [("refuse_mail_id", "in", self.ids)])
            if applicants and new_state == "queued":
                now = fields.Datetime.now()
                for mail in self.sudo():
                    mine = applicants.filtered(lambda a, m=mail: a.refuse_mail_id == m)
                    if mine:
                        mine.write({"refuse_email_state": refuse_email_state(
                            "outgoing", mail.scheduled_date, now)})
            elif applicants:
                applicants.write({"refuse_email_state": new_state})
        return res

    # ------------------------------------------------------------------
    # Safe headers: names typed with a line break never break an email
    # ------------------------------------------------------------------
    @api.model
    def create(self, values):
        """Header values are stored on one line (a name with a line break in a
        subject, an address or the record name).

        For a new message, the record name and Reply-To (which names the
        document when an alias domain is set) are derived here as mail.message
        would, then put on one line: the same work, done once. A mail for an
        existing message (a notification) leaves that message's values alone.
        """
        values = dict(values)
        Message = self.env["mail.message"]
        if not values.get("mail_message_id"):
            if values.get("model") and values.get("res_id") and "record_name" not in values \
                    and "default_record_name" not in self.env.context:
                values["record_name"] = Message._get_record_name(values)
            if "reply_to" not in values:
                if "email_from" not in values:
                    values["email_from"] = Message._get_default_from()
                values["reply_to"] = Message._get_reply_to(values)
        for fname in _HEADER_FIELDS:
            if values.get(fname):
                values[fname] = hdr.one_line(values[fname])
        return super(MailMail, self).create(values)

    @api.multi
    def _send(self, auto_commit=False, raise_exception=False, smtp_session=None):
        """Before sending, header values queued before this check are put on
        one line too (one read of the batch)."""
        for row in self.exists().read(["subject", "email_from", "email_to", "email_cc",
                                       "reply_to"]):
            dirty = dict((fname, hdr.one_line(value)) for fname, value in row.items()
                         if fname != "id" and not hdr.is_one_line(value))
            if dirty:
                self.browse(row["id"]).write(dirty)
        return super(MailMail, self)._send(auto_commit=auto_commit,
                                           raise_exception=raise_exception,
                                           smtp_session=smtp_session)

    @api.multi
    def send_get_mail_to(self, partner=None):
        """The recipient's name goes into To on one line, and only when it holds no
        address: Odoo sends to every address it finds in To, so a contact named
        "Ann evil@example.com" would otherwise send a copy there."""
        return [hdr.safe_address(address) for address in
                super(MailMail, self).send_get_mail_to(partner=partner)]

    # ------------------------------------------------------------------
    # Follow-ups: each step is sent once; a refused send ends the enrolment
    # ------------------------------------------------------------------
    @api.multi
    def _postprocess_sent_message(self, mail_sent=True):
        """A follow-up email the server refused (bounce at sending) ends its enrolment.

        Not on write(state='exception'): Odoo 11 writes that state just before
        every send, as a guard, then 'sent' once it went out.
        """
        if not mail_sent:
            enrollments = self.sudo().mapped("nurture_enrollment_id").filtered(
                lambda e: e.state == "running")
            enrollments._nurture_stop("bounced")
        else:
            # funnel: an email reached the talent (follow-up, opening, invitation, newsletter)
            self.env["hr.talent"].browse(self._nurture_talent_ids())._nurture_funnel_reach(
                "contacted")
        return super(MailMail, self)._postprocess_sent_message(mail_sent=mail_sent)

    # ------------------------------------------------------------------
    # Newsletters: the Unsubscribe link of a talent is its stop link
    # ------------------------------------------------------------------
    @api.multi
    def _get_unsubscribe_url(self, email_to):
        if self.model == "hr.talent" and self.res_id:
            talent = self.env["hr.talent"].sudo().browse(self.res_id).exists()
            if talent and not talent.anonymized_date:
                # the system building the email: no caller to check
                return talent._nurture_stop_url()
        return super(MailMail, self)._get_unsubscribe_url(email_to)

    # ------------------------------------------------------------------
    # Reports: clicks on our links (link_tracker), opens only when asked
    # ------------------------------------------------------------------
    @api.multi
    def _nurture_talent_ids(self):
        return [mail.res_id for mail in self.sudo() if mail.model == "hr.talent" and mail.res_id]

    @api.multi
    def _nurture_company(self):
        self.ensure_one()
        talent = self.env["hr.talent"].sudo().browse(self.res_id).exists() \
            if self.model == "hr.talent" and self.res_id else None
        return (talent and talent.company_id) or self.env.user.company_id

    @api.multi
    def _nurture_open_tracking(self):
        """Whether the company of this email's talent switched open tracking on."""
        return bool(self._nurture_company().sudo().nurture_open_tracking)

    @api.multi
    def _nurture_click_token(self):
        self.ensure_one()
        secret = self.env["ir.config_parameter"].sudo().get_param("database.secret")
        return tokens.make_token(secret, CLICK_TOKEN_PURPOSE, self.id, self.sudo().message_id)

    @api.model
    def _nurture_from_click_token(self, token):
        """The (sudo) email a click token was made for, or an empty recordset."""
        mail_id = tokens.parse_token(token)
        if mail_id is None:
            return self.browse()
        mail = self.sudo().browse(mail_id).exists()
        secret = self.env["ir.config_parameter"].sudo().get_param("database.secret")
        if not mail or not tokens.verify_token(secret, CLICK_TOKEN_PURPOSE, token,
                                               mail.message_id):
            return self.browse()
        return mail

    def _nurture_tracked_url(self, url, base):
        """The absolute URL of ours to count clicks on, or None to leave url alone."""
        paths = self.env["ir.config_parameter"].sudo().get_param(
            "candidate_nurture.tracked_paths", DEFAULT_TRACKED_PATHS)
        prefixes = [p.strip() for p in (paths or "").split(",") if p.strip().startswith("/")]
        url = werkzeug_utils.unescape(url)
        if url.startswith("/"):
            path, absolute = url, base + url
        elif url.startswith(base + "/"):
            path, absolute = url[len(base):], url
        else:
            return None
        for prefix in prefixes:
            if path == prefix or path.startswith(prefix.rstrip("/") + "/") \
                    or path.startswith(prefix + "?"):
                return absolute
        return None

    @api.multi
    def _nurture_track_links(self, body):
        """Links to our job and event pages go through link_tracker, tagged with
        a token signed for this email, so a click is counted once per email
        and credited to the talent and follow-up step (no IP, no place)."""
        self.ensure_one()
        base = (self.env["ir.config_parameter"].sudo().get_param("web.base.url") or "").rstrip("/")
        Link = self.env["link.tracker"].sudo()
        token = []

        def replace(match):
            absolute = self._nurture_tracked_url(match.group(3), base)
            if not absolute:
                return match.group(0)
            if not token:
                token.append(self._nurture_click_token())
            link = Link._nurture_link(absolute)
            return "%s%s/r/%s/n/%s%s" % (match.group(1), base, link.code, token[0],
                                         match.group(2))
        return HREF_RE.sub(replace, body)

    @api.multi
    def send_get_mail_body(self, partner=None):
        body = super(MailMail, self).send_get_mail_body(partner=partner)
        if body and self.model == "hr.talent" and self.res_id and not self.mailing_id:
            body = self._nurture_track_links(body)
            if self._nurture_open_tracking():
                base = self.env["ir.config_parameter"].sudo().get_param("web.base.url") or ""
                pixel = '<img src="%s/nurture/open/%s/blank.gif" alt="" width="1" height="1"/>' % (
                    base.rstrip("/"), self._nurture_click_token())
                body = tools.append_content_to_html(body, pixel, plaintext=False,
                                                    container_tag="div")
        return body

    def _get_tracking_url(self, partner=None):
        """Odoo's open-tracking pixel of newsletters: not for talents unless
        their company switched open tracking on."""
        if self.model == "hr.talent" and not self._nurture_open_tracking():
            return ""
        return super(MailMail, self)._get_tracking_url(partner=partner)

# Copyright 2026 candidate_nurture contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, models

# link_tracker's own fallback icon (a grey globe), used instead of asking Google
_DEFAULT_FAVICON = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=")


class LinkTracker(models.Model):
    _inherit = "link.tracker"

    @api.model
    def _nurture_link(self, url):
        """The tracked link of one of our own pages, made without any request:
        link_tracker would fetch the page for its title and ask Google for its
        icon; our links leave the server only in our emails."""
        Link = self.sudo().with_context(nurture_no_fetch=True)
        link = Link.search([("url", "=", url), ("campaign_id", "=", False),
                            ("medium_id", "=", False), ("source_id", "=", False)], limit=1)
        return link or Link.create({"url": url, "title": url})

    @api.one
    @api.depends("url")
    def _compute_favicon(self):
        if self.env.context.get("nurture_no_fetch"):
            self.favicon = _DEFAULT_FAVICON
            return
        super(LinkTracker, self)._compute_favicon()

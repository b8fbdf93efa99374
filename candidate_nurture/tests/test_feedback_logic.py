"""The pure feedback checks and token signing (no database needed, run by Odoo's runner)."""
from odoo.tests.common import BaseCase

from ..lib import feedback as fb
from ..lib import tokens


class TestFeedbackLogic(BaseCase):

    def test_boilerplate(self):
        self.assertTrue(fb.is_boilerplate(""))
        self.assertTrue(fb.is_boilerplate("Thank you for applying, good luck!"))
        self.assertTrue(fb.is_boilerplate("Unfortunately we decided to move forward with other candidates."))
        self.assertTrue(fb.is_boilerplate("n/a"))
        self.assertFalse(fb.is_boilerplate("Your answer on database indexing was precise and well argued"))

    def test_check_feedback(self):
        self.assertEqual(fb.check_feedback("", "", "", False), [])
        self.assertEqual(fb.check_feedback("", "", "", True), ["missing_message", "missing_point"])
        self.assertEqual(fb.check_feedback(
            "Great structure in the architecture discussion", "",
            "We really enjoyed meeting you last week", True), [])

    def test_protected_terms_whole_words(self):
        self.assertEqual(fb.find_protected_terms(["At your age"]), ["age"])
        self.assertEqual(fb.find_protected_terms(["The agency manager page"]), [])
        self.assertEqual(fb.find_protected_terms(["she is PREGNANT"]), ["pregnant"])
        self.assertEqual(fb.find_protected_terms(["sexual   orientation"], ("sexual orientation",)),
                         ["sexual orientation"])
        self.assertEqual(fb.parse_terms("Age, gender\nage;  Religion "), ("age", "gender", "religion"))

    def test_allowed_job_phrases_do_not_trigger(self):
        allowed = fb.DEFAULT_ALLOWED_PHRASES
        self.assertEqual(fb.find_protected_terms(
            ["You found the race conditions in our queue quickly"], allowed=allowed), [])
        self.assertEqual(fb.find_protected_terms(
            ["Support for Older Python versions was missing", "and older versions of the API"],
            allowed=allowed), [])
        self.assertEqual(fb.find_protected_terms(["A RACE CONDITION"], allowed=allowed), [])
        # the protected word outside the phrase still counts, in the same text
        self.assertEqual(fb.find_protected_terms(
            ["The race condition was fine; your race was not"], allowed=allowed), ["race"])
        self.assertEqual(fb.find_protected_terms(
            ["Someone older would fit the team"], allowed=allowed), ["older"])
        # whole words: "race conditioning" is not the allowed phrase
        self.assertEqual(fb.find_protected_terms(["race conditioning"], allowed=allowed), ["race"])
        # without the allowed list, the words are found as before
        self.assertEqual(fb.find_protected_terms(["race conditions in older versions"]),
                         ["older", "race"])
        # a configured list, parsed as the settings store it
        self.assertEqual(fb.find_protected_terms(
            ["Our young company moves fast"], allowed=fb.parse_terms("Young Company, race condition")),
            [])

    def test_safe_url(self):
        self.assertTrue(fb.is_safe_url("https://example.com/a?b=c"))
        self.assertFalse(fb.is_safe_url("javascript:alert(1)"))
        self.assertFalse(fb.is_safe_url("https://exa mple.com"))
        self.assertFalse(fb.is_safe_url("https://x.com/\"><script>"))

    def test_tokens(self):
        token = tokens.make_token("s3cret", "p", 42, "nonce")
        self.assertTrue(tokens.verify_token("s3cret", "p", token, "nonce"))
        self.assertFalse(tokens.verify_token("s3cret", "p", token, "other-nonce"))
        self.assertFalse(tokens.verify_token("s3cret", "other-purpose", token, "nonce"))
        self.assertFalse(tokens.verify_token("other", "p", token, "nonce"))
        self.assertFalse(tokens.verify_token("s3cret", "p", "43" + token[2:], "nonce"))
        self.assertFalse(tokens.verify_token("s3cret", "p", token + "é", "nonce"))
        self.assertIsNone(tokens.parse_token("abc-def"))

    def test_public_url(self):
        self.assertEqual(tokens.public_url("http://h/", "feedback", "1-abc", "yes"),
                         "http://h/candidate/feedback/1-abc?answer=yes")
        self.assertEqual(tokens.public_url("http://h", "feedback", "1-abc", "<script>"),
                         "http://h/candidate/feedback/1-abc")
        self.assertEqual(tokens.public_url("http://h", "event", "2-x", "accept",
                                           answers=("accept", "decline")),
                         "http://h/candidate/event/2-x?answer=accept")

"""Checks on the feedback a recruiter writes before it goes to a candidate."""
import re

# Phrases that carry no information for the candidate on their own.
BOILERPLATE_PHRASES = (
    "thank you for applying", "thank you for your application",
    "thanks for applying", "thank you for your interest",
    "we decided to move forward with other candidates",
    "we have decided to move forward with other candidates",
    "we decided to proceed with other candidates",
    "unfortunately", "good luck", "best of luck", "all the best",
    "best regards", "kind regards", "regards",
    "not a good fit", "not the right fit", "not a fit",
    "other candidates were more qualified", "better candidates",
    "n/a", "na", "none", "nothing", "tbd", "todo", "-", "...", "lorem ipsum",
    "see above", "as discussed", "no comment", "no feedback",
)

DEFAULT_PROTECTED_TERMS = (
    "age", "aged", "old", "older", "young", "younger", "elderly", "retirement",
    "gender", "male", "female", "man", "woman", "sex", "transgender",
    "pregnant", "pregnancy", "maternity", "paternity",
    "religion", "religious", "church", "mosque", "synagogue", "temple", "faith",
    "ethnicity", "ethnic", "race", "racial", "skin colour", "skin color",
    "nationality", "native speaker", "accent",
    "disability", "disabled", "handicap", "illness", "sick leave",
    "sexual orientation", "gay", "lesbian",
    "marital status", "married", "single parent", "children", "kids",
)

# Everyday phrases of technical and business work that contain a protected
# term without being about the person ("race condition", "older Python
# versions"): feedback using them needs no confirmation. A company edits the
# list in its settings; each phrase also matches its plural.
DEFAULT_ALLOWED_PHRASES = (
    "race condition", "data race",
    "older version", "older versions", "older python versions", "older release",
    "older browser", "older system", "older hardware", "older codebase",
    "old version", "old code", "old codebase", "old system",
    "man page", "man hours", "man-hours", "man-in-the-middle",
    "male connector", "female connector",
    "accent colour", "accent color", "good faith",
    "aged debt", "aged receivables",
)

MIN_MEANINGFUL_WORDS = 4
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?", re.UNICODE)
_SAFE_URL = re.compile(r"^https?://[^\s/$.?#][^\s<>\"']*$", re.IGNORECASE)


def is_safe_url(url):
    """True for an absolute http(s) URL with no spaces or markup characters."""
    return bool(url) and bool(_SAFE_URL.match(url.strip()))


def normalize(text):
    return " ".join((text or "").lower().split())


def meaningful_words(text):
    """Words left once boilerplate phrases are taken out."""
    rest = normalize(text)
    for phrase in sorted(BOILERPLATE_PHRASES, key=len, reverse=True):
        rest = rest.replace(phrase, " ")
    return _WORD.findall(rest)


def is_boilerplate(text):
    """Empty, too short, or only stock phrases: nothing specific for the candidate."""
    return len(meaningful_words(text)) < MIN_MEANINGFUL_WORDS


def parse_terms(text):
    """A configured list ('age, gender\\npregnancy') as a tuple of lower-case terms."""
    terms = []
    for chunk in re.split(r"[,;\n]", text or ""):
        term = normalize(chunk)
        if term and term not in terms:
            terms.append(term)
    return tuple(terms)


def _phrase_pattern(phrase):
    """Whole words of phrase, any spacing, case-insensitive, optional plural 's'."""
    words = [re.escape(w) for w in phrase.split()]
    if not words:
        return None
    return re.compile(r"(?<![\w])" + r"\s+".join(words) + r"s?(?![\w])",
                      re.IGNORECASE | re.UNICODE)


def mask_allowed_phrases(text, allowed=()):
    """text with every allowed phrase blanked out (same length, spaces)."""
    for phrase in sorted(allowed, key=len, reverse=True):
        pattern = _phrase_pattern(phrase)
        if pattern is not None:
            text = pattern.sub(lambda match: " " * len(match.group(0)), text)
    return text


def find_protected_terms(texts, terms=DEFAULT_PROTECTED_TERMS, allowed=()):
    """The configured protected-characteristic terms that appear in any of texts.

    Whole words only ('age' matches "your age", not "agency" nor "manager"), with
    an optional plural 's'; several-word terms allow any spacing; letter case is
    ignored. Words inside an allowed phrase ("race condition", "older Python
    versions": job phrases that are not about people) do not count.
    """
    found = []
    haystack = mask_allowed_phrases("\n".join(t for t in texts if t), allowed)
    for term in terms:
        pattern = _phrase_pattern(term)
        if pattern is not None and pattern.search(haystack) and term not in found:
            found.append(term)
    return found


def check_feedback(strengths, improvements, message, personal_required):
    """Problems that block sending, as short codes.

    - ``missing_message``: a personal message is required and is empty or boilerplate;
    - ``missing_point``: a specific point (strength or area to improve) is required
      and neither is specific.
    Candidates who did not reach the personal stage may go with the template alone.
    """
    problems = []
    if personal_required:
        if is_boilerplate(message):
            problems.append("missing_message")
        if is_boilerplate(strengths) and is_boilerplate(improvements):
            problems.append("missing_point")
    return problems


def split_points(text):
    """Feedback text as a list of points: one per line, bullets stripped."""
    points = []
    for line in (text or "").splitlines():
        line = line.strip().lstrip("-*•").strip()
        if line:
            points.append(line)
    return points

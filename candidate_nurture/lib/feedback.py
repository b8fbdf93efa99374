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


def find_protected_terms(texts, terms=DEFAULT_PROTECTED_TERMS):
    """The configured protected-characteristic terms that appear in any of texts.

    Whole words only ('age' matches "your age", not "agency" nor "manager"), with
    an optional plural 's'; several-word terms allow any spacing.
    """
    found = []
    haystack = "\n".join(t for t in texts if t)
    for term in terms:
        words = [re.escape(w) for w in term.split()]
        if not words:
            continue
        pattern = r"(?<![\w])" + r"\s+".join(words) + r"s?(?![\w])"
        if re.search(pattern, haystack, re.IGNORECASE | re.UNICODE) and term not in found:
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

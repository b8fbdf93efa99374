"""Talent pool decisions: email normalisation, silver-medalist rule, match scores.

Plain functions, no database: the models gather the facts and call these.
"""
import datetime
import re

_ADDRESS_IN_BRACKETS = re.compile(r"<([^<>]+)>")

# Points of each part of a rediscovery score (the maximum a part can give).
SCORE_TAG = 10          # per shared tag ...
SCORE_TAG_MAX = 30      # ... capped
SCORE_DEPARTMENT = 20   # interested in (applied to) the job's department
SCORE_STAGE = 20        # reached the last stage of the pipeline on this very job
SCORE_STAGE_SIMILAR = 0.5  # factor when the furthest stage was on a similar job (same department)
SCORE_RATING = 5        # per star of the best rating (0-3)
SCORE_REASON = 10       # last refusal reason is pool-eligible
SCORE_RECENCY = 10      # applied or was refused within RECENCY_FULL_DAYS
RECENCY_FULL_DAYS = 90
RECENCY_ZERO_DAYS = 730

PART_LABELS = (
    ("tags", "Shared tags"),
    ("department", "Department"),
    ("stage", "Furthest stage"),
    ("rating", "Rating"),
    ("reason", "Refusal reason"),
    ("recency", "Recency"),
)


def normalize_email(email):
    """The comparable form of an email: 'Ann <Ann.B@X.org >' -> 'ann.b@x.org'.

    Empty, or not an address at all (no '@'), gives '' so that such applicants
    are never matched to each other by a guess.
    """
    if not email:
        return ""
    text = email.strip()
    bracket = _ADDRESS_IN_BRACKETS.search(text)
    if bracket:
        text = bracket.group(1)
    text = text.strip().strip("'\"").strip().lower()
    if "@" not in text or " " in text or text.startswith("@") or text.endswith("@"):
        return ""
    return text


def silver_medalist_criteria(stage_sequence, min_stage_sequence, rating, min_rating,
                             reason_pool_eligible, use_reason):
    """Which criteria of the silver-medalist rule an applicant meets.

    Any one criterion suffices. Each criterion is off when its threshold is
    None (stage, rating) or False (reason):

    - ``stage``: reached a stage at or past the chosen one (by sequence);
    - ``rating``: rated at least ``min_rating`` stars (0-3);
    - ``reason``: refused for a reason marked "Talent Pool Eligible".

    Returns the list of met criteria, in that order (empty: not a silver medalist).
    """
    met = []
    if min_stage_sequence is not None and stage_sequence is not None \
            and stage_sequence >= min_stage_sequence:
        met.append("stage")
    if min_rating is not None and rating is not None and int(rating or 0) >= int(min_rating):
        met.append("rating")
    if use_reason and reason_pool_eligible:
        met.append("reason")
    return met


def cooloff_end(refuse_date, cooloff_days):
    """First day a refused candidate may be contacted again (a date), or None."""
    if not refuse_date:
        return None
    if isinstance(refuse_date, str):
        refuse_date = datetime.datetime.strptime(refuse_date[:10], "%Y-%m-%d")
    if isinstance(refuse_date, datetime.datetime):
        refuse_date = refuse_date.date()
    return refuse_date + datetime.timedelta(days=max(int(cooloff_days or 0), 0))


def recency_points(days_ago):
    """Full points up to RECENCY_FULL_DAYS, then linear down to 0 at RECENCY_ZERO_DAYS."""
    if days_ago is None:
        return 0.0
    days_ago = max(days_ago, 0)
    if days_ago <= RECENCY_FULL_DAYS:
        return float(SCORE_RECENCY)
    if days_ago >= RECENCY_ZERO_DAYS:
        return 0.0
    span = float(RECENCY_ZERO_DAYS - RECENCY_FULL_DAYS)
    return round(SCORE_RECENCY * (RECENCY_ZERO_DAYS - days_ago) / span, 2)


def match_score(job, talent, today):
    """Score of a talent for a job, with its explained parts.

    ``job``: dict with ``id``, ``department_id``, ``category_ids`` (set of tag ids).
    ``talent``: dict with ``category_ids`` (set), ``department_ids`` (set),
    ``furthest_job_id``, ``furthest_job_department_id``, ``stage_ratio`` (0..1:
    how far along the pipeline the furthest stage is), ``rating`` (0-3),
    ``reason_pool_eligible`` (bool), ``last_date`` (date of the last application
    or refusal, a ``datetime.date`` or None).
    ``today``: a ``datetime.date``.

    Returns ``{"total": float, "parts": {key: points}, "details": {key: text}}``
    with the keys of PART_LABELS; a part that does not apply scores 0.
    """
    parts = {}
    details = {}
    shared = set(job.get("category_ids") or ()) & set(talent.get("category_ids") or ())
    parts["tags"] = float(min(len(shared) * SCORE_TAG, SCORE_TAG_MAX))
    details["tags"] = "%d shared" % len(shared)

    department = job.get("department_id")
    same_department = bool(department) and department in set(talent.get("department_ids") or ())
    parts["department"] = float(SCORE_DEPARTMENT if same_department else 0)
    details["department"] = "same department" if same_department else "other department"

    ratio = max(0.0, min(1.0, float(talent.get("stage_ratio") or 0.0)))
    if talent.get("furthest_job_id") and talent.get("furthest_job_id") == job.get("id"):
        factor, where = 1.0, "on this job"
    elif department and talent.get("furthest_job_department_id") == department:
        factor, where = SCORE_STAGE_SIMILAR, "on a similar job"
    else:
        factor, where = 0.0, "on an unrelated job"
    parts["stage"] = round(SCORE_STAGE * ratio * factor, 2)
    details["stage"] = "%d%% of the pipeline %s" % (round(ratio * 100), where)

    rating = max(0, min(3, int(talent.get("rating") or 0)))
    parts["rating"] = float(rating * SCORE_RATING)
    details["rating"] = "%d star(s)" % rating

    eligible = bool(talent.get("reason_pool_eligible"))
    parts["reason"] = float(SCORE_REASON if eligible else 0)
    details["reason"] = "pool-eligible" if eligible else "not pool-eligible"

    last_date = talent.get("last_date")
    days_ago = (today - last_date).days if last_date else None
    parts["recency"] = recency_points(days_ago)
    details["recency"] = ("%d days ago" % days_ago) if days_ago is not None else "unknown"

    total = round(sum(parts.values()), 2)
    return {"total": total, "parts": parts, "details": details}


def explain(result):
    """One line per non-zero part: 'Shared tags: +20 (2 shared)'."""
    lines = []
    for key, label in PART_LABELS:
        points = result["parts"].get(key, 0)
        if points:
            lines.append("%s: +%g (%s)" % (label, points, result["details"][key]))
    return "\n".join(lines)


def rank(scored, limit):
    """Best first (score, then talent id for a stable order), at most limit items.

    ``scored``: iterable of (talent_id, result) pairs.
    """
    ordered = sorted(scored, key=lambda item: (-item[1]["total"], item[0]))
    return ordered[:limit]

"""Record ids as wizards receive them: from the context, RPC calls or commands."""


def unique(ids):
    """ids in first-seen order, each once (the same record given twice is one)."""
    seen = set()
    result = []
    for record_id in ids or ():
        if record_id not in seen:
            seen.add(record_id)
            result.append(record_id)
    return result

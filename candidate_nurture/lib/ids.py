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


def from_x2many(value):
    """Record ids from a context value: a list of ids, or x2many commands
    ((6, 0, ids), (4, id)) as the web client evaluates an x2many field."""
    ids = []
    for item in value or ():
        if isinstance(item, int) and not isinstance(item, bool):
            ids.append(item)
        elif isinstance(item, (list, tuple)) and len(item) == 3 and item[0] == 6:
            ids.extend(item[2] or ())
        elif isinstance(item, (list, tuple)) and len(item) > 1 and item[0] == 4:
            ids.append(item[1])
    return unique(ids)

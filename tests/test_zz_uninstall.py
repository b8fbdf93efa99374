"""Last: the addon uninstalls cleanly from the live server's database."""


def test_uninstall_is_clean(rpc):
    module_ids = rpc("ir.module.module", "search", [("name", "=", "candidate_nurture")])
    rpc("ir.module.module", "button_immediate_uninstall", module_ids)
    state = rpc("ir.module.module", "read", module_ids, ["state"])[0]["state"]
    assert state == "uninstalled"
    leftovers = rpc("ir.model.data", "search_count", [("module", "=", "candidate_nurture")])
    assert leftovers == 0

"""The command line, the self-test and core import downward only: no module of theirs can reach
itself again through its imports (grimp, which import-linter installs, builds the graph)."""

import itertools

import grimp


def test_cli_selftest_and_core_have_no_import_cycles():
    graph = grimp.build_graph("sunodesk")
    prefixes = ("sunodesk.cli", "sunodesk.selftest", "sunodesk.core")
    modules = sorted(m for m in graph.modules if m.startswith(prefixes))
    assert "sunodesk.cli.commands" in modules and "sunodesk.selftest.qt" in modules
    cycles = [
        (a, b)
        for a, b in itertools.combinations(modules, 2)
        if graph.chain_exists(a, b) and graph.chain_exists(b, a)
    ]
    assert cycles == []

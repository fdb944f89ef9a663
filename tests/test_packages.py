"""The wheel holds every package of the source tree: pyproject.toml lists them by hand (the
mapped resources folder keeps setuptools' find from working), and a package left out there
is missing only from installed copies, where the editable test install never looks."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_package_of_the_source_tree_is_in_the_wheel() -> None:
    # Read by pattern: tomllib is Python 3.11+, and the project supports 3.10.
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    block = re.search(r"^packages = \[(.*?)\]", text, re.M | re.S)
    assert block, "no packages list in pyproject.toml"
    listed = set(re.findall(r'"([\w.]+)"', block.group(1)))
    found = {".".join(init.parent.relative_to(ROOT).parts)
             for init in (ROOT / "robloxassets").rglob("__init__.py")}
    assert found, "no packages found"
    assert found - listed == set(), "add these to [tool.setuptools] packages in pyproject.toml"
    assert listed - found == {"robloxassets.resources"}

"""The licence texts the About dialog shows: the project's, Qt's LGPL notice, every package's."""

from __future__ import annotations

import importlib.metadata as metadata
import re

from robloxassets.core import licences


def test_the_project_licence_is_mit() -> None:
    licence = licences.project_licence()
    assert licence.spdx == "MIT"
    assert licence.text.startswith("MIT License") and "Copyright (c)" in licence.text


def test_every_requirement_of_the_app_is_listed() -> None:
    required = {re.split(r"[ ;<>=!~\[]", r, maxsplit=1)[0].lower()
                for r in metadata.requires("robloxassets") or [] if "extra ==" not in r}
    listed = {name.lower() for name in licences.BUNDLED_DISTRIBUTIONS}
    assert required and required <= listed, required - listed


def test_every_installed_package_has_its_licence_text() -> None:
    key = licences.distribution_key
    found = {key(licence.name): licence for licence in licences.bundled_licences()}
    installed = set()
    for name in licences.BUNDLED_DISTRIBUTIONS:
        try:
            metadata.distribution(name)
        except metadata.PackageNotFoundError:  # e.g. pywin32-ctypes, Windows only
            continue
        installed.add(key(name))
    assert set(found) == installed
    for name, licence in found.items():
        assert len(licence.text) > 500, name
        assert licence.version and licence.spdx, name
    qt = found["pyside6-essentials"]
    assert "LGPL-3.0" in qt.spdx
    assert "GNU LESSER GENERAL PUBLIC LICENSE" in qt.text
    assert "GNU GENERAL PUBLIC LICENSE" in qt.text and "replace them" in qt.text
    assert "Apache License" in found["requests"].text
    assert "Python Software Foundation" in licences.native_libraries_notice()


def test_every_licence_starts_with_the_project_and_ends_with_the_native_libraries() -> None:
    listed = licences.every_licence()
    assert listed[0] == licences.project_licence()
    assert listed[1:-1] == licences.bundled_licences()
    assert listed[-1].name == "Native libraries"
    assert "OpenSSL" in listed[-1].text and "SQLite" in listed[-1].text

"""The licences of the app and of everything it ships with, as text to show (About dialog).

The project's own licence and the Qt/PySide6 notice live in ``resources/licences``; the
Python packages' licences are read from their installed metadata (``License-File``), which
the frozen builds carry too (packaging/robloxassets.spec copies it), so the texts always
belong to the versions actually running.
"""

from __future__ import annotations

import importlib.metadata as metadata
from dataclasses import dataclass

from robloxassets.core.resources import read_text

# The packages the app runs on, with what they pull in; tests check this against the
# project's requirements.
BUNDLED_DISTRIBUTIONS = (
    "PySide6-Essentials", "shiboken6", "pillow", "requests", "charset-normalizer", "idna",
    "urllib3", "certifi", "platformdirs",
    # keyring and what it needs on some system (Secret Service on Linux, Windows' credential
    # store): each is listed only where installed.
    "keyring", "jaraco.classes", "jaraco.context", "jaraco.functools", "more-itertools",
    "importlib_metadata", "lazy-importer", "zipp", "backports.tarfile", "SecretStorage",
    "jeepney", "cryptography", "cffi", "pycparser", "pywin32-ctypes",
)
#: Needed on some systems only (Windows' credential store; Linux's Secret Service and what it
#: needs; importlib_metadata, zipp and their own needs before Python 3.12): their absence is
#: no error, and the build bundles only what its environment has.
PLATFORM_DISTRIBUTIONS = frozenset({
    "pywin32-ctypes", "importlib_metadata", "lazy-importer", "zipp", "backports.tarfile",
    "SecretStorage", "jeepney", "cryptography", "cffi", "pycparser",
})
# PySide6's wheels carry no licence file: the app ships the notice and the texts.
_QT_TEXTS = ("qt-notice.txt", "LGPL-3.0.txt", "GPL-3.0.txt")
_QT_DISTRIBUTIONS = {"pyside6-essentials", "shiboken6"}


@dataclass(frozen=True)
class Licence:
    """One component: its name and version, the licence's SPDX expression and full text."""

    name: str
    version: str
    spdx: str
    text: str


def project_licence() -> Licence:
    from robloxassets import __version__

    return Licence("Roblox Assets", __version__, "MIT",
                   read_text("licences", "robloxassets.txt"))


def bundled_licences() -> list[Licence]:
    """The licence of every installed package the app uses, in ``BUNDLED_DISTRIBUTIONS``
    order; a package missing from this installation is left out."""
    found = []
    for name in BUNDLED_DISTRIBUTIONS:
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue
        meta = dist.metadata
        spdx = _field(meta, "License-Expression") or _field(meta, "License") or "see the text"
        if name.lower() in _QT_DISTRIBUTIONS:
            text = "\n\n".join(read_text("licences", part) for part in _QT_TEXTS)
        else:
            text = "\n\n".join(_licence_files(dist))
        found.append(Licence(_field(meta, "Name") or name, dist.version, spdx.strip(), text))
    return found


def distribution_key(name: str) -> str:
    """A distribution name as packaging normalises it ("importlib_metadata" is
    "importlib-metadata")."""
    return name.lower().replace("_", "-").replace(".", "-")


def _field(meta: metadata.PackageMetadata, name: str) -> str:
    """One metadata field, or "" where the package does not give it."""
    return str(meta[name]) if name in meta else ""


def native_libraries_notice() -> str:
    """What else the installable builds contain (the interpreter, OpenSSL, ...)."""
    return read_text("licences", "bundled-libraries.txt")


def every_licence() -> list[Licence]:
    """What the About dialog lists, in its order: the app's own licence, each bundled
    package's, then the native libraries the installable builds carry (one notice)."""
    native = Licence("Native libraries", "", "each under its own licence",
                     native_libraries_notice())
    return [project_licence(), *bundled_licences(), native]


def _licence_files(dist: metadata.Distribution) -> list[str]:
    texts = []
    for file_name in dist.metadata.get_all("License-File") or []:
        # Metadata 2.4 puts them under licenses/; older wheels next to METADATA.
        for candidate in (f"licenses/{file_name}", file_name):
            text = dist.read_text(candidate)
            if text:
                texts.append(text.strip())
                break
    return texts

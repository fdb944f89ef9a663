"""Guards against known bugs of the Qt binding that would crash the app."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="None is immortal from Python 3.12")
def test_empty_qvariant_keeps_the_reference_to_none() -> None:
    """PySide6 6.12.0 lost a reference to None for every empty QVariant it converted; the grid
    asks for empty roles thousands of times while scrolling, and Python 3.11 then aborted
    ("deallocating None"). pyproject.toml keeps that version out; this fails if it is back."""
    model = QStandardItemModel()
    model.appendRow(QStandardItem("decal"))
    index = model.index(0, 0)
    holder = QObject()
    before = sys.getrefcount(None)
    for _ in range(200):
        assert index.data(Qt.ItemDataRole.UserRole) is None
        assert holder.property("no such property") is None
    assert sys.getrefcount(None) >= before - 5

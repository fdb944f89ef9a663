"""Start the GUI: the QApplication, the crash guard and the main window."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Sequence
from types import TracebackType

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from shiboken6 import Shiboken

from robloxassets import __version__
from robloxassets.core.logs import log_path, setup_logging
from robloxassets.core.session import NO_DESKTOP, has_desktop_session
from robloxassets.gui import problems

log = logging.getLogger(__name__)

# Set by tests that run the app as a subprocess: an unhandled error in a slot then ends the
# app at once with exit code EXIT_ON_ERROR_CODE and the traceback on stderr, instead of a
# dialog nobody can click, so such a test fails in seconds rather than waiting out a timeout.
EXIT_ON_ERROR_ENV = "ROBLOXASSETS_EXIT_ON_ERROR"
EXIT_ON_ERROR_CODE = 70


def _excepthook(kind: type[BaseException], value: BaseException,
                tb: TracebackType | None) -> None:
    """Log a bug and tell the user in one sentence; the traceback goes to the log only."""
    log.error("Unhandled error", exc_info=(kind, value, tb))
    app = QApplication.instance()
    if os.environ.get(EXIT_ON_ERROR_ENV):
        sys.__excepthook__(kind, value, tb)
        sys.stderr.flush()
        if isinstance(app, QApplication):
            app.exit(EXIT_ON_ERROR_CODE)
        else:
            os._exit(EXIT_ON_ERROR_CODE)
        return
    if not isinstance(app, QApplication) or app.property("robloxassets.testing"):
        sys.__excepthook__(kind, value, tb)
        return
    box = QMessageBox(QMessageBox.Icon.Warning, "Something went wrong",
                      f"{problems.APOLOGY} Details are in the log ({log_path()}).")
    copy = box.addButton("Copy details", QMessageBox.ButtonRole.ActionRole)
    box.addButton(QMessageBox.StandardButton.Ok)
    box.setWindowModality(Qt.WindowModality.NonModal)
    box.open()
    text = problems.details(value.with_traceback(tb))
    copy.clicked.connect(lambda: QApplication.clipboard().setText(text))


def create_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance()
    if isinstance(app, QApplication):
        return app
    QApplication.setApplicationName("robloxassets")
    QApplication.setApplicationDisplayName("Roblox Assets")
    QApplication.setApplicationVersion(__version__)
    QApplication.setOrganizationName("robloxassets")
    QApplication.setDesktopFileName("robloxassets")
    return QApplication(argv if argv is not None else sys.argv[:1])


def create_window():
    """The main window with every page, settings restored (used by main() and the tests)."""
    from robloxassets.gui.mainwindow import MainWindow
    from robloxassets.gui.pages import page_classes

    return MainWindow(page_classes())


def dispose(window: QWidget) -> None:
    """Close ``window`` and delete its C++ side now, while the application still runs.

    Signal connections to lambdas that capture a widget keep its Python wrapper alive; left to
    PySide's clean-up at interpreter exit, deleting one child could then delete the window
    around it mid-destruction and abort the process ("pure virtual method called").
    """
    window.close()
    if Shiboken.isValid(window):
        Shiboken.delete(window)


def main(paths: Sequence[str] = ()) -> int:
    """The app; ``paths`` (images or folders) open in the Library once the window shows."""
    setup_logging()
    if not has_desktop_session():
        print(f"robloxassets: {NO_DESKTOP}", file=sys.stderr)
        return 2
    app = create_application()
    sys.excepthook = _excepthook
    window = create_window()
    window.show()
    if paths:
        window.open_paths(list(paths), "library")
    code = app.exec()
    dispose(window)
    return code


def gui_script() -> int:
    """``robloxassets-gui [PATH ...]``: the app, with the images or folders given open."""
    return main(sys.argv[1:])

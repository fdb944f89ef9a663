#!/usr/bin/env bash
# Smoke-test an installed robloxassets (wheel or frozen build): the CLI answers, the GUI opens
# offscreen with every page and closes. Usage: packaging/smoke_test.sh [robloxassets-command]
set -euo pipefail
cmd=${1:-robloxassets}
export ROBLOXASSETS_HOME=$(mktemp -d)
export QT_QPA_PLATFORM=offscreen
"$cmd" --version
"$cmd" check --help >/dev/null
python3 - <<'PY'
from PySide6.QtCore import QTimer
from robloxassets.gui.app import create_application, create_window
app = create_application()
window = create_window()
window.show()
QTimer.singleShot(1500, window.close)
app.exec()
print("GUI opened with pages:", ", ".join(p.title for p in window.pages))
PY
rm -rf "$ROBLOXASSETS_HOME"

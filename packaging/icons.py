"""Render the app icon for installers and desktops: PNGs of every size, a Windows .ico, a
macOS .icns and the freedesktop hicolor tree.

    python packaging/icons.py [OUT_DIR]        (default: build/icons)

The one source is ``resources/icons/app.svg``, the same file the window shows at run time, so
the icon in the title bar, the Start menu, the Dock and the application menu never drift
apart. Qt's own SVG renderer draws it (QtSvg is part of PySide6-Essentials); Pillow writes
.ico and .icns on every OS, so any build machine makes all of them.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "resources" / "icons" / "app.svg"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
# The icns also takes 1024 px (512 px at 2x) for the Retina Finder and Dock.
ICNS_SIZES = (16, 32, 64, 128, 256, 512, 1024)
NAME = "robloxassets"


def render_png(svg: Path, size: int, target: Path) -> None:
    from PySide6.QtCore import QRectF, Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"icons: {svg} is not an SVG Qt can draw")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    target.parent.mkdir(parents=True, exist_ok=True)
    if not image.save(str(target), "PNG"):
        raise SystemExit(f"icons: could not write {target}")


def build_icons(out: Path, svg: Path = SOURCE) -> dict[str, Path]:
    """Write every icon under ``out``; returns the main files by kind (png, ico, icns, svg)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PIL import Image
    from PySide6.QtGui import QGuiApplication

    _app = QGuiApplication.instance() or QGuiApplication([sys.argv[0]])
    pngs: dict[int, Path] = {}
    for size in sorted({*PNG_SIZES, *ICO_SIZES, *ICNS_SIZES}):
        pngs[size] = out / "png" / f"{NAME}-{size}.png"
        render_png(svg, size, pngs[size])
    # freedesktop: share/icons/hicolor/<size>x<size>/apps/<name>.png, plus the SVG itself.
    hicolor = out / "hicolor"
    for size in PNG_SIZES:
        target = hicolor / f"{size}x{size}" / "apps" / f"{NAME}.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(pngs[size].read_bytes())
    scalable = hicolor / "scalable" / "apps" / f"{NAME}.svg"
    scalable.parent.mkdir(parents=True, exist_ok=True)
    scalable.write_bytes(svg.read_bytes())

    # Each size drawn by Qt at that size (not scaled down from the biggest), so small ones
    # stay crisp.
    def images(sizes: tuple[int, ...]) -> list[Image.Image]:
        return [Image.open(pngs[size]).convert("RGBA") for size in sizes]

    ico = out / f"{NAME}.ico"
    ico_images = images(ICO_SIZES)
    ico_images[-1].save(ico, format="ICO", sizes=[(s, s) for s in ICO_SIZES],
                        append_images=ico_images[:-1])
    icns = out / f"{NAME}.icns"
    icns_images = images(ICNS_SIZES)
    icns_images[-1].save(icns, format="ICNS", append_images=icns_images[:-1])
    return {"png": pngs[512], "ico": ico, "icns": icns, "svg": scalable, "hicolor": hicolor}


def main() -> int:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "build" / "icons"
    made = build_icons(out)
    for kind, path in made.items():
        print(f"{kind:8} {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

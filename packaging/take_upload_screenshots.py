"""Screenshots of the upload work: the Uploads page with items in every state, the Upload
dialog and the Open Cloud key dialog, against the fake Roblox (tests/fakeroblox.py, in this
process) and an in-memory keyring; nothing reaches the internet.

    QT_QPA_PLATFORM=offscreen python packaging/take_upload_screenshots.py OUT_DIR
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["ROBLOXASSETS_HOME"] = tempfile.mkdtemp(prefix="robloxassets-upload-shots-")


def pump(app, seconds: float) -> None:  # type: ignore[no-untyped-def]
    end = time.time() + seconds
    while time.time() < end:
        app.processEvents()
        time.sleep(0.02)


def wait(app, done, seconds: float = 60) -> None:  # type: ignore[no-untyped-def]
    end = time.time() + seconds
    while not done() and time.time() < end:
        app.processEvents()
        time.sleep(0.02)
    if not done():
        page = app.property("shots.page")
        states = [(i.name, i.state.value, i.error) for i in page.model.items] if page else []
        raise SystemExit(f"timed out waiting for the window: {states} "
                         f"running={page.service.running if page else None} "
                         f"banner={page.banner.label.text() if page else ''}")
    pump(app, 0.4)


def make_images(folder: Path, names: list[str]) -> list[str]:
    from PIL import Image, ImageDraw

    folder.mkdir(parents=True, exist_ok=True)
    colours = [(178, 74, 52), (86, 160, 72), (120, 60, 150), (60, 110, 190), (230, 120, 30),
               (30, 150, 170), (200, 50, 120), (140, 100, 60), (110, 110, 120), (90, 90, 200)]
    paths = []
    for name in names:
        # Coloured by name: every image has its own content (nothing "already catalogued").
        number = sum(map(ord, name))
        base = colours[number % len(colours)]
        image = Image.new("RGBA", (512, 512), (base[0], base[1], (base[2] + number) % 256,
                                               255))
        draw = ImageDraw.Draw(image)
        for step in range(0, 512, 64):
            draw.line([(0, step), (512, step)], fill=(255, 255, 255, 60), width=6)
            draw.line([(step, 0), (step, 512)], fill=(0, 0, 0, 40), width=6)
        draw.ellipse((156, 156, 356, 356), fill=(255, 255, 255, 90))
        path = folder / f"{name.replace(' ', '_').lower()}.png"
        image.save(path)
        paths.append(str(path))
    return paths


def main() -> int:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "shots")
    out.mkdir(parents=True, exist_ok=True)

    import keyring

    from robloxassets.core.catalog.store import Catalog
    from robloxassets.core.cloud.apikey import ApiKey
    from robloxassets.core.cloud.assets import AssetType, Creator, Privacy
    from robloxassets.core.cloud.client import Client
    from robloxassets.core.cloud.ratelimit import Pacer
    from robloxassets.core.cloud.urls import Endpoints
    from robloxassets.core.upload.model import State, UploadOptions
    from robloxassets.core.upload.runner import PollSchedule, RunnerConfig
    from robloxassets.core.upload.store import NewUpload, UploadStore
    from robloxassets.gui.app import create_application, create_window, dispose
    from robloxassets.gui.uploads.page import UploadsPage
    from tests.cloudfixtures import MemoryKeyring
    from tests.fakeroblox import GOOD_KEY, FakeRoblox, KeyRecord

    fake = FakeRoblox(polls_to_finish=1).start()
    fake.keys[GOOD_KEY] = KeyRecord(owner=1187204, name="uploads",
                                    scopes=("asset:read", "asset:write"))
    os.environ.update({"ROBLOXASSETS_OPEN_CLOUD_URL": fake.url,
                       "ROBLOXASSETS_THUMBNAILS_URL": fake.url})
    os.environ.pop("ROBLOXASSETS_API_KEY", None)
    keyring.set_keyring(MemoryKeyring())
    art = Path(os.environ["ROBLOXASSETS_HOME"]) / "art"

    # An upload cut off by a crash last time: it waits for a decision.
    [cut] = make_images(art, ["Crate lid"])
    with Catalog() as catalog:
        store = UploadStore(catalog)
        [item_id] = store.add([NewUpload(cut, None, "Crate lid", "", AssetType.IMAGE,
                                         Creator("user", 1187204), Privacy.DEFAULT, 1024)])
        store.move(item_id, State.SENDING, from_=(State.QUEUED,))
        store.recover()

    app = create_application(["shots"])
    window = create_window()
    window.resize(1280, 800)
    window.show()
    page = window.page("uploads")
    assert isinstance(page, UploadsPage)
    app.setProperty("shots.page", page)

    def factory(key: ApiKey) -> Client:
        return Client(key, Endpoints(fake.url, fake.url), pacer=Pacer({}))

    page.service.client_factory = factory
    page.service.config = RunnerConfig(send_workers=1, poll=PollSchedule(first=0.05),
                                       find_image_ids=False)
    window.show_page("uploads")
    wait(app, lambda: page.loaded)

    # The key dialog: a key saved and checked (it lacks the optional lookup scope).
    dialog = page.open_key_dialog()
    wait(app, lambda: dialog.place is not None)
    dialog.key_edit.setText(GOOD_KEY)
    dialog.save()
    wait(app, lambda: "belongs to" in dialog.report_label.text())
    dialog.grab().save(str(out / "key-dialog.png"))
    dialog.close()
    pump(app, 0.2)
    options = UploadOptions(creator=Creator("user", 1187204), description="Obby textures")

    def batch(names: list[str]) -> None:
        before = len(page.model.items)
        page.add(make_images(art, names), options)
        wait(app, lambda: len(page.model.items) == before + len(names)
             and not page.service.running and not page.context.catalog.busy)

    batch(["Brick wall", "Grass tile", "Reject me", "Moderated name poster"])
    page.refresh_moderation()
    wait(app, lambda: not page.service.refreshing and not page.context.catalog.busy)
    fake.reviews_to_settle = 10_000  # the next ones stay in review
    batch(["Lava floor", "Ocean waves"])
    # One on the wire (held by the server), the rest waiting behind it.
    release = fake.hold("create")
    before = len(page.model.items)
    page.add(make_images(art, ["Neon sign", "Wood planks", "Stone path"]), options)
    wait(app, lambda: len(page.model.items) == before + 3
         and any(i.state is State.SENDING for i in page.model.items), 30)
    failed = next(i for i in page.model.items if i.state is State.FAILED)
    page.select_item(failed.id)
    pump(app, 0.6)
    window.grab().save(str(out / "uploads.png"))
    for _ in range(3):
        window.resize(800, 760)
        pump(app, 0.3)
    window.grab().save(str(out / "uploads-800.png"))

    # The Upload dialog for a few files of a folder (one of them can't be uploaded).
    window.resize(1280, 800)
    pump(app, 0.3)
    files = make_images(art / "new", ["Castle gate", "Banner red", "Banner blue with a "
                                      "long name that Roblox cuts at fifty characters"])
    broken = art / "new" / "torn_texture.png"
    broken.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 40)
    page.ask_upload([*files, str(broken)])
    wait(app, lambda: page.dialog is not None and page.dialog.checked)
    assert page.dialog is not None
    page.dialog.grab().save(str(out / "upload-dialog.png"))
    page.dialog.resize(600, page.dialog.height())
    pump(app, 0.3)
    page.dialog.grab().save(str(out / "upload-dialog-narrow.png"))
    page.dialog.reject()
    release.set()
    fake.release_all()
    wait(app, lambda: not page.service.running, 30)
    dispose(window)
    fake.stop()
    print(f"Screenshots in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

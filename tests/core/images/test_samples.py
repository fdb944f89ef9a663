"""The shipped sample decals: copied for the user, and each shows a different verdict."""

from __future__ import annotations

from robloxassets.core import paths
from robloxassets.core.images.info import Verdict
from robloxassets.core.images.samples import SAMPLE_FOLDER, sample_library
from robloxassets.core.images.scan import Scanner
from robloxassets.core.resources import resource


def test_sample_library_copies_once_and_keeps_user_changes() -> None:
    folder = sample_library()
    assert folder == paths.data_dir() / SAMPLE_FOLDER
    shipped = sorted(n.name for n in resource("samples").iterdir() if n.is_file())
    assert sorted(p.name for p in folder.iterdir()) == shipped
    logo = folder / "logo.png"
    logo.write_bytes(b"edited by the user")
    (folder / "grass.png").unlink()
    assert sample_library() == folder
    assert logo.read_bytes() == b"edited by the user"   # never overwritten
    assert (folder / "grass.png").exists()              # missing ones come back


def test_samples_show_the_verdicts_the_issue_asks_for() -> None:
    items = {p.info.path.rsplit("/", 1)[-1]: p for p in Scanner().scan([sample_library()])}
    verdicts = {name: item.info.verdict for name, item in items.items()}
    assert Verdict.DOWNSCALE in verdicts.values()        # one oversize
    assert Verdict.UNSUPPORTED in verdicts.values()      # one unsupported format
    assert Verdict.OK in verdicts.values()
    assert Verdict.CORRUPT not in verdicts.values()
    assert any(i.info.has_alpha and i.info.mode == "RGBA" for i in items.values())
    assert any(i.info.mode == "palette" for i in items.values())
    assert any(i.info.animated for i in items.values())
    total = sum(n.stat().st_size for n in sample_library().iterdir())
    assert total < 1_500_000

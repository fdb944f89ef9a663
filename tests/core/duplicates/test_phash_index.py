"""The perceptual hash, the index and the grouping, on real generated images."""

from __future__ import annotations

import io
import random

import pytest
from PIL import Image, ImageOps

from robloxassets.core.duplicates.groups import (
    DEFAULT_THRESHOLD,
    Candidate,
    find_groups,
    near_copies,
)
from robloxassets.core.duplicates.hashing import hash_file, hash_opened
from robloxassets.core.duplicates.index import brute_pairs, near_pairs, plan
from robloxassets.core.duplicates.phash import (
    Fingerprint,
    distance,
    flatten,
    phash,
    phash_pair,
)
from tests import dupset


def _reopen(im: Image.Image, fmt: str = "PNG", **options: object) -> Image.Image:
    buffer = io.BytesIO()
    im.save(buffer, fmt, **options)
    return Image.open(io.BytesIO(buffer.getvalue()))


def test_a_hash_has_64_bits_half_of_them_set() -> None:
    im = dupset.source_image(0)
    h = phash(im)
    assert 0 <= h < 1 << 64
    assert h.bit_count() == 32  # the median rule: 31 AC terms and the DC term above it


def test_the_mirror_hash_is_the_hash_of_the_mirror_image() -> None:
    im = dupset.source_image(2)
    plain, mirrored = phash_pair(im)
    assert mirrored == phash(ImageOps.mirror(im))
    assert distance(plain, mirrored) > DEFAULT_THRESHOLD  # not a symmetric picture


def test_alpha_is_flattened_onto_white_before_hashing() -> None:
    im = Image.new("RGBA", (64, 64), (0, 0, 0, 0))  # transparent black
    im.paste((200, 0, 0, 255), (16, 16, 48, 48))
    flat = flatten(im)
    assert flat.mode == "RGB" and flat.getpixel((0, 0)) == (255, 255, 255)
    opaque = Image.new("RGB", (64, 64), (255, 255, 255))
    opaque.paste((200, 0, 0), (16, 16, 48, 48))
    assert phash(im) == phash(opaque)


@pytest.mark.parametrize("index", [0, 1, 2, 3])
def test_re_encoded_and_resized_copies_stay_close(index: int) -> None:
    im = dupset.source_image(index)
    base = hash_opened(_reopen(im))[0]
    copies = [_reopen(flatten(im), "JPEG", quality=60),  # flattened as editors export JPEG
              _reopen(im, "WEBP", quality=80),
              _reopen(im.resize((im.width // 4, im.height // 4)))]
    for copy in copies:
        assert distance(base, hash_opened(copy)[0]) <= 4


def test_different_pictures_are_far_apart() -> None:
    hashes = [hash_opened(_reopen(dupset.source_image(i)))[0] for i in range(12)]
    assert min(distance(a, b) for i, a in enumerate(hashes) for b in hashes[i + 1:]) \
        > DEFAULT_THRESHOLD


def test_hash_file_reads_regular_files_only(tmp_path) -> None:
    path = tmp_path / "a.png"
    dupset.source_image(1).save(path)
    assert hash_file(path) == hash_opened(Image.open(path))
    (tmp_path / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\nnot really")
    assert hash_file(tmp_path / "broken.png") is None
    assert hash_file(tmp_path / "missing.png") is None
    assert hash_file(tmp_path) is None


def _balanced(rng: random.Random) -> int:
    return sum(1 << b for b in rng.sample(range(64), 32))


@pytest.mark.parametrize("threshold", [0, 4, 8, 10, 14])
def test_the_index_finds_exactly_what_comparing_every_pair_finds(threshold: int) -> None:
    rng = random.Random(threshold)
    hashes = [_balanced(rng) for _ in range(300)]
    for _ in range(100):  # planted near-copies at every distance up to 16
        base = rng.choice(hashes)
        for bit in rng.sample(range(64), rng.randint(0, 16)):
            base ^= 1 << bit
        hashes.append(base)
    mirrors: list[int | None] = [_balanced(rng) if rng.random() < 0.5 else None
                                 for _ in hashes]
    mirrors[5] = hashes[350]  # one mirror match
    found = sorted(near_pairs(hashes, threshold, mirrors))
    assert found == sorted(brute_pairs(hashes, threshold, mirrors))
    assert found  # the planted pairs are there to find


def test_the_plan_covers_the_threshold_by_pigeonhole() -> None:
    for count in (10, 10_000, 1_000_000):
        for threshold in range(0, 25):
            p = plan(count, threshold)
            assert sum(w for _s, w in p.blocks) == 64
            assert (p.radius + 1) * len(p.blocks) > threshold


def _c(path: str, h: int | None, sha: str | None = None, mirror: int | None = None,
       **kw: object) -> Candidate:
    return Candidate(path=path, sha256=sha, phash=h, phash_mirror=mirror, **kw)  # type: ignore[arg-type]


def test_groups_join_exact_and_near_copies_transitively() -> None:
    a = 0xFFFF_FFFF_0000_0000
    b = a ^ 0b11          # 2 bits from a
    c = b ^ (0b11 << 8)   # 2 from b, 4 from a
    far = 0x0000_0000_FFFF_FFFF
    cands = [_c("/a.png", a, "s1", width=100, height=100),
             _c("/b.png", b, width=200, height=200),
             _c("/c.png", c),
             _c("/far.png", far),
             _c("/copy-of-far.png", None, "s2"),
             _c("/far-exact.png", far ^ 0xF0F0, "s2")]
    groups = find_groups(cands, threshold=3)
    paths = [[m.candidate.path for m in g.members] for g in groups]
    assert paths == [["/b.png", "/a.png", "/c.png"], ["/copy-of-far.png", "/far-exact.png"]]
    first = groups[0]
    assert [m.distance for m in first.members] == [0, 2, 2]
    assert groups[1].members[1].exact and groups[1].all_exact
    assert groups[0].to_json()[1] == {"path": "/a.png", "sha256": "s1", "distance": 2,
                                      "mirrored": False}


def test_a_catalogued_copy_is_the_one_to_keep() -> None:
    h = 0xAAAA_AAAA_5555_5555
    cands = [_c("/big.png", h, width=900, height=900), _c("/cat.png", h, entry_id=3)]
    group = find_groups(cands)[0]
    assert group.keeper.path == "/cat.png"


def test_mirror_images_group_only_when_asked() -> None:
    im = dupset.source_image(4)
    one = hash_opened(_reopen(im))
    two = hash_opened(_reopen(ImageOps.mirror(im)))
    cands = [_c("/one.png", *one[:1], mirror=one[1]), _c("/two.png", *two[:1], mirror=two[1])]
    assert len(find_groups(cands)) == 1
    assert find_groups(cands, mirrored=False) == []


def test_near_copies_of_one_picture_closest_first() -> None:
    h = 0xF0F0_F0F0_F0F0_F0F0
    cands = [_c("/four.png", h ^ 0xF), _c("/same.png", h), _c("/exact.png", 1, "d"),
             _c("/far.png", ~h & (1 << 64) - 1), _c("/none.png", None)]
    found = near_copies(Fingerprint(h), cands, 6, sha256="d")
    assert [(n.candidate.path, n.distance, n.exact) for n in found] == [
        ("/exact.png", 0, True), ("/same.png", 0, False), ("/four.png", 4, False)]


def test_quality_on_a_small_labelled_set() -> None:
    """Pairwise precision and recall on 24 sources with every kind of copy (the benchmark
    measures 300); look-alike textures must not match."""
    cands, labels = [], []
    for s in dupset.samples(24):
        h, m, colour = hash_opened(s.image)
        cands.append(Candidate(path=s.name, phash=h, phash_mirror=m, colour=colour))
        labels.append(s.label)
    index = {c.path: i for i, c in enumerate(cands)}
    groups = find_groups(cands)
    predicted = [[index[m.candidate.path] for m in g.members] for g in groups]
    precision, recall = dupset.pair_scores(predicted, labels)
    assert precision >= 0.99
    assert recall >= 0.95
    for kind, a, b in dupset.lookalikes(6):
        if kind == "texture":
            ha, hb = hash_opened(a), hash_opened(b)
            assert distance(ha[0], hb[0]) > DEFAULT_THRESHOLD

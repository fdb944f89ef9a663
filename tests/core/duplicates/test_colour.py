"""The colour check beside the pHash: colour variants and solid colours are not copies."""

from __future__ import annotations

import io
import random

from PIL import Image, ImageOps

from robloxassets.core.duplicates.colour import (
    SIGNATURE_BYTES,
    colour_distance,
    is_flat,
    mirror,
)
from robloxassets.core.duplicates.groups import Candidate, _flat_pairs, find_groups, pair_match
from robloxassets.core.duplicates.hashing import hash_opened
from robloxassets.core.duplicates.phash import Fingerprint, distance
from robloxassets.core.duplicates.rules import DEFAULT_THRESHOLD, FLAT_COLOUR_THRESHOLD
from tests import dupset


def _reopen(im: Image.Image, fmt: str = "PNG") -> Image.Image:
    buffer = io.BytesIO()
    im.save(buffer, fmt)
    return Image.open(io.BytesIO(buffer.getvalue()))


def _cand(name: str, im: Image.Image) -> Candidate:
    h, m, colour = hash_opened(_reopen(im))
    return Candidate(path=name, phash=h, phash_mirror=m, colour=colour)


def _paths(groups: list) -> list[list[str]]:
    return sorted(sorted(m.candidate.path for m in g.members) for g in groups)


RED, GREEN, BLUE = (220, 30, 30), (30, 200, 40), (40, 60, 230)


def test_a_star_in_three_colours_is_three_pictures_its_copies_still_match() -> None:
    stars = {name: dupset.star(colour) for name, colour in
             (("red", RED), ("green", GREEN), ("blue", BLUE))}
    prints = {name: hash_opened(_reopen(im)) for name, im in stars.items()}
    # The grey pHash alone calls them copies: that is what the colour check is for.
    assert distance(prints["red"].phash, prints["green"].phash) <= DEFAULT_THRESHOLD
    assert pair_match(prints["red"], prints["green"]) is None
    assert pair_match(prints["red"], prints["blue"]) is None
    red = stars["red"]
    cands = [_cand(f"/{n}.png", im) for n, im in stars.items()]
    cands += [_cand("/red-small.png", red.resize((100, 100))),
              _cand("/red-brighter.png", dupset.TRANSFORMS["bright10"][0](red)),
              _cand("/red.jpg", dupset.flatten_for_jpeg(red))]
    assert _paths(find_groups(cands)) == [["/red-brighter.png", "/red-small.png", "/red.jpg",
                                           "/red.png"]]


def test_a_mirrored_copy_matches_as_mirrored_a_mirrored_recolour_does_not() -> None:
    im = dupset.source_image(5)
    original = hash_opened(_reopen(im))
    flipped = hash_opened(_reopen(ImageOps.mirror(im)))
    match = pair_match(original, flipped)
    assert match is not None and match.mirrored
    assert pair_match(original, flipped, mirrored=False) is None
    recoloured = hash_opened(_reopen(ImageOps.mirror(dupset.hue_shift(im, 150))))
    assert pair_match(original, recoloured) is None
    # The same picture compared with itself is not "mirrored", even if it is symmetric.
    symmetric = hash_opened(_reopen(dupset.star(RED)))
    same = pair_match(symmetric, symmetric)
    assert same is not None and not same.mirrored and same.distance == 0


def test_the_mirror_signature_is_the_signature_of_the_mirror_image() -> None:
    im = dupset.source_image(4)
    plain = hash_opened(_reopen(im)).colour
    flipped = hash_opened(_reopen(ImageOps.mirror(im))).colour
    assert plain is not None and flipped is not None and len(plain) == SIGNATURE_BYTES
    assert colour_distance(mirror(plain), flipped) <= 3
    assert mirror(mirror(plain)) == plain


def test_solid_colours_group_only_with_the_same_colour() -> None:
    rng = random.Random(3)
    cands = []
    for i in range(20):  # 20 different solid colours, 4 x 4
        colour = (i * 12, 255 - i * 12, rng.randrange(256))
        cands.append(_cand(f"/solid{i}.png", Image.new("RGB", (4, 4), colour)))
    assert find_groups(cands) == []
    # The same colour in another size, and a byte-identical file, are copies.
    cands.append(_cand("/solid3-big.png", Image.new("RGB", (64, 64), (36, 219, 0))))
    cands[3] = Candidate(path="/solid3.png", phash=cands[3].phash,
                         phash_mirror=cands[3].phash_mirror,
                         colour=hash_opened(_reopen(Image.new("RGB", (4, 4), (36, 219, 0))))
                         .colour, sha256="same")
    cands.append(Candidate(path="/solid3-copy.png", sha256="same"))
    assert _paths(find_groups(cands)) == [["/solid3-big.png", "/solid3-copy.png",
                                           "/solid3.png"]]


def test_a_near_blank_picture_is_no_copy_of_a_drawing_or_of_another_colour() -> None:
    blank = Image.new("RGB", (200, 200), (250, 250, 250))
    dot = blank.copy()
    dot.putpixel((100, 100), (0, 0, 0))  # almost blank: no structure for the pHash
    pale_blue = Image.new("RGB", (200, 200), (200, 215, 250))
    prints = {n: hash_opened(_reopen(im)) for n, im in
              (("blank", blank), ("dot", dot), ("blue", pale_blue),
               ("star", dupset.star((250, 250, 250))))}
    assert all(is_flat(prints[n].colour or b"") for n in ("blank", "dot", "blue"))
    assert not is_flat(prints["star"].colour or b"")
    assert pair_match(prints["blank"], prints["dot"]) is not None  # same colour
    assert pair_match(prints["blank"], prints["blue"]) is None
    assert pair_match(prints["blank"], prints["star"], threshold=64) is None


def test_colour_variants_of_one_drawing_are_not_copies() -> None:
    matched: dict[str, int] = {}
    for kind, a, b in dupset.colour_variants(8):
        if pair_match(hash_opened(a), hash_opened(b)) is not None:
            matched[kind] = matched.get(kind, 0) + 1
    assert matched == {}


def test_flat_pairs_finds_what_comparing_every_pair_finds() -> None:
    rng = random.Random(9)
    colours = []
    for _ in range(300):
        base = [rng.randrange(0, 256, 16) for _ in range(3)]
        cells = bytes(max(0, min(255, c + rng.randint(-3, 3))) for _ in range(16) for c in base)
        colours.append(cells + b"\x00")
    found = sorted(_flat_pairs(colours))
    brute = sorted((i, j) for j in range(len(colours)) for i in range(j)
                   if colour_distance(colours[i], colours[j]) <= FLAT_COLOUR_THRESHOLD)
    assert found == brute and brute


def test_pictures_without_a_colour_signature_are_matched_by_the_phash_alone() -> None:
    # An older cache entry, or a catalogue entry hashed before: no colour known.
    a = Fingerprint(0xFFFF_0000_FFFF_0000, None, None)
    b = Fingerprint(0xFFFF_0000_FFFF_0003, None, None)
    match = pair_match(a, b)
    assert match is not None and match.distance == 2

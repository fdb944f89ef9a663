"""Alpha bleeding: give fully transparent pixels the colour of the visible pixels near them.

Transparent pixels usually store black. The image looks the same, but Roblox (like any GPU)
filters textures and builds smaller mipmaps by blending neighbouring pixels, colour included,
so black leaks into the edges as a dark outline. Tarmac and Asphalt bleed alpha for this
reason. Only the colour of pixels with alpha 0 changes; what is visible stays exactly as it was.

The fill is a pull-push pyramid: average the visible colours into ever smaller levels, then
fill each level's gaps from the level below it, back up to full size. Pillow only; the cost is
a few full-size passes (about 1.3x a single pass over the pyramid).
"""

from __future__ import annotations

from typing import cast

from PIL import Image


def bleed_alpha(im: Image.Image) -> Image.Image:
    """An RGBA copy of ``im`` whose fully transparent pixels carry nearby visible colours."""
    if im.mode != "RGBA":
        raise ValueError(f"bleed_alpha needs RGBA, got {im.mode}")
    alpha = im.getchannel("A")
    low, high = cast("tuple[int, int]", alpha.getextrema())  # one band: (min, max)
    if low > 0 or high == 0:
        return im  # nothing transparent, or nothing visible to take colour from
    visible = alpha.point(lambda a: 255 if a else 0)
    rgb = im.convert("RGB")
    # Level 0: the visible colours with a binary weight. Pillow resamples RGBA premultiplied,
    # so reducing it averages only the visible pixels and the alpha becomes their coverage.
    levels = [Image.merge("RGBA", (*rgb.split(), visible))]
    while max(levels[-1].size) > 1:
        levels.append(levels[-1].reduce(2))
    filled = levels[-1].convert("RGB")
    for level in reversed(levels[:-1]):
        below = filled.resize(level.size, Image.Resampling.BILINEAR)
        # Where this level has coverage keep its own average colour, elsewhere the blurrier
        # colour from below, blended by coverage.
        filled = Image.composite(level.convert("RGB"), below, level.getchannel("A"))
    # The last pass (level 0, binary coverage) kept every visible pixel's own colour exactly.
    filled.putalpha(alpha)
    return filled

"""Measurements every explorer's tests share (tests/test_explorers*.py), written once.

* :data:`MIN_TEXT_PX` and :func:`text_heights_px` - is every text readable in the image as shown;
* :func:`fast_and_full_pixels` - the image the explorer drew by blitting, next to a full redraw.
"""

import io

import numpy as np
from matplotlib.text import Text
from PIL import Image

from sgdlib.explorers.base import DPI

#: The smallest text height (pixels on screen) the figure may use: about 11 px stays readable.
MIN_TEXT_PX = 11.0


def text_heights_px(fig):
    """Every visible, non-empty text of ``fig`` by its content: its height on screen in pixels.

    The image is shown one pixel per screen pixel, so ``s`` points are ``s * DPI / 72`` pixels.
    """
    texts = [t for t in fig.findobj(Text) if t.get_visible() and t.get_text()]
    return {t.get_text(): t.get_fontsize() * DPI / 72 for t in texts}


def fast_and_full_pixels(explorer):
    """The RGB pixels of ``explorer.render_png()`` and of a full redraw (as savefig would)."""
    fast = np.asarray(Image.open(io.BytesIO(explorer.render_png())).convert("RGB"))
    explorer.canvas.draw()
    full = np.asarray(explorer.canvas.buffer_rgba())[..., :3]
    return fast, full

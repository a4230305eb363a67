"""Every cover qacast handles: the show's own image checked, one drawn with the
titles, and the plain starter image ``qacast init`` puts in a new show.

Apple Podcasts and most apps want a square RGB JPEG or PNG of 1400-3000 px;
embedded in ID3 (APIC) it should stay under about 500 KB. Every output here is
a pure function of its inputs, so re-rendering gives byte-identical files.
"""

from __future__ import annotations

import functools
import hashlib
import io
import unicodedata
import warnings
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont, ImageOps, UnidentifiedImageError

from qacast.apple import ARTWORK_MAX_PX, ARTWORK_MIN_PX
from qacast.errors import AssetError

COVER_MIN_PX = ARTWORK_MIN_PX
COVER_MAX_PX = ARTWORK_MAX_PX
COVER_MAX_BYTES = 500_000  # decimal KB: the stricter reading of "500 KB"

FORMAT_MIME: dict[str, str] = {"JPEG": "image/jpeg", "PNG": "image/png"}

# Tried in order until the JPEG fits under COVER_MAX_BYTES; below ~65 text
# and edges in cover art start to ring visibly.
_JPEG_QUALITIES = (92, 85, 75, 65)
# Transparent areas become white: what most apps show behind a PNG anyway.
_ALPHA_BACKGROUND = (255, 255, 255)
_EXIF_ORIENTATION = 0x0112

# Pillow's bundled font (Aileron) covers ASCII only: "Zoë" or an em dash come
# out as boxes. Titles within its reach use it, the same bytes on every
# machine; others use the first of these system fonts that Pillow finds and
# that has every glyph. Whatever is still missing is spelled in ASCII.
_FALLBACK_FONTS = ("DejaVuSans.ttf", "LiberationSans-Regular.ttf", "Arial.ttf")
_ASCII_SPELLINGS = {
    "—": "-", "–": "-", "‐": "-", "‘": "'", "’": "'", "“": '"', "”": '"',
    "ß": "ss", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ø": "o", "Ø": "O",
    "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "þ": "th", "Þ": "Th", "€": "EUR",
}  # fmt: skip

# (background, text, accent): each pair passes WCAG AA contrast for large text.
_PALETTES: tuple[tuple[tuple[int, int, int], tuple[int, int, int], tuple[int, int, int]], ...] = (
    ((18, 52, 86), (246, 241, 231), (242, 169, 59)),
    ((33, 37, 41), (248, 249, 250), (77, 171, 247)),
    ((122, 30, 45), (253, 246, 236), (250, 200, 120)),
    ((28, 77, 60), (241, 248, 240), (196, 230, 120)),
    ((244, 239, 228), (31, 36, 48), (200, 70, 50)),
    ((63, 44, 112), (246, 242, 255), (255, 196, 87)),
)


# --- the show's own image -------------------------------------------------------


def load_cover(path: Path, label: str = "cover") -> tuple[bytes, str]:
    """Read and check a cover image; returns (image bytes, MIME type).

    A square RGB JPEG or PNG of 1400-3000 px under 500 KB is returned as is.
    Other colour modes (RGBA, palette, greyscale, CMYK), a rotating EXIF
    orientation, or a file over 500 KB are re-encoded as an RGB JPEG. Wrong
    shapes and sizes are refused rather than silently cropped or scaled: the
    user should see their art as they made it. ``label`` names the image in
    an error ("episode image" for an episode's own).
    """
    try:
        data = path.read_bytes()
    except OSError as err:
        raise AssetError(f"{label} {path}: cannot read it ({err.strerror or err})") from err
    image = _open_checked(path, data, label)
    mime = FORMAT_MIME[str(image.format)]
    orientation = image.getexif().get(_EXIF_ORIENTATION, 1)
    if image.mode == "RGB" and orientation == 1 and len(data) <= COVER_MAX_BYTES:
        return data, mime
    return _reencode(path, image, label), "image/jpeg"


def _open_checked(path: Path, data: bytes, label: str = "cover") -> Image.Image:
    try:
        # Pillow warns (rather than refuses) between 89 and 179 megapixels:
        # refused here too, so the user sees one line, not a Python warning.
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                probe.verify()  # checksums and structure, without decoding pixels
            image = Image.open(io.BytesIO(data))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise AssetError(
            f"{label} {path}: far too many pixels to open safely; "
            f"podcast apps need {COVER_MIN_PX}-{COVER_MAX_PX} px square"
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as err:
        raise AssetError(f"{label} {path}: not a readable JPEG or PNG image") from err
    if image.format not in FORMAT_MIME:
        raise AssetError(f"{label} {path}: {image.format} image; use a JPEG or PNG")
    width, height = image.size
    if width != height:
        raise AssetError(f"{label} {path}: {width}x{height} px is not square")
    if not COVER_MIN_PX <= width <= COVER_MAX_PX:
        problem = "too small" if width < COVER_MIN_PX else "too large"
        raise AssetError(
            f"{label} {path}: {width}x{height} px is {problem}; "
            f"podcast apps need {COVER_MIN_PX}-{COVER_MAX_PX} px"
        )
    try:
        image.load()  # size checked first: decode only images of sane size
    except (OSError, SyntaxError, ValueError) as err:
        raise AssetError(f"{label} {path}: damaged image ({err})") from err
    return image


def _to_rgb(image: Image.Image) -> Image.Image:
    image = ImageOps.exif_transpose(image)
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", rgba.size, _ALPHA_BACKGROUND)
        flat.paste(rgba, mask=rgba.getchannel("A"))
        return flat
    return image.convert("RGB")


def _rgb_profile(image: Image.Image) -> bytes | None:
    # An ICC profile describes RGB values; after a CMYK or grey conversion it would lie.
    return image.info.get("icc_profile") if image.mode in ("RGB", "RGBA", "P") else None


def _reencode(path: Path, image: Image.Image, label: str = "cover") -> bytes:
    icc = _rgb_profile(image)
    rgb = _to_rgb(image)
    for candidate in (rgb, rgb.resize((COVER_MIN_PX, COVER_MIN_PX), Image.Resampling.LANCZOS)):
        for quality in _JPEG_QUALITIES:
            jpeg = _jpeg_bytes(candidate, quality=quality, icc_profile=icc)
            if len(jpeg) <= COVER_MAX_BYTES:
                return jpeg
    raise AssetError(
        f"{label} {path}: cannot fit under {COVER_MAX_BYTES // 1000} KB even as a "
        f"{COVER_MIN_PX} px JPEG; simplify the image"
    )


def _jpeg_bytes(image: Image.Image, *, quality: int, icc_profile: bytes | None = None) -> bytes:
    out = io.BytesIO()
    options: dict[str, object] = {"quality": quality, "optimize": True}
    if icc_profile:
        options["icc_profile"] = icc_profile
    image.save(out, format="JPEG", **options)
    return out.getvalue()


def published_cover(path: Path) -> bytes:
    """The show's cover as out/ publishes it: the file itself when it is RGB;
    else its pixels in RGB, in the file's own format (a CMYK JPEG stays a JPEG,
    a palette, grey or transparent PNG a PNG), so that the name it is published
    under still says what it is. Directories refuse artwork in any other
    colour mode, and the episodes embed the cover in RGB too (load_cover).
    Only an image load_cover accepts is converted (the build checked it)."""
    try:
        data = path.read_bytes()
        with Image.open(io.BytesIO(data)) as probe:  # its header only
            if probe.mode == "RGB":
                return data
    except OSError as err:
        raise AssetError(f"cover {path}: cannot read it ({err.strerror or err})") from err
    image = _open_checked(path, data)
    options: dict[str, object] = {"optimize": True}
    icc = _rgb_profile(image)
    if icc:
        options["icc_profile"] = icc
    if image.format == "JPEG":
        options["quality"] = _JPEG_QUALITIES[0]
    out = io.BytesIO()
    _to_rgb(image).save(out, format=image.format, **options)
    return out.getvalue()


# --- the site's copies ---------------------------------------------------------------

# Quality of the pages' small copies: they are looked at, never embedded or
# checked by a directory, and at 480 px this is where artefacts start to show.
WEB_JPEG_QUALITY = 82


def web_copy(path: Path, box_px: int) -> bytes:
    """A JPEG of the image at ``path`` within ``box_px`` square, for a web page.

    Covers are published at 1400-3000 px and up to 500 KB (or larger PNGs);
    a page that shows one at 240 px would wait seconds for it on a phone's
    connection. JPEG's own scaled decoding (``draft``) skips most of a large
    JPEG's pixels, so making the copy costs little.
    """
    try:
        with Image.open(path) as image:
            image.draft("RGB", (box_px, box_px))
            rgb = _to_rgb(image)
    except (OSError, UnidentifiedImageError) as err:
        raise AssetError(f"image {path}: cannot read it ({err})") from err
    rgb.thumbnail((box_px, box_px), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    rgb.save(out, format="JPEG", quality=WEB_JPEG_QUALITY, optimize=True, progressive=True)
    return out.getvalue()


# --- the starter cover -------------------------------------------------------------


def starter_cover_png() -> bytes:
    """A plain square PNG so a new show builds a valid feed at once."""
    image = Image.new("RGB", (COVER_MIN_PX, COVER_MIN_PX), (32, 56, 88))
    draw = ImageDraw.Draw(image)
    # Two speech bubbles: the interviewer and the interviewee.
    draw.ellipse((200, 300, 800, 800), fill=(240, 180, 60))
    draw.ellipse((600, 650, 1200, 1150), fill=(120, 200, 220))
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False)
    return out.getvalue()


# --- a generated cover ------------------------------------------------------------


def generate_cover(show_title: str, episode_title: str, *, size_px: int = COVER_MIN_PX) -> bytes:
    """A square RGB JPEG with the show's title and the episode's, on a plain background.

    The colours are picked from the show title, so a show keeps one look
    across episodes. Same inputs, same Pillow: same bytes.
    """
    if not COVER_MIN_PX <= size_px <= COVER_MAX_PX:
        raise ValueError(f"cover size must be {COVER_MIN_PX}-{COVER_MAX_PX} px, got {size_px}")
    face = _choose_face(show_title + episode_title)
    show_title = _drawable(show_title, face)
    episode_title = _drawable(episode_title, face)
    digest = hashlib.sha256(show_title.encode("utf-8")).digest()
    background, ink, accent = _PALETTES[digest[0] % len(_PALETTES)]
    image = Image.new("RGB", (size_px, size_px), background)
    draw = ImageDraw.Draw(image)

    margin = round(size_px * 0.08)
    width = size_px - 2 * margin
    show_font, show_lines = _fit(
        show_title, face, width, size_px * 0.11, size_px * 0.05, max_lines=4
    )
    episode_font, episode_lines = _fit(
        episode_title, face, width, size_px * 0.07, size_px * 0.035, max_lines=6
    )

    y = margin
    y = _draw_lines(draw, show_lines, show_font, margin, y, ink)
    bar_y = y + round(size_px * 0.03)
    draw.rectangle(
        (margin, bar_y, margin + round(size_px * 0.18), bar_y + round(size_px * 0.012)),
        fill=accent,
    )
    # The episode title sits on the bottom margin, so short titles leave air
    # in the middle instead of crowding the show's name.
    episode_height = _line_height(episode_font) * len(episode_lines)
    episode_y = max(bar_y + round(size_px * 0.06), size_px - margin - episode_height)
    _draw_lines(draw, episode_lines, episode_font, margin, episode_y, ink)
    for quality in _JPEG_QUALITIES:
        jpeg = _jpeg_bytes(image, quality=quality)
        if len(jpeg) <= COVER_MAX_BYTES:
            break
    return jpeg


# None is Pillow's bundled font; a string is a font file name Pillow looks up.
Face = str | None


def _font(face: Face, size: float) -> ImageFont.FreeTypeFont:
    if face is not None:
        return ImageFont.truetype(face, round(size))
    font = ImageFont.load_default(size=round(size))
    if not isinstance(font, ImageFont.FreeTypeFont):
        # Without FreeType, Pillow's default font is a fixed 11 px bitmap.
        raise AssetError("Pillow was built without FreeType; give the show a cover image")
    return font


@functools.lru_cache(maxsize=4096)
def _has_glyph(face: Face, char: str) -> bool:
    """Whether ``face`` draws ``char`` as itself rather than its "missing" box."""
    if char.isspace():
        return True
    font = _font(face, 48)

    def pixels(text: str) -> bytes:
        canvas = Image.new("L", (96, 96))
        ImageDraw.Draw(canvas).text((16, 16), text, font=font, fill=255)
        return canvas.tobytes()

    # U+E000 is a private-use code point no text font draws.
    return pixels(char) != pixels("\ue000")


def _choose_face(text: str) -> Face:
    if all(_has_glyph(None, char) for char in text):
        return None
    for name in _FALLBACK_FONTS:
        try:
            _font(name, 48)
        except OSError:
            continue
        if all(_has_glyph(name, char) for char in text):
            return name
    return None


def _drawable(text: str, face: Face) -> str:
    """``text`` with each character the face cannot draw spelled in ASCII, or "?"."""
    out = []
    for char in text:
        if _has_glyph(face, char):
            out.append(char)
            continue
        spelled = _ASCII_SPELLINGS.get(char)
        if spelled is None:
            decomposed = unicodedata.normalize("NFKD", char)
            spelled = "".join(c for c in decomposed if c.isascii()) or "?"
        out.append(spelled)
    return "".join(out)


def _line_height(font: ImageFont.FreeTypeFont) -> int:
    return round(font.size * 1.2)


def _fit(
    text: str, face: Face, width: float, largest: float, smallest: float, *, max_lines: int
) -> tuple[ImageFont.FreeTypeFont, list[str]]:
    """The largest font (stepping down 5 %) at which ``text`` wraps into ``max_lines``."""
    size = largest
    while True:
        font = _font(face, size)
        lines = _wrap(" ".join(text.split()), font, width)
        if len(lines) <= max_lines or size <= smallest:
            break
        size = max(size * 0.95, smallest)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1]
        while last and font.getlength(last + "…") > width:
            last = last[:-1].rstrip()
        lines[-1] = last + "…"
    return font, lines


def _wrap(text: str, font: ImageFont.FreeTypeFont, width: float) -> list[str]:
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if font.getlength(candidate) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        current = ""
        for char in word:  # only a word wider than the whole line is cut
            if current and font.getlength(current + char) > width:
                lines.append(current)
                current = ""
            current += char
    if current:
        lines.append(current)
    return lines


def _draw_lines(
    draw: ImageDraw.ImageDraw,
    lines: list[str],
    font: ImageFont.FreeTypeFont,
    x: int,
    y: int,
    fill: tuple[int, int, int],
) -> int:
    """Draw lines top-down from (x, y); returns the y below the last one."""
    for line in lines:
        draw.text((x, y), line, font=font, fill=fill)
        y += _line_height(font)
    return y

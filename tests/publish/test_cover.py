from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image

from qacast import artwork as cover
from qacast.artwork import COVER_MAX_BYTES, generate_cover, load_cover
from qacast.errors import AssetError


def gradient(size: int, mode: str = "RGB") -> Image.Image:
    """A smooth image: small as PNG, like most drawn cover art."""
    ramp = np.linspace(0, 255, size, dtype=np.uint8)
    rgb = np.stack(
        [np.tile(ramp, (size, 1)), np.tile(ramp[:, None], (1, size)), np.full((size, size), 90)],
        axis=-1,
    ).astype(np.uint8)
    image = Image.fromarray(rgb, "RGB")
    return image if mode == "RGB" else image.convert(mode)


def noise(size: int) -> Image.Image:
    """Incompressible: megabytes in any format."""
    rng = np.random.default_rng(0)
    return Image.fromarray(rng.integers(0, 256, (size, size, 3), dtype=np.uint8), "RGB")


def photo_like(size: int) -> Image.Image:
    """Smooth shapes with sensor grain: megabytes as PNG, fine as a JPEG."""
    rng = np.random.default_rng(1)
    base = np.asarray(gradient(size), dtype=np.float64)
    grain = rng.normal(0, 6, base.shape)
    return Image.fromarray(np.clip(base + grain, 0, 255).astype(np.uint8), "RGB")


def save(image: Image.Image, path: Path, **options: Any) -> Path:
    image.save(path, **options)
    return path


def opened(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


# --- load_cover -----------------------------------------------------------------


def test_good_png_is_returned_unchanged(tmp_path: Path) -> None:
    path = save(gradient(1400), tmp_path / "cover-1400-rgb.png")
    data, mime = load_cover(path)
    assert (data, mime) == (path.read_bytes(), "image/png")


def test_good_jpeg_is_returned_unchanged(tmp_path: Path) -> None:
    path = save(gradient(3000), tmp_path / "cover-3000.jpg", quality=90)
    assert load_cover(path) == (path.read_bytes(), "image/jpeg")


@pytest.mark.parametrize("mode", ["RGBA", "P", "L", "CMYK", "LA"])
def test_other_colour_modes_become_rgb_jpeg(tmp_path: Path, mode: str) -> None:
    image = gradient(1400, mode)
    if mode == "RGBA":
        image.putalpha(128)
    suffix = "jpg" if mode == "CMYK" else "png"
    path = save(image, tmp_path / f"cover-{mode.lower()}.{suffix}")
    data, mime = load_cover(path)
    result = opened(data)
    assert (mime, result.format, result.mode, result.size) == (
        "image/jpeg",
        "JPEG",
        "RGB",
        (1400, 1400),
    )
    assert len(data) <= COVER_MAX_BYTES
    assert load_cover(path)[0] == data  # deterministic


def test_transparent_areas_turn_white(tmp_path: Path) -> None:
    image = Image.new("RGBA", (1400, 1400), (10, 20, 30, 0))
    path = save(image, tmp_path / "cover-transparent.png")
    result = opened(load_cover(path)[0])
    assert all(abs(channel - 255) <= 2 for channel in result.getpixel((700, 700)))  # type: ignore[union-attr]


def test_oversized_file_is_reencoded_under_500_kb(tmp_path: Path) -> None:
    path = save(photo_like(3000), tmp_path / "cover-photo-3000.png")
    assert path.stat().st_size > COVER_MAX_BYTES
    data, mime = load_cover(path)
    result = opened(data)
    assert mime == "image/jpeg" and result.mode == "RGB"
    assert len(data) <= COVER_MAX_BYTES
    assert result.size[0] == result.size[1] and 1400 <= result.size[0] <= 3000


def test_image_that_cannot_fit_is_refused(tmp_path: Path) -> None:
    path = save(noise(1400), tmp_path / "cover-noise.png")
    with pytest.raises(AssetError, match=r"cover-noise\.png: cannot fit under 500 KB"):
        load_cover(path)


def test_exif_rotation_is_applied(tmp_path: Path) -> None:
    image = gradient(1400)
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90 degrees clockwise to display
    path = save(image, tmp_path / "cover-rotated.jpg", exif=exif, quality=90)
    data, _ = load_cover(path)
    result = opened(data)
    assert result.getexif().get(0x0112, 1) == 1
    # The blue-ish ramp that ran left-to-right now runs top-to-bottom.
    left, right = result.getpixel((20, 700)), result.getpixel((1380, 700))
    assert abs(left[1] - right[1]) > 200  # type: ignore[index]


@pytest.mark.parametrize(
    ("name", "make", "message"),
    [
        ("cover-wide.png", lambda: gradient(1600).crop((0, 0, 1600, 1400)), "not square"),
        ("cover-small.png", lambda: gradient(1000), "too small"),
        ("cover-huge.png", lambda: gradient(3200), "too large"),
        ("cover.gif", lambda: gradient(1400).convert("P"), "GIF image"),
    ],
)
def test_unusable_images_are_refused_with_their_name(
    tmp_path: Path, name: str, make: object, message: str
) -> None:
    assert callable(make)
    path = save(make(), tmp_path / name)
    with pytest.raises(AssetError, match=message) as caught:
        load_cover(path)
    assert name in str(caught.value) and "\n" not in str(caught.value)


def test_text_file_named_jpg_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "cover.jpg"
    path.write_text("not an image, just a note\n")
    with pytest.raises(AssetError, match=r"cover\.jpg: not a readable JPEG or PNG"):
        load_cover(path)


@pytest.mark.parametrize("suffix", ["jpg", "png"])
def test_truncated_image_is_refused(tmp_path: Path, suffix: str) -> None:
    whole = save(noise(1400), tmp_path / f"whole.{suffix}")
    data = whole.read_bytes()
    path = tmp_path / f"cover-truncated.{suffix}"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(AssetError, match=r"cover-truncated"):
        load_cover(path)


def test_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(AssetError, match=r"nowhere\.png: cannot read"):
        load_cover(tmp_path / "nowhere.png")


# --- generate_cover -------------------------------------------------------------


def test_generated_cover_is_a_valid_deterministic_cover(tmp_path: Path) -> None:
    data = generate_cover("Tech Leaders", "Nestor J. Portillo on communities of practice")
    assert data == generate_cover("Tech Leaders", "Nestor J. Portillo on communities of practice")
    image = opened(data)
    assert (image.format, image.mode, image.size) == ("JPEG", "RGB", (1400, 1400))
    assert len(data) <= COVER_MAX_BYTES
    path = tmp_path / "generated.jpg"
    path.write_bytes(data)
    assert load_cover(path) == (data, "image/jpeg")  # passes our own checks as is


def test_generated_cover_draws_both_titles() -> None:
    pixels = np.asarray(opened(generate_cover("Show", "Episode title")).convert("L"), dtype=float)
    background = np.median(pixels)
    ink = np.abs(pixels - background) > 60
    top, bottom = ink[:400].mean(), ink[900:].mean()
    assert top > 0.01 and bottom > 0.01  # show title up top, episode title down below
    assert ink[450:850].mean() < top  # air in between


def test_generated_cover_depends_on_titles_and_size() -> None:
    base = generate_cover("Show", "One")
    assert generate_cover("Show", "Two") != base
    large = generate_cover("Show", "One", size_px=3000)
    assert opened(large).size == (3000, 3000) and len(large) <= COVER_MAX_BYTES
    with pytest.raises(ValueError, match="1400-3000"):
        generate_cover("Show", "One", size_px=1000)


def test_very_long_titles_still_fit() -> None:
    data = generate_cover("A" * 200, " ".join(["word"] * 200), size_px=3000)
    assert len(data) <= COVER_MAX_BYTES


def test_characters_the_font_lacks_are_spelled_not_boxed() -> None:
    # Pillow's bundled font has no "ë" or em dash; whatever face is chosen
    # must draw every character it is given.
    text = "Zoë Ångström — ß"
    face = cover._choose_face(text)
    drawable = cover._drawable(text, face)
    assert all(cover._has_glyph(face, char) for char in drawable)
    assert cover._drawable(text, None) == "Zoe Angstrom - ss"
    assert cover._choose_face("Plain ASCII title") is None  # same bytes on every machine

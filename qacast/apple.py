"""What Apple Podcasts accepts: its category list, its artwork rules, the
enclosures it plays.

Apple rejects a feed whose ``itunes:category`` is not one of its names, so the
show settings are checked against this table when qacast.toml is read, and
``qacast check`` checks a built feed against it again. Plain data, below every
stage that reads it (settings, artwork, check).
"""

from __future__ import annotations

from qacast.formats import FORMATS

# Apple Podcasts categories and their subcategories, as Apple lists them.
# itunes:category values outside this list make Apple reject the feed.
APPLE_CATEGORIES: dict[str, tuple[str, ...]] = {
    "Arts": ("Books", "Design", "Fashion & Beauty", "Food", "Performing Arts", "Visual Arts"),
    "Business": (
        "Careers",
        "Entrepreneurship",
        "Investing",
        "Management",
        "Marketing",
        "Non-Profit",
    ),
    "Comedy": ("Comedy Interviews", "Improv", "Stand-Up"),
    "Education": ("Courses", "How To", "Language Learning", "Self-Improvement"),
    "Fiction": ("Comedy Fiction", "Drama", "Science Fiction"),
    "Government": (),
    "History": (),
    "Health & Fitness": (
        "Alternative Health",
        "Fitness",
        "Medicine",
        "Mental Health",
        "Nutrition",
        "Sexuality",
    ),
    "Kids & Family": ("Education for Kids", "Parenting", "Pets & Animals", "Stories for Kids"),
    "Leisure": (
        "Animation & Manga",
        "Automotive",
        "Aviation",
        "Crafts",
        "Games",
        "Hobbies",
        "Home & Garden",
        "Video Games",
    ),
    "Music": ("Music Commentary", "Music History", "Music Interviews"),
    "News": (
        "Business News",
        "Daily News",
        "Entertainment News",
        "News Commentary",
        "Politics",
        "Sports News",
        "Tech News",
    ),
    "Religion & Spirituality": (
        "Buddhism",
        "Christianity",
        "Hinduism",
        "Islam",
        "Judaism",
        "Religion",
        "Spirituality",
    ),
    "Science": (
        "Astronomy",
        "Chemistry",
        "Earth Sciences",
        "Life Sciences",
        "Mathematics",
        "Natural Sciences",
        "Nature",
        "Physics",
        "Social Sciences",
    ),
    "Society & Culture": (
        "Documentary",
        "Personal Journals",
        "Philosophy",
        "Places & Travel",
        "Relationships",
    ),
    "Sports": (
        "Baseball",
        "Basketball",
        "Cricket",
        "Fantasy Sports",
        "Football",
        "Golf",
        "Hockey",
        "Rugby",
        "Running",
        "Soccer",
        "Swimming",
        "Tennis",
        "Volleyball",
        "Wilderness",
        "Wrestling",
    ),
    "Technology": (),
    "True Crime": (),
    "TV & Film": ("After Shows", "Film History", "Film Interviews", "Film Reviews", "TV Reviews"),
}

# Channel artwork: a square JPEG or PNG in RGB, 1400 to 3000 px a side.
ARTWORK_MIN_PX = 1400
ARTWORK_MAX_PX = 3000
ARTWORK_FORMATS: tuple[str, ...] = ("JPEG", "PNG")
ARTWORK_MODE = "RGB"
# Apple truncates longer channel descriptions; directories reject them.
DESCRIPTION_MAX_BYTES = 4000
# Beyond the audio formats it plays (``apple_plays`` in qacast.formats), the
# video types Apple Podcasts takes as an episode's enclosure.
VIDEO_ENCLOSURE_TYPES: tuple[str, ...] = ("video/mp4", "video/quicktime", "video/x-m4v")


def enclosure_types() -> tuple[str, ...]:
    """Enclosure types Apple Podcasts plays; an Opus or FLAC episode can only be
    an alternate enclosure (podcast:alternateEnclosure) for Apple's listeners."""
    audio = (t for spec in FORMATS.values() if spec.apple_plays for t in spec.mime_types)
    return (*audio, *VIDEO_ENCLOSURE_TYPES)

"""Which main-content extractor keeps an interview's dialogue?

Runs each contender on the pages in tests/data/html/ (each an interview inside
a realistic page: navigation, share bars, ads, related articles, comments,
sidebars, footers) and counts, per page:

- turns: the Q and A paragraphs kept, each starting a paragraph of its own
  (a turn glued to the one before it is lost to the parser);
- marks: the bold labels, bold questions and question headings kept as
  Markdown (``**A:**``, ``### Who borrows seeds?``);
- chrome: page furniture that leaked into the text.

The readers not installed are skipped (``pip install trafilatura
readability-lxml``). Timing is the median of 5 runs per page, for scale only.
``--pages`` prints a row per page as well as the totals.
"""

from __future__ import annotations

import re
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from qacast.script.formats.html import _main_content, decode_html  # noqa: E402
from qacast.script.formats.markdown_out import fragment_to_markdown, html_to_markdown  # noqa: E402

PAGES = REPO / "tests" / "data" / "html"


@dataclass(frozen=True)
class Expect:
    turns: tuple[str, ...]  # how each turn's paragraph starts, markup removed
    marks: tuple[str, ...]  # Markdown that must be there as written
    chrome: tuple[str, ...]  # text that must not be there


EXPECTED: dict[str, Expect] = {
    "magazine-bold-qa.html": Expect(
        turns=(
            "Q: How did you end up", "A: Honestly, by accident", "Q: What was the first year",
            "A: Terrifying and wonderful", "After the sandwich", "Q: Tell me about the ice",
            "A: We worked nineteen", "Q: Is the job getting", "A: Yes.", "Q: That's it?",
            "A: Mostly yes.", "Q: What would you tell", "A: Find an Earl.",
        ),
        marks=("**Q: How did you end up working on power lines?**", "**A:** Honestly"),
        chrome=("Share this", "Advertisement", "Save 20%", "Related articles", "Comments",
                "BigSkyBill", "where can I find", "Accept all", "All rights reserved", "Sign up"),
    ),
    "blog-heading-questions.html": Expect(
        turns=(
            "What is a seed library, exactly?", "It's a lending library", "Who borrows seeds?",
            "Everybody.", "He came back in September", "Do people really bring",
            "About two in three", "What is the hardest", "Squash, because",
            "grow only one kind", "How would I start one?", "Start small.",
        ),
        marks=("### What is a seed library, exactly?", "### How would I start one?",
               "- hand-pollinate"),
        chrome=("Recent posts", "Leeks in October", "Skip to main content", "Tagged:",
                "Share on Mastodon", "Webmentions", "Built with Hugo", "The slug diaries"),
    ),
    "wordpress-name-labels.html": Expect(
        turns=(
            "Marcus Lee: Thanks for making time", "Helen Marsh: It's harder",
            "Marcus Lee: So a steady", "Helen Marsh: Usually, yes.", "If you can choose",
            "Marcus Lee: That's hard", "Helen Marsh: It is.", "Marcus Lee: Any advice",
            "Helen Marsh: Eat your main meal", "Marcus Lee: Helen Marsh, thank you.",
            "Helen Marsh: My pleasure.",
        ),
        marks=("**Marcus Lee:** Thanks", "**Helen Marsh:** My pleasure"),
        chrome=("Share this", "Related", "Melatonin", "4 thoughts", "Janet R.", "did she say",
                "Leave a Reply", "Proudly powered", "Previous post", "Skip to content"),
    ),
    "newsletter-bold-questions.html": Expect(
        turns=(
            "How long have you been", "Since I was fourteen", "What's the first thing",
            "Mind your p's and q's", "Favourite typeface?", "Caslon.", "Why Caslon?",
            "It is patient.", "Do you ever use a computer?", "For invoices.",
        ),
        marks=("**How long have you been setting type?**", "**Favourite typeface?**"),
        chrome=("Subscribe", "Sign in", "214", "Discussion about this post", "Caslon forever",
                "Recommended", "The Serif Files", "Collection notice", "Get the app"),
    ),
    "briefing-br-transcript.html": Expect(
        turns=(
            "DEPUTY MAYOR ALVES: Good morning", "Q: How long will the bridge",
            "DEPUTY MAYOR ALVES: Our engineers", "Q: What about the ferry?",
            "DEPUTY MAYOR ALVES: Yes. The ferry", "Q: Free for everyone?",
            "DEPUTY MAYOR ALVES: For everyone.", "Q: Can pedestrians",
            "DEPUTY MAYOR ALVES: The footpath", "Q: Who pays for the repair?",
            "DEPUTY MAYOR ALVES: The council's",
        ),
        marks=(),
        chrome=("Here's how you know", "Residents", "Media enquiries", "555-0142",
                "Report a problem", "Print this page", "FOI requests", "Press releases"),
    ),
    "podcast-transcript-segments.html": Expect(
        turns=(
            "Welcome back to Small Acreage", "Thank you, Dana.", "Why weigh them?",
            "Because a hive can't", "My grandfather did it", "Has the data ever",
            "Every year.", "Otto, thanks for counting", "Anytime.",
        ),
        marks=(),
        chrome=("Apple Podcasts", "Download MP3", "Support the show", "Join now",
                "More episodes", "Fences that last", "generated automatically"),
    ),
    "news-split-body.html": Expect(
        turns=(
            "Callum Reid: What does a flood", "Morag Fleming: Mostly we knock",
            "Callum Reid: What was the worst", "Morag Fleming: Boxing Day",
            "Callum Reid: Has it got worse?", "Morag Fleming: It has got more",
            "Callum Reid: What keeps you", "Morag Fleming: The knock back.",
        ),
        marks=("**Callum Reid:** What does", "**Morag Fleming:** The knock back."),
        chrome=("morning briefing", "Sign up", "Share on", "Comments (57)", "riverwatcher",
                "legend", "Most viewed", "Council tax", "Cookie settings", "Support us"),
    ),
    "tiny-two-exchanges.html": Expect(
        turns=("Jane: Where did it start?", "Sam: With a radio.", "Jane: Thank you, Sam.",
               "Sam: Thanks."),
        marks=("**Jane:** Where", "**Sam:** Thanks."),
        chrome=("Workshop Notes", "About", "Privacy"),
    ),
    "oral-history-pre.html": Expect(
        turns=("LINDGREN: This is Harold", "AMES: In a farmhouse", "LINDGREN: What do you",
               "AMES: Ration books.", "LINDGREN: Did anyone", "AMES: My brother Walt.",
               "LINDGREN: Thank you, Ruth.", "AMES: You're welcome."),
        marks=(),
        chrome=("Collections", "Donate", "210 Main Street"),
    ),
    "hearing-table.html": Expect(
        turns=("CHAIR WEBB The librarian", "MS. ORTIZ Thank you.", "CHAIR WEBB How many",
               "MS. ORTIZ Our survey", "COUNCILMEMBER DIAZ Will staff", "MS. ORTIZ Both."),
        marks=(),
        chrome=("Road closures", "Pay a bill", "Library card", "Civic Plaza"),
    ),
}  # fmt: skip


def _trafilatura_markdown(html: str) -> str:
    import trafilatura

    return (
        trafilatura.extract(
            html, output_format="markdown", include_formatting=True, include_comments=False
        )
        or ""
    )


def _trafilatura_html(html: str) -> str:
    import trafilatura

    extracted = trafilatura.extract(
        html, output_format="html", include_formatting=True, include_comments=False
    )
    return fragment_to_markdown(extracted or "")


def _qacast(html: str) -> str:
    """What qacast reads: trafilatura HTML with qacast's settings -> our Markdown."""
    return html_to_markdown(_main_content(html)[0])


def _readability(html: str) -> str:
    from readability import Document

    return fragment_to_markdown(Document(html).summary(html_partial=True))


def _whole_page(html: str) -> str:
    return fragment_to_markdown(html)


CONTENDERS: dict[str, tuple[str, Callable[[str], str]]] = {
    "whole page, no extractor (baseline)": ("lxml", _whole_page),
    "trafilatura, its own Markdown": ("trafilatura", _trafilatura_markdown),
    "trafilatura HTML -> our Markdown": ("trafilatura", _trafilatura_html),
    "readability-lxml -> our Markdown": ("readability", _readability),
    "qacast (trafilatura HTML, short articles trusted)": ("trafilatura", _qacast),
}


def _plain(block: str) -> str:
    """Text without markup or separators: "**Q:** Hi", "| Q | Hi |" -> "Q Hi"."""
    return " ".join(re.sub(r"\*\*|[|:]", " ", block).lstrip("#- ").split())


def score(markdown: str, expect: Expect) -> tuple[int, int, int, int]:
    """Turns kept, marks kept, chrome leaked, and chrome leaked between two turns
    (read aloud in the middle of an answer, the worst place)."""
    paragraphs = [_plain(block) for block in markdown.split("\n\n")]
    lines = [_plain(line) for block in markdown.split("\n\n") for line in block.splitlines()]
    turns = sum(any(p.startswith(_plain(t)) for p in paragraphs + lines) for t in expect.turns)
    marks = sum(mark in markdown for mark in expect.marks)
    chrome = sum(junk in markdown for junk in expect.chrome)
    plain = _plain(markdown)
    starts = [plain.find(_plain(t)) for t in expect.turns if _plain(t) in plain]
    first, last = (min(starts), max(starts)) if starts else (0, 0)
    inside = sum(first < plain.find(junk) < last for junk in expect.chrome if junk in plain)
    return turns, marks, chrome, inside


def main() -> None:
    pages = {name: decode_html(PAGES / name) for name in EXPECTED}
    print(
        "| reader | page | turns kept | marks kept | chrome leaked | of it mid-dialogue | ms/page |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for label, (module, reader) in CONTENDERS.items():
        try:
            __import__(module)
        except ImportError:
            print(f"| {label} | not installed | | | | | |")
            continue
        totals = [0, 0, 0, 0, 0, 0, 0]
        for name, html in pages.items():
            expect = EXPECTED[name]
            reader(html)  # warm-up: imports and caches
            times = []
            for _ in range(5):
                start = time.perf_counter()
                markdown = reader(html)
                times.append(time.perf_counter() - start)
            turns, marks, chrome, inside = score(markdown, expect)
            ms = statistics.median(times) * 1000
            if "--pages" in sys.argv:
                print(
                    f"| {label} | {name} | {turns}/{len(expect.turns)} | "
                    f"{marks}/{len(expect.marks)} | {chrome}/{len(expect.chrome)} | {inside} | "
                    f"{ms:.0f} |"
                )
            counts = (turns, len(expect.turns), marks, len(expect.marks), chrome,
                      len(expect.chrome), inside)  # fmt: skip
            for i, value in enumerate(counts):
                totals[i] += value
        print(
            f"| **{label}** | all {len(pages)} | {totals[0]}/{totals[1]} | "
            f"{totals[2]}/{totals[3]} | {totals[4]}/{totals[5]} | {totals[6]} | |"
        )


if __name__ == "__main__":
    main()

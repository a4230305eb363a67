"""Markdown text -> blocks and paragraphs, page furniture dropped."""

"""Paragraphs -> turns: the interview's sections, who speaks each turn, and in which role."""

"""qacast: turn written Q&A interviews into multi-voice podcast episodes."""

__version__ = "0.1.0"

"""Transcript text -> Episode: labels, page furniture, front matter, speech text."""

from qacast.script.decode import read_script
from qacast.script.parse import parse_script
from qacast.script.serialize import episode_to_json
from qacast.script.speech import utterances

__all__ = ["episode_to_json", "parse_script", "read_script", "utterances"]

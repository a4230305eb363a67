"""A script file of any type -> the Markdown text the reader parses, and what
the file says of itself."""

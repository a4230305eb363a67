"""How a document marks its speakers: label forms, and which are accepted."""

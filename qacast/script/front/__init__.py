"""Front matter: what the producer states about an episode, read tolerantly."""

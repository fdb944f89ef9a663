"""Near-duplicate detection: perceptual hashes, an index over them, groups of copies."""

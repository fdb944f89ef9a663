"""Qt layer: thin widgets over robloxassets.core."""

"""The Duplicates page: groups of copies across the open library folders and the catalogue."""

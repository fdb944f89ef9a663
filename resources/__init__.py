"""Data files of robloxassets (installed as the package ``robloxassets.resources``).

This file makes the folder a regular package so importlib.resources finds it both in an
installed wheel and in an editable install. Read files through robloxassets.core.resources.
"""

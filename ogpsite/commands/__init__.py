"""The `ogpsite` command (`cli`) and one module per command that needs more than a few lines.

The top layer: turns `OgpsiteError`s into messages and exit codes.
"""

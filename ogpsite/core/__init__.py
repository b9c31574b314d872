"""The pure core: reports, institutions, taxonomy, page plans, UI strings, problems and the config types.

No I/O: everything here is made from values the `sources` layer read. Imports only `translit`.
"""

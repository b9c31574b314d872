"""The build pipeline: load (`pipeline`), plan, render (`render`), index (`search`), write (`writer`).

`incremental.Builder` owns a build and its cache (`cache`); work is spread over the cores by
`parallel`. Imports `sources`, `core` and `translit`, never a command.
"""

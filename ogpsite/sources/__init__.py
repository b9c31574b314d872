"""Reading the site: `ogpsite.yml`, YAML with line numbers, report files, the registry, Markdown.

Everything read becomes `core` values or `core.errors.Problem`s naming the file and the line.
"""

"""Moving an existing archive in: `ogpsite import`.

Readers turn a source (WordPress export, feed, saved HTML pages, plain text) into items;
`derive` reads front matter out of an item's text (dates, places, institutions); `writer`
writes the reports and the import's CSV. This layer sits between sources and commands: it
may import translit, core and sources; commands import it.
"""

"""The data side of the kit: a data folder, its schema, its check and its tables.

One concept per module, each floor importing only the floors below it:

- ``schema``: the folder's ``schema.toml`` read into tables, columns, span and cross-column rules;
- ``signature``: the one cache rule (every cache keyed on what the folder's files hold);
- ``vocabularies``: the term lists of ``vocabularies/`` (also ``brink.vocab``);
- ``bands``: the ICD 203 expressions of likelihood and their bands;
- ``rules``: the ``when`` condition of a rule, on a table or a row;
- ``spans``: finding a verbatim span, explaining where it is not, filling offsets;
- ``check``: the whole-folder check ``brink check`` runs;
- ``cache``: checked tables kept across kernels, keyed by the folder signature;
- ``loaders``: the tables (``brink.events()`` …, also ``brink.tables``);
- ``adding``: ``brink source add``;
- ``codebook``: the codebook's generated column tables;
- ``commands``: ``brink check``, ``brink source add|find|fill``, ``brink codebook``.

Importing this package reads nothing.
"""

"""A class's own analysis of a data folder: agreement between coders (``brink agree``, ``brink adjudicate``),
the crisis as it stood at a moment (``as_of``) and students' own forecasts (``forecasts``, ``brink forecasts``).

Each module is one kind of analysis; importing the package imports none of them.
"""

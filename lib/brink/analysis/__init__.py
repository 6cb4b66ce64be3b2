"""A class's own analysis of a data folder: agreement between coders (``brink agree``, ``brink adjudicate``).

Each module is one kind of analysis; importing the package imports none of them.
"""

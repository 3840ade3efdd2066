"""The repair engine: find legacy text in any string, read it right, restore lost letters, say why.

``vnconv.repair`` (the function) shadows this package's name on the ``vnconv`` module; reach the package's
modules with ``from vnconv.repair import engine``.
"""

"""The repair engine: find legacy text in any string, read it right, restore lost letters, say why.

``vnconv.repair`` (the function) shadows this package's name on the ``vnconv`` module; reach the package's
modules with ``from vnconv.repair import engine``. The stages, in the order the engine runs them: ``fast``,
``viqr_lines``, ``tokens``, ``readings`` and ``chunks`` (reading candidates, scored on ``scale``),
``evidence``, ``decide``, ``render``, ``restore``, ``fixes``; ``repairer`` puts them together (with the
garbage collector held back, ``nogc``), ``engine`` holds the public functions and ``options`` their typed
options; ``preload`` builds every table they use before the first text.
"""

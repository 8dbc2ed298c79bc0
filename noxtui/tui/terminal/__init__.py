"""The app's output to the terminal: a shadow of the screen and the difference written per frame.

``output.DiffedOutput`` is the ``App`` base that hooks it in; ``shadow`` keeps what the terminal
shows, ``diff`` plans scroll regions and writes the cells that differ, ``cells`` and ``sgr`` are the
cell and style models both share.
"""

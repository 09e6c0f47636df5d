"""rolecell in Excel: formulas (functions), ribbon actions (scripts) and their live-book renderer.

Import the submodules you need; this package imports nothing itself, so that each stays light
(Pyodide / xlwings Lite loads only the standard library, xlwings and the rolecell core).
"""

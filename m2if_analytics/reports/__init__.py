"""Reports: parameterised notebooks rendered to self-contained HTML, and what they display.

Owns: rendering a report notebook to one offline HTML page (:mod:`.render`, :mod:`.page`),
the reports folder's index and screenshots (:mod:`.index`), the figure controls that work
without a kernel (:mod:`.controls`), and one subpackage per report, each split the same way:
``data`` (frames from the analyses, where the report needs its own), ``figures`` (plotly
figures) and ``html`` (escaped HTML blocks): :mod:`.weekly`, :mod:`.overview`,
:mod:`.student`, :mod:`.comparison`, :mod:`.collaboration`.

May import: the analyses (``risk``, ``followup``, ``programme``, ``collaboration``,
``engagement``),
``privacy`` (names only through the re-identification mapping), ``warehouse``, ``i18n`` and
the ground floor.
"""

"""Shared machinery of the Office Open XML adapters (.docx, .xlsx …).

* :mod:`.package`: :class:`Package`, a zip package opened for reading and saved back atomically with every
  untouched member byte-identical; XML parsing without DTDs, entities or network.
* :mod:`.fonts`: symbol fonts, legacy font names renamed, theme fonts.
* :mod:`.drawingml`: DrawingML text (charts, SmartArt, shapes).

What a conversion found (:class:`~vnconv.documents.runs.Tally`) and the one runs pipeline live in
:mod:`vnconv.documents.runs`; they are named here too, as before.
"""

from __future__ import annotations

from ..runs import Tally, capitals, drawn_as_capitals, legacy_font, looks_legacy_font, record_units, repair_units
from .drawingml import repair_drawingml_text
from .fonts import is_symbol_font, rename_drawingml_fonts, rename_font_attributes, theme_fonts, vml_font_family
from .package import (
    NS,
    STRICT_PREFIX,
    Package,
    Relationship,
    parse_xml,
    rels_name,
    resolve_target,
    serialize_xml,
    valid_xml_text,
)

__all__ = [
    "NS",
    "STRICT_PREFIX",
    "Package",
    "Relationship",
    "Tally",
    "parse_xml",
    "serialize_xml",
    "legacy_font",
    "looks_legacy_font",
    "is_symbol_font",
    "rename_font_attributes",
    "rename_drawingml_fonts",
    "theme_fonts",
    "repair_units",
    "repair_drawingml_text",
    "valid_xml_text",
    "record_units",
    "rels_name",
    "resolve_target",
    "vml_font_family",
    "drawn_as_capitals",
    "capitals",
]

"""Charsets: the tables (data), the registry with the codec factory and the one charset order, the codecs
(C charmap machinery), VIQR, font text and font names. Imports only :mod:`vnconv.language` and the bottom modules."""

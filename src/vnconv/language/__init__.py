"""Vietnamese language knowledge: letters, the syllable grammar, the lexicon (frequencies, pairs, compounds).
Imports nothing of vnconv but the bottom modules (errors, data paths)."""

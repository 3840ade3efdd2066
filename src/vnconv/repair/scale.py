"""The one scale every reading is scored on, and the margins the engine decides by.

Scores are Zipf units (log10 of occurrences per 10⁹ words, :func:`vnconv.language.lexicon.zipf`), so they
add up like log probabilities: a frequent syllable scores 5 to 7, a rare one 1 to 2. The constants below
place what is not a frequent word on that scale, and say how far apart two readings must be for the engine
to trust one over the other. They are tuned on the sample plan and the training half of the gettext
catalogs (tests/test_mixed_documents.py holds the other half out).
"""

from __future__ import annotations

# -- what a reading is worth ----------------------------------------------------------------------------
UNSEEN = 0.5  #: a valid syllable that no frequency source attests
FOREIGN = -1.0  #: an invalid word as it stands: a foreign word, a name, a typo
MOJIBAKE = -4.0  #: an invalid word as it stands that looks like a wrong decoding
GARBAGE = -6.0  #: a legacy reading that gives no Vietnamese word
COMPOUND = -2.0  #: syllables written together (``sốnhỏ``): not nonsense, but no evidence either
GLUE_COST = 1.0  #: what reading a word glued to an ASCII identifier (``configure®Ó``) costs its score
KNOWN_WORD = 2.0  #: frequency the glued-on word needs to count
RESTORE_COST = 0.5  #: the price of assuming a lost letter where the word is invalid without it
MISPLACED_TONE = 1.0  #: what a tone on the wrong vowel (``tòan``) costs a valid syllable
LOWERCASE_FONT = 0.5  #: what capitals typed with a lowercase-only font (``TậP``) cost a valid syllable

# -- how the engine decides -----------------------------------------------------------------------------
STRONG = 3.0  #: the score margin by which a word decides its own reading
EVIDENCE = 5.0  #: how much better than as it stands a reading must be to count as evidence for its charset
EVIDENCE_FLOOR = 2.0  #: ... and how good it must be itself
SINGLE_WORD = 7.0  #: ... and when it is the only such word
ATTRIBUTE = 1.5  #: how much better than the other legacy readings, to count for that charset alone
WORD = 2.0  #: a reading at least this good is a Vietnamese word (a charset "makes a word of it")
HINT_BONUS = 1.5  #: what a font naming a charset adds to that charset's readings of its words
PAIRS = 2.0  #: word-pair evidence by which a run of words that read either way is read in a legacy charset
READ_COST = 0.5  #: ... what each word read that way costs (what stands is kept unless its pairs pay for it)
DOC_PRIOR = 2.5  #: what a document that is overwhelmingly one charset (or Unicode) adds to that reading
DOMINANT = 20  #: evidence words a reading needs before the document counts as overwhelmingly that reading
DOMINANT_RATIO = 4  #: ... and how many times more than the words against it
MINORITY = 0.1  #: a charset with less than this share of the top charset's evidence is not considered
SETTLE = 500  #: distinct parts read with every charset before a long document is read in its own charset
LEARN_STEP = 100  #: ... read this many at a time: the document may show itself sooner
PLAIN = 60  #: evidence words of one charset, and none for or against any other, that settle a document sooner

# -- lost letters ---------------------------------------------------------------------------------------
KNOWN = 1.0  #: a restoration is attested when the restored word has at least this frequency
RESTORE_WORD = 1.5  #: frequency a restored word needs to replace an invalid one
VIQR_WORD = 2.0  #: frequency a VIQR-decoded syllable needs to count as a Vietnamese word

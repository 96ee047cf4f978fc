"""Generated fee documents with exact answers: the corpus that measures the reader.

``units`` holds the real 令和6 unit values the documents print, ``money`` the prices and the
exact yen arithmetic, ``words`` the header words and prose, ``axes`` what a document varies
on and the seeded draw, ``tables`` the tables and expected rows, ``pages`` the pages around
them, ``plan`` one document from its seed; ``text`` and ``pdf`` render a plan to bytes.
``scripts/make_corpus.py`` drives them; ``scripts/score_corpus.py`` scores the reader.
"""

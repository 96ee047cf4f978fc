"""Generated fee documents with exact answers: the corpus that measures the reader.

``units`` holds the real 令和6 unit values the documents print, ``money`` the prices and
the exact yen arithmetic, ``plan`` draws one document's axes and builds its tables and
expected rows, ``text`` and ``pdf`` render a plan to bytes. ``scripts/make_corpus.py``
drives them; ``scripts/score_corpus.py`` scores the reader against the expectations.
"""

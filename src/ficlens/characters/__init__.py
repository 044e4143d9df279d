"""Finding the people of a story: who is named, which names are the same person, and their gender.

Name knowledge (titles, nicknames, first-name statistics) lives in `names`, kept apart from the
text-reading components so that alias merging and gender guessing share one source of truth.
"""

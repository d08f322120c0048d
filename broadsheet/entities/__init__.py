"""Named entities: the corpus readers and label mapping the recognizer is trained from, its
training command, and the recognizer the pipeline calls (:func:`load_recognizer`).

Nothing here downloads anything: the model is trained from the annotated corpora by
``python -m broadsheet.lab.ner.train`` and loaded from ``models/`` in the repository.
"""

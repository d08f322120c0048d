"""Training, evaluation and benchmarks: the work that makes and measures the pipeline's models and
rules, kept apart from the pipeline itself.

Nothing in the pipeline imports this package (`tests/test_architecture.py` checks it): a run
needs only the shipped model and rule files. The command line reaches it by module name, at the
command (`broadsheet train-ner`, `broadsheet evaluate ...`, `broadsheet benchmark`), and training
needs the `train` extra (`pip install -e ".[train]"`).

- `ner/`: training the entity recognizer from annotated corpora and writing its model card;
- `cue_training.py`: fitting the claims cue detector on PolNeAR train;
- `evaluation/`: precision, recall and F1 of each extractor on annotated dev sets;
- `benchmarks/`: speed and memory of the cleaning step and of a whole run.
"""

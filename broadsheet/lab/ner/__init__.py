"""Training the entity recognizer: the corpora it learns from, its word vectors, the training
loop and the model card it leaves beside the model in `models/`."""

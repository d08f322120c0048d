import random

from broadsheet.clean.neardup import cluster_near_duplicates, jaccard, shingles


def _story(seed: int, n: int = 300) -> list[str]:
    rng = random.Random(seed)
    return [f"w{rng.randint(0, 20000)}" for _ in range(n)]


def test_copies_with_different_debris_cluster_and_others_do_not():
    story = _story(1)
    copy_a = "Submit Your Ad Here\n" + " ".join(story) + "\nLeave a Reply"
    copy_b = "News\nBy Someone\n" + " ".join(story[8:]) + "\nRelated article: something else entirely"
    other = " ".join(_story(2))
    clusters = cluster_near_duplicates({"d_b": copy_b, "d_a": copy_a, "d_c": other})
    assert clusters == {"d_a": "d_a", "d_b": "d_a", "d_c": "d_c"}


def test_cluster_ids_do_not_depend_on_input_order():
    texts = {f"d_{i}": " ".join(_story(i % 3)) + f" tail {i}" for i in range(9)}
    forward = cluster_near_duplicates(texts)
    backward = cluster_near_duplicates(dict(reversed(list(texts.items()))))
    assert forward == backward
    assert len(set(forward.values())) == 3


def test_shingles_are_stable_across_processes():
    # blake2b, not the salted built-in hash: the same text gives the same shingles everywhere.
    assert shingles("one two three four five six").tolist() == shingles("One two three four five six").tolist()
    assert shingles("one two three four five six").tolist() == [13406413164135710011, 16668804351399435582]
    assert jaccard(shingles("a b c d e f g"), shingles("a b c d e f g")) == 1.0

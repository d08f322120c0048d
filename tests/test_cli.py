import pytest

from broadsheet.cli import EVALUATIONS, main


@pytest.mark.parametrize("extractor", sorted(EVALUATIONS))
def test_evaluations_say_so_when_the_corpora_are_absent(tmp_path, capsys, extractor):
    # Skipping cleanly: no traceback, and a message naming where it looked.
    main(["evaluate", extractor, "--corpora", str(tmp_path / "missing")])
    captured = capsys.readouterr()
    assert "missing" in (captured.out + captured.err)


def test_unknown_commands_are_refused():
    with pytest.raises(SystemExit):
        main(["evaluate", "nope"])
    with pytest.raises(SystemExit):
        main(["publish-everything"])

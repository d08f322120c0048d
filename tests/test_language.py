from broadsheet.language import detect_language


def test_detects_common_news_languages():
    assert detect_language("The minister said on Tuesday that the talks would resume and that he was hopeful.") == "en"
    assert detect_language("Le ministre a déclaré mardi que les négociations reprendraient et qu'il était optimiste.") == "fr"
    assert (
        detect_language("Der Minister sagte am Dienstag, dass die Gespräche fortgesetzt würden und er sei optimistisch.") == "de"
    )
    assert detect_language("El ministro dijo el martes que las conversaciones se reanudarían y que él era optimista.") == "es"


def test_too_little_evidence_is_undetermined():
    assert detect_language("Tehran 2020") == "und"
    assert detect_language("") == "und"

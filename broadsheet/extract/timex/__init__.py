"""The temporal-expression tagger behind `broadsheet.extract.dates`: grammar, lexicon, resolution, calendar."""

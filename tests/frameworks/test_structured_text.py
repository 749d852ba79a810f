from frameworks.structured_text import blocks_intro, blocks_statements, text_blocks


def test_an_intro_line_followed_by_dashes_becomes_a_list_of_statements():
    blocks = text_blocks("You can:\n- plan checks\n- choose tools")
    assert blocks == [{"type": "list", "intro": "You can:", "items": ["plan checks", "choose tools"]}]
    assert blocks_intro(blocks) == "You can:"
    assert blocks_statements(blocks) == ["plan checks", "choose tools"]


def test_paragraphs_lists_and_trailing_text_keep_their_order():
    text = "A checker checks.\n\nAt this role level, you will:\n- check\n- report\nThey may lead a team."
    assert text_blocks(text) == [
        {"type": "paragraph", "text": "A checker checks."},
        {"type": "list", "intro": "At this role level, you will:", "items": ["check", "report"]},
        {"type": "paragraph", "text": "They may lead a team."},
    ]


def test_a_paragraph_separated_by_an_empty_line_is_not_the_list_intro():
    assert text_blocks("Things to do.\n\n- one\n- two") == [
        {"type": "paragraph", "text": "Things to do."},
        {"type": "list", "intro": "", "items": ["one", "two"]},
    ]


def test_text_without_a_list_is_paragraphs_and_empty_text_is_nothing():
    assert text_blocks("This skill level is currently not defined.") == [
        {"type": "paragraph", "text": "This skill level is currently not defined."}
    ]
    assert text_blocks("") == []
    assert blocks_intro(text_blocks("One.\nTwo.")) == "One.\nTwo."

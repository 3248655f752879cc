"""A number or day read several ways is certain only when two independent readings agree."""
from sohoa.classifiers.readings import AGREED_CONFIDENCE, DISAGREED_CONFIDENCE, reconcile, same_number


def test_two_agreeing_sources_confirm_a_value():
    result = reconcile(["1743", None], ["1743", "1743"], same_number)
    assert (result.value, result.support, result.dissent) == ("1743", 2, False)
    assert result.confidence(0.6) == AGREED_CONFIDENCE


def test_any_dissent_sends_the_value_to_review():
    result = reconcile(["1743", "1743"], ["1748", "1748"], same_number)
    assert result.value == "1743" and result.confidence(0.9) == DISAGREED_CONFIDENCE


def test_the_gap_alone_is_never_certain():
    agreed = reconcile([None, None], ["05", "5"], same_number)
    assert agreed.value == "05" and agreed.confidence(0.6) == 0.6
    split = reconcile([None, None], ["2350", "350"], same_number)
    assert split.value == "2350" and split.confidence(0.6) == DISAGREED_CONFIDENCE


def test_one_gap_reading_may_back_a_whole_line_reading():
    result = reconcile([None, "2350"], ["2350", "350"], same_number)
    assert (result.value, result.support, result.dissent) == ("2350", 2, False)
    neither = reconcile(["2350", None], ["2380", "380"], same_number)
    assert neither.dissent


def test_nothing_read_gives_no_value():
    result = reconcile([None, None], ["", ""])
    assert result.value is None and result.confidence(0.9) == 0.0


def test_the_digit_models_gap_reading_settles_a_tie_between_the_rows():
    result = reconcile(["342", "2342"], ["2342", "2142"], same_number)
    assert (result.value, result.support, result.dissent) == ("2342", 2, True)
    assert result.confidence(0.9) == DISAGREED_CONFIDENCE

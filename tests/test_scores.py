"""The benchmark's text scores: normalisation, line matching, word F1."""
from bench.scores import normalise, score_page

TRUTH = "ỦY BAN NHÂN DÂN\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSố: 15/QĐ-UBND\nĐộc lập - Tự do - Hạnh phúc"


def test_one_tone_placement_convention():
    assert normalise("Thanh Hoá, thuý, khoẻ  mạnh\n\n hoàn thành, quý") == ["Thanh Hóa, thúy, khỏe mạnh",
                                                                          "hoàn thành, quý"]


def test_identical_text_scores_perfectly():
    score = score_page(TRUTH, TRUTH)
    assert score.cer == 0.0 and score.word_f1 == 1.0


def test_the_order_of_lines_does_not_count():
    columns_swapped = "\n".join(TRUTH.splitlines()[::-1])
    assert score_page(TRUTH, columns_swapped).cer == 0.0


def test_edits_are_counted_per_character():
    score = score_page(TRUTH, TRUTH.replace("15/QĐ", "16/QD"))
    assert score.edits == 2 and score.truth_chars == len("".join(TRUTH.splitlines()))
    assert score.words_matched == score.truth_words - 2  # "16" and "qd" are wrong words


def test_a_missing_line_counts_in_full_and_junk_counts_too():
    missing = score_page(TRUTH, "\n".join(TRUTH.splitlines()[:3]))
    assert missing.edits == len("Độc lập - Tự do - Hạnh phúc")
    junk = score_page(TRUTH, TRUTH + "\n~~ ,;")
    assert junk.edits == len("~~ ,;") and junk.word_f1 == 1.0


def test_scores_add_up_over_pages():
    total = score_page(TRUTH, TRUTH) + score_page("a b", "a c")
    assert total.edits == 1 and total.truth_words == 22 + 2 and total.words_matched == 22 + 1

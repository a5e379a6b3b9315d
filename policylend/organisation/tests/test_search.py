from policylend.organisation.selectors import transaction_point_list, unit_list


def test_typing_a_name_without_accents_finds_the_unit(org, make_user):
    # given a branch user
    viewer = make_user("branch_staff", org.branch)
    # when they type the commune's name without accents, in capitals or not
    found = {unit.code for unit in unit_list(viewer, search="vu lang")}
    shouting = {unit.code for unit in unit_list(viewer, search="VŨ LĂNG")}
    # then the commune (and its villages, whose names contain it) are found
    assert "206001" in found and found == shouting
    assert "207001" not in found


def test_d_with_stroke_folds_to_d(org, make_user):
    viewer = make_user("branch_staff", org.branch)
    assert {u.code for u in unit_list(viewer, search="binh gia")} == {"7402"}
    assert [p.code for p in transaction_point_list(viewer, search="hoang van thu")] == ["TXN207001"]


def test_the_search_stays_inside_the_scope(org, make_user):
    viewer = make_user("teller", org.office_a)
    assert list(unit_list(viewer, search="tan van")) == []

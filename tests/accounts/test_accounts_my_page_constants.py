"""Min side's probe writes a section query's constants into its SQL as literals
(``accounts.my_page.Constant``; issue 13): SQLite prepares a statement anew on every run
when a bound parameter meets a partial index's condition."""

from __future__ import annotations

from iktipet.accounts.my_page import Constant, _with_constants


def test_constants_are_written_in_and_the_other_placeholders_kept():
    sql = "SELECT 1 WHERE a = %s AND b LIKE '%%' AND c <> %s AND d = %s AND e = %s"
    params = [1, Constant("it's"), Constant(""), "plain"]
    assert _with_constants(sql, params) == (
        "SELECT 1 WHERE a = %s AND b LIKE '%%' AND c <> 'it''s' AND d = '' AND e = %s"
    )


def test_a_constant_is_the_string_it_is():
    assert Constant("cancelled") == "cancelled"
    assert isinstance(Constant("cancelled"), str)

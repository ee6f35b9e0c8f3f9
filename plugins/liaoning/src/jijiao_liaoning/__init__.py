"""辽宁省 CME rules for jijiao. Hooks in `jijiao_liaoning.plugin`."""

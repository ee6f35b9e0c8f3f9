"""An example provincial plugin, as a regional team would write it (test fixture, not policy)."""

"""Every computable clause of this plugin's document has a scenario among the features it ships."""

from jijiao.coverage import report


def test_every_computable_clause_of_the_example_document_is_covered(jijiao_registry):
    documents, unknown = report(jijiao_registry, plugins=["zhejiang_example"])
    (document,) = documents
    assert document.document == "example-zj"
    assert unknown == []
    assert document.uncovered == []

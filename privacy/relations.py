"""Every table that points at a candidate, found in the model registry rather than listed by hand.

The erasure deletes through it and the export reads through it, so a table another app adds later is
erased and exported without anyone remembering to add it here (tests/privacy check both).
"""

from django.db import models

from candidates.models import Candidate


def candidate_relations() -> list[models.ForeignObjectRel]:
    """The relations of other tables to ``Candidate``: hidden ones (``related_name="+"``) and the
    tables of many-to-many fields included, in a stable order."""
    relations = [
        relation
        for relation in Candidate._meta.get_fields(include_hidden=True)
        if isinstance(relation, models.ForeignObjectRel) and relation.field.concrete
    ]
    return sorted(relations, key=lambda relation: (relation.related_model._meta.label, relation.field.name))

"""The writes of the costs app (``costs.services.entries``)."""

from costs.services.entries import (
    CostError,
    case_cost_record,
    case_cost_refund,
    case_cost_void,
    may_record_costs,
)

__all__ = ["CostError", "case_cost_record", "case_cost_refund", "case_cost_void", "may_record_costs"]

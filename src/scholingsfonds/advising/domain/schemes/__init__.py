"""Financing schemes and how they stack over the cost of one training (pure).

- `model`: the vocabulary, a scheme, the facts of one person and training, the stack;
- `parsing`: the scheme file (policies/schemes/*.toml) as a typed model;
- `rules`: the conditions of a scheme that is not a regional fund, one outcome each;
- `stacking`: who pays what, in which order (a regional fund by its policy's rules).

The public names are re-exported here, so callers import from the package.
"""

from scholingsfonds.advising.domain.schemes.model import (
    DEFAULT_PAYER,
    KINDS,
    OWN_CONTRIBUTION,
    PAYERS,
    PROVIDER_KINDS,
    ROUTES,
    SECTORS,
    TRAINING_LEVELS,
    WORK_STATUSES,
    Scheme,
    Stack,
    StackFacts,
    StackPart,
)
from scholingsfonds.advising.domain.schemes.parsing import (
    SchemeFile,
    check_no_overlap,
    read_scheme,
    scheme_from_dict,
)
from scholingsfonds.advising.domain.schemes.rules import LATER_RULES, RULE_IDS
from scholingsfonds.advising.domain.schemes.stacking import (
    compute_stack,
    offered_schemes,
    regional_fund_limit_cents,
)
from scholingsfonds.core.domain.rules import LABOUR_MARKET_RESULTS, SCHEME_CAP_SHAPES

__all__ = [
    "DEFAULT_PAYER",
    "KINDS",
    "LABOUR_MARKET_RESULTS",
    "LATER_RULES",
    "OWN_CONTRIBUTION",
    "PAYERS",
    "PROVIDER_KINDS",
    "ROUTES",
    "RULE_IDS",
    "SCHEME_CAP_SHAPES",
    "SECTORS",
    "TRAINING_LEVELS",
    "WORK_STATUSES",
    "Scheme",
    "SchemeFile",
    "Stack",
    "StackFacts",
    "StackPart",
    "check_no_overlap",
    "compute_stack",
    "offered_schemes",
    "read_scheme",
    "regional_fund_limit_cents",
    "scheme_from_dict",
]

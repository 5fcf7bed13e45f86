# This file is part of saccos.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.exceptions import UserError
from trytond.model.exceptions import ValidationError


class SavingsAccountError(ValidationError):
    pass


class ProductError(ValidationError):
    pass


class SavingsTransactionError(UserError):
    pass


class SavingsHoldError(UserError):
    pass


class ContributionImportError(UserError):
    pass

# This file is part of saccos.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.exceptions import UserError
from trytond.model.exceptions import ValidationError


class LoanProductError(ValidationError):
    pass


class LoanError(ValidationError):
    pass


class LoanTransitionError(UserError):
    pass


class LoanPaymentError(UserError):
    pass


class GuaranteeError(ValidationError):
    pass

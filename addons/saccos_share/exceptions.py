# This file is part of saccos.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.exceptions import UserError
from trytond.model.exceptions import ValidationError


class ShareProductError(ValidationError):
    pass


class ShareAccountError(ValidationError):
    pass


class ShareTransactionError(UserError):
    pass

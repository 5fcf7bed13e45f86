# This file is part of saccos.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.exceptions import UserError, UserWarning
from trytond.model.exceptions import ValidationError


class MemberStatusError(UserError):
    pass


class KYCError(ValidationError):
    pass


class KYCIncompleteError(UserError):
    pass


class IdentifierError(ValidationError):
    pass


class NomineeError(ValidationError):
    pass


class GroupMembershipError(ValidationError):
    pass


class FeeError(UserError):
    pass


class PaymentAccountError(UserError):
    pass


class LedgerError(UserError):
    pass


class ImportError_(UserError):
    pass


class SubscriptionWarning(UserWarning):
    pass

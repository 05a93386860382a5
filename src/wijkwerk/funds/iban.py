"""Bank accounts: IBANs checked by schwifty (country, length, structure, check digits and, where
the country has one, the national check), stored compact and shown masked."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from schwifty import BIC, IBAN
from schwifty import exceptions as errors

MASK = "•"


def check_iban(text: str) -> str:
    """The IBAN in compact form ("NL91ABNA0417164300"); a ValidationError says what is wrong."""
    value = "".join((text or "").split()).upper()
    if not value:
        raise ValidationError(_("Enter an IBAN."), code="iban_missing")
    try:
        return IBAN(value, validate_bban=True).compact
    except errors.InvalidCountryCode as error:
        raise ValidationError(
            _("%(iban)s does not start with a known country code (such as NL).")
            % {"iban": value[:34]},
            code="iban_country",
        ) from error
    except errors.InvalidLength as error:
        raise ValidationError(
            _("%(iban)s has the wrong number of characters for an IBAN of this country.")
            % {"iban": value[:34]},
            code="iban_length",
        ) from error
    except errors.InvalidChecksumDigits as error:
        raise ValidationError(
            _("%(iban)s is not a valid IBAN: check for a typing error.") % {"iban": value[:34]},
            code="iban_checksum",
        ) from error
    except errors.SchwiftyException as error:
        raise ValidationError(
            _("%(iban)s is not a valid IBAN.") % {"iban": value[:34]}, code="iban_invalid"
        ) from error


def check_bic(text: str) -> str:
    value = "".join((text or "").split()).upper()
    try:
        return str(BIC(value))
    except errors.SchwiftyException as error:
        raise ValidationError(
            _("%(bic)s is not a valid BIC.") % {"bic": value[:11]}, code="bic_invalid"
        ) from error


def mask_iban(iban: str) -> str:
    """ "NL91ABNA0417164300" -> "NL91 •••• •••• •• 4300": enough to recognise one's own account,
    not enough to use it. Empty stays empty."""
    if not iban:
        return ""
    hidden = MASK * (len(iban) - 8)
    groups = [hidden[i : i + 4] for i in range(0, len(hidden), 4)]
    return " ".join([iban[:4], *groups, iban[-4:]])

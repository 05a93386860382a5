"""Texts of the framework whose Dutch we say ourselves. Named here so that `makemessages` keeps
them in core's catalogue, which Django reads before its own: no English on a Dutch page, also
where a form uses the default (Django 6.1's new empty choice of a select, its new message for a
too short password, which its Dutch catalogue does not have yet), and residents are
addressed with "je" where Django's own Dutch says "u" (the password rules, the old-password
check of the password change, the formsets' management form).
"""

from django.utils.translation import gettext_noop, ngettext

FRAMEWORK_TEXTS = (
    gettext_noop("- Select an option -"),
    # django.contrib.auth.password_validation: the rules under a new password
    gettext_noop("Your password can’t be too similar to your other personal information."),
    gettext_noop("Your password can’t be a commonly used password."),
    gettext_noop("Your password can’t be entirely numeric."),
    # django.contrib.auth.forms.PasswordChangeForm
    gettext_noop("Your old password was entered incorrectly. Please enter it again."),
    # django.forms.formsets
    gettext_noop(
        "ManagementForm data is missing or has been tampered with. Missing fields: "
        "%(field_names)s. You may need to file a bug report if the issue persists."
    ),
)


def _plural_texts(count: int) -> tuple[str, ...]:
    """Never called: names the plural texts for `makemessages` (there is no ngettext_noop)."""
    return (
        ngettext(
            "Your password must contain at least %(min_length)d character.",
            "Your password must contain at least %(min_length)d characters.",
            count,
        ),
        ngettext(
            "This password is too short. It must contain at least %d character.",
            "This password is too short. It must contain at least %d characters.",
            count,
        ),
    )

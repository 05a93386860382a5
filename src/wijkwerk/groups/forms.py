from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from wijkwerk.areas.forms import GroupedAreaChoiceField
from wijkwerk.areas.models import GroupRole, JoinPolicy
from wijkwerk.initiatives.forms import DesignSystemMixin

from .models import DESCRIPTION_MAX, MESSAGE_MAX
from .services import INTEREST_MAX, NAME_MAX, SENDER_NAME_MAX


class GroupForm(DesignSystemMixin, forms.Form):
    name = forms.CharField(
        label=_("Name of the group"),
        max_length=NAME_MAX,
        help_text=_("For example “Buurtpreventie Vlasakker” or “Moestuin Dorst-Zuid”."),
    )
    area = GroupedAreaChoiceField(
        label=_("Area"),
        help_text=_("The street or neighbourhood the group is about, or where it meets."),
        error_messages={
            "required": _("Choose the area of the group."),
            "invalid_choice": _("Choose an area of your own municipality."),
        },
    )
    interest = forms.CharField(
        label=_("Theme"),
        max_length=INTEREST_MAX,
        required=False,
        help_text=_("What the group is about, in a few words: “greenery”, “safety”, “care”."),
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=DESCRIPTION_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What the group does and who it is for. Plain text."),
    )
    join_policy = forms.ChoiceField(
        label=_("How do people join?"),
        choices=JoinPolicy.choices,
        initial=JoinPolicy.OPEN,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, areas: Any = None, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["area"]
        else:
            self.fields["area"].queryset = areas  # type: ignore[attr-defined]


class JoinForm(DesignSystemMixin, forms.Form):
    message = forms.CharField(
        label=_("Message to the contact persons"),
        max_length=MESSAGE_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Who you are and why you want to join, if you like."),
    )


class ContactForm(DesignSystemMixin, forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=SENDER_NAME_MAX)
    email = forms.EmailField(
        label=_("Your e-mail address"),
        help_text=_("The contact persons answer you at this address."),
    )
    message = forms.CharField(
        label=_("Message"), max_length=MESSAGE_MAX, widget=forms.Textarea(attrs={"rows": 6})
    )


class InviteForm(DesignSystemMixin, forms.Form):
    email = forms.EmailField(
        label=_("E-mail address of the person you invite"),
        help_text=_("They get a link that works once, for two weeks."),
    )


class MemberChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.user.display_name)


class LeaveForm(DesignSystemMixin, forms.Form):
    successor = MemberChoice(
        label=_("Who takes over as contact person?"),
        queryset=None,
        required=False,
        empty_label=_("Choose a member"),
    )

    def __init__(self, *args: Any, members: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["successor"].queryset = members  # type: ignore[attr-defined]


class RoleForm(DesignSystemMixin, forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=GroupRole.choices)


class WorkerForm(DesignSystemMixin, forms.Form):
    worker: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Community worker"),
        queryset=None,
        empty_label=_("Choose a community worker"),
    )

    def __init__(self, *args: Any, workers: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["worker"]
        field.queryset = workers  # type: ignore[attr-defined]
        field.label_from_instance = lambda user: user.display_name  # type: ignore[attr-defined]


class DissolveForm(DesignSystemMixin, forms.Form):
    confirm = forms.BooleanField(
        label=_("Yes, dissolve the group and remove its members, requests and messages"),
        error_messages={"required": _("Tick the box to confirm that you dissolve the group.")},
    )

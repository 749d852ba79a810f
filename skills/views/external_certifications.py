"""Certifications earned elsewhere: the person's list and the form to record one (or correct and resend one that
was not confirmed), one certification's page with its evidence, the decider's queue and decision form.

Anyone who may not see a certification (another learner, a manager outside the person's chain, a visitor) gets
404 on every route, the evidence file included, and nothing changes."""

from functools import wraps

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, ConditionalRadios, Field, Layout
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from skills.enums import ExternalCertificationStatus
from skills.forms import REASON_LIMIT, GDSFormMixin, LongTextField, RevealQuestion
from skills.selectors.external_certifications import (
    external_certification_get_visible_to,
    external_certification_may_decide,
    external_certifications_of,
    external_certifications_queue_page,
)
from skills.selectors.people import person_for_user
from skills.services import (
    CertificationDetails,
    ExternalCertificationError,
    NotAllowed,
    external_certification_decide,
    external_certification_record,
    external_certification_resubmit,
    external_certification_withdraw,
)
from skills.services.external_certifications import EVIDENCE_MAX_BYTES
from skills.views.access import person_required


def account_required(view):
    """Sign-in required; `request.person` is the account's profile or None. For the pages a training
    administrator uses whether or not they have a skills profile of their own (one certification, its evidence,
    the queue, the decision); the selectors decide what the account may see."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        request.person = person_for_user(user=request.user)
        return view(request, *args, **kwargs)

    return wrapped


class ExternalCertificationForm(GDSFormMixin, forms.Form):
    """What a person records about a certification earned elsewhere. The services check the rest (the file's
    content, the dates against today) and their refusals show on the form, with everything typed kept."""

    submit_label = "Send for confirmation"

    name = forms.CharField(
        label="Certification",
        help_text="As the certificate names it, for example AWS Certified Solutions Architect – Associate.",
        max_length=200,
        error_messages={"required": "Enter the certification's name"},
    )
    issuer = forms.CharField(
        label="Issued by",
        help_text="The organisation that awarded it, for example Amazon Web Services or PeopleCert.",
        max_length=200,
        error_messages={"required": "Enter who issued the certification"},
    )
    credential_number = forms.CharField(
        label="Credential number (optional)",
        help_text="If the certificate has one, so it can be checked with the issuer.",
        max_length=100,
        required=False,
    )
    issued_on = DateInputField(label="Date issued", help_text="For example, 27 3 2025.", require_all_fields=False)
    expires_on = DateInputField(
        label="Expiry date (optional)",
        help_text="Leave it empty if it does not expire. For example, 27 3 2028.",
        require_all_fields=False,
        required=False,
    )
    evidence = forms.FileField(
        label="Evidence",
        help_text=f"The certificate or the issuer's confirmation: a PDF, PNG or JPEG, smaller than "
        f"{EVIDENCE_MAX_BYTES // (1024 * 1024)} MB. Only you, your line management and the training team can see "
        "it. If there is a problem with the form, choose the file again.",
        error_messages={
            "required": "Choose the file that shows the certification",
            "empty": "The selected file is empty",
        },
    )

    def __init__(self, *args, evidence_required: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not evidence_required:
            self.fields["evidence"].required = False
            self.fields["evidence"].label = "New evidence (optional)"
            self.submit_label = "Send again for confirmation"
        self.build_helper(
            Field.text("name"),
            Field.text("issuer"),
            Field.text("credential_number", field_width=20),
            Field("issued_on"),
            Field("expires_on"),
            Field("evidence"),
        )

    def clean(self):
        cleaned = super().clean()
        issued_on, expires_on = cleaned.get("issued_on"), cleaned.get("expires_on")
        if issued_on and expires_on and expires_on <= issued_on:
            self.add_error("expires_on", "The expiry date must be after the date it was issued")
        return cleaned

    @property
    def details(self) -> CertificationDetails:
        data = self.cleaned_data
        return CertificationDetails(
            name=data["name"],
            issuer=data["issuer"],
            credential_number=data["credential_number"],
            issued_on=data["issued_on"],
            expires_on=data["expires_on"],
        )

    def add_service_error(self, error: ExternalCertificationError) -> None:
        """Put a service's refusal on the field it is about, where it names one, else above the form."""
        text = str(error)
        field = next(
            (
                name
                for name, words in (
                    ("evidence", ("file", "MB")),
                    ("expires_on", ("expiry",)),
                    ("issued_on", ("date it was issued must",)),
                    ("credential_number", ("credential number",)),
                    ("issuer", ("issuer",)),
                    ("name", ("name:",)),
                )
                if any(word in text for word in words)
            ),
            None,
        )
        self.add_error(field, text)


class DecisionForm(forms.Form):
    """Confirm, or do not confirm with the reason the person reads (revealed under the choice)."""

    CONFIRM, REJECT = "confirm", "reject"

    decision = forms.ChoiceField(
        label="Your decision",
        widget=forms.RadioSelect,
        choices=[(CONFIRM, "Confirm it"), (REJECT, "Do not confirm it")],
        error_messages={
            "required": "Choose whether to confirm the certification",
            "invalid_choice": "Choose whether to confirm the certification",
        },
    )
    reason = LongTextField(
        label="Why not",
        help_text="The person reads this and can correct the certification and send it again.",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        limit=REASON_LIMIT,
        noun="The reason",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            ConditionalRadios(
                "decision",
                RevealQuestion("Confirm it"),
                RevealQuestion(
                    "Do not confirm it", Field.textarea("reason", max_characters=REASON_LIMIT, threshold=75)
                ),
            ),
            Button("submit", "Save decision"),
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == self.REJECT and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", "Enter why it is not confirmed: the person reads this")
        return cleaned


def _visible(request, certification_id):
    certification = external_certification_get_visible_to(
        user=request.user, viewer=request.person, certification_id=certification_id
    )
    if certification is None:
        raise Http404
    return certification


@person_required
def external_certifications(request):
    """The signed-in person's certifications earned elsewhere, newest first, with where each stands."""
    return render(
        request,
        "skills/certificates/external/list.html",
        {
            "certifications": external_certifications_of(person=request.person),
            "statuses": ExternalCertificationStatus,
        },
    )


@person_required
def external_certification_record_view(request):
    """Record a certification earned elsewhere; it waits for the line manager's confirmation."""
    form = ExternalCertificationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            certification = external_certification_record(
                person=request.person, details=form.details, evidence=form.cleaned_data["evidence"], actor=request.user
            )
        except ExternalCertificationError as error:
            form.add_service_error(error)
        else:
            messages.success(
                request,
                f"Your {certification.name} certification is waiting for confirmation. "
                + ("Your line manager has been told." if request.person.line_manager_id else ""),
            )
            return redirect("skills:external-certification", certification_id=certification.pk)
    return render(request, "skills/certificates/external/form.html", {"form": form, "certification": None})


@account_required
def external_certification(request, certification_id):
    """One certification as its person, their management, a decider or a training administrator sees it."""
    certification = _visible(request, certification_id)
    return render(
        request,
        "skills/certificates/external/detail.html",
        {
            "certification": certification,
            "is_own": request.person is not None and certification.person_id == request.person.pk,
            "may_decide": certification.status == ExternalCertificationStatus.WAITING
            and external_certification_may_decide(user=request.user, certification=certification),
            "statuses": ExternalCertificationStatus,
        },
    )


@person_required
def external_certification_edit(request, certification_id):
    """Correct a certification that was not confirmed and send it again. Only its person; 404 for anyone else."""
    certification = _visible(request, certification_id)
    if certification.person_id != request.person.pk:
        raise Http404
    if certification.status != ExternalCertificationStatus.REJECTED:
        return redirect("skills:external-certification", certification_id=certification.pk)
    initial = {
        "name": certification.name,
        "issuer": certification.issuer,
        "credential_number": certification.credential_number,
        "issued_on": certification.issued_on,
        "expires_on": certification.expires_on,
    }
    form = ExternalCertificationForm(
        request.POST or None, request.FILES or None, initial=initial, evidence_required=False
    )
    if request.method == "POST" and form.is_valid():
        try:
            external_certification_resubmit(
                certification=certification,
                details=form.details,
                evidence=form.cleaned_data.get("evidence"),
                actor=request.user,
            )
        except ExternalCertificationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, f"Your {form.details.name} certification is waiting for confirmation again.")
            return redirect("skills:external-certification", certification_id=certification.pk)
    return render(request, "skills/certificates/external/form.html", {"form": form, "certification": certification})


@require_POST
@person_required
def external_certification_withdraw_view(request, certification_id):
    """Withdraw one's own certification while it waits. 404 for anyone else's, and nothing changes."""
    certification = _visible(request, certification_id)
    if certification.person_id != request.person.pk:
        raise Http404
    try:
        external_certification_withdraw(certification=certification, actor=request.user)
    except NotAllowed:
        raise Http404 from None
    except ExternalCertificationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"You have withdrawn your {certification.name} certification.")
    return redirect("skills:external-certifications")


@account_required
def external_certification_evidence(request, certification_id):
    """The evidence file, to those who may see the certification: sent as a download of the type its content was
    checked to be, never shown inline, never cached."""
    certification = _visible(request, certification_id)
    try:
        handle = certification.evidence.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=True, filename=certification.evidence_name, content_type=certification.evidence_type
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@account_required
def external_certifications_queue(request):
    """The certifications waiting for the viewer's decision (their team's, those of managers they cover for,
    everyone's for a training administrator), oldest first, 50 a page."""
    page = external_certifications_queue_page(
        user=request.user, viewer=request.person, page_number=request.GET.get("page")
    )
    return render(request, "skills/certificates/external/queue.html", {"page_obj": page})


@account_required
def external_certification_decide_view(request, certification_id):
    """Confirm or reject a waiting certification. Anyone who may not decide it gets 404; once decided, the page
    says so and offers no form."""
    certification = _visible(request, certification_id)
    if not external_certification_may_decide(user=request.user, certification=certification):
        raise Http404
    if certification.status != ExternalCertificationStatus.WAITING:
        messages.info(request, "This certification is no longer waiting for a decision.")
        return redirect("skills:external-certification", certification_id=certification.pk)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        confirm = form.cleaned_data["decision"] == form.CONFIRM
        try:
            external_certification_decide(
                certification=certification, confirm=confirm, reason=form.cleaned_data["reason"], actor=request.user
            )
        except NotAllowed:
            raise Http404 from None
        except ExternalCertificationError as error:
            form.add_error(None, str(error))
        else:
            name = certification.person.user.get_full_name()
            messages.success(
                request,
                f"{name}'s {certification.name} certification is {'confirmed' if confirm else 'not confirmed'}. "
                "They have been told.",
            )
            return redirect("skills:external-certifications-queue")
    return render(
        request,
        "skills/certificates/external/decide.html",
        {"certification": certification, "form": form},
    )

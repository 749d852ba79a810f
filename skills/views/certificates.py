"""Certificates: the ones a person holds (for themselves and their line management), one certificate's record
(with revoking, for training administrators), and the public verification page a certificate's link and QR code
lead to. Who may see a certificate is decided by `skills.selectors.certificates`; everyone else gets 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from skills.forms import CertificateRevokeForm
from skills.selectors.certificates import (
    certificate_by_token,
    certificate_get_visible_to,
    certificate_standing,
    certificate_verification_url,
    certificates_held,
)
from skills.selectors.people import person_for_user
from skills.services.certificates import REVOKE_PERMISSION, CertificateError, certificate_revoke
from skills.services.errors import NotAllowed
from skills.views.access import person_required, visible_person


def _with_standing(certificates):
    for certificate in certificates:
        certificate.standing = certificate_standing(certificate)
        certificate.share_url = certificate_verification_url(certificate)
    return certificates


def _held(request, person, *, is_self: bool):
    page = certificates_held(person=person, page_number=request.GET.get("page"))
    _with_standing(page.object_list)
    return render(
        request,
        "skills/certificates/list.html",
        {"person": person, "is_self": is_self, "page_obj": page, "certificates": page.object_list},
    )


@person_required
def certificates(request):
    """Every certificate the signed-in person holds, with its share link."""
    return _held(request, request.person, is_self=True)


@person_required
def team_member_certificates(request, person_id):
    """A team member's certificates, for anyone in their line-management chain (404 for everyone else)."""
    person = visible_person(request.person, person_id)
    return _held(request, person, is_self=person.pk == request.person.pk)


@login_required
def certificate(request, certificate_id):
    """One certificate's record: the holder, their line-management chain and training administrators see it,
    and training administrators can revoke it here. Anyone else, and anyone else's POST, gets 404."""
    viewer = person_for_user(user=request.user)
    found = certificate_get_visible_to(user=request.user, viewer=viewer, certificate_id=certificate_id)
    if found is None:
        raise Http404
    may_revoke = request.user.has_perm(REVOKE_PERMISSION) and found.revoked_at is None
    form = CertificateRevokeForm(request.POST or None) if may_revoke else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                certificate_revoke(certificate=found, reason=form.cleaned_data["reason"], actor=request.user)
            except NotAllowed as error:
                raise Http404 from error
            except CertificateError as error:
                form.add_error("reason", str(error))
            else:
                messages.success(request, f"Certificate {found.number} revoked.")
                return redirect("skills:certificate", certificate_id=found.pk)
    _with_standing([found])
    return render(
        request,
        "skills/certificates/detail.html",
        {
            "certificate": found,
            "is_holder": viewer is not None and viewer.pk == found.holder_id,
            "form": form,
            "renews": found.renews,
            "renewed_by": getattr(found, "renewed_by", None),
        },
    )


@never_cache
def certificate_verify(request, token):
    """The public verification page (`VERIFICATION_PATH`): what a verifier needs and nothing more. An unknown and
    a malformed token are both the site's ordinary 404. Routed, and rate-limited per client address, in
    `cms.urls` (decision 0209)."""
    found = certificate_by_token(token)
    if found is None:
        raise Http404
    response = render(
        request,
        "skills/certificates/verify.html",
        {"certificate": found, "standing": certificate_standing(found)},
    )
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response

"""The Open Badges routes: the issuer's DID document and the revocation status list (public, cached briefly), and
a certificate's credential as JSON-LD or as a VC-JWT (for those who may see the certificate; 404 for anyone
else, as every certificate route answers)."""

import json
import logging

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET

from skills.credentials.credential import JSON_LD, JWT, credential_download
from skills.credentials.errors import CredentialsUnavailable
from skills.credentials.keys import did_document as did_document_build
from skills.credentials.status_list import status_list_current
from skills.selectors.certificates import certificate_get_visible_to
from skills.selectors.people import person_for_user
from skills.services.errors import NotAllowed

logger = logging.getLogger(__name__)
# Media types wallets and verifiers accept: a VC Data Model 2.0 credential is JSON-LD, the VC-JWT a JWT (RFC 7519).
JSON_LD_MEDIA_TYPE = "application/ld+json"
JWT_MEDIA_TYPE = "application/jwt"
DID_DOCUMENT_MAX_AGE = 300


def _unavailable(request, error: CredentialsUnavailable) -> HttpResponse:
    logger.error("Credential download refused: %s", error)
    return render(request, "skills/credential_unavailable.html", status=503)


@require_GET
def did_document(request):
    """/.well-known/did.json: the did:web document listing every signing key, in use or retired."""
    response = JsonResponse(did_document_build(), content_type="application/did+json")
    response["Access-Control-Allow-Origin"] = "*"
    patch_cache_control(response, public=True, max_age=DID_DOCUMENT_MAX_AGE)
    return response


@require_GET
def status_list(request):
    """The signed revocation status list, as last made: one read."""
    try:
        row = status_list_current()
    except CredentialsUnavailable as error:
        logger.error("Status list unavailable: %s", error)
        return HttpResponse("The status list is not available yet.", status=503, content_type="text/plain")
    response = HttpResponse(json.dumps(row.credential), content_type=JSON_LD_MEDIA_TYPE)
    response["Access-Control-Allow-Origin"] = "*"
    patch_cache_control(response, public=True, max_age=settings.CAPABILITY_STATUS_LIST_MAX_AGE)
    return response


def _download(request, certificate_id: int, form: str) -> HttpResponse:
    certificate = certificate_get_visible_to(
        user=request.user, viewer=person_for_user(user=request.user), certificate_id=certificate_id
    )
    if certificate is None:
        raise Http404
    try:
        body = credential_download(actor=request.user, certificate=certificate, form=form)
    except NotAllowed as error:
        raise Http404 from error
    except CredentialsUnavailable as error:
        return _unavailable(request, error)
    media_type, extension = (JWT_MEDIA_TYPE, "jwt") if form == JWT else (JSON_LD_MEDIA_TYPE, "json")
    response = HttpResponse(body, content_type=f"{media_type}; charset=utf-8" if form == JSON_LD else media_type)
    response["Content-Disposition"] = f'attachment; filename="certificate-{certificate.number}.{extension}"'
    patch_cache_control(response, private=True, no_store=True)
    return response


@login_required
@require_GET
def certificate_credential(request, certificate_id: int):
    """The Open Badges credential with its Data Integrity proof, for a wallet or a verifier."""
    return _download(request, certificate_id, JSON_LD)


@login_required
@require_GET
def certificate_credential_jwt(request, certificate_id: int):
    """The same credential as a VC-JWT (Open Badges 3.0 §8.2)."""
    return _download(request, certificate_id, JWT)

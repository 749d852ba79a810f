// Passkeys (decision 0216): django-otp-webauthn's scripts run the ceremony and announce the outcome with events.
// Once a new passkey is saved, go on to the page that names it (the server says where). Nothing else here: the
// pages work without this file, and without JavaScript they say how to use the authenticator app instead.
document.addEventListener("otp_webauthn.register_complete", (event) => {
  const next = event.detail?.response?.redirect_url;
  if (typeof next === "string" && next.startsWith("/") && !next.startsWith("//")) {
    window.location.assign(next);
  }
});

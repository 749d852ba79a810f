"""The personal data Wagtail keeps for the service, and the task results' backend, for the register in
`skills.personal_data` (docs/decisions/0214); with the Wagtail models that can name any object but were found to
hold no personal data, and why."""

from skills.personal_data import NoPersonalData, PersonalDataModel, PersonalDataStore, Retention

EDITORS = "editors and moderators in the Wagtail admin"

PERSONAL_DATA = (
    # --- The audit log (decision 0002) ----------------------------------------------------------------------
    PersonalDataModel(
        model="wagtailcore.ModelLogEntry",
        fields=("user", "label", "data", "timestamp"),
        names=("user",),
        generic=("content_type", "object_id"),
        purpose=(
            "The audit log every service writes: who did what to which record. `label` is the record's name when it "
            "was logged (a person's name, for a person or their account); `data` what the action was about."
        ),
        seen_by="admin users, in the site history and each record's history, as far as they may see the record",
        retention=Retention.AUDIT,
    ),
    PersonalDataModel(
        model="wagtailcore.PageLogEntry",
        fields=("user", "label", "data", "timestamp"),
        names=("user",),
        purpose="The audit log of pages: who created, edited, published or moved which page.",
        seen_by=EDITORS,
        retention=Retention.AUDIT,
    ),
    # --- Moderation -------------------------------------------------------------------------------------------
    PersonalDataModel(
        model="wagtailcore.WorkflowState",
        fields=("requested_by", "created_at"),
        names=("requested_by",),
        generic=("base_content_type", "object_id"),
        purpose="A page or release publication in moderation, and who submitted it.",
        seen_by=EDITORS,
        retention=Retention.AUDIT,
    ),
    PersonalDataModel(
        model="wagtailcore.TaskState",
        fields=("finished_by", "finished_at", "comment"),
        names=("finished_by",),
        purpose="One moderation step: who approved or rejected it, and their comment.",
        seen_by=EDITORS,
        retention=Retention.AUDIT,
    ),
    # --- Content and its history ------------------------------------------------------------------------------
    PersonalDataModel(
        model="wagtailcore.Page",
        fields=("owner", "locked_by", "locked_at"),
        names=("owner", "locked_by"),
        purpose="Who created each page, and who holds its editing lock.",
        seen_by=EDITORS,
        retention=Retention.EDITORIAL,
    ),
    PersonalDataModel(
        model="wagtailcore.Revision",
        fields=("user", "object_str", "content", "created_at"),
        names=("user",),
        generic=("content_type", "object_id"),
        purpose=(
            "Each saved version of a page or release publication, and who saved it; `content` holds the object's "
            "fields as saved, its owner's or requester's account among them."
        ),
        seen_by=EDITORS,
        retention=Retention.EDITORIAL,
    ),
    PersonalDataModel(
        model="wagtailcore.Comment",
        fields=("user", "text", "created_at", "resolved_by", "resolved_at"),
        names=("user", "resolved_by"),
        purpose="Editors' comments on a page draft.",
        seen_by=EDITORS,
        retention=Retention.EDITORIAL,
    ),
    PersonalDataModel(
        model="wagtailcore.CommentReply",
        fields=("user", "text", "created_at"),
        names=("user",),
        purpose="Replies to editors' comments.",
        seen_by=EDITORS,
        retention=Retention.EDITORIAL,
    ),
    PersonalDataModel(
        model="wagtailcore.PageSubscription",
        fields=("user", "comment_notifications"),
        about=("user",),
        purpose="Whether an editor is e-mailed about comments on a page.",
        seen_by="the editor",
        retention=Retention.EDITORIAL,
    ),
    PersonalDataModel(
        model="wagtailimages.Image",
        fields=("uploaded_by_user",),
        names=("uploaded_by_user",),
        purpose="Who uploaded an image.",
        seen_by=EDITORS,
        retention=Retention.EDITORIAL,
    ),
    PersonalDataModel(
        model="wagtaildocs.Document",
        fields=("uploaded_by_user",),
        names=("uploaded_by_user",),
        purpose="Who uploaded a document.",
        seen_by=EDITORS,
        retention=Retention.EDITORIAL,
    ),
    # --- Editors' accounts and working state --------------------------------------------------------------
    PersonalDataModel(
        model="wagtailusers.UserProfile",
        fields=(
            "user",
            "avatar",
            "preferred_language",
            "current_time_zone",
            "theme",
            "contrast",
            "density",
            "keyboard_shortcuts",
            "dismissibles",
            "submitted_notifications",
            "approved_notifications",
            "rejected_notifications",
            "updated_comments_notifications",
        ),
        about=("user",),
        purpose="An admin user's preferences and the picture they chose for their account (`avatar`, a media file).",
        seen_by="the admin user; other editors see the avatar",
        retention=Retention.PERSON_RECORD,
    ),
    PersonalDataModel(
        model="wagtailadmin.EditingSession",
        fields=("user", "last_seen_at", "is_editing"),
        about=("user",),
        generic=("content_type", "object_id"),
        purpose="Who has a page or snippet open in the editor, to warn others who open it.",
        seen_by="other editors of the same object",
        retention=Retention.TRANSIENT,
    ),
    PersonalDataModel(
        model="wagtailadmin.FormState",
        fields=("user", "data", "last_updated_at"),
        about=("user",),
        generic=("content_type", "object_id"),
        purpose="An editor's unsaved form, kept for the preview.",
        seen_by="the editor",
        retention=Retention.TRANSIENT,
    ),
    PersonalDataModel(
        model="wagtailcore.UploadedFile",
        fields=("file", "uploaded_by_user"),
        names=("uploaded_by_user",),
        purpose="A file uploaded through the multiple uploader, until its image or document is saved.",
        seen_by="the editor who uploaded it",
        retention=Retention.TRANSIENT,
    ),
    # --- Outside the tables ---------------------------------------------------------------------------------
    PersonalDataStore(
        name="celery-results",
        location="CELERY_RESULT_BACKEND: Redis in production, memory in the embedded default",
        holds=(
            "What each task returned (ids, counts, statuses, a certificate PDF's storage key) and, for a task that "
            "failed, its error message and traceback, which may quote a value (an address a mail server refused)."
        ),
        found_by="not by person: results are keyed by task id; they expire after CELERY_RESULT_EXPIRES (a day)",
        purpose="The outcome of background tasks, for the worker and for whoever queued them.",
        seen_by="nobody in the service",
        retention=Retention.TRANSIENT,
    ),
    # --- Looked at, and found to hold none ------------------------------------------------------------------
    NoPersonalData(
        model="wagtailsearch.IndexEntry",
        reason=(
            "It holds the searchable text of pages, framework content, images and documents; no model that is "
            "about a person is indexed, and search queries are not logged (wagtail.contrib.search_promotions is "
            "not installed). A page's owner and an upload's uploader are filter fields, which the database backend "
            "does not copy here; an OpenSearch or Elasticsearch backend would keep their account ids, and must be "
            "registered when it is configured."
        ),
    ),
    NoPersonalData(
        model="wagtailcore.ReferenceIndex",
        reason="It records which pages, images and documents refer to which; no model about a person is indexed.",
    ),
    NoPersonalData(
        model="taggit.TaggedItem",
        reason="It tags images and documents; no model about a person has tags.",
    ),
    NoPersonalData(
        model="wagtailforms.FormSubmission",
        reason=(
            "No page type of the service is a form page, so nothing is submitted; a form page added later collects "
            "whatever its fields ask, and must be registered then."
        ),
    ),
)

# How erasure finds one person's part of a store (skills.services.erasure; decision 0217).
ERASERS = {"store:celery-results": "cms.core.erasure.celery_results_erase"}

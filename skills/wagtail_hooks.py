from wagtail import hooks


@hooks.register("register_log_actions")
def register_skills_actions(actions):
    actions.register_action("capability.skills.assessment_record", "Record assessment", "Assessment recorded")
    actions.register_action("capability.skills.assessor_requested", "Ask an assessor", "Assessor review requested")
    actions.register_action("capability.skills.evidence_requested", "Ask for evidence", "More evidence requested")
    actions.register_action("capability.skills.carried_forward", "Carry forward", "Levels carried forward")
    actions.register_action("capability.skills.people_import", "Import people", "People imported")
    actions.register_action("capability.skills.person_update", "Update person", "Person updated")

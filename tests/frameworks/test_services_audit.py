"""Every audit action the frameworks services write is registered with Wagtail's log registry."""

import re
from pathlib import Path

import pytest
from wagtail.log_actions import registry as log_registry

import frameworks.services
from frameworks.wagtail_hooks import FRAMEWORK_LOG_ACTIONS

pytestmark = pytest.mark.django_db

# --- audit ---------------------------------------------------------------------------------------------


def test_every_audit_action_the_services_use_is_registered():
    services = Path(frameworks.services.__file__).parent
    used = {
        action
        for module in services.glob("*.py")
        for action in re.findall(r'"(capability\.frameworks\.[a-z_]+)"', module.read_text())
    }
    assert used == {action for action, _, _ in FRAMEWORK_LOG_ACTIONS}
    for action in used:
        assert log_registry.action_exists(action)

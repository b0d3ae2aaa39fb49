"""What the browser tests share: the staff password, the login through the form."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import Page, expect

PASSWORD = "correct123"  # CKAN's factories.User default
EDITOR_ORGANIZATION = "secretaria-de-saude"


def log_in(page: Page, base_url: str, user: dict[str, Any]) -> None:
    """Log in through the portal's (Portuguese) login form."""
    page.goto(f"{base_url}/user/login")
    page.locator("#field-login").fill(user["name"])
    page.locator("#field-password").fill(PASSWORD)
    page.locator("#field-password").locator("xpath=ancestor::form").locator(
        "button[type=submit]").click()
    expect(page).not_to_have_url(re.compile(r"/user/login"))

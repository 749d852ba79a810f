"""Screenshots of the site's main pages for docs/screenshots/, taken from a running server with the demo data.

    .venv/bin/python manage.py runserver 127.0.0.1:8055        # any port but 8000 if `make run` is up
    .venv/bin/python -m tests.e2e.screenshots --base-url http://127.0.0.1:8055 --out docs/screenshots

The dev settings have DEBUG on, so /no-such-page/ shows Django's debug page rather than the site's 404: for
404.png serve with DEBUG off (a settings module outside the repository that imports `cms.settings.dev` and sets
`DEBUG = False`, run with `runserver --insecure` so that static files are still served).
"""

import argparse
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

from tests.conftest import CHROMIUM
from tests.e2e.conftest import CHROMIUM_ARGS

DESKTOP = {"width": 1280, "height": 800}
MOBILE = {"width": 375, "height": 740}


# The Wagtail admin scrolls inside its own layout, so a full-page screenshot of it would be only the window: the
# window is made as tall as the content instead.
CONTENT_HEIGHT = (
    "() => Math.max(...[...document.querySelectorAll('body, main, .content-wrapper')].map(e => e.scrollHeight))"
)


def shoot(page: Page, out: Path, name: str) -> None:
    page.wait_for_load_state("load")
    viewport = page.viewport_size
    page.set_viewport_size(
        {"width": viewport["width"], "height": max(viewport["height"], page.evaluate(CONTENT_HEIGHT))}
    )
    page.screenshot(path=str(out / name), full_page=True, animations="disabled", caret="hide")
    page.set_viewport_size(viewport)
    print(f"wrote {out / name}")


def shoot_capability_reports(page: Page, out: Path, prefix: str) -> None:
    """The HR analyst's capability reports: the dashboard, the heatmap of one of their departments (followed from
    the heatmap's link, as unit ids differ between installations) and the trends."""
    page.goto("/admin/capability/")
    shoot(page, out, f"{prefix}capability-dashboard.png")
    page.goto("/admin/capability/heatmap/")
    with page.expect_navigation():
        page.locator("table[data-report=heatmap-skill]").get_by_role("link", name="Department for Education").click()
    shoot(page, out, f"{prefix}capability-heatmap.png")
    page.goto("/admin/capability/trends/")
    shoot(page, out, f"{prefix}capability-trends.png")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base-url", default="http://127.0.0.1:8055")
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    parser.add_argument("--email", default="learner@capability.example")
    parser.add_argument("--password", default="capability-demo")
    parser.add_argument("--query", default="capability", help="what to search for on search.png")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)

        mobile = browser.new_context(base_url=args.base_url, viewport=MOBILE, locale="en-GB")
        page = mobile.new_page()
        page.goto("/")
        shoot(page, args.out, "mobile-home.png")
        mobile.close()

        desktop = browser.new_context(base_url=args.base_url, viewport=DESKTOP, locale="en-GB")
        page = desktop.new_page()
        page.goto("/")
        shoot(page, args.out, "home.png")
        page.goto("/no-such-page/")
        shoot(page, args.out, "404.png")

        page.goto("/accounts/sign-in/?next=/accounts/")
        shoot(page, args.out, "sign-in.png")
        with page.expect_navigation():
            page.get_by_role("button", name="Sign in").click()
        shoot(page, args.out, "sign-in-errors.png")

        page.get_by_label("Email address").fill(args.email)
        page.get_by_label("Password", exact=True).fill(args.password)
        with page.expect_navigation():
            page.get_by_role("button", name="Sign in").click()
        shoot(page, args.out, "account.png")

        page.goto(f"/search/?q={args.query}")
        shoot(page, args.out, "search.png")
        desktop.close()

        # Each role's own pages, at desktop and phone widths (the demo accounts of README.md).
        for viewport, prefix in ((DESKTOP, ""), (MOBILE, "mobile-")):
            for email, pages in JOURNEYS:
                context = browser.new_context(base_url=args.base_url, viewport=viewport, locale="en-GB")
                page = context.new_page()
                page.goto("/accounts/sign-in/")
                page.get_by_label("Email address").fill(email)
                page.get_by_label("Password", exact=True).fill(args.password)
                with page.expect_navigation():
                    page.get_by_role("button", name="Sign in").click()
                for path, name in pages:
                    page.goto(path)
                    shoot(page, args.out, f"{prefix}{name}")
                if email == HR_ANALYST:
                    shoot_capability_reports(page, args.out, prefix)
                context.close()
        browser.close()


HR_ANALYST = "hr@capability.example"
JOURNEYS = [
    (
        "learner@capability.example",
        [
            ("/dashboard/", "dashboard-learner.png"),
            ("/skills/self-assessment/", "self-assessment-task-list.png"),
            ("/skills/self-assessment/check/", "self-assessment-check-answers.png"),
            ("/skills/gaps/", "gaps.png"),
            ("/skills/role-levels/", "role-levels.png"),
        ],
    ),
    (
        "manager@capability.example",
        [
            ("/dashboard/", "dashboard-manager.png"),
            ("/skills/reviews/", "reviews-queue.png"),
            ("/skills/team/", "team.png"),
        ],
    ),
    ("assessor@capability.example", [("/skills/reviews/", "reviews-assessor.png")]),
    (HR_ANALYST, []),
]


if __name__ == "__main__":
    main()

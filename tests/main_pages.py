"""The main pages of staff and of a consortium leader in ``tests.world``'s world: the pages the
security checks visit (no inline code in the HTML, no CSP violation in a browser)."""


def staff_pages(world):
    pole = world["poles"]["own"].pk
    funded = world["projects"]["funded"].pk
    campaign = world["extra"]["funded:campaign"].pk
    return [
        "/",
        "/projects/",
        f"/projects/{funded}/",
        f"/projects/{funded}/funding/",
        f"/projects/{funded}/history/",
        "/funding/",
        "/impact/",
        f"/impact/{pole}/2026/report/",
        "/directory/?q=lab",
        "/matchmaking/",
        "/launches/",
        "/campaigns/",
        f"/campaigns/{campaign}/",
        "/campaigns/new/",
        "/notifications/",
        f"/poles/{pole}/pipeline/",
        f"/poles/{pole}/committees/",
        f"/poles/{pole}/members/",
        f"/poles/{pole}/applications/",
        f"/poles/{pole}/fees/",
        f"/poles/{pole}/fee-calls/",
        "/memberships/",
        "/audit/",
        f"/audit/?project={funded}",
    ]


def leader_pages(world):
    funded = world["projects"]["funded"].pk
    draft = world["projects"]["draft"].pk
    report = world["extra"]["funded:report"].pk
    return [
        "/",
        "/projects/",
        "/projects/new/",
        f"/projects/{draft}/",
        f"/projects/{draft}/edit/",
        f"/projects/{funded}/",
        f"/projects/{funded}/funding/",
        f"/projects/{funded}/launches/",
        f"/reports/{report}/",
        "/directory/",
        "/matchmaking/",
        "/launches/",
        "/memberships/",
        f"/organisations/{world['organisations']['leader'].pk}/",
    ]

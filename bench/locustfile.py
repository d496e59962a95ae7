"""The virtual users of the load test (bench/load.py runs locust on this file; read its
docstring first). Each one signs in once through the forms as a real person of the scale
data, then clicks through the pages of their role, a few seconds apart, as a browser with
htmx would: full pages, htmx fragments, form posts with the CSRF token read from the pages.

    LOAD_PLAN     the accounts and objects of each role (bench/load.py writes it)
    LOAD_SAMPLES  where every request's time, status and outcome is written at the end
    LOAD_WAIT     seconds between two clicks of one person, "min-max" (5-15)

Each request is named by its kind ("staff: project list, filtered", "leader: milestone
saved"…); a request fails when it does not answer what a browser would need (its status, not
a redirect to the sign-in page, the form or fragment it should hold).
"""

import itertools
import json
import os
import random
import re
import sys
import time
from decimal import Decimal, InvalidOperation
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode

from locust import FastHttpUser, between, events, task
from locust.exception import RescheduleTask, StopUser

ROOT = Path(__file__).resolve().parent.parent
PLAN = json.loads(Path(os.environ["LOAD_PLAN"]).read_text()) if "LOAD_PLAN" in os.environ else {}
WAIT = [float(s) for s in os.environ.get("LOAD_WAIT", "5-15").split("-")]
SAMPLES = []  # (name, method, started, ms, status, error or "")

# The two-factor codes, as the demo's authenticator app makes them (portal.two_factor):
# Django set up for that alone, no database is touched.
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
import django  # noqa: E402

django.setup()
from portal import two_factor  # noqa: E402

DEMO_KEY = two_factor.demo_key_hex()


@events.request.add_listener
def record(request_type, name, response_time, response, exception, start_time=None, **kw):
    status = getattr(response, "status_code", 0) or 0
    error = "" if exception is None else f"{type(exception).__name__}: {exception}"[:300]
    SAMPLES.append((name, request_type, start_time or time.time(), response_time, status, error))


@events.user_error.add_listener
def script_error(user_instance, exception, tb, **kw):
    """An exception of this file's own (not a failed request): counted as an error too."""
    error = f"{type(exception).__name__}: {exception}"[:300]
    SAMPLES.append(("error in bench/locustfile.py", "-", time.time(), 0, 0, error))


@events.quitting.add_listener
def write_samples(environment, **kw):
    if "LOAD_SAMPLES" in os.environ:
        Path(os.environ["LOAD_SAMPLES"]).write_text(json.dumps(SAMPLES))


# ---------------------------------------------------------------------------------------------
# Reading pages as a browser does


class Forms(HTMLParser):
    """Every <form> of a page: its action and the values a browser would send as they are
    (inputs, checked boxes, selected options, text areas); and the links' hx-get targets."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.forms, self.links = [], []
        self._form = self._select = self._textarea = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = {"action": a.get("action") or "", "fields": []}
            self.forms.append(self._form)
        elif tag == "a" and a.get("hx-get"):
            self.links.append(a["hx-get"])
        if self._form is None or not a.get("name") and tag != "option":
            return
        fields = self._form["fields"]
        if tag == "input":
            kind = a.get("type", "text")
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            fields.append([a["name"], a.get("value", "on" if kind == "checkbox" else "")])
        elif tag == "select":
            self._select = {"name": a["name"], "first": None, "chosen": None}
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            if self._select["first"] is None:
                self._select["first"] = value
            if "selected" in a:
                self._select["chosen"] = value
        elif tag == "textarea":
            self._textarea = [a["name"], ""]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select is not None and self._form is not None:
            s = self._select
            value = s["chosen"] if s["chosen"] is not None else s["first"]
            if value is not None:
                self._form["fields"].append([s["name"], value])
            self._select = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            self._form["fields"].append([self._textarea[0], self._textarea[1].lstrip("\n")])
            self._textarea = None

    def form(self, action_pattern=None, having=None):
        """The first form whose action matches ``action_pattern`` (a regex) and which has a
        field named ``having``, as a dict of its fields (None if there is none)."""
        for form in self.forms:
            if action_pattern and not re.search(action_pattern, form["action"]):
                continue
            fields = dict(form["fields"])
            if having and having not in fields:
                continue
            return {"action": form["action"], **fields}
        return None


ERRORS = re.compile(r'class="errorlist[^"]*"[^>]*>(.*?)</ul>|role="alert"[^>]*>(.*?)</', re.S)
CSRF = re.compile(r'"X-CSRFToken": "([^"]+)"|name="csrfmiddlewaretoken" value="([^"]+)"')


def money_plus(text, euros):
    """An amount as the form shows it, plus ``euros``, written as people type it."""
    try:
        value = Decimal(re.sub(r"[\s\u00a0\u202f]", "", text or "0").replace(",", ".") or "0")
    except InvalidOperation:
        value = Decimal(0)
    return f"{value + euros:.2f}"


class Failed(RescheduleTask):
    """This click went wrong (recorded as a failed request): on to the next one."""


# ---------------------------------------------------------------------------------------------
# The people


class Person(FastHttpUser):
    """One signed-in person of ``role`` (a key of the plan): the accounts are dealt out in
    turn, so that no two virtual users share one while there are enough."""

    abstract = True
    role = ""
    wait_time = between(*WAIT)
    network_timeout = 60.0
    connection_timeout = 60.0
    _dealt = {}

    def on_start(self):
        accounts = PLAN[self.role]
        counter = Person._dealt.setdefault(self.role, itertools.count())
        self.account = accounts[next(counter) % len(accounts)]
        self.csrf = ""
        for attempt in range(3):
            try:
                self.static_files(self.sign_in())
                return
            except Failed:
                time.sleep(5 * (attempt + 1))
        raise StopUser  # three failed sign-ins: counted, and this person leaves

    def fail(self, name, message):
        """A failure seen in what a page holds rather than in its status: counted as one."""
        self.environment.events.request.fire(
            request_type="CHECK",
            name=name,
            response_time=0,
            response_length=0,
            response=None,
            context={},
            exception=Failed(message),
        )
        raise Failed(message)

    # -- requests ---------------------------------------------------------------------------

    def get(self, name, url, *, htmx=False, expect=200, must_hold=None, headers=None):
        """The page or fragment at ``url``; a failure unless it answers ``expect`` (redirects
        are not followed: a page answering with a redirect to the sign-in page fails)."""
        headers = dict(headers or {})
        if htmx:
            headers["HX-Request"] = "true"
        with self.client.get(
            url, name=name, headers=headers, allow_redirects=False, catch_response=True
        ) as response:
            return self.check(response, expect, must_hold)

    def post(self, name, url, fields, *, htmx=False, expect=200, must_hold=None):
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "X-CSRFToken": self.csrf,
        }
        if htmx:
            headers["HX-Request"] = "true"
        body = urlencode([(k, v) for k, v in fields.items() if k != "action"])
        with self.client.post(
            url, name=name, data=body, headers=headers, allow_redirects=False, catch_response=True
        ) as response:
            return self.check(response, expect, must_hold)

    def check(self, response, expect, must_hold):
        html = "html" in (response.headers.get("Content-Type") or "")
        text = (response.text or "") if html else ""
        if response.status_code not in (expect if isinstance(expect, tuple) else (expect,)):
            where = response.headers.get("Location", "")
            detail = f" → {where}" if where else ""
            said = ERRORS.findall(text)  # what a form said was wrong
            if said:
                words = (re.sub(r"<[^>]+>|\s+", " ", a or b).strip() for a, b in said)
                detail += ": " + "; ".join(w for w in words if w)[:200]
            response.failure(f"status {response.status_code}{detail}, not {expect}")
            raise Failed
        if must_hold and must_hold not in text:
            response.failure(f"the answer does not hold {must_hold!r}")
            raise Failed
        token = CSRF.search(text)
        if token:
            self.csrf = token.group(1) or token.group(2)
        response.success()
        return response

    def page(self, name, url, **kw):
        """A full page, with its forms and htmx links read."""
        return Forms(self.get(name, url, **kw).text)

    # -- signing in ------------------------------------------------------------------------

    def sign_in(self):
        """The sign-in form (e-mail, password), then the page it leads to; for those with an
        authenticator, that is the code page: the code of the demo's published key, the next
        one if it was used. Returns the home page's HTML."""
        email = self.account["email"]
        form = Forms(self.get("sign-in: form", "/accounts/login/").text).form(having="password")
        form.update(username=email, password=PLAN["password"])
        response = self.post("sign-in: password", "/accounts/login/", form, expect=302)
        home = self.get("home (after sign-in)", response.headers["Location"], expect=(200, 302))
        if home.status_code == 200:
            return home.text
        where = home.headers.get("Location", "")
        if "/login/code/" not in where:
            self.fail("sign-in: code form", f"{email}: sent to {where}, not the code page")
        form = Forms(self.get("sign-in: code form", where).text).form(having="code")
        if form is None:
            self.fail("sign-in: code form", f"{email}: no code form at {where}")
        # A code is good once: when this one was used (the same account signed in during
        # this half-minute), the next one, which the device accepts too.
        step = int(time.time()) // 30
        for attempt in (step, step + 1):
            form["code"] = two_factor.code_at(DEMO_KEY, attempt)
            response = self.post("sign-in: code", where, form, expect=(302, 200))
            if response.status_code == 302:
                return self.get("home (after sign-in)", response.headers["Location"]).text
        self.fail("sign-in: code", f"{email}: the two-factor code was refused")

    def static_files(self, html):
        """The style sheets and scripts of the layout, once: a browser keeps them after."""
        for url in sorted(set(re.findall(r'(?:href|src)="(/static/[^"]+\.(?:css|js))"', html))):
            self.get("static file (WhiteNoise)", url)

    def pick(self, key):
        return random.choice(self.account[key])


class Staff(Person):
    """Pole staff: the pole's projects, filtered; a project's page; the dashboards and the
    labelling pipeline of their pole."""

    role = "staff"
    weight = 3

    @task(5)
    def project_list(self):
        pole = self.pick("poles")
        filters = random.choice(
            [
                {"pole": pole},
                {"pole": pole, "state": random.choice(self.account["states"])},
                {"q": self.pick("words")},
                {"state": random.choice(self.account["states"]), "page": random.randint(1, 5)},
            ]
        )
        self.get("staff: project list, filtered", f"/projects/?{urlencode(filters)}")

    @task(4)
    def project_detail(self):
        self.get("staff: project page", f"/projects/{self.pick('projects')}/")

    @task(2)
    def funding_dashboard(self):
        self.get("staff: funding dashboard", f"/funding/?pole={self.pick('poles')}")

    @task(2)
    def impact_dashboard(self):
        self.get("staff: impact dashboard", f"/impact/?pole={self.pick('poles')}")

    @task(2)
    def pipeline(self):
        self.get("staff: labelling pipeline", f"/poles/{self.pick('poles')}/pipeline/")


class Consortium(Person):
    """Someone of a consortium: their projects, a project's page, a partner's budget."""

    abstract = True

    @task(3)
    def my_projects(self):
        self.get("consortium: my projects", "/projects/")

    @task(4)
    def project_detail(self):
        self.get("consortium: project page", f"/projects/{self.pick('projects')}/")

    def change_budget(self, who):
        """A partner's budget changed by a euro (optimistic locking: the version read is sent
        back with it)."""
        project = self.pick("projects")
        page = self.page("consortium: project page", f"/projects/{project}/")
        budgets = [link for link in page.links if link.endswith("/budget/")]
        if not budgets:
            self.fail(f"{who}: budget form", f"no budget to change on project {project}")
        url = random.choice(budgets)
        form = Forms(self.get(f"{who}: budget form", url, htmx=True).text).form(having="version")
        if form is None:
            self.fail(f"{who}: budget form", f"no budget form in {url}")
        form["other_costs"] = money_plus(form.get("other_costs"), random.choice((1, -1)))
        if form["other_costs"].startswith("-"):
            form["other_costs"] = "1.00"
        self.post(f"{who}: budget saved", url, form, htmx=True)


class Leader(Consortium):
    """A consortium leader: also adds and edits milestones, and changes any partner's
    budget."""

    role = "leaders"
    weight = 3

    @task(2)
    def milestone(self):
        project = self.pick("projects")
        page = self.page("consortium: project page", f"/projects/{project}/")
        edits = [link for link in page.links if re.search(r"/milestones/\d+/edit/$", link)]
        if len(edits) < 3:  # a few milestones of their own first, then edits of them
            form = page.form(r"/milestones/$", having="title")
            if form is None:
                self.fail("leader: milestone added", f"no milestone form on project {project}")
            form.update(
                title=f"Load test review {random.randint(1, 10**6)}",
                description="Added by bench/load.py.",
                due_date=time.strftime("%Y-%m-%d", time.localtime(time.time() + 30 * 86400)),
                done_on="",
            )
            self.post("leader: milestone added", form["action"], form, htmx=True)
            return
        url = random.choice(edits)
        fragment = Forms(self.get("leader: milestone form", url, htmx=True).text)
        form = fragment.form(having="title")
        if form is None:
            self.fail("leader: milestone form", f"no form in {url}")
        form["description"] = f"Checked by bench/load.py at {time.strftime('%H:%M:%S')}."
        self.post("leader: milestone saved", url, form, htmx=True)

    @task(2)
    def budget(self):
        self.change_budget("leader")


class Member(Consortium):
    """A consortium member: their own partner's budget."""

    role = "members"
    weight = 2

    @task(2)
    def own_budget(self):
        self.change_budget("member")


class Funder(Person):
    """A funder's reviewer: the portfolio; a funded project's page and funding section; a
    scheduled tranche recorded as paid (its form, filled with today's date)."""

    role = "funders"
    weight = 1

    def on_start(self):
        super().on_start()
        self.unpaid = list(self.account["tranches"])  # each paid once
        random.shuffle(self.unpaid)

    @task(3)
    def portfolio(self):
        self.get("funder: portfolio", "/funding/portfolio/")

    @task(3)
    def project(self):
        tranche = self.pick("tranches")
        self.get("funder: project page", f"/projects/{tranche['project']}/")

    @task(2)
    def disbursement(self):
        if not self.unpaid:
            return self.portfolio()
        tranche = self.unpaid.pop()
        section = f"/projects/{tranche['project']}/funding/"
        forms = Forms(self.get("funder: funding section", section, htmx=True).text)
        url = f"{section}disbursements/{tranche['tranche']}/paid/"
        form = forms.form(re.escape(url) + "$", having="paid_date")
        if form is None:
            self.fail("funder: disbursement paid", f"no form to pay {url}")
        self.post("funder: disbursement paid", url, form, htmx=True)


class Api(FastHttpUser):
    """A script reading the API with a person's bearer token (read-only scope)."""

    weight = 1
    wait_time = between(*WAIT)
    network_timeout = 60.0
    connection_timeout = 60.0
    _dealt = itertools.count()

    def on_start(self):
        accounts = PLAN["api"]
        self.account = accounts[next(Api._dealt) % len(accounts)]
        self.headers = {"Authorization": f"Bearer {self.account['token']}"}

    def read(self, name, url):
        with self.client.get(
            url, name=name, headers=self.headers, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code}, not 200")
            elif not response.headers.get("Content-Type", "").startswith("application/json"):
                response.failure("not JSON")
            else:
                response.success()

    @task(3)
    def projects(self):
        page = random.randint(1, 5)
        self.read("api: projects, 50 a page", f"/api/v1/projects/?page_size=50&page={page}")

    @task(3)
    def project(self):
        self.read("api: project", f"/api/v1/projects/{random.choice(self.account['projects'])}/")

    @task(2)
    def funding_lines(self):
        project = random.choice(self.account["projects"])
        self.read("api: a project's funding lines", f"/api/v1/funding-lines/?project={project}")

    @task(1)
    def milestones(self):
        project = random.choice(self.account["projects"])
        self.read("api: a project's milestones", f"/api/v1/milestones/?project={project}")

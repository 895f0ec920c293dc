"""`python -m metrics digest`: one mail per recipient, in their language and scope, through a real SMTP server
(aiosmtpd on a free port).

The data, worked by hand (every month January to September 2026, as of 30 September):
- Nord answers 10, 9, 7, 3 each month: 2 promoters, 1 detractor of 4 -> +25.0; year to date 18 - 9 of
  36 -> 25.0. Nord's own target is 35; the months to come bring 3 x 4 = 12 answers (the pace of the
  last three months), so 35 x (36 + 12) = 25 x 36 + 12 r -> r = (1680 - 900) / 12 = 65.0 a month.
- Sud answers 10, 6, 6 each month: 1 promoter, 2 detractors of 3.
- The company: 3 promoters, 3 detractors of 7 a month -> 0.0 on 63 answers; target 40, 21 answers to
  come: 40 x 84 = 0 x 63 + 21 r -> r = 160, beyond the 100 an NPS can reach: out of reach.
After a second import of four Nord answers of 10 in September: Nord 22 - 9 of 40 -> 32.5 (was 25.0,
+7.5); the company 31 - 27 of 67 -> 5.97, shown 6.0 (was 0.0, +6.0).
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import socket

import pytest
from aiosmtpd.controller import Controller
from click.testing import CliRunner

from metrics import catalogue
from metrics.cli.main import cli
from metrics.digest.compose import compose
from metrics.digest.figures import window_alerts
from metrics.digest.recipients import Recipient
from metrics.reports.trajectory import trajectory
from metrics.semantic.definitions import metric
from metrics.store import open_store

ACCESS = """
[[grant]]
who = "marie@example.com"
role = "regional_director"
regions = ["Nord"]

[[grant]]
who = "Paul@Example.com"
role = "executive"

[[grant]]
who = "sam@example.com"
role = "staff_representative"

[[grant]]
group = "cx-everyone"
role = "executive"
"""
RECIPIENTS = """
[[recipient]]
email = "marie@example.com"
metrics = ["nps"]

[[recipient]]
email = "paul@example.com"
lang = "en"

[[recipient]]
email = "sam@example.com"
metrics = ["nps"]

[[recipient]]
email = "nobody@example.com"
"""
MONTHLY = {"Nord": (10, 9, 7, 3), "Sud": (10, 6, 6)}


def _answers():
    rows, i = ["response_id;responded_at;region;score"], 0
    for month in range(1, 10):
        for region, scores in MONTHLY.items():
            for score in scores:
                i += 1
                rows.append(f"R{i};{10 + i % 5:02d}/{month:02d}/2026;{region};{score}")
    return "\n".join(rows) + "\n"


class Inbox:
    """An aiosmtpd handler keeping every mail it receives, parsed."""

    def __init__(self):
        self.mails = []

    async def handle_DATA(self, server, session, envelope):
        mail = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.mails.append((envelope.rcpt_tos, mail))
        return "250 OK"

    def by_recipient(self):
        return {tos[0]: mail for tos, mail in self.mails}


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def inbox(monkeypatch):
    handler = Inbox()
    port = _free_port()
    server = Controller(handler, hostname="127.0.0.1", port=port)
    server.start()
    try:
        monkeypatch.setenv("CX_SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("CX_SMTP_PORT", str(port))
        monkeypatch.setenv("CX_SMTP_TLS", "none")
        monkeypatch.setenv("CX_SMTP_FROM", "kpi@example.com")
        yield handler
    finally:
        server.stop()


@pytest.fixture
def env(monkeypatch):
    for name in ("CX_SMTP_HOST", "CX_SMTP_PORT", "CX_SMTP_USER", "CX_SMTP_PASSWORD", "CX_SMTP_FROM",
                 "CX_SMTP_TLS", "CX_ACCESS_FILE", "CX_DIGEST_FILE"):  # fmt: skip
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CX_TODAY", "2026-10-15")


@pytest.fixture
def db(tmp_path, env):
    path = tmp_path / "cx.duckdb"
    (tmp_path / "answers.csv").write_text(_answers(), encoding="utf-8")
    (tmp_path / "targets.csv").write_text("year;metric;target;region\n2026;nps;40;\n2026;nps;35;Nord\n")
    (tmp_path / "access.toml").write_text(ACCESS, encoding="utf-8")
    (tmp_path / "digests.toml").write_text(RECIPIENTS, encoding="utf-8")
    for dataset, name in (("responses", "answers.csv"), ("targets", "targets.csv")):
        got = CliRunner().invoke(cli, ["--db", str(path), "import", dataset, str(tmp_path / name)])
        assert got.exit_code == 0, got.output
    return path


def _digest(db, *args):
    return CliRunner().invoke(cli, ["--db", str(db), "digest", *args])


def _body(mail, kind="plain"):
    return mail.get_body(preferencelist=(kind,)).get_content()


def _sent_rows(db):
    store = open_store(db)
    try:
        with store.cursor() as cur:
            return cur.execute("SELECT recipient, transport FROM digests ORDER BY recipient").fetchall()
    finally:
        store.close()


def test_each_recipient_gets_one_mail_in_their_language_and_scope(db, inbox):
    got = _digest(db)
    assert got.exit_code == 0, got.output
    mails = inbox.by_recipient()
    assert sorted(mails) == ["marie@example.com", "paul@example.com"]
    marie, paul = mails["marie@example.com"], mails["paul@example.com"]
    assert marie["Subject"] == "Vos indicateurs clients au 30 sept. 2026 — Nord"
    assert paul["Subject"] == "Your customer KPIs as of Sep 30, 2026 — the whole company"
    assert (marie["Content-Language"], paul["Content-Language"]) == ("fr", "en")
    assert "NPS — Nord : 25,0 depuis janvier (n = 36) ; objectif 35 ; il faut 65,0 en moyenne" in _body(marie)
    assert "NPS: 0.0 year to date (n = 63); target 40: out of reach" in _body(paul)
    assert "C'est votre premier résumé" in _body(marie)
    # nobody has no grant; sam (staff representative) reads no survey answer: no digest either
    assert "nobody@example.com: no grant names this address" in got.output
    assert "sam@example.com: left out, not readable with their role: nps" in got.output
    assert "skipped sam@example.com: no followed metric their role reads" in got.output
    assert _sent_rows(db) == [("marie@example.com", "smtp"), ("paul@example.com", "smtp")]


def test_a_regional_directors_digest_holds_only_their_regions_figures(db, inbox):
    assert _digest(db).exit_code == 0
    marie = inbox.by_recipient()["marie@example.com"]
    for part in (_body(marie), _body(marie, "html")):
        assert "NPS — Nord : 25,0 depuis janvier (n = 36)" in part
        # Sud's 1 - 2 of 3 a month (-33.3) and the company's 0.0 on 63 answers are nowhere
        assert [x for x in ("Sud", "33,3", "n = 63", "0,0 ") if x in part] == []


def test_the_required_run_rate_is_the_hand_computed_one_and_trajectorys(db, inbox):
    store = open_store(db)
    try:
        tr = trajectory(store, metric("nps"), region="Nord", as_of=dt.date(2026, 9, 30))
    finally:
        store.close()
    assert tr.required == pytest.approx(65.0)  # (35 x 48 - 25 x 36) / 12, module docstring
    assert _digest(db).exit_code == 0
    assert "il faut 65,0 en moyenne d'ici décembre" in _body(inbox.by_recipient()["marie@example.com"])


def test_a_second_run_without_new_data_sends_nothing(db, inbox):
    assert _digest(db).exit_code == 0
    again = _digest(db)
    assert again.exit_code == 0, again.output
    assert "skipped marie@example.com: nothing moved" in again.output
    assert "skipped paul@example.com: nothing moved" in again.output
    assert len(inbox.mails) == 2
    assert len(_sent_rows(db)) == 2


def test_after_a_new_import_the_changed_figure_comes_with_its_previous_value(db, inbox, tmp_path):
    assert _digest(db).exit_code == 0
    more = "response_id;responded_at;region;score\n" + "".join(f"N{i};20/09/2026;Nord;10\n" for i in range(4))
    (tmp_path / "more.csv").write_text(more, encoding="utf-8")
    imported = CliRunner().invoke(cli, ["--db", str(db), "import", "responses", str(tmp_path / "more.csv")])
    assert imported.exit_code == 0, imported.output
    got = _digest(db)
    assert got.exit_code == 0, got.output
    second = {tos[0]: mail for tos, mail in inbox.mails[2:]}
    assert sorted(second) == ["marie@example.com", "paul@example.com"]
    marie, paul = _body(second["marie@example.com"]), _body(second["paul@example.com"])
    assert "NPS — Nord : 32,5 (avant : 25,0 ; +7,5)" in marie  # 22 - 9 of 40
    assert "NPS: 6.0 (was 0.0; +6.0)" in paul  # 31 - 27 of 67 = 5.97
    assert "C'est votre premier résumé" not in marie


def test_out_writes_one_eml_per_recipient_without_a_mail_server(db, tmp_path):
    folder = tmp_path / "mails"
    got = _digest(db, "--out", str(folder))
    assert got.exit_code == 0, got.output
    assert sorted(p.name for p in folder.iterdir()) == ["marie@example.com.eml", "paul@example.com.eml"]
    written = (folder / "paul@example.com.eml").read_bytes()
    mail = email.message_from_bytes(written, policy=email.policy.default)
    assert mail["To"] == "paul@example.com"
    assert mail["Subject"] == "Your customer KPIs as of Sep 30, 2026 — the whole company"
    assert "<li>NPS: 0.0 year to date (n = 63); target 40: out of reach" in _body(mail, "html")
    assert _sent_rows(db) == [("marie@example.com", "file"), ("paul@example.com", "file")]
    # the run is in the audit trail: who ran it (the CLI's OS user) and to whom it went
    from metrics.access import audit
    from metrics.store import Store

    trail = audit.entries(Store(db))
    run = trail[trail["action"] == "digest"]
    assert len(run) == 1
    assert run["who"].iloc[0].endswith("(local)")
    assert '"recipients": ["marie@example.com", "paul@example.com"]' in run["detail"].iloc[0]
    assert "skipped paul@example.com: nothing moved" in _digest(db, "--out", str(folder)).output


def test_without_a_mail_server_or_out_the_command_refuses_and_records_nothing(db):
    got = _digest(db)
    assert got.exit_code == 1
    assert got.output == (
        "Error: no mail server: set CX_SMTP_HOST (and CX_SMTP_FROM), "
        "or write the digests to files: --out DIR\n"
    )
    assert _sent_rows(db) == []


def test_dry_run_prints_the_digests_and_sends_or_records_nothing(db, inbox):
    got = _digest(db, "--dry-run")
    assert got.exit_code == 0, got.output
    assert "Subject: Vos indicateurs clients au 30 sept. 2026 — Nord" in got.output
    assert inbox.mails == []
    assert _sent_rows(db) == []


def test_a_recipients_file_naming_an_unknown_metric_is_refused_with_a_suggestion(db, tmp_path):
    (tmp_path / "digests.toml").write_text('[[recipient]]\nemail = "marie@example.com"\nmetrics = ["npss"]\n')
    got = _digest(db, "--out", str(tmp_path / "mails"))
    assert got.exit_code == 1
    assert 'recipient 1: no metric "npss"; did you mean "nps"?' in got.output


def test_a_group_grant_never_widens_a_digest(db, tmp_path):
    # cx-everyone is an executive group: without the identity provider's token nobody is in it
    (tmp_path / "digests.toml").write_text('[[recipient]]\nemail = "x@y.z"\n', encoding="utf-8")
    got = _digest(db, "--out", str(tmp_path / "mails"))
    assert got.exit_code == 0
    assert "x@y.z: no grant names this address" in got.output
    assert not (tmp_path / "mails").exists()


ALERTS = [
    # metric, dimension, group, direction, better, grain, started, detected
    ("nps", "site", "LIL-CC", "down", False, "week", "2026-09-07", "2026-09-14"),
    ("nps", "region", "Nord", "up", True, "month", "2026-06-01", "2026-09-01"),  # detected in the window
    ("nps", "region", "Nord", "down", False, "month", "2026-03-01", "2026-04-01"),  # before the window
    # not a followed metric
    ("first_time_fix_rate", "region", "Nord", "down", False, "week", "2026-09-14", "2026-09-21"),
]


def _alert_frame():
    import pandas as pd

    cols = ["metric", "dimension", "group", "direction", "better", "grain", "started", "detected"]
    frame = pd.DataFrame(ALERTS, columns=cols)
    frame["started"], frame["detected"] = pd.to_datetime(frame["started"]), pd.to_datetime(frame["detected"])
    return frame


def test_alerts_of_the_window_are_those_started_or_detected_since_for_followed_metrics():
    got = window_alerts(_alert_frame(), ["nps"], dt.date(2026, 9, 1))
    assert [(a["group"], a["direction"], a["started"]) for a in got] == [
        ("LIL-CC", "down", "2026-09-07"), ("Nord", "up", "2026-06-01")]  # fmt: skip


def _figures(alerts, region="Nord"):
    line = {"metric": "nps", "region": region, "as_of": "2026-09-30", "value": 25.0, "n": 36, "target": 35.0,
            "required": 65.0, "best_possible": 40.0, "status": "at_risk"}  # fmt: skip
    return {"scope": {"regions": [region], "datasets": []}, "as_of": "2026-09-30", "lines": [line],
            "alerts": alerts, "alerts_seen": alerts, "alerts_end": "2026-09-30"}  # fmt: skip


def test_new_alerts_are_counted_with_each_languages_plural_and_dated():
    alerts = window_alerts(_alert_frame(), ["nps"], dt.date(2026, 9, 1))
    fr = compose(Recipient("m@x.fr", "fr"), _figures(alerts[:1]), None)
    assert "1 alerte apparue" in fr.text
    assert "NPS, site LIL-CC : en baisse depuis le 7 sept. 2026 (une dégradation)" in fr.text
    en = compose(Recipient("m@x.fr", "en"), _figures(alerts), None)
    assert "2 new alerts" in en.text
    assert "NPS, region Nord: up since Jun 1, 2026 (an improvement)" in en.text
    # only an alert moved: the digest goes out even though no figure changed
    before = (_figures([]), dt.datetime(2026, 10, 1, 8, 0))
    assert compose(Recipient("m@x.fr", "fr"), _figures(alerts[:1]), before).moved
    assert not compose(Recipient("m@x.fr", "fr"), _figures([]), before).moved


def test_plural_forms_follow_each_languages_rule():
    # French puts 0 and 1 in the singular; English only 1
    assert catalogue.text("digest.alerts", "fr", n=0) == "0 alerte apparue"
    assert catalogue.text("digest.alerts", "en", n=0) == "0 new alerts"
    assert catalogue.text("digest.alerts", "en", n=1) == "1 new alert"


def test_every_value_in_the_html_part_is_escaped():
    got = compose(Recipient("m@x.fr", "fr"), _figures([], region="<b>Nord</b>"), None)
    assert "<b>Nord</b>" not in got.html
    assert "&lt;b&gt;Nord&lt;/b&gt;" in got.html


def _weekly_answers():
    """Nord and Sud, 20 answers a week for the 52 weeks to Sunday 27 September 2026.

    Every week 8 promoters, 6 passives, 6 detractors: NPS +10; from Monday 7 September, Nord's answers
    are all 2 (NPS -100) and Sud's all 10 (+100): a fall and a rise no control chart can miss, both
    starting that week.
    """
    rows, i, monday = ["response_id;responded_at;region;score"], 0, dt.date(2025, 9, 29)
    while monday <= dt.date(2026, 9, 21):
        for region in ("Nord", "Sud"):
            after = monday >= dt.date(2026, 9, 7)
            scores = ([2] if region == "Nord" else [10]) * 20 if after else [10] * 8 + [8] * 6 + [3] * 6
            for k, score in enumerate(scores):
                i += 1
                rows.append(f"W{i};{monday + dt.timedelta(days=1 + k % 3):%d/%m/%Y};{region};{score}")
        monday += dt.timedelta(days=7)
    return "\n".join(rows) + "\n"


def test_an_alert_that_started_in_the_readers_scope_is_told_once(env, tmp_path):
    weekly = tmp_path / "weekly" / "cx.duckdb"
    weekly.parent.mkdir()
    (weekly.parent / "answers.csv").write_text(_weekly_answers(), encoding="utf-8")
    (weekly.parent / "access.toml").write_text(ACCESS, encoding="utf-8")
    following = '[[recipient]]\nemail = "{}"\nlang = "{}"\nmetrics = ["nps"]\n'
    recipients = following.format("marie@example.com", "fr") + following.format("paul@example.com", "en")
    (weekly.parent / "digests.toml").write_text(recipients, encoding="utf-8")
    _import(weekly, weekly.parent / "answers.csv")
    first = _digest(weekly, "--out", str(tmp_path / "first"))
    assert first.exit_code == 0, first.output
    marie = _read(tmp_path / "first" / "marie@example.com.eml")
    assert "1 alerte apparue" in marie
    assert "NPS, région Nord : en baisse depuis le 7 sept. 2026 (une dégradation)" in marie
    assert "Sud" not in marie  # Sud's rise is out of her scope
    paul = _read(tmp_path / "first" / "paul@example.com.eml")
    assert "2 new alerts" in paul
    assert "NPS, region Nord: down since Sep 7, 2026 (a deterioration)" in paul
    assert "NPS, region Sud: up since Sep 7, 2026 (an improvement)" in paul
    # new answers move Nord's figure: a second digest goes out, without the alert already told
    (tmp_path / "more.csv").write_text("response_id;responded_at;region;score\nX1;29/09/2026;Nord;10\n")
    _import(weekly, tmp_path / "more.csv")
    second = _digest(weekly, "--out", str(tmp_path / "second"))
    assert second.exit_code == 0, second.output
    marie = _read(tmp_path / "second" / "marie@example.com.eml")
    assert "1 changement depuis le résumé du" in marie
    assert "alerte" not in marie


def _import(db, path):
    got = CliRunner().invoke(cli, ["--db", str(db), "import", "responses", str(path)])
    assert got.exit_code == 0, got.output


def _read(path):
    return _body(email.message_from_bytes(path.read_bytes(), policy=email.policy.default))


def test_a_rebuild_keeps_what_each_recipient_was_last_sent(db, tmp_path):
    # without it, every next digest after a rebuild would be a "first digest" repeating the year
    from metrics.ingest.rebuild import rebuild

    assert _digest(db, "--out", str(tmp_path / "mails")).exit_code == 0
    out = tmp_path / "rebuilt.duckdb"
    rebuild(db, out)
    assert _sent_rows(out) == [("marie@example.com", "file"), ("paul@example.com", "file")]

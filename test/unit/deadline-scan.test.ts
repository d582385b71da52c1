/**
 * The deadline scanner over whole calendars: a scan every day at midday in New Zealand (00:00 UTC
 * is 13:00 NZDT / 12:00 NZST, the same calendar date), collecting which mails went out on which
 * day. Every expected date is worked out by hand in the comments.
 */
import { describe, expect, it } from "vitest";
import { addCalendarDays } from "../../functions/domain/deadlines.js";
import { scanDeadlines } from "../../functions/use-cases/deadline-scan.js";
import {
  officerAssign,
  officerClose,
  officerExtend,
  officerPause,
  officerResume,
  officerVerify,
} from "../../functions/use-cases/officer.js";
import type { OutboundMail } from "../../functions/use-cases/ports.js";
import {
  issueVerificationCode,
  submitRequest,
  submitVerificationCode,
} from "../../functions/use-cases/requester.js";
import { testDeps, testSettings } from "../support/fakes.js";
import { ACCESS_SUBMISSION } from "../support/request-builder.js";

type Deps = ReturnType<typeof testDeps>;
const OFFICERS = testSettings.privacyOfficerAddress;
const LEAD = "lead@provider.example";
const officer = { kind: "officer" as const, id: "officer-1" };

const accessRequest = ACCESS_SUBMISSION;

function depsWithLead(now: string): Deps {
  const deps = testDeps(now);
  return { ...deps, settings: { ...deps.settings, privacyLeadAddress: LEAD } };
}

/** A verified request received at `receivedAt`: only the deadline mails are left to come. */
async function verifiedRequestReceived(deps: Deps, receivedAt: string) {
  deps.clock.set(receivedAt);
  const submitted = await submitRequest(deps, accessRequest, { channel: "web" });
  await officerVerify(deps, submitted.id, officer, {
    decision: "verified",
    method: "document-check",
  });
  return submitted;
}

const middayNz = (date: string) => `${date}T00:00:00Z`;

/** Runs one scan a day from `from` to `to` (inclusive); lists "date template → recipients". */
async function scanEachDay(deps: Deps, from: string, to: string): Promise<string[]> {
  const seen: string[] = [];
  for (let date = from; date <= to; date = addCalendarDays(date, 1)) {
    const before = deps.mailer.sent.length;
    deps.clock.set(middayNz(date));
    await scanDeadlines(deps, { now: deps.clock.now() });
    for (const mail of deps.mailer.sent.slice(before)) {
      seen.push(`${date} ${mail.template} → ${mail.to.join(",")}`);
    }
  }
  return seen;
}

describe("deadline reminders over a New Zealand Christmas", () => {
  it("reminds 5, 2, 1 and 0 business days before the SLA date, then every business day, and escalates at the statutory date", async () => {
    // Arrange: received Thu 10 Dec 2026. SLA (15 business days): 11 (1); 14–18 (6); 21–24 (10);
    // Fri 25 Christmas, Mon 28 Boxing Day observed; 29–31 (13); Fri 1 Jan; Mon 4 Jan (2 Jan
    // observed); Tue 5 (14); Wed 6 Jan 2027 (15). Statutory (20 s7 working days): 21–24 Dec (10);
    // 25 Dec–15 Jan excluded; 18–22 Jan (15); 25–29 Jan (20) → Fri 29 Jan 2027.
    const deps = depsWithLead(middayNz("2026-12-10"));
    const { id } = await verifiedRequestReceived(deps, "2026-12-10T02:00:00Z");
    deps.mailer.sent.length = 0;

    // Act
    const seen = await scanEachDay(deps, "2026-12-20", "2027-02-01");

    // Assert. Business days left to Wed 6 Jan: on Thu 24 Dec, 29, 30, 31 Dec, 5, 6 Jan = 5;
    // on Thu 31 Dec, 5 and 6 Jan = 2 (and still 2 over the New Year holidays: nothing new);
    // Tue 5 Jan: 1; Wed 6 Jan: the due day. Overdue from Thu 7 Jan, each business day.
    // Statutory: Wed 27 Jan has 28 and 29 Jan left (2) → the lead; Sat 30 Jan it has passed.
    const overdueDays = [
      ...["07", "08", "11", "12", "13", "14", "15", "18", "19", "20", "21", "22"],
      ...["25", "26", "27", "28", "29"],
    ].map((d) => `2027-01-${d}`);
    expect(seen).toEqual([
      `2026-12-24 deadline-reminder → ${OFFICERS}`,
      `2026-12-31 deadline-reminder → ${OFFICERS}`,
      `2027-01-05 deadline-reminder → ${OFFICERS}`,
      `2027-01-06 deadline-reminder → ${OFFICERS}`,
      ...overdueDays.flatMap((d) => [
        ...(d === "2027-01-27" ? [`${d} statutory-escalation → ${LEAD},${OFFICERS}`] : []),
        `${d} overdue-notice → ${OFFICERS}`,
      ]),
      `2027-01-30 statutory-escalation → ${LEAD},${OFFICERS}`,
      `2027-02-01 overdue-notice → ${OFFICERS}`,
    ]);
    const reminders = deps.mailer.to(OFFICERS, "deadline-reminder").map((m) => m.subject);
    expect(reminders).toEqual([
      expect.stringContaining("Response due in 5 working days"),
      expect.stringContaining("Response due in 2 working days"),
      expect.stringContaining("Response due in 1 working day"),
      expect.stringContaining("Response due today"),
    ]);
    expect(deps.mailer.to(LEAD).at(-1)?.subject).toContain("Statutory limit passed");
    expect(deps.mailer.sent.every((m) => m.requestId === id)).toBe(true);
  });
});

describe("deadline reminders over Easter", () => {
  it("counts past Good Friday and Easter Monday", async () => {
    // Arrange: received Mon 16 Mar 2026 (11:00 NZDT). SLA: 17–20 Mar (4); 23–27 (9); 30 Mar–2 Apr
    // (13); Good Friday 3 Apr and Easter Monday 6 Apr skipped; Tue 7 (14); Wed 8 Apr (15).
    // Statutory: … Tue 7 (14), 8, 9, 10 (17), 13, 14, Wed 15 Apr (20).
    const deps = depsWithLead(middayNz("2026-03-16"));
    await verifiedRequestReceived(deps, "2026-03-15T22:00:00Z");
    deps.mailer.sent.length = 0;

    // Act
    const seen = await scanEachDay(deps, "2026-03-25", "2026-04-17");

    // Assert. Mon 30 Mar: 31, 1, 2, 7, 8 left (5). Thu 2 Apr: 7 and 8 left (2), unchanged over
    // Easter. Tue 7: 1. Wed 8: due. Overdue Thu 9, Fri 10, Mon 13 – Fri 17. Statutory: Mon 13 Apr
    // has 14 and 15 left (2); passed on Thu 16 Apr.
    expect(seen).toEqual([
      `2026-03-30 deadline-reminder → ${OFFICERS}`,
      `2026-04-02 deadline-reminder → ${OFFICERS}`,
      `2026-04-07 deadline-reminder → ${OFFICERS}`,
      `2026-04-08 deadline-reminder → ${OFFICERS}`,
      `2026-04-09 overdue-notice → ${OFFICERS}`,
      `2026-04-10 overdue-notice → ${OFFICERS}`,
      `2026-04-13 statutory-escalation → ${LEAD},${OFFICERS}`,
      `2026-04-13 overdue-notice → ${OFFICERS}`,
      `2026-04-14 overdue-notice → ${OFFICERS}`,
      `2026-04-15 overdue-notice → ${OFFICERS}`,
      `2026-04-16 statutory-escalation → ${LEAD},${OFFICERS}`,
      `2026-04-16 overdue-notice → ${OFFICERS}`,
      `2026-04-17 overdue-notice → ${OFFICERS}`,
    ]);
  });

  it("reminds a requester who has not verified after 2 business days, once, with a code that works", async () => {
    // Arrange: received Wed 1 Apr 2026 (09:00 NZDT); the workflow sent the first code. Business
    // days after receipt: Thu 2 Apr (1); Good Friday, the weekend and Easter Monday skipped;
    // Tue 7 Apr (2).
    const deps = testDeps("2026-03-31T20:00:00Z");
    const submitted = await submitRequest(deps, accessRequest, { channel: "web" });
    await issueVerificationCode(deps, submitted.id);

    // Act
    const seen = await scanEachDay(deps, "2026-04-02", "2026-04-09");

    // Assert
    expect(seen).toEqual(["2026-04-07 verification-reminder → aroha@example.com"]);
    const reminder = deps.mailer.to("aroha@example.com", "verification-reminder")[0];
    const code = /new code is (\d{6})/.exec(reminder?.text ?? "")?.[1] ?? "";
    deps.clock.set("2026-04-07T03:00:00Z"); // two hours after the reminder, well within its life
    const verified = await submitVerificationCode(deps, submitted.id, submitted.statusToken, code);
    expect(verified.status).not.toBe("awaiting-verification");
  });
});

describe("dates that move", () => {
  it("sends nothing while the clock is paused, and reminds towards the moved date after it resumes", async () => {
    // Arrange: received Mon 2 Mar 2026 → SLA Mon 23 Mar (3–6 Mar (4), 9–13 (9), 16–20 (14), 23).
    // Paused on Mon 16 Mar (5 business days left: 17–20, 23) before any reminder went out.
    const deps = testDeps(middayNz("2026-03-02"));
    const { id } = await verifiedRequestReceived(deps, "2026-03-02T01:00:00Z");
    deps.clock.set("2026-03-15T20:00:00Z"); // Mon 16 Mar 09:00 NZDT
    await officerPause(deps, id, officer, "clarification");
    deps.mailer.sent.length = 0;

    // Act 1: scans during the pause.
    const paused = await scanEachDay(deps, "2026-03-16", "2026-03-27");

    // Act 2: resumed on Mon 30 Mar 09:00 NZDT. Business days paused: 17–20 (4), 23–27 (9), 30 Mar
    // (10). The SLA moves 10 business days from Mon 23 Mar: 24–27 (4), 30 Mar–2 Apr (8), Good
    // Friday and Easter Monday skipped, Tue 7 (9), Wed 8 Apr (10).
    deps.clock.set("2026-03-29T20:00:00Z");
    const resumed = await officerResume(deps, id, officer);
    const after = await scanEachDay(deps, "2026-03-30", "2026-04-02");

    // Assert
    expect(paused).toEqual([]);
    expect(resumed.due.sla).toBe("2026-04-08");
    // Mon 30 Mar: 31 Mar, 1, 2, 7, 8 Apr = 5 left; Thu 2 Apr: 7 and 8 = 2 left.
    expect(after).toEqual([
      `2026-03-30 deadline-reminder → ${OFFICERS}`,
      `2026-04-02 deadline-reminder → ${OFFICERS}`,
    ]);
  });

  it("starts the reminders again for the new date after an extension", async () => {
    // Arrange: received Mon 2 Mar 2026 → SLA Mon 23 Mar, statutory Mon 30 Mar. The 5-day reminder
    // for 23 Mar goes out on Mon 16 Mar (17–20, 23 left).
    const deps = testDeps(middayNz("2026-03-02"));
    const { id } = await verifiedRequestReceived(deps, "2026-03-02T01:00:00Z");
    deps.mailer.sent.length = 0;
    const before = await scanEachDay(deps, "2026-03-16", "2026-03-16");

    // Act: extended by 10 working days on Tue 17 Mar. Statutory from Mon 30 Mar: 31 Mar, 1, 2 Apr
    // (3); Good Friday and Easter Monday skipped; 7–10 (7); 13, 14, 15 Apr (10) → Wed 15 Apr;
    // the SLA moves as many business days: 24–27 (4), 30 Mar–2 Apr (8), 7, 8 Apr (10) → Wed 8 Apr.
    deps.clock.set("2026-03-16T20:00:00Z");
    const extended = await officerExtend(deps, id, officer, {
      workingDays: 10,
      reason: "consultation-needed",
    });
    const after = await scanEachDay(deps, "2026-03-17", "2026-03-31");

    // Assert: Mon 30 Mar has 31 Mar, 1, 2, 7, 8 Apr left (5).
    expect(before).toEqual([`2026-03-16 deadline-reminder → ${OFFICERS}`]);
    expect(extended.due).toEqual({ sla: "2026-04-08", statutory: "2026-04-15" });
    expect(after).toEqual([`2026-03-30 deadline-reminder → ${OFFICERS}`]);
  });

  it("sends the officer reminders to the assigned officer as well as the mailbox", async () => {
    // Arrange: SLA Mon 23 Mar 2026; Mon 16 Mar has 17–20 and 23 left (5).
    const deps = testDeps(middayNz("2026-03-02"));
    const { id } = await verifiedRequestReceived(deps, "2026-03-02T01:00:00Z");
    await officerAssign(deps, id, officer, "mere@provider.example");
    deps.mailer.sent.length = 0;

    // Act
    const seen = await scanEachDay(deps, "2026-03-16", "2026-03-16");

    // Assert
    expect(seen).toEqual([`2026-03-16 deadline-reminder → ${OFFICERS},mere@provider.example`]);
  });

  it("sends nothing for a closed request", async () => {
    // Arrange
    const deps = testDeps(middayNz("2026-03-02"));
    const { id } = await verifiedRequestReceived(deps, "2026-03-02T01:00:00Z");
    await officerClose(deps, id, officer, { outcome: "refused", reason: "s53 grounds" });
    deps.mailer.sent.length = 0;

    // Act
    const seen = await scanEachDay(deps, "2026-03-16", "2026-04-02");

    // Assert
    expect(seen).toEqual([]);
  });
});

describe("sending each reminder once", () => {
  it("sends one reminder when two scans run at the same moment", async () => {
    // Arrange: SLA Mon 23 Mar 2026; Mon 16 Mar is 5 business days before it.
    const deps = testDeps(middayNz("2026-03-02"));
    await verifiedRequestReceived(deps, "2026-03-02T01:00:00Z");
    deps.mailer.sent.length = 0;
    const now = new Date(middayNz("2026-03-16"));

    // Act
    const [first, second] = await Promise.all([
      scanDeadlines(deps, { now }),
      scanDeadlines(deps, { now }),
    ]);

    // Assert
    expect(deps.mailer.to(OFFICERS, "deadline-reminder")).toHaveLength(1);
    expect(first.sent.length + second.sent.length).toBe(1);
    expect(first.alreadyRecorded + second.alreadyRecorded).toBe(1);
  });

  it("retries a reminder whose send failed once, after the retry delay, and never again", async () => {
    // Arrange: the mail service fails the first send.
    const deps = testDeps(middayNz("2026-03-02"));
    const { id } = await verifiedRequestReceived(deps, "2026-03-02T01:00:00Z");
    deps.mailer.sent.length = 0;
    const realSend = deps.mailer.send.bind(deps.mailer);
    let failures = 1;
    deps.mailer.send = async (mail: OutboundMail) => {
      if (failures-- > 0) throw Object.assign(new Error("SES throttled"), { name: "Throttling" });
      return realSend(mail);
    };
    const at = (iso: string) => scanDeadlines(deps, { now: new Date(iso) });

    // Act
    const failed = await at("2026-03-16T00:00:00Z");
    const tooSoon = await at("2026-03-16T00:10:00Z");
    const retried = await at("2026-03-16T00:20:00Z");
    const later = await at("2026-03-16T03:00:00Z");

    // Assert
    expect(failed.failed).toEqual([{ requestId: id, key: "sla:2026-03-23:5" }]);
    expect(tooSoon.sent).toEqual([]);
    expect(retried.sent).toEqual([
      { requestId: id, key: "sla:2026-03-23:5", kind: "sla-reminder", retry: true },
    ]);
    expect(later.sent).toEqual([]);
    expect(deps.mailer.to(OFFICERS, "deadline-reminder")).toHaveLength(1);
  });

  it("resends at most once when the scanner crashed after sending but before recording it", async () => {
    // Arrange: the send succeeds but recording it fails (the process dies in between).
    const deps = testDeps(middayNz("2026-03-02"));
    await verifiedRequestReceived(deps, "2026-03-02T01:00:00Z");
    deps.mailer.sent.length = 0;
    const realMark = deps.store.markReminderSent.bind(deps.store);
    let crashes = 1;
    deps.store.markReminderSent = async (...args) => {
      if (crashes-- > 0) throw new Error("crashed");
      return realMark(...args);
    };

    // Act: scans every 20 minutes for two hours.
    for (let minutes = 0; minutes <= 120; minutes += 20) {
      await scanDeadlines(deps, { now: new Date(Date.UTC(2026, 2, 16, 0, minutes)) });
    }

    // Assert
    expect(deps.mailer.to(OFFICERS, "deadline-reminder")).toHaveLength(2);
  });
});

describe("what the scanner counts", () => {
  it("counts open, due-soon and overdue requests per jurisdiction, leaving paused ones out", async () => {
    // Arrange, as of Wed 25 Mar 2026 (NZ):
    // - NZ received 2 Mar: SLA Mon 23 Mar passed, statutory Mon 30 Mar not → overdue SLA only;
    // - NZ received Thu 5 Mar: SLA 6 (1); 9–13 (6); 16–20 (11); 23–26 (15) → Thu 26 Mar, one
    //   business day left → due within 2;
    // - NZ received 2 Mar but paused → not counted as overdue;
    // - AU received Mon 2 Feb 2026 (NSW): SLA 23 Feb, statutory 4 Mar (30 days) → overdue both.
    const deps = testDeps(middayNz("2026-03-02"));
    await verifiedRequestReceived(deps, "2026-03-02T01:00:00Z");
    await verifiedRequestReceived(deps, "2026-03-05T01:00:00Z");
    const paused = await verifiedRequestReceived(deps, "2026-03-02T01:00:00Z");
    await officerPause(deps, paused.id, officer, "clarification");
    deps.clock.set("2026-02-02T01:00:00Z");
    await submitRequest(deps, { ...accessRequest, jurisdiction: "AU" }, { channel: "web" });

    // Act
    const report = await scanDeadlines(deps, { now: new Date(middayNz("2026-03-25")) });

    // Assert
    expect(report.metrics).toEqual({
      open: { NZ: 3, AU: 1, EU: 0 },
      dueWithin2WorkingDays: { NZ: 1, AU: 0, EU: 0 },
      overdueSla: { NZ: 1, AU: 1, EU: 0 },
      overdueStatutory: { NZ: 0, AU: 1, EU: 0 },
    });
  });
});

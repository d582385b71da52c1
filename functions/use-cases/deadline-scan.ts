/**
 * The deadline scanner: run on a schedule, it reminds officers before the SLA date, escalates to
 * the privacy lead near and after the statutory date, sends a daily overdue notice, reminds
 * requesters who have not verified, and counts what it saw for the metrics.
 *
 * Reads: the open requests due soon, from the sparse open-by-due index (a Query bounded by date,
 * so its cost follows the requests due, not the table), and the requests awaiting verification.
 *
 * Once per reminder: the intent is recorded with a conditional write before the mail is sent, so
 * two scans at once (or a scan run twice) send it once. A crash or a failed send leaves an intent
 * with no `sentAt`; a later scan takes it over once (`claimReminderRetry`) after `retryAfterMs`,
 * so a crash resends at most once.
 */
import { addCalendarDays, addWorkingDays, calendarsOf } from "../domain/deadlines.js";
import { JURISDICTIONS, type Jurisdiction, type PrivacyRequest } from "../domain/model.js";
import {
  DEFAULT_REMINDER_POLICY,
  type DueReminder,
  deadlineStanding,
  type ReminderPolicy,
  remindersDue,
} from "../domain/reminders.js";
import { logError, logInfo } from "../http/log.js";
import { mailOfficers } from "./change-request.js";
import type { Deps } from "./deps.js";
import type { QueueQuery, StoredRequest } from "./ports.js";
import { issueVerificationCode } from "./requester.js";

/** An intent older than this with no `sentAt` is taken to have crashed, and is retried once. */
export const DEFAULT_RETRY_AFTER_MS = 15 * 60_000;

export type PerJurisdiction = Record<Jurisdiction, number>;

export interface ScanReport {
  at: string;
  /** Requests the due-soon and verification queries returned. */
  candidates: number;
  sent: { requestId: string; key: string; kind: DueReminder["kind"]; retry: boolean }[];
  /** Reminders owed now that an earlier (or a concurrent) scan had already recorded. */
  alreadyRecorded: number;
  failed: { requestId: string; key: string }[];
  metrics: {
    open: PerJurisdiction;
    dueWithin2WorkingDays: PerJurisdiction;
    overdueSla: PerJurisdiction;
    overdueStatutory: PerJurisdiction;
  };
}

export interface ScanOptions {
  now: Date;
  policy?: ReminderPolicy;
  retryAfterMs?: number;
}

const zeroes = (): PerJurisdiction =>
  Object.fromEntries(JURISDICTIONS.map((j) => [j, 0])) as PerJurisdiction;

/**
 * The last SLA date that can owe anything today: the furthest of (the largest threshold in
 * business days, the escalation window in statutory days) over every jurisdiction, counted from
 * tomorrow in UTC (no time zone is more than a day ahead), plus three days for regional holidays.
 * The SLA date is never after the statutory date, so the bound covers escalations too. Every
 * request read is then checked exactly in its own calendar.
 */
export function scanHorizon(now: Date, policy: ReminderPolicy): string {
  const start = addCalendarDays(now.toISOString().slice(0, 10), 1);
  const threshold = Math.max(0, ...policy.slaThresholds);
  const furthest = JURISDICTIONS.flatMap((jurisdiction) => {
    const calendars = calendarsOf({ jurisdiction });
    return [
      addWorkingDays(start, threshold, calendars.business),
      addWorkingDays(start, policy.escalateWithinWorkingDays, calendars.statutory),
    ];
  }).sort();
  return addCalendarDays(furthest[furthest.length - 1] ?? start, 3);
}

async function readAll(deps: Deps, query: QueueQuery): Promise<PrivacyRequest[]> {
  const items: PrivacyRequest[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.store.queue({ ...query, limit: 200, ...(cursor ? { cursor } : {}) });
    items.push(...page.items);
    cursor = page.cursor;
  } while (cursor);
  return items;
}

export async function scanDeadlines(deps: Deps, options: ScanOptions): Promise<ScanReport> {
  const { now } = options;
  const policy = options.policy ?? {
    ...DEFAULT_REMINDER_POLICY,
    slaThresholds: deps.settings.reminderThresholds,
  };
  const retryAfterMs = options.retryAfterMs ?? DEFAULT_RETRY_AFTER_MS;
  const [dueSoon, unverified, open] = await Promise.all([
    readAll(deps, { dueBefore: scanHorizon(now, policy) }),
    readAll(deps, { status: "awaiting-verification" }),
    deps.store.countOpen(),
  ]);
  const candidates = new Map([...dueSoon, ...unverified].map((r) => [r.id, r]));

  const report: ScanReport = {
    at: now.toISOString(),
    candidates: candidates.size,
    sent: [],
    alreadyRecorded: 0,
    failed: [],
    metrics: {
      open: { ...zeroes(), ...open },
      dueWithin2WorkingDays: zeroes(),
      overdueSla: zeroes(),
      overdueStatutory: zeroes(),
    },
  };

  for (const request of dueSoon) {
    const standing = deadlineStanding(request, now);
    if (standing.paused) continue;
    const { metrics } = report;
    if (standing.overdueStatutory) metrics.overdueStatutory[request.jurisdiction]++;
    if (standing.overdueSla) metrics.overdueSla[request.jurisdiction]++;
    else if (standing.slaLeft <= 2) metrics.dueWithin2WorkingDays[request.jurisdiction]++;
  }

  for (const candidate of candidates.values()) {
    // The index is eventually consistent: decide on the request as it is now.
    if (remindersDue(candidate, now, policy).length === 0) continue;
    const stored = await deps.store.get(candidate.id);
    if (!stored) continue;
    for (const reminder of remindersDue(stored.request, now, policy)) {
      await deliver(deps, stored, reminder, now, retryAfterMs, report);
    }
  }
  logInfo("deadline scan", {
    candidates: report.candidates,
    sent: report.sent.length,
    alreadyRecorded: report.alreadyRecorded,
    failed: report.failed.length,
  });
  return report;
}

async function deliver(
  deps: Deps,
  stored: StoredRequest,
  reminder: DueReminder,
  now: Date,
  retryAfterMs: number,
  report: ScanReport,
): Promise<void> {
  const { request } = stored;
  const at = now.toISOString();
  const earlier = stored.reminders?.[reminder.key];
  let retry = false;
  if (!earlier) {
    if (!(await deps.store.recordReminderIntent(request.id, reminder.key, at))) {
      report.alreadyRecorded++;
      return;
    }
  } else {
    const staleBefore = new Date(now.getTime() - retryAfterMs).toISOString();
    const unconfirmed = !earlier.sentAt && !earlier.retriedAt && earlier.recordedAt < staleBefore;
    if (
      !unconfirmed ||
      !(await deps.store.claimReminderRetry(request.id, reminder.key, at, staleBefore))
    ) {
      report.alreadyRecorded++;
      return;
    }
    retry = true;
  }
  try {
    await send(deps, request, reminder);
    await deps.store.markReminderSent(request.id, reminder.key, deps.clock.now().toISOString());
    report.sent.push({ requestId: request.id, key: reminder.key, kind: reminder.kind, retry });
  } catch (error) {
    // The intent stays unconfirmed: a later scan retries it once. The other reminders go on.
    report.failed.push({ requestId: request.id, key: reminder.key });
    logError("reminder not sent", {
      requestId: request.id,
      reminder: reminder.key,
      error: error instanceof Error ? error.name : "unknown",
    });
  }
}

function send(deps: Deps, request: PrivacyRequest, reminder: DueReminder): Promise<void> {
  const base = { id: request.id, type: request.type, due: request.due };
  switch (reminder.kind) {
    case "sla-reminder":
      return mailOfficers(deps, request, "deadline-reminder", {
        ...base,
        workingDaysLeft: reminder.workingDaysLeft,
      });
    case "overdue-notice":
      return mailOfficers(deps, request, "overdue-notice", {
        ...base,
        workingDaysOverdue: Math.abs(reminder.workingDaysLeft),
      });
    case "statutory-escalation":
    case "statutory-passed":
      return mailOfficers(
        deps,
        request,
        "statutory-escalation",
        {
          ...base,
          workingDaysLeft: Math.max(0, reminder.workingDaysLeft),
          passed: reminder.kind === "statutory-passed",
        },
        "lead",
      );
    case "verification-reminder":
      return issueVerificationCode(deps, request.id, { reminder: true });
  }
}

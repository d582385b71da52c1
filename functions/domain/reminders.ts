/**
 * Which deadline reminders a request is owed at an instant: a pure function of the request, the
 * instant and the policy, so the scanner only has to ask and then send each answer once.
 *
 * Every reminder has a key that names what it is about, including the date it counts towards.
 * The store records a key once (docs/architecture.md, "reminders"), so a key is sent once per
 * request however often the scanner runs; when an extension or a pause moves a date, the reminders
 * for the new date have new keys and are sent again, which is what an officer needs.
 *
 * Days are counted in the request's own calendars, in its own time zone:
 * - SLA reminders and the overdue notice (sent each business day) use business days (Mon–Fri
 *   less public holidays);
 * - the escalation uses the statutory calendar (NZ: s7 working days, with the summer close).
 */
import { calendarsOf, isWorkingDay, localDateOf, workingDaysBetween } from "./deadlines.js";
import type { CalendarDate, PrivacyRequest } from "./model.js";

export interface ReminderPolicy {
  /** Working days before the SLA date at which officers are reminded (0 = the due day). */
  slaThresholds: readonly number[];
  /** Escalate to the privacy lead when the statutory date is this many working days away. */
  escalateWithinWorkingDays: number;
  /** Remind a requester who has not verified after this many business days. */
  verificationReminderAfterWorkingDays: number;
}

export const DEFAULT_REMINDER_POLICY: ReminderPolicy = {
  slaThresholds: [5, 2, 1, 0],
  escalateWithinWorkingDays: 2,
  verificationReminderAfterWorkingDays: 2,
};

export type ReminderKind =
  | "sla-reminder"
  | "statutory-escalation"
  | "statutory-passed"
  | "overdue-notice"
  | "verification-reminder";

export interface DueReminder {
  /** Unique per request and occasion: recorded before sending, so it is sent once. */
  key: string;
  kind: ReminderKind;
  audience: "officers" | "lead" | "requester";
  /** The date the reminder counts towards. */
  dueDate: CalendarDate;
  /** Working days left (negative: overdue by that many working days). */
  workingDaysLeft: number;
}

/** Where a request stands against both of its dates on a local day. */
export interface DeadlineStanding {
  today: CalendarDate;
  /** Business days left to the SLA date; negative when past it. */
  slaLeft: number;
  /** Statutory working days left; negative when past it. */
  statutoryLeft: number;
  overdueSla: boolean;
  overdueStatutory: boolean;
  /** The clock is stopped (waiting on the requester): its dates will move when it resumes. */
  paused: boolean;
}

/** Days left, counting so that a date that has passed is never "0 left" (a Friday seen on Sunday). */
function daysLeft(
  today: CalendarDate,
  due: CalendarDate,
  calendar: Parameters<typeof workingDaysBetween>[2],
) {
  if (today <= due) return workingDaysBetween(today, due, calendar);
  return Math.min(-1, workingDaysBetween(due, today, calendar) * -1);
}

export function deadlineStanding(request: PrivacyRequest, now: Date): DeadlineStanding {
  const today = localDateOf(now, request.jurisdiction, request.region);
  const calendars = calendarsOf(request);
  return {
    today,
    slaLeft: daysLeft(today, request.due.sla, calendars.business),
    statutoryLeft: daysLeft(today, request.due.statutory, calendars.statutory),
    overdueSla: today > request.due.sla,
    overdueStatutory: today > request.due.statutory,
    paused: request.pauses.some((p) => p.endedAt === undefined),
  };
}

/**
 * The reminders owed now, most urgent first. Only the most urgent SLA threshold reached is owed:
 * a scanner that was down for three days sends "due tomorrow", not every reminder it missed.
 * A closed request is owed nothing, and neither is a paused one: its dates are about to move.
 */
export function remindersDue(
  request: PrivacyRequest,
  now: Date,
  policy: ReminderPolicy = DEFAULT_REMINDER_POLICY,
): DueReminder[] {
  if (request.status === "closed") return [];
  const standing = deadlineStanding(request, now);
  if (standing.paused) return [];
  const { due } = request;
  const owed: DueReminder[] = [];

  if (standing.overdueStatutory) {
    owed.push({
      key: `statutory:${due.statutory}:passed`,
      kind: "statutory-passed",
      audience: "lead",
      dueDate: due.statutory,
      workingDaysLeft: standing.statutoryLeft,
    });
  } else if (standing.statutoryLeft <= policy.escalateWithinWorkingDays) {
    owed.push({
      key: `statutory:${due.statutory}:near`,
      kind: "statutory-escalation",
      audience: "lead",
      dueDate: due.statutory,
      workingDaysLeft: standing.statutoryLeft,
    });
  }

  if (standing.overdueSla) {
    // Every working day; nobody reads a weekend notice before Monday's.
    if (isWorkingDay(standing.today, calendarsOf(request).business)) {
      owed.push({
        key: `overdue:${standing.today}`,
        kind: "overdue-notice",
        audience: "officers",
        dueDate: due.sla,
        workingDaysLeft: standing.slaLeft,
      });
    }
  } else {
    const reached = policy.slaThresholds
      .filter((t) => t >= standing.slaLeft)
      .sort((a, b) => a - b)[0];
    if (reached !== undefined) {
      owed.push({
        key: `sla:${due.sla}:${reached}`,
        kind: "sla-reminder",
        audience: "officers",
        dueDate: due.sla,
        workingDaysLeft: standing.slaLeft,
      });
    }
  }

  if (request.status === "awaiting-verification" && !request.anonymous) {
    const received = localDateOf(request.receivedAt, request.jurisdiction, request.region);
    const waited = workingDaysBetween(received, standing.today, calendarsOf(request).business);
    if (waited >= policy.verificationReminderAfterWorkingDays) {
      owed.push({
        key: "verification:reminder",
        kind: "verification-reminder",
        audience: "requester",
        dueDate: due.sla,
        workingDaysLeft: standing.slaLeft,
      });
    }
  }
  return owed;
}

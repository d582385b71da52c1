/**
 * The request lifecycle as one pure function:
 *
 *   transition(request, command, now) → { request, event }   or throws TransitionError
 *
 * verify ▶ fee assessment ▶ fee payment ▶ fulfil ▶ close. The returned request has version + 1,
 * `updatedAt = now` and the event appended to its history; the input is never mutated. Every status
 * change and every officer action appends exactly one history event (who, what, when, why).
 */
import { type CommandKind, type LifecycleCommand, TransitionError } from "./commands.js";
import {
  addWorkingDays,
  calendarsOf,
  earliest,
  explainDueDates,
  latest,
  localDateOf,
  workingDaysBetween,
} from "./deadlines.js";
import { feeApplies } from "./fees.js";
import type {
  CalendarDate,
  DueDates,
  Extension,
  HistoryEvent,
  Outcome,
  PrivacyRequest,
  RequestStatus,
} from "./model.js";

export const MAX_VERIFICATION_ATTEMPTS = 5;

/** NZ Privacy Act 2020 s48(1): the only grounds on which the time limit may be extended. */
export const NZ_EXTENSION_REASONS = [
  "large-quantity-of-information",
  "consultation-needed",
  "complexity",
] as const;

export interface TransitionResult {
  request: PrivacyRequest;
  event: HistoryEvent;
}

type Change = {
  status?: RequestStatus;
  outcome?: Outcome;
  patch?: Partial<PrivacyRequest>;
  event: Omit<HistoryEvent, "at" | "actor" | "fromStatus" | "toStatus">;
};

const OPEN_STATUSES: readonly RequestStatus[] = [
  "awaiting-verification",
  "awaiting-fee-assessment",
  "awaiting-fee-payment",
  "in-fulfilment",
];

export function isOpen(request: Pick<PrivacyRequest, "status">): boolean {
  return request.status !== "closed";
}

export function transition(
  request: PrivacyRequest,
  command: LifecycleCommand,
  now: Date,
): TransitionResult {
  const change = decide(request, command, now);
  const at = now.toISOString();
  const toStatus = change.status;
  const event: HistoryEvent = {
    at,
    actor: command.actor,
    ...change.event,
    ...(toStatus && toStatus !== request.status ? { fromStatus: request.status, toStatus } : {}),
  };
  const closing = toStatus === "closed" && request.status !== "closed";
  const next: PrivacyRequest = {
    ...request,
    ...change.patch,
    status: toStatus ?? request.status,
    ...(change.outcome ? { outcome: change.outcome } : {}),
    ...(closing ? { closedAt: at } : {}),
    history: [...request.history, event],
    version: request.version + 1,
    updatedAt: at,
  };
  return { request: next, event };
}

function refuse(
  request: PrivacyRequest,
  command: CommandKind,
  code: TransitionError["code"] = "not-allowed-in-status",
  message?: string,
): never {
  throw new TransitionError(
    code,
    message ?? `${command} is not allowed while the request is ${request.status}`,
    request.status,
    command,
  );
}

function requireStatus(
  request: PrivacyRequest,
  command: CommandKind,
  ...allowed: RequestStatus[]
): void {
  if (!allowed.includes(request.status)) refuse(request, command);
}

function close(outcome: Outcome, action: string, reason?: string, note?: string): Change {
  return {
    status: "closed",
    outcome,
    ...(reason ? { patch: { closeReason: reason } } : {}),
    event: { action, public: true, ...(reason ? { reason } : {}), ...(note ? { note } : {}) },
  };
}

function decide(request: PrivacyRequest, command: LifecycleCommand, now: Date): Change {
  const kind = command.kind;
  switch (command.kind) {
    case "verify": {
      requireStatus(request, kind, "awaiting-verification");
      const next = feeApplies(request) ? "awaiting-fee-assessment" : "in-fulfilment";
      return {
        status: next,
        patch: {
          verification: {
            ...request.verification,
            codeHash: undefined,
            verifiedAt: now.toISOString(),
            method: command.method,
          },
        },
        event: {
          action: "verified",
          public: true,
          details: { method: command.method },
          ...(command.note ? { note: command.note } : {}),
        },
      };
    }
    case "reject-verification":
      requireStatus(request, kind, "awaiting-verification");
      return close("unverified", "verification-rejected", command.note, undefined);
    case "expire-verification":
      requireStatus(request, kind, "awaiting-verification");
      return close("unverified", "verification-expired", "Identity was not verified in time");
    case "issue-verification-code":
      requireStatus(request, kind, "awaiting-verification");
      return {
        patch: {
          verification: {
            ...request.verification,
            codeHash: command.codeHash,
            codeExpiresAt: command.expiresAt,
            attempts: 0,
          },
        },
        event: { action: "verification-code-sent", public: true },
      };
    case "record-failed-verification-attempt": {
      requireStatus(request, kind, "awaiting-verification");
      if (request.verification.attempts >= MAX_VERIFICATION_ATTEMPTS) {
        refuse(request, kind, "verification-locked", "Too many wrong codes: ask for a new code");
      }
      const attempts = request.verification.attempts + 1;
      return {
        patch: { verification: { ...request.verification, attempts } },
        event: { action: "verification-attempt-failed", public: false, details: { attempts } },
      };
    }
    case "mark-manifestly-unfounded":
      requireStatus(request, kind, "awaiting-verification", "awaiting-fee-assessment");
      if (request.jurisdiction !== "EU") {
        refuse(request, kind, "fee-not-applicable", "Only GDPR requests are marked this way");
      }
      return {
        patch: { manifestlyUnfoundedOrExcessive: true },
        event: { action: "marked-manifestly-unfounded", public: true, reason: command.reason },
      };
    case "assess-fee":
      requireStatus(request, kind, "awaiting-fee-assessment");
      return assessFee(request, command, now);
    case "waive-fee-by-default":
      requireStatus(request, kind, "awaiting-fee-assessment");
      return {
        status: "in-fulfilment",
        patch: {
          fee: {
            amount: 0,
            state: "waived",
            assessedAt: now.toISOString(),
            assessedBy: command.actor,
          },
        },
        event: {
          action: "fee-waived",
          public: true,
          reason: "Not assessed in time: no fee, as the policy's default",
        },
      };
    case "respond-to-fee": {
      requireStatus(request, kind, "awaiting-fee-payment");
      const fee = request.fee ?? refuse(request, kind);
      if (!command.accept) {
        return {
          ...close("fee-declined", "fee-declined"),
          patch: { fee: { ...fee, state: "declined" } },
        };
      }
      return {
        patch: { fee: { ...fee, state: "accepted" } },
        event: { action: "fee-accepted", public: true },
      };
    }
    case "record-payment": {
      requireStatus(request, kind, "awaiting-fee-payment");
      const fee = request.fee ?? refuse(request, kind);
      return {
        status: "in-fulfilment",
        patch: { fee: { ...fee, state: "paid" } },
        event: {
          action: "fee-paid",
          public: true,
          ...(command.note ? { note: command.note } : {}),
        },
      };
    }
    case "extend":
      requireStatus(request, kind, ...OPEN_STATUSES);
      return extend(request, command, now);
    case "pause":
      requireStatus(request, kind, ...OPEN_STATUSES);
      if (request.pauses.some((p) => p.endedAt === undefined)) {
        refuse(request, kind, "already-paused", "The clock is already paused");
      }
      return {
        patch: {
          pauses: [...request.pauses, { startedAt: now.toISOString(), reason: command.reason }],
        },
        event: { action: "clock-paused", public: true, reason: command.reason },
      };
    case "resume":
      requireStatus(request, kind, ...OPEN_STATUSES);
      return resume(request, now);
    case "fulfil":
      requireStatus(request, kind, "in-fulfilment");
      return {
        status: "closed",
        outcome: "completed",
        patch: {
          fulfilment: {
            summary: command.summary,
            documents: command.documents ?? [],
            corrections: command.corrections ?? [],
            at: now.toISOString(),
            by: command.actor,
          },
        },
        event: {
          action: "fulfilled",
          public: true,
          details: {
            documents: command.documents?.length ?? 0,
            corrections: command.corrections?.length ?? 0,
          },
        },
      };
    case "close":
      requireStatus(request, kind, ...OPEN_STATUSES);
      if (command.outcome === "refused" && !command.reason?.trim()) {
        refuse(request, kind, "reason-required", "A refusal must give its reason");
      }
      return close(command.outcome, "closed", command.reason);
    case "withdraw":
      requireStatus(request, kind, ...OPEN_STATUSES);
      return close("withdrawn", "withdrawn");
    case "add-note":
      return { event: { action: "note-added", public: false, note: command.text } };
    case "assign":
      requireStatus(request, kind, ...OPEN_STATUSES);
      return {
        patch: { assignee: command.assignee },
        event: {
          action: command.assignee ? "assigned" : "unassigned",
          public: false,
          details: { assignee: command.assignee ?? null, previous: request.assignee ?? null },
        },
      };
    case "add-correspondence":
      // The same message delivered twice (SES retries, a duplicate) is recorded once.
      if (
        request.history.some(
          (e) =>
            e.action === "correspondence-received" && e.details?.messageRef === command.messageRef,
        )
      ) {
        refuse(request, kind, "already-recorded", "This message is already on the request");
      }
      return {
        event: {
          action: "correspondence-received",
          public: false,
          ...(command.text ? { note: command.text } : {}),
          details: {
            messageRef: command.messageRef,
            attachments: command.attachments,
            ...(command.problems?.length ? { problems: command.problems } : {}),
            ...command.details,
          },
        },
      };
    case "classify":
      requireStatus(request, kind, ...OPEN_STATUSES);
      return classify(request, command);
    case "record-identity-evidence":
      requireStatus(request, kind, ...OPEN_STATUSES);
      return {
        patch: {
          verification: {
            ...request.verification,
            evidence: [...(request.verification.evidence ?? []), command.evidence],
          },
        },
        event: {
          action: "identity-evidence-recorded",
          public: false,
          details: { evidence: command.evidence },
        },
      };
  }
}

function assessFee(
  request: PrivacyRequest,
  command: Extract<LifecycleCommand, { kind: "assess-fee" }>,
  now: Date,
): Change {
  if (!feeApplies(request) && command.amount > 0) {
    refuse(request, command.kind, "fee-not-applicable", "No fee may be charged for this request");
  }
  if (!Number.isFinite(command.amount) || command.amount < 0) {
    refuse(request, command.kind, "invalid-fee", "The amount must be zero or more");
  }
  const assessedAt = now.toISOString();
  if (command.amount === 0) {
    return {
      status: "in-fulfilment",
      patch: { fee: { amount: 0, state: "waived", assessedAt, assessedBy: command.actor } },
      event: {
        action: "fee-waived",
        public: true,
        ...(command.reason ? { reason: command.reason } : {}),
      },
    };
  }
  if (!command.currency || !/^[A-Z]{3}$/.test(command.currency) || !command.reason?.trim()) {
    refuse(request, command.kind, "invalid-fee", "A fee needs a currency (ISO 4217) and a reason");
  }
  return {
    status: "awaiting-fee-payment",
    patch: {
      fee: {
        amount: command.amount,
        currency: command.currency,
        reason: command.reason,
        state: "charged",
        assessedAt,
        assessedBy: command.actor,
      },
    },
    event: {
      action: "fee-assessed",
      public: true,
      reason: command.reason,
      details: { amount: command.amount, currency: command.currency },
    },
  };
}

/** Calendar dates compare as strings (YYYY-MM-DD). */
/** GDPR Art. 12(3): at most two further months, counted as Regulation 1182/71 counts months. */
function monthsAfter(date: CalendarDate, months: number): CalendarDate {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  const lastDay = new Date(Date.UTC(y, m - 1 + months + 1, 0)).getUTCDate();
  return new Date(Date.UTC(y, m - 1 + months, Math.min(d, lastDay))).toISOString().slice(0, 10);
}

function extend(
  request: PrivacyRequest,
  command: Extract<LifecycleCommand, { kind: "extend" }>,
  now: Date,
): Change {
  const invalid = (message: string): never =>
    refuse(request, command.kind, "invalid-extension", message);
  const cal = calendarsOf(request);
  const today = localDateOf(now, request.jurisdiction, request.region);
  const { due } = request;

  if ((command.until === undefined) === (command.workingDays === undefined)) {
    invalid("Give either a date (until) or a number of working days, not both");
  }
  if (request.jurisdiction === "NZ") {
    if (!(NZ_EXTENSION_REASONS as readonly string[]).includes(command.reason)) {
      invalid(`Privacy Act s48 allows only: ${NZ_EXTENSION_REASONS.join(", ")}`);
    }
    if (today > due.statutory) {
      invalid("An extension must be notified before the statutory date has passed (s48)");
    }
  }
  if (request.jurisdiction === "EU" && today > request.originalDue.statutory) {
    invalid("GDPR extensions must be notified within the first month (Art. 12(3))");
  }
  if (!command.reason.trim()) invalid("An extension needs a reason");

  const statutory =
    command.workingDays !== undefined
      ? addWorkingDays(due.statutory, command.workingDays, cal.statutory)
      : (command.until as CalendarDate);
  if (statutory <= due.statutory) invalid("The new date must be after the current statutory date");
  if (request.jurisdiction === "EU" && statutory > monthsAfter(request.originalDue.statutory, 2)) {
    invalid("GDPR allows at most two further months (Art. 12(3))");
  }
  // The provider's promise moves by as many working days as the statutory date did.
  const moved = workingDaysBetween(due.statutory, statutory, cal.statutory);
  const slaMoved = addWorkingDays(due.sla, moved, cal.business);
  const newDue: DueDates = { sla: latest(due.sla, earliest(slaMoved, statutory)), statutory };
  const extension: Extension = {
    at: now.toISOString(),
    by: command.actor,
    reason: command.reason,
    ...(command.note ? { note: command.note } : {}),
    previousStatutory: due.statutory,
    newStatutory: newDue.statutory,
    previousSla: due.sla,
    newSla: newDue.sla,
  };
  return {
    patch: { due: newDue, extensions: [...request.extensions, extension] },
    event: {
      action: "extended",
      public: true,
      reason: command.reason,
      ...(command.note ? { note: command.note } : {}),
      details: {
        previous: due,
        due: newDue,
        workingDaysAdded: moved,
        ...(command.until ? { until: command.until } : { workingDays: command.workingDays }),
      },
    },
  };
}

function classify(
  request: PrivacyRequest,
  command: Extract<LifecycleCommand, { kind: "classify" }>,
): Change {
  const jurisdiction = command.jurisdiction ?? request.jurisdiction;
  const region = command.jurisdiction ? command.region : (command.region ?? request.region);
  const moved = jurisdiction !== request.jurisdiction || region !== request.region;
  if (moved && (request.extensions.length > 0 || request.pauses.length > 0)) {
    refuse(
      request,
      command.kind,
      "dates-already-moved",
      "The due dates were extended or paused: change the jurisdiction before that",
    );
  }
  const due = moved
    ? (() => {
        const explained = explainDueDates({
          receivedAt: request.receivedAt,
          jurisdiction,
          region,
          slaBusinessDays: command.slaBusinessDays,
        });
        const statutory = explained.statutory.date;
        return { sla: earliest(explained.sla.date, statutory), statutory };
      })()
    : request.due;
  return {
    patch: {
      type: command.type,
      ...(moved ? { jurisdiction, region, due, originalDue: due } : {}),
    },
    event: {
      action: "classified",
      public: true,
      details: {
        type: command.type,
        previousType: request.type,
        ...(moved ? { jurisdiction, region, previousDue: request.due, due } : {}),
      },
    },
  };
}

function resume(request: PrivacyRequest, now: Date): Change {
  const open = request.pauses.findIndex((p) => p.endedAt === undefined);
  const pause = request.pauses[open];
  if (!pause) refuse(request, "resume", "not-paused", "The clock is not paused");
  const cal = calendarsOf(request);
  const from = localDateOf(pause.startedAt, request.jurisdiction, request.region);
  const to = localDateOf(now, request.jurisdiction, request.region);
  // Days the clock stood still: the working days after the pause began, up to the resume day.
  const statutoryDays = Math.max(0, workingDaysBetween(from, to, cal.statutory));
  const businessDays = Math.max(0, workingDaysBetween(from, to, cal.business));
  const statutory = addWorkingDays(request.due.statutory, statutoryDays, cal.statutory);
  const sla = addWorkingDays(request.due.sla, businessDays, cal.business);
  // The promise never runs past the law.
  const due: DueDates = { statutory, sla: earliest(sla, statutory) };
  const pauses = request.pauses.map((p, i) =>
    i === open ? { ...p, endedAt: now.toISOString(), workingDays: statutoryDays } : p,
  );
  return {
    patch: { due, pauses },
    event: {
      action: "clock-resumed",
      public: true,
      reason: pause.reason,
      details: { previous: request.due, due, workingDaysPaused: statutoryDays },
    },
  };
}

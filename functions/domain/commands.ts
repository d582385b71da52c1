/**
 * Commands the lifecycle accepts. `transition(request, command, now)` in lifecycle.ts applies one
 * and returns the new request (version + 1) and the history event it appended, or a
 * TransitionError saying why the command is not allowed in the request's current status.
 */
import type {
  Actor,
  CalendarDate,
  Jurisdiction,
  Outcome,
  PrivacyRequest,
  RequestType,
} from "./model.js";

export type LifecycleCommand =
  /** Code accepted (requester) or manual check (officer). Moves on to fee assessment or fulfilment. */
  | { kind: "verify"; actor: Actor; method: string; note?: string }
  /** Officer rejects the identity evidence: closed as unverified. */
  | { kind: "reject-verification"; actor: Actor; method: string; note?: string }
  /** A wrong code: counts the attempt (no status change). */
  | { kind: "record-failed-verification-attempt"; actor: Actor }
  /** A new code issued (hash stored, attempts reset). */
  | { kind: "issue-verification-code"; actor: Actor; codeHash: string; expiresAt: string }
  /** The verification wait ran out: closed as unverified. */
  | { kind: "expire-verification"; actor: Actor }
  /** GDPR Art. 12(5): lets a fee be charged on an EU request. */
  | { kind: "mark-manifestly-unfounded"; actor: Actor; reason: string }
  /** amount 0 waives. */
  | { kind: "assess-fee"; actor: Actor; amount: number; currency?: string; reason?: string }
  /** Nobody assessed in time: the policy's default, no fee. */
  | { kind: "waive-fee-by-default"; actor: Actor }
  | { kind: "respond-to-fee"; actor: Actor; accept: boolean }
  | { kind: "record-payment"; actor: Actor; note?: string }
  | {
      kind: "extend";
      actor: Actor;
      reason: string;
      note?: string;
      until?: CalendarDate;
      workingDays?: number;
    }
  | { kind: "pause"; actor: Actor; reason: string }
  | { kind: "resume"; actor: Actor }
  | {
      kind: "fulfil";
      actor: Actor;
      summary: string;
      documents?: { key: string; name: string }[];
      corrections?: { field: string; correctedValue: string }[];
    }
  | { kind: "close"; actor: Actor; outcome: Outcome; reason?: string }
  | { kind: "withdraw"; actor: Actor }
  | { kind: "add-note"; actor: Actor; text: string }
  /** An officer takes the request (or hands it on); `assignee` undefined returns it to the pool. */
  | { kind: "assign"; actor: Actor; assignee?: string }
  /** Email correspondence threaded onto the request (no status change). */
  | {
      kind: "add-correspondence";
      actor: Actor;
      messageRef: string;
      attachments: string[];
      /** The message's text, for the officer (never shown to the requester's status page). */
      text?: string;
      /** What was wrong with the message (html-only, unknown charset...), kept with it. */
      problems?: string[];
      details?: Record<string, unknown>;
    }
  /**
   * The officer decides what an email request is (and where, if it is not the default): the due
   * dates are worked out again from the receipt when the jurisdiction changes.
   */
  | {
      kind: "classify";
      actor: Actor;
      type: RequestType;
      jurisdiction?: Jurisdiction;
      region?: string;
      slaBusinessDays?: number;
    }
  /** Identity evidence gathered without verification (e.g. DKIM-authenticated email). */
  | { kind: "record-identity-evidence"; actor: Actor; evidence: string };

export type CommandKind = LifecycleCommand["kind"];

export type TransitionErrorCode =
  | "not-allowed-in-status"
  | "fee-not-applicable"
  | "invalid-extension"
  | "verification-locked"
  | "already-paused"
  | "not-paused"
  | "invalid-fee"
  | "reason-required"
  | "dates-already-moved"
  | "already-recorded";

export class TransitionError extends Error {
  constructor(
    readonly code: TransitionErrorCode,
    message: string,
    readonly status: PrivacyRequest["status"],
    readonly command: CommandKind,
  ) {
    super(message);
    this.name = "TransitionError";
  }
}

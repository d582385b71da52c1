/**
 * Ports the use cases depend on. DynamoDB / SES / Step Functions / S3 implementations live in
 * `functions/adapters/`; tests pass in-memory fakes (test/support/fakes.ts) or the real adapters
 * against the local emulators.
 */
import type { Jurisdiction, OpenStatus, PrivacyRequest, RequestStatus } from "../domain/model.js";

/** What the store keeps beside the request that the domain never sees. */
export interface StoredRequest {
  request: PrivacyRequest;
  /** sha-256 hex of the requester's status token. */
  statusTokenHash: string;
  /** The last Step Functions task token stored, and the status (phase) it waits in. */
  waitingTask?: { phase: OpenStatus; token: string };
  /** Deadline reminders: key → when the intent was recorded, retried, and when the mail went out. */
  reminders?: Record<string, ReminderRecord>;
}

export interface ReminderRecord {
  recordedAt: string;
  /** Set when a scan took over an intent whose send never confirmed (one retry at most). */
  retriedAt?: string;
  sentAt?: string;
}

export interface QueueQuery {
  status?: RequestStatus;
  type?: string;
  /** Calendar date: only requests whose SLA date is on or before it. */
  dueBefore?: string;
  limit?: number;
  cursor?: string;
}

export interface QueuePage {
  items: PrivacyRequest[];
  cursor?: string;
}

export interface RequestStore {
  /** Writes a new request; throws RequestExistsError if the id is taken. */
  create(request: PrivacyRequest, statusTokenHash: string): Promise<void>;
  get(id: string): Promise<StoredRequest | undefined>;
  /**
   * Writes `request` (whose `version` is already the new one) if the stored version is
   * `request.version - 1`; otherwise throws ConcurrentUpdateError. The waiting task stays as
   * stored, with its phase: callers use a token only for the phase it was issued in.
   */
  save(request: PrivacyRequest): Promise<void>;
  /** Records the token the workflow waits on, only while the request is still in `phase`. */
  setWaitingTask(id: string, phase: OpenStatus, token: string): Promise<boolean>;
  /** Open requests soonest SLA date first (sparse GSI), or by status. Never a Scan. */
  queue(query: QueueQuery): Promise<QueuePage>;
  /** Idempotency-Key → request id. Returns the existing claim if the key was used before. */
  claimIdempotencyKey(
    key: string,
    fingerprint: string,
    requestId: string,
    at: string,
  ): Promise<{ requestId: string; fingerprint: string } | undefined>;
  /** Conditional write of a reminder intent; false when it was already recorded. */
  recordReminderIntent(id: string, reminderKey: string, at: string): Promise<boolean>;
  /**
   * Takes over an intent recorded before `recordedBefore` whose mail never confirmed (a crash or a
   * failed send), once: true for exactly one caller, false once it was retried or sent.
   */
  claimReminderRetry(
    id: string,
    reminderKey: string,
    at: string,
    recordedBefore: string,
  ): Promise<boolean>;
  markReminderSent(id: string, reminderKey: string, at: string): Promise<void>;
  /** Open requests per jurisdiction, read from the sparse open index (never a Scan). */
  countOpen(): Promise<Partial<Record<Jurisdiction, number>>>;
  /** Marketing suppression list, keyed by the hash of the email address. */
  addSuppression(emailHash: string, requestId: string, at: string): Promise<void>;
  isSuppressed(emailHash: string): Promise<boolean>;
  /** Remembers which request a mail we sent was about, so a reply can find it (In-Reply-To). */
  recordOutboundMessage(messageId: string, requestId: string, at: string): Promise<void>;
  requestForOutboundMessage(messageId: string): Promise<string | undefined>;
  /** Keeps the outcome of an inbound email that opened nothing (idempotent per SES message). */
  recordInbound(record: InboundRecord): Promise<void>;
}

/** An inbound email that opened nothing: why, and where its raw message is kept. */
export interface InboundRecord {
  sesMessageId: string;
  objectKey: string;
  receivedAt: string;
  outcome: "dropped" | "quarantined";
  reason: string;
}

export interface OutboundMail {
  to: string[];
  subject: string;
  text: string;
  html?: string;
  /** Threading: the Message-ID we are replying to. */
  inReplyTo?: string;
  /** Logged instead of addresses. */
  requestId: string;
  template: string;
}

export interface Mailer {
  send(mail: OutboundMail): Promise<{ messageId: string }>;
}

export interface Workflow {
  /** Starts the one execution of this request; a second start of the same id is a no-op. */
  start(input: WorkflowInput): Promise<void>;
  succeed(taskToken: string, output: Record<string, unknown>): Promise<void>;
  fail(taskToken: string, error: string, cause: string): Promise<void>;
  /** Stops the request's execution (withdraw, officer close). Missing or finished is fine. */
  stop(requestId: string, cause: string): Promise<void>;
}

export interface WorkflowInput {
  requestId: string;
  type: string;
  jurisdiction: string;
  feeApplicable: boolean;
}

export interface DocumentStore {
  /** A short-lived link to a stored document; never an attachment. */
  presignDownload(key: string, expiresInSeconds: number): Promise<string>;
  putObject(key: string, body: Uint8Array | string, contentType: string): Promise<void>;
  getObject(key: string): Promise<Uint8Array | undefined>;
}

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/**
 * The privacy request as the policy describes it: who asks, for what, where, and where it stands.
 * Schemas are the single source of the types (`z.infer`); the HTTP layer validates with them.
 */
import { z } from "zod";

export const REQUEST_TYPES = [
  "access",
  "correction",
  "deletion",
  "marketing-opt-out",
  "complaint",
] as const;
export const requestTypeSchema = z.enum(REQUEST_TYPES);
export type RequestType = z.infer<typeof requestTypeSchema>;

export const RELATIONSHIPS = [
  "customer",
  "customer-employee-or-customer",
  "contractor",
  "supplier",
  "job-applicant",
  "other",
] as const;
export const relationshipSchema = z.enum(RELATIONSHIPS);
export type Relationship = z.infer<typeof relationshipSchema>;

export const JURISDICTIONS = ["NZ", "AU", "EU"] as const;
export const jurisdictionSchema = z.enum(JURISDICTIONS);
export type Jurisdiction = z.infer<typeof jurisdictionSchema>;

export const STATUSES = [
  "awaiting-verification",
  "awaiting-fee-assessment",
  "awaiting-fee-payment",
  "in-fulfilment",
  "closed",
] as const;
export const statusSchema = z.enum(STATUSES);
export type RequestStatus = z.infer<typeof statusSchema>;
export type OpenStatus = Exclude<RequestStatus, "closed">;

export const OUTCOMES = [
  "completed",
  "refused",
  "withdrawn",
  "unverified",
  "fee-declined",
] as const;
export const outcomeSchema = z.enum(OUTCOMES);
export type Outcome = z.infer<typeof outcomeSchema>;

export const CHANNELS = ["web", "email"] as const;
export type Channel = (typeof CHANNELS)[number];

/** Calendar date `YYYY-MM-DD` in the jurisdiction's local time. */
export const calendarDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "must be a calendar date YYYY-MM-DD")
  .refine(
    (s) =>
      !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) &&
      new Date(`${s}T00:00:00Z`).toISOString().startsWith(s),
    "is not a real date",
  );
export type CalendarDate = z.infer<typeof calendarDateSchema>;

export const requesterSchema = z.object({
  name: z.string().trim().min(1).max(200),
  email: z.string().trim().email().max(254),
  phone: z.string().trim().min(3).max(40).optional(),
});
export type Requester = z.infer<typeof requesterSchema>;

export const correctionSchema = z.object({
  field: z.string().trim().min(1).max(200),
  currentValue: z.string().max(2000).optional(),
  correctedValue: z.string().max(2000),
});
export type CorrectionRequested = z.infer<typeof correctionSchema>;

/** Body of `POST /requests`. */
export const submitRequestSchema = z
  .object({
    type: requestTypeSchema,
    requester: requesterSchema,
    relationship: relationshipSchema.default("customer"),
    jurisdiction: jurisdictionSchema,
    region: z.string().trim().min(2).max(6).optional(),
    description: z.string().trim().min(1).max(10_000),
    anonymous: z.boolean().default(false),
    correction: z.array(correctionSchema).max(50).optional(),
  })
  .strict();
export type SubmitRequestInput = z.infer<typeof submitRequestSchema>;

export type ActorKind = "requester" | "officer" | "system";
export interface Actor {
  kind: ActorKind;
  /** Officer: the JWT subject or email; requester and system: omitted or a component name. Never a requester's personal data. */
  id?: string;
}

/** One entry of the request's append-only history. */
export interface HistoryEvent {
  at: string; // ISO instant
  actor: Actor;
  action: string; // kebab-case verb: submitted, verified, fee-assessed, extended, note-added...
  fromStatus?: RequestStatus;
  toStatus?: RequestStatus;
  reason?: string;
  note?: string;
  /** Structured details: due-date explanation, fee, extension period. No secrets. */
  details?: Record<string, unknown>;
  /** Shown on the requester's status page. Officer notes and internal events are false. */
  public: boolean;
}

export interface DueDates {
  sla: CalendarDate;
  statutory: CalendarDate;
}

export interface Verification {
  codeHash?: string;
  codeExpiresAt?: string;
  attempts: number;
  verifiedAt?: string;
  method?: string; // "email-code" | "document-check" | ...
  /** Evidence gathered without completing verification, e.g. a DKIM/SPF-authenticated email. */
  evidence?: string[];
}

export interface Fee {
  amount: number; // minor units avoided on purpose: decimal amount as given, e.g. 25.5
  currency?: string;
  reason?: string;
  state: "waived" | "charged" | "accepted" | "paid" | "declined";
  assessedAt: string;
  assessedBy: Actor;
}

export interface Extension {
  at: string;
  by: Actor;
  reason: string;
  note?: string;
  previousStatutory: CalendarDate;
  newStatutory: CalendarDate;
  previousSla: CalendarDate;
  newSla: CalendarDate;
}

export interface Pause {
  startedAt: string;
  endedAt?: string;
  reason: string;
  workingDays?: number;
}

export interface Fulfilment {
  summary: string;
  documents: { key: string; name: string }[];
  corrections: { field: string; correctedValue: string }[];
  at: string;
  by: Actor;
}

/** The request item: the source of truth, with its own history. */
export interface PrivacyRequest {
  id: string;
  reference: string;
  type: RequestType | "unclassified";
  status: RequestStatus;
  outcome?: Outcome;
  jurisdiction: Jurisdiction;
  region?: string;
  channel: Channel;
  requester: Requester;
  relationship: Relationship;
  description: string;
  anonymous: boolean;
  correction?: CorrectionRequested[];
  receivedAt: string; // ISO instant
  due: DueDates;
  originalDue: DueDates;
  /** GDPR: an officer marked it manifestly unfounded or excessive, so a fee may be charged. */
  manifestlyUnfoundedOrExcessive?: boolean;
  verification: Verification;
  fee?: Fee;
  extensions: Extension[];
  pauses: Pause[];
  fulfilment?: Fulfilment;
  /** The officer who has the request (their email): deadline reminders go to them too. */
  assignee?: string;
  closedAt?: string;
  closeReason?: string;
  history: HistoryEvent[];
  /** Optimistic concurrency: every write checks and bumps it. */
  version: number;
  createdAt: string;
  updatedAt: string;
}

export const REQUEST_ID_PATTERN = /^[0-9A-HJKMNP-TV-Z]{10}$/;

/** The reference shown to people is derived from the id, so one can be turned into the other. */
export function referenceOf(id: string): string {
  return `PD-${id.slice(0, 5)}-${id.slice(5)}`;
}

export function idFromReference(reference: string): string | undefined {
  const m = /^PD-([0-9A-HJKMNP-TV-Z]{5})-([0-9A-HJKMNP-TV-Z]{5})$/i.exec(reference.trim());
  return m ? `${m[1]}${m[2]}`.toUpperCase() : undefined;
}

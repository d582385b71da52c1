/** Bodies and queries of the HTTP API (DESIGN.md "HTTP API"), validated at the edge. */
import { z } from "zod";
import { NZ_EXTENSION_REASONS } from "./lifecycle.js";
import {
  calendarDateSchema,
  jurisdictionSchema,
  outcomeSchema,
  requestTypeSchema,
  statusSchema,
} from "./model.js";

export { submitRequestSchema } from "./model.js";

export const verificationCodeSchema = z
  .object({ code: z.string().regex(/^\d{6}$/, "must be the 6-digit code") })
  .strict();
export const feeResponseSchema = z.object({ accept: z.boolean() }).strict();
export const emptySchema = z.object({}).strict();

export const queueQuerySchema = z
  .object({
    status: statusSchema.optional(),
    type: requestTypeSchema.optional(),
    dueBefore: calendarDateSchema.optional(),
    limit: z.coerce.number().int().min(1).max(200).optional(),
    cursor: z.string().max(2000).optional(),
  })
  .strict();

export const officerVerificationSchema = z
  .object({
    decision: z.enum(["verified", "rejected"]),
    method: z.string().trim().min(1).max(100),
    note: z.string().max(2000).optional(),
    manifestlyUnfoundedOrExcessive: z.boolean().optional(),
  })
  .strict();

export const feeSchema = z.union([
  z.object({ amount: z.literal(0), reason: z.string().max(500).optional() }).strict(),
  z
    .object({
      amount: z.number().positive().max(10_000),
      currency: z.string().regex(/^[A-Z]{3}$/, "must be an ISO 4217 code such as NZD"),
      reason: z.string().trim().min(1).max(500),
    })
    .strict(),
]);

export const paymentSchema = z.object({ note: z.string().max(2000).optional() }).strict();

export const extensionSchema = z
  .object({
    until: calendarDateSchema.optional(),
    workingDays: z.number().int().min(1).max(120).optional(),
    reason: z.string().trim().min(1).max(200),
    note: z.string().max(2000).optional(),
  })
  .strict()
  .refine((v) => (v.until === undefined) !== (v.workingDays === undefined), {
    message: "give either until or workingDays",
    path: ["until"],
  });
export const NZ_EXTENSION_REASON_LIST = NZ_EXTENSION_REASONS;

export const pauseSchema = z.object({ reason: z.string().trim().min(1).max(200) }).strict();

export const fulfilmentSchema = z
  .object({
    summary: z.string().trim().min(1).max(10_000),
    documents: z
      .array(
        z
          .object({
            key: z.string().regex(/^responses\/[\w./-]+$/, "must be a key under responses/"),
            name: z.string().min(1).max(200),
          })
          .strict(),
      )
      .max(50)
      .optional(),
    corrections: z
      .array(
        z
          .object({ field: z.string().min(1).max(200), correctedValue: z.string().max(2000) })
          .strict(),
      )
      .max(100)
      .optional(),
  })
  .strict();

export const closeSchema = z
  .object({ outcome: outcomeSchema, reason: z.string().trim().max(2000).optional() })
  .strict();

/** `{ "assignee": "officer@provider.example" }`, or `{ "assignee": null }` to unassign. */
export const assignmentSchema = z
  .object({ assignee: z.string().trim().toLowerCase().email().max(254).nullable() })
  .strict();

export const noteSchema = z.object({ text: z.string().trim().min(1).max(10_000) }).strict();

/** The officer decides what an email request is, and where it falls when not the default. */
export const classificationSchema = z
  .object({
    type: requestTypeSchema,
    jurisdiction: jurisdictionSchema.optional(),
    region: z.string().trim().min(2).max(6).optional(),
  })
  .strict();

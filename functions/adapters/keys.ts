/**
 * Every key of the single table, in one place. Layout and access patterns: docs/architecture.md
 * and the table construct. Hashes keep email addresses and raw keys out of the key space.
 */
import { createHash } from "node:crypto";
import type { CalendarDate, RequestStatus } from "../domain/model.js";

export const sha256 = (text: string): string => createHash("sha256").update(text).digest("hex");

export const requestKey = (id: string) => ({ PK: `REQ#${id}`, SK: "REQUEST" });
export const idempotencyKey = (key: string) => ({ PK: `IDEM#${sha256(key)}`, SK: "IDEM" });
export const suppressionKey = (emailHash: string) => ({
  PK: `SUPPRESS#${emailHash}`,
  SK: "SUPPRESS",
});

/** A Message-ID we sent (its local part, as SES's <id@…amazonses.com>) → the request it was about. */
export const outboundMessageKey = (messageId: string) => ({
  PK: `OUTMSG#${sha256(messageId)}`,
  SK: "OUTMSG",
});
/** What became of an inbound email that did not open or join a request (dropped, quarantined). */
export const inboundRecordKey = (sesMessageId: string) => ({
  PK: `INBOUND#${sha256(sesMessageId)}`,
  SK: "INBOUND",
});

/** Sparse open-by-due index: present only while the request is open. */
export const OPEN_PARTITION = "OPEN";
export const dueSortKey = (sla: CalendarDate, id: string) => `${sla}#${id}`;
/** Upper bound for "due on or before `date`": every `date#<id>` sorts below `date#~`. */
export const dueOnOrBefore = (date: CalendarDate) => `${date}#~`;
export const statusPartition = (status: RequestStatus) => `STATUS#${status}`;

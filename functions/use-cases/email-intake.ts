/**
 * Email intake: an inbound message that SES (or the local SMTP listener) stored in S3 becomes a new
 * request, a reply on an existing one, or a record of why it became neither.
 *
 * 1. SES's verdicts first: a virus is dropped; spam or a failed SPF/DKIM/DMARC check is quarantined
 *    for an officer and never acted on automatically — as are messages that are not an email, have
 *    no usable sender, or are bulk mail (List-Unsubscribe).
 * 2. A reply — the reference in the subject, or In-Reply-To/References naming a mail we sent — is
 *    added to that request's history as correspondence, attachments kept in S3. It never opens a
 *    second request.
 * 3. Otherwise a new request: the sender's name and address, the type classified from the words
 *    (unknown: the officer decides), the default jurisdiction, the clock started at SES's receipt
 *    time, and an acknowledgement in the sender's own thread. A sender SES authenticated (DMARC
 *    with DKIM or SPF) is noted as identity evidence; verification still runs.
 *
 * The same message delivered twice does the work once: a new request is keyed by the message's
 * Message-ID (SES's id when it has none), and the lifecycle refuses a second copy of the same
 * correspondence. Whatever is wrong with a message is recorded with it; the raw message stays in S3.
 */

import { ConcurrentUpdateError } from "../adapters/errors.js";
import { type ParsedEmail, parseMime } from "../adapters/mime-parser.js";
import { type LifecycleCommand, TransitionError } from "../domain/commands.js";
import {
  classifyRequest,
  referenceIn,
  type SesReceipt,
  sesVerdictDecision,
} from "../domain/inbound-email.js";
import { requesterSchema } from "../domain/model.js";
import { logInfo } from "../http/log.js";
import { applyCommand, load, mailOfficersAbout } from "./change-request.js";
import type { Deps } from "./deps.js";
import { submitRequest } from "./requester.js";

export interface InboundEmail {
  /** SES's id for the message; also the S3 object's name. */
  sesMessageId: string;
  /** Where the raw MIME is kept (`inbound/<sesMessageId>`). */
  objectKey: string;
  /** When SES received it: the request's clock starts here. */
  receivedAt: string;
  receipt: SesReceipt;
}

export type IntakeResult =
  | { outcome: "dropped"; reason: "virus" }
  | { outcome: "quarantined"; reason: string }
  | {
      outcome: "opened";
      requestId: string;
      reference: string;
      type: string;
      replayed: boolean;
      problems: string[];
    }
  | { outcome: "threaded"; requestId: string; duplicate: boolean; problems: string[] };

/** Longest description kept from a message body; the full message stays in S3. */
const MAX_DESCRIPTION = 10_000;
const system = { kind: "system" as const, id: "email-intake" };

export class InboundMessageMissingError extends Error {
  override readonly name = "InboundMessageMissingError";
}

export async function receiveEmail(
  deps: Deps,
  email: InboundEmail,
  options: { maxBytes?: number } = {},
): Promise<IntakeResult> {
  const verdict = sesVerdictDecision(email.receipt);
  if (verdict.action === "drop") {
    await deps.store.recordInbound({
      ...inboundRecordOf(email),
      outcome: "dropped",
      reason: "virus",
    });
    logInfo("inbound email dropped", { sesMessageId: email.sesMessageId, reason: "virus" });
    return { outcome: "dropped", reason: "virus" };
  }
  if (verdict.action === "quarantine") return quarantine(deps, email, verdict.reason);

  const raw = await deps.documents.getObject(email.objectKey);
  // Thrown, not swallowed: SES retries the invocation, and the message must not be lost.
  if (!raw) throw new InboundMessageMissingError(`no raw message at ${email.objectKey}`);
  const parsed = await parseMime(raw, options);
  if (parsed.problems.includes("malformed")) return quarantine(deps, email, "malformed");
  // Newsletters and other bulk mail carry List-Unsubscribe; a person writing to us does not.
  if (parsed.listUnsubscribe) return quarantine(deps, email, "bulk-mail");
  const sender = requesterSchema.safeParse({
    name: parsed.from?.name?.trim() || parsed.from?.address.split("@")[0],
    email: parsed.from?.address,
  });
  if (!sender.success) return quarantine(deps, email, "no-valid-sender");

  const existing = await threadOf(deps, parsed);
  if (existing) return addReply(deps, email, parsed, existing, sender.data.email);

  const type = classifyRequest(parsed.subject, parsed.text);
  const text = parsed.text.trim();
  const submitted = await submitRequest(
    deps,
    {
      type,
      requester: sender.data,
      relationship: "other",
      jurisdiction: deps.settings.defaultJurisdiction,
      ...(deps.settings.defaultRegion ? { region: deps.settings.defaultRegion } : {}),
      description:
        text.slice(0, MAX_DESCRIPTION) ||
        `(no readable text in the email: ${parsed.problems.join(", ") || "empty"})`,
      anonymous: false,
    },
    {
      channel: "email",
      // The same message delivered twice opens one request.
      idempotencyKey: `email:${messageRefOf(email, parsed)}`,
      receivedAt: new Date(email.receivedAt),
      thread: {
        subject: parsed.subject,
        ...(parsed.messageId ? { inReplyTo: parsed.messageId } : {}),
      },
    },
  );

  // The message itself (with its attachments and what was wrong with it) and the sender's
  // authentication, each recorded once even when a retry replays the submission.
  const attachments = await keepAttachments(deps, submitted.id, email, parsed);
  await recordOnce(deps, submitted.id, {
    kind: "add-correspondence",
    actor: system,
    messageRef: messageRefOf(email, parsed),
    attachments,
    problems: parsed.problems,
    details: { sesMessageId: email.sesMessageId, objectKey: email.objectKey, opened: true },
  });
  const stored = await deps.store.get(submitted.id);
  if (stored && verdict.senderAuthenticated && !stored.request.verification.evidence?.length) {
    await applyCommand(deps, stored, {
      kind: "record-identity-evidence",
      actor: system,
      evidence: `email from the requester's address authenticated by DMARC (SES message ${email.sesMessageId})`,
    }).catch(ignoreIfClosed);
  }
  logInfo("inbound email opened a request", {
    sesMessageId: email.sesMessageId,
    requestId: submitted.id,
    type,
    replayed: submitted.replayed,
  });
  return {
    outcome: "opened",
    requestId: submitted.id,
    reference: submitted.reference,
    type,
    replayed: submitted.replayed,
    problems: parsed.problems,
  };
}

/** One message, however often or to however many of our addresses it is delivered. */
const messageRefOf = (email: InboundEmail, parsed: ParsedEmail) =>
  parsed.messageId ?? `ses:${email.sesMessageId}`;

function inboundRecordOf(email: InboundEmail) {
  return {
    sesMessageId: email.sesMessageId,
    objectKey: email.objectKey,
    receivedAt: email.receivedAt,
  };
}

/** Kept for an officer, who is told by mail; nothing is acted on. The raw message stays in S3. */
async function quarantine(deps: Deps, email: InboundEmail, reason: string): Promise<IntakeResult> {
  await deps.store.recordInbound({ ...inboundRecordOf(email), outcome: "quarantined", reason });
  await mailOfficersAbout(deps, "officer-quarantined", {
    sesMessageId: email.sesMessageId,
    objectKey: email.objectKey,
    reason,
  });
  logInfo("inbound email quarantined", { sesMessageId: email.sesMessageId, reason });
  return { outcome: "quarantined", reason };
}

/** The request a reply belongs to: the reference in its subject, or a mail of ours it answers. */
async function threadOf(deps: Deps, parsed: ParsedEmail): Promise<string | undefined> {
  const referenced = referenceIn(parsed.subject);
  if (referenced && (await deps.store.get(referenced))) return referenced;
  const answered = [parsed.inReplyTo, ...parsed.references].filter(
    (id): id is string => id !== undefined,
  );
  for (const id of answered) {
    // SES's Message-ID is <its message id@region.amazonses.com>; we keep the id.
    const local = id.replace(/^<|>$/g, "").split("@")[0] ?? "";
    const requestId = local && (await deps.store.requestForOutboundMessage(local));
    if (requestId) return requestId;
  }
  return undefined;
}

async function addReply(
  deps: Deps,
  email: InboundEmail,
  parsed: ParsedEmail,
  requestId: string,
  senderAddress: string,
): Promise<IntakeResult> {
  const stored = await deps.store.get(requestId);
  if (!stored) return { outcome: "threaded", requestId, duplicate: true, problems: [] };
  const attachments = await keepAttachments(deps, requestId, email, parsed);
  const added = await recordOnce(deps, requestId, {
    kind: "add-correspondence",
    actor: { kind: "requester" },
    messageRef: messageRefOf(email, parsed),
    attachments,
    text: parsed.text.trim().slice(0, MAX_DESCRIPTION),
    problems: parsed.problems,
    details: {
      sesMessageId: email.sesMessageId,
      objectKey: email.objectKey,
      subject: parsed.subject.slice(0, 300),
      // Anyone can write a reference into a subject: the officer sees whether it was the requester.
      fromRequester: senderAddress.toLowerCase() === stored.request.requester.email.toLowerCase(),
    },
  });
  logInfo("inbound email threaded", {
    sesMessageId: email.sesMessageId,
    requestId,
    duplicate: !added,
  });
  return { outcome: "threaded", requestId, duplicate: !added, problems: parsed.problems };
}

/**
 * Adds correspondence unless this message is already on the request (the lifecycle refuses a
 * second copy, even one that races this one). False when it was already there.
 */
async function recordOnce(
  deps: Deps,
  requestId: string,
  command: Extract<LifecycleCommand, { kind: "add-correspondence" }>,
): Promise<boolean> {
  for (let attempt = 1; ; attempt++) {
    try {
      await applyCommand(deps, await load(deps, requestId), command);
      return true;
    } catch (error) {
      if (error instanceof TransitionError && error.code === "already-recorded") return false;
      // A concurrent write (another copy of this message, an officer): read again and retry.
      if (!(error instanceof ConcurrentUpdateError) || attempt >= 3) throw error;
    }
  }
}

/** Evidence is only taken while the request is open; a closed one needs none. */
function ignoreIfClosed(error: unknown): void {
  if (error instanceof TransitionError && error.code === "not-allowed-in-status") return;
  throw error;
}

/** Attachments under the request's folder, named safely; returns their keys. */
async function keepAttachments(
  deps: Deps,
  requestId: string,
  email: InboundEmail,
  parsed: ParsedEmail,
): Promise<string[]> {
  const keys: string[] = [];
  for (const [i, attachment] of parsed.attachments.entries()) {
    const name = attachment.filename.replace(/[^\w.-]+/g, "_").slice(0, 100) || "attachment";
    const key = `correspondence/${requestId}/${email.sesMessageId}/${i + 1}-${name}`;
    await deps.documents.putObject(key, attachment.content, attachment.contentType);
    keys.push(key);
  }
  return keys;
}

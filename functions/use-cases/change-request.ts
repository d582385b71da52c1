/**
 * The one path every change takes: read → pure transition → conditional save → tell the waiting
 * workflow. Saving first means a crash after the save leaves a consistent request; the workflow's
 * await step catches up from the stored status (docs/architecture.md).
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { ConcurrentUpdateError } from "../adapters/errors.js";
import type { LifecycleCommand } from "../domain/commands.js";
import { transition } from "../domain/lifecycle.js";
import { type MessageTemplate, type MessageVars, render } from "../domain/messages.js";
import type { PrivacyRequest } from "../domain/model.js";
import { logError } from "../http/log.js";
import type { Deps } from "./deps.js";
import { RequestNotFoundError, StatusTokenError } from "./errors.js";
import type { StoredRequest } from "./ports.js";
import { workflowSignal } from "./workflow-signal.js";

export const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

export function statusTokenFor(requestId: string, secret: string): string {
  return createHmac("sha256", secret).update(`status-token:${requestId}`).digest("base64url");
}

export async function load(deps: Deps, id: string): Promise<StoredRequest> {
  const stored = await deps.store.get(id);
  if (!stored) throw new RequestNotFoundError(id);
  return stored;
}

/** The requester's bearer token must be this request's: a token never opens another request. */
export async function loadAsRequester(
  deps: Deps,
  id: string,
  token: string | undefined,
): Promise<StoredRequest> {
  if (!token) throw new StatusTokenError("missing");
  const stored = await load(deps, id);
  const expected = Buffer.from(stored.statusTokenHash, "hex");
  const given = Buffer.from(hashToken(token), "hex");
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    throw new StatusTokenError("invalid");
  }
  return stored;
}

export async function signalWorkflow(
  deps: Deps,
  before: StoredRequest,
  after: PrivacyRequest,
): Promise<void> {
  const signal = workflowSignal(before.request.status, after);
  if (!signal) return;
  if (signal.kind === "stop") {
    await deps.workflow.stop(after.id, signal.cause);
    return;
  }
  // The workflow's await step may have stored its token after we read the request (storing a
  // token does not bump the version), so read it again now that our change is saved. If there is
  // still none, the await step has not run yet: it will see the new status and resume itself.
  const waitingIn = before.request.status;
  const known = before.waitingTask?.phase === waitingIn ? before.waitingTask : undefined;
  const waiting = known ?? (await deps.store.get(after.id))?.waitingTask;
  const token = waiting?.phase === waitingIn ? waiting.token : undefined;
  if (!token) return;
  if (signal.kind === "succeed") await deps.workflow.succeed(token, signal.output);
  else await deps.workflow.fail(token, signal.error, signal.cause);
}

/**
 * Applies a command and saves it. If the save loses a race only to the system's own writes (the
 * workflow issuing a code, say), the command is applied again to the fresh request — the
 * transition re-checks it there. A race with another person's change is that person's win: 409.
 */
export async function applyCommand(
  deps: Deps,
  stored: StoredRequest,
  command: LifecycleCommand,
): Promise<PrivacyRequest> {
  let current = stored;
  for (let attempt = 1; ; attempt++) {
    const { request } = transition(current.request, command, deps.clock.now());
    try {
      await deps.store.save(request);
      await signalWorkflow(deps, current, request);
      return request;
    } catch (error) {
      if (!(error instanceof ConcurrentUpdateError) || attempt >= 3) throw error;
      const fresh = await load(deps, request.id);
      const interleaved = fresh.request.history.slice(current.request.history.length);
      if (interleaved.some((event) => event.actor.kind !== "system")) throw error;
      current = fresh;
    }
  }
}

/** Our reply in the requester's own email thread: In-Reply-To their message, "Re:" their subject. */
export interface MailThread {
  inReplyTo?: string;
  subject: string;
}

/** What a mail is about: a request, or (a quarantine notice) an inbound message under a label. */
type MailSubject = Pick<PrivacyRequest, "id" | "reference" | "jurisdiction">;

/** Renders a template about `request` and sends it to `to`; returns SES's message id. */
async function sendTemplate<T extends MessageTemplate>(
  deps: Deps,
  request: MailSubject,
  to: string[],
  template: T,
  vars: Omit<MessageVars[T], "reference" | "jurisdiction">,
  thread?: MailThread,
): Promise<string> {
  const message = render(template, {
    reference: request.reference,
    jurisdiction: request.jurisdiction,
    ...vars,
  } as MessageVars[T]);
  if (thread) {
    const original = thread.subject.trim() || message.subject;
    const subject = /^re:/i.test(original) ? original : `Re: ${original}`;
    message.subject = subject.includes(request.reference)
      ? subject
      : `${subject} [${request.reference}]`;
  }
  const { messageId } = await deps.mailer.send({
    to,
    ...message,
    requestId: request.id,
    template,
    ...(thread?.inReplyTo ? { inReplyTo: thread.inReplyTo } : {}),
  });
  return messageId;
}

/**
 * Mails the requester, and remembers the message id so that their reply (In-Reply-To) finds the
 * request even when they edit the reference out of the subject.
 */
export async function mailRequester<T extends MessageTemplate>(
  deps: Deps,
  request: PrivacyRequest,
  template: T,
  vars: Omit<MessageVars[T], "reference" | "jurisdiction">,
  thread?: MailThread,
): Promise<void> {
  const messageId = await sendTemplate(
    deps,
    request,
    [request.requester.email],
    template,
    vars,
    thread,
  );
  if (!messageId) return;
  await deps.store
    .recordOutboundMessage(messageId, request.id, deps.clock.now().toISOString())
    .catch((error: Error) =>
      logError("outbound message id not recorded", { requestId: request.id, error: error.name }),
    );
}

/** The officer mailbox; with `audience` "lead", the privacy lead as well (escalations). */
export async function mailOfficers<T extends MessageTemplate>(
  deps: Deps,
  request: PrivacyRequest,
  template: T,
  vars: Omit<MessageVars[T], "reference" | "jurisdiction">,
  audience: "officers" | "lead" = "officers",
): Promise<void> {
  const to = officerRecipients(deps, audience);
  if (request.assignee && !to.includes(request.assignee)) to.push(request.assignee);
  await sendTemplate(deps, request, to, template, vars);
}

/** Officer mail about an inbound message that opened no request (a quarantine notice). */
export async function mailOfficersAbout(
  deps: Deps,
  template: "officer-quarantined",
  vars: Omit<MessageVars["officer-quarantined"], "reference" | "jurisdiction">,
): Promise<void> {
  const about = {
    id: vars.sesMessageId,
    reference: "Privacy Desk",
    jurisdiction: deps.settings.defaultJurisdiction,
  };
  await sendTemplate(deps, about, officerRecipients(deps, "officers"), template, vars);
}

/** Escalations go to the privacy lead (when one is configured) as well as the officer mailbox. */
function officerRecipients(deps: Deps, audience: "officers" | "lead"): string[] {
  const { privacyOfficerAddress, privacyLeadAddress } = deps.settings;
  return audience === "lead" && privacyLeadAddress && privacyLeadAddress !== privacyOfficerAddress
    ? [privacyLeadAddress, privacyOfficerAddress]
    : [privacyOfficerAddress];
}

/** What a requester can do: submit, follow, verify, answer a fee, withdraw. */
import { createHash, randomInt } from "node:crypto";
import { feeApplies } from "../domain/fees.js";
import type { CalendarDate, Channel, PrivacyRequest } from "../domain/model.js";
import { type NewRequestInput, newRequest, newRequestId } from "../domain/new-request.js";
import { type PublicView, publicView } from "../domain/public-view.js";
import {
  applyCommand,
  hashToken,
  loadAsRequester,
  type MailThread,
  mailOfficers,
  mailRequester,
  statusTokenFor,
} from "./change-request.js";
import type { Deps } from "./deps.js";
import { ConflictError, InvalidInputError } from "./errors.js";

export interface SubmitResult {
  id: string;
  reference: string;
  status: PrivacyRequest["status"];
  receivedAt: string;
  due: { sla: CalendarDate; statutory: CalendarDate };
  statusToken: string;
}

const statusUrlOf = (deps: Deps, id: string) => `${deps.settings.publicBaseUrl}/requests/${id}`;

/** Stable JSON: keys sorted, so the same body always has the same fingerprint. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    return `{${Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`)
      .join(",")}}`;
  }
  return JSON.stringify(value);
}

/**
 * Opens a request. With an Idempotency-Key, a retry with the same body answers with the same
 * request (and the same status token, derived from the id with a server secret); the same key
 * with another body is a conflict. A retry after a crash part-way finishes the job: the request
 * is created if missing, the workflow start is idempotent by name.
 */
export async function submitRequest(
  deps: Deps,
  input: NewRequestInput,
  options: {
    channel: Channel;
    idempotencyKey?: string;
    receivedAt?: Date;
    /** Email intake: acknowledge in the sender's thread. */
    thread?: MailThread;
  } = { channel: "web" },
): Promise<SubmitResult & { replayed: boolean }> {
  const now = deps.clock.now();
  let id = newRequestId();
  let replayed = false;
  if (options.idempotencyKey) {
    const fingerprint = createHash("sha256").update(canonical(input)).digest("hex");
    const earlier = await deps.store.claimIdempotencyKey(
      options.idempotencyKey,
      fingerprint,
      id,
      now.toISOString(),
    );
    if (earlier && earlier.fingerprint !== fingerprint) {
      throw new ConflictError(
        "idempotency-key-reused",
        "This Idempotency-Key was used with a different request body",
      );
    }
    if (earlier) {
      id = earlier.requestId;
      replayed = true;
    }
  }
  const statusToken = statusTokenFor(id, deps.settings.statusTokenSecret);
  const existing = replayed ? await deps.store.get(id) : undefined;
  const request =
    existing?.request ??
    newRequest({
      id,
      input,
      channel: options.channel,
      receivedAt: options.receivedAt ?? now,
      now,
      slaBusinessDays: deps.settings.slaBusinessDays,
    });
  if (!existing) {
    await deps.store.create(request, hashToken(statusToken));
    await deps.workflow.start({
      requestId: request.id,
      type: request.type,
      jurisdiction: request.jurisdiction,
      feeApplicable: feeApplies(request),
    });
    await mailRequester(
      deps,
      request,
      "acknowledgement",
      {
        due: request.due,
        statusUrl: statusUrlOf(deps, request.id),
        ...(options.channel === "email" ? { statusToken } : {}),
      },
      options.thread,
    );
    await mailOfficers(deps, request, "officer-new-request", {
      id: request.id,
      type: request.type,
      due: request.due,
    });
  }
  return {
    id: request.id,
    reference: request.reference,
    status: request.status,
    receivedAt: request.receivedAt,
    due: request.due,
    statusToken,
    replayed,
  };
}

export async function getRequestStatus(
  deps: Deps,
  id: string,
  token: string | undefined,
): Promise<PublicView> {
  return publicView((await loadAsRequester(deps, id, token)).request);
}

/**
 * Issues a fresh one-time code: only its hash is kept; the code goes to the requester by email.
 * `unlessLive` leaves a code that still works alone (the workflow waiting again after a restart);
 * a reminder always replaces it, since the first one has usually expired by then.
 */
export async function issueVerificationCode(
  deps: Deps,
  id: string,
  options: { unlessLive?: boolean; reminder?: boolean } = {},
): Promise<void> {
  const stored = await deps.store.get(id);
  if (stored?.request.status !== "awaiting-verification" || stored.request.anonymous) {
    return;
  }
  const now = deps.clock.now();
  const live = stored.request.verification.codeExpiresAt;
  if (options.unlessLive && live && live > now.toISOString()) return;
  const code = String(randomInt(0, 1_000_000)).padStart(6, "0");
  const expiresAt = new Date(
    now.getTime() + deps.settings.verificationCodeTtlMinutes * 60_000,
  ).toISOString();
  const request = await applyCommand(deps, stored, {
    kind: "issue-verification-code",
    actor: { kind: "system", id: options.reminder ? "deadline-scanner" : "workflow" },
    codeHash: hashToken(`${id}:${code}`),
    expiresAt,
  });
  if (options.reminder) {
    await mailRequester(deps, request, "verification-reminder", {
      code,
      expiresAt,
      statusUrl: statusUrlOf(deps, id),
    });
  } else {
    await mailRequester(deps, request, "verification-code", { code, expiresAt });
  }
}

export async function submitVerificationCode(
  deps: Deps,
  id: string,
  token: string | undefined,
  code: string,
): Promise<PublicView> {
  const stored = await loadAsRequester(deps, id, token);
  const { verification, status } = stored.request;
  if (status === "awaiting-verification") {
    if (verification.attempts >= deps.settings.maxVerificationAttempts) {
      throw new ConflictError("verification-locked", "Too many wrong codes: ask for a new code");
    }
    if (!verification.codeHash || !verification.codeExpiresAt) {
      throw new ConflictError("no-code-issued", "No verification code has been sent yet");
    }
    if (deps.clock.now().toISOString() > verification.codeExpiresAt) {
      throw new ConflictError("code-expired", "This code has expired: ask for a new one");
    }
    if (hashToken(`${id}:${code}`) !== verification.codeHash) {
      const after = await applyCommand(deps, stored, {
        kind: "record-failed-verification-attempt",
        actor: { kind: "requester" },
      });
      const left = deps.settings.maxVerificationAttempts - after.verification.attempts;
      throw new InvalidInputError("code", `The code is not right; ${left} attempts left`);
    }
  }
  const request = await applyCommand(deps, stored, {
    kind: "verify",
    actor: { kind: "requester" },
    method: "email-code",
  });
  return publicView(request);
}

export async function respondToFee(
  deps: Deps,
  id: string,
  token: string | undefined,
  accept: boolean,
): Promise<PublicView> {
  const stored = await loadAsRequester(deps, id, token);
  const request = await applyCommand(deps, stored, {
    kind: "respond-to-fee",
    actor: { kind: "requester" },
    accept,
  });
  if (request.status === "closed" && request.outcome) {
    await mailRequester(deps, request, "closure", { outcome: request.outcome });
  }
  return publicView(request);
}

export async function withdrawRequest(
  deps: Deps,
  id: string,
  token: string | undefined,
): Promise<PublicView> {
  const stored = await loadAsRequester(deps, id, token);
  const request = await applyCommand(deps, stored, {
    kind: "withdraw",
    actor: { kind: "requester" },
  });
  await mailRequester(deps, request, "closure", { outcome: "withdrawn" });
  return publicView(request);
}

/**
 * The Lambda side of the state machine (docs/architecture.md, "workflow contract"). Each step is
 * safe to retry: a step that finds its work done does nothing twice.
 */
import { createHash } from "node:crypto";
import type { OpenStatus } from "../domain/model.js";
import { logError } from "../http/log.js";
import { applyCommand, load, mailRequester } from "./change-request.js";
import type { Deps } from "./deps.js";
import { issueVerificationCode } from "./requester.js";
import { workflowSignal } from "./workflow-signal.js";

const system = { kind: "system" as const, id: "workflow" };
const CLOSURE_SENT = "closure-sent";

/**
 * Records the token the execution waits on. If the request already moved on (a fast officer or
 * requester acted before the workflow got here), resume at once from what the request says.
 */
export async function awaitPhase(deps: Deps, id: string, phase: OpenStatus, token: string) {
  const waiting = await deps.store.setWaitingTask(id, phase, token);
  if (waiting) {
    // After a restart the await step runs again: a code the requester still holds stays valid.
    if (phase === "awaiting-verification") {
      await issueVerificationCode(deps, id, { unlessLive: true });
    }
    return;
  }
  const { request } = await load(deps, id);
  const signal = workflowSignal(phase, request);
  if (signal?.kind === "succeed") await deps.workflow.succeed(token, signal.output);
  else if (signal?.kind === "fail") await deps.workflow.fail(token, signal.error, signal.cause);
  // "stop": the request was closed; its execution is being stopped.
}

export async function closeUnverified(deps: Deps, id: string) {
  const stored = await load(deps, id);
  if (stored.request.status !== "awaiting-verification") return;
  const request = await applyCommand(deps, stored, { kind: "expire-verification", actor: system });
  await mailRequester(deps, request, "closure", { outcome: "unverified" });
}

export async function waiveFee(deps: Deps, id: string) {
  const stored = await load(deps, id);
  if (stored.request.status !== "awaiting-fee-assessment") return;
  await applyCommand(deps, stored, { kind: "waive-fee-by-default", actor: system });
}

export async function closeFeeDeclined(deps: Deps, id: string) {
  const stored = await load(deps, id);
  // Declined by the requester: already closed and told. Timed out: close and tell them now.
  if (stored.request.status === "awaiting-fee-payment") {
    const request = await applyCommand(deps, stored, {
      kind: "respond-to-fee",
      actor: system,
      accept: false,
    });
    await mailRequester(deps, request, "closure", { outcome: "fee-declined" });
  }
}

/** Marketing opt-out needs no officer: suppress the address, then complete the request. */
export async function fulfilOptOut(deps: Deps, id: string) {
  const stored = await load(deps, id);
  const email = stored.request.requester.email.trim().toLowerCase();
  const now = deps.clock.now().toISOString();
  await deps.store.addSuppression(createHash("sha256").update(email).digest("hex"), id, now);
  if (stored.request.status === "in-fulfilment") {
    await applyCommand(deps, stored, {
      kind: "fulfil",
      actor: system,
      summary: "Removed from all direct marketing (suppression list)",
    });
  }
}

/** The final messages: the response's links (if any) and the closure with the regulator. */
export async function closeRequest(deps: Deps, id: string) {
  const stored = await load(deps, id);
  const { request } = stored;
  // A retried step must not mail twice: the marker is written after the mails go out.
  if (request.history.some((e) => e.actor.kind === "system" && e.note === CLOSURE_SENT)) return;
  const documents = request.fulfilment?.documents ?? [];
  if (documents.length > 0) {
    const ttl = deps.settings.documentLinkTtlSeconds;
    const links = await Promise.all(
      documents.map(async (d) => ({
        name: d.name,
        url: await deps.documents.presignDownload(d.key, ttl),
      })),
    );
    await mailRequester(deps, request, "response-ready", {
      links,
      expiresInHours: Math.round(ttl / 3600),
    });
  }
  await mailRequester(deps, request, "closure", { outcome: request.outcome ?? "completed" });
  await applyCommand(deps, stored, {
    kind: "add-note",
    actor: system,
    text: CLOSURE_SENT,
  });
}

export async function recordFailure(deps: Deps, id: string, error: string, cause: string) {
  // The cause can quote input: keep it on the request (protected), log only the error name.
  logError("workflow-failed", { requestId: id, error });
  const stored = await deps.store.get(id);
  if (!stored) return;
  await applyCommand(deps, stored, {
    kind: "add-note",
    actor: system,
    text: `Workflow failed: ${error}: ${cause.slice(0, 500)}`,
  });
}

/** What a privacy officer can do. Every write is version-checked: a concurrent change → 409. */
import type {
  Actor,
  CalendarDate,
  Jurisdiction,
  Outcome,
  PrivacyRequest,
  RequestType,
} from "../domain/model.js";
import { applyCommand, load, mailRequester } from "./change-request.js";
import type { Deps } from "./deps.js";
import type { QueuePage, QueueQuery } from "./ports.js";

/** The officer's view: everything, with the full history, never hashes or task tokens. */
export async function officerGetRequest(deps: Deps, id: string): Promise<PrivacyRequest> {
  const { request } = await load(deps, id);
  const { codeHash: _hidden, ...verification } = request.verification;
  return { ...request, verification };
}

export async function officerQueue(deps: Deps, query: QueueQuery): Promise<QueuePage> {
  return deps.store.queue(query);
}

export async function officerVerify(
  deps: Deps,
  id: string,
  officer: Actor,
  input: {
    decision: "verified" | "rejected";
    method: string;
    note?: string;
    manifestlyUnfoundedOrExcessive?: boolean;
  },
): Promise<PrivacyRequest> {
  let stored = await load(deps, id);
  if (input.manifestlyUnfoundedOrExcessive && input.decision === "verified") {
    const marked = await applyCommand(deps, stored, {
      kind: "mark-manifestly-unfounded",
      actor: officer,
      reason: input.note ?? "Marked by the officer at verification",
    });
    stored = { ...stored, request: marked };
  }
  const request = await applyCommand(deps, stored, {
    kind: input.decision === "verified" ? "verify" : "reject-verification",
    actor: officer,
    method: input.method,
    ...(input.note ? { note: input.note } : {}),
  });
  if (request.status === "closed") {
    await mailRequester(deps, request, "closure", { outcome: "unverified", reason: input.note });
  }
  return request;
}

export async function officerAssessFee(
  deps: Deps,
  id: string,
  officer: Actor,
  input: { amount: number; currency?: string; reason?: string },
): Promise<PrivacyRequest> {
  const request = await applyCommand(deps, await load(deps, id), {
    kind: "assess-fee",
    actor: officer,
    ...input,
  });
  if (request.fee && request.fee.state === "charged") {
    await mailRequester(deps, request, "fee-notice", {
      amount: request.fee.amount,
      currency: request.fee.currency ?? "",
      reason: request.fee.reason ?? "",
    });
  }
  return request;
}

export async function officerRecordPayment(
  deps: Deps,
  id: string,
  officer: Actor,
  note?: string,
): Promise<PrivacyRequest> {
  return applyCommand(deps, await load(deps, id), {
    kind: "record-payment",
    actor: officer,
    ...(note ? { note } : {}),
  });
}

export async function officerExtend(
  deps: Deps,
  id: string,
  officer: Actor,
  input: { until?: CalendarDate; workingDays?: number; reason: string; note?: string },
): Promise<PrivacyRequest> {
  const request = await applyCommand(deps, await load(deps, id), {
    kind: "extend",
    actor: officer,
    ...input,
  });
  // NZ s48(3): the requester is told the new period, the reasons and the right to complain.
  await mailRequester(deps, request, "extension-notice", {
    until: request.due.statutory,
    reason: input.reason,
  });
  return request;
}

export async function officerPause(
  deps: Deps,
  id: string,
  officer: Actor,
  reason: string,
): Promise<PrivacyRequest> {
  return applyCommand(deps, await load(deps, id), { kind: "pause", actor: officer, reason });
}

export async function officerResume(
  deps: Deps,
  id: string,
  officer: Actor,
): Promise<PrivacyRequest> {
  return applyCommand(deps, await load(deps, id), { kind: "resume", actor: officer });
}

/** The response itself goes out from the workflow's Close step (links, closure with the regulator). */
export async function officerFulfil(
  deps: Deps,
  id: string,
  officer: Actor,
  input: {
    summary: string;
    documents?: { key: string; name: string }[];
    corrections?: { field: string; correctedValue: string }[];
  },
): Promise<PrivacyRequest> {
  return applyCommand(deps, await load(deps, id), { kind: "fulfil", actor: officer, ...input });
}

export async function officerClose(
  deps: Deps,
  id: string,
  officer: Actor,
  input: { outcome: Outcome; reason?: string },
): Promise<PrivacyRequest> {
  const request = await applyCommand(deps, await load(deps, id), {
    kind: "close",
    actor: officer,
    ...input,
  });
  await mailRequester(deps, request, "closure", input);
  return request;
}

export async function officerAddNote(
  deps: Deps,
  id: string,
  officer: Actor,
  text: string,
): Promise<PrivacyRequest> {
  return applyCommand(deps, await load(deps, id), { kind: "add-note", actor: officer, text });
}

export async function officerClassify(
  deps: Deps,
  id: string,
  officer: Actor,
  input: { type: RequestType; jurisdiction?: Jurisdiction; region?: string },
): Promise<PrivacyRequest> {
  return applyCommand(deps, await load(deps, id), {
    kind: "classify",
    actor: officer,
    ...input,
    ...(input.region ? { region: input.region.toUpperCase() } : {}),
    slaBusinessDays: deps.settings.slaBusinessDays,
  });
}

export async function officerAssign(
  deps: Deps,
  id: string,
  officer: Actor,
  assignee: string | null,
): Promise<PrivacyRequest> {
  return applyCommand(deps, await load(deps, id), {
    kind: "assign",
    actor: officer,
    ...(assignee ? { assignee } : {}),
  });
}

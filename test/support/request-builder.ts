/**
 * Test requests built through the real domain code, so fixtures never drift from the rules.
 * Default: an NZ access request received Mon 2 Mar 2026 14:00 NZDT (01:00 UTC), due (worked by hand)
 * SLA Mon 23 Mar 2026 and statutory Mon 30 Mar 2026.
 */
import type { LifecycleCommand } from "../../functions/domain/commands.js";
import { transition } from "../../functions/domain/lifecycle.js";
import type { PrivacyRequest } from "../../functions/domain/model.js";
import { type NewRequestInput, newRequest } from "../../functions/domain/new-request.js";

export const RECEIVED_AT = "2026-03-02T01:00:00Z";
export const officer = { kind: "officer" as const, id: "officer-1" };
export const requesterActor = { kind: "requester" as const };
export const system = { kind: "system" as const, id: "workflow" };

/** What a requester submits for an NZ access request (the web form's body, parsed). */
export const ACCESS_SUBMISSION: NewRequestInput = {
  type: "access",
  requester: { name: "Aroha Test", email: "aroha@example.com" },
  relationship: "customer",
  jurisdiction: "NZ",
  description: "Everything you hold about me",
  anonymous: false,
};

export function aRequest(
  input: Partial<NewRequestInput> = {},
  options: { id?: string; receivedAt?: string } = {},
): PrivacyRequest {
  const receivedAt = new Date(options.receivedAt ?? RECEIVED_AT);
  return newRequest({
    id: options.id ?? "7K3M9QX2AB",
    channel: "web",
    receivedAt,
    now: receivedAt,
    input: {
      type: "access",
      requester: { name: "Aroha Test", email: "aroha@example.com" },
      relationship: "customer",
      jurisdiction: "NZ",
      description: "All personal information you hold about me",
      anonymous: false,
      ...input,
    },
  });
}

/** Applies commands in order, each one hour after the previous, starting a day after receipt. */
export function applying(request: PrivacyRequest, ...commands: LifecycleCommand[]): PrivacyRequest {
  let current = request;
  let at = new Date(request.receivedAt).getTime() + 24 * 3_600_000;
  for (const command of commands) {
    current = transition(current, command, new Date(at)).request;
    at += 3_600_000;
  }
  return current;
}

/**
 * What the requester's status page shows: where the request stands, both due dates, the public
 * timeline and the next step expected of them. Never officer notes, hashes or internal events.
 */
import type { CalendarDate, Fee, Outcome, PrivacyRequest, RequestStatus } from "./model.js";

export interface PublicView {
  id: string;
  reference: string;
  type: PrivacyRequest["type"];
  status: RequestStatus;
  outcome?: Outcome;
  receivedAt: string;
  due: { sla: CalendarDate; statutory: CalendarDate };
  timeline: { at: string; action: string; status?: RequestStatus; reason?: string }[];
  nextStep: string;
  fee?: Pick<Fee, "amount" | "currency" | "reason" | "state">;
}

const NEXT_STEP: Record<RequestStatus, string> = {
  "awaiting-verification":
    "Enter the verification code we emailed you (POST /requests/{id}/verification).",
  "awaiting-fee-assessment": "Nothing for now: we are checking whether a fee applies.",
  "awaiting-fee-payment":
    "Tell us whether you accept the fee (POST /requests/{id}/fee-response); you may also complain about it.",
  "in-fulfilment": "Nothing for now: we are preparing our response.",
  closed: "Nothing: this request is closed.",
};

export function publicView(request: PrivacyRequest): PublicView {
  const nextStep =
    request.status === "awaiting-verification" && request.anonymous
      ? "Nothing for now: a privacy officer will contact you to confirm your identity."
      : NEXT_STEP[request.status];
  return {
    id: request.id,
    reference: request.reference,
    type: request.type,
    status: request.status,
    ...(request.outcome ? { outcome: request.outcome } : {}),
    receivedAt: request.receivedAt,
    due: request.due,
    timeline: request.history
      .filter((event) => event.public)
      .map((event) => ({
        at: event.at,
        action: event.action,
        ...(event.toStatus ? { status: event.toStatus } : {}),
        ...(event.reason ? { reason: event.reason } : {}),
      })),
    nextStep: nextStep.replace("{id}", request.id),
    ...(request.fee
      ? {
          fee: {
            amount: request.fee.amount,
            currency: request.fee.currency,
            reason: request.fee.reason,
            state: request.fee.state,
          },
        }
      : {}),
  };
}

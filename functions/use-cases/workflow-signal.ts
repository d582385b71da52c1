/**
 * What the waiting Step Functions execution must be told when a request moves from one status to
 * another (docs/architecture.md, "workflow contract"). Used by the API use cases after a change,
 * and by the workflow's await step when it finds the request already moved on.
 */
import type { PrivacyRequest, RequestStatus } from "../domain/model.js";

export type WorkflowSignal =
  | { kind: "succeed"; output: Record<string, unknown> }
  | { kind: "fail"; error: "VerificationRejected" | "FeeDeclined"; cause: string }
  /** Withdrawn or closed by an officer: the execution is stopped, not resumed. */
  | { kind: "stop"; cause: string };

export function workflowSignal(
  waitingIn: RequestStatus,
  request: PrivacyRequest,
): WorkflowSignal | undefined {
  if (request.status === waitingIn) return undefined;
  switch (waitingIn) {
    case "awaiting-verification":
      if (request.status !== "closed") return { kind: "succeed", output: { next: request.status } };
      if (
        request.history.findLast((e) => e.toStatus === "closed")?.action === "verification-rejected"
      ) {
        return { kind: "fail", error: "VerificationRejected", cause: "identity not verified" };
      }
      break;
    case "awaiting-fee-assessment":
      if (request.status !== "closed") {
        return { kind: "succeed", output: { amount: request.fee?.amount ?? 0 } };
      }
      break;
    case "awaiting-fee-payment":
      if (request.status === "in-fulfilment") return { kind: "succeed", output: { paid: true } };
      if (request.outcome === "fee-declined") {
        return { kind: "fail", error: "FeeDeclined", cause: "the requester declined the fee" };
      }
      break;
    case "in-fulfilment":
      if (request.outcome === "completed" && request.fulfilment) {
        return { kind: "succeed", output: { fulfilled: true } };
      }
      break;
    case "closed":
      return undefined;
  }
  return { kind: "stop", cause: `closed as ${request.outcome ?? "closed"}` };
}

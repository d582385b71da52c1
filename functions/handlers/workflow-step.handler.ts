/**
 * Invoked by the state machine for every step of a request's lifecycle. The event is validated:
 * a malformed one fails the task with a clear error instead of doing half a step.
 */
import { z } from "zod";
import { REQUEST_ID_PATTERN } from "../domain/model.js";
import {
  awaitPhase,
  closeFeeDeclined,
  closeRequest,
  closeUnverified,
  fulfilOptOut,
  recordFailure,
  waiveFee,
} from "../use-cases/workflow-steps.js";
import { parseEvent } from "./parse-event.js";
import { deps } from "./wiring.js";

const requestId = z.string().regex(REQUEST_ID_PATTERN);

export const workflowStepSchema = z.discriminatedUnion("step", [
  z.object({
    step: z.literal("await"),
    phase: z.enum([
      "awaiting-verification",
      "awaiting-fee-assessment",
      "awaiting-fee-payment",
      "in-fulfilment",
    ]),
    requestId,
    taskToken: z.string().min(1),
  }),
  z.object({ step: z.literal("close-unverified"), requestId }),
  z.object({ step: z.literal("waive-fee"), requestId }),
  z.object({ step: z.literal("close-fee-declined"), requestId }),
  z.object({ step: z.literal("fulfil-opt-out"), requestId }),
  z.object({ step: z.literal("close"), requestId }),
  z.object({
    step: z.literal("record-failure"),
    requestId,
    error: z
      .object({ Error: z.string().default("Unknown"), Cause: z.string().default("") })
      .passthrough(),
  }),
]);

export class InvalidWorkflowEventError extends Error {
  override readonly name = "InvalidWorkflowEventError";
}

export async function handler(event: unknown): Promise<{ ok: true }> {
  const step = parseEvent(workflowStepSchema, event, InvalidWorkflowEventError, "a workflow step");
  const d = deps();
  switch (step.step) {
    case "await":
      await awaitPhase(d, step.requestId, step.phase, step.taskToken);
      break;
    case "close-unverified":
      await closeUnverified(d, step.requestId);
      break;
    case "waive-fee":
      await waiveFee(d, step.requestId);
      break;
    case "close-fee-declined":
      await closeFeeDeclined(d, step.requestId);
      break;
    case "fulfil-opt-out":
      await fulfilOptOut(d, step.requestId);
      break;
    case "close":
      await closeRequest(d, step.requestId);
      break;
    case "record-failure":
      await recordFailure(d, step.requestId, step.error.Error, step.error.Cause);
      break;
  }
  return { ok: true };
}

import { describe, expect, it } from "vitest";
import type { LifecycleCommand } from "../../functions/domain/commands.js";
import type { RequestStatus } from "../../functions/domain/model.js";
import { workflowSignal } from "../../functions/use-cases/workflow-signal.js";
import { applying, aRequest, officer, requesterActor, system } from "../support/request-builder.js";

const verify: LifecycleCommand = { kind: "verify", actor: requesterActor, method: "email-code" };
const charge: LifecycleCommand = {
  kind: "assess-fee",
  actor: officer,
  amount: 20,
  currency: "NZD",
  reason: "Archive",
};

describe("what the waiting workflow is told", () => {
  it.each<[string, RequestStatus, LifecycleCommand[], unknown]>([
    [
      "verified → the next status",
      "awaiting-verification",
      [verify],
      { kind: "succeed", output: { next: "awaiting-fee-assessment" } },
    ],
    [
      "rejected → VerificationRejected",
      "awaiting-verification",
      [{ kind: "reject-verification", actor: officer, method: "document-check" }],
      { kind: "fail", error: "VerificationRejected" },
    ],
    [
      "fee charged → its amount",
      "awaiting-fee-assessment",
      [verify, charge],
      { kind: "succeed", output: { amount: 20 } },
    ],
    [
      "fee waived by default → amount 0",
      "awaiting-fee-assessment",
      [verify, { kind: "waive-fee-by-default", actor: system }],
      { kind: "succeed", output: { amount: 0 } },
    ],
    [
      "payment recorded → paid",
      "awaiting-fee-payment",
      [verify, charge, { kind: "record-payment", actor: officer }],
      { kind: "succeed", output: { paid: true } },
    ],
    [
      "fee declined → FeeDeclined",
      "awaiting-fee-payment",
      [verify, charge, { kind: "respond-to-fee", actor: requesterActor, accept: false }],
      { kind: "fail", error: "FeeDeclined" },
    ],
    [
      "withdrawn while waiting → stop",
      "awaiting-fee-assessment",
      [verify, { kind: "withdraw", actor: requesterActor }],
      { kind: "stop" },
    ],
  ])("%s", (_name, waitingIn, commands, expected) => {
    const request = applying(aRequest(), ...commands);
    expect(workflowSignal(waitingIn, request)).toMatchObject(expected as object);
  });

  it("says nothing while the request is still where the workflow waits", () => {
    expect(workflowSignal("awaiting-verification", aRequest())).toBeUndefined();
  });
});

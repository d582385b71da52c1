/**
 * The synthesized state machine (from the real CDK app) run path by path through an ASL
 * interpreter, with the Lambda side faked: each test plays the API's part by resuming tasks.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { LocalStepFunctions } from "../../infra/local/step-functions/local-engine.js";
import { lifecycleDefinition, synthesizeApp } from "../support/synth.js";

type Asl = ConstructorParameters<typeof LocalStepFunctions>[0]["definition"];
let definition: Asl;

beforeAll(() => {
  definition = lifecycleDefinition(synthesizeApp().application) as Asl;
}, 120_000);

interface Step {
  step: string;
  phase?: string;
  taskToken?: string;
}

/** The Lambda side: records every step and hands the test the token of each wait. */
function fakeLambda(failOn?: string) {
  const calls: Step[] = [];
  return {
    calls,
    invoker: async (_fn: string, payload: unknown) => {
      const step = payload as Step;
      calls.push(step);
      if (step.step === failOn)
        throw Object.assign(new Error("mail service down"), { name: "MailError" });
      return { ok: true };
    },
    async tokenFor(phase: string): Promise<string> {
      for (let i = 0; i < 200; i++) {
        const call = calls.find((c) => c.step === "await" && c.phase === phase);
        if (call?.taskToken) return call.taskToken;
        await new Promise((r) => setTimeout(r, 10));
      }
      throw new Error(`the workflow never waited in ${phase}`);
    },
  };
}

function start(
  type: string,
  lambda: ReturnType<typeof fakeLambda>,
  timeoutOverrides?: Record<string, number>,
) {
  const engine = new LocalStepFunctions({
    definition,
    lambdaInvoker: lambda.invoker,
    timeoutOverrides,
  });
  const execution = engine.startExecution({
    name: "7K3M9QX2AB",
    input: JSON.stringify({
      requestId: "7K3M9QX2AB",
      type,
      jurisdiction: "NZ",
      feeApplicable: true,
    }),
  });
  return { engine, execution };
}

describe("the request lifecycle workflow", () => {
  it("runs a request that needs no fee from verification to close", async () => {
    const lambda = fakeLambda();
    const { engine, execution } = start("complaint", lambda);

    engine.sendTaskSuccess(
      await lambda.tokenFor("awaiting-verification"),
      JSON.stringify({ next: "in-fulfilment" }),
    );
    engine.sendTaskSuccess(
      await lambda.tokenFor("in-fulfilment"),
      JSON.stringify({ fulfilled: true }),
    );
    await execution.done;

    expect(execution.status).toBe("SUCCEEDED");
    expect(execution.states).toEqual([
      "AwaitVerification",
      "FeeApplicable?",
      "IsOptOut?",
      "AwaitFulfilment",
      "Close",
      "Closed",
    ]);
    expect(lambda.calls.at(-1)).toMatchObject({ step: "close" });
  });

  it("waits for the fee to be assessed and paid before fulfilment", async () => {
    const lambda = fakeLambda();
    const { engine, execution } = start("access", lambda);

    engine.sendTaskSuccess(
      await lambda.tokenFor("awaiting-verification"),
      JSON.stringify({ next: "awaiting-fee-assessment" }),
    );
    engine.sendTaskSuccess(
      await lambda.tokenFor("awaiting-fee-assessment"),
      JSON.stringify({ amount: 25 }),
    );
    engine.sendTaskSuccess(
      await lambda.tokenFor("awaiting-fee-payment"),
      JSON.stringify({ paid: true }),
    );
    engine.sendTaskSuccess(
      await lambda.tokenFor("in-fulfilment"),
      JSON.stringify({ fulfilled: true }),
    );
    await execution.done;

    expect(execution.states).toEqual([
      "AwaitVerification",
      "FeeApplicable?",
      "AwaitFeeAssessment",
      "FeeCharged?",
      "AwaitFeePayment",
      "IsOptOut?",
      "AwaitFulfilment",
      "Close",
      "Closed",
    ]);
  });

  it("waives the fee when nobody assesses it in time", async () => {
    const lambda = fakeLambda();
    const { engine, execution } = start("access", lambda, { AwaitFeeAssessment: 1 });

    engine.sendTaskSuccess(
      await lambda.tokenFor("awaiting-verification"),
      JSON.stringify({ next: "awaiting-fee-assessment" }),
    );
    engine.sendTaskSuccess(
      await lambda.tokenFor("in-fulfilment"),
      JSON.stringify({ fulfilled: true }),
    );
    await execution.done;

    expect(execution.states).toEqual([
      "AwaitVerification",
      "FeeApplicable?",
      "AwaitFeeAssessment",
      "WaiveFee",
      "IsOptOut?",
      "AwaitFulfilment",
      "Close",
      "Closed",
    ]);
    expect(lambda.calls.map((c) => c.step)).toContain("waive-fee");
  });

  it("closes the request as unverified when the code is never entered", async () => {
    const lambda = fakeLambda();
    const { execution } = start("access", lambda, { AwaitVerification: 1 });

    await execution.done;

    expect(execution.status).toBe("SUCCEEDED");
    expect(execution.states).toEqual(["AwaitVerification", "CloseUnverified", "ClosedUnverified"]);
  });

  it("closes the request as unverified when an officer rejects the identity evidence", async () => {
    const lambda = fakeLambda();
    const { engine, execution } = start("access", lambda);

    engine.sendTaskFailure(
      await lambda.tokenFor("awaiting-verification"),
      "VerificationRejected",
      "document mismatch",
    );
    await execution.done;

    expect(execution.states).toEqual(["AwaitVerification", "CloseUnverified", "ClosedUnverified"]);
  });

  it("closes the request when the requester declines the fee", async () => {
    const lambda = fakeLambda();
    const { engine, execution } = start("access", lambda);

    engine.sendTaskSuccess(
      await lambda.tokenFor("awaiting-verification"),
      JSON.stringify({ next: "awaiting-fee-assessment" }),
    );
    engine.sendTaskSuccess(
      await lambda.tokenFor("awaiting-fee-assessment"),
      JSON.stringify({ amount: 40 }),
    );
    engine.sendTaskFailure(
      await lambda.tokenFor("awaiting-fee-payment"),
      "FeeDeclined",
      "declined",
    );
    await execution.done;

    expect(execution.states.slice(-2)).toEqual(["CloseFeeDeclined", "ClosedFeeDeclined"]);
  });

  it("stops cleanly when the requester withdraws while it waits", async () => {
    const lambda = fakeLambda();
    const { engine, execution } = start("access", lambda);
    const token = await lambda.tokenFor("awaiting-verification");

    engine.stopExecution(execution.executionArn);
    await execution.done;

    expect(execution.status).toBe("ABORTED");
    expect(() => engine.sendTaskSuccess(token, "{}")).toThrow(/not pending/);
  });

  it("fulfils a marketing opt-out without an officer", async () => {
    const lambda = fakeLambda();
    const { engine, execution } = start("marketing-opt-out", lambda);

    engine.sendTaskSuccess(
      await lambda.tokenFor("awaiting-verification"),
      JSON.stringify({ next: "in-fulfilment" }),
    );
    await execution.done;

    expect(execution.states).toEqual([
      "AwaitVerification",
      "FeeApplicable?",
      "IsOptOut?",
      "FulfilOptOut",
      "Close",
      "Closed",
    ]);
  });

  it("records the failure on the request and fails when a step keeps failing", async () => {
    const lambda = fakeLambda("close");
    const { engine, execution } = start("complaint", lambda);

    engine.sendTaskSuccess(
      await lambda.tokenFor("awaiting-verification"),
      JSON.stringify({ next: "in-fulfilment" }),
    );
    engine.sendTaskSuccess(
      await lambda.tokenFor("in-fulfilment"),
      JSON.stringify({ fulfilled: true }),
    );
    await execution.done;

    expect(execution.status).toBe("FAILED");
    expect(execution.states.slice(-3)).toEqual(["Close", "RecordFailure", "Failed"]);
    expect(lambda.calls.filter((c) => c.step === "close")).toHaveLength(4); // first try + 3 retries
    expect(lambda.calls.at(-1)).toMatchObject({
      step: "record-failure",
      error: { Error: "MailError" },
    });
  });

  it("starting the same execution twice is a no-op", () => {
    const lambda = fakeLambda();
    const { engine, execution } = start("access", lambda);
    const again = engine.startExecution({ name: execution.name, input: execution.input });
    expect(again).toBe(execution);
    engine.stopAll();
  });
});

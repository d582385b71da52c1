import { describe, expect, it } from "vitest";
import { ConcurrentUpdateError } from "../../functions/adapters/errors.js";
import { TransitionError } from "../../functions/domain/commands.js";
import { applyCommand, load } from "../../functions/use-cases/change-request.js";
import { InvalidInputError, StatusTokenError } from "../../functions/use-cases/errors.js";
import {
  officerAssessFee,
  officerClose,
  officerExtend,
  officerFulfil,
  officerGetRequest,
  officerQueue,
  officerVerify,
} from "../../functions/use-cases/officer.js";
import {
  getRequestStatus,
  issueVerificationCode,
  respondToFee,
  submitRequest,
  submitVerificationCode,
  withdrawRequest,
} from "../../functions/use-cases/requester.js";
import { awaitPhase } from "../../functions/use-cases/workflow-steps.js";
import { testDeps } from "../support/fakes.js";
import { ACCESS_SUBMISSION } from "../support/request-builder.js";

const officer = { kind: "officer" as const, id: "officer-1" };
const requesterEmail = "aroha@example.com";

const accessRequest = ACCESS_SUBMISSION;

/** Submits, then verifies with the code read from the requester's mail. */
async function verifiedRequest(deps: ReturnType<typeof testDeps>, input = accessRequest) {
  const submitted = await submitRequest(deps, input, { channel: "web" });
  await deps.store.setWaitingTask(submitted.id, "awaiting-verification", "token-verify");
  await issueVerificationCode(deps, submitted.id);
  const code = codeFrom(deps);
  await submitVerificationCode(deps, submitted.id, submitted.statusToken, code);
  return submitted;
}

function codeFrom(deps: ReturnType<typeof testDeps>): string {
  const mail = deps.mailer.to(requesterEmail, "verification-code").at(-1);
  const code = /code is (\d{6})/.exec(mail?.text ?? "")?.[1];
  if (!code) throw new Error("no verification code was mailed");
  return code;
}

describe("submitting a request", () => {
  it("opens it, acknowledges with the reference and both due dates, and starts its workflow", async () => {
    // Arrange
    const deps = testDeps("2026-03-02T01:00:00Z");

    // Act
    const result = await submitRequest(deps, accessRequest, { channel: "web" });

    // Assert: received Mon 2 Mar 2026 NZ → SLA 23 Mar, statutory 30 Mar.
    expect(result).toMatchObject({
      status: "awaiting-verification",
      due: { sla: "2026-03-23", statutory: "2026-03-30" },
    });
    const [ack] = deps.mailer.to(requesterEmail, "acknowledgement");
    expect(ack?.subject).toContain(result.reference);
    expect(ack?.text).toContain("2026-03-23");
    expect(ack?.text).toContain("2026-03-30");
    expect(deps.mailer.to("privacy@provider.example", "officer-new-request")).toHaveLength(1);
    expect(deps.mailer.to("privacy@provider.example")[0]?.text).not.toContain(requesterEmail);
    expect(deps.workflow.calls).toEqual([
      {
        call: "start",
        input: { requestId: result.id, type: "access", jurisdiction: "NZ", feeApplicable: true },
      },
    ]);
    const view = await getRequestStatus(deps, result.id, result.statusToken);
    expect(view.reference).toBe(result.reference);
  });

  it("answers a retry with the same Idempotency-Key with the same request, once", async () => {
    const deps = testDeps();

    const first = await submitRequest(deps, accessRequest, {
      channel: "web",
      idempotencyKey: "k-1",
    });
    const retry = await submitRequest(deps, accessRequest, {
      channel: "web",
      idempotencyKey: "k-1",
    });

    expect(retry).toEqual({ ...first, replayed: true });
    expect(deps.store.items.size).toBe(1);
    expect(deps.mailer.to(requesterEmail, "acknowledgement")).toHaveLength(1);
    expect(deps.workflow.calls.filter((c) => c.call === "start")).toHaveLength(1);
  });

  it("refuses an Idempotency-Key reused with another body", async () => {
    const deps = testDeps();
    await submitRequest(deps, accessRequest, { channel: "web", idempotencyKey: "k-1" });

    await expect(
      submitRequest(
        deps,
        { ...accessRequest, type: "deletion" },
        { channel: "web", idempotencyKey: "k-1" },
      ),
    ).rejects.toMatchObject({ name: "ConflictError", code: "idempotency-key-reused" });
    expect(deps.store.items.size).toBe(1);
  });
});

describe("the status token", () => {
  it("never opens another request", async () => {
    const deps = testDeps();
    const mine = await submitRequest(deps, accessRequest, { channel: "web" });
    const theirs = await submitRequest(deps, accessRequest, { channel: "web" });

    await expect(getRequestStatus(deps, theirs.id, mine.statusToken)).rejects.toEqual(
      new StatusTokenError("invalid"),
    );
    await expect(getRequestStatus(deps, theirs.id, undefined)).rejects.toEqual(
      new StatusTokenError("missing"),
    );
    await expect(withdrawRequest(deps, theirs.id, mine.statusToken)).rejects.toBeInstanceOf(
      StatusTokenError,
    );
    expect((await deps.store.get(theirs.id))?.request.status).toBe("awaiting-verification");
  });
});

describe("verification by code", () => {
  it("verifies with the emailed code and resumes the waiting workflow", async () => {
    const deps = testDeps();

    const submitted = await verifiedRequest(deps);

    expect((await deps.store.get(submitted.id))?.request.status).toBe("awaiting-fee-assessment");
    expect(deps.workflow.calls).toContainEqual({
      call: "succeed",
      token: "token-verify",
      output: { next: "awaiting-fee-assessment" },
    });
  });

  it("counts a wrong code, says how many attempts are left, and names the field", async () => {
    const deps = testDeps();
    const submitted = await submitRequest(deps, accessRequest, { channel: "web" });
    await issueVerificationCode(deps, submitted.id);
    const wrong = codeFrom(deps) === "000000" ? "000001" : "000000";

    const error = await submitVerificationCode(
      deps,
      submitted.id,
      submitted.statusToken,
      wrong,
    ).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error).toMatchObject({
      field: "code",
      message: expect.stringContaining("4 attempts left"),
    });
    expect((await deps.store.get(submitted.id))?.request.verification.attempts).toBe(1);
  });

  it("refuses an expired code", async () => {
    const deps = testDeps("2026-03-02T01:00:00Z");
    const submitted = await submitRequest(deps, accessRequest, { channel: "web" });
    await issueVerificationCode(deps, submitted.id);
    deps.clock.set("2026-03-04T01:00:00Z"); // the code lives 24 hours

    await expect(
      submitVerificationCode(deps, submitted.id, submitted.statusToken, codeFrom(deps)),
    ).rejects.toMatchObject({ name: "ConflictError", code: "code-expired" });
  });

  it("leaves the workflow alone when it is not waiting yet (its await step catches up)", async () => {
    const deps = testDeps();
    const submitted = await submitRequest(deps, accessRequest, { channel: "web" });
    await issueVerificationCode(deps, submitted.id);

    await submitVerificationCode(deps, submitted.id, submitted.statusToken, codeFrom(deps));

    expect(deps.workflow.calls.map((c) => c.call)).toEqual(["start"]);
  });
});

describe("fees", () => {
  it("states the fee by email, and a decline closes the request with the regulator's details", async () => {
    const deps = testDeps();
    const submitted = await verifiedRequest(deps);
    await officerAssessFee(deps, submitted.id, officer, {
      amount: 25,
      currency: "NZD",
      reason: "Archive search",
    });
    await deps.store.setWaitingTask(submitted.id, "awaiting-fee-payment", "token-pay");

    const view = await respondToFee(deps, submitted.id, submitted.statusToken, false);

    expect(deps.mailer.to(requesterEmail, "fee-notice")[0]?.text).toContain("25.00 NZD");
    expect(view).toMatchObject({ status: "closed", outcome: "fee-declined" });
    expect(deps.workflow.calls).toContainEqual({
      call: "fail",
      token: "token-pay",
      error: "FeeDeclined",
    });
    expect(deps.mailer.to(requesterEmail, "closure")[0]?.text).toContain("privacy.org.nz");
  });

  it("lets exactly one of two officers assessing at once win", async () => {
    const deps = testDeps();
    const submitted = await verifiedRequest(deps);

    const results = await Promise.allSettled([
      officerAssessFee(deps, submitted.id, officer, { amount: 0 }),
      officerAssessFee(
        deps,
        submitted.id,
        { kind: "officer", id: "officer-2" },
        {
          amount: 40,
          currency: "NZD",
          reason: "Large archive",
        },
      ),
    ]);

    expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    const loser = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(loser.reason).toBeInstanceOf(ConcurrentUpdateError);
    const history = (await deps.store.get(submitted.id))?.request.history ?? [];
    expect(history.filter((e) => e.action.startsWith("fee-"))).toHaveLength(1);
  });
});

describe("officer actions", () => {
  it("sends the NZ s48 extension notice with the new date, the reason and the right to complain", async () => {
    const deps = testDeps("2026-03-02T01:00:00Z");
    const submitted = await verifiedRequest(deps);

    const request = await officerExtend(deps, submitted.id, officer, {
      workingDays: 10,
      reason: "consultation-needed",
    });

    // 30 Mar 2026 + 10 working days (Easter skipped) = 15 Apr 2026 (see lifecycle tests).
    expect(request.due.statutory).toBe("2026-04-15");
    const [notice] = deps.mailer.to(requesterEmail, "extension-notice");
    expect(notice?.text).toContain("2026-04-15");
    expect(notice?.text).toContain("consultation-needed");
    expect(notice?.text).toContain("Privacy Commissioner");
  });

  it("resumes the workflow when the response is recorded", async () => {
    const deps = testDeps();
    const submitted = await verifiedRequest(deps, { ...accessRequest, type: "complaint" });
    await deps.store.setWaitingTask(submitted.id, "in-fulfilment", "token-fulfil");

    const request = await officerFulfil(deps, submitted.id, officer, {
      summary: "Complaint upheld",
    });

    expect(request).toMatchObject({ status: "closed", outcome: "completed" });
    expect(deps.workflow.calls).toContainEqual({
      call: "succeed",
      token: "token-fulfil",
      output: { fulfilled: true },
    });
  });

  it("stops the workflow and tells the requester why when an officer refuses", async () => {
    const deps = testDeps();
    const submitted = await verifiedRequest(deps, { ...accessRequest, jurisdiction: "AU" });

    await officerClose(deps, submitted.id, officer, {
      outcome: "refused",
      reason: "Information is not held",
    });

    expect(deps.workflow.calls).toContainEqual({ call: "stop", requestId: submitted.id });
    const [closure] = deps.mailer.to(requesterEmail, "closure");
    expect(closure?.text).toContain("Information is not held");
    expect(closure?.text).toContain("oaic.gov.au");
  });

  it("rejecting the identity evidence fails the verification wait and closes as unverified", async () => {
    const deps = testDeps();
    const submitted = await submitRequest(deps, accessRequest, { channel: "web" });
    await deps.store.setWaitingTask(submitted.id, "awaiting-verification", "token-verify");

    const request = await officerVerify(deps, submitted.id, officer, {
      decision: "rejected",
      method: "document-check",
      note: "Licence expired",
    });

    expect(request).toMatchObject({ status: "closed", outcome: "unverified" });
    expect(deps.workflow.calls).toContainEqual({
      call: "fail",
      token: "token-verify",
      error: "VerificationRejected",
    });
  });

  it("refuses a transition the status does not allow", async () => {
    const deps = testDeps();
    const submitted = await submitRequest(deps, accessRequest, { channel: "web" });

    await expect(
      officerFulfil(deps, submitted.id, officer, { summary: "early" }),
    ).rejects.toBeInstanceOf(TransitionError);
  });

  it("shows the officer the full history but never the code hash, and queues soonest due first", async () => {
    const deps = testDeps("2026-03-09T01:00:00Z");
    const later = await submitRequest(deps, accessRequest, { channel: "web" });
    deps.clock.set("2026-03-02T01:00:00Z");
    const sooner = await submitRequest(deps, accessRequest, { channel: "web" });
    await issueVerificationCode(deps, sooner.id);

    const detail = await officerGetRequest(deps, sooner.id);
    const queue = await officerQueue(deps, {});

    expect(detail.history.map((e) => e.action)).toEqual(["submitted", "verification-code-sent"]);
    expect(JSON.stringify(detail)).not.toMatch(/codeHash/);
    expect(queue.items.map((r) => r.id)).toEqual([sooner.id, later.id]);
  });

  it("a second verification after success is a conflict, not a second transition", async () => {
    const deps = testDeps();
    const submitted = await verifiedRequest(deps);

    await expect(
      submitVerificationCode(deps, submitted.id, submitted.statusToken, "123456"),
    ).rejects.toBeInstanceOf(TransitionError);
  });
});

describe("racing the workflow", () => {
  it("re-applies a requester's command that lost only to the system's own write", async () => {
    // Arrange: the request is read, then the workflow issues a code before the withdrawal saves.
    const deps = testDeps();
    const submitted = await submitRequest(deps, accessRequest, { channel: "web" });
    const stale = await load(deps, submitted.id);
    await issueVerificationCode(deps, submitted.id);

    // Act
    const request = await applyCommand(deps, stale, {
      kind: "withdraw",
      actor: { kind: "requester" },
    });

    // Assert
    expect(request).toMatchObject({ status: "closed", outcome: "withdrawn" });
    expect(request.history.map((e) => e.action)).toEqual([
      "submitted",
      "verification-code-sent",
      "withdrawn",
    ]);
  });

  it("still refuses a change that lost to another person's", async () => {
    const deps = testDeps();
    const submitted = await submitRequest(deps, accessRequest, { channel: "web" });
    const stale = await load(deps, submitted.id);
    await applyCommand(deps, stale, {
      kind: "add-note",
      actor: officer,
      text: "Called the requester",
    });

    await expect(
      applyCommand(deps, stale, { kind: "withdraw", actor: { kind: "requester" } }),
    ).rejects.toBeInstanceOf(ConcurrentUpdateError);
  });
});

describe("the workflow's token arriving mid-change", () => {
  it("resumes the workflow when its token was stored after the officer read the request", async () => {
    // Arrange: the officer reads the request; then the await step stores its token.
    const deps = testDeps();
    const submitted = await verifiedRequest(deps);
    const officerRead = await load(deps, submitted.id);
    await deps.store.setWaitingTask(submitted.id, "awaiting-fee-assessment", "token-late");

    // Act
    await applyCommand(deps, officerRead, { kind: "assess-fee", actor: officer, amount: 0 });

    // Assert: the token is used, so the execution does not wait forever.
    expect(deps.workflow.calls).toContainEqual({
      call: "succeed",
      token: "token-late",
      output: { amount: 0 },
    });
  });
});

describe("the workflow waiting again after a restart", () => {
  it("keeps the code the requester already holds instead of mailing a new one", async () => {
    // Arrange: the workflow's await step ran once and mailed a code.
    const deps = testDeps("2026-03-02T01:00:00Z");
    const submitted = await submitRequest(deps, accessRequest, { channel: "web" });
    await awaitPhase(deps, submitted.id, "awaiting-verification", "token-1");
    const code = codeFrom(deps);

    // Act: an hour later the local runtime restarts and the await step runs again.
    deps.clock.set("2026-03-02T02:00:00Z");
    await awaitPhase(deps, submitted.id, "awaiting-verification", "token-2");

    // Assert: one code mail, and that code still verifies.
    expect(deps.mailer.to(requesterEmail, "verification-code")).toHaveLength(1);
    const view = await submitVerificationCode(deps, submitted.id, submitted.statusToken, code);
    expect(view.status).toBe("awaiting-fee-assessment");
  });

  it("mails a new code when the one sent has expired", async () => {
    // Arrange
    const deps = testDeps("2026-03-02T01:00:00Z");
    const submitted = await submitRequest(deps, accessRequest, { channel: "web" });
    await awaitPhase(deps, submitted.id, "awaiting-verification", "token-1");

    // Act: two days later (codes live 24 hours).
    deps.clock.set("2026-03-04T01:00:00Z");
    await awaitPhase(deps, submitted.id, "awaiting-verification", "token-2");

    // Assert
    expect(deps.mailer.to(requesterEmail, "verification-code")).toHaveLength(2);
  });
});

import { describe, expect, it } from "vitest";
import { TransitionError } from "../../functions/domain/commands.js";
import { feeApplies } from "../../functions/domain/fees.js";
import { MAX_VERIFICATION_ATTEMPTS, transition } from "../../functions/domain/lifecycle.js";
import { idFromReference, REQUEST_ID_PATTERN } from "../../functions/domain/model.js";
import { newRequestId } from "../../functions/domain/new-request.js";
import { publicView } from "../../functions/domain/public-view.js";
import { applying, aRequest, officer, requesterActor, system } from "../support/request-builder.js";

const verifyByCode = { kind: "verify", actor: requesterActor, method: "email-code" } as const;

function refusal(fn: () => unknown): TransitionError {
  try {
    fn();
  } catch (error) {
    if (error instanceof TransitionError) return error;
    throw error;
  }
  throw new Error("expected a TransitionError");
}

describe("a new request", () => {
  it("awaits verification, with both due dates and how they were worked out in its history", () => {
    // Arrange / Act
    const request = aRequest();

    // Assert: received Mon 2 Mar 2026 NZ → SLA 23 Mar, statutory 30 Mar (see deadlines tests).
    expect(request.status).toBe("awaiting-verification");
    expect(request.due).toEqual({ sla: "2026-03-23", statutory: "2026-03-30" });
    expect(request.originalDue).toEqual(request.due);
    expect(request.version).toBe(1);
    expect(request.history).toHaveLength(1);
    expect(request.history[0]).toMatchObject({
      action: "submitted",
      toStatus: "awaiting-verification",
      public: true,
      details: { statutory: { date: "2026-03-30", counted: 20 } },
    });
  });

  it("has a reference that leads back to its id", () => {
    const id = newRequestId();
    expect(id).toMatch(REQUEST_ID_PATTERN);
    const request = aRequest({}, { id });
    expect(request.reference).toMatch(/^PD-[0-9A-Z]{5}-[0-9A-Z]{5}$/);
    expect(idFromReference(request.reference.toLowerCase())).toBe(id);
  });
});

describe("verification", () => {
  it("moves an NZ access request on to fee assessment", () => {
    const verified = applying(aRequest(), verifyByCode);
    expect(verified.status).toBe("awaiting-fee-assessment");
    expect(verified.verification.method).toBe("email-code");
  });

  it.each([
    ["complaint", "NZ"],
    ["correction", "AU"],
    ["marketing-opt-out", "NZ"],
    ["access", "EU"],
  ] as const)("skips the fee step for a %s request in %s", (type, jurisdiction) => {
    const verified = applying(aRequest({ type, jurisdiction }), verifyByCode);
    expect(verified.status).toBe("in-fulfilment");
  });

  it("lets a fee be assessed on an EU request an officer marked manifestly unfounded", () => {
    const verified = applying(
      aRequest({ jurisdiction: "EU" }),
      {
        kind: "mark-manifestly-unfounded",
        actor: officer,
        reason: "Fifth identical request this month",
      },
      verifyByCode,
    );
    expect(verified.status).toBe("awaiting-fee-assessment");
  });

  it("refuses to mark a non-EU request manifestly unfounded", () => {
    const error = refusal(() =>
      applying(aRequest(), { kind: "mark-manifestly-unfounded", actor: officer, reason: "x" }),
    );
    expect(error.code).toBe("fee-not-applicable");
  });

  it("closes the request as unverified when the officer rejects the evidence", () => {
    const closed = applying(aRequest(), {
      kind: "reject-verification",
      actor: officer,
      method: "document-check",
      note: "Document did not match",
    });
    expect(closed).toMatchObject({ status: "closed", outcome: "unverified" });
    expect(closed.closedAt).toBeDefined();
  });

  it("closes the request as unverified when the wait expires", () => {
    const closed = applying(aRequest(), { kind: "expire-verification", actor: system });
    expect(closed).toMatchObject({ status: "closed", outcome: "unverified" });
  });

  it(`locks verification after ${MAX_VERIFICATION_ATTEMPTS} wrong codes`, () => {
    const wrong = { kind: "record-failed-verification-attempt", actor: requesterActor } as const;
    const fiveWrong = applying(aRequest(), ...Array(MAX_VERIFICATION_ATTEMPTS).fill(wrong));
    expect(fiveWrong.verification.attempts).toBe(5);
    expect(refusal(() => applying(fiveWrong, wrong)).code).toBe("verification-locked");
  });

  it("resets the attempts when a new code is issued", () => {
    const wrong = { kind: "record-failed-verification-attempt", actor: requesterActor } as const;
    const reissued = applying(aRequest(), wrong, wrong, {
      kind: "issue-verification-code",
      actor: system,
      codeHash: "ab".repeat(32),
      expiresAt: "2026-03-04T01:00:00Z",
    });
    expect(reissued.verification).toMatchObject({ attempts: 0, codeHash: "ab".repeat(32) });
  });
});

describe("fees", () => {
  const verified = () => applying(aRequest(), verifyByCode);

  it("waives the fee when the officer sets it to zero", () => {
    const waived = applying(verified(), { kind: "assess-fee", actor: officer, amount: 0 });
    expect(waived.status).toBe("in-fulfilment");
    expect(waived.fee).toMatchObject({ amount: 0, state: "waived" });
  });

  it("waives the fee by default when nobody assesses it in time", () => {
    const waived = applying(verified(), { kind: "waive-fee-by-default", actor: system });
    expect(waived.status).toBe("in-fulfilment");
    expect(waived.fee?.state).toBe("waived");
  });

  it("states a charged fee up front and waits for the requester", () => {
    const charged = applying(verified(), {
      kind: "assess-fee",
      actor: officer,
      amount: 25,
      currency: "NZD",
      reason: "Retrieval from archived backups",
    });
    expect(charged.status).toBe("awaiting-fee-payment");
    expect(charged.fee).toMatchObject({ amount: 25, currency: "NZD", state: "charged" });
  });

  it("refuses a charged fee without a currency or reason", () => {
    const error = refusal(() =>
      applying(verified(), { kind: "assess-fee", actor: officer, amount: 25 }),
    );
    expect(error.code).toBe("invalid-fee");
  });

  it("closes the request as fee-declined when the requester declines", () => {
    const declined = applying(
      verified(),
      { kind: "assess-fee", actor: officer, amount: 25, currency: "NZD", reason: "Archive search" },
      { kind: "respond-to-fee", actor: requesterActor, accept: false },
    );
    expect(declined).toMatchObject({ status: "closed", outcome: "fee-declined" });
    expect(declined.fee?.state).toBe("declined");
  });

  it("goes on to fulfilment once the officer records payment", () => {
    const paid = applying(
      verified(),
      { kind: "assess-fee", actor: officer, amount: 25, currency: "NZD", reason: "Archive search" },
      { kind: "respond-to-fee", actor: requesterActor, accept: true },
      { kind: "record-payment", actor: officer },
    );
    expect(paid.status).toBe("in-fulfilment");
    expect(paid.fee?.state).toBe("paid");
  });

  it.each([
    ["access", "NZ", undefined, true],
    ["deletion", "AU", undefined, true],
    ["complaint", "NZ", undefined, false],
    ["correction", "NZ", undefined, false],
    ["marketing-opt-out", "AU", undefined, false],
    ["access", "EU", undefined, false],
    ["access", "EU", true, true],
    ["complaint", "EU", true, false],
  ] as const)(
    "feeApplies(%s, %s, manifestly unfounded %s) is %s",
    (type, jurisdiction, marked, expected) => {
      expect(feeApplies({ type, jurisdiction, manifestlyUnfoundedOrExcessive: marked })).toBe(
        expected,
      );
    },
  );
});

describe("fulfilment and closing", () => {
  const inFulfilment = () => applying(aRequest({ type: "complaint" }), verifyByCode);

  it("completes the request with the officer's response", () => {
    const done = applying(inFulfilment(), {
      kind: "fulfil",
      actor: officer,
      summary: "Complaint upheld; apology sent",
      documents: [{ key: "responses/7K3M9QX2AB/letter.pdf", name: "letter.pdf" }],
    });
    expect(done).toMatchObject({ status: "closed", outcome: "completed" });
    expect(done.fulfilment?.documents).toHaveLength(1);
  });

  it("refuses fulfilment before verification", () => {
    const error = refusal(() =>
      applying(aRequest(), { kind: "fulfil", actor: officer, summary: "too early" }),
    );
    expect(error).toMatchObject({ code: "not-allowed-in-status", status: "awaiting-verification" });
  });

  it("requires a reason to refuse a request", () => {
    const error = refusal(() =>
      applying(inFulfilment(), { kind: "close", actor: officer, outcome: "refused" }),
    );
    expect(error.code).toBe("reason-required");
  });

  it("lets the requester withdraw at any open stage, and nothing more happens after closing", () => {
    const withdrawn = applying(aRequest(), { kind: "withdraw", actor: requesterActor });
    expect(withdrawn).toMatchObject({ status: "closed", outcome: "withdrawn" });
    expect(refusal(() => applying(withdrawn, verifyByCode)).code).toBe("not-allowed-in-status");
    expect(
      refusal(() => applying(withdrawn, { kind: "withdraw", actor: requesterActor })).status,
    ).toBe("closed");
  });

  it("still takes a private note on a closed request", () => {
    const withdrawn = applying(aRequest(), { kind: "withdraw", actor: requesterActor });
    const noted = applying(withdrawn, { kind: "add-note", actor: officer, text: "Called back" });
    expect(noted.history.at(-1)).toMatchObject({ action: "note-added", public: false });
    expect(noted.status).toBe("closed");
  });
});

describe("history", () => {
  it("appends one event per command with who, what, when and the status change", () => {
    const request = aRequest();
    const now = new Date("2026-03-03T02:00:00Z");

    const { request: next, event } = transition(request, verifyByCode, now);

    expect(next.history).toHaveLength(2);
    expect(next.history[1]).toEqual(event);
    expect(event).toMatchObject({
      at: "2026-03-03T02:00:00.000Z",
      actor: requesterActor,
      action: "verified",
      fromStatus: "awaiting-verification",
      toStatus: "awaiting-fee-assessment",
    });
    expect(next.version).toBe(request.version + 1);
    expect(request.history).toHaveLength(1); // the input is untouched
    expect(request.status).toBe("awaiting-verification");
  });
});

describe("extensions", () => {
  it("extends an NZ request by working days for a reason s48 allows", () => {
    // Statutory 30 Mar 2026 + 10 working days: 31 Mar, 1, 2 Apr (3); Good Friday 3 Apr and
    // Easter Monday 6 Apr skipped; 7–10 (7); 13, 14, 15 Apr (10) → 15 Apr.
    // SLA 23 Mar + 10 business days: 24–27 (4); 30, 31 (6); 1, 2 Apr (8); 7, 8 Apr (10) → 8 Apr.
    const extended = applying(aRequest(), {
      kind: "extend",
      actor: officer,
      workingDays: 10,
      reason: "large-quantity-of-information",
    });
    expect(extended.due).toEqual({ sla: "2026-04-08", statutory: "2026-04-15" });
    expect(extended.originalDue).toEqual({ sla: "2026-03-23", statutory: "2026-03-30" });
    expect(extended.extensions[0]).toMatchObject({
      previousStatutory: "2026-03-30",
      newStatutory: "2026-04-15",
    });
    expect(extended.history.at(-1)).toMatchObject({ action: "extended", public: true });
  });

  it("refuses an NZ extension for a reason s48 does not allow", () => {
    const error = refusal(() =>
      applying(aRequest(), { kind: "extend", actor: officer, workingDays: 5, reason: "busy" }),
    );
    expect(error.code).toBe("invalid-extension");
  });

  it("refuses an NZ extension once the statutory date has passed", () => {
    // Statutory date Mon 30 Mar; on Tue 31 Mar (14:00 NZDT) it is too late.
    const error = refusal(() =>
      transition(
        aRequest(),
        { kind: "extend", actor: officer, workingDays: 5, reason: "complexity" },
        new Date("2026-03-31T01:00:00Z"),
      ),
    );
    expect(error.code).toBe("invalid-extension");
  });

  it("allows a GDPR extension up to two further months, notified within the first month", () => {
    // EU request received Sat 31 Jan 2026 (Dublin): statutory Mon 2 Mar 2026. Two further months
    // end on 2 May; 1 May is allowed, 15 May is not.
    const eu = aRequest({ jurisdiction: "EU" }, { receivedAt: "2026-01-31T10:00:00Z" });
    const ok = transition(
      eu,
      { kind: "extend", actor: officer, until: "2026-05-01", reason: "Complex request" },
      new Date("2026-02-10T10:00:00Z"),
    );
    expect(ok.request.due.statutory).toBe("2026-05-01");
    const tooLong = refusal(() =>
      transition(
        eu,
        { kind: "extend", actor: officer, until: "2026-05-15", reason: "Complex request" },
        new Date("2026-02-10T10:00:00Z"),
      ),
    );
    expect(tooLong.code).toBe("invalid-extension");
    const tooLate = refusal(() =>
      transition(
        eu,
        { kind: "extend", actor: officer, until: "2026-04-01", reason: "Complex request" },
        new Date("2026-03-05T10:00:00Z"),
      ),
    );
    expect(tooLate.code).toBe("invalid-extension");
  });
});

describe("pausing the clock", () => {
  it("moves both due dates by the working days the clock was paused", () => {
    // Paused Wed 4 Mar 2026, resumed Wed 11 Mar: 5, 6, 9, 10, 11 Mar = 5 working days.
    // Statutory 30 Mar + 5: 31 Mar, 1, 2 Apr, (Easter 3 & 6 Apr skipped) 7, 8 Apr → 8 Apr.
    // SLA 23 Mar + 5 business days: 24, 25, 26, 27, 30 Mar → 30 Mar.
    const paused = transition(
      aRequest(),
      { kind: "pause", actor: officer, reason: "awaiting-clarification" },
      new Date("2026-03-04T01:00:00Z"),
    ).request;
    const resumed = transition(
      paused,
      { kind: "resume", actor: officer },
      new Date("2026-03-11T01:00:00Z"),
    );

    expect(resumed.request.due).toEqual({ sla: "2026-03-30", statutory: "2026-04-08" });
    expect(resumed.request.pauses[0]).toMatchObject({ workingDays: 5 });
    expect(resumed.event).toMatchObject({
      action: "clock-resumed",
      details: { workingDaysPaused: 5 },
    });
  });

  it("refuses a second pause and a resume without a pause", () => {
    const paused = applying(aRequest(), {
      kind: "pause",
      actor: officer,
      reason: "awaiting-clarification",
    });
    expect(
      refusal(() => applying(paused, { kind: "pause", actor: officer, reason: "again" })).code,
    ).toBe("already-paused");
    expect(refusal(() => applying(aRequest(), { kind: "resume", actor: officer })).code).toBe(
      "not-paused",
    );
  });
});

describe("the requester's status page", () => {
  it("shows the public timeline and next step, never officer notes or hashes", () => {
    const request = applying(
      aRequest(),
      {
        kind: "issue-verification-code",
        actor: system,
        codeHash: "f".repeat(64),
        expiresAt: "2026-03-04T01:00:00Z",
      },
      { kind: "add-note", actor: officer, text: "Requester sounded upset" },
    );

    const view = publicView(request);

    expect(view.timeline.map((e) => e.action)).toEqual(["submitted", "verification-code-sent"]);
    expect(view.nextStep).toMatch(/verification code/);
    expect(JSON.stringify(view)).not.toContain("upset");
    expect(JSON.stringify(view)).not.toContain("f".repeat(64));
    expect(view.due).toEqual({ sla: "2026-03-23", statutory: "2026-03-30" });
  });

  it("tells an anonymous requester that an officer will confirm their identity", () => {
    expect(publicView(aRequest({ anonymous: true })).nextStep).toMatch(/privacy officer/);
  });
});

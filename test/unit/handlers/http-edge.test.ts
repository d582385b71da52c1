import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { handler as getStatus } from "../../../functions/handlers/get-request-status.handler.js";
import { handler as officerAssessFee } from "../../../functions/handlers/officer-assess-fee.handler.js";
import { handler as officerAssign } from "../../../functions/handlers/officer-assign.handler.js";
import { handler as officerExtend } from "../../../functions/handlers/officer-extend.handler.js";
import { handler as officerGet } from "../../../functions/handlers/officer-get-request.handler.js";
import { handler as officerQueue } from "../../../functions/handlers/officer-queue.handler.js";
import { handler as submit } from "../../../functions/handlers/submit-request.handler.js";
import { handler as verifyCode } from "../../../functions/handlers/submit-verification-code.handler.js";
import { setDepsForTesting } from "../../../functions/handlers/wiring.js";
import { apiEvent, invoke } from "../../support/api-event.js";
import { testDeps } from "../../support/fakes.js";

const validBody = {
  type: "access",
  requester: { name: "Aroha Test", email: "aroha@example.com" },
  jurisdiction: "NZ",
  description: "Everything you hold about me",
};

let deps: ReturnType<typeof testDeps>;
beforeEach(() => {
  deps = testDeps("2026-03-02T01:00:00Z");
  setDepsForTesting(deps);
});
afterEach(() => setDepsForTesting(undefined));

const post = (body: unknown, headers?: Record<string, string>) =>
  invoke(
    submit,
    apiEvent({ method: "POST", path: "/requests", body, ...(headers ? { headers } : {}) }),
  );

describe("POST /requests", () => {
  it("answers 202 with the id, reference, due dates and status token, readable by a web form", async () => {
    const response = await post(validBody, { origin: "https://privacy-form.example" });

    expect(response.statusCode).toBe(202);
    expect(response.body).toMatchObject({
      status: "awaiting-verification",
      due: { sla: "2026-03-23", statutory: "2026-03-30" },
    });
    expect(response.body).not.toHaveProperty("replayed");
    expect(typeof response.body.statusToken).toBe("string");
    expect(response.headers["access-control-allow-origin"]).toBe("*");
  });

  it("names the wrong field in a 400 and stores nothing", async () => {
    const response = await post({ ...validBody, requester: { name: "A", email: "nope" } });

    expect(response.statusCode).toBe(400);
    expect(response.body).toMatchObject({
      error: {
        code: "invalid-request",
        issues: [expect.objectContaining({ path: "requester.email" })],
      },
    });
    expect(deps.store.items.size).toBe(0);
  });

  it("answers malformed JSON with 400 invalid-json", async () => {
    const response = await invoke(
      submit,
      apiEvent({ method: "POST", path: "/requests", rawBody: "{ not json" }),
    );
    expect(response).toMatchObject({ statusCode: 400, body: { error: { code: "invalid-json" } } });
  });

  it("replays a retried submission with the same Idempotency-Key and refuses the key with another body", async () => {
    const first = await post(validBody, { "Idempotency-Key": "abc-123" });
    const retry = await post(validBody, { "Idempotency-Key": "abc-123" });
    const other = await post({ ...validBody, type: "deletion" }, { "Idempotency-Key": "abc-123" });

    expect(retry.body).toEqual(first.body);
    expect(other).toMatchObject({
      statusCode: 409,
      body: { error: { code: "idempotency-key-reused" } },
    });
    expect(deps.store.items.size).toBe(1);
  });

  it("never answers a 5xx, whatever JSON is sent", async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (body) => {
        const response = await post(body);
        expect(response.statusCode).toBeLessThan(500);
      }),
      { numRuns: 150 },
    );
  });
});

describe("requester routes", () => {
  it("refuses a status token from another request with 403 and a missing one with 401", async () => {
    const mine = await post(validBody);
    const theirs = await post(validBody);
    const id = String(theirs.body.id);

    const wrong = await invoke(
      getStatus,
      apiEvent({
        method: "GET",
        path: `/requests/${id}`,
        id,
        headers: { authorization: `Bearer ${mine.body.statusToken}` },
      }),
    );
    const missing = await invoke(
      getStatus,
      apiEvent({ method: "GET", path: `/requests/${id}`, id }),
    );

    expect(wrong.statusCode).toBe(403);
    expect(missing.statusCode).toBe(401);
  });

  it("answers 404 for an unknown or malformed id", async () => {
    const token = { authorization: "Bearer whatever" };
    const unknown = await invoke(
      getStatus,
      apiEvent({ method: "GET", path: "/requests/ZZZZZZZZZZ", id: "ZZZZZZZZZZ", headers: token }),
    );
    const malformed = await invoke(
      getStatus,
      apiEvent({ method: "GET", path: "/requests/x", id: "../etc", headers: token }),
    );
    expect(unknown.statusCode).toBe(404);
    expect(malformed.statusCode).toBe(404);
  });

  it("names the code field when it is not six digits", async () => {
    const mine = await post(validBody);
    const id = String(mine.body.id);
    const response = await invoke(
      verifyCode,
      apiEvent({
        method: "POST",
        path: `/requests/${id}/verification`,
        id,
        body: { code: "12ab" },
        headers: { authorization: `Bearer ${mine.body.statusToken}` },
      }),
    );
    expect(response).toMatchObject({
      statusCode: 400,
      body: { error: { issues: [expect.objectContaining({ path: "code" })] } },
    });
  });
});

describe("officer routes", () => {
  it("refuse a call without officer claims with 401", async () => {
    const response = await invoke(
      officerQueue,
      apiEvent({ method: "GET", path: "/officer/requests" }),
    );
    expect(response.statusCode).toBe(401);
  });

  it("validate the queue filters and name the bad one", async () => {
    const response = await invoke(
      officerQueue,
      apiEvent({
        method: "GET",
        path: "/officer/requests",
        officer: "o-1",
        query: { dueBefore: "2026-02-30" },
      }),
    );
    expect(response).toMatchObject({
      statusCode: 400,
      body: { error: { issues: [expect.objectContaining({ path: "dueBefore" })] } },
    });
  });

  it("answer 409 for a transition the status does not allow", async () => {
    const mine = await post(validBody);
    const id = String(mine.body.id);
    const response = await invoke(
      officerAssessFee,
      apiEvent({
        method: "POST",
        path: `/officer/requests/${id}/fee`,
        id,
        officer: "o-1",
        body: { amount: 0 },
      }),
    );
    expect(response).toMatchObject({
      statusCode: 409,
      body: { error: { code: "not-allowed-in-status" } },
    });
  });

  it("answer 400 for an NZ extension on a ground s48 does not allow, and for both until and workingDays", async () => {
    const mine = await post(validBody);
    const id = String(mine.body.id);
    const ev = (body: unknown) =>
      apiEvent({
        method: "POST",
        path: `/officer/requests/${id}/extension`,
        id,
        officer: "o-1",
        body,
      });

    const badReason = await invoke(officerExtend, ev({ workingDays: 5, reason: "busy" }));
    const both = await invoke(
      officerExtend,
      ev({ workingDays: 5, until: "2026-04-30", reason: "complexity" }),
    );

    expect(badReason).toMatchObject({
      statusCode: 400,
      body: { error: { code: "invalid-extension" } },
    });
    expect(both).toMatchObject({
      statusCode: 400,
      body: { error: { issues: [expect.objectContaining({ path: "until" })] } },
    });
  });

  it("assign a request to an officer by email, naming the field when it is not an address", async () => {
    const mine = await post(validBody);
    const id = String(mine.body.id);
    const ev = (body: unknown) =>
      apiEvent({
        method: "POST",
        path: `/officer/requests/${id}/assignment`,
        id,
        officer: "o-1",
        body,
      });

    const bad = await invoke(officerAssign, ev({ assignee: "Mere" }));
    const good = await invoke(officerAssign, ev({ assignee: "Mere.Officer@Provider.example" }));
    const back = await invoke(officerAssign, ev({ assignee: null }));

    expect(bad).toMatchObject({
      statusCode: 400,
      body: { error: { issues: [expect.objectContaining({ path: "assignee" })] } },
    });
    expect(good).toMatchObject({
      statusCode: 200,
      body: { assignee: "mere.officer@provider.example" },
    });
    expect(back.statusCode).toBe(200);
    expect(back.body).not.toHaveProperty("assignee");
  });

  it("show the full history to the officer", async () => {
    const mine = await post(validBody);
    const id = String(mine.body.id);
    const response = await invoke(
      officerGet,
      apiEvent({ method: "GET", path: `/officer/requests/${id}`, id, officer: "o-1" }),
    );
    expect(response.statusCode).toBe(200);
    expect(response.body).toMatchObject({
      id,
      history: [expect.objectContaining({ action: "submitted" })],
    });
  });
});

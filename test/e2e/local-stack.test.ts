/** End to end through the local stack's HTTP API and mail store only. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, startTestStack, type TestStack } from "../support/local-stack.js";

let local: TestStack;
let officer: string;

beforeAll(async () => {
  local = await startTestStack();
  officer = await local.stack.officerToken("officer@example.com");
}, 120_000);
afterAll(async () => local?.stop());

let n = 0;
async function submit(type = "access", extra: Record<string, unknown> = {}) {
  const email = `requester-${++n}@example.com`;
  const response = await local.call("POST", "/requests", {
    body: {
      type,
      requester: { name: "Test Requester", email },
      jurisdiction: "NZ",
      description: "Please",
      ...extra,
    },
  });
  expect(response.status).toBe(202);
  return {
    id: String(response.body.id),
    token: String(response.body.statusToken),
    email,
    body: response.body,
  };
}

const status = async (id: string, token: string) =>
  (await local.call("GET", `/requests/${id}`, { token })).body;

describe("the local stack", () => {
  it("answers /health and refuses officer routes without a token", async () => {
    expect((await local.call("GET", "/health")).status).toBe(200);
    expect((await local.call("GET", "/officer/requests")).status).toBe(401);
    expect((await local.call("GET", "/nowhere")).status).toBe(404);
  });

  it("runs an access request from submission to closure", async () => {
    const { id, token, email, body } = await submit();
    const [ack] = await eventually(async () => {
      const mails = await local.mailsTo(email);
      expect(mails.length).toBeGreaterThan(0);
      return mails;
    });
    expect(ack?.subject).toContain(String(body.reference));

    const verified = await local.call("POST", `/requests/${id}/verification`, {
      token,
      body: { code: await local.codeFor(email) },
    });
    expect(verified.body.status).toBe("awaiting-fee-assessment");
    await eventually(async () => {
      const fee = await local.call("POST", `/officer/requests/${id}/fee`, {
        token: officer,
        body: { amount: 0 },
      });
      expect(fee.status).toBe(200);
    });
    const fulfilled = await local.call("POST", `/officer/requests/${id}/fulfilment`, {
      token: officer,
      body: { summary: "Records sent" },
    });
    expect(fulfilled.body.status).toBe("closed");

    await eventually(async () => {
      const mails = await local.mailsTo(email);
      expect(mails.map((m) => m.subject).join()).toContain("closed");
    });
    expect(await status(id, token)).toMatchObject({ status: "closed", outcome: "completed" });
  });

  it("closes the request when the requester declines a fee", async () => {
    const { id, token, email } = await submit();
    await local.call("POST", `/requests/${id}/verification`, {
      token,
      body: { code: await local.codeFor(email) },
    });
    await local.call("POST", `/officer/requests/${id}/fee`, {
      token: officer,
      body: { amount: 20, currency: "NZD", reason: "Archive search" },
    });

    const declined = await local.call("POST", `/requests/${id}/fee-response`, {
      token,
      body: { accept: false },
    });

    expect(declined.body).toMatchObject({ status: "closed", outcome: "fee-declined" });
    const subjects = (await local.mailsTo(email)).map((m) => m.subject);
    expect(subjects.some((s) => s.includes("fee applies"))).toBe(true);
  });

  it("lets a requester withdraw", async () => {
    const { id, token } = await submit("deletion");
    const withdrawn = await local.call("POST", `/requests/${id}/withdraw`, { token, body: {} });
    expect(withdrawn.body).toMatchObject({ status: "closed", outcome: "withdrawn" });
  });

  it("lets exactly one of two officers acting at once win", async () => {
    const { id, token, email } = await submit();
    await local.call("POST", `/requests/${id}/verification`, {
      token,
      body: { code: await local.codeFor(email) },
    });

    const results = await Promise.all([
      local.call("POST", `/officer/requests/${id}/fee`, { token: officer, body: { amount: 0 } }),
      local.call("POST", `/officer/requests/${id}/fee`, {
        token: officer,
        body: { amount: 30, currency: "NZD", reason: "Archive" },
      }),
    ]);

    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const detail = await local.call("GET", `/officer/requests/${id}`, { token: officer });
    const feeEvents = (detail.body.history as { action: string }[]).filter((e) =>
      e.action.startsWith("fee-"),
    );
    expect(feeEvents).toHaveLength(1);
  });

  it("opens one request for a retried submission with the same Idempotency-Key", async () => {
    const body = {
      type: "access",
      requester: { name: "R", email: "retry@example.com" },
      jurisdiction: "AU",
      description: "Once",
    };
    const headers = { "idempotency-key": "form-submit-1234" };
    const [first, second] = await Promise.all([
      local.call("POST", "/requests", { body, headers }),
      local.call("POST", "/requests", { body, headers }),
    ]);
    expect(first.status).toBe(202);
    expect(second.body.id).toBe(first.body.id);
    const queue = await local.call("GET", "/officer/requests", { token: officer });
    const mine = (queue.body.items as { id: string }[]).filter((r) => r.id === first.body.id);
    expect(mine).toHaveLength(1);
  });

  it("refuses a status token on another request", async () => {
    const mine = await submit();
    const theirs = await submit();
    expect((await local.call("GET", `/requests/${theirs.id}`, { token: mine.token })).status).toBe(
      403,
    );
  });

  it("loses nothing across a restart in the middle of a request", async () => {
    const { id, token } = await submit("complaint");

    await local.restart();
    officer = await local.stack.officerToken("officer@example.com");

    expect(await status(id, token)).toMatchObject({ status: "awaiting-verification" });
    await eventually(async () => {
      const verified = await local.call("POST", `/officer/requests/${id}/verification`, {
        token: officer,
        body: { decision: "verified", method: "document-check" },
      });
      expect(verified.status).toBe(200);
    });
    const done = await local.call("POST", `/officer/requests/${id}/fulfilment`, {
      token: officer,
      body: { summary: "Upheld" },
    });
    expect(done.body).toMatchObject({ status: "closed", outcome: "completed" });
  });
});

/**
 * Email end to end: mail sent over SMTP to the local stack (the SES receiving stand-in) opens a
 * request, the acknowledgement lands in the sender's thread, and a reply joins the same request.
 * Driven only through SMTP, the HTTP API and the mail store.
 */
import { createTransport } from "nodemailer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { idFromReference } from "../../functions/domain/model.js";
import { eventually, startTestStack, type TestStack } from "../support/local-stack.js";

let local: TestStack;
let officer: string;
beforeAll(async () => {
  local = await startTestStack();
  officer = await local.stack.officerToken("officer@example.com");
}, 120_000);
afterAll(async () => local?.stop());

function smtp() {
  const url = new URL(local.stack.urls.smtp);
  return createTransport({
    host: url.hostname,
    port: Number(url.port),
    secure: false,
    ignoreTLS: true,
  });
}

const REQUESTER = "tama.rewi@example.com";

describe("email to the privacy mailbox", () => {
  it("opens a request, acknowledges it in the sender's thread, and threads the reply onto it", async () => {
    // Act 1: a person emails a request.
    await smtp().sendMail({
      from: `Tama Rewi <${REQUESTER}>`,
      to: "privacy@example.com",
      subject: "Please send me a copy of my personal information",
      text: "Kia ora, what information do you hold about me? Please send me a copy.",
      messageId: "<e2e-request-1@example.com>",
    });

    // Assert 1: the acknowledgement, in the sender's thread, with the reference and a token.
    const ack = await eventually(async () => {
      const mails = await local.mailsTo(REQUESTER);
      const found = mails.find((m) => m.subject.startsWith("Re: Please send me a copy"));
      expect(found).toBeDefined();
      return found;
    });
    expect(ack?.headers["in-reply-to"]).toBe("<e2e-request-1@example.com>");
    const reference = /\[(PD-[0-9A-Z]{5}-[0-9A-Z]{5})\]/.exec(ack?.subject ?? "")?.[1] ?? "";
    const id = idFromReference(reference) ?? "";
    const token = /status token is (\S+?)\./.exec(ack?.text ?? "")?.[1] ?? "";
    const status = await local.call("GET", `/requests/${id}`, { token });
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({ reference, status: "awaiting-verification" });

    // Act 2: the requester replies to the acknowledgement, the same message arriving twice.
    const reply = {
      from: `Tama Rewi <${REQUESTER}>`,
      to: "privacy@example.com",
      subject: ack?.subject ?? "",
      text: "Also the recordings of my support calls, please.",
      inReplyTo: "<e2e-request-1@example.com>",
      messageId: "<e2e-reply-1@example.com>",
    };
    await smtp().sendMail(reply);
    await smtp().sendMail(reply);

    // Assert 2: on the same request, once; no second request, no second acknowledgement.
    const detail = await eventually(async () => {
      const response = await local.call("GET", `/officer/requests/${id}`, { token: officer });
      const history = response.body.history as { action: string; note?: string }[];
      const replies = history.filter((e) => e.note?.includes("recordings of my support calls"));
      expect(replies).toHaveLength(1);
      return response.body;
    });
    expect(detail).toMatchObject({ channel: "email", type: "access" });
    const queue = await local.call("GET", "/officer/requests?limit=200", { token: officer });
    const mine = (queue.body.items as { requester: { email: string } }[]).filter(
      (r) => r.requester.email === REQUESTER,
    );
    expect(mine).toHaveLength(1);
    const acks = (await local.mailsTo(REQUESTER)).filter((m) => m.subject.startsWith("Re:"));
    expect(acks).toHaveLength(1);

    // Act 3 / Assert 3: the token from the email lets the requester verify through the API.
    const verified = await local.call("POST", `/requests/${id}/verification`, {
      token,
      body: { code: await local.codeFor(REQUESTER) },
    });
    expect(verified.status).toBe(200);
  });

  it("quarantines a message SES marks as spam, telling the officers and opening nothing", async () => {
    // Arrange
    const officerMailbox = "privacy-officer@example.com";
    const before = (await local.mailsTo(officerMailbox)).length;

    // Act: the local listener takes SES's verdicts from this header.
    await smtp().sendMail({
      from: "Win Big <winner@example.net>",
      to: "privacy@example.com",
      subject: "You have won",
      text: "Delete your data and claim the prize",
      headers: { "X-Local-Verdicts": "spam=FAIL" },
    });

    // Assert
    const notices = await eventually(async () => {
      const mails = (await local.mailsTo(officerMailbox)).slice(before);
      expect(mails.some((m) => m.subject.includes("quarantined: spam"))).toBe(true);
      return mails;
    });
    expect(notices.filter((m) => m.subject.includes("New privacy request"))).toEqual([]);
    expect(await local.mailsTo("winner@example.net")).toEqual([]);
  });
});

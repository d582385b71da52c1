/** The intake handler as SES invokes it: the event checked, the raw mail read from inbound/<id>. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { handler, InvalidSesEventError } from "../../../functions/handlers/email-intake.handler.js";
import { setDepsForTesting } from "../../../functions/handlers/wiring.js";
import { testDeps } from "../../support/fakes.js";

const env = {
  TABLE_NAME: "privacy-desk",
  BUCKET_NAME: "privacy-desk-documents",
  STATE_MACHINE_ARN: "arn:aws:states:ap-southeast-2:123456789012:stateMachine:RequestLifecycle",
  SENDER_ADDRESS: "privacy@provider.example",
  PRIVACY_OFFICER_ADDRESS: "officers@provider.example",
  PUBLIC_BASE_URL: "https://privacy.provider.example",
  STATUS_TOKEN_SECRET: "a-test-secret-of-enough-length",
};
beforeAll(() => {
  Object.assign(process.env, env);
});
afterAll(() => {
  for (const key of Object.keys(env)) delete process.env[key];
});
afterEach(() => setDepsForTesting(undefined));

const PASS = { status: "PASS" };
const sesEvent = (messageId: string, verdicts: Record<string, unknown> = {}) => ({
  Records: [
    {
      eventSource: "aws:ses",
      eventVersion: "1.0",
      ses: {
        mail: { timestamp: "2026-03-02T01:00:00.000Z", messageId, source: "a@example.com" },
        receipt: {
          spamVerdict: PASS,
          virusVerdict: PASS,
          spfVerdict: PASS,
          dkimVerdict: PASS,
          dmarcVerdict: PASS,
          action: { type: "Lambda", invocationType: "Event" },
          ...verdicts,
        },
      },
    },
  ],
});

describe("the email intake handler", () => {
  it("reads the raw mail SES stored under inbound/<messageId> and opens the request", async () => {
    // Arrange
    const deps = testDeps();
    setDepsForTesting(deps);
    await deps.documents.putObject(
      "inbound/o3vc8l2v7q0m1",
      [
        "From: Aroha Ngata <aroha@example.com>",
        "To: privacy@provider.example",
        "Subject: Please delete my account",
        "Message-ID: <h-1@example.com>",
        "",
        "Please erase all my personal information.",
        "",
      ].join("\r\n"),
      "message/rfc822",
    );

    // Act
    const results = await handler(sesEvent("o3vc8l2v7q0m1"));

    // Assert
    expect(results).toEqual([expect.objectContaining({ outcome: "opened", type: "deletion" })]);
    expect(deps.mailer.to("aroha@example.com", "acknowledgement")).toHaveLength(1);
  });

  it("refuses an event that is not from SES, naming what is missing, and touches nothing", async () => {
    // Arrange
    const deps = testDeps();
    setDepsForTesting(deps);

    // Act
    const invoking = handler({ Records: [{ ses: { mail: { messageId: "x" } } }] });

    // Assert
    await expect(invoking).rejects.toBeInstanceOf(InvalidSesEventError);
    await expect(invoking).rejects.toThrow(/Records\.0\.ses\.mail\.timestamp/);
    expect(deps.mailer.sent).toEqual([]);
  });

  it("refuses a message id that could point outside inbound/", async () => {
    // Arrange
    setDepsForTesting(testDeps());

    // Act / Assert
    await expect(handler(sesEvent("../responses/secret"))).rejects.toThrow(/messageId/);
  });
});

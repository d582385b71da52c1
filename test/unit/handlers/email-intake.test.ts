/** The intake handler as SES invokes it: the event checked, the raw mail read from inbound/<id>. */
import { afterEach, describe, expect, it } from "vitest";
import { handler, InvalidSesEventError } from "../../../functions/handlers/email-intake.handler.js";
import { setDepsForTesting } from "../../../functions/handlers/wiring.js";
import { testDeps } from "../../support/fakes.js";
import { useFunctionEnv } from "../../support/function-env.js";

useFunctionEnv();
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

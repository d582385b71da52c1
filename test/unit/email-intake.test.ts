/**
 * Email intake over the MIME fixture corpus (test/fixtures/mime): what a privacy officer and a
 * requester would see for each kind of message SES can hand us.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { SesReceipt } from "../../functions/domain/inbound-email.js";
import {
  InboundMessageMissingError,
  type IntakeResult,
  receiveEmail,
} from "../../functions/use-cases/email-intake.js";
import { officerClassify, officerPause } from "../../functions/use-cases/officer.js";
import { testDeps, testSettings } from "../support/fakes.js";
import { aRequest } from "../support/request-builder.js";

type Deps = ReturnType<typeof testDeps>;
const OFFICERS = testSettings.privacyOfficerAddress;
const officer = { kind: "officer" as const, id: "officer-1" };
const PASS = { status: "PASS" } as const;
const ALL_PASS: SesReceipt = {
  spamVerdict: PASS,
  virusVerdict: PASS,
  spfVerdict: PASS,
  dkimVerdict: PASS,
  dmarcVerdict: PASS,
};
// Received Mon 2 Mar 2026 14:00 NZDT: SLA Mon 23 Mar, statutory Mon 30 Mar (see request-builder).
const RECEIVED_AT = "2026-03-02T01:00:00.000Z";

const fixture = (name: string) => readFileSync(join("test/fixtures/mime", name));

let sesIds = 0;
async function deliver(
  deps: Deps,
  raw: Uint8Array,
  options: { receipt?: SesReceipt; sesMessageId?: string } = {},
): Promise<IntakeResult> {
  const sesMessageId = options.sesMessageId ?? `ses-${++sesIds}`;
  const objectKey = `inbound/${sesMessageId}`;
  await deps.documents.putObject(objectKey, raw, "message/rfc822");
  return receiveEmail(deps, {
    sesMessageId,
    objectKey,
    receivedAt: RECEIVED_AT,
    receipt: options.receipt ?? ALL_PASS,
  });
}

async function opened(deps: Deps, result: IntakeResult) {
  if (result.outcome !== "opened") throw new Error(`expected a request, got ${result.outcome}`);
  const stored = await deps.store.get(result.requestId);
  if (!stored) throw new Error("the opened request is not stored");
  return stored.request;
}

describe("a new request by email", () => {
  it("opens an access request from the sender, dated from SES's receipt, and acknowledges it in the sender's thread", async () => {
    // Arrange
    const deps = testDeps("2026-03-02T01:00:05Z");

    // Act
    const result = await deliver(deps, fixture("plain.eml"));

    // Assert
    const request = await opened(deps, result);
    expect(request).toMatchObject({
      type: "access",
      channel: "email",
      status: "awaiting-verification",
      requester: { name: "Aroha Ngata", email: "aroha.ngata@example.co.nz" },
      receivedAt: RECEIVED_AT,
      due: { sla: "2026-03-23", statutory: "2026-03-30" },
    });
    expect(request.description).toContain("what information do you hold about me");
    const [ack] = deps.mailer.to("aroha.ngata@example.co.nz", "acknowledgement");
    expect(ack?.inReplyTo).toBe("<CAF1a2b3c4d5e6f7@mail.example.co.nz>");
    expect(ack?.subject).toBe(
      `Re: Request for a copy of my personal information [${request.reference}]`,
    );
    expect(ack?.text).toContain("2026-03-23");
    expect(ack?.text).toMatch(/status token is \S+/);
    expect(deps.mailer.to(OFFICERS, "officer-new-request")).toHaveLength(1);
    expect(deps.workflow.calls).toContainEqual(
      expect.objectContaining({
        call: "start",
        input: expect.objectContaining({ requestId: request.id }),
      }),
    );
  });

  it("records an authenticated sender as identity evidence, and still waits for verification", async () => {
    // Arrange
    const deps = testDeps();

    // Act
    const request = await opened(deps, await deliver(deps, fixture("plain.eml")));

    // Assert
    expect(request.status).toBe("awaiting-verification");
    expect(request.verification.evidence).toEqual([expect.stringContaining("DMARC")]);
  });

  it("records no evidence when DMARC gave no verdict", async () => {
    // Arrange
    const deps = testDeps();

    // Act
    const result = await deliver(deps, fixture("plain.eml"), {
      receipt: { ...ALL_PASS, dmarcVerdict: { status: "GRAY" } },
    });

    // Assert
    expect((await opened(deps, result)).verification.evidence ?? []).toEqual([]);
  });

  it("opens one request, and acknowledges once, when the same message arrives twice", async () => {
    // Arrange
    const deps = testDeps();
    const raw = fixture("plain.eml");

    // Act: SES retries the same delivery, and the sender also copied a second address of ours.
    const first = await deliver(deps, raw, { sesMessageId: "ses-same" });
    const retried = await deliver(deps, raw, { sesMessageId: "ses-same" });
    const copied = await deliver(deps, raw, { sesMessageId: "ses-other-address" });

    // Assert
    const ids = [first, retried, copied].map((r) => (r.outcome === "opened" ? r.requestId : r));
    expect(new Set(ids).size).toBe(1);
    expect(deps.store.items.size).toBe(1);
    expect(deps.mailer.to("aroha.ngata@example.co.nz", "acknowledgement")).toHaveLength(1);
    const request = await opened(deps, first);
    expect(request.history.filter((e) => e.action === "correspondence-received")).toHaveLength(1);
  });

  it("opens a deletion request from an HTML-only message, reading its text and noting that it was HTML", async () => {
    // Arrange
    const deps = testDeps();

    // Act
    const result = await deliver(deps, fixture("html-only.eml"));

    // Assert
    const request = await opened(deps, result);
    expect(request.type).toBe("deletion");
    expect(request.requester.name).toBe("Liam O'Connor");
    expect(request.description).not.toMatch(/<[a-z]+/i);
    expect(result).toMatchObject({ problems: ["html-only"] });
    const correspondence = request.history.find((e) => e.action === "correspondence-received");
    expect(correspondence?.details).toMatchObject({ problems: ["html-only"] });
  });

  it("keeps an attachment in S3 under the request and lists it in the history", async () => {
    // Arrange
    const deps = testDeps();

    // Act
    const request = await opened(deps, await deliver(deps, fixture("multipart-attachment.eml")));

    // Assert
    expect(request.type).toBe("correction");
    const correspondence = request.history.find((e) => e.action === "correspondence-received");
    const [key] = (correspondence?.details?.attachments as string[] | undefined) ?? [];
    expect(key).toBe(`correspondence/${request.id}/ses-${sesIds}/1-proof-of-address.pdf`);
    const kept = await deps.documents.getObject(key ?? "");
    expect(
      Buffer.from(kept ?? [])
        .subarray(0, 5)
        .toString(),
    ).toBe("%PDF-");
  });

  it("decodes ISO-8859-1 and quoted-printable names and text", async () => {
    // Arrange
    const deps = testDeps();

    // Act
    const latin1 = await opened(deps, await deliver(deps, fixture("iso-8859-1.eml")));
    const qp = await opened(deps, await deliver(deps, fixture("quoted-printable.eml")));

    // Assert
    expect(latin1.requester.name).toBe("Renée Müller");
    expect(latin1.description).toMatch(/[äöüß]/);
    expect(qp.requester.name).toBe("José García");
    expect(qp.type).toBe("correction");
  });

  it("opens a marketing opt-out for a message asking to unsubscribe, and for a forwarded marketing mail", async () => {
    // Arrange
    const deps = testDeps();

    // Act
    const unsubscribe = await opened(deps, await deliver(deps, fixture("unsubscribe.eml")));
    const forwarded = await opened(deps, await deliver(deps, fixture("forwarded.eml")));

    // Assert
    expect(unsubscribe.type).toBe("marketing-opt-out");
    expect(forwarded.type).toBe("marketing-opt-out");
    expect(forwarded.requester.email).toBe("sam.taylor@example.com");
  });

  it("still opens and acknowledges a message it cannot fully read, saying why", async () => {
    // Arrange
    const deps = testDeps();

    // Act
    const empty = await deliver(deps, fixture("empty.eml"));
    const charset = await deliver(deps, fixture("unknown-charset.eml"));

    // Assert: an officer decides what they are; the requesters are told we have them.
    expect(empty).toMatchObject({ outcome: "opened", problems: ["empty-body"] });
    expect((await opened(deps, empty)).description).toBe(
      "(no readable text in the email: empty-body)",
    );
    expect(charset).toMatchObject({ outcome: "opened", problems: ["unknown-charset"] });
    expect(deps.mailer.sent.filter((m) => m.template === "acknowledgement")).toHaveLength(2);
  });

  it("opens a request for a 10 MB message from its headers, keeping the raw message", async () => {
    // Arrange: a real header block and a 10 MB attachment.
    const deps = testDeps();
    const header = [
      "From: Big Sender <big.sender@example.com>",
      "To: privacy@provider.example",
      "Subject: Access request with my documents",
      "Message-ID: <big-1@example.com>",
      "MIME-Version: 1.0",
      'Content-Type: multipart/mixed; boundary="b"',
      "",
      "--b",
      "Content-Type: text/plain",
      "",
      "Please send me a copy of my data.",
      "--b",
      "Content-Type: application/octet-stream",
      "Content-Transfer-Encoding: base64",
      "",
    ].join("\r\n");
    const raw = Buffer.concat([
      Buffer.from(`${header}\r\n`),
      Buffer.alloc(10 * 1024 * 1024, "QUFBQUFBQUFBQUFB\r\n"),
      Buffer.from("\r\n--b--\r\n"),
    ]);

    // Act
    const result = await deliver(deps, raw, { sesMessageId: "ses-big" });

    // Assert
    expect(result).toMatchObject({ outcome: "opened", problems: ["oversized"] });
    const request = await opened(deps, result);
    expect(request.requester.email).toBe("big.sender@example.com");
    expect(request.type).toBe("access");
    expect((await deps.documents.getObject("inbound/ses-big"))?.byteLength).toBe(raw.byteLength);
  });
});

describe("the officer deciding what an email request is", () => {
  it("sets the type and, for another jurisdiction, works the due dates out again from the receipt", async () => {
    // Arrange: an unclassified request received Mon 2 Mar 2026, 12:00 in Sydney.
    const deps = testDeps();
    const { id } = await opened(deps, await deliver(deps, fixture("empty.eml")));

    // Act
    const classified = await officerClassify(deps, id, officer, {
      type: "access",
      jurisdiction: "AU",
      region: "nsw",
    });

    // Assert. NSW business days: 3–6 Mar (4), 9–13 (9), 16–20 (14), Mon 23 Mar (15). APP 12.4:
    // 30 days after 2 Mar is Wed 1 Apr, a business day.
    expect(classified).toMatchObject({
      type: "access",
      jurisdiction: "AU",
      region: "NSW",
      due: { sla: "2026-03-23", statutory: "2026-04-01" },
    });
    expect(classified.history.at(-1)).toMatchObject({ action: "classified", public: true });
  });

  it("refuses to move the jurisdiction once the dates were paused or extended", async () => {
    // Arrange
    const deps = testDeps("2026-03-03T01:00:00Z");
    const { id } = await opened(deps, await deliver(deps, fixture("empty.eml")));
    await officerPause(deps, id, officer, "clarification");

    // Act
    const moving = officerClassify(deps, id, officer, { type: "access", jurisdiction: "EU" });

    // Assert
    await expect(moving).rejects.toMatchObject({ code: "dates-already-moved" });
    expect((await deps.store.get(id))?.request.jurisdiction).toBe("NZ");
  });
});

describe("a reply to an existing request", () => {
  it("is added to the request whose reference is in the subject, opening nothing and acknowledging nothing", async () => {
    // Arrange: the request the fixture's subject names (PD-0123A-BCDEF).
    const deps = testDeps();
    const request = aRequest(
      { requester: { name: "Aroha Ngata", email: "aroha.ngata@example.co.nz" } },
      { id: "0123ABCDEF" },
    );
    await deps.store.create(request, "a".repeat(64));

    // Act
    const result = await deliver(deps, fixture("reply.eml"));
    const again = await deliver(deps, fixture("reply.eml"));

    // Assert
    expect(result).toMatchObject({
      outcome: "threaded",
      requestId: "0123ABCDEF",
      duplicate: false,
    });
    expect(again).toMatchObject({ outcome: "threaded", duplicate: true });
    expect(deps.store.items.size).toBe(1);
    expect(deps.mailer.sent).toEqual([]);
    const history = (await deps.store.get("0123ABCDEF"))?.request.history ?? [];
    const replies = history.filter((e) => e.action === "correspondence-received");
    expect(replies).toHaveLength(1);
    expect(replies[0]?.actor).toEqual({ kind: "requester" });
    expect(replies[0]?.details).toMatchObject({ fromRequester: true });
    expect(replies[0]?.note?.length).toBeGreaterThan(0);
  });

  it("finds the request from In-Reply-To when the subject's reference is not ours", async () => {
    // Arrange: we sent mail 0108019a5b2c3d4e-aaaa-bbbb about another request.
    const deps = testDeps();
    const request = aRequest({}, { id: "7K3M9QX2AB" });
    await deps.store.create(request, "a".repeat(64));
    await deps.store.recordOutboundMessage("0108019a5b2c3d4e-aaaa-bbbb", request.id, RECEIVED_AT);

    // Act
    const result = await deliver(deps, fixture("reply.eml"));

    // Assert
    expect(result).toMatchObject({ outcome: "threaded", requestId: "7K3M9QX2AB" });
    const history = (await deps.store.get("7K3M9QX2AB"))?.request.history ?? [];
    const reply = history.find((e) => e.action === "correspondence-received");
    expect(reply?.details).toMatchObject({ fromRequester: false });
  });
});

describe("messages that are not acted on", () => {
  it.each([
    ["spam", { ...ALL_PASS, spamVerdict: { status: "FAIL" } }, "spam"],
    ["a failed DKIM signature", { ...ALL_PASS, dkimVerdict: { status: "FAIL" } }, "dkim-fail"],
    ["a failed SPF check", { ...ALL_PASS, spfVerdict: { status: "FAIL" } }, "spf-fail"],
  ] as const)("quarantines %s for an officer, opening nothing", async (_, receipt, reason) => {
    // Arrange
    const deps = testDeps();

    // Act
    const result = await deliver(deps, fixture("plain.eml"), {
      receipt,
      sesMessageId: "ses-q",
    });

    // Assert
    expect(result).toEqual({ outcome: "quarantined", reason });
    expect(deps.store.items.size).toBe(0);
    expect(deps.store.inboundRecords.get("ses-q")).toMatchObject({
      outcome: "quarantined",
      reason,
      objectKey: "inbound/ses-q",
    });
    const [notice] = deps.mailer.to(OFFICERS, "officer-quarantined");
    expect(notice?.text).toContain("inbound/ses-q");
    expect(deps.mailer.to("aroha.ngata@example.co.nz")).toEqual([]);
    expect(await deps.documents.getObject("inbound/ses-q")).toBeDefined();
  });

  it("drops a message with a virus without telling anyone or opening it", async () => {
    // Arrange
    const deps = testDeps();

    // Act
    const result = await deliver(deps, fixture("plain.eml"), {
      receipt: { ...ALL_PASS, virusVerdict: { status: "FAIL" } },
      sesMessageId: "ses-virus",
    });

    // Assert
    expect(result).toEqual({ outcome: "dropped", reason: "virus" });
    expect(deps.mailer.sent).toEqual([]);
    expect(deps.store.inboundRecords.get("ses-virus")).toMatchObject({ outcome: "dropped" });
  });

  it("quarantines garbage bytes and bulk mail instead of opening requests", async () => {
    // Arrange
    const deps = testDeps();

    // Act
    const garbage = await deliver(deps, fixture("garbage.bin"));
    const newsletter = await deliver(deps, fixture("mailing-list.eml"));

    // Assert
    expect(garbage).toEqual({ outcome: "quarantined", reason: "malformed" });
    expect(newsletter).toEqual({ outcome: "quarantined", reason: "bulk-mail" });
    expect(deps.store.items.size).toBe(0);
  });

  it("fails, so SES retries, when the raw message is not in S3 yet", async () => {
    // Arrange
    const deps = testDeps();

    // Act
    const intake = receiveEmail(deps, {
      sesMessageId: "ses-missing",
      objectKey: "inbound/ses-missing",
      receivedAt: RECEIVED_AT,
      receipt: ALL_PASS,
    });

    // Assert
    await expect(intake).rejects.toBeInstanceOf(InboundMessageMissingError);
  });
});

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseMime } from "../../functions/adapters/mime-parser.js";
import { classifyRequest, referenceIn } from "../../functions/domain/inbound-email.js";

const fixture = (name: string) =>
  new Uint8Array(readFileSync(new URL(`../fixtures/mime/${name}`, import.meta.url)));

const MiB = 1024 * 1024;

describe("parsing an inbound email", () => {
  it("reads the sender, subject, date, message id and text of a plain access request", async () => {
    const raw = fixture("plain.eml");

    const email = await parseMime(raw);

    expect(email.from).toEqual({ name: "Aroha Ngata", address: "aroha.ngata@example.co.nz" });
    expect(email.subject).toBe("Request for a copy of my personal information");
    expect(email.date).toBe("2025-11-04T20:15:00.000Z");
    expect(email.messageId).toBe("<CAF1a2b3c4d5e6f7@mail.example.co.nz>");
    expect(email.text).toContain("I would like\na copy of my data");
    expect(email.references).toEqual([]);
    expect(email.attachments).toEqual([]);
    expect(email.problems).toEqual([]);
    expect(email.sizeBytes).toBe(raw.byteLength);
  });

  it("converts an HTML-only message to text without tags or entities and says so", async () => {
    const raw = fixture("html-only.eml");

    const email = await parseMime(raw);

    expect(email.from).toEqual({ name: "Liam O'Connor", address: "liam.oconnor@example.ie" });
    expect(email.text).toContain("Please erase all the personal data");
    expect(email.text).toContain("about me & confirm");
    expect(email.text).not.toMatch(/<[a-z/]/i);
    expect(email.text).not.toContain("margin");
    expect(email.problems).toEqual(["html-only"]);
  });

  it("keeps the text and the attachment's name, type, size and bytes of a multipart message", async () => {
    const raw = fixture("multipart-attachment.eml");

    const email = await parseMime(raw);

    expect(email.text).toContain("Please update my details");
    expect(email.attachments).toHaveLength(1);
    const [attachment] = email.attachments;
    expect(attachment).toMatchObject({
      filename: "proof-of-address.pdf",
      contentType: "application/pdf",
      size: 224,
    });
    expect(Buffer.from(attachment?.content ?? []).toString("latin1")).toMatch(/^%PDF-1\.4/);
    expect(email.problems).toEqual([]);
  });

  it("decodes a Latin-1 body and Latin-1 encoded words in the headers", async () => {
    const raw = fixture("iso-8859-1.eml");

    const email = await parseMime(raw);

    expect(email.from).toEqual({ name: "Renée Müller", address: "renee.mueller@example.de" });
    expect(email.subject).toBe("Auskunft über meine Daten");
    expect(email.text).toContain("ich möchte eine Kopie meiner Daten");
    expect(email.text).toContain("Mit freundlichen Grüßen");
    expect(email.text).not.toContain("\uFFFD");
    expect(email.problems).toEqual([]);
  });

  it("decodes a quoted-printable UTF-8 body, joining soft line breaks", async () => {
    const raw = fixture("quoted-printable.eml");

    const email = await parseMime(raw);

    expect(email.from?.name).toBe("José García");
    expect(email.subject).toBe("Corrección – my name is spelled wrong");
    expect(email.text).toContain('your letters say "Jose Garcia"');
    expect(email.text).toContain("Café de la Peña, Sevilla");
    expect(email.problems).toEqual([]);
  });

  it("keeps the threading headers of a reply to one of our messages", async () => {
    const raw = fixture("reply.eml");

    const email = await parseMime(raw);

    expect(email.subject).toBe("Re: [PD-0123A-BCDEF] Your verification code");
    expect(email.inReplyTo).toBe("<0108019a5b2c3d4e-aaaa-bbbb@ap-southeast-2.amazonses.com>");
    expect(email.references).toEqual([
      "<0108019a5b2c3d4e-1111-2222@ap-southeast-2.amazonses.com>",
      "<0108019a5b2c3d4e-aaaa-bbbb@ap-southeast-2.amazonses.com>",
    ]);
    expect(email.problems).toEqual([]);
  });

  it("keeps a forwarded message as a message/rfc822 attachment beside the forwarder's text", async () => {
    const raw = fixture("forwarded.eml");

    const email = await parseMime(raw);

    expect(email.subject).toBe("Fwd: Your weekly deals are here");
    expect(email.from?.address).toBe("sam.taylor@example.com");
    expect(email.text).toContain("Stop sending me marketing email.");
    expect(email.text).not.toContain("50% off");
    expect(
      email.attachments.map(({ filename, contentType }) => ({ filename, contentType })),
    ).toEqual([{ filename: "Your weekly deals are here.eml", contentType: "message/rfc822" }]);
    expect(Buffer.from(email.attachments[0]?.content ?? []).toString()).toContain(
      "From: Deals <deals@shop.example>",
    );
  });

  it("reads the one-line request a mail client sends for an unsubscribe link", async () => {
    const raw = fixture("unsubscribe.eml");

    const email = await parseMime(raw);

    expect(email.from?.address).toBe("mele.tupou@example.net");
    expect(email.subject).toBe("unsubscribe");
    expect(email.text.trim()).toBe("Please remove me from your mailing list.");
    expect(email.listUnsubscribe).toBeUndefined();
    expect(email.problems).toEqual([]);
  });

  it("exposes List-Unsubscribe and Reply-To of bulk mail, the header unfolded", async () => {
    const raw = fixture("mailing-list.eml");

    const email = await parseMime(raw);

    expect(email.listUnsubscribe).toBe(
      "<mailto:unsubscribe@shop.example?subject=unsubscribe>, <https://shop.example/unsubscribe/abc123>",
    );
    expect(email.replyTo).toBe("care@shop.example");
  });

  it("flags an unknown charset and still returns the text, decoded as UTF-8", async () => {
    const raw = fixture("unknown-charset.eml");

    const email = await parseMime(raw);

    expect(email.problems).toEqual(["unknown-charset"]);
    expect(email.text).toContain("Please send me a copy of my data.");
    expect(email.from?.address).toBe("kim.lee@example.org");
  });

  it("flags a message with headers and no body as empty", async () => {
    const raw = fixture("empty.eml");

    const email = await parseMime(raw);

    expect(email.problems).toEqual(["empty-body"]);
    expect(email.text).toBe("");
    expect(email.subject).toBe("Privacy request");
    expect(email.from?.address).toBe("jordan.smith@example.com");
  });

  it("calls random bytes malformed instead of throwing", async () => {
    const raw = fixture("garbage.bin");

    const email = await parseMime(raw);

    expect(email.problems).toEqual(["malformed", "no-from-address", "empty-body"]);
    expect(email.from).toBeUndefined();
    expect(email.subject).toBe("");
    expect(email.sizeBytes).toBe(512);
  });

  it("stops at the header block of a message over the size limit", async () => {
    const head = Buffer.from(
      "From: Big Sender <big.sender@example.com>\r\nSubject: All my photos\r\n" +
        "Message-ID: <big-1@example.com>\r\nContent-Type: text/plain\r\n\r\n",
    );
    const raw = new Uint8Array(Buffer.concat([head, Buffer.alloc(10 * MiB, "a")]));

    const email = await parseMime(raw);

    expect(email.problems).toEqual(["oversized"]);
    expect(email.from).toEqual({ name: "Big Sender", address: "big.sender@example.com" });
    expect(email.subject).toBe("All my photos");
    expect(email.messageId).toBe("<big-1@example.com>");
    expect(email.text).toBe("");
    expect(email.attachments).toEqual([]);
    expect(email.sizeBytes).toBe(raw.byteLength);
  });

  it("returns nothing but the problems for an oversized message with no header block", async () => {
    const raw = new Uint8Array(2048).fill(0x41);

    const email = await parseMime(raw, { maxBytes: 1024 });

    expect(email.problems).toEqual(["oversized", "no-from-address"]);
    expect(email.subject).toBe("");
  });

  it("parses a message of exactly the size limit in full", async () => {
    const raw = fixture("plain.eml");

    const email = await parseMime(raw, { maxBytes: raw.byteLength });

    expect(email.problems).toEqual([]);
    expect(email.text).toContain("a copy of my data");
  });

  it("flags a From header that has no address", async () => {
    const raw = new Uint8Array(
      Buffer.from(
        "From: undisclosed-recipients:;\r\nSubject: Hello\r\n\r\nPlease delete my data.\r\n",
      ),
    );

    const email = await parseMime(raw);

    expect(email.problems).toEqual(["no-from-address"]);
    expect(email.from).toBeUndefined();
  });

  it("flags a UTF-7 body, which is never decoded from UTF-7", async () => {
    const raw = new Uint8Array(
      Buffer.from(
        "From: a@example.com\r\nSubject: Hi\r\nContent-Type: text/plain; charset=utf-7\r\n\r\n+ADw-b+AD4-\r\n",
      ),
    );

    const email = await parseMime(raw);

    expect(email.problems).toEqual(["unknown-charset"]);
  });

  it("does not flag IBM code pages, which mailparser decodes", async () => {
    const raw = new Uint8Array(
      Buffer.concat([
        Buffer.from(
          "From: a@example.com\r\nSubject: Hi\r\nContent-Type: text/plain; charset=cp850\r\n\r\n",
        ),
        Buffer.from([0x82, 0x0d, 0x0a]),
      ]),
    );

    const email = await parseMime(raw);

    expect(email.problems).toEqual([]);
    expect(email.text.trim()).toBe("é");
  });

  it("flags an encoded word in an unknown charset in the subject", async () => {
    const raw = new Uint8Array(
      Buffer.from("From: a@example.com\r\nSubject: =?x-made-up?Q?Caf=E9?=\r\n\r\nHello\r\n"),
    );

    const email = await parseMime(raw);

    expect(email.problems).toEqual(["unknown-charset"]);
  });

  it("does not call a multipart/alternative message HTML-only", async () => {
    const raw = new Uint8Array(
      Buffer.from(
        [
          "From: a@example.com",
          "Subject: Hi",
          'Content-Type: multipart/alternative; boundary="b"',
          "",
          "--b",
          "Content-Type: text/plain; charset=utf-8",
          "",
          "Plain words",
          "--b",
          "Content-Type: text/html; charset=utf-8",
          "",
          "<p>Plain <b>words</b></p>",
          "--b--",
          "",
        ].join("\r\n"),
      ),
    );

    const email = await parseMime(raw);

    expect(email.problems).toEqual([]);
    expect(email.text.trim()).toBe("Plain words");
  });

  it.each([
    ["no bytes", new Uint8Array(0)],
    ["a header block over mailparser's 1 MB limit", new Uint8Array(2 * MiB).fill(0x61)],
    [
      "a slice of a larger buffer",
      new Uint8Array(Buffer.from("xxFrom: a@example.com\r\n\r\nhi")).subarray(2),
    ],
    ["NUL bytes", new Uint8Array(64)],
    [
      "an unterminated multipart",
      new Uint8Array(
        Buffer.from(
          'Content-Type: multipart/mixed; boundary="z"\r\n\r\n--z\r\nContent-Type: text/html\r\n\r\n<p>',
        ),
      ),
    ],
  ])("never throws, for %s", async (_name, raw) => {
    const email = await parseMime(raw);

    expect(Array.isArray(email.problems)).toBe(true);
    expect(email.sizeBytes).toBe(raw.byteLength);
  });

  it("calls a header block over mailparser's limit malformed", async () => {
    const raw = new Uint8Array(2 * MiB).fill(0x61);

    const email = await parseMime(raw);

    expect(email.problems).toEqual(["malformed"]);
  });

  it("reads a message given as a slice of a larger buffer from the slice only", async () => {
    const raw = new Uint8Array(
      Buffer.from("xxFrom: a@example.com\r\nSubject: Hi\r\n\r\nhi\r\n"),
    ).subarray(2);

    const email = await parseMime(raw);

    expect(email.from?.address).toBe("a@example.com");
    expect(email.problems).toEqual([]);
  });
});

describe("the fixture emails, parsed then read by the intake rules", () => {
  it.each([
    ["plain.eml", "access", undefined],
    ["html-only.eml", "deletion", undefined],
    ["multipart-attachment.eml", "correction", undefined],
    ["iso-8859-1.eml", "access", undefined],
    ["quoted-printable.eml", "correction", undefined],
    ["forwarded.eml", "marketing-opt-out", undefined],
    ["unsubscribe.eml", "marketing-opt-out", undefined],
    ["reply.eml", "unclassified", "0123ABCDEF"],
    ["empty.eml", "unclassified", undefined],
  ])("reads %s as %s, request %s", async (name, type, requestId) => {
    const email = await parseMime(fixture(name));

    const classified = classifyRequest(email.subject, email.text);
    const reference = referenceIn(email.subject);

    expect(classified).toBe(type);
    expect(reference).toBe(requestId);
  });
});

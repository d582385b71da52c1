/**
 * Email intake's MIME parser: the raw bytes SES stored for an inbound message in, the fields intake
 * needs out (sender, subject, plain text, threading ids, attachments). Built on mailparser's
 * `simpleParser`. It never throws: whatever is wrong with a message is named in `problems`, and the
 * caller decides whether to open a request, ask a person, or drop it. It logs nothing.
 *
 * Problems, each an independent fact about the message:
 * - `oversized`: more than `maxBytes`. Only the header block is parsed (when it ends within the
 *   first 64 KiB), so the sender and subject are still known; text and attachments are left empty.
 * - `malformed`: not an email at all. mailparser accepts any bytes (random bytes become one odd
 *   header), so the rule is: none of From, To, Subject, Date or Message-ID is present, or mailparser
 *   gave up (a header block over 1 MB, too many parts).
 * - `no-from-address`: no From header, or one without an address.
 * - `empty-body`: no text once the message is decoded (attachments may still be there).
 * - `html-only`: no text/plain part, so `text` is the HTML converted to text (tags stripped).
 * - `unknown-charset`: a text part or an encoded header word declares a charset that cannot be
 *   decoded. mailparser does not report it: libmime decodes such bytes as UTF-8 with U+FFFD for
 *   invalid bytes (and so it treats UTF-7, which it refuses). The declared charsets are therefore
 *   read from the raw Content-Type lines and checked with `TextDecoder` (the WHATWG labels), plus the
 *   IBM/DOS code pages (cp437, cp850...) that iconv-lite decodes and WHATWG does not name.
 */
import { type AddressObject, type ParsedMail, simpleParser } from "mailparser";

export type MimeProblem =
  | "oversized"
  | "malformed"
  | "no-from-address"
  | "empty-body"
  | "html-only"
  | "unknown-charset";

export interface EmailAttachment {
  filename: string;
  contentType: string;
  size: number;
  content: Uint8Array;
}

export interface ParsedEmail {
  /** Angle brackets included, as in the header: `<id@host>`. */
  messageId?: string;
  inReplyTo?: string;
  references: string[];
  from?: { name?: string; address: string };
  replyTo?: string;
  subject: string;
  /** Plain text; for an HTML-only message, the HTML converted to text. */
  text: string;
  /** ISO instant of the Date header, when it is a valid date. */
  date?: string;
  attachments: EmailAttachment[];
  /** The raw List-Unsubscribe header value: a sign of bulk mail rather than a person writing. */
  listUnsubscribe?: string;
  /** In the order of `MimeProblem` above; empty for a well-formed message. */
  problems: MimeProblem[];
  sizeBytes: number;
}

export interface ParseMimeOptions {
  /** Larger messages are not parsed beyond their header block. Default 10 MiB. */
  maxBytes?: number;
}

export const DEFAULT_MAX_BYTES = 10 * 1024 * 1024;
/** How far into an oversized message the end of the header block is looked for. */
const OVERSIZED_HEAD_LIMIT = 64 * 1024;
const IDENTIFYING_HEADERS = ["from", "to", "subject", "date", "message-id"];

export async function parseMime(
  raw: Uint8Array,
  options: ParseMimeOptions = {},
): Promise<ParsedEmail> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const sizeBytes = raw.byteLength;
  try {
    const bytes = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
    if (sizeBytes > maxBytes) {
      const head = headerBlock(bytes);
      const mail = head ? await parse(head, maxBytes) : undefined;
      const email = fromMail(mail, sizeBytes);
      return {
        ...email,
        problems: ["oversized", ...(email.from ? [] : ["no-from-address" as const])],
      };
    }
    const mail = await parse(bytes, maxBytes);
    if (!mail) return { ...fromMail(undefined, sizeBytes), problems: ["malformed"] };
    const email = fromMail(mail, sizeBytes);
    const declared = declaredTextParts(bytes.toString("latin1"));
    const problems: MimeProblem[] = [];
    if (!IDENTIFYING_HEADERS.some((key) => mail.headers?.has(key))) problems.push("malformed");
    if (!email.from) problems.push("no-from-address");
    if (email.text.trim() === "") problems.push("empty-body");
    if (typeof mail.html === "string" && mail.html.trim() !== "" && !declared.hasPlainText) {
      problems.push("html-only");
    }
    if (declared.charsets.some((charset) => !isKnownCharset(charset))) {
      problems.push("unknown-charset");
    }
    return { ...email, problems };
  } catch {
    // Not expected (parse() already catches mailparser's errors), but the contract is no throw.
    return { ...fromMail(undefined, sizeBytes), problems: ["malformed"] };
  }
}

/** mailparser's result, or undefined when it rejected the message. */
async function parse(bytes: Buffer, maxBytes: number): Promise<ParsedMail | undefined> {
  try {
    return await simpleParser(bytes, {
      skipTextToHtml: true,
      skipImageLinks: true,
      keepCidLinks: true,
      checksumAlgo: false,
      maxHtmlLengthToParse: maxBytes,
    });
  } catch {
    return undefined;
  }
}

function fromMail(mail: ParsedMail | undefined, sizeBytes: number): Omit<ParsedEmail, "problems"> {
  const from = firstAddress(mail?.from);
  const replyTo = firstAddress(mail?.replyTo)?.address;
  const date = mail?.date;
  const references = mail?.references;
  const listUnsubscribe = mail?.headerLines
    ?.find((line) => line.key === "list-unsubscribe")
    ?.line.replace(/^[^:]*:/, "")
    .replace(/\r?\n[ \t]+/g, " ")
    .trim();
  return {
    ...(mail?.messageId ? { messageId: mail.messageId } : {}),
    ...(mail?.inReplyTo ? { inReplyTo: mail.inReplyTo } : {}),
    references: references === undefined ? [] : [references].flat(),
    ...(from ? { from } : {}),
    ...(replyTo ? { replyTo } : {}),
    subject: mail?.subject ?? "",
    text: mail?.text ?? "",
    ...(date && !Number.isNaN(date.getTime()) ? { date: date.toISOString() } : {}),
    attachments: (mail?.attachments ?? []).map((attachment) => ({
      filename: attachment.filename ?? "attachment",
      contentType: attachment.contentType,
      size: attachment.content.byteLength,
      content: attachment.content,
    })),
    ...(listUnsubscribe ? { listUnsubscribe } : {}),
    sizeBytes,
  };
}

/** The first mailbox of an address header, looking inside groups. */
function firstAddress(
  header: AddressObject | undefined,
): { name?: string; address: string } | undefined {
  const mailboxes = (header?.value ?? []).flatMap((entry) => [entry, ...(entry.group ?? [])]);
  const mailbox = mailboxes.find((entry) => entry.address?.includes("@"));
  if (!mailbox?.address) return undefined;
  const name = mailbox.name.trim();
  return name ? { name, address: mailbox.address } : { address: mailbox.address };
}

/** The header block of a message whose end is within the first bytes, with its blank line. */
function headerBlock(bytes: Buffer): Buffer | undefined {
  const start = bytes.subarray(0, OVERSIZED_HEAD_LIMIT);
  const ends = [start.indexOf("\r\n\r\n"), start.indexOf("\n\n")].filter((at) => at >= 0);
  if (ends.length === 0) return undefined;
  const end = Math.min(...ends);
  return Buffer.concat([start.subarray(0, end), Buffer.from("\r\n\r\n")]);
}

const CONTENT_TYPE_LINE = /^content-type:[ \t]*([^\r\n]*(?:\r?\n[ \t][^\r\n]*)*)/gim;
const CHARSET_PARAM = /;\s*charset\s*=\s*(?:"([^"]*)"|([^\s;"]+))/i;
const ENCODED_WORD = /=\?([^?*\s]+)(?:\*[^?\s]*)?\?[bq]\?/gi;

/**
 * The charsets declared for text parts (every Content-Type line of the message, so an attached
 * message counts too) and in encoded words of the top-level header, and whether there is a
 * text/plain part (a message without Content-Type is text/plain).
 */
function declaredTextParts(message: string): { charsets: string[]; hasPlainText: boolean } {
  const headEnd = message.search(/\r?\n\r?\n/);
  const head = headEnd < 0 ? message : message.slice(0, headEnd);
  const charsets = [...head.matchAll(ENCODED_WORD)].map((match) => match[1] ?? "");
  let hasPlainText = !/^content-type:/im.test(head);
  for (const match of message.matchAll(CONTENT_TYPE_LINE)) {
    const value = (match[1] ?? "").trim().toLowerCase();
    if (!value.startsWith("text/")) continue;
    if (value.startsWith("text/plain")) hasPlainText = true;
    const charset = CHARSET_PARAM.exec(value);
    const name = charset?.[1] ?? charset?.[2];
    if (name) charsets.push(name);
  }
  return { charsets, hasPlainText };
}

function isKnownCharset(label: string): boolean {
  const name = label.trim().toLowerCase();
  if (/^(?:cp|ibm)-?\d{3,5}$/.test(name)) return true;
  for (const candidate of [name, name.replaceAll("_", "-")]) {
    try {
      return new TextDecoder(candidate).encoding !== "";
    } catch {
      // not a WHATWG label: try the next spelling
    }
  }
  return false;
}

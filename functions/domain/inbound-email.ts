/**
 * Rules for email intake, pure: which request a reply belongs to (the reference in its subject),
 * what a new email asks for (English keyword rules), and what to do with a message given the
 * verdicts SES attached to it (spam, virus, SPF, DKIM, DMARC).
 */
import { idFromReference, type RequestType } from "./model.js";

const REFERENCE = /(?<![0-9a-z])PD-[0-9a-z]{5}-[0-9a-z]{5}(?![0-9a-z])/gi;

/**
 * The request id of the first valid `PD-XXXXX-XXXXX` reference in a subject, wherever it is
 * (`Re: [PD-0123A-BCDEF] ...`, `Fwd: ...`), in any case. Candidates with letters outside the
 * reference alphabet (I, L, O, U) are skipped.
 */
export function referenceIn(subject: string): string | undefined {
  for (const match of subject.matchAll(REFERENCE)) {
    const id = idFromReference(match[0]);
    if (id) return id;
  }
  return undefined;
}

interface Phrase {
  type: RequestType;
  pattern: RegExp;
}

/**
 * The phrases, most specific first. Text is lowercased with whitespace collapsed before matching.
 * A match consumes its words, so "remove me from your mailing list" counts as an opt-out and its
 * "remove" is not seen again by the deletion phrases, and the "not" of "not happy" does not negate
 * what follows it. "correct" counts only as a verb ("correct my", "correct the"), not in "the
 * correct address".
 */
const PHRASES: readonly Phrase[] = [
  { type: "complaint", pattern: /\b(?:not happy|unhappy)\b/g },
  {
    type: "marketing-opt-out",
    pattern:
      /\b(?:remove|delete|take) (?:me|my (?:e-?mail(?: address)?|address|details|name)) (?:from|off) (?:your|the|all (?:of )?your) (?:[a-z-]+ )?(?:list|lists|newsletter)\b/g,
  },
  { type: "marketing-opt-out", pattern: /\bunsubscrib(?:e|ed|ing)\b/g },
  {
    type: "marketing-opt-out",
    pattern: /\bstop (?:sending|emailing|e-mailing|texting|calling)\b/g,
  },
  { type: "marketing-opt-out", pattern: /\bopt(?:ed|ing)?[- ]?out\b/g },
  {
    type: "marketing-opt-out",
    pattern: /\bno more (?:marketing|promotions?|promotional|newsletters?|emails|offers)\b/g,
  },
  { type: "marketing-opt-out", pattern: /\bdo not (?:contact|email|e-mail|market to) me\b/g },
  { type: "access", pattern: /\b(?:data )?subject access\b/g },
  { type: "access", pattern: /\baccess request\b/g },
  { type: "access", pattern: /\bd?sar\b/g },
  {
    type: "access",
    pattern:
      /\bcop(?:y|ies) of (?:my|all my|the) (?:personal )?(?:data|information|info|records?|file|details)\b/g,
  },
  {
    type: "access",
    pattern:
      /\bwhat (?:personal )?(?:information|data|details) (?:do )?(?:you|your company) (?:hold|have|keep|store)\b/g,
  },
  {
    type: "access",
    pattern: /\baccess (?:to )?(?:my|all my) (?:personal )?(?:data|information|records?)\b/g,
  },
  { type: "access", pattern: /\bsend me (?:a copy|copies)\b/g },
  { type: "deletion", pattern: /\bright to (?:be forgotten|erasure)\b/g },
  {
    type: "deletion",
    pattern: /\bremove (?:all )?(?:of )?my (?:personal )?(?:data|information|details|records?)\b/g,
  },
  { type: "deletion", pattern: /\b(?:delete|deleted|deleting|deletion)\b/g },
  { type: "deletion", pattern: /\b(?:erase|erased|erasing|erasure)\b/g },
  { type: "deletion", pattern: /\bforget me\b/g },
  {
    type: "correction",
    pattern:
      /\b(?:update|change|amend|fix) my (?:details|address|name|email|e-mail|phone|phone number|date of birth|record)\b/g,
  },
  {
    type: "correction",
    pattern: /\bcorrect (?:my|the|it|this|that|these|them|your|our|his|her)\b/g,
  },
  { type: "correction", pattern: /\b(?:corrected|correction|rectify|rectification)\b/g },
  {
    type: "correction",
    pattern: /\bmy (?:address|name|surname|email|e-mail|phone number) (?:has|have) changed\b/g,
  },
  { type: "correction", pattern: /\b(?:incorrect|inaccurate|wrong|out of date|misspelt)\b/g },
  {
    type: "correction",
    pattern: /\b(?:misspelled|spelt|spelled) (?:wrong|wrongly|incorrectly)\b/g,
  },
  { type: "complaint", pattern: /\bcomplain(?:t|ts|ed|ing)?\b/g },
  { type: "complaint", pattern: /\bbreach(?:ed|es)?\b/g },
];

/** A phrase preceded by a negation in the same sentence ("do not want you to delete") is ignored. */
const NEGATED = /(?:\bnot|n't|\bnever|\bno need to|\bwithout)(?: [a-z']+){0,3} ?$/;
const SUBJECT_WEIGHT = 3;
const BODY_WEIGHT = 1;

/**
 * What a new email asks for, from English keyword rules.
 * - Each distinct phrase scores once per field where it appears: 3 in the subject, 1 in the body
 *   (so three different opt-out phrases in the body outweigh one "delete").
 * - Quoted lines of the body (starting with ">") are ignored: they are what someone else wrote.
 * - A phrase after a negation in its clause (up to three words after "not", "n't", "never",
 *   "no need to" or "without", with no punctuation between) scores nothing, so "I do not want you
 *   to delete anything, just send me a copy" is an access request.
 * - The type with the highest score wins; no score, or a tie at the top, is "unclassified" and an
 *   officer decides. "Unsubscribe" in the subject, or opt-out wording as the main ask, therefore
 *   wins over a passing "delete" in the body.
 */
export function classifyRequest(subject: string, body: string): RequestType | "unclassified" {
  const scores = new Map<RequestType, number>();
  const add = (counts: Map<RequestType, number>, weight: number) => {
    for (const [type, count] of counts) scores.set(type, (scores.get(type) ?? 0) + count * weight);
  };
  add(phrasesIn(subject), SUBJECT_WEIGHT);
  add(phrasesIn(withoutQuotedLines(body)), BODY_WEIGHT);
  const ranked = [...scores].sort(([, a], [, b]) => b - a);
  const [first, second] = ranked;
  if (!first || (second && second[1] === first[1])) return "unclassified";
  return first[0];
}

/** How many distinct phrases of each type a text has, a phrase after a negation left out. */
function phrasesIn(text: string): Map<RequestType, number> {
  let rest = text
    .toLowerCase()
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/\s+/g, " ");
  const counts = new Map<RequestType, number>();
  for (const { type, pattern } of PHRASES) {
    const asked = [...rest.matchAll(pattern)].some((match) => {
      const clause =
        rest
          .slice(0, match.index)
          .split(/[.!?;:,]/)
          .pop() ?? "";
      return !NEGATED.test(clause.replace(/ +/g, " "));
    });
    if (asked) counts.set(type, (counts.get(type) ?? 0) + 1);
    rest = rest.replace(pattern, (words) => " ".repeat(words.length));
  }
  return counts;
}

function withoutQuotedLines(body: string): string {
  return body
    .split(/\r?\n/)
    .filter((line) => !line.trimStart().startsWith(">"))
    .join("\n");
}

/** A verdict status as SES reports it. */
export type SesVerdictStatus = "PASS" | "FAIL" | "GRAY" | "PROCESSING_FAILED" | "DISABLED";

/**
 * The verdicts of an SES inbound receipt (`Records[0].ses.receipt` of the Lambda event). The full
 * `SESReceipt` of @types/aws-lambda is assignable to it; absent verdicts are allowed.
 */
export interface SesReceipt {
  spamVerdict?: { status: SesVerdictStatus };
  virusVerdict?: { status: SesVerdictStatus };
  spfVerdict?: { status: SesVerdictStatus };
  dkimVerdict?: { status: SesVerdictStatus };
  dmarcVerdict?: { status: SesVerdictStatus };
}

export type QuarantineReason = "spam" | "spf-fail" | "dkim-fail" | "dmarc-fail";

export type VerdictDecision =
  | { action: "drop"; reason: "virus" }
  | { action: "quarantine"; reason: QuarantineReason }
  | { action: "process"; senderAuthenticated: boolean };

/**
 * What to do with an inbound message given the SES verdicts. Only FAIL acts:
 * - virus FAIL → drop (never stored for a person to open);
 * - spam FAIL → quarantine "spam";
 * - DMARC, DKIM or SPF FAIL → quarantine with that reason, DMARC first, then DKIM, then SPF, when
 *   several failed (DMARC is the verdict about the sender's domain as a whole);
 * - otherwise process. GRAY (no verdict: no SPF record, no DKIM signature, no DMARC policy),
 *   PROCESSING_FAILED, DISABLED and a missing verdict are not failures, but not passes either:
 *   the sender is authenticated only with DMARC PASS and (DKIM PASS or SPF PASS).
 */
export function sesVerdictDecision(receipt: SesReceipt): VerdictDecision {
  const failed = (verdict: { status: SesVerdictStatus } | undefined) => verdict?.status === "FAIL";
  const passed = (verdict: { status: SesVerdictStatus } | undefined) => verdict?.status === "PASS";
  if (failed(receipt.virusVerdict)) return { action: "drop", reason: "virus" };
  if (failed(receipt.spamVerdict)) return { action: "quarantine", reason: "spam" };
  if (failed(receipt.dmarcVerdict)) return { action: "quarantine", reason: "dmarc-fail" };
  if (failed(receipt.dkimVerdict)) return { action: "quarantine", reason: "dkim-fail" };
  if (failed(receipt.spfVerdict)) return { action: "quarantine", reason: "spf-fail" };
  return {
    action: "process",
    senderAuthenticated:
      passed(receipt.dmarcVerdict) && (passed(receipt.dkimVerdict) || passed(receipt.spfVerdict)),
  };
}

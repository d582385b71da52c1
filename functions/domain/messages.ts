/**
 * Every email the system sends, rendered from a template: plain data in, subject + text + HTML
 * out. Subjects carry the reference in brackets, which is how replies are threaded back.
 */
import type { CalendarDate, Jurisdiction, Outcome } from "./model.js";

/** Where a requester can complain, by jurisdiction (the closing message and fee notices say so). */
export const REGULATORS: Record<Jurisdiction, string> = {
  NZ: "the Office of the Privacy Commissioner (privacy.org.nz, 0800 803 909)",
  AU: "the Office of the Australian Information Commissioner (oaic.gov.au, 1300 363 992)",
  EU: "the data protection supervisory authority of your member state (in Ireland, the Data Protection Commission, dataprotection.ie)",
};

interface Base {
  reference: string;
  jurisdiction: Jurisdiction;
}

interface OfficerVars extends Base {
  id: string;
  type: string;
  due: { sla: CalendarDate; statutory: CalendarDate };
}

const days = (n: number) => (n === 1 ? "1 working day" : `${n} working days`);

export type MessageVars = {
  acknowledgement: Base & {
    due: { sla: CalendarDate; statutory: CalendarDate };
    statusUrl: string;
    /** Email requests only: the web form returns it; by email, this is the only way to get it. */
    statusToken?: string;
  };
  "verification-code": Base & { code: string; expiresAt: string };
  "fee-notice": Base & { amount: number; currency: string; reason: string };
  "extension-notice": Base & { until: CalendarDate; reason: string };
  "response-ready": Base & { links: { name: string; url: string }[]; expiresInHours: number };
  closure: Base & { outcome: Outcome; reason?: string };
  "officer-new-request": OfficerVars;
  "verification-reminder": Base & { code: string; expiresAt: string; statusUrl: string };
  "deadline-reminder": OfficerVars & { workingDaysLeft: number };
  "overdue-notice": OfficerVars & { workingDaysOverdue: number };
  "statutory-escalation": OfficerVars & { workingDaysLeft: number; passed: boolean };
  /** Not about a request (none was opened): `reference` names the inbound message. */
  "officer-quarantined": Base & { sesMessageId: string; objectKey: string; reason: string };
};
export type MessageTemplate = keyof MessageVars;

export interface RenderedMessage {
  subject: string;
  text: string;
  html: string;
}

const OUTCOME_TEXT: Record<Outcome, string> = {
  completed: "We have completed your request.",
  refused: "We have refused your request.",
  withdrawn: "Your request has been withdrawn, as you asked.",
  unverified: "We could not verify your identity, so we have closed your request.",
  "fee-declined": "You declined the fee, so we have closed your request.",
};

const complain = (j: Jurisdiction) =>
  `If you are not satisfied, you may complain to us, and to ${REGULATORS[j]}.`;

const bodies: {
  [T in MessageTemplate]: (v: MessageVars[T]) => [subject: string, lines: string[]];
} = {
  acknowledgement: (v) => [
    "We have received your privacy request",
    [
      `Your reference is ${v.reference}.`,
      `We will respond by ${v.due.sla} (our promise) and in any case by ${v.due.statutory}, the legal limit.`,
      "First we need to verify your identity: we will send you a code.",
      `Follow your request at ${v.statusUrl}.`,
      ...(v.statusToken
        ? [
            `Your status token is ${v.statusToken}. Keep it private: it lets you follow this request and enter your code at that address.`,
          ]
        : []),
      "You can also reply to this email: keep the reference in the subject.",
    ],
  ],
  "verification-code": (v) => [
    "Your verification code",
    [
      `Your code is ${v.code}. It expires at ${v.expiresAt}.`,
      "If you did not ask us for anything, ignore this email.",
    ],
  ],
  "fee-notice": (v) => [
    "A fee applies to your request",
    [
      `Before we go on, a fee of ${v.amount.toFixed(2)} ${v.currency} applies: ${v.reason}.`,
      "Tell us whether you accept it; nothing is charged until you do.",
      complain(v.jurisdiction),
    ],
  ],
  "extension-notice": (v) => [
    "We need more time to respond",
    [
      `We are extending the time to respond until ${v.until}.`,
      `The reason: ${v.reason}.`,
      complain(v.jurisdiction),
    ],
  ],
  "response-ready": (v) => [
    "Our response is ready",
    [
      "Our response is available at these links:",
      ...v.links.map((l) => `- ${l.name}: ${l.url}`),
      `The links expire in ${v.expiresInHours} hours.`,
    ],
  ],
  closure: (v) => [
    "Your privacy request is closed",
    [
      OUTCOME_TEXT[v.outcome],
      ...(v.reason ? [`Reason: ${v.reason}`] : []),
      complain(v.jurisdiction),
    ],
  ],
  "officer-new-request": (v) => [
    "New privacy request",
    [
      `Request ${v.id} (${v.type}, ${v.jurisdiction}).`,
      `SLA ${v.due.sla}; statutory limit ${v.due.statutory}.`,
    ],
  ],
  "verification-reminder": (v) => [
    "Please verify your identity so we can act on your request",
    [
      "We cannot act on your request until we have verified your identity.",
      `Your new code is ${v.code}. It expires at ${v.expiresAt}. Any earlier code no longer works.`,
      `Enter it at ${v.statusUrl}. If we do not hear from you, we will close the request as unverified.`,
    ],
  ],
  "deadline-reminder": (v) => [
    v.workingDaysLeft === 0 ? "Response due today" : `Response due in ${days(v.workingDaysLeft)}`,
    [
      `Request ${v.id} (${v.type}, ${v.jurisdiction}) is due ${v.workingDaysLeft === 0 ? "today" : `in ${days(v.workingDaysLeft)}`}: SLA ${v.due.sla}.`,
      `The statutory limit is ${v.due.statutory}.`,
      `Open it in the officer queue: GET /officer/requests/${v.id}`,
    ],
  ],
  "overdue-notice": (v) => [
    "Response overdue",
    [
      `Request ${v.id} (${v.type}, ${v.jurisdiction}) is past its SLA date ${v.due.sla} by ${days(v.workingDaysOverdue)}.`,
      `The statutory limit is ${v.due.statutory}.`,
      "This notice repeats every day until the request is closed, paused or extended.",
    ],
  ],
  "officer-quarantined": (v) => [
    `Inbound email quarantined: ${v.reason}`,
    [
      `An email to the privacy mailbox was not processed automatically (${v.reason}).`,
      `SES message ${v.sesMessageId}; the raw message is kept at ${v.objectKey} in the documents bucket.`,
      "Read it there. If it is a genuine request, open it for the sender through the API.",
    ],
  ],
  "statutory-escalation": (v) => [
    v.passed ? "Statutory limit passed" : "Statutory limit close",
    [
      v.passed
        ? `Request ${v.id} (${v.type}, ${v.jurisdiction}) has passed its statutory limit of ${v.due.statutory}.`
        : `Request ${v.id} (${v.type}, ${v.jurisdiction}) reaches its statutory limit of ${v.due.statutory} in ${days(v.workingDaysLeft)}.`,
      v.passed
        ? "A late response is a breach of the requester's rights: respond now and record why it was late."
        : "Respond, or extend the time limit if the law allows it, before that date.",
      `SLA ${v.due.sla}. Open it in the officer queue: GET /officer/requests/${v.id}`,
    ],
  ],
};

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => `&${{ "&": "amp", "<": "lt", ">": "gt", '"': "quot", "'": "#39" }[c]};`,
  );

export function render<T extends MessageTemplate>(
  template: T,
  vars: MessageVars[T],
): RenderedMessage {
  const [subject, lines] = bodies[template](vars);
  return {
    subject: `[${vars.reference}] ${subject}`,
    text: `${lines.join("\n\n")}\n`,
    html: lines.map((line) => `<p>${escapeHtml(line)}</p>`).join("\n"),
  };
}

/** Building a new request from a validated submission (web form or email). */
import { earliest, explainDueDates } from "./deadlines.js";
import type { Channel, PrivacyRequest, RequestType, SubmitRequestInput } from "./model.js";
import { referenceOf } from "./model.js";

export interface NewRequestInput extends Omit<SubmitRequestInput, "type"> {
  /** Email intake may not know the type yet: the officer decides. */
  type: RequestType | "unclassified";
}

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/** 10 Crockford base-32 characters (50 random bits): short enough to read out, hard to guess. */
export function newRequestId(
  random: (bytes: number) => Uint8Array = (n) => crypto.getRandomValues(new Uint8Array(n)),
): string {
  return Array.from(random(10), (byte) => CROCKFORD[byte % 32]).join("");
}

export function newRequest(args: {
  id: string;
  input: NewRequestInput;
  channel: Channel;
  /** When the written request was received: the clocks start the day after, locally. */
  receivedAt: Date;
  now: Date;
  slaBusinessDays?: number;
}): PrivacyRequest {
  const { id, input, channel, receivedAt, now } = args;
  const explained = explainDueDates({
    receivedAt,
    jurisdiction: input.jurisdiction,
    region: input.region,
    slaBusinessDays: args.slaBusinessDays,
  });
  const statutory = explained.statutory.date;
  // The promise never runs past the law (a long configured SLA is capped at the statutory date).
  const due = { sla: earliest(explained.sla.date, statutory), statutory };
  const at = now.toISOString();
  return {
    id,
    reference: referenceOf(id),
    type: input.type,
    status: "awaiting-verification",
    jurisdiction: input.jurisdiction,
    ...(input.region ? { region: input.region.toUpperCase() } : {}),
    channel,
    requester: input.requester,
    relationship: input.relationship,
    description: input.description,
    anonymous: input.anonymous,
    ...(input.correction ? { correction: input.correction } : {}),
    receivedAt: receivedAt.toISOString(),
    due,
    originalDue: due,
    verification: { attempts: 0 },
    extensions: [],
    pauses: [],
    history: [
      {
        at,
        actor: { kind: "requester" },
        action: "submitted",
        toStatus: "awaiting-verification",
        public: true,
        details: {
          channel,
          receivedLocalDate: explained.receivedLocalDate,
          timeZone: explained.timeZone,
          sla: explained.sla,
          statutory: explained.statutory,
        },
      },
    ],
    version: 1,
    createdAt: at,
    updatedAt: at,
  };
}
